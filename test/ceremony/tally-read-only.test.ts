/**
 * A tally opened read-only (TallyCeremony.open's `readOnly`, used by the service's views, PDFs and receipt
 * look-ups) writes nothing: a closing interrupted before the manifest is left as it is, with its
 * temporary files (which a closing running elsewhere may still be writing), and every step is refused.
 * Only a normal opening, which the service makes under its exclusive lock, finishes the closing.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { tallyView } from '../../src/core/ceremony/tally/view.js';
import { RECORD_FILES } from '../../src/core/election/record.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { boardSignIfAny, memberStep, must, newFolder, tallyContext, tallyFixture, type TallyFixture } from '../helpers/tally.js';
import { snapshot } from '../helpers/files.js';

const pool = new WorkerPool(0);
let fx: TallyFixture;

beforeAll(async () => {
  fx = await tallyFixture(12);
}, 60_000);
afterAll(async () => {
  await pool.close();
});

describe('a tally opened read-only', () => {
  it('leaves a closing interrupted before the manifest as it is, refuses every step; a normal opening then finishes it', async () => {
    const folder = newFolder(fx);
    const c = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder, shuffles: 1 }, tallyContext(pool)));
    must(await c.importUrn(fx.urnPath));
    must(await c.publishReceipts());
    must(await c.shuffle());
    for (const j of [1, 2, 3]) must(await c.decrypt(memberStep(fx, j)));
    must(await c.count());
    for (const j of [1, 2, 3]) must(await c.sign(memberStep(fx, j)));
    await boardSignIfAny(
      c,
      [1, 2, 3].map((j) => memberStep(fx, j)),
    );
    const closed = must(await c.close());

    // As a crash (or a closing still running) leaves it: tally.results recorded, no manifest, temporary files.
    rmSync(join(folder, RECORD_FILES.manifest));
    writeFileSync(join(folder, `.${RECORD_FILES.manifest}.0123456789ab.tmp`), 'a manifest being written');
    writeFileSync(join(folder, RECORD_FILES.tallyDir, '.c001.json.0123456789ab.tmp'), 'a file being written');
    const before = snapshot(folder);

    const ro = must(await TallyCeremony.open(folder, tallyContext(pool), { readOnly: true }));
    expect(ro.state.phase).toBe('closed');
    expect(await ro.recordFingerprint()).toBeNull();
    const view = await tallyView(ro);
    expect(view).toMatchObject({ phase: 'closed', recordFingerprint: null });
    expect(view.results).not.toBeNull();
    // Steps are refused on it, before anything is done (a closing, receipts, a signature).
    expect(await ro.close()).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(await ro.publishReceipts()).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(await ro.sign(memberStep(fx, 4))).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    // Nothing was written, removed or changed: the listing and every byte are the same.
    expect(snapshot(folder)).toEqual(before);

    // A normal opening finishes the closing: the temporary files go, the manifest is the same record's.
    const reopened = must(await TallyCeremony.open(folder, tallyContext(pool)));
    expect(await reopened.recordFingerprint()).toBe(closed.recordFingerprint);
    const after = snapshot(folder);
    expect(Object.keys(after).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(after[RECORD_FILES.manifest]).toBeDefined();
    // Read-only again, the closed record shows its fingerprint.
    expect(await must(await TallyCeremony.open(folder, tallyContext(pool), { readOnly: true })).recordFingerprint()).toBe(closed.recordFingerprint);
  }, 120_000);
});
