/**
 * A tally opened on a redistribution's folder (docs/tally-ceremony.md §1.2): the board that counts is the
 * one the last redistribution left. The tally folder starts with the key ceremony's files as usual
 * (election.json, keyceremony.jsonl, keys.json: the key ceremony's own result) and every redistribution's
 * transcript of the chain, `redistribution-1.jsonl`, `-2`…; `tally.open` names the last one's closing head.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dkgResultToJson } from '../../crypto/dkg/index.js';
import { ok, type Result } from '../../common/result.js';
import { RECORD_FILES } from '../../election/record.js';
import { chainLinkName, readChainTexts, RFILES } from '../redistribution/chain.js';
import { keyOutcome, readDefinition } from './key-outcome.js';

/** Whether `folder` is a redistribution's (it holds the chain's copy of the key ceremony). */
export async function isRedistributionFolder(folder: string): Promise<boolean> {
  return (await readChainTexts(folder)).ok;
}

/** The tally folder's first files from a closed redistribution's folder, every link of its chain replayed; and the head tally.open names. */
export async function redistributedSource(folder: string): Promise<Result<{ files: readonly (readonly [string, string])[]; head: string }>> {
  const source = await readDefinition(folder);
  if (!source.ok) return source;
  const { def, fingerprint: fp } = source.value;
  const chain = await readChainTexts(folder);
  if (!chain.ok) return chain;
  const own = await readFile(join(folder, RFILES.transcript), 'utf8').catch(() => '');
  const links = [...chain.value.redistributions, own];
  const keyCeremony = keyOutcome(def, fp, chain.value.keyCeremony, RECORD_FILES.keyCeremony);
  if (!keyCeremony.ok) return keyCeremony;
  // Every link verified and closed, the last one included (chain.ts `replayChain`).
  const current = keyOutcome(def, fp, chain.value.keyCeremony, RECORD_FILES.keyCeremony, undefined, links);
  if (!current.ok) return current;
  return ok({
    files: [
      [RECORD_FILES.definition, source.value.text],
      [RECORD_FILES.keyCeremony, chain.value.keyCeremony],
      [RECORD_FILES.keys, `${JSON.stringify(dkgResultToJson(keyCeremony.value.result), null, 1)}\n`],
      ...links.map((text, k) => [chainLinkName(k + 1), text] as const),
    ],
    head: current.value.head,
  });
}
