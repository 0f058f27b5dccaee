import { mkdtemp, readdir, readFile, rm, writeFile, copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findDuplicateTokens, listTokens, readToken, tokenPath, writeBackupToken, writeToken } from '../../src/core/token/index.js';
import { expectFailure, makeToken } from '../helpers/tokens.js';

type Hook = ((path: string) => void | Promise<void>) | undefined;
const faults = vi.hoisted(() => ({
  mkdir: undefined as Hook,
  open: undefined as Hook,
  write: undefined as Hook,
  rename: undefined as Hook,
  readFile: undefined as ((path: string) => string | undefined) | undefined,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    mkdir: async (...args: Parameters<typeof real.mkdir>) => {
      await faults.mkdir?.(String(args[0]));
      return real.mkdir(...args);
    },
    open: async (...args: Parameters<typeof real.open>) => {
      await faults.open?.(String(args[0]));
      const fd = await real.open(...args);
      const write = faults.write;
      if (write === undefined) return fd;
      return new Proxy(fd, {
        get(target, prop) {
          if (prop === 'writeFile') return async () => write(String(args[0]));
          const v = Reflect.get(target, prop) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
    },
    rename: async (...args: Parameters<typeof real.rename>) => {
      await faults.rename?.(String(args[0]));
      return real.rename(...args);
    },
    readFile: async (...args: Parameters<typeof real.readFile>) => {
      const forged = faults.readFile?.(String(args[0]));
      if (forged !== undefined) return typeof args[1] === 'string' ? forged : Buffer.from(forged);
      return real.readFile(...args);
    },
  };
});

const errno = (code: string) => Object.assign(new Error(`${code}: simulated, open 'x'`), { code });

let root: string;
let stick: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sceau-token-'));
  stick = join(root, 'stick');
  await mkdir(stick);
});
afterEach(async () => {
  Object.assign(faults, { mkdir: undefined, open: undefined, write: undefined, rename: undefined, readFile: undefined });
  await rm(root, { recursive: true, force: true });
});

async function folderContents(): Promise<string[]> {
  return readdir(join(stick, 'SCEAU', 'municipales-2026')).catch(() => []);
}

describe('writing a token', () => {
  it('writes <mount>/SCEAU/<id>/member-<j>.sceau-token.json, reads it back, and nothing else stays', async () => {
    const { text } = await makeToken(3);
    const r = await writeToken(stick, text);
    if (!r.ok) throw new Error(r.error.message.en);
    expect(r.value.path).toBe(join(stick, 'SCEAU', 'municipales-2026', 'member-3.sceau-token.json'));
    expect(await readFile(r.value.path, 'utf8')).toBe(text);
    expect(await folderContents()).toEqual(['member-3.sceau-token.json']);
  });

  it('refuses text that is not a token, and an election id that is not a safe folder name', async () => {
    expectFailure(await writeToken(stick, '{"format":"sceau/token/v1"}'), 'token.malformed');
    expect(() => tokenPath(stick, '../x', 1)).toThrow(RangeError);
  });

  it('reports a read-only drive (EROFS at mkdir, EACCES at the temp file) and keeps the old token', async () => {
    const { text } = await makeToken(1);
    faults.mkdir = () => {
      throw errno('EROFS');
    };
    const msg = expectFailure(await writeToken(stick, text), 'drive.read-only');
    expect(msg.en).toContain(stick);
    faults.mkdir = undefined;
    const first = await writeToken(stick, text);
    expect(first.ok).toBe(true);
    const again = await makeToken(1);
    faults.open = (p) => {
      if (p.endsWith('.tmp')) throw errno('EACCES');
    };
    expectFailure(await writeToken(stick, again.text, { replace: 'same-identity' }), 'drive.read-only');
    expect(await readFile(tokenPath(stick, 'municipales-2026', 1), 'utf8')).toBe(text);
  });

  it('reports a full drive (ENOSPC while writing), keeps the old token and leaves no temp file', async () => {
    const { text } = await makeToken(1);
    expect((await writeToken(stick, text)).ok).toBe(true);
    faults.write = () => {
      throw errno('ENOSPC');
    };
    const again = await makeToken(1);
    expectFailure(await writeToken(stick, again.text, { replace: 'same-identity' }), 'drive.full');
    expect(await readFile(tokenPath(stick, 'municipales-2026', 1), 'utf8')).toBe(text);
    expect(await folderContents()).toEqual(['member-1.sceau-token.json']);
  });

  it('reports a drive removed during the write (folder gone before the rename)', async () => {
    const { text } = await makeToken(2);
    faults.rename = async () => {
      await rm(join(stick, 'SCEAU'), { recursive: true, force: true });
    };
    expectFailure(await writeToken(stick, text), 'drive.removed');
    faults.rename = undefined;
    faults.open = async () => {
      await rm(stick, { recursive: true, force: true });
    };
    expectFailure(await writeToken(stick, text), 'drive.removed');
  });

  it('never recreates the mount point of a drive that is gone (the token must not land on the system disk)', async () => {
    const { text } = await makeToken(2);
    const gone = join(root, 'unplugged');
    expectFailure(await writeToken(gone, text), 'drive.removed');
    await expect(readdir(gone)).rejects.toThrow();
  });

  it('reports a drive that reads back something else (faulty medium)', async () => {
    const { text } = await makeToken(2);
    let renamed = false;
    faults.rename = () => {
      renamed = true;
    };
    faults.readFile = (p) => (renamed && p.endsWith('member-2.sceau-token.json') ? text.replace('"index": 2', '"index": 3') : undefined);
    const r = await writeToken(stick, text);
    expect(r.ok ? 'ok' : r.error.code).toBe('file.read-back');
  });

  it('never overwrites another token of the same member unless told; replaces the same identity when asked', async () => {
    const first = await makeToken(1);
    expect((await writeToken(stick, first.text)).ok).toBe(true);
    const resealed = await makeToken(1); // same secrets (seeded by index), fresh salt and nonce
    expectFailure(await writeToken(stick, resealed.text), 'token.exists');
    expect((await writeToken(stick, resealed.text, { replace: 'same-identity' })).ok).toBe(true);
    const other = await makeToken(5);
    const foreignForMember1 = other.text.replace('"index": 5', '"index": 1');
    expect(JSON.parse(foreignForMember1).member.index).toBe(1);
    expectFailure(await writeToken(stick, foreignForMember1, { replace: 'same-identity' }), 'token.exists');
    expect((await writeToken(stick, foreignForMember1, { replace: 'always' })).ok).toBe(true);
  });
});

describe('reading, listing, duplicates', () => {
  it('lists the tokens of a drive, damaged ones with their failure', async () => {
    for (const j of [2, 1]) expect((await writeToken(stick, (await makeToken(j)).text)).ok).toBe(true);
    expect((await writeToken(stick, (await makeToken(1, { electionId: 'regionales-2027' })).text)).ok).toBe(true);
    await writeFile(join(stick, 'SCEAU', 'municipales-2026', 'member-9.sceau-token.json'), '{ truncated');
    await writeFile(join(stick, 'SCEAU', 'municipales-2026', 'notes.txt'), 'not a token');
    const all = await listTokens(stick);
    expect(all.map((t) => (t.ok ? `${t.found.token.public.electionId}/${t.found.token.public.member.index}` : `bad:${t.error.code}`))).toEqual([
      'municipales-2026/1',
      'municipales-2026/2',
      'bad:token.malformed',
      'regionales-2027/1',
    ]);
    expect((await listTokens(stick, 'regionales-2027')).length).toBe(1);
    expect(await listTokens(join(root, 'empty'))).toEqual([]);
  });

  it('reports a missing token', async () => {
    expectFailure(await readToken(tokenPath(stick, 'municipales-2026', 4)), 'token.missing');
  });

  it('detects the same token offered twice: same file, or a copy under another member’s name', async () => {
    const a = (await writeToken(stick, (await makeToken(1)).text)) as { ok: true; value: { path: string } };
    const b = (await writeToken(stick, (await makeToken(2)).text)) as { ok: true; value: { path: string } };
    const ra = await readToken(a.value.path);
    const rb = await readToken(b.value.path);
    if (!ra.ok || !rb.ok) throw new Error('read');
    expect(findDuplicateTokens([ra.value, rb.value]).ok).toBe(true);
    const again = await readToken(a.value.path);
    if (!again.ok) throw new Error('read');
    expect(expectFailure(findDuplicateTokens([ra.value, rb.value, again.value]), 'token.duplicate').en).toContain('Claire Dupont');
    const copyPath = join(root, 'copy.json');
    await copyFile(a.value.path, copyPath);
    const copy = await readToken(copyPath);
    if (!copy.ok) throw new Error('read');
    expect(copy.value.fileId).not.toBe(ra.value.fileId);
    expectFailure(findDuplicateTokens([copy.value, rb.value, ra.value]), 'token.duplicate');
  });
});

describe('backup token on a second drive', () => {
  it('writes the same bytes, verified, and refuses the token’s own drive', async () => {
    const { text } = await makeToken(2);
    const w = await writeToken(stick, text);
    if (!w.ok) throw new Error('write');
    const backup = join(root, 'backup');
    await mkdir(backup);
    const r = await writeBackupToken(w.value.path, backup);
    if (!r.ok) throw new Error(r.error.message.en);
    expect(await readFile(r.value.path, 'utf8')).toBe(text);
    expect((await writeBackupToken(w.value.path, backup)).ok).toBe(true); // again: same identity, replaced
    expectFailure(await writeBackupToken(w.value.path, stick), 'token.backup.same-drive');
    expectFailure(await writeBackupToken(join(stick, 'nothing.json'), backup), 'token.missing');
  });

  it('does not overwrite another member’s token on the backup drive', async () => {
    const w = await writeToken(stick, (await makeToken(2)).text);
    if (!w.ok) throw new Error('write');
    const backup = join(root, 'backup');
    await mkdir(backup);
    const intruder = (await makeToken(3)).text.replace('"index": 3', '"index": 2');
    expect((await writeToken(backup, intruder)).ok).toBe(true);
    expectFailure(await writeBackupToken(w.value.path, backup), 'token.exists');
  });
});
