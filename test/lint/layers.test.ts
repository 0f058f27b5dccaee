/**
 * The layering lint rejects each wrong import of docs/architecture.md's layers, and accepts the right ones.
 * Linted as text under a virtual file name, so no bad file ever sits in the tree.
 */
import { readFileSync } from 'node:fs';
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

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layering lint', () => {
  it.each([
    ['src/core/crypto/x.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['src/core/crypto/x.ts', "import { App } from '../../renderer/App.js';\nexport const x = App;"],
    ['src/core/service/x.ts', "import { registerIpc } from '../../main/ipc.js';\nexport const x = registerIpc;"],
    ['src/core/service/x.ts', "import React from 'react';\nexport const x = React;"],
    ['src/renderer/x.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;"],
    ['src/renderer/x.ts', "import { readFile } from 'fs';\nexport const x = readFile;"],
    ['src/renderer/x.ts', "import { registerIpc } from '../main/ipc.js';\nexport const x = registerIpc;"],
    ['src/renderer/x.ts', "import { createService } from '../core/service/service.js';\nexport const x = createService;"],
    ['src/renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;"],
    ['src/main/ipc2.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;"],
    ['src/cli/x.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['src/preload/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;"],
    ['test/x.test.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['src/core/workers/x.ts', "import { importUrn } from '../pipeline/import.js';\nexport const x = importUrn;"],
    ['src/core/crypto/x.ts', "import { parseDefinitionText } from '../election/definition.js';\nexport const x = parseDefinitionText;"],
    ['src/core/crypto/proofs/x.ts', "import { foldTally } from '../../ceremony/tally/state.js';\nexport const x = foldTally;"],
    ['src/core/verifier/x.ts', "import { foldTally } from '../ceremony/tally/state.js';\nexport const x = foldTally;"],
    ['src/core/service/x.ts', "import { runDemo } from '../simulation/demo.js';\nexport const x = runDemo;"],
    ['src/core/ceremony/tally/x.ts', "import { x as y } from '../../token/testing.js';\nexport const x = y;"],
    ['src/main/x.ts', "import { runDemo } from '../core/simulation/demo.js';\nexport const x = runDemo;"],
    ['src/core/verifier/x.ts', "import { importUrn } from '../pipeline/import.js';\nexport const x = importUrn;"],
    ['src/core/verifier/x.ts', "import { createService } from '../service/service.js';\nexport const x = createService;"],
    ['src/core/verifier/x.ts', "import { replayKeyCeremony } from '../audit/replay.js';\nexport const x = replayKeyCeremony;"],
    ['src/core/verifier/x.ts', "import { RECORD_FILES } from '../election/record.js';\nexport const x = RECORD_FILES;"],
    ['src/core/verifier/x.ts', "import { verifyTranscriptText } from '../transcript/transcript.js';\nexport const x = verifyTranscriptText;"],
    ['src/core/workstation/x.ts', "import { KeyCeremony } from '../ceremony/key/ceremony.js';\nexport const x = KeyCeremony;"],
    ['src/core/workstation/x.ts', "import type { NetworkStatus } from '../service/api.js';\nexport type X = NetworkStatus;"],
    ['src/core/ceremony/key/x.ts', "import type { SceauApi } from '../../service/api.js';\nexport type X = SceauApi;"],
  ])('rejects the wrong import in %s: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).not.toEqual([]);
  });

  it('ships no validator to the renderer: the method names it may import import nothing but types', () => {
    const source = readFileSync(new URL('../../src/core/service/methods.ts', import.meta.url), 'utf8');
    const imports = source.split('\n').filter((l) => /^import\b/.test(l));
    expect(imports.length).toBeGreaterThan(0);
    for (const line of imports) expect(line).toMatch(/^import type /);
  });

  it('rejects DOM globals in the core', async () => {
    const [result] = await eslint.lintText('export const title = document.title;\n', { filePath: 'src/core/service/x.ts' });
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-globals');
  });

  it.each([
    ['src/main/shell.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['src/preload/index.ts', "import { contextBridge } from 'electron';\nexport const x = contextBridge;"],
    ['src/renderer/x.ts', "import type { SceauApi } from '../core/service/api.js';\nexport type X = SceauApi;"],
    ['src/renderer/x.ts', "import { API_METHODS } from '../core/service/methods.js';\nexport const x = API_METHODS;"],
    ['src/renderer/x.ts', "import { groupedHex } from '../core/common/bytes.js';\nexport const x = groupedHex;"],
    ['src/cli/x.ts', "import { createService } from '../core/service/service.js';\nexport const x = createService;"],
    ['src/core/workers/x.ts', "import { verifyOneShuffle } from '../crypto/shuffle/index.js';\nexport const x = verifyOneShuffle;"],
    ['src/core/pipeline/x.ts', "import { WorkerPool } from '../workers/pool.js';\nexport const x = WorkerPool;"],
    ['src/core/verifier/x.ts', "import { WorkerPool } from '../workers/pool.js';\nexport const x = WorkerPool;"],
    ['src/cli/x.ts', "import { runDemo } from '../core/simulation/demo.js';\nexport const x = runDemo;"],
    ['src/core/simulation/x.ts', "import { TallyCeremony } from '../ceremony/tally/ceremony.js';\nexport const x = TallyCeremony;"],
    ['src/core/verifier/x.ts', "import { verifyOneShuffle } from '../crypto/shuffle/index.js';\nexport const x = verifyOneShuffle;"],
    ['src/core/ceremony/key/x.ts', "import { clearForKeyOperation } from '../../workstation/offline-guard.js';\nexport const x = clearForKeyOperation;"],
  ])('accepts the right import in %s: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });
});
