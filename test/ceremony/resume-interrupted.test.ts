/**
 * Interrupted writes that used to leave a folder no one could use again:
 * - the key ceremony's closing, stopped after `ceremony.closed` was recorded and before public-key.json
 *   or the report was written: the next opening finishes it, from the transcript alone, to the same files;
 * - a creation stopped after election.json (key ceremony) or after some of the copied files (tally): it is
 *   taken up again instead of refusing the folder as not empty.
 * The faults are real failed writes (the write point's probe throws ENOSPC, as a full disk would).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectedPublicKeyFile, verifyKeyCeremonyFolder, verifyKeyCeremonyTranscript } from '../../src/core/ceremony/key/verify.js';
import { setWriteProbe } from '../../src/core/common/atomic-file.js';
import { definitionFingerprint } from '../../src/core/election/definition.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { keyCeremonyUntil, makeScene, nextStep, sceneService, type Scene } from '../faults/harness.js';

const pool = new WorkerPool(0);
afterAll(async () => {
  setWriteProbe(undefined);
  await pool.close();
});

const fullDisk = () => Object.assign(new Error('ENOSPC: injected'), { code: 'ENOSPC' });

/** Makes every write whose path ends with `suffix` fail (before it starts), until `heal` is called. */
function failWrites(suffix: string): { heal: () => void } {
  setWriteProbe(({ path, stage }) => {
    if (stage === 'before' && path.endsWith(suffix)) throw fullDisk();
  });
  return { heal: () => setWriteProbe(undefined) };
}

/** Runs the scene's election step by step until the step named `until` has been done (ok or not); returns its outcome. */
async function runTo(s: Scene, api = sceneService(s, pool), until: string) {
  for (let i = 0; i < 60; i++) {
    const done = await nextStep(api, s);
    if (done.step === until) return done;
    if (!done.result.ok) throw new Error(`${done.step}: ${done.result.error.code}: ${done.result.error.message.en}`);
  }
  throw new Error(`never reached ${until}`);
}

const scene = () => makeScene(join(mkdtempSync(join(tmpdir(), 'sceau-resume-')), 'scene'));

describe('a closing stopped after ceremony.closed', () => {
  it('is finished by the next opening: public-key.json and the report from the transcript alone, to the same bytes', async () => {
    const s = scene();
    const api = sceneService(s, pool);
    const disk = failWrites('public-key.json');
    const closing = await runTo(s, api, 'key:close');
    disk.heal();
    expect(closing.result).toMatchObject({ ok: false, error: { code: 'file.no-space' } });
    const transcript = readFileSync(join(s.keyCeremony, 'transcript.jsonl'), 'utf8');
    expect(transcript).toContain('"ceremony.closed"');
    expect(existsSync(join(s.keyCeremony, 'public-key.json'))).toBe(false);
    // The next opening (here a new app: a new service) finishes the closing.
    const reopened = await sceneService(s, pool).keyCeremonyOpen({ folder: s.keyCeremony });
    expect(reopened.ok && reopened.value.phase).toBe('closed');
    expect((await verifyKeyCeremonyFolder(s.keyCeremony)).failures).toEqual([]);
    const verified = verifyKeyCeremonyTranscript(s.definition, definitionFingerprint(s.definition), transcript);
    expect(verified.ok).toBe(true);
    if (verified.ok) expect(JSON.parse(readFileSync(join(s.keyCeremony, 'public-key.json'), 'utf8'))).toEqual(expectedPublicKeyFile(s.definition, definitionFingerprint(s.definition), verified.value));
    // Nothing appended by finishing; the report dated by the closing entry, so made again it is the same.
    expect(readFileSync(join(s.keyCeremony, 'transcript.jsonl'), 'utf8')).toBe(transcript);
    const report = readFileSync(join(s.keyCeremony, 'key-ceremony-report.pdf'));
    const again = await api.keyCeremonyReport({ folder: s.keyCeremony });
    expect(again.ok && Buffer.from(again.value.pdfBase64, 'base64').equals(report)).toBe(true);
    // And the tally takes it.
    expect((await runTo(s, api, 'tally:create')).result.ok).toBe(true);
  });

  it('an interim report made before the closing is replaced by the final one when the closing is finished', async () => {
    const s = scene();
    const api = sceneService(s, pool);
    await keyCeremonyUntil(api, s, (v) => v.phase === 'closing');
    const interim = await api.keyCeremonyReport({ folder: s.keyCeremony });
    expect(interim.ok).toBe(true);
    const disk = failWrites('public-key.json');
    expect((await api.keyCeremonyClose({ folder: s.keyCeremony })).ok).toBe(false);
    disk.heal();
    expect((await api.keyCeremonyOpen({ folder: s.keyCeremony })).ok).toBe(true);
    const final = readFileSync(join(s.keyCeremony, 'key-ceremony-report.pdf'));
    expect(interim.ok && Buffer.from(interim.value.pdfBase64, 'base64').equals(final)).toBe(false);
    const again = await api.keyCeremonyReport({ folder: s.keyCeremony });
    expect(again.ok && Buffer.from(again.value.pdfBase64, 'base64').equals(final)).toBe(true);
  });

  it('a report that could not be written is written by the next opening; public-key.json is kept as it is', async () => {
    const s = scene();
    const api = sceneService(s, pool);
    const disk = failWrites('key-ceremony-report.pdf');
    const closing = await runTo(s, api, 'key:close');
    disk.heal();
    expect(closing.result.ok).toBe(false);
    const key = readFileSync(join(s.keyCeremony, 'public-key.json'));
    expect((await api.keyCeremonyOpen({ folder: s.keyCeremony })).ok).toBe(true);
    expect(existsSync(join(s.keyCeremony, 'key-ceremony-report.pdf'))).toBe(true);
    expect(readFileSync(join(s.keyCeremony, 'public-key.json')).equals(key)).toBe(true);
    expect((await verifyKeyCeremonyFolder(s.keyCeremony)).failures).toEqual([]);
  });
});

describe('a creation stopped part-way', () => {
  it('key ceremony: stopped after election.json, creating again takes it up; another definition is still refused', async () => {
    const s = scene();
    const api = sceneService(s, pool);
    const disk = failWrites('transcript.jsonl');
    const created = await api.keyCeremonyCreate({ folder: s.keyCeremony, definition: s.definition });
    disk.heal();
    expect(created).toMatchObject({ ok: false, error: { code: 'file.no-space' } });
    // The definition, and at most an empty transcript (the append opened it, then the disk was full).
    expect(readdirSync(s.keyCeremony).sort()).toEqual(['election.json', 'transcript.jsonl']);
    expect(readFileSync(join(s.keyCeremony, 'transcript.jsonl'), 'utf8')).toBe('');
    const other = { ...s.definition, title: 'Une autre élection' };
    expect(await api.keyCeremonyCreate({ folder: s.keyCeremony, definition: other })).toMatchObject({ ok: false, error: { code: 'ceremony.folder-not-empty' } });
    const again = await api.keyCeremonyCreate({ folder: s.keyCeremony, definition: s.definition });
    expect(again.ok && again.value.phase).toBe('enrolment');
    // Once opened, creating again is refused: that folder holds a ceremony.
    expect(await api.keyCeremonyCreate({ folder: s.keyCeremony, definition: s.definition })).toMatchObject({ ok: false, error: { code: 'ceremony.folder-not-empty' } });
  });

  it('tally: stopped after some of its files, opening says to create it again, and creating again takes it up', async () => {
    const s = scene();
    const api = sceneService(s, pool);
    const disk = failWrites('keys.json');
    const created = await runTo(s, api, 'tally:create');
    disk.heal();
    expect(created.result).toMatchObject({ ok: false, error: { code: 'file.no-space' } });
    expect(readdirSync(s.tally).sort()).toEqual(['election.json', 'keyceremony.jsonl']);
    expect(await api.tallyOpen({ folder: s.tally })).toMatchObject({ ok: false, error: { code: 'tally.not-opened' } });
    const again = await api.tallyCreate({ keyCeremonyFolder: s.keyCeremony, folder: s.tally, shuffles: 2 });
    expect(again.ok && again.value.phase).toBe('import');
    expect(await api.tallyCreate({ keyCeremonyFolder: s.keyCeremony, folder: s.tally, shuffles: 2 })).toMatchObject({ ok: false, error: { code: 'ceremony.folder-not-empty' } });
  });
});
