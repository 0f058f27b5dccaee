/**
 * The group backends the packed kernels are tested on (docs/performance.md "Backends"): the reference
 * always, the native one when its module is built, else listed as skipped with the reason in its title.
 */
import { nobleBackend, type GroupBackend } from '../../src/core/crypto/backend/index.js';
import { loadNativeBackend } from '../../src/core/crypto/backend/native.js';

const native = loadNativeBackend();

export const BACKENDS: readonly { title: string; backend: GroupBackend; skip: boolean }[] = [
  { title: 'the noble backend', backend: nobleBackend, skip: false },
  native.ok ? { title: 'the native backend', backend: native.backend, skip: false } : { title: `the native backend (skipped: ${native.reason})`, backend: nobleBackend, skip: true },
];
