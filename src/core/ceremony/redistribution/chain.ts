/**
 * The chain a redistribution stands on (docs/redistribution.md §15.1): its folder keeps a copy of the key
 * ceremony's transcript and of every earlier redistribution's, in `chain/`, and replays them in order to
 * know the board as it stands. Nothing is taken on trust: each link is verified (chain, signatures, every
 * rule) and must be closed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromHex } from '../../common/bytes.js';
import { ok, type Result } from '../../common/result.js';
import type { ElectionDefinition } from '../../election/definition.js';
import { verifyTranscriptText, type ActorKeys, type TranscriptEntry } from '../../transcript/transcript.js';
import { workstationActor } from '../workstation.js';
import { verifyKeyCeremonyTranscript } from '../key/verify.js';
import { boardOfKeyCeremony, type CurrentBoard } from './board.js';
import { fail } from './failures.js';
import { formerOfActor, RENTRY } from './payloads.js';
import { boardAfter, closingOf, foldRedistribution, type RedistributionState } from './state.js';

export const RFILES = {
  definition: 'election.json',
  transcript: 'transcript.jsonl',
  chain: 'chain',
  keyCeremony: 'key-ceremony.jsonl',
  newBoard: 'new-board.json',
  report: 'redistribution-report.pdf',
} as const;

/** The file name of the k-th redistribution's transcript in `chain/`. */
export const chainLinkName = (k: number): string => `redistribution-${k}.jsonl`;

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Who signs a redistribution's entries: workstations (each `workstation.session` registers its key),
 * the current board's members as `former:<i>` with the identity key of the token they hold, and the new
 * board's members as `member:<j>` with the key their new token registers at enrolment (signed by itself).
 */
export function redistributionActorKeys(previous: CurrentBoard): ActorKeys {
  const keys = new Map<string, Uint8Array>();
  for (const m of previous.members) keys.set(`former:${m.index}`, fromHex(m.identityKey));
  return (actor, entry) => {
    const p = (entry.payload ?? {}) as { publicKey?: unknown; identityKey?: unknown };
    const offered = entry.type === RENTRY.session ? p.publicKey : entry.type === RENTRY.enrolled ? p.identityKey : undefined;
    if (typeof offered === 'string' && HEX64.test(offered) && !keys.has(actor) && formerOfActor(actor) === undefined) {
      const bytes = fromHex(offered);
      const consistent = entry.type === RENTRY.session ? actor === workstationActor(bytes) : /^member:[1-9][0-9]{0,2}$/.test(actor);
      if (consistent) keys.set(actor, bytes);
    }
    return keys.get(actor);
  };
}

export interface VerifiedRedistribution {
  readonly state: RedistributionState;
  readonly entries: readonly TranscriptEntry[];
  readonly head: string;
  readonly closedHead: string | null;
}

/** Replays one redistribution transcript on the board it starts from. */
export function verifyRedistributionTranscript(def: ElectionDefinition, fp: Uint8Array, previous: CurrentBoard, text: string, name: string): Result<VerifiedRedistribution> {
  const chain = verifyTranscriptText(text, fp, redistributionActorKeys(previous), name);
  if (!chain.ok) return chain;
  const state = foldRedistribution(def, fp, previous, chain.value.entries);
  if (!state.ok) return { ok: false, error: { ...state.error, where: state.error.where?.replace(/^transcript:/, `${name}:`) ?? name } };
  return ok({ state: state.value, entries: chain.value.entries, head: chain.value.head, closedHead: closingOf(chain.value.entries, chain.value.head)?.head ?? null });
}

/** The board as it stands after the key ceremony's transcript and the redistributions' given, all closed. */
export function replayChain(def: ElectionDefinition, fp: Uint8Array, keyCeremony: string, redistributions: readonly string[]): Result<CurrentBoard> {
  const replayed = replayChainLinks(def, fp, keyCeremony, redistributions);
  return replayed.ok ? ok(replayed.value.board) : replayed;
}

/**
 * The same, with each redistribution's verified entries in order: a tally's papers count the members'
 * steps of every ceremony of the chain (where they ran, docs/stations.md §6), as `sceau verify` does.
 */
export function replayChainLinks(
  def: ElectionDefinition,
  fp: Uint8Array,
  keyCeremony: string,
  redistributions: readonly string[],
): Result<{ board: CurrentBoard; links: readonly (readonly TranscriptEntry[])[] }> {
  const kc = verifyKeyCeremonyTranscript(def, fp, keyCeremony, `${RFILES.chain}/${RFILES.keyCeremony}`);
  if (!kc.ok) return kc;
  if (kc.value.state.phase !== 'closed' || kc.value.closedHead === null) {
    return fail(
      'redistribution.chain',
      `La cérémonie des clés n'est pas close (étape\u00a0: ${kc.value.state.phase}).`,
      `The key ceremony is not closed (step: ${kc.value.state.phase}).`,
      RFILES.keyCeremony,
    );
  }
  let board = boardOfKeyCeremony(kc.value.state, kc.value.closedHead);
  const links: (readonly TranscriptEntry[])[] = [];
  for (const [k, text] of redistributions.entries()) {
    const name = `${RFILES.chain}/${chainLinkName(k + 1)}`;
    const link = verifyRedistributionTranscript(def, fp, board, text, name);
    if (!link.ok) return link;
    if (link.value.closedHead === null) {
      return fail(
        'redistribution.chain',
        `La redistribution ${k + 1} n'est pas close (étape\u00a0: ${link.value.state.phase}).`,
        `Redistribution ${k + 1} is not closed (step: ${link.value.state.phase}).`,
        name,
      );
    }
    board = boardAfter(link.value.state, link.value.closedHead);
    links.push(link.value.entries);
  }
  return ok({ board, links });
}

/** The chain's transcripts as a redistribution folder holds them: `chain/key-ceremony.jsonl`, then `chain/redistribution-1.jsonl`… */
export async function readChainTexts(folder: string): Promise<Result<{ keyCeremony: string; redistributions: string[] }>> {
  const keyCeremony = await readFile(join(folder, RFILES.chain, RFILES.keyCeremony), 'utf8').catch(() => null);
  if (keyCeremony === null) {
    return fail(
      'redistribution.chain',
      `Fichier manquant\u00a0: ${RFILES.chain}/${RFILES.keyCeremony}.`,
      `Missing file: ${RFILES.chain}/${RFILES.keyCeremony}.`,
      `${RFILES.chain}/${RFILES.keyCeremony}`,
    );
  }
  const redistributions: string[] = [];
  for (let k = 1; ; k++) {
    const text = await readFile(join(folder, RFILES.chain, chainLinkName(k)), 'utf8').catch(() => null);
    if (text === null) break;
    redistributions.push(text);
  }
  return ok({ keyCeremony, redistributions });
}
