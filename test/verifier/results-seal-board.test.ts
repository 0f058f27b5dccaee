/**
 * The results' seal with the board's signature (docs/results.md §3, version 2): printed on the summary
 * when results.json carries the board's FROST signatures, read back from the PDF by zbar, checked against
 * the record, and against the board key with the PVs' hashes (`sceau verify --seal … --board-key … --pvs …`).
 * Each field altered is refused, with its code and a message in French and English.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { toHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import { parseResultsSeal, pvSealOf, pvSha256, resultsSealOf } from '../../src/core/election/pv-seal.js';
import { summaryPdf } from '../../src/core/report/pv.js';
import { recordAnnex } from '../../src/core/report/annex-pdf.js';
import { checkResultsSealWithBoardKey, type BoardKeyGiven } from '../../src/core/verifier/seal-board.js';
import { checkResultsSeal } from '../../src/core/verifier/seal-check.js';
import { readResultsSeal } from '../../src/core/verifier/seal-text.js';
import { whereInWords, whereStepsRan } from '../../src/core/verifier/where.js';
import { capture } from '../helpers/console.js';
import { readQrCodes } from '../helpers/pdf.js';
import { tempDir } from '../helpers/pipeline.js';
import { sealedRecord, type SealedRecord } from '../helpers/sealed-record.js';
import { dkg, seededRng } from '../core/frost-helpers.js';

let rec: SealedRecord;
let seal: string;
let pvSeals: string[];
let key: BoardKeyGiven;

beforeAll(async () => {
  const board = dkg({ t: 3, n: 5 }, seededRng('results-seal'));
  rec = await sealedRecord({ constituencies: 3, board });
  seal = resultsSealOf(rec.results, rec.recordFingerprint, rec.resultsSha256);
  pvSeals = rec.results.constituencies.map((pv) => pvSealOf(rec.results, rec.recordFingerprint, pv));
  key = { key: rec.results.board!.key, fingerprint: rec.results.election };
});

afterEach(() => vi.restoreAllMocks());

const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code);

/** The seal's fields after `sceau:results:2:`: FP, RFP, RSH, N, PLH, BSIG. */
function withField(i: number, value: string): string {
  const f = seal.split(':');
  f[3 + i] = value;
  return f.join(':');
}

/** One hex digit changed (the first), in upper case as printed. */
const flip = (hex: string): string => (hex[0] === 'A' ? 'B' : 'A') + hex.slice(1);

/** A refusal with its code and a message in both languages, French first. */
function refused(r: Result<unknown>, expected: string): void {
  expect(code(r)).toBe(expected);
  if (r.ok) return;
  expect(r.error.message.fr.length).toBeGreaterThan(20);
  expect(r.error.message.en.length).toBeGreaterThan(20);
  expect(r.error.message.fr).not.toBe(r.error.message.en);
}

describe('the results seal, version 2', () => {
  it('is written when the board signed, and both readers read the same fields', () => {
    expect(seal.startsWith('sceau:results:2:')).toBe(true);
    const f = seal.split(':');
    expect(f).toHaveLength(9);
    expect(f[6]).toBe('3');
    expect(f[8]).toBe(rec.results.board!.results.toUpperCase());
    // PLH as docs/results.md §3 has it computed by hand: the PVHs' hex joined, read as bytes, hashed (`xxd -r -p | sha256sum`).
    const joined = Buffer.from(rec.results.constituencies.map(pvSha256).join(''), 'hex');
    expect(f[7]).toBe(createHash('sha256').update(joined).digest('hex').toUpperCase());
    const read = readResultsSeal(seal);
    expect(read).toEqual(parseResultsSeal(seal));
    expect(read.ok && read.value.board?.signature).toBe(rec.results.board!.results);
    // Without the board's signatures, the summary keeps the version-1 seal.
    const { board: _b, ...withoutBoard } = rec.results;
    expect(resultsSealOf(withoutBoard, rec.recordFingerprint, rec.resultsSha256).startsWith('sceau:results:1:')).toBe(true);
  });

  it('checks against the record; each field altered is refused', async () => {
    expect(code(await checkResultsSeal(rec.dir, seal))).toBe('ok');
    refused(await checkResultsSeal(rec.dir, withField(0, flip(seal.split(':')[3]!))), 'seal.other-election');
    refused(await checkResultsSeal(rec.dir, withField(1, flip(seal.split(':')[4]!))), 'seal.other-record');
    refused(await checkResultsSeal(rec.dir, withField(2, flip(seal.split(':')[5]!))), 'seal.results-mismatch');
    refused(await checkResultsSeal(rec.dir, withField(3, '4')), 'seal.board-signature');
    refused(await checkResultsSeal(rec.dir, withField(4, flip(seal.split(':')[7]!))), 'seal.board-signature');
    refused(await checkResultsSeal(rec.dir, withField(5, flip(seal.split(':')[8]!))), 'seal.board-signature');
  });

  it('checks against the board key and the PVs, given as their seals or their hashes', () => {
    expect(checkResultsSealWithBoardKey(seal, key, pvSeals)).toEqual({
      ok: true,
      value: { election: rec.results.election, record: rec.recordFingerprint, resultsSha256: rec.resultsSha256, pvCount: 3 },
    });
    expect(code(checkResultsSealWithBoardKey(seal, { key: key.key }, rec.results.constituencies.map(pvSha256)))).toBe('ok');
  });

  it('says what it cannot check without the PVs, and refuses PVs missing, out of order or altered', () => {
    const none = checkResultsSealWithBoardKey(seal, key, []);
    refused(none, 'seal.pv-hashes');
    expect(!none.ok && none.error.message.fr).toMatch(/3 procès-verbaux/);
    refused(checkResultsSealWithBoardKey(seal, key, pvSeals.slice(0, 2)), 'seal.pv-list');
    refused(checkResultsSealWithBoardKey(seal, key, [pvSeals[1]!, pvSeals[0]!, pvSeals[2]!]), 'seal.pv-list');
    const pv = rec.results.constituencies[1]!;
    const altered = pvSealOf(rec.results, rec.recordFingerprint, { ...pv, nuls: pv.nuls + 1 });
    refused(checkResultsSealWithBoardKey(seal, key, [pvSeals[0]!, altered, pvSeals[2]!]), 'seal.pv-list');
    refused(checkResultsSealWithBoardKey(seal, key, [pvSeals[0]!, 'pas un sceau', pvSeals[2]!]), 'seal.pv-list');
  });

  it('refuses each field altered, another key, another election, and a version-1 seal', () => {
    const f = seal.split(':');
    refused(checkResultsSealWithBoardKey(withField(0, flip(f[3]!)), key, pvSeals), 'seal.other-election');
    refused(checkResultsSealWithBoardKey(withField(0, flip(f[3]!)), { key: key.key }, pvSeals), 'seal.other-election');
    refused(checkResultsSealWithBoardKey(withField(3, '4'), key, pvSeals), 'seal.pv-list');
    refused(checkResultsSealWithBoardKey(withField(4, flip(f[7]!)), key, pvSeals), 'seal.pv-list');
    refused(checkResultsSealWithBoardKey(withField(5, flip(f[8]!)), key, pvSeals), 'seal.board-signature');
    const other = dkg({ t: 3, n: 5 }, seededRng('another board'));
    refused(checkResultsSealWithBoardKey(seal, { key: toHex(other.group.groupKey) }, pvSeals), 'seal.board-signature');
    refused(checkResultsSealWithBoardKey(`sceau:results:1:${f.slice(3, 6).join(':')}`, key, pvSeals), 'seal.board-missing');
    refused(checkResultsSealWithBoardKey(seal.slice(0, -3), key, pvSeals), 'seal.truncated');
  });

  it('is the QR code of the summary PDF (zbar)', async () => {
    const members = rec.definition.board.members.filter((m) => rec.results.members.includes(m.index));
    const bytes = await summaryPdf({
      definition: rec.definition,
      results: rec.results,
      recordFingerprint: rec.recordFingerprint,
      resultsSha256: rec.resultsSha256,
      members,
      where: whereInWords(whereStepsRan([], [])),
      rehearsal: false,
      generatedAt: new Date('2021-05-26T20:00:00Z'),
      annex: recordAnnex({ keyCeremony: [], tally: [], board: [] }),
    });
    const path = join(tempDir('sceau-results-seal-'), 'summary.pdf');
    writeFileSync(path, bytes);
    expect(readQrCodes(path)).toEqual([seal]);
  }, 60_000);

  it('sceau verify --seal … --board-key … --pvs …: 0 when it holds, 1 with the reason otherwise', async () => {
    let io = capture();
    expect(await main(['verify', '--seal', seal, '--board-key', key.key, '--pvs', pvSeals.join(' ')])).toBe(0);
    expect(io.out()).toMatch(/Récapitulatif signé par le bureau/);
    vi.restoreAllMocks();
    const list = join(tempDir('sceau-pvs-'), 'pvs.txt');
    writeFileSync(list, `${pvSeals.join('\n')}\n`);
    io = capture();
    expect(await main(['verify', '--seal', seal, '--board-key', key.key, '--pvs', list, '--lang', 'en'])).toBe(0);
    expect(io.out()).toMatch(/Summary signed by the board/);
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['verify', '--seal', seal, '--board-key', key.key, '--lang', 'en'])).toBe(1);
    expect(io.out()).toMatch(/\[seal\.pv-hashes\] The board signed the list of the hashes of the 3 PVs/);
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['verify', '--seal', withField(5, flip(seal.split(':')[8]!)), '--board-key', key.key, '--pvs', pvSeals.join(' ')])).toBe(1);
    expect(io.out()).toMatch(/\[seal\.board-signature\]/);
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['verify', rec.dir, '--seal', seal, '--pvs', pvSeals.join(' ')])).toBe(2);
    expect(io.err()).toMatch(/--pvs va avec --seal sceau:results:2:… et --board-key/);
  });
});
