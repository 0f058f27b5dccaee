/**
 * The whole pipeline at a given size: `npm run bench -- VOTERS [CONSTITUENCIES] [CANDIDATES] [--stations]`
 * [--long-tail] (default 10000 voters, 130 constituencies of equal sizes, 4 candidates; n = 5, t = 3). Prints one JSON line per
 * phase: simulate (the platform casting the ballots), import (and check), each shuffle with its proof
 * (and the board's verification of it), decryption (partials, their proofs, combination, decoding),
 * counting, verification (the independent verifier over the whole record), with wall seconds, the CPU
 * seconds of the process (all its threads) since the line before, ballots per second and the peak resident
 * memory of the process (workers included) sampled every 50 ms. `--stations`: the members on stations
 * of their own (docs/stations.md; simulated in this process), the last shuffle on a member's station.
 * `--keep`: the record is kept (its folder is printed), for bench/verify-record.ts to verify it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { groupBackend, nativeBackendProblem } from '../src/core/crypto/backend/index.js';
import { join } from 'node:path';
import { runDemo } from '../src/core/simulation/demo.js';
import { WorkerPool } from '../src/core/workers/pool.js';
import { verifyRecord } from '../src/core/verifier/verify.js';

const stations = process.argv.includes('--stations');
const tail = process.argv.includes('--long-tail');
const keep = process.argv.includes('--keep');
const numbers = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const voters = Number(numbers[0] ?? 10_000);
const constituencies = Number(numbers[1] ?? 130);
const candidates = Number(numbers[2] ?? 4);
/**
 * `--long-tail`: constituencies of unequal sizes, w_i = i^−0.4·exp(−(i/70)²), i = 1…C: at 1.3 M voters over
 * 130, the largest holds ≈ 72,500 ballots and the smallest ≈ 330, as abroad (docs/performance.md).
 */
const weights = tail ? Array.from({ length: constituencies }, (_, k) => (k + 1) ** -0.4 * Math.exp(-(((k + 1) / 70) ** 2))) : undefined;

let peak = 0;
const sample = (): void => {
  peak = Math.max(peak, process.memoryUsage().rss);
};
const timer = setInterval(sample, 50);
const mib = (b: number): number => Math.round(b / 2 ** 20);

/** CPU time of the process (every thread, workers included) since the last phase printed. */
let cpuMark = process.cpuUsage();

function print(phase: string, ballots: number, seconds: number): void {
  sample();
  const cpu = process.cpuUsage(cpuMark);
  cpuMark = process.cpuUsage();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    JSON.stringify({
      phase,
      ballots,
      seconds: Number(seconds.toFixed(3)),
      cpuSeconds: Number(cpuSeconds.toFixed(3)),
      ballotsPerSecond: Math.round(ballots / seconds),
      peakRssMiB: mib(peak),
      ...(stations ? { stations } : {}),
    }),
  );
  peak = process.memoryUsage().rss;
}

const root = mkdtempSync(join(tmpdir(), 'sceau-bench-'));
const pool = new WorkerPool();
console.error(
  `machine: ${cpus()[0]?.model ?? '?'}, ${availableParallelism()} threads, node ${process.version}, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(
      ' ',
    )}; backend ${groupBackend().name}${nativeBackendProblem() === null ? '' : ` (${nativeBackendProblem()})`}; ${voters} voters, ${constituencies} constituencies${tail ? ' (long tail)' : ''}, ${candidates} candidates, pool of ${pool.size}`,
);
try {
  let phaseStart = performance.now();
  let simulated = false;
  const r = await runDemo({ voters, constituencies, candidates, members: 5, threshold: 3, ...(weights ? { weights } : {}) }, join(root, 'record'), join(root, 'private'), {
    pool,
    onProgress: (phase) => {
      if (phase === 'import' && !simulated) {
        simulated = true;
        print('simulate', voters, (performance.now() - phaseStart) / 1000);
      }
    },
    onPhase: (p) => print(p.phase, p.ballots, p.seconds),
    ...(stations ? { workstation: { memberStations: true } } : {}),
  });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  phaseStart = performance.now();
  cpuMark = process.cpuUsage();
  const report = await verifyRecord(join(root, 'record'), { pool });
  print('verification', voters, (performance.now() - phaseStart) / 1000);
  console.error(
    `load average at the end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  if (!report.ok) throw new Error(`verification failed: ${JSON.stringify(report.failures.slice(0, 3))}`);
} finally {
  clearInterval(timer);
  await pool.close();
  if (keep) console.error(`record kept: ${join(root, 'record')}`);
  else rmSync(root, { recursive: true, force: true });
}
