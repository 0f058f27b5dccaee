/**
 * The group backends' single operations (docs/performance.md "Backends"): for each backend, `n` products
 * by G, by one point, by n points, n sums, an n-term multi-scalar sum, n validations and n maps of uniform
 * bytes, each in one call (as the fast kernels call them). The native lines are libsodium's own costs
 * plus one crossing into C per list: the bound the tally's arithmetic is measured against.
 */
import { randomBytes } from 'node:crypto';
import { groupBackend, nobleBackend, packScalars, type GroupBackend } from '../../src/core/crypto/backend/index.js';
import { randomScalar } from '../../src/core/crypto/group.js';
import { measure } from '../harness.js';

export default function bench(n: number): void {
  const backends: GroupBackend[] = groupBackend().name === 'native' ? [groupBackend(), nobleBackend] : [nobleBackend];
  const scalars = packScalars(Array.from({ length: n }, () => randomScalar()));
  const others = packScalars(Array.from({ length: n }, () => randomScalar()));
  const uniform = new Uint8Array(randomBytes(64 * n));
  for (const b of backends) {
    // The reference is slow: it runs on at most 2,000 items.
    const m = b.name === 'noble' ? Math.min(n, 2_000) : n;
    const s = scalars.subarray(0, 32 * m);
    const points = b.mulBase(s);
    const other = b.mulBase(others.subarray(0, 32 * m));
    measure(`${b.name}:mulBase`, m, () => b.mulBase(s));
    measure(`${b.name}:mulOne`, m, () => b.mulOne(s, points.subarray(0, 32)));
    measure(`${b.name}:mul`, m, () => b.mul(s, points));
    measure(`${b.name}:add`, m, () => b.add(points, other));
    measure(`${b.name}:msm (per term)`, m, () => b.msm(s, points));
    measure(`${b.name}:firstInvalid`, m, () => b.firstInvalid(points));
    measure(`${b.name}:fromUniform`, m, () => b.fromUniform(uniform.subarray(0, 64 * m)));
  }
}
