/**
 * The app's paper check (docs/audit.md §5.1, `auditPaper`): the seal's text and the board key, as 64 hex digits
 * or the absolute path of public-key.json (a relative path is refused: it would depend on where the app runs);
 * a PV's paper and the summary's with its PVs, each accepted, and refused once altered.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPaper } from '../../src/core/audit/paper.js';
import { pvSealOf, resultsSealOf } from '../../src/core/election/pv-seal.js';
import { dkg, seededRng } from '../core/frost-helpers.js';
import { tempDir } from '../helpers/pipeline.js';
import { sealedRecord, type SealedRecord } from '../helpers/sealed-record.js';

let rec: SealedRecord;
let pvs: string[];
let keyFile: string;

beforeAll(async () => {
  rec = await sealedRecord({ constituencies: 2, board: dkg({ t: 3, n: 5 }, seededRng('paper')) });
  pvs = rec.results.constituencies.map((pv) => pvSealOf(rec.results, rec.recordFingerprint, pv));
  keyFile = join(tempDir('sceau-paper-'), 'public-key.json');
  const publicKey = { format: 'sceau/public-key/v1', election: rec.definition.id, fingerprint: rec.results.election, boardKey: rec.results.board!.key };
  writeFileSync(keyFile, JSON.stringify(publicKey));
});

const code = (r: { ok: boolean; error?: { code: string } }): string => (r.ok ? 'ok' : r.error!.code);

describe('checkPaper', () => {
  it("a PV's paper with the key's hex: what the paper says", async () => {
    const r = await checkPaper({ seal: ` ${pvs[0]!}\n`, boardKey: rec.results.board!.key.toUpperCase() });
    expect(r).toEqual({ ok: true, value: { kind: 'pv', electionId: null, election: rec.results.election, record: rec.recordFingerprint, pv: rec.results.constituencies[0] } });
  });

  it("with public-key.json: the election's id too; a relative path or an unreadable file is refused", async () => {
    const r = await checkPaper({ seal: pvs[1]!, boardKey: keyFile });
    expect(r.ok && r.value.electionId).toBe(rec.definition.id);
    const relative = await checkPaper({ seal: pvs[1]!, boardKey: 'public-key.json' });
    expect(code(relative)).toBe('seal.board-key');
    expect(!relative.ok && relative.error.message.fr).toMatch(/^Clé du bureau illisible/);
    expect(!relative.ok && relative.error.message.en).toMatch(/^Unreadable board key/);
    expect(code(await checkPaper({ seal: pvs[1]!, boardKey: '' }))).toBe('seal.board-key');
    expect(code(await checkPaper({ seal: pvs[1]!, boardKey: join(keyFile, '..', 'absent.json') }))).toBe('seal.board-key');
  });

  it('a figure altered on the paper: seal.board-signature', async () => {
    const f = pvs[0]!.split(':');
    f[6] = f[6]!.replace(/^\d+/, (n) => String(Number(n) + 1));
    expect(code(await checkPaper({ seal: f.join(':'), boardKey: keyFile }))).toBe('seal.board-signature');
  });

  it("the summary's paper: with its PVs in order, not without them", async () => {
    const summary = resultsSealOf(rec.results, rec.recordFingerprint, rec.resultsSha256);
    expect(await checkPaper({ seal: summary, boardKey: keyFile, pvs })).toMatchObject({ ok: true, value: { kind: 'results', pvCount: 2, electionId: rec.definition.id } });
    expect(code(await checkPaper({ seal: summary, boardKey: keyFile }))).toBe('seal.pv-hashes');
    expect(code(await checkPaper({ seal: summary, boardKey: keyFile, pvs: [...pvs].reverse() }))).toBe('seal.pv-list');
  });
});
