/**
 * The tally through the service, called as the screens call it (dispatch, as the loopback server and the
 * IPC do): a whole ceremony after a real key ceremony with token files on (folder) drives, every answer
 * recorded as the JSON the page receives, and none of them may hold a passphrase, a key share or an
 * identity secret (docs/architecture.md "Where secrets are used": the renderer receives neither). Then the background steps:
 * a wrong passphrase named in `lastFailure`, cancel, one step at a time per folder.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tallyDriveTokens } from '../../src/core/ceremony/tally/drive-tokens.js';
import type { TallyTokenPort } from '../../src/core/ceremony/tally/types.js';
import { toHex } from '../../src/core/common/bytes.js';
import { scalarToHex } from '../../src/core/crypto/group.js';
import { RECORD_FILES } from '../../src/core/election/record.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import type { SceauApi, TallyScreenView } from '../../src/core/service/api.js';
import { transportClient } from '../helpers/service-client.js';
import { folderService } from '../helpers/folder-service.js';
import { folderKey } from '../../src/core/common/folder-lock.js';
import { etaSeconds } from '../../src/core/service/jobs.js';
import { openToken, tokenPath } from '../../src/core/token/index.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { expectTruth, newFolder, tallyFixture, type TallyFixture } from '../helpers/tally.js';
import { snapshot } from '../helpers/files.js';

let fx: TallyFixture;
let publish: string;
let exportDrive: string;
/** A drive holding the urn with its platform signature altered by one digit. */
let forged: string;
const pool = new WorkerPool(1);

beforeAll(async () => {
  fx = await tallyFixture(24, { 'bad-proof': 1, malformed: 1 });
  publish = join(fx.root, 'publication');
  exportDrive = join(fx.root, 'export');
  forged = join(fx.root, 'forged');
  for (const d of [publish, exportDrive, forged]) mkdirSync(d);
  const text = readFileSync(fx.urnPath, 'utf8');
  writeFileSync(
    join(forged, 'urn.jsonl'),
    text.replace(/"signature":"(.)/, (_m, c: string) => `"signature":"${c === '0' ? '1' : '0'}`),
  );
}, 90_000);
afterAll(async () => {
  await pool.close();
});

/** The service over the fixture's folder drives, with the given tally tokens (drive tokens, fast test KDF, by default). */
function service(tokens: TallyTokenPort = tallyDriveTokens({ policy: TEST_POLICY })): SceauApi {
  const mounts = [...fx.kc.drives, join(fx.root, 'urn-drive'), publish, exportDrive, forged];
  return folderService(fx.root, mounts, { tallyTokens: tokens, pool: () => pool });
}

/** Calls as the transports do, and keeps the JSON text of every answer the page would receive. */
function client(api: SceauApi) {
  const bugs: unknown[] = [];
  const { call, must, seen } = transportClient(api, (e) => bugs.push(e));
  /** Polls the view until the background step ends, as the page does. */
  async function settle(folder: string): Promise<TallyScreenView> {
    for (;;) {
      const v = await must('tallyView', { folder });
      if (v.running === null) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { call, must, settle, seen, bugs };
}

const drive = (j: number) => fx.kc.drives[j - 1]!;

/** Everything secret a member's token holds, as text that could appear in a JSON answer. */
async function secretsOf(j: number): Promise<string[]> {
  const text = readFileSync(tokenPath(drive(j), fx.kc.definition.id, j), 'utf8');
  const opened = await openToken(text, fx.kc.passphrase(j), { fingerprint: Buffer.from(fx.kc.fingerprint, 'hex'), member: j }, { policy: TEST_POLICY });
  if (!opened.ok) throw new Error(opened.error.message.en);
  const s = opened.value.secrets;
  const share = s.keyShareSecret!;
  return [fx.kc.passphrase(j), scalarToHex(share), share.toString(16), share.toString(10), toHex(s.identitySecretKey), scalarToHex(s.encryptionSecret)];
}

describe('the tally through the service, as the screens call it', () => {
  it('runs the whole script, and no answer ever holds a passphrase, a key share or an identity secret', async () => {
    const api = client(service());
    const folder = newFolder(fx);
    const created = await api.must('tallyCreate', { keyCeremonyFolder: fx.kc.folder, folder, shuffles: 2 });
    expect(created).toMatchObject({ phase: 'import', shuffles: 2, t: 3, running: null, lastFailure: null, results: null, receiptsPublished: null });
    expect(created.transcript.map((e) => e.type)).toEqual(['workstation.session', 'tally.open']);

    // Step 2: the urn listed on its drive, imported in the background.
    const urnDrive = join(fx.root, 'urn-drive');
    const files = await api.must('tallyListUrns', { drive: urnDrive });
    expect(files.map((f) => f.name)).toEqual(['urn.jsonl']);
    expect(await api.call('tallyImport', { folder, drive: urnDrive, file: '../kc/ceremonie/election.json' })).toMatchObject({ ok: false, error: { code: 'argument.invalid' } });
    expect(await api.call('tallyImport', { folder, drive: urnDrive, file: 'autre.jsonl' })).toMatchObject({ ok: false, error: { code: 'urn.file' } });
    const started = await api.must('tallyImport', { folder, drive: urnDrive, file: 'urn.jsonl' });
    expect(started.running).toMatchObject({ step: 'import', member: null });
    const imported = await api.settle(folder);
    expect(imported.lastFailure).toBeNull();
    expect(imported.phase).toBe('receipts');
    expect(imported.urn).toMatchObject({ accepted: fx.truth.accepted, ballotLines: fx.truth.ballotLines });

    // Step 3: a receipt typed in capitals with spaces is found; an unknown one is not; the list goes to a drive.
    const accepted = readFileSync(join(folder, RECORD_FILES.accepted), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { receipt: string; line: number });
    const typed = accepted[0]!.receipt.toUpperCase().replaceAll('-', ' ');
    expect(await api.must('tallyReceipt', { folder, receipt: typed })).toMatchObject({ status: 'accepted', line: accepted[0]!.line });
    expect(await api.must('tallyReceipt', { folder, receipt: '0000-0000-0000-0000-0000-0000-0000-0000' })).toMatchObject({ status: 'unknown' });
    // A code of the first version's length (20 hex digits) is refused, saying why, not looked up.
    expect(await api.call('tallyReceipt', { folder, receipt: accepted[0]!.receipt.slice(0, 24) })).toMatchObject({
      ok: false,
      error: { code: 'receipt.old-format', message: { fr: expect.stringContaining('ancien format'), en: expect.stringContaining('old format') } },
    });
    const published = await api.must('tallyPublishReceipts', { folder, drive: publish });
    expect(published.path).toBe(join(publish, `SCEAU-${fx.kc.definition.id}-recus.txt`));
    expect(readFileSync(published.path, 'utf8')).toBe(readFileSync(join(folder, 'receipts.txt'), 'utf8'));
    expect(published.count).toBe(fx.truth.accepted);
    expect(published.view.phase).toBe('shuffle');
    // Where the copy went stays in the view once the phase has moved on (the screen shows it in step 3).
    expect(published.view.receiptsPublished).toEqual({ path: published.path, count: fx.truth.accepted });

    // Step 4: the shuffles in the background, with their progress.
    expect((await api.must('tallyShuffle', { folder })).running).toMatchObject({ step: 'shuffle' });
    const shuffled = await api.settle(folder);
    expect(shuffled.phase).toBe('decryption');
    expect(shuffled.shuffled).toEqual({ done: 6, total: 6 });
    expect(shuffled.receiptsPublished).toEqual({ path: published.path, count: fx.truth.accepted });

    // Step 5: members 2, 4 and 5 (not the first three); member 4 first types a wrong passphrase.
    await api.must('tallyDecrypt', { folder, member: 4, drive: drive(4), passphrase: 'pas la bonne phrase du tout' });
    const refused = await api.settle(folder);
    expect(refused.lastFailure).toMatchObject({ step: 'decrypt', member: 4 });
    expect(refused.lastFailure!.failure.message.fr).toMatch(/membre 4\b/i);
    expect(refused.lastFailure!.failure.code).toBe('token.passphrase');
    expect(refused.members[3]).toMatchObject({ decrypted: false });
    expect(refused.members[3]!.refusals).toHaveLength(1);
    for (const j of [4, 2, 5]) {
      await api.must('tallyDecrypt', { folder, member: j, drive: drive(j), passphrase: fx.kc.passphrase(j) });
      const after = await api.settle(folder);
      expect(after.lastFailure, `member ${j}`).toBeNull();
      expect(after.members[j - 1]!.decrypted).toBe(true);
    }

    // Step 6: the count, equal to the simulator's ground truth, with the core's percentages.
    await api.must('tallyCount', { folder });
    const counted = await api.settle(folder);
    expect(counted.phase).toBe('signing');
    expectTruth(counted.results!, fx.truth);
    expect(counted.shares!.map((s) => s.constituency)).toEqual(['c001', 'c002', 'c003']);
    expect(counted.national!.votants).toBe(fx.truth.accepted);

    // Step 7 and 8: the signatures, the closing, the PDFs and the export.
    for (const j of [2, 4, 5]) await api.must('tallySign', { folder, member: j, drive: drive(j), passphrase: fx.kc.passphrase(j) });
    expect(await api.call('tallyPdf', { folder, document: 'c001' })).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    // Step 7b is required to close (the key ceremony made a board key): the closing is refused before it, saying why.
    const early = await api.call('tallyClose', { folder });
    expect(early).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(early.ok ? '' : early.error.message.fr).toContain('la signature du bureau (étape 7 b) manque');
    expect(early.ok ? '' : early.error.message.en).toContain('the board signature (step 7b) is missing');
    expect((await api.settle(folder)).phase).toBe('closing');
    for (const j of [2, 4, 5]) await api.must('tallyBoardCommit', { folder, member: j, drive: drive(j), passphrase: fx.kc.passphrase(j) });
    for (const j of [2, 4, 5]) await api.must('tallyBoardShare', { folder, member: j, drive: drive(j), passphrase: fx.kc.passphrase(j) });
    expect((await api.settle(folder)).board?.signed).toBe(true);
    const closed = await api.must('tallyClose', { folder });
    expect(closed.phase).toBe('closed');
    expect(closed.recordFingerprint).toMatch(/^[0-9a-f]{64}$/);
    const pv = await api.must('tallyPdf', { folder, document: 'c001' });
    expect(Buffer.from(pv.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(pv.fileName).toBe(`PV-${fx.kc.definition.id}-c001.pdf`);
    // The same record gives the same bytes (dated by the closing entry).
    expect((await api.must('tallyPdf', { folder, document: 'c001' })).pdfBase64).toBe(pv.pdfBase64);
    expect(
      Buffer.from((await api.must('tallyPdf', { folder, document: 'summary' })).pdfBase64, 'base64')
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect(await api.call('tallyPdf', { folder, document: 'c999' })).toMatchObject({ ok: false, error: { code: 'document.unknown' } });
    expect(await api.call('printPdf', { folder, document: 'c001' })).toMatchObject({ ok: false, error: { code: 'print.unavailable' } });

    const exported = await api.must('tallyExport', { folder, drive: exportDrive });
    expect(exported.path).toBe(join(exportDrive, `SCEAU-${fx.kc.definition.id}-resultats`));
    expect(readdirSync(exportDrive)).toEqual([`SCEAU-${fx.kc.definition.id}-resultats`]);
    const names = readdirSync(exported.path).sort();
    expect(names).toEqual([...['c001', 'c002', 'c003', 'recapitulatif'].map((d) => `PV-${fx.kc.definition.id}-${d}.pdf`), 'registre', 'results.csv', 'results.json'].sort());
    expect(readFileSync(join(exported.path, 'results.json'), 'utf8')).toBe(readFileSync(join(folder, RECORD_FILES.results), 'utf8'));
    expect(readFileSync(join(exported.path, 'registre', RECORD_FILES.manifest), 'utf8')).toBe(readFileSync(join(folder, RECORD_FILES.manifest), 'utf8'));
    // The exported copy is a complete record: it passes the verifier on its own.
    const verdict = await verifyRecord(join(exported.path, 'registre'), { pool });
    expect(verdict.failures).toEqual([]);
    expect(verdict.recordFingerprint).toBe(closed.recordFingerprint);
    // A second export makes a second folder, never over the first.
    expect((await api.must('tallyExport', { folder, drive: exportDrive })).path).toBe(join(exportDrive, `SCEAU-${fx.kc.definition.id}-resultats-2`));

    // The read paths write nothing: a closing interrupted before the manifest (its temporary file maybe
    // still being written by a closing) is left as it is; only a step holding the folder finishes it.
    rmSync(join(folder, RECORD_FILES.manifest));
    const temp = join(folder, `.${RECORD_FILES.manifest}.0123456789ab.tmp`);
    writeFileSync(temp, 'being written');
    const before = snapshot(folder);
    const reader = client(service());
    expect(await reader.must('tallyView', { folder })).toMatchObject({ phase: 'closed', recordFingerprint: null });
    expect(await reader.call('tallyPdf', { folder, document: 'c001' })).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(await reader.call('printPdf', { folder, document: 'c001' })).toMatchObject({ ok: false, error: { code: 'print.unavailable' } });
    expect(await reader.must('tallyReceipt', { folder, receipt: accepted[0]!.receipt })).toMatchObject({ status: 'accepted' });
    expect(snapshot(folder)).toEqual(before);
    expect((await reader.must('tallyOpen', { folder })).recordFingerprint).toBe(closed.recordFingerprint);
    expect(existsSync(temp)).toBe(false);

    // No answer, in the whole ceremony, held a secret.
    expect(api.bugs).toEqual([]);
    const everything = api.seen.join('\n');
    expect(api.seen.length).toBeGreaterThan(20);
    for (const j of [1, 2, 3, 4, 5]) {
      for (const secret of await secretsOf(j)) expect(everything.includes(secret), `a secret of member ${j} in an answer`).toBe(false);
    }
    // Nor any field named for one (the words may appear in messages: "Wrong passphrase").
    expect(everything).not.toMatch(/"(passphrase|keyShare|keyShareSecret|secret|secretKey|identitySecret|identitySecretKey|encryptionSecret)":/i);
  }, 180_000);
});

/** Tokens that wait, before opening, until the test lets them: a decryption held in progress. */
function heldTokens(): { port: TallyTokenPort; release: () => void; reached: Promise<void> } {
  const real = tallyDriveTokens({ policy: TEST_POLICY });
  let release!: () => void;
  let arrive!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const reached = new Promise<void>((r) => (arrive = r));
  return {
    port: {
      open: async (at, passphrase, expect) => {
        arrive();
        await gate;
        return real.open(at, passphrase, expect);
      },
      keepBoardNonces: real.keepBoardNonces,
    },
    release,
    reached,
  };
}

/** A tally advanced to its decryption step through the service. */
async function atDecryption(api: ReturnType<typeof client>): Promise<string> {
  const folder = newFolder(fx);
  await api.must('tallyCreate', { keyCeremonyFolder: fx.kc.folder, folder, shuffles: 1 });
  await api.must('tallyImport', { folder, drive: join(fx.root, 'urn-drive'), file: 'urn.jsonl' });
  await api.settle(folder);
  await api.must('tallyPublishReceipts', { folder, drive: publish });
  await api.must('tallyShuffle', { folder });
  expect((await api.settle(folder)).phase).toBe('decryption');
  return folder;
}

describe('background steps', () => {
  it('one step at a time per folder; Cancel stops a decryption, which records nothing', async () => {
    const held = heldTokens();
    const api = client(service(held.port));
    const folder = await atDecryption(api);
    const started = await api.must('tallyDecrypt', { folder, member: 1, drive: drive(1), passphrase: fx.kc.passphrase(1) });
    expect(started.running).toMatchObject({ step: 'decrypt', member: 1, done: null });
    await held.reached;
    // While it runs: any other step on the folder is refused, saying which one runs; the view follows it.
    for (const [method, argument] of [
      ['tallyDecrypt', { folder, member: 2, drive: drive(2), passphrase: fx.kc.passphrase(2) }],
      ['tallyCount', { folder }],
      ['tallySign', { folder, member: 1, drive: drive(1), passphrase: fx.kc.passphrase(1) }],
      ['tallyClose', { folder }],
    ] as const) {
      const r = await api.call(method, argument);
      expect(r, method).toMatchObject({ ok: false, error: { code: 'tally.busy' } });
      if (!r.ok) expect(r.error.message.fr).toMatch(/membre 1/);
    }
    expect((await api.must('tallyView', { folder })).running).toMatchObject({ step: 'decrypt' });
    // The projector follows the tally this session conducts, with the step running.
    const projected = await api.must('auditCurrentCeremony', {});
    expect(projected).toMatchObject({ ceremony: 'tally', view: null, running: { label: { fr: 'Déchiffrement partiel — membre 1' } } });
    expect(projected.tally).toMatchObject({ folder, phase: 'decryption', running: { step: 'decrypt', member: 1 } });
    expect((await api.must('tallyCancel', { folder })).running).not.toBeNull();
    held.release();
    const after = await api.settle(folder);
    expect(after.lastFailure).toMatchObject({ step: 'decrypt', member: 1, failure: { code: 'cancelled' } });
    expect(after.members[0]).toMatchObject({ decrypted: false, refusals: [] });
    expect(after.transcript.map((e) => e.type)).not.toContain('tally.decryption');
    expect(existsSync(join(folder, '.tally-work', 'c001.partial-1.json'))).toBe(false);
    expect(await api.call('tallyCancel', { folder })).toMatchObject({ ok: false, error: { code: 'tally.no-step' } });
    // Free again: the same member decrypts; the failure shown is cleared by the next step.
    await api.must('tallyDecrypt', { folder, member: 1, drive: drive(1), passphrase: fx.kc.passphrase(1) });
    const done = await api.settle(folder);
    expect(done.lastFailure).toBeNull();
    expect(done.members[0]!.decrypted).toBe(true);
  }, 120_000);

  it('an urn whose platform signature is broken is refused with the reason, recorded, and the step stays blocked', async () => {
    const api = client(service());
    const folder = newFolder(fx);
    await api.must('tallyCreate', { keyCeremonyFolder: fx.kc.folder, folder });
    await api.must('tallyImport', { folder, drive: forged, file: 'urn.jsonl' });
    const refused = await api.settle(folder);
    expect(refused.phase).toBe('import');
    expect(refused.lastFailure).toMatchObject({ step: 'import', member: null });
    expect(refused.lastFailure!.failure.code).toMatch(/signature/);
    expect(refused.deviations).toMatchObject([{ kind: 'import-refused', member: null }]);
    expect(refused.urn).toBeNull();
    expect(await api.call('tallyPublishReceipts', { folder, drive: publish })).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(await api.call('tallyShuffle', { folder })).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    // The authentic urn is then accepted.
    await api.must('tallyImport', { folder, drive: join(fx.root, 'urn-drive'), file: 'urn.jsonl' });
    expect(await api.settle(folder)).toMatchObject({ phase: 'receipts', lastFailure: null });
  }, 60_000);

  it('refuses, before anything starts, a drive not listed, an unknown member and relative paths', async () => {
    const api = client(service());
    const folder = newFolder(fx);
    await api.must('tallyCreate', { keyCeremonyFolder: fx.kc.folder, folder });
    expect(await api.call('tallyImport', { folder, drive: join(fx.root, 'nowhere'), file: 'urn.jsonl' })).toMatchObject({ ok: false, error: { code: 'drive.unknown' } });
    expect(await api.call('tallyListUrns', { drive: join(fx.root, 'nowhere') })).toMatchObject({ ok: false, error: { code: 'drive.unknown' } });
    expect(await api.call('tallyDecrypt', { folder, member: 9, drive: drive(1), passphrase: 'x' })).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(await api.call('tallyOpen', { folder: 'relatif/dossier' })).toMatchObject({ ok: false, error: { code: 'argument.invalid' } });
    expect(await api.call('tallyCreate', { keyCeremonyFolder: fx.kc.folder, folder: newFolder(fx), shuffles: 6 })).toMatchObject({ ok: false, error: { code: 'argument.invalid' } });
    expect(await api.call('tallyReceipt', { folder, receipt: 'abcd' })).toMatchObject({ ok: false, error: { code: 'receipt.not-yet' } });
    expect(await api.call('tallyExport', { folder, drive: exportDrive })).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    // Nothing of these refusals reached the transcript.
    expect((await api.must('tallyView', { folder })).transcript).toHaveLength(2);
  }, 60_000);
});

describe('one folder, whatever its spelling', () => {
  it('a step through a symlink while a step runs through the real path is refused busy; view and cancel follow the same step', async () => {
    const held = heldTokens();
    const api = client(service(held.port));
    const folder = await atDecryption(api);
    const link = join(fx.root, `lien-${Math.random().toString(36).slice(2)}`);
    symlinkSync(folder, link);
    await api.must('tallyDecrypt', { folder, member: 1, drive: drive(1), passphrase: fx.kc.passphrase(1) });
    await held.reached;
    for (const [method, argument] of [
      ['tallyDecrypt', { folder: link, member: 2, drive: drive(2), passphrase: fx.kc.passphrase(2) }],
      ['tallyCount', { folder: link }],
      ['tallyClose', { folder: link }],
      ['tallyExport', { folder: link, drive: exportDrive }],
    ] as const) {
      const r = await api.call(method, argument);
      expect(r, method).toMatchObject({ ok: false, error: { code: 'tally.busy' } });
    }
    expect((await api.must('tallyView', { folder: link })).running).toMatchObject({ step: 'decrypt', member: 1 });
    expect((await api.must('tallyOpen', { folder: link })).running).toMatchObject({ step: 'decrypt', member: 1 });
    // Cancelled through the link: it is the one step running on the folder.
    expect((await api.must('tallyCancel', { folder: link })).running).not.toBeNull();
    held.release();
    const after = await api.settle(folder);
    expect(after.lastFailure).toMatchObject({ step: 'decrypt', member: 1, failure: { code: 'cancelled' } });
    expect(after.transcript.map((e) => e.type)).not.toContain('tally.decryption');
    expect(api.bugs).toEqual([]);
  }, 120_000);

  it("a folder not made yet is keyed by its parent's real path: the same through a symlinked parent", async () => {
    const parent = join(fx.root, `parent-${Math.random().toString(36).slice(2)}`);
    mkdirSync(parent);
    const link = `${parent}-lien`;
    symlinkSync(parent, link);
    expect(await folderKey(join(link, 'a', 'b'))).toBe(await folderKey(join(parent, 'a', 'b')));
    expect(await folderKey(join(link, 'a', '..', 'c'))).toBe(await folderKey(join(parent, 'c')));
    mkdirSync(join(parent, 'c'));
    expect(await folderKey(join(link, 'c'))).toBe(await folderKey(join(parent, 'c')));
  });
});

describe('the receipt look-up', () => {
  it('answers only once tally.import is recorded: the lists of an import stopped before its entry are refused, in both languages', async () => {
    const api = client(service());
    const done = newFolder(fx);
    await api.must('tallyCreate', { keyCeremonyFolder: fx.kc.folder, folder: done });
    await api.must('tallyImport', { folder: done, drive: join(fx.root, 'urn-drive'), file: 'urn.jsonl' });
    expect((await api.settle(done)).phase).toBe('receipts');
    const receipt = (JSON.parse(readFileSync(join(done, RECORD_FILES.accepted), 'utf8').split('\n')[0]!) as { receipt: string }).receipt;
    expect(await api.must('tallyReceipt', { folder: done, receipt })).toMatchObject({ status: 'accepted' });

    // The same lists in a tally whose transcript has no tally.import (an import that stopped in between).
    const folder = newFolder(fx);
    await api.must('tallyCreate', { keyCeremonyFolder: fx.kc.folder, folder });
    for (const name of [RECORD_FILES.urn, RECORD_FILES.accepted, RECORD_FILES.rejected]) copyFileSync(join(done, name), join(folder, name));
    const notYet = { ok: false, error: { code: 'receipt.not-yet', message: { fr: expect.stringMatching(/pas encore importée/), en: expect.stringMatching(/not imported yet/) } } };
    // From this session's view, and from a new session that reads the transcript (read-only) again.
    expect(await api.call('tallyReceipt', { folder, receipt })).toMatchObject(notYet);
    const fresh = client(service());
    expect(await fresh.call('tallyReceipt', { folder, receipt })).toMatchObject(notYet);
    expect((await fresh.must('tallyView', { folder })).transcript.map((e) => e.type)).toEqual(['workstation.session', 'tally.open']);
  }, 60_000);
});

describe('time left', () => {
  it('is estimated from the rate since the first progress report, and not before half a second of it', () => {
    expect(etaSeconds(null, null, 100)).toBeNull();
    expect(etaSeconds({ at: 0, done: 0 }, { at: 200, done: 50 }, 100)).toBeNull();
    expect(etaSeconds({ at: 0, done: 10 }, { at: 2000, done: 30 }, 110)).toBe(8);
    expect(etaSeconds({ at: 0, done: 10 }, { at: 2000, done: 10 }, 110)).toBeNull();
    expect(etaSeconds({ at: 0, done: 0 }, { at: 1000, done: 100 }, 100)).toBe(0);
  });
});
