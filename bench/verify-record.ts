/**
 * The verifier alone on a record already made (`npm run bench -- … --keep` prints one):
 * `tsx bench/verify-record.ts RECORD`. Prints wall seconds, the CPU seconds of the process (every thread)
 * and its peak resident memory sampled every 50 ms (docs/performance.md "Memory"), so that a change of the
 * verifier is measured before and after on the same record.
 */
import { loadavg } from 'node:os';
import { groupBackend } from '../src/core/crypto/backend/index.js';
import { WorkerPool } from '../src/core/workers/pool.js';
import { verifyRecord } from '../src/core/verifier/verify.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: tsx bench/verify-record.ts RECORD');
let peak = process.memoryUsage().rss;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const pool = new WorkerPool();
const start = performance.now();
const before = process.cpuUsage();
try {
  const report = await verifyRecord(dir, { pool });
  const cpu = process.cpuUsage(before);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(
    JSON.stringify({
      phase: 'verification',
      backend: groupBackend().name,
      ok: report.ok,
      seconds: Number(((performance.now() - start) / 1000).toFixed(3)),
      cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
      peakRssMiB: Math.round(peak / 2 ** 20),
      loadAverage: loadavg()[0]!.toFixed(2),
    }),
  );
  if (!report.ok) console.error(JSON.stringify(report.failures.slice(0, 3)));
} finally {
  clearInterval(timer);
  await pool.close();
}
