import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BUG_LOG_FILE, defaultDataFolder, openBugLog } from '../../src/core/workstation/bug-log.js';
import { dispatch } from '../../src/core/service/dispatch.js';
import { createService } from '../../src/core/service/service.js';
import type { SceauApi } from '../../src/core/service/api.js';

const quiet = () => vi.spyOn(console, 'error').mockImplementation(() => undefined);
const folder = () => mkdtempSync(join(tmpdir(), 'sceau-buglog-'));

describe('the bug log', () => {
  it('keeps each bug with when, what was running and its stack', () => {
    quiet();
    const dir = folder();
    const log = openBugLog(dir, { now: () => new Date('2026-12-04T21:30:00Z') });
    log.record(new TypeError('cannot read x of undefined'), 'tallyCount');
    const text = readFileSync(log.path, 'utf8');
    expect(log.path).toBe(join(dir, BUG_LOG_FILE));
    expect(text).toContain('2026-12-04T21:30:00.000Z tallyCount');
    expect(text).toContain('TypeError: cannot read x of undefined');
    expect(text).toMatch(/bug-log\.test\.ts/);
  });

  it("keeps the stack's file paths, however deep the checkout, and still hides base64 that starts with a slash", () => {
    quiet();
    const log = openBugLog(folder());
    const key = '/Q8vK2mZp7Rr0aXw9LbT3sNcY5uE1hGjD6fVqO4iW8k=';
    const error = new TypeError(`bad key ${key}`);
    error.stack = [
      `TypeError: bad key ${key}`,
      '    at count (/check/work/main/test/workstation/bug-log.test.ts:18:16)',
      '    at run (/Users/Marie/Documents/Election2026/sceau/src/core/ceremony/tally/count.ts:12:3)',
      '    at file:///check/work/main/node_modules/@vitest/runner/dist/chunk-artifact.js:302:11',
    ].join('\n');
    log.record(error, 'tallyCount');
    const text = readFileSync(log.path, 'utf8');
    expect(text).toContain('/check/work/main/test/workstation/bug-log.test.ts:18:16');
    expect(text).toContain('/Users/Marie/Documents/Election2026/sceau/src/core/ceremony/tally/count.ts');
    expect(text).not.toContain(key.slice(0, 20));
  });

  it('holds no secret: neither the arguments of the call that failed nor keys quoted in the error', async () => {
    quiet();
    const log = openBugLog(folder());
    const passphrase = 'correct horse battery staple 1789';
    const share = 'a3'.repeat(32);
    const token = Buffer.from('a member token, sealed, whose bytes must never be logged').toString('base64');
    const service = {
      tallyDecrypt: async () => {
        throw new Error(`no partial for share ${share} of token ${token}`);
      },
    } as unknown as SceauApi;
    const result = await dispatch(service, 'tallyDecrypt', { folder: '/f', member: 2, drive: '/d', passphrase }, (e) => log.record(e, 'tallyDecrypt'));
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    const text = readFileSync(log.path, 'utf8');
    expect(text).toContain('tallyDecrypt');
    expect(text).toContain('no partial for share');
    expect(text).not.toContain(passphrase);
    expect(text).not.toContain(share);
    expect(text).not.toContain(token.slice(0, 40));
  });

  it('rotates: never more than the current file and `keep` older ones, each within its size', () => {
    quiet();
    const dir = folder();
    const log = openBugLog(dir, { maxBytes: 2000, keep: 2 });
    for (let i = 0; i < 60; i++) log.record(new Error(`bug number ${i}`), 'step');
    expect(readdirSync(dir).sort()).toEqual([BUG_LOG_FILE, `${BUG_LOG_FILE}.1`, `${BUG_LOG_FILE}.2`]);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(2000);
    expect(readFileSync(log.path, 'utf8')).toContain('bug number 59');
    expect(readFileSync(`${log.path}.2`, 'utf8')).not.toContain('bug number 59');
  });

  it('never throws when it cannot be written: the bug is still reported on the error output', () => {
    const errors = quiet();
    const dir = folder();
    writeFileSync(join(dir, 'logs'), 'a file where the folder should be');
    const log = openBugLog(join(dir, 'logs'));
    expect(() => log.record(new Error('lost bug'), 'step')).not.toThrow();
    expect(errors.mock.calls.flat().join(' ')).toContain('lost bug');
    expect(errors.mock.calls.flat().join(' ')).toContain('cannot be written');
  });

  it('is named by appInfo, for the Integrity screen', async () => {
    const log = openBugLog(folder());
    const service = createService({ transport: 'loopback', appRoot: folder(), version: '0.0.0', bugLog: log });
    expect(await service.appInfo({})).toMatchObject({ ok: true, value: { bugLog: log.path } });
    const without = createService({ transport: 'loopback', appRoot: folder(), version: '0.0.0' });
    expect(await without.appInfo({})).toMatchObject({ ok: true, value: { bugLog: null } });
  });

  it('lives in the data folder the environment names, else the XDG state folder', () => {
    expect(defaultDataFolder({ SCEAU_DATA_DIR: '/srv/sceau' }, '/home/p')).toBe('/srv/sceau');
    expect(defaultDataFolder({ XDG_STATE_HOME: '/x' }, '/home/p')).toBe('/x/sceau');
    expect(defaultDataFolder({}, '/home/p')).toBe('/home/p/.local/state/sceau');
  });
});
