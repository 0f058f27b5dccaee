/**
 * A process of the kill chain (./faults.test.ts): it takes up the scene's election where the folders
 * stand and runs it on, and at the first write point of `targets` not yet in `covered` (as `before` or
 * `after` it), records that point in `covered` and kills itself with SIGKILL, as a power cut or kill -9
 * would stop the app. Exits 0 when the election finished without meeting such a point.
 *
 *   node --import tsx test/faults/child.ts ROOT COVERED TARGETS STAGE
 *
 * STAGE is `before` or `after`: the chain kills at one of them only (two chains run side by side).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { readScene, resumeStep, runElection, sceneService, watchWrites } from './harness.js';

const [root, coveredPath, targetsPath, stage] = process.argv.slice(2) as [string, string, string, 'before' | 'after'];
const scene = readScene(root);
const lines = readFileSync(coveredPath, 'utf8')
  .split('\n')
  .filter((l) => l !== '');
const covered = new Set(lines);
const targets = new Set(JSON.parse(readFileSync(targetsPath, 'utf8')) as string[]);
// The step the last process was killed in: what this one takes up first.
resumeStep(
  lines
    .at(-1)
    ?.replace(/^(before|after) /, '')
    .split(' | ')[0],
);

watchWrites(root, (p) => {
  if (p.stage !== stage || !targets.has(p.label)) return;
  const point = `${p.stage} ${p.label}`;
  if (covered.has(point)) return;
  // Written before dying: the next process must know this point is done (a write survives SIGKILL).
  appendFileSync(coveredPath, `${point}\n`);
  process.kill(process.pid, 'SIGKILL');
});

// Tasks inline: no worker threads to start in a process that lives for one step or two.
const pool = new WorkerPool(0);
// A kill after a member's board nonces were erased and before their share was recorded loses the share, by design
// (docs/tally-ceremony.md step 7b): the next second visit is refused with `tally.board-nonces`, and the attempt restarts.
runElection(sceneService(scene, pool), scene, { tolerated: ['tally.board-nonces'] }).then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
