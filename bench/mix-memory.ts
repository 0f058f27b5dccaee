/**
 * The peak resident memory of one mix and of its check, alone in this thread (docs/performance.md
 * "Memory"): `node --expose-gc [V8 flags] --import tsx bench/mix-memory.ts N`. The workers' tuning is
 * `--heap-growing-percent=20 --max-semi-space-size=2` (their young generation is 8 MB, src/core/workers/pool.ts).
 * Inputs: ./mix-inputs.ts.
 */
import { mib, PeakRss, repeatedInputs } from './mix-inputs.js';
import { runTask, type ShuffleMade } from '../src/core/workers/tasks.js';
import { groupBackend } from '../src/core/crypto/backend/index.js';

const n = Number(process.argv[2] ?? 20_000);
const peak = new PeakRss();

const { inputs, base } = repeatedInputs(n);

globalThis.gc?.();
const before = process.memoryUsage().rss;
let cpu = process.cpuUsage();
const made = runTask({ kind: 'shuffle', ...base, label: 'c/shuffle-1', inputs }) as ShuffleMade;
const mixPeak = peak.take();
const cpuMix = process.cpuUsage(cpu);
console.log(
  JSON.stringify({ backend: groupBackend().name, n, step: 'mix', rssBeforeMiB: mib(before), peakRssMiB: mixPeak, cpuSeconds: (cpuMix.user + cpuMix.system) / 1e6, textMiB: mib(made.text.length) }),
);
globalThis.gc?.();
cpu = process.cpuUsage();
const verdict = runTask({ kind: 'verify-shuffle', ...base, inputs, shuffle: made.text });
const checkPeak = peak.take();
const cpuCheck = process.cpuUsage(cpu);
console.log(JSON.stringify({ backend: groupBackend().name, n, step: 'check', accepted: verdict === null, peakRssMiB: checkPeak, cpuSeconds: (cpuCheck.user + cpuCheck.system) / 1e6 }));
peak.stop();
