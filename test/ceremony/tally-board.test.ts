/**
 * The board's FROST signature at the tally (docs/tally-ceremony.md step 7b, docs/protocol.md §12.8), through
 * the one-machine convenience `boardSign`: each member's first visit (commitments) until t have committed,
 * the round fixed, then each signer's second visit (shares); a wrong passphrase is a deviation and the
 * signature completes with the others; results.json carries the board's signatures, each valid under the
 * board key alone; and the fold and the verifier refuse a share, a commitment, the round's lists, a board
 * signature or a PV figure altered, a share for another list and a member's second share. With a board key
 * the closing waits for the board's signature: refused before it, and a record whose board entries are
 * dropped is refused by both verifiers.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { foldTally, type TallyBasis } from '../../src/core/ceremony/tally/state.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { pvSealOf } from '../../src/core/election/pv-seal.js';
import { checkPvSeal } from '../../src/core/verifier/seal-check.js';
import { checkPvSealWithBoardKey, readBoardKeyGiven } from '../../src/core/verifier/seal-board.js';
import { verifyBoardSignature } from '../../src/core/crypto/frost/index.js';
import { boardPvMessage, boardResultsMessage } from '../../src/core/election/board-messages.js';
import { buildManifest, manifestText, RECORD_FILES } from '../../src/core/election/record.js';
import type { Results } from '../../src/core/election/results.js';
import { entryHash, entryLine, makeEntry, type TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { countedTally, memberStep, must, newFolder, tallyContext, type TallyFixture, tallyFixture } from '../helpers/tally.js';
import { verifyWithCeremonyRules } from '../helpers/ceremony-rules-verifier.js';

let fx: TallyFixture;
const pool = new WorkerPool(1);
let c: TallyCeremony;
let folder: string;

beforeAll(async () => {
  fx = await tallyFixture(20);
  ({ c, folder } = await countedTally(fx, pool));
}, 120_000);
afterAll(async () => {
  await pool.close();
});

/** The basis the workstation folds with: the key ceremony's board key and the PVs counted. */
function basisOf(t: TallyCeremony, pvs = t.pvViews()!): TallyBasis {
  const s = t.state;
  const accepted = new Map(s.active.map((a) => [a.id, a.ballots]));
  return { keyCeremonyHead: s.keyCeremonyHead!, qualified: s.members.filter((m) => m.qualified).map((m) => m.index), accepted, board: t.basis.board ?? null, pvs };
}

describe('the board signature sitting, 3 of 5', () => {
  it('is refused before anyone sits when fewer than t tokens open, each refusal recorded', async () => {
    expect(c.boardKey).toMatch(/^[0-9a-f]{64}$/);
    const r = await c.boardSign([memberStep(fx, 1), memberStep(fx, 4, { passphrase: 'pas la bonne phrase' }), memberStep(fx, 5)]);
    expect(r).toMatchObject({ ok: false, error: { code: 'tally.board-quorum' } });
    expect(r.ok ? '' : r.error.message.fr).toContain('il en faut 3');
    expect(c.state.deviations.at(-1)!.payload).toMatchObject({ kind: 'token-refused', member: 4, code: 'token.passphrase' });
    expect(c.state.boardSignature).toBeUndefined();
    // Members 1 and 5 made their first visit: their commitments are recorded, their nonces sealed in their tokens.
    expect(c.entries.filter((e) => e.type === 'tally.board-commitments').map((e) => e.actor)).toEqual(['member:1', 'member:5']);
    expect(c.state.boardRound?.fixed).toBeUndefined();
    // A member twice is refused as input, nothing recorded.
    expect(await c.boardSign([memberStep(fx, 1), memberStep(fx, 1), memberStep(fx, 5)])).toMatchObject({ ok: false, error: { code: 'tally.inputs' } });
  });

  it('completes with any t, members who did not decrypt included, after the members signed alone', async () => {
    for (const j of [1, 2, 3]) must(await c.sign(memberStep(fx, j)));
    expect(c.state.phase).toBe('closing');
    must(await c.boardSign([memberStep(fx, 5), memberStep(fx, 2, { passphrase: 'faux' }), memberStep(fx, 4), memberStep(fx, 1)]));
    expect(c.state.deviations.at(-1)!.payload).toMatchObject({ member: 2, code: 'token.passphrase' });
    expect(c.state.boardSignature!.signers).toEqual([1, 4, 5]);
    expect(c.entries.slice(-6).map((e) => [e.type, e.actor])).toEqual([
      ['tally.board-commitments', 'member:4'],
      ['tally.board-round', expect.stringMatching(/^workstation:/)],
      ['tally.board-share', 'member:1'],
      ['tally.board-share', 'member:4'],
      ['tally.board-share', 'member:5'],
      ['tally.board-signature', expect.stringMatching(/^workstation:/)],
    ]);
    expect(c.entries.at(-5)!.payload).toMatchObject({ round: 1, signers: [1, 4, 5] });
    expect(await c.boardSign([memberStep(fx, 1), memberStep(fx, 2), memberStep(fx, 3)])).toMatchObject({ ok: false, error: { code: 'tally.member-twice' } });
    expect(c.state.phase).toBe('closing');
    must(await c.close());
  });

  it('writes the board signatures into results.json, each valid under the board key alone', () => {
    const results = JSON.parse(readFileSync(join(folder, RECORD_FILES.results), 'utf8')) as Results;
    const board = results.board!;
    expect(board.key).toBe(c.boardKey);
    expect(board.members).toEqual([1, 4, 5]);
    expect(board.pvs.map((p) => p.constituency)).toEqual(results.constituencies.map((p) => p.constituency));
    const fp = c.fingerprint;
    const key = fromHex(board.key);
    results.constituencies.forEach((pv, k) => expect(verifyBoardSignature(key, boardPvMessage(fp, pv), fromHex(board.pvs[k]!.signature)).ok).toBe(true));
    expect(verifyBoardSignature(key, boardResultsMessage(fp, results.constituencies), fromHex(board.results)).ok).toBe(true);
    // A figure changed: the signature no longer holds.
    const changed = { ...results.constituencies[0]!, votants: results.constituencies[0]!.votants + 1 };
    expect(verifyBoardSignature(key, boardPvMessage(fp, changed), fromHex(board.pvs[0]!.signature))).toMatchObject({ ok: false, error: { code: 'frost.signature.invalid' } });
  });

  it('reopens the closed record, the board signatures recomputed from the shares', async () => {
    const again = must(await TallyCeremony.open(folder, tallyContext(pool)));
    expect(again.state.boardSignature).toEqual(c.state.boardSignature);
    expect(foldTally(c.definition, c.fingerprint, c.entries, basisOf(c)).ok).toBe(true);
  });

  it('is a record sceau verify accepts', async () => {
    const verdict = await verifyRecord(folder, { pool });
    expect(verdict.failures).toEqual([]);
    expect(verdict.ok).toBe(true);
  });
});

describe('the closing waits for the board signature when the key ceremony made a board key (docs/tally-ceremony.md §2)', () => {
  let plain: string;
  let session: ReturnType<typeof tallyContext>['session'];

  it('is refused, nothing recorded, until the board signs; then results.json carries the board and the seals are version 2', async () => {
    plain = newFolder(fx);
    const ctx = tallyContext(pool);
    session = ctx.session;
    const t = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder: plain }, ctx));
    must(await t.importUrn(fx.urnPath));
    must(await t.publishReceipts());
    must(await t.shuffle());
    for (const j of [2, 4, 5]) must(await t.decrypt(memberStep(fx, j)));
    must(await t.count());
    for (const j of [2, 4, 5]) must(await t.sign(memberStep(fx, j)));
    expect(t.state.phase).toBe('closing');
    const recorded = t.entries.length;
    const refused = await t.close();
    expect(refused).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(refused.ok ? '' : refused.error.message.fr).toContain('la signature du bureau (étape 7 b) manque');
    expect(refused.ok ? '' : refused.error.message.en).toContain('the board signature (step 7b) is missing');
    expect(t.entries).toHaveLength(recorded);
    expect(existsSync(join(plain, RECORD_FILES.results))).toBe(false);
    expect(t.state.phase).toBe('closing');

    must(await t.boardSign([2, 4, 5].map((j) => memberStep(fx, j))));
    must(await t.close());
    const published = JSON.parse(readFileSync(join(plain, RECORD_FILES.results), 'utf8')) as Results;
    expect(published.board?.members).toEqual([2, 4, 5]);
    const fp = toHex(sha256(readFileSync(join(plain, RECORD_FILES.manifest))));
    const seal = pvSealOf(published, fp, published.constituencies[0]!);
    expect(seal.startsWith('sceau:pv:2:')).toBe(true);
    expect(await checkPvSeal(plain, seal)).toMatchObject({ ok: true });
    const verdict = await verifyRecord(plain, { pool });
    expect(verdict.failures).toEqual([]);
    expect(verdict.ok).toBe(true);
  }, 120_000);

  it("a record whose board entries are dropped (tally.results re-chained and re-signed, results.json without board, resealed: a forger's) is refused by both verifiers at tally.results", async () => {
    const forged = join(newFolder(fx), 'record');
    cpSync(plain, forged, { recursive: true });
    const resultsPath = join(forged, RECORD_FILES.results);
    const { board: _board, ...withoutBoard } = JSON.parse(readFileSync(resultsPath, 'utf8')) as Results;
    writeFileSync(resultsPath, `${JSON.stringify(withoutBoard, null, 1)}\n`);
    const transcriptPath = join(forged, RECORD_FILES.tallyTranscript);
    const entries = readFileSync(transcriptPath, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as TranscriptEntry);
    const kept = entries.filter((e) => !e.type.startsWith('tally.board-') && e.type !== 'tally.results');
    // The board's entries came last before the closing: every entry kept is the honest one, only the closing is remade.
    expect(kept).toEqual(entries.slice(0, kept.length));
    const fp = c.fingerprint;
    const closing = makeEntry(fp, kept.length, entryHash(fp, kept.at(-1)!), session.actor, 'tally.results', { resultsSha256: toHex(sha256(readFileSync(resultsPath))) }, session.secretKey);
    writeFileSync(transcriptPath, [...kept, closing].map((e) => `${entryLine(e)}\n`).join(''));
    writeFileSync(join(forged, RECORD_FILES.manifest), manifestText(await buildManifest(forged)));

    const where = `tally.jsonl:${kept.length + 1}`;
    const independent = await verifyRecord(forged, { pool });
    expect(independent.ok).toBe(false);
    expect(independent.failures.filter((f) => f.code === 'tally.order').map((f) => f.where)).toContain(where);
    expect(independent.failures.find((f) => f.code === 'tally.order')!.message.en).toMatch(/board signature \(step 7b\) is missing/);
    const ceremonyRules = await verifyWithCeremonyRules(forged, { pool });
    expect(ceremonyRules.ok).toBe(false);
    // (the helper names the file twice: "tally.jsonl: tally.jsonl:<line>")
    expect(ceremonyRules.failures.some((f) => f.code === 'tally.order' && (f.where ?? '').endsWith(where))).toBe(true);
    // The workstation refuses to open it as well: its fold is the ceremony's rules.
    expect(await TallyCeremony.open(forged, tallyContext(pool), { readOnly: true })).toMatchObject({ ok: false });
  }, 120_000);
});

describe('the fold refuses a board signature altered', () => {
  const at = (type: string, member?: number): number => c.entries.findIndex((e) => e.type === type && (member === undefined || e.actor === `member:${member}`));
  const altered = (i: number, change: (p: Record<string, unknown>) => Record<string, unknown>): TranscriptEntry[] =>
    c.entries.map((e, k) => (k === i ? { ...e, payload: change(structuredClone(e.payload) as Record<string, unknown>) } : e));
  const flip = (hex: string): string => `${hex.slice(0, -2)}${hex.endsWith('00') ? '01' : '00'}`;
  const fold = (entries: readonly TranscriptEntry[]) => foldTally(c.definition, c.fingerprint, entries, basisOf(c));
  type Item = { message: string; list: string; share: string };

  it('the record as made folds', () => {
    expect(fold(c.entries).ok).toBe(true);
  });

  it('a share: refused, the member named', () => {
    const entries = altered(at('tally.board-share', 4), (p) => ({ ...p, shares: (p['shares'] as Item[]).map((x, k) => (k === 1 ? { ...x, share: flip(x.share) } : x)) }));
    const r = fold(entries);
    expect(r).toMatchObject({ ok: false, error: { code: 'tally.board-signature' } });
    expect(r.ok ? '' : r.error.message.en).toMatch(/member 4/);
  });

  it('a commitment: refused (the lists no longer hash to what the round fixed)', () => {
    const entries = altered(at('tally.board-commitments', 5), (p) => ({
      ...p,
      commitments: (p['commitments'] as { hiding: string; binding: string }[]).map((x, k) => (k === 0 ? { hiding: x.binding, binding: x.hiding } : x)),
    }));
    const r = fold(entries);
    expect(r).toMatchObject({ ok: false, error: { code: 'tally.entry' } });
    expect(r.ok ? '' : r.error.message.en).toMatch(/board-round.*commitment lists/);
  });

  it("the round's lists or signers: refused", () => {
    expect(fold(altered(at('tally.board-round'), (p) => ({ ...p, commitmentsSha256: flip(p['commitmentsSha256'] as string) })))).toMatchObject({ ok: false, error: { code: 'tally.entry' } });
    expect(fold(altered(at('tally.board-round'), (p) => ({ ...p, signers: [1, 2, 5] })))).toMatchObject({ ok: false, error: { code: 'tally.entry' } });
  });

  it("a share for another list (its list's hash, or the round's): refused", () => {
    const i = at('tally.board-share', 1);
    expect(fold(altered(i, (p) => ({ ...p, shares: (p['shares'] as Item[]).map((x, k) => (k === 0 ? { ...x, list: flip(x.list) } : x)) })))).toMatchObject({
      ok: false,
      error: { code: 'tally.entry' },
    });
    expect(fold(altered(i, (p) => ({ ...p, commitmentsSha256: flip(p['commitmentsSha256'] as string) })))).toMatchObject({ ok: false, error: { code: 'tally.entry' } });
    expect(fold(altered(i, (p) => ({ ...p, round: 2 })))).toMatchObject({ ok: false, error: { code: 'tally.order' } });
  });

  it("a member's second share: refused", () => {
    const i = at('tally.board-share', 1);
    const entries = [...c.entries.slice(0, i + 1), c.entries[i]!, ...c.entries.slice(i + 1)];
    expect(fold(entries)).toMatchObject({ ok: false, error: { code: 'tally.member-twice' } });
  });

  it('a board signature: refused', () => {
    expect(fold(altered(at('tally.board-signature'), (p) => ({ ...p, results: flip(p['results'] as string) })))).toMatchObject({ ok: false, error: { code: 'tally.board-signature' } });
  });

  it('a PV figure: refused (the commitments are not for the messages the board signs)', () => {
    const pvs = c.pvViews()!.map((pv, k) => (k === 0 ? { ...pv, nuls: pv.nuls + 1 } : pv));
    const r = foldTally(c.definition, c.fingerprint, c.entries, basisOf(c, pvs));
    expect(r).toMatchObject({ ok: false, error: { code: 'tally.board-signature' } });
  });

  it('a share entry missing: the board signature does not gather its signers', () => {
    const i = at('tally.board-share', 1);
    expect(fold(c.entries.filter((_, k) => k !== i))).toMatchObject({ ok: false, error: { code: 'tally.entry' } });
  });

  it('a refused-share deviation that names no signer of the attempt: refused', () => {
    const i = at('tally.board-share', 1);
    const deviation = { ...c.entries.find((e) => e.type === 'tally.deviation')!, payload: { kind: 'board-share-refused', member: 2, code: 'frost.share.invalid', message: { fr: 'x', en: 'x' } } };
    expect(fold([...c.entries.slice(0, i), deviation as TranscriptEntry])).toMatchObject({ ok: false, error: { code: 'tally.entry' } });
  });
});

describe('the verifier refuses a board sitting altered in a record', () => {
  let n = 0;
  /** A copy of the closed record with one line of tally.jsonl (or results.json) changed. */
  function tampered(change: { line?: (e: Record<string, unknown>) => Record<string, unknown> | undefined; results?: (r: Results) => Results }): string {
    const copy = join(fx.root, `tampered-${n++}`);
    cpSync(folder, copy, { recursive: true });
    if (change.line !== undefined) {
      const path = join(copy, RECORD_FILES.tallyTranscript);
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      const out = lines.map((l) => {
        const changed = change.line!(JSON.parse(l) as Record<string, unknown>);
        return changed === undefined ? l : JSON.stringify(changed);
      });
      writeFileSync(path, `${out.join('\n')}\n`);
    }
    if (change.results !== undefined) {
      const path = join(copy, RECORD_FILES.results);
      writeFileSync(path, `${JSON.stringify(change.results(JSON.parse(readFileSync(path, 'utf8')) as Results), null, 1)}\n`);
    }
    return copy;
  }
  const flip = (hex: string): string => `${hex.slice(0, -2)}${hex.endsWith('00') ? '01' : '00'}`;
  const codes = async (dir: string): Promise<string[]> => (await verifyRecord(dir, { pool })).failures.map((f) => f.code);
  /** The failures' codes with their English text, to tell the board's own refusal from the broken entry signature. */
  const said = async (dir: string): Promise<string[]> => (await verifyRecord(dir, { pool })).failures.map((f) => `${f.code}: ${f.message.en}`);
  const payload = (e: Record<string, unknown>): Record<string, unknown> => e['payload'] as Record<string, unknown>;

  type Item = { message: string; list: string; share: string };
  const entryOf = (type: string, actor?: string) => (e: Record<string, unknown>, change: (p: Record<string, unknown>) => Record<string, unknown>) =>
    e['type'] === type && (actor === undefined || e['actor'] === actor) ? { ...e, payload: change(payload(e)) } : undefined;

  it('a share', async () => {
    const dir = tampered({ line: (e) => entryOf('tally.board-share', 'member:4')(e, (p) => ({ ...p, shares: (p['shares'] as Item[]).map((x) => ({ ...x, share: flip(x.share) })) })) });
    expect(await codes(dir)).toContain('board.signature');
  });

  it('a commitment (the round fixed other lists)', async () => {
    const swap = (c: { hiding: string; binding: string }[]) => c.map((x, k) => (k === 0 ? { hiding: x.binding, binding: x.hiding } : x));
    const dir = tampered({ line: (e) => entryOf('tally.board-commitments', 'member:1')(e, (p) => ({ ...p, commitments: swap(p['commitments'] as never) })) });
    expect(await said(dir)).toContainEqual(expect.stringMatching(/^tally\.entry: .*tally\.board-round.*not those of the members who committed/));
  });

  it("the round's list hash", async () => {
    const dir = tampered({ line: (e) => entryOf('tally.board-round')(e, (p) => ({ ...p, commitmentsSha256: flip(p['commitmentsSha256'] as string) })) });
    expect(await said(dir)).toContainEqual(expect.stringMatching(/^tally\.entry: .*tally\.board-round.*not those of the members who committed/));
  });

  it("a share for another round's list", async () => {
    const dir = tampered({ line: (e) => entryOf('tally.board-share', 'member:5')(e, (p) => ({ ...p, shares: (p['shares'] as Item[]).map((x) => ({ ...x, list: flip(x.list) })) })) });
    expect(await said(dir)).toContainEqual(expect.stringMatching(/^tally\.entry: .*tally\.board-share.*fixed commitment lists/));
  });

  it("a member's second share", async () => {
    const copy = join(fx.root, `tampered-${n++}`);
    cpSync(folder, copy, { recursive: true });
    const path = join(copy, RECORD_FILES.tallyTranscript);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const i = lines.findIndex((l) => (JSON.parse(l) as { type: string }).type === 'tally.board-share');
    writeFileSync(path, `${[...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)].join('\n')}\n`);
    expect(await codes(copy)).toContain('tally.member-twice');
  });

  it('a board signature, in the transcript and in results.json alike', async () => {
    const dir = tampered({
      line: (e) => (e['type'] === 'tally.board-signature' ? { ...e, payload: { ...payload(e), results: flip(payload(e)['results'] as string) } } : undefined),
      results: (r) => ({ ...r, board: { ...r.board!, results: flip(r.board!.results) } }),
    });
    expect(await codes(dir)).toContain('board.signature');
  });

  it("results.json's board signature alone", async () => {
    const dir = tampered({ results: (r) => ({ ...r, board: { ...r.board!, pvs: r.board!.pvs.map((p, k) => (k === 0 ? { ...p, signature: flip(p.signature) } : p)) } }) });
    expect(await codes(dir)).toContain('results.board');
  });

  it('a PV figure (the board signature no longer holds for it)', async () => {
    const dir = tampered({ results: (r) => ({ ...r, constituencies: r.constituencies.map((pv, k) => (k === 0 ? { ...pv, inscrits: pv.inscrits + 1 } : pv)) }) });
    expect(await codes(dir)).toContain('board.signature');
  });
});

describe('the PV seal carries the board signature (results.md §2, v2)', () => {
  const results = (): Results => JSON.parse(readFileSync(join(folder, RECORD_FILES.results), 'utf8')) as Results;
  const recordFp = (): string => toHex(sha256(readFileSync(join(folder, RECORD_FILES.manifest))));
  const sealOf = (k = 0): string => pvSealOf(results(), recordFp(), results().constituencies[k]!);

  it('is v2, checks against the record as before, and against the board key alone', async () => {
    const seal = sealOf();
    expect(seal.startsWith('sceau:pv:2:')).toBe(true);
    const againstRecord = await checkPvSeal(folder, seal);
    expect(againstRecord.ok).toBe(true);
    const alone = checkPvSealWithBoardKey(seal, { key: c.boardKey! });
    expect(alone).toMatchObject({ ok: true, value: { pv: results().constituencies[0] } });
    // The key from the key ceremony's public-key.json, with the election's fingerprint.
    const file = join(fx.root, 'public-key.json');
    writeFileSync(file, JSON.stringify({ format: 'sceau/public-key/v1', fingerprint: toHex(c.fingerprint), boardKey: c.boardKey }));
    const given = await readBoardKeyGiven(file);
    expect(given).toMatchObject({ ok: true, value: { key: c.boardKey, fingerprint: toHex(c.fingerprint) } });
    expect(checkPvSealWithBoardKey(seal, (given as { value: { key: string } }).value).ok).toBe(true);
    expect(await readBoardKeyGiven(c.boardKey!.toUpperCase())).toMatchObject({ ok: true, value: { key: c.boardKey } });
  });

  it('refuses a figure altered, another board, another election, a v1 seal, an unreadable key: each in French and English', async () => {
    const seal = sealOf();
    const pv = results().constituencies[0]!;
    const figures = [pv.inscrits, pv.votants, pv.aVoteParInternet, pv.blancs, pv.nuls, pv.exprimes, ...pv.votes].join('.');
    const altered = seal.replace(`:${figures}:`, `:${[pv.inscrits + 1, ...figures.split('.').slice(1)].join('.')}:`);
    expect(altered).not.toBe(seal);
    const bad = checkPvSealWithBoardKey(altered, { key: c.boardKey! });
    expect(bad).toMatchObject({ ok: false, error: { code: 'seal.board-signature' } });
    expect(bad.ok ? '' : bad.error.message.fr).toContain('altérés');
    expect(bad.ok ? '' : bad.error.message.en).toContain('altered');
    // Against the record, the altered paper no longer has the record's PV.
    expect(await checkPvSeal(folder, altered)).toMatchObject({ ok: false, error: { code: 'seal.pv-mismatch' } });
    // Another key (the election key, a valid point): not this board's signature.
    const otherKey = c.electionKey;
    expect(checkPvSealWithBoardKey(seal, { key: otherKey })).toMatchObject({ ok: false, error: { code: 'seal.board-signature' } });
    expect(checkPvSealWithBoardKey(seal, { key: c.boardKey!, fingerprint: 'ab'.repeat(32) })).toMatchObject({ ok: false, error: { code: 'seal.other-election' } });
    const v1 = pvSealOf({ ...results(), board: undefined } as unknown as Results, recordFp(), pv);
    expect(v1.startsWith('sceau:pv:1:')).toBe(true);
    expect(checkPvSealWithBoardKey(v1, { key: c.boardKey! })).toMatchObject({ ok: false, error: { code: 'seal.board-missing' } });
    expect(await readBoardKeyGiven(join(fx.root, 'absent.json'))).toMatchObject({ ok: false, error: { code: 'seal.board-key' } });
    expect(await readBoardKeyGiven('12ab')).toMatchObject({ ok: false, error: { code: 'seal.board-key' } });
  });
});
