/**
 * Benchmarks print one JSON line per measured operation; they are measurements, never pass/fail tests.
 * `perSecondPerCore` is items per second on one thread (the benchmark runs single-threaded).
 */
export interface BenchLine {
  readonly op: string;
  readonly n: number;
  readonly seconds: number;
  /** CPU seconds of the process over the same span (user + system, all threads). */
  readonly cpuSeconds: number;
  readonly perSecondPerCore: number;
}

/** Times `work` (which handles `n` items) once and prints its line. */
export function measure(op: string, n: number, work: () => void): BenchLine {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const line: BenchLine = { op, n, seconds: round(seconds), cpuSeconds: round((cpu.user + cpu.system) / 1e6), perSecondPerCore: round(n / seconds) };
  console.log(JSON.stringify(line));
  return line;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Sizes from the command line (`npm run bench:core -- 1000 10000`), else the 1,000 and 10,000. */
export function sizesFromArgv(): number[] {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  return sizes.length > 0 ? sizes : [1_000, 10_000];
}
