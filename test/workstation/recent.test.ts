/**
 * The workstation's list of recent ceremonies: most recent first, one entry per ceremony, written
 * atomically in the data folder; a corrupt file ignored with a warning (never a crash), a removed folder
 * listed as missing; and the service notes each ceremony a method opened or moved on.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ok } from '../../src/core/common/result.js';
import type { TallyScreenView } from '../../src/core/service/api.js';
import { recorder } from '../../src/core/service/recent.js';
import { openRecentList, parseRecent, RECENT_FILE, RECENT_FORMAT, RECENT_MAX } from '../../src/core/workstation/recent.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function scratch(): { data: string; ceremony: (name: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'sceau-recent-'));
  roots.push(root);
  return {
    data: join(root, 'donnees'),
    ceremony: (name) => {
      const f = join(root, name);
      mkdirSync(f, { recursive: true });
      return f;
    },
  };
}

const step = { fr: 'Le membre 2 a enrôlé son jeton.', en: 'Member 2 enrolled their token.' };
let minute = 0;
const clock = () => new Date(Date.UTC(2026, 11, 5, 20, minute++));

describe('the list of recent ceremonies', () => {
  it('puts the last opened first, one entry per ceremony, in a JSON file of the data folder', async () => {
    const { data, ceremony } = scratch();
    const list = openRecentList(data, { now: clock, warn: () => expect.unreachable() });
    const key = ceremony('cles');
    const tally = ceremony('depouillement');
    await list.remember({ folder: key, kind: 'key', election: 'CFE 2026', phase: 'enrolment', lastStep: step });
    await list.remember({ folder: tally, kind: 'tally', election: 'CFE 2026', phase: 'import', lastStep: null });
    await list.remember({ folder: key, kind: 'key', election: 'CFE 2026', phase: 'round1', lastStep: step });
    const shown = await list.list();
    expect(shown.map((e) => [e.folder, e.kind, e.phase, e.missing])).toEqual([
      [key, 'key', 'round1', false],
      [tally, 'tally', 'import', false],
    ]);
    expect(shown[0]!.lastStep).toEqual(step);
    expect(shown[0]!.openedAt > shown[1]!.openedAt).toBe(true);
    const file = JSON.parse(readFileSync(join(data, RECENT_FILE), 'utf8')) as { format: string; ceremonies: unknown[] };
    expect(file.format).toBe(RECENT_FORMAT);
    expect(file.ceremonies).toHaveLength(2);
    // Written through a temporary file: none is left beside it.
    expect(readdirSync(data)).toEqual([RECENT_FILE]);
  });

  it(`keeps the ${RECENT_MAX} most recent`, async () => {
    const { data, ceremony } = scratch();
    const list = openRecentList(data, { now: clock });
    for (let i = 0; i <= RECENT_MAX; i++) await list.remember({ folder: ceremony(`c${i}`), kind: 'key', election: `E${i}`, phase: 'opening', lastStep: null });
    const shown = await list.list();
    expect(shown).toHaveLength(RECENT_MAX);
    expect(shown[0]!.election).toBe(`E${RECENT_MAX}`);
    expect(shown.some((e) => e.election === 'E0')).toBe(false);
  });

  it('shows a removed folder as missing rather than dropping it', async () => {
    const { data, ceremony } = scratch();
    const list = openRecentList(data, { now: clock });
    const gone = ceremony('cle-retiree');
    await list.remember({ folder: gone, kind: 'tally', election: 'CFE 2026', phase: 'shuffle', lastStep: null });
    rmSync(gone, { recursive: true });
    expect((await list.list()).map((e) => e.missing)).toEqual([true]);
  });

  it('is empty, silently, when the workstation never opened a ceremony', async () => {
    const { data } = scratch();
    const warnings: string[] = [];
    expect(await openRecentList(data, { warn: (m) => warnings.push(m) }).list()).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['not JSON', '{"format": "sceau/recent-ceremonies/v1", "ceremonies": ['],
    ['another format', JSON.stringify({ format: 'sceau/lock/v1', ceremonies: [] })],
    ['a malformed entry', JSON.stringify({ format: RECENT_FORMAT, ceremonies: [{ folder: '/x', kind: 'urn', election: 'E', phase: 'p', lastStep: null, openedAt: 'now' }] })],
  ])('ignores a corrupt file (%s) with a warning, and rewrites it at the next ceremony', async (_what, text) => {
    const { data, ceremony } = scratch();
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, RECENT_FILE), text);
    const warnings: string[] = [];
    const list = openRecentList(data, { now: clock, warn: (m) => warnings.push(m) });
    expect(await list.list()).toEqual([]);
    expect(warnings.join('\n')).toMatch(/ignored/);
    await list.remember({ folder: ceremony('cles'), kind: 'key', election: 'E', phase: 'opening', lastStep: null });
    expect('entries' in parseRecent(readFileSync(join(data, RECENT_FILE), 'utf8'))).toBe(true);
  });

  it('only warns when the data folder cannot be written', async () => {
    const { data, ceremony } = scratch();
    // A file where the data folder should be: nothing can be written under it, whoever runs the test.
    mkdirSync(join(data, '..'), { recursive: true });
    writeFileSync(data, 'pas un dossier');
    const warnings: string[] = [];
    const list = openRecentList(data, { now: clock, warn: (m) => warnings.push(m) });
    await expect(list.remember({ folder: ceremony('cles'), kind: 'key', election: 'E', phase: 'opening', lastStep: null })).resolves.toBeUndefined();
    expect(warnings.join('\n')).toMatch(/cannot be written/);
    expect(existsSync(join(data, RECENT_FILE))).toBe(false);
    expect(await list.list()).toEqual([]);
  });
});

describe("the service's notes", () => {
  const tallyView = (phase: string, entries: number) =>
    ({
      folder: '/cles/depouillement',
      phase,
      election: { title: 'CFE 2026' },
      transcript: Array.from({ length: entries }, (_, i) => ({ summary: { fr: `e${i}`, en: `e${i}` } })),
    }) as unknown as TallyScreenView;

  it('notes a key ceremony from any answer that holds its view, and nothing from one that does not', async () => {
    const { data } = scratch();
    const list = openRecentList(data, { now: clock });
    const notes = recorder(list);
    await notes.afterKeyStep(Promise.resolve(ok({ path: '/media/secours/jeton.json' })));
    await notes.afterKeyStep(Promise.resolve({ ok: false as const, error: { code: 'offline.connected', message: { fr: 'x', en: 'x' } } }));
    expect(await list.list()).toEqual([]);
    const view = { folder: '/cles', phase: 'round1', election: { title: 'CFE 2026' }, transcript: [{ summary: step }] };
    await notes.afterKeyStep(Promise.resolve(ok({ view, import: {} })));
    expect((await list.list()).map((e) => [e.folder, e.kind, e.phase, e.lastStep])).toEqual([['/cles', 'key', 'round1', step]]);
  });

  it('notes a tally when opened, and again only when its phase or transcript moved', async () => {
    const writes: string[] = [];
    const notes = recorder({ path: '', list: async () => [], remember: async (e) => void writes.push(`${e.kind} ${e.phase}`) });
    await notes.afterTallyOpen(Promise.resolve(ok(tallyView('import', 3))));
    notes.tallyChanged(tallyView('import', 3));
    notes.tallyChanged(tallyView('import', 4));
    notes.tallyChanged(tallyView('receipts', 4));
    await notes.afterTallyOpen(Promise.resolve(ok(tallyView('receipts', 4))));
    expect(writes).toEqual(['tally import', 'tally import', 'tally receipts', 'tally receipts']);
  });
});
