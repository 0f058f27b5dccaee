/**
 * A tally on a redistributed board (docs/tally-ceremony.md §1.2): key ceremony 3 of 5 with real tokens on
 * drives, a redistribution where member 2 leaves and member 6 joins (t stays 3), then the tally opened on
 * the redistribution's folder: members {3, 5, 6} decrypt with their new tokens, the counts equal the
 * simulator's ground truth; an old token (kept by member 5, who did not deal) and the member who left
 * are refused, with the reason. The PVs and the summary say where every member's step ran, the
 * redistribution's too, as `sceau verify` counts them, and name member 6 among the members present; their
 * annex holds the redistribution's deviations under their own heading, member 6 named there and in the
 * tally's by name; a redistribution transcript altered in the tally's folder lets no paper be printed from it.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { replayChain } from '../../src/core/verifier/redistribution.js';
import { verifyKeyCeremonyTranscript } from '../../src/core/ceremony/key/verify.js';
import { definitionFingerprint } from '../../src/core/election/definition.js';
import type { TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedistributionCeremony } from '../../src/core/ceremony/redistribution/ceremony.js';
import { redistributionDriveTokens } from '../../src/core/ceremony/redistribution/drive-tokens.js';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { tallyDocumentPdf } from '../../src/core/service/tally-documents.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { whereInWords, whereStepsRan } from '../../src/core/verifier/where.js';
import { pdfText } from '../helpers/pdf.js';
import { MEMBER_NAMES } from '../helpers/closed-key-ceremony.js';
import { context, tempFolder } from '../helpers/key-ceremony.js';
import { leaveAndJoin } from '../helpers/redistribution.js';
import { boardSignIfAny, expectTruth, memberStep, must, newFolder, tallyContext, tallyFixture, type TallyFixture } from '../helpers/tally.js';
import { replayKeyCeremony } from '../../src/core/verifier/key-ceremony.js';

let fx: TallyFixture;
let redistribution: string;
/** The closed tally's folder (the record), made by the first test. */
let closedTally: string | undefined;

/** A paper's text on one line, its spaces (non-breaking too) made plain. */
const flat = (text: string) => text.replace(/\s+/g, ' ');
const pool = new WorkerPool(1);

/** Member j's new token, on a drive of its own. */
function fresh(j: number) {
  const drive = join(fx.root, `nouveau-${j}`);
  mkdirSync(drive, { recursive: true });
  return { member: j, token: { drive, label: `NOUVEAU${j}`, size: 1 }, passphrase: `nouvelle phrase ${j} du membre` };
}

beforeAll(async () => {
  fx = await tallyFixture(30);
  const tokens = redistributionDriveTokens({ policy: TEST_POLICY });
  const names = { 1: MEMBER_NAMES[0]!, 3: MEMBER_NAMES[2]!, 4: MEMBER_NAMES[3]!, 5: MEMBER_NAMES[4]!, 6: 'Hugo Petit' };
  const c = must(await RedistributionCeremony.create(tempFolder('redistribution'), fx.kc.folder, leaveAndJoin(names), { ...context(tokens), tokens }));
  const board = [1, 3, 4, 5, 6];
  for (const j of board) must(await c.enrol(fresh(j)));
  for (const i of [1, 3, 4]) must(await c.deal(memberStep(fx, i)));
  // Member 6 mistypes their passphrase once at checking: a deviation of the redistribution naming a member the definition does not know.
  expect((await c.check({ ...fresh(6), passphrase: 'pas la bonne phrase' })).ok).toBe(false);
  for (const j of board) must(await c.check(fresh(j)));
  must(await c.publishResult());
  for (const j of board) must(await c.seal(fresh(j)));
  for (const i of [1, 3, 4]) must(await c.confirmDestruction(memberStep(fx, i)));
  must(await c.close());
  redistribution = c.folder;
}, 120_000);
afterAll(async () => {
  await pool.close();
});

describe('tally on a redistributed board (member 2 left, member 6 joined)', () => {
  it('is opened on the redistribution folder, decrypted by members 3, 5 and 6 with their new tokens, and counts the ground truth', async () => {
    const folder = newFolder(fx);
    const c = must(await TallyCeremony.create({ keyCeremonyFolder: redistribution, folder }, tallyContext(pool)));
    expect(readdirSync(folder)).toContain('redistribution-1.jsonl');
    expect(c.state.t).toBe(3);
    expect(c.state.members.filter((m) => m.qualified).map((m) => m.index)).toEqual([1, 3, 4, 5, 6]);
    expect(c.state.members[5]!.name).toBe('Hugo Petit');
    must(await c.importUrn(fx.urnPath));
    must(await c.publishReceipts());
    must(await c.shuffle());

    // The member who left cannot decrypt; member 5's old token (they did not deal, so it was not erased) is refused, with the reason.
    const left = await c.decrypt(memberStep(fx, 2));
    expect(left.ok).toBe(false);
    const old = await c.decrypt(memberStep(fx, 5));
    expect(old).toMatchObject({ ok: false, error: { code: 'tally.token-mismatch' } });
    if (!old.ok) {
      expect(old.error.message.fr).toContain("un jeton d'un bureau antérieur");
      expect(old.error.message.en).toContain('redistribution no. 1');
    }
    // Member 6 mistypes their passphrase at the tally too: the tally's deviation names them.
    expect((await c.decrypt({ ...fresh(6), passphrase: 'pas la bonne phrase' })).ok).toBe(false);
    for (const j of [3, 5, 6]) must(await c.decrypt(fresh(j)));
    expect(c.state.phase).toBe('count');
    const pvs = must(await c.count());
    expectTruth(pvs, fx.truth);
    expect(c.state.count!.members).toEqual([3, 5, 6]);
    for (const j of [3, 5, 6]) must(await c.sign(fresh(j)));
    // The board's signature (step 7b), required to close: the new board's members, member 6 with their new share.
    await boardSignIfAny(
      c,
      [3, 5, 6].map((j) => fresh(j)),
    );
    must(await c.close());
    expect(c.state.phase).toBe('closed');
    closedTally = folder;

    // Reopened from the folder alone, the chain replays to the same board.
    const again = must(await TallyCeremony.open(folder, tallyContext(pool), { readOnly: true }));
    expect(again.state.phase).toBe('closed');

    // The verifier's own replay of the record's chain gives the board the tally used (sceau verify reads it so).
    const kcText = readFileSync(join(folder, 'keyceremony.jsonl'), 'utf8');
    const fp = definitionFingerprint(fx.kc.definition);
    const kc = must(verifyKeyCeremonyTranscript(fx.kc.definition, fp, kcText));
    const enrolled = new Map(kc.state.members.map((m) => [m.index, { identityKey: m.identityKey!, encryptionKey: m.encryptionKey! }]));
    const kcEntries = kcText
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TranscriptEntry);
    const start = {
      def: fx.kc.definition,
      closedHead: kc.closedHead!,
      keys: { publicKey: kc.state.publicKey!, qualified: kc.state.result!.qualified, verificationKeys: kc.state.members.map((m) => m.verificationKey!) },
      enrolled,
      entries: kcEntries,
      boardHolders: must(replayKeyCeremony(fx.kc.definition, fp, kcText)).boardHolders,
    };
    const board = must(replayChain(fx.kc.definition.id, fp, start, [readFileSync(join(folder, 'redistribution-1.jsonl'), 'utf8')], (k) => `redistribution-${k}.jsonl`));
    expect(board.election.holders).toEqual([1, 3, 4, 5, 6]);
    expect(board.heads.redistributions[0]).toBe(c.state.keyCeremonyHead);
    const altered = readFileSync(join(folder, 'redistribution-1.jsonl'), 'utf8').replace('"threshold":3', '"threshold":2');
    const refused = replayChain(fx.kc.definition.id, fp, start, [altered], (k) => `redistribution-${k}.jsonl`);
    expect(!refused.ok && refused.error.code).toBe('transcript.signature');
  }, 180_000);

  it('the PVs and the summary count the redistribution’s member steps where they ran, as sceau verify does', async () => {
    if (closedTally === undefined) throw new Error('the tally of the first test did not close');
    const c = must(await TallyCeremony.open(closedTally, tallyContext(pool), { readOnly: true }));
    expect(c.redistributionEntries).toHaveLength(1);
    const verified = await verifyRecord(closedTally, { pool });
    const where = verified.where!;
    // The redistribution's 21 secret steps: 5 new tokens enrolled, 3 dealings, 5 checks, 5 seals, 3 old tokens destroyed.
    expect(where.memberSteps.filter((s) => s.ceremony === 'redistribution')).toHaveLength(21);
    expect(where.memberSteps).toHaveLength(whereStepsRan(c.keyCeremonyEntries, c.entries).memberSteps.length + 21);
    const words = whereInWords(where);
    expect(words.fr.join(' ')).toContain(`, ${where.memberSteps.length} sur le poste de la présidence.`);
    const constituency = (JSON.parse(readFileSync(join(closedTally, 'results.json'), 'utf8')) as { constituencies: { constituency: string }[] }).constituencies[0]!.constituency;
    for (const document of ['summary', constituency]) {
      const text = flat(pdfText(must(await tallyDocumentPdf(c, document)).bytes));
      expect(text, document).toContain(flat(`Où les étapes ont eu lieu : ${words.fr.join(' ')}`));
      expect(text, document).toContain(flat(`Where the steps ran: ${words.en.join(' ')}`));
      // Member 6 joined at the redistribution: among the members present, by name, as members 3 and 5 are.
      for (const name of [MEMBER_NAMES[2]!, MEMBER_NAMES[4]!, 'Hugo Petit']) expect(text, `${document}: ${name}`).toContain(name);
      // The annex: the tally's deviations, then the redistribution's under its own heading, then the key ceremony's;
      // member 6's mistyped passphrase in both, by name (the definition's board does not know member 6).
      expect(text, document).toContain('Annexe : écarts consignés');
      const annex = text.slice(text.indexOf('Annexe : écarts consignés'));
      const atTally = annex.indexOf('Au dépouillement / At the tally');
      const atRedistribution = annex.indexOf('Redistribution n° 1 / Redistribution no. 1');
      const atKeyCeremony = annex.indexOf('À la cérémonie des clés / At the key ceremony');
      expect(atTally >= 0 && atTally < atRedistribution && atRedistribution < atKeyCeremony, `${document}: ${atTally}, ${atRedistribution}, ${atKeyCeremony}`).toBe(true);
      const refused6 = 'le jeton présenté pour Hugo Petit (membre n° 6) a été refusé';
      expect(annex.slice(atTally, atRedistribution), document).toContain(refused6);
      expect(annex.slice(atRedistribution, atKeyCeremony), document).toContain(refused6);
      expect(annex.slice(atRedistribution, atKeyCeremony), document).toContain('the token presented for Hugo Petit (member no. 6) was refused');
      expect(annex, document).not.toContain('le membre n° 6');
    }
  }, 120_000);

  it('a redistribution transcript altered in the tally’s folder: the tally is not opened, so no paper counts its steps', async () => {
    if (closedTally === undefined) throw new Error('the tally of the first test did not close');
    const copy = newFolder(fx);
    cpSync(closedTally, copy, { recursive: true });
    const link = join(copy, 'redistribution-1.jsonl');
    writeFileSync(link, readFileSync(link, 'utf8').replace('"threshold":3', '"threshold":2'));
    const refused = await TallyCeremony.open(copy, tallyContext(pool), { readOnly: true });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('transcript.signature');
      expect(refused.error.message.fr).not.toBe('');
      expect(refused.error.message.en).not.toBe('');
    }
  }, 60_000);
});
