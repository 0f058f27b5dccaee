import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as token from '../../src/core/token/index.js';

const src = join(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') || p.endsWith('.tsx') ? [p] : [];
  });
}

describe('the test KDF profile cannot reach the app by accident', () => {
  it('no file under src/ imports token/testing', () => {
    const importers = files(src)
      .filter((f) => !f.endsWith(join('token', 'testing.ts')))
      .filter((f) => /from\s+['"][^'"]*token\/testing(\.js)?['"]/.test(readFileSync(f, 'utf8')));
    expect(importers.map((f) => relative(src, f))).toEqual([]);
  });

  it('the token barrel exports the production policy only', () => {
    const names = Object.keys(token);
    expect(names).toContain('PRODUCTION_POLICY');
    expect(names.filter((n) => /test/i.test(n) && n !== 'TEST_COST')).toEqual([]);
    expect(token.PRODUCTION_POLICY.write).toBe('production');
    expect(token.PRODUCTION_POLICY.acceptTest).toBe(false);
    expect(Object.isFrozen(token.PRODUCTION_POLICY)).toBe(true);
  });
});
