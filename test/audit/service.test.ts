/** The audit's part of the service: the projector's view follows the ceremony; verification jobs; the projector window. */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../../src/core/common/result.js';
import type { ApiValue, SceauApi } from '../../src/core/service/api.js';
import { createService } from '../../src/core/service/service.js';
import { VerifyJobs } from '../../src/core/audit/verify-job.js';
import { runDemo } from '../../src/core/simulation/demo.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { buildManifest, manifestText } from '../../src/core/election/record.js';
import { FakeTokens } from '../helpers/fake-tokens.js';
import { boardDefinition, tempFolder } from '../helpers/key-ceremony.js';
import { tempDir } from '../helpers/pipeline.js';

const inline = new VerifyJobs((dir, options) => verifyRecord(dir, { ...options, pool: new WorkerPool(0) }));

function service(extra: Partial<Parameters<typeof createService>[0]> = {}): SceauApi {
  return createService({
    transport: 'loopback',
    appRoot: '/nonexistent',
    version: '9.9.9',
    probe: async () => ({ offline: true, interfaces: [], source: 'fixture', checkedAt: '2026-11-23T10:00:00.000Z' }),
    measure: async () => ({ algorithm: 'SHA-256', digest: 'ab'.repeat(32), fileCount: 0, totalBytes: 0, files: [] }),
    drives: async () =>
      ok({
        drives: ['/media/a', '/media/b'].map((m) => ({ id: m, mountPoint: m, label: m, model: null, sizeBytes: 1e9, size: { fr: '1 Go', en: '1 GB' }, usable: true, test: true })),
        source: 'SCEAU_TEST_DRIVES',
        test: true,
      } as never),
    tokens: new FakeTokens(),
    verifyJobs: inline,
    ...extra,
  });
}

function value<T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

/** Fake tokens whose enrolment takes a moment, so the step in progress can be seen. */
class SlowTokens extends FakeTokens {
  override async create(...args: Parameters<FakeTokens['create']>) {
    await new Promise((r) => setTimeout(r, 300));
    return super.create(...args);
  }
}

describe('the projector follows the ceremony this session conducts', () => {
  it('shows nothing before any ceremony, then each step as the transcript grows, the step in progress and deviations', async () => {
    const api = service({ tokens: new SlowTokens() });
    expect(value(await api.auditCurrentCeremony({}))).toEqual({ ceremony: null, view: null, running: null, failure: null });
    const folder = tempFolder();
    const created = value(await api.keyCeremonyCreate({ folder, definition: JSON.parse(JSON.stringify(boardDefinition(2, 2))) }));
    let shown = value(await api.auditCurrentCeremony({}));
    expect(shown.ceremony).toBe('key');
    expect(shown.view!.head).toBe(created.head);
    expect(shown.view!.transcript.map((l) => l.type)).toEqual(['workstation.session', 'ceremony.opened']);
    expect(shown.view!.transcript[1]!.summary.fr).toContain('ouvre la cérémonie des clés');
    const enrol = (member: number, drive: string) => {
      const passphrase = `cheval agrafe pile correcte ${member} ${member}`;
      return api.keyCeremonyMemberStep({ folder, member, drive, passphrase, confirmation: passphrase, action: 'enrol' });
    };
    const pending = enrol(1, '/media/a');
    await new Promise((r) => setTimeout(r, 150));
    expect(value(await api.auditCurrentCeremony({})).running?.label).toEqual({ fr: 'Membre 1\u00a0: enrôlement du jeton', en: 'Member 1: token enrolment' });
    value(await pending);
    shown = value(await api.auditCurrentCeremony({}));
    expect(shown.running).toBeNull();
    expect(shown.view!.expected).toEqual([2]);
    value(await enrol(2, '/media/b'));
    // A refused step (a wrong passphrase) is recorded in the transcript and shown.
    const refused = await api.keyCeremonyMemberStep({ folder, member: 1, drive: '/media/a', passphrase: 'pas la bonne phrase', action: 'contribute' });
    expect(!refused.ok && refused.error.code).toBe('token.passphrase');
    shown = value(await api.auditCurrentCeremony({}));
    expect(shown.view!.phase).toBe('round1');
    expect(shown.view!.deviations.map((d) => d.member)).toEqual([1]);
    expect(shown.view!.transcript.at(-1)!.type).toBe('deviation');
    // Opening another folder that holds no ceremony does not take the projector away from this one.
    expect((await api.keyCeremonyOpen({ folder: tempFolder() })).ok).toBe(false);
    expect(value(await api.auditCurrentCeremony({})).view!.folder).toBe(folder);
  });
});

describe('the projector window', () => {
  it('is refused on loopback (the page opens a tab) and opened through the shell in Electron', async () => {
    const r = await service().openProjector({});
    expect(!r.ok && r.error.code).toBe('projector.unavailable');
    let opened = 0;
    expect(value(await service({ openProjector: () => void opened++ }).openProjector({}))).toEqual({ opened: true });
    expect(opened).toBe(1);
  });
});

describe('verification in the app', () => {
  const pool = new WorkerPool(0);
  afterAll(() => pool.close());
  let record: string;
  beforeAll(async () => {
    const root = tempDir('sceau-audit-verify-');
    record = join(root, 'record');
    const r = await runDemo({ voters: 8, constituencies: 1, candidates: 2, members: 2, threshold: 2 }, record, join(root, 'private'), { pool });
    if (!r.ok) throw new Error(r.error.message.en);
  }, 60_000);

  async function finished(api: SceauApi, job: string): Promise<ApiValue<'verifyStatus'>> {
    for (;;) {
      const s = value(await api.verifyStatus({ job }));
      if (s.state !== 'running') return s;
      expect(s.cancellable).toBe(false);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('runs the verifier as a job: the same report as `sceau verify`, the head and sessions, and a PDF', async () => {
    const api = service();
    const { job } = value(await api.verifyStart({ folder: record }));
    const s = await finished(api, job);
    expect(s.state).toBe('done');
    expect(s.report).toEqual(JSON.parse(JSON.stringify(await verifyRecord(record, { pool }))));
    expect(s.report!.ok).toBe(true);
    expect(s.phase).toBe('done');
    expect(s.keyCeremonyHead).toMatch(/^[0-9a-f]{64}$/);
    // A receipt looked up after the verification says the record verified (unchanged since).
    const receipt = JSON.parse(readFileSync(join(record, 'accepted.jsonl'), 'utf8').split('\n')[0]!).receipt as string;
    expect(value(await api.auditReceipt({ folder: record, receipt }))).toMatchObject({ status: 'accepted', counted: true, verification: { ok: true, recordFingerprint: s.report!.recordFingerprint } });
    const fresh = service({ verifyJobs: new VerifyJobs((dir, options) => verifyRecord(dir, { ...options, pool: new WorkerPool(0) })) });
    expect(value(await fresh.auditReceipt({ folder: record, receipt })).verification).toBeNull();
    // Its first 20 digits, a receipt of the first version's length, are refused as the old format.
    expect(await api.auditReceipt({ folder: record, receipt: receipt.slice(0, 24) })).toMatchObject({
      ok: false,
      error: { code: 'receipt.old-format', message: { fr: expect.stringContaining('ancien format'), en: expect.stringContaining('old format') } },
    });
    const pdf = value(await api.verifyReportPdf({ job }));
    expect(Buffer.from(pdf.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a tampered record fails with the same findings as the verifier', async () => {
    const dir = join(tempDir('sceau-audit-tamper-'), 'record');
    cpSync(record, dir, { recursive: true });
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    results.constituencies[0].votes[0] += 1;
    writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
    writeFileSync(join(dir, 'manifest.json'), manifestText(await buildManifest(dir)));
    const api = service();
    const s = await finished(api, value(await api.verifyStart({ folder: dir })).job);
    expect(s.report!.ok).toBe(false);
    const expected = await verifyRecord(dir, { pool });
    expect(s.report!.failures.map((f) => [f.code, f.where])).toEqual(expected.failures.map((f) => [f.code, f.where]));
    expect(s.report!.failures.map((f) => f.code)).toContain('count.mismatch');
    const receipt = JSON.parse(readFileSync(join(dir, 'accepted.jsonl'), 'utf8').split('\n')[0]!).receipt as string;
    expect(value(await api.auditReceipt({ folder: dir, receipt })).verification).toMatchObject({ ok: false });
    // Changed again after the verification: that verification no longer speaks for it.
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ ...results, members: results.members }, null, 2));
    writeFileSync(join(dir, 'manifest.json'), manifestText(await buildManifest(dir)));
    expect(value(await api.auditReceipt({ folder: dir, receipt })).verification).toBeNull();
  });

  it('refuses a relative or missing folder, an unknown job, and a report before the end', async () => {
    const api = service();
    expect((await api.verifyStart({ folder: 'record' })).ok).toBe(false);
    expect((await api.verifyStart({ folder: '/nonexistent/record' })).ok).toBe(false);
    const unknown = await api.verifyStatus({ job: '00000000-0000-0000-0000-000000000000' });
    expect(!unknown.ok && unknown.error.code).toBe('verify.job');
    const slow = service({ verifyJobs: new VerifyJobs(() => new Promise(() => {})) });
    const { job } = value(await slow.verifyStart({ folder: record }));
    const early = await slow.verifyReportPdf({ job });
    expect(!early.ok && early.error.code).toBe('verify.running');
  });
});
