/** The screens' hooks lint: a hook called conditionally, or an effect missing a dependency, is refused. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Code linted as text under a virtual name is in no TypeScript project: the type-aware rules (checked in
// ./type-aware.test.ts) are left out here, the rest of the configuration is the project's.
const eslint = new ESLint({
  cwd: new URL('../..', import.meta.url).pathname,
  overrideConfig: {
    languageOptions: { parserOptions: { project: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/switch-exhaustiveness-check': 'off' },
  },
});

async function hookRules(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: 'src/renderer/screens/x.tsx' });
  return (result?.messages ?? []).filter((m) => m.ruleId?.startsWith('react-hooks/')).map((m) => `${m.ruleId} ${m.severity}`);
}

describe('hooks lint', () => {
  it('refuses a hook called under a condition', async () => {
    const code = "import { useState } from 'react';\nexport function X({ a }: { a: boolean }) {\n  if (a) useState(0);\n  return null;\n}\n";
    expect(await hookRules(code)).toEqual(['react-hooks/rules-of-hooks 2']);
  });

  it('refuses an effect that reads a value it does not follow', async () => {
    const code = "import { useEffect } from 'react';\nexport function X({ a }: { a: string }) {\n  useEffect(() => console.log(a), []);\n  return null;\n}\n";
    expect(await hookRules(code)).toEqual(['react-hooks/exhaustive-deps 2']);
  });

  it('accepts a value read on purpose through useEffectEvent', async () => {
    const code =
      "import { useEffect, useEffectEvent } from 'react';\nexport function X({ a }: { a: string }) {\n  const log = useEffectEvent(() => console.log(a));\n  useEffect(() => log(), []);\n  return null;\n}\n";
    expect(await hookRules(code)).toEqual([]);
  });
});
