/**
 * The ceremony with real token files on (folder) drives, through the service API as the screens call it;
 * then every kind of backup and restore. The fast test KDF profile keeps it quick; the production
 * parameters are tested in test/token.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderService } from '../helpers/folder-service.js';
import type { KeyCeremonyMemberAction, SceauApi } from '../../src/core/service/api.js';
import { driveTokens } from '../../src/core/ceremony/key/drive-tokens.js';
import { verifyKeyCeremonyFolder } from '../../src/core/ceremony/key/verify.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { openToken, tokenPath } from '../../src/core/token/index.js';
import { definitionFingerprint, parseDefinitionText } from '../../src/core/election/definition.js';
import type { Result } from '../../src/core/common/result.js';
import { boardDefinition } from '../helpers/key-ceremony.js';

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

const root = mkdtempSync(join(tmpdir(), 'sceau-drive-tokens-'));
const drive = (name: string) => {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
};
const drives = ['t1', 't2', 't3', 'backup', 'paper', 'cards'].map(drive);
const folder = join(root, 'ceremony');
const pass = (j: number) => `une phrase assez longue numéro ${j} !`;

function service(): SceauApi {
  return folderService(root, drives, { tokens: driveTokens({ policy: TEST_POLICY }) });
}

describe('key ceremony through the service, with token files on drives', () => {
  const api = service();
  const stepAll = async (action: KeyCeremonyMemberAction) => {
    for (const j of [1, 2, 3])
      must(await api.keyCeremonyMemberStep({ folder, member: j, drive: drives[j - 1]!, passphrase: pass(j), action, ...(action === 'enrol' ? { confirmation: pass(j) } : {}) }));
  };

  it('runs 2-of-3 to the end and never lets a secret into a view', async () => {
    must(await api.keyCeremonyCreate({ folder, definition: boardDefinition(3, 2) }));
    // A passphrase too weak, or typed differently twice, is refused before any token is written.
    expect(await api.keyCeremonyMemberStep({ folder, member: 1, drive: drives[0]!, passphrase: 'court', confirmation: 'court', action: 'enrol' })).toMatchObject({
      ok: false,
      error: { code: 'passphrase.short' },
    });
    expect(await api.keyCeremonyMemberStep({ folder, member: 1, drive: drives[0]!, passphrase: pass(1), confirmation: pass(2), action: 'enrol' })).toMatchObject({
      ok: false,
      error: { code: 'passphrase.mismatch' },
    });
    must(await api.keyCeremonyMemberStep({ folder, member: 1, drive: drives[0]!, passphrase: pass(1), confirmation: pass(1), action: 'enrol' }));
    // One drive, one member: member 2 cannot put their token on member 1's drive.
    expect(await api.keyCeremonyMemberStep({ folder, member: 2, drive: drives[0]!, passphrase: pass(2), confirmation: pass(2), action: 'enrol' })).toMatchObject({
      ok: false,
      error: { code: 'token.drive-taken' },
    });
    for (const j of [2, 3]) must(await api.keyCeremonyMemberStep({ folder, member: j, drive: drives[j - 1]!, passphrase: pass(j), confirmation: pass(j), action: 'enrol' }));
    // Member 2's token offered for member 1's step: refused with the reason, naming the token's owner.
    expect(await api.keyCeremonyMemberStep({ folder, member: 1, drive: drives[1]!, passphrase: pass(2), action: 'contribute' })).toMatchObject({ ok: false });
    await stepAll('contribute');
    await stepAll('check');
    must(await api.keyCeremonyPublishResult({ folder }));
    await stepAll('seal');
    await stepAll('confirm');
    const view = must(await api.keyCeremonyClose({ folder }));
    expect(view.phase).toBe('closed');
    expect((await verifyKeyCeremonyFolder(folder)).failures).toEqual([]);
    const everything = JSON.stringify(view);
    for (const j of [1, 2, 3]) expect(everything).not.toContain(pass(j));
    // No secret field, whatever its name, ever appears in what the screens receive.
    expect(everything).not.toMatch(/secret|share"|passphrase/i);
  });

  it('backs a token up to a second drive, on paper and as 2-of-3 cards, and restores each', async () => {
    const def = parseDefinitionText(readFileSync(join(folder, 'election.json'), 'utf8'));
    const fp = definitionFingerprint(must(def));
    const id = must(def).id;
    const member1 = { folder, member: 1, drive: drives[0]! };
    const original = readFileSync(tokenPath(drives[0]!, id, 1), 'utf8');

    must(await api.tokenBackupToDrive({ ...member1, backupDrive: drives[3]! }));
    expect(readFileSync(tokenPath(drives[3]!, id, 1), 'utf8')).toBe(original);
    expect(await api.tokenBackupToDrive({ ...member1, backupDrive: join(root, 'not-a-drive') })).toMatchObject({ ok: false, error: { code: 'drive.unknown' } });

    const paper = must(await api.tokenPaperBackup(member1));
    expect(Buffer.from(paper.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    // The restore reads what a scanner types: here the payloads, rebuilt from the token as the PDF holds them.
    const { paperBackup } = await import('../../src/core/token/index.js');
    const payloads = must(paperBackup(original));
    expect(payloads).toHaveLength(paper.codes);
    expect(await api.tokenRestore({ folder, member: 1, drive: drives[4]!, lines: payloads.slice(1) })).toMatchObject({ ok: false, error: { code: 'paper.chunk.missing' } });
    must(await api.tokenRestore({ folder, member: 1, drive: drives[4]!, lines: [...payloads].reverse() }));
    expect(readFileSync(tokenPath(drives[4]!, id, 1), 'utf8')).toBe(original);
    // A restore never replaces a token already on the drive.
    expect(await api.tokenRestore({ folder, member: 1, drive: drives[4]!, lines: payloads })).toMatchObject({ ok: false, error: { code: 'token.exists' } });
    const opened = await openToken(readFileSync(tokenPath(drives[4]!, id, 1), 'utf8'), pass(1), { fingerprint: fp, member: 1 }, { policy: TEST_POLICY });
    expect(opened.ok).toBe(true);

    const cards = must(await api.tokenSplitBackup({ ...member1, k: 2, m: 3 }));
    expect(cards.cards).toBe(3);
    const { splitTokenIntoCards } = await import('../../src/core/token/index.js');
    const lines = must(await splitTokenIntoCards(original, 2, 3));
    expect(await api.tokenRestore({ folder, member: 1, drive: drives[5]!, lines: [lines[0]!] })).toMatchObject({ ok: false, error: { code: 'card.missing' } });
    must(await api.tokenRestore({ folder, member: 1, drive: drives[5]!, lines: [lines[2]!, lines[0]!] }));
    expect(readFileSync(tokenPath(drives[5]!, id, 1), 'utf8')).toBe(original);
  });
});
