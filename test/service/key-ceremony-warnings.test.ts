/**
 * The board's threshold as the president reviews it when the key ceremony starts (docs/formats.md §2.1):
 * t = 1 with n > 1 is refused before anything is written; t = n > 1 is accepted, with a warning in the
 * ceremony's view (shown on the key-ceremony screen until the DKG starts); t < n gives no warning.
 */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ok } from '../../src/core/common/result.js';
import { createService } from '../../src/core/service/service.js';
import type { SceauApi } from '../../src/core/service/api.js';
import { FakeTokens } from '../helpers/fake-tokens.js';
import { boardDefinition, OFFLINE, tempFolder } from '../helpers/key-ceremony.js';

function service(): SceauApi {
  return createService({
    transport: 'loopback',
    appRoot: '/nonexistent',
    version: 'test',
    probe: async () => OFFLINE,
    measure: async () => ({ algorithm: 'SHA-256', digest: 'ab'.repeat(32), fileCount: 0, totalBytes: 0, files: [] }),
    drives: async () => ok({ drives: [], source: 'test', testMode: true }),
    tokens: new FakeTokens(),
  });
}

const json = (n: number, t: number): unknown => JSON.parse(JSON.stringify(boardDefinition(n, t)));

describe('the threshold when a key ceremony is created', () => {
  const api = service();

  it('t = n = 3: the ceremony starts, and its view warns that one absent member blocks the tally', async () => {
    const r = await api.keyCeremonyCreate({ folder: tempFolder(), definition: json(3, 3) });
    expect(r.ok && r.value.warnings).toEqual([{ code: 'definition.threshold-all', message: { fr: expect.stringContaining('un seul absent'), en: expect.stringContaining('single absent') } }]);
    // The view read again (another session, the projector) carries the same warning.
    const again = r.ok ? await api.keyCeremonyOpen({ folder: r.value.folder }) : r;
    expect(again.ok && again.value.warnings.map((w) => w.code)).toEqual(['definition.threshold-all']);
  });

  it('t = 2 of 3: no warning', async () => {
    const r = await api.keyCeremonyCreate({ folder: tempFolder(), definition: json(3, 2) });
    expect(r.ok && r.value.warnings).toEqual([]);
  });

  it('t = 1 of 3: refused, saying why and what to choose, and nothing is written', async () => {
    const folder = tempFolder();
    const r = await api.keyCeremonyCreate({ folder, definition: json(3, 1) });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'definition.threshold-one', where: 'election.board.threshold', message: { fr: expect.stringContaining('au moins 2'), en: expect.stringContaining('at least 2') } },
    });
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
  });
});
