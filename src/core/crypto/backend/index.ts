/**
 * Which backend runs the heavy paths (./types.ts): the native one when its module is built and loads,
 * else the reference. `SCEAU_BACKEND=noble` forces the reference; `SCEAU_BACKEND=native` makes a missing
 * or broken native module an error instead of a silent fallback (CI sets it: a run must not pass on the
 * slow path by accident).
 */
import { loadNativeBackend } from './native.js';
import { nobleBackend } from './noble.js';
import type { GroupBackend } from './types.js';

let chosen: GroupBackend | undefined;

export function groupBackend(): GroupBackend {
  chosen ??= choose(process.env['SCEAU_BACKEND']);
  return chosen;
}

function choose(wanted: string | undefined): GroupBackend {
  if (wanted === 'noble') return nobleBackend;
  const native = loadNativeBackend();
  if (native.ok) return native.backend;
  if (wanted === 'native') throw new Error(`SCEAU_BACKEND=native but the native module does not load: ${native.reason}`);
  return nobleBackend;
}

/** Why the native backend is not in use, or null when it is (for the benchmark's and the CLI's report). */
export function nativeBackendProblem(): string | null {
  const native = loadNativeBackend();
  return native.ok ? null : native.reason;
}

export type { GroupBackend } from './types.js';
export { nobleBackend } from './noble.js';
export * from './packed.js';
