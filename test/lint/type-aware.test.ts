/** The lint is type-aware: floating promises and non-exhaustive switches are errors on every TypeScript file. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

describe('type-aware lint', () => {
  it.each(['src/core/common/bytes.ts', 'src/renderer/App.tsx', 'test/lint/layers.test.ts', 'bench/harness.ts'])('checks %s for floating promises and exhaustive switches', async (file) => {
    const config = (await eslint.calculateConfigForFile(file)) as { rules: Record<string, unknown[]>; languageOptions: { parserOptions: { project?: unknown } } };
    expect(config.rules['@typescript-eslint/no-floating-promises']?.[0]).toBe(2);
    expect(config.rules['@typescript-eslint/switch-exhaustiveness-check']?.[0]).toBe(2);
    expect(config.languageOptions.parserOptions.project).toBeDefined();
  });
});
