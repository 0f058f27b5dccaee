/**
 * The whole pipeline at a given size: `npm run bench -- VOTERS [CONSTITUENCIES] [CANDIDATES]`
 * (default 10000 voters, 130 constituencies, 4 candidates; n = 5, t = 3). Prints one JSON line per
 * phase: simulate (the platform casting the ballots), import (and check), each shuffle with its proof
 * (and the board's verification of it), decryption (partials, their proofs, combination, decoding),
 * counting, verification (the independent verifier over the whole record), with ballots per second
 * and the peak resident memory of the process (workers included) sampled every 50 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../src/core/pipeline/demo.js';
import { WorkerPool } from '../src/core/pipeline/pool.js';
import { verifyRecord } from '../src/core/verifier/verify.js';

const voters = Number(process.argv[2] ?? 10_000);
const constituencies = Number(process.argv[3] ?? 130);
const candidates = Number(process.argv[4] ?? 4);

let peak = 0;
const sample = (): void => {
  peak = Math.max(peak, process.memoryUsage().rss);
};
const timer = setInterval(sample, 50);
const mib = (b: number): number => Math.round(b / 2 ** 20);

function print(phase: string, ballots: number, seconds: number): void {
  sample();
  console.log(JSON.stringify({ phase, ballots, seconds: Number(seconds.toFixed(3)), ballotsPerSecond: Math.round(ballots / seconds), peakRssMiB: mib(peak) }));
  peak = process.memoryUsage().rss;
}

const root = mkdtempSync(join(tmpdir(), 'sceau-bench-'));
const pool = new WorkerPool();
console.error(`machine: ${cpus()[0]?.model ?? '?'}, ${availableParallelism()} threads, node ${process.version}; ${voters} voters, ${constituencies} constituencies, ${candidates} candidates, pool of ${pool.size}`);
try {
  let phaseStart = performance.now();
  let simulated = false;
  const r = await runDemo({ voters, constituencies, candidates, members: 5, threshold: 3 }, join(root, 'record'), join(root, 'private'), {
    pool,
    onProgress: (phase) => {
      if (phase === 'import' && !simulated) {
        simulated = true;
        print('simulate', voters, (performance.now() - phaseStart) / 1000);
      }
    },
    onPhase: (p) => print(p.phase, p.ballots, p.seconds),
  });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  phaseStart = performance.now();
  const report = await verifyRecord(join(root, 'record'), { pool });
  print('verification', voters, (performance.now() - phaseStart) / 1000);
  if (!report.ok) throw new Error(`verification failed: ${JSON.stringify(report.failures.slice(0, 3))}`);
} finally {
  clearInterval(timer);
  await pool.close();
  rmSync(root, { recursive: true, force: true });
}
