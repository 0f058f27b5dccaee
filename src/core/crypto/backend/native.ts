/**
 * The native backend: libsodium's ristretto255 (crypto_scalarmult_ristretto255, _base, crypto_core_
 * ristretto255_add/sub/from_hash/is_valid_point), Debian's libsodium linked into a small Node-API module
 * (native/sceau_group.c, built by `npm run build:native`). Each call takes a whole packed
 * list, so crossing into C costs once per list, not per point; a long list is split across threads, the
 * cores shared among the calls running at that moment (one worker alone uses them all).
 *
 * The module is loaded from the app's root (see `modulePath`), whether this code runs from src/ (tests,
 * tsx) or from a bundle in out/: no bundler ever sees it. Both this wrapper and the module check every
 * length and scalar, so a wrong call throws instead of reading past a list.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POINT, SCALAR, type GroupBackend } from './types.js';

/** The module's functions: the backend's, unchecked, and the threads' setting. */
interface NativeModule extends Omit<GroupBackend, 'name'> {
  setThreads(cores: number): number;
}

export const NATIVE_MODULE = join('native', 'build', 'Release', 'sceau_group.node');

type Loaded = { ok: true; backend: GroupBackend; path: string; setThreads: (cores: number) => number } | { ok: false; reason: string };
let loaded: Loaded | undefined;

export function loadNativeBackend(): Loaded {
  loaded ??= load();
  return loaded;
}

function load(): Loaded {
  const path = modulePath();
  if (!existsSync(path)) return { ok: false, reason: `${path} is not built (npm run build:native, with Debian's libsodium-dev)` };
  try {
    const m = createRequire(import.meta.url)(path) as NativeModule;
    const setThreads = (cores: number): number => (typeof m.setThreads === 'function' ? m.setThreads(cores) : 1);
    // SCEAU_NATIVE_THREADS=1 turns the splitting of lists off (the benchmark's "before"; 0 or unset: every core).
    const cores = Number(process.env['SCEAU_NATIVE_THREADS'] ?? '0');
    if (Number.isSafeInteger(cores) && cores > 0) setThreads(cores);
    return { ok: true, backend: wrap(m), path, setThreads };
  } catch (e) {
    return { ok: false, reason: `${path} does not load: ${(e as Error).message}` };
  }
}

/**
 * How many cores the native module shares among the calls running at once (0: every online processor,
 * the default); returns the previous setting. For tests and benchmarks: results never depend on it.
 */
export function setNativeThreads(cores: number): number {
  const native = loadNativeBackend();
  if (!native.ok) throw new Error(native.reason);
  return native.setThreads(cores);
}

/**
 * The one place the module may come from: `native/build/Release/` of the app's root, the first folder up
 * from this code that holds a package.json (the repository, or the packaged app.asar), which is what the
 * software measurement hashes (../../workstation/measurement.ts). A module anywhere else is never looked
 * for. SCEAU_NATIVE_MODULE names another one for tests, except in the packaged app.
 */
function modulePath(): string {
  const here = fileURLToPath(import.meta.url);
  const override = process.env['SCEAU_NATIVE_MODULE'];
  if (override !== undefined && override !== '' && !here.includes('.asar')) return override;
  return moduleOfAppAbove(dirname(here));
}

/** The module's path under the first folder up from `start` that holds a package.json (exported for its test). */
export function moduleOfAppAbove(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, NATIVE_MODULE);
}

/** L in little-endian bytes: libsodium would silently take a scalar ≥ L modulo L (or clear its top bit). */
const L_BYTES = Uint8Array.from(Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex'));

/** Whether every scalar is < L; almost always decided by the top byte alone (L's is 0x10). */
export function scalarsInRange(scalars: Uint8Array): boolean {
  for (let base = 0; base < scalars.length; base += SCALAR) {
    const top = scalars[base + 31]!;
    if (top < 0x10) continue;
    if (top > 0x10) return false;
    for (let k = 30; k >= 0; k--) {
      const x = scalars[base + k]!;
      if (x !== L_BYTES[k]) {
        if (x > L_BYTES[k]!) return false;
        break;
      }
      if (k === 0) return false; // equal to L
    }
  }
  return true;
}

/** Lengths and scalar ranges are checked here, once, so that the C side can trust them. */
function wrap(m: NativeModule): GroupBackend {
  const points = (x: Uint8Array, what: string): void => {
    if (x.length % POINT !== 0) throw new RangeError(`${what}: length ${x.length} is not a multiple of ${POINT}`);
  };
  const scalars = (x: Uint8Array, what: string): void => {
    if (x.length % SCALAR !== 0) throw new RangeError(`${what}: length ${x.length} is not a multiple of ${SCALAR}`);
    if (!scalarsInRange(x)) throw new RangeError(`${what}: a scalar is not below L`);
  };
  const pairs = (x: Uint8Array, y: Uint8Array, what: string): void => {
    if (x.length !== y.length) throw new RangeError(`${what}: lists of different lengths`);
  };
  return {
    name: 'native',
    firstInvalid: (ps) => (points(ps, 'firstInvalid'), m.firstInvalid(ps)),
    mulBase: (ss) => (scalars(ss, 'mulBase'), m.mulBase(ss)),
    mulOne(ss, point) {
      scalars(ss, 'mulOne');
      if (point.length !== POINT) throw new RangeError('mulOne: one point expected');
      return m.mulOne(ss, point);
    },
    mul: (ss, ps) => (scalars(ss, 'mul'), points(ps, 'mul'), pairs(ss, ps, 'mul'), m.mul(ss, ps)),
    add: (p, q) => (points(p, 'add'), pairs(p, q, 'add'), m.add(p, q)),
    sub: (p, q) => (points(p, 'sub'), pairs(p, q, 'sub'), m.sub(p, q)),
    msm: (ss, ps) => (scalars(ss, 'msm'), points(ps, 'msm'), pairs(ss, ps, 'msm'), m.msm(ss, ps)),
    fromUniform(uniform) {
      if (uniform.length % 64 !== 0) throw new RangeError(`fromUniform: length ${uniform.length} is not a multiple of 64`);
      return m.fromUniform(uniform);
    },
  };
}
