/**
 * Threshold decryption on packed bytes (src/core/crypto/fast/decryption.ts) held to the reference
 * (src/core/crypto/threshold.ts and the pipeline's combine task), on both backends (docs/protocol.md §9).
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import { packScalars, type PackedCiphertexts } from '../../src/core/crypto/backend/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { ChoiceTable } from '../../src/core/crypto/choices.js';
import { encrypt, pointBytes, reEncrypt, type Ciphertext } from '../../src/core/crypto/elgamal.js';
import { combineFast, packedDecryptionSeed, packedDecryptionWeights, partialDecryptFast, verifyPartialFast } from '../../src/core/crypto/fast/decryption.js';
import { G, IDENTITY, L, mod, pointToHex, scalarToHex, seededScalars, type Point, type ScalarSource } from '../../src/core/crypto/group.js';
import { runTask, type CombineOutput, type CombineTask } from '../../src/core/workers/tasks.js';
import { decryptionSeed, decryptionWeights } from '../../src/core/crypto/proofs/batched-chaum-pedersen.js';
import { integerLagrangeAtZero, partialDecrypt, partialToJson, verifyPartialJson, type MemberSecret, type PartialDecryptionJson } from '../../src/core/crypto/threshold.js';

const utf8 = new TextEncoder();
const fp = new Uint8Array(32).fill(13);
const otherFp = new Uint8Array(32).fill(14);

/**
 * TEST-ONLY trusted dealer (as test/core/threshold.test.ts): shares x_j = f(j) of a random polynomial
 * of degree t − 1 for the members `indices`. Real keys come from the DKG, where no one knows f.
 */
function deal(indices: readonly number[], t: number, random: ScalarSource) {
  const coefficients = Array.from({ length: t }, () => random());
  const f = (z: bigint) => coefficients.reduceRight((acc, c) => mod(acc * z + c), 0n);
  const secrets = new Map<number, MemberSecret>(indices.map((j) => [j, { index: j, share: f(BigInt(j)) }]));
  const keys = new Map<number, Point>(indices.map((j) => [j, G.multiply(secrets.get(j)!.share)]));
  return { electionKey: G.multiply(coefficients[0]!), secrets, keys };
}

function pack(cts: readonly Ciphertext[]): PackedCiphertexts {
  const a = new Uint8Array(cts.length * 32);
  const b = new Uint8Array(cts.length * 32);
  cts.forEach((ct, i) => {
    a.set(pointBytes(ct.a), i * 32);
    b.set(pointBytes(ct.b), i * 32);
  });
  return { n: cts.length, a, b };
}

const MEMBERS = [1, 2, 3, 4, 5];
const dealer = deal(MEMBERS, 3, seededScalars(utf8.encode('fast dealer 5/3')));
const table = new ChoiceTable(fp, 'C07', 4);
const choices = [0, 1, 2, 3, 4, 2];
const encryptRandom = seededScalars(utf8.encode('fast ciphertexts'));
const marked = G.multiply(424242n); // a voter's deliberately invalid plaintext
const foreign = new ChoiceTable(fp, 'C08', 4).point(1); // a choice of another constituency
// b = M + r·Y is the identity for M = −r·Y: a valid ciphertext of an invalid plaintext (§6.1)
const rOfIdentityB = encryptRandom();
const identityB: Ciphertext = { a: G.multiply(rOfIdentityB), b: IDENTITY };
const cts: Ciphertext[] = [
  ...choices.map((k) => reEncrypt(dealer.electionKey, encrypt(dealer.electionKey, table.point(k), encryptRandom).ciphertext, encryptRandom())),
  encrypt(dealer.electionKey, marked, encryptRandom).ciphertext,
  encrypt(dealer.electionKey, foreign, encryptRandom).ciphertext,
  identityB,
];
const packed = pack(cts);
const key = (j: number) => dealer.keys.get(j)!;
const keyBytes = (j: number) => pointBytes(key(j));
const secret = (j: number) => dealer.secrets.get(j)!;
const seedOf = (j: number) => utf8.encode(`partial of ${j}`);
/** The reference's partial decryptions, with seeded randomness. */
const reference = new Map<number, PartialDecryptionJson>(MEMBERS.map((j) => [j, partialToJson(partialDecrypt(fp, secret(j), key(j), cts, seededScalars(seedOf(j))))]));
const json = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

describe('the statement of §9.2 from packed bytes', () => {
  it('has the reference seed and weights', () => {
    const shares = cts.map((ct) => ct.a.multiply(secret(3).share));
    const seed = decryptionSeed({ fingerprint: fp, member: 3, verificationKey: key(3), ciphertexts: cts, shares });
    const packedShares = new Uint8Array(shares.length * 32);
    shares.forEach((d, i) => packedShares.set(pointBytes(d), i * 32));
    expect(toHex(packedDecryptionSeed(fp, 3, keyBytes(3), packed, packedShares))).toBe(toHex(seed));
    expect(toHex(packedDecryptionWeights(seed, cts.length))).toBe(toHex(packScalars(decryptionWeights(seed, cts.length))));
  });

  it('writes integer(i) in full for every index (a hash chunk boundary and beyond)', () => {
    const seed = new Uint8Array(64).fill(3);
    expect(toHex(packedDecryptionWeights(seed, 2100))).toBe(toHex(packScalars(decryptionWeights(seed, 2100))));
  });
});

for (const { title, backend, skip } of BACKENDS) {
  describe.skipIf(skip)(`fast partial decryption on ${title}`, () => {
    it('writes the reference JSON, byte for byte, for the same random source', () => {
      for (const j of MEMBERS) {
        const fast = partialDecryptFast(fp, secret(j), keyBytes(j), packed, seededScalars(seedOf(j)), backend);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(reference.get(j)));
      }
    });

    it('is accepted by the reference, and accepts the reference', () => {
      const fast = json(partialDecryptFast(fp, secret(2), keyBytes(2), packed, undefined, backend));
      expect(verifyPartialJson(fp, { index: 2, verificationKey: key(2) }, cts, fast).ok).toBe(true);
      expect(verifyPartialFast(fp, 2, keyBytes(2), packed, fast, backend)).toBe(true);
      for (const j of MEMBERS) expect(verifyPartialFast(fp, j, keyBytes(j), packed, json(reference.get(j)), backend)).toBe(true);
    });

    it('refuses the reference’s programming errors', () => {
      expect(() => partialDecryptFast(fp, { index: 0, share: 5n }, keyBytes(1), packed, undefined, backend)).toThrow(/member index/);
      expect(() => partialDecryptFast(fp, { index: 1, share: L }, keyBytes(1), packed, undefined, backend)).toThrow(/share/);
      expect(() => partialDecryptFast(fp, secret(1), keyBytes(1), pack([]), undefined, backend)).toThrow(/no ciphertexts/);
    });

    describe('rejects, as the reference does', () => {
      const honest = reference.get(3)!;
      const shareHex = (p: Point) => pointToHex(p);
      const withShare = (i: number, hex: string) => ({ ...honest, shares: honest.shares.map((h, k) => (k === i ? hex : h)) });
      /** 64 hex digits, little-endian, of any n < 2^256 (L itself included). */
      const leHex = (n: bigint) => n.toString(16).padStart(64, '0').match(/../g)!.reverse().join('');
      const bump = (hex: string) => scalarToHex(mod(BigInt(`0x${leHex(BigInt(`0x${hex}`))}`) + 1n));
      const nonCanonical = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f';
      const reencrypted = cts.map((ct, i) => (i === 2 ? reEncrypt(dealer.electionKey, ct, 99n) : ct));
      const cases: readonly { name: string; member?: number; verificationKey?: Point; fingerprint?: Uint8Array; ciphertexts?: Ciphertext[]; partial: unknown }[] = [
        { name: 'a changed share', partial: withShare(4, shareHex(cts[4]!.a.multiply(secret(3).share).add(G))) },
        { name: 'two shares swapped', partial: { ...honest, shares: honest.shares.map((_h, k) => honest.shares[k === 0 ? 1 : k === 1 ? 0 : k]!) } },
        { name: 'another member’s share', partial: withShare(0, reference.get(4)!.shares[0]!) },
        { name: 'a changed c', partial: { ...honest, proof: { ...honest.proof, c: bump(honest.proof.c) } } },
        { name: 'a changed s', partial: { ...honest, proof: { ...honest.proof, s: bump(honest.proof.s) } } },
        { name: 'another member number in the JSON', partial: { ...honest, member: 4 } },
        { name: 'member 4’s partial relabelled as 3’s', partial: { ...reference.get(4)!, member: 3 } },
        { name: 'member 4’s partial where 3’s is expected', partial: reference.get(4)! },
        { name: 'the wrong verification key', verificationKey: key(2), partial: honest },
        { name: 'another fingerprint', fingerprint: otherFp, partial: honest },
        { name: 'another ciphertext', ciphertexts: reencrypted, partial: honest },
        { name: 'one share too few', partial: { ...honest, shares: honest.shares.slice(1) } },
        { name: 'one ciphertext too few', ciphertexts: cts.slice(1), partial: honest },
        { name: 'upper-case hex', partial: withShare(1, honest.shares[1]!.toUpperCase()) },
        { name: 'a non-canonical encoding', partial: withShare(1, nonCanonical) },
        { name: 'an identity share', partial: withShare(1, '00'.repeat(32)) },
        { name: 'a short share', partial: withShare(1, honest.shares[1]!.slice(2)) },
        { name: 'c = L', partial: { ...honest, proof: { ...honest.proof, c: leHex(L) } } },
        { name: 'an extra key', partial: { ...honest, note: 'x' } },
        { name: 'an extra proof key', partial: { ...honest, proof: { ...honest.proof, r: honest.proof.c } } },
        { name: 'a missing key', partial: { member: 3, shares: honest.shares } },
        { name: 'a member given as a string', partial: { ...honest, member: '3' } },
        { name: 'member 0', member: 0, partial: { ...honest, member: 0 } },
        { name: 'a fractional member', partial: { ...honest, member: 3.5 } },
        { name: 'shares that are no array', partial: { ...honest, shares: { 0: honest.shares[0] } } },
        { name: 'a null proof', partial: { ...honest, proof: null } },
        { name: 'no object', partial: [3, honest.shares, honest.proof] },
        { name: 'null', partial: null },
      ];
      it.each(cases)('$name', (c) => {
        const member = c.member ?? 3;
        const verificationKey = c.verificationKey ?? key(3);
        const ciphertexts = c.ciphertexts ?? cts;
        const partial = json(c.partial);
        expect(verifyPartialJson(c.fingerprint ?? fp, { index: member, verificationKey }, ciphertexts, partial).ok).toBe(false);
        expect(verifyPartialFast(c.fingerprint ?? fp, member, pointBytes(verificationKey), pack(ciphertexts), partial, backend)).toBe(false);
      });

      it('the identity or a non-canonical encoding as verification key', () => {
        expect(verifyPartialFast(fp, 3, new Uint8Array(32), packed, honest, backend)).toBe(false);
        expect(verifyPartialFast(fp, 3, new Uint8Array(32).fill(0xff), packed, honest, backend)).toBe(false);
      });
    });
  });

  describe.skipIf(skip)(`fast combination on ${title}`, () => {
    const verificationKeys = MEMBERS.map((j) => pointToHex(key(j)));
    const task = (partials: readonly { member: number; partial: unknown }[], patch: Partial<CombineTask> = {}): CombineTask => ({
      kind: 'combine',
      fingerprint: toHex(fp),
      constituency: 'C07',
      candidates: 4,
      dkg: { t: 3, qualified: MEMBERS, verificationKeys },
      ciphertexts: packed,
      partials,
      ...patch,
    });
    const of = (members: readonly number[]) => members.map((j) => ({ member: j, partial: json(reference.get(j)) }));
    const expectedDecoded = [...choices, null, null, null];

    it.each([[[1, 2, 3]], [[1, 2, 4]], [[5, 3, 2]], [[2, 4, 5]], [[3, 4, 5]], [[1, 2, 3, 4, 5]], [[4, 5, 1, 3]]])('equals the combine task for members %j', (members) => {
      const t = task(of(members));
      const ref = runTask(t) as CombineOutput;
      expect(ref.ok).toBe(true);
      const fast = combineFast(t, packed, backend);
      expect(fast).toEqual(ref);
      expect(fast?.decoded).toEqual(expectedDecoded);
      expect(fast?.plaintexts.slice(6)).toEqual([pointToHex(marked), pointToHex(foreign), pointToHex(dealer.electionKey.multiply(rOfIdentityB).negate())]);
    });

    it('combines with D ≠ 1 (members 1, 2, 4: λ = 8/3, −2, 1/3) and partials made by the fast prover', () => {
      expect(integerLagrangeAtZero([1, 2, 4]).denominator).toBe(3n);
      const partials = [1, 2, 4].map((j) => ({ member: j, partial: json(partialDecryptFast(fp, secret(j), keyBytes(j), packed, undefined, backend)) }));
      const t = task(partials);
      expect(combineFast(t, packed, backend)).toEqual(runTask(t));
    });

    it('reads the member from the partial, as the task does', () => {
      const t = task([1, 2, 4].map((j, k) => ({ member: [9, 1, 2][k]!, partial: json(reference.get(j)) })));
      expect(combineFast(t, packed, backend)).toEqual(runTask(t));
    });

    it('uses λ_j mod L when the integer fractions exceed 128 bits', () => {
      const members = [42, 60, 84, 97, 127, 143, 149, 173, 197, 200];
      const { numerators, denominator } = integerLagrangeAtZero(members);
      expect(Math.max(...[denominator, ...numerators].map((n) => (n < 0n ? -n : n).toString(2).length))).toBeGreaterThan(128);
      const big = deal(members, members.length, seededScalars(utf8.encode('large members')));
      const few = [0, 3, 4].map((k) => reEncrypt(big.electionKey, encrypt(big.electionKey, table.point(k), encryptRandom).ciphertext, 5n));
      few.push(encrypt(big.electionKey, marked, encryptRandom).ciphertext);
      const keys = Array.from({ length: 200 }, (_, i) => pointToHex(big.keys.get(i + 1) ?? G));
      const partials = members.map((j) => ({ member: j, partial: json(partialToJson(partialDecrypt(fp, big.secrets.get(j)!, big.keys.get(j)!, few))) }));
      const t = task(partials, { dkg: { t: members.length, qualified: members, verificationKeys: keys }, ciphertexts: pack(few) });
      const ref = runTask(t) as CombineOutput;
      expect(ref.ok && ref.decoded).toEqual([0, 3, 4, null]);
      expect(combineFast(t, pack(few), backend)).toEqual(ref);
    });

    describe('returns null where the task fails', () => {
      const honest = reference.get(2)!;
      const changed = { ...honest, shares: honest.shares.map((h, k) => (k === 3 ? reference.get(1)!.shares[3]! : h)) };
      const cases: readonly { name: string; task: CombineTask }[] = [
        { name: 'a wrong share', task: task([...of([1, 3]), { member: 2, partial: changed }]) },
        { name: 'a wrong share beyond the t combined', task: task([...of([1, 2, 3, 4]), { member: 5, partial: { ...reference.get(5)!, shares: changed.shares } }]) },
        { name: 'a member outside Q', task: task(of([1, 2, 3, 4]), { dkg: { t: 3, qualified: [1, 2, 3, 5], verificationKeys } }) },
        { name: 'a member without a key', task: task(of([1, 2, 3, 5]), { dkg: { t: 3, qualified: MEMBERS, verificationKeys: verificationKeys.slice(0, 4) } }) },
        { name: 'a member twice', task: task(of([1, 2, 2])) },
        { name: 'fewer than t', task: task(of([1, 4])) },
        { name: 'no partial', task: task([]) },
        { name: 'a bad verification key (even unused)', task: task(of([1, 2, 3]), { dkg: { t: 3, qualified: MEMBERS, verificationKeys: [...verificationKeys.slice(0, 4), '00'.repeat(32)] } }) },
        { name: 'another election', task: task(of([1, 2, 3]), { fingerprint: toHex(otherFp) }) },
        { name: 'a malformed partial', task: task([...of([1, 2]), { member: 3, partial: { ...reference.get(3)!, extra: 1 } }]) },
      ];
      it.each(cases)('$name', ({ task: t }) => {
        expect((runTask(t) as CombineOutput).ok).toBe(false);
        expect(combineFast(t, packed, backend)).toBeNull();
      });

      it('other ciphertexts than the partials’', () => {
        const t = task(of([1, 2, 3]));
        const other = pack(cts.map((ct, i) => (i === 0 ? reEncrypt(dealer.electionKey, ct, 3n) : ct)));
        expect(combineFast(t, other, backend)).toBeNull();
      });

      it('what the reference throws on (t = 0, an impossible candidate count), for the reference to throw', () => {
        expect(combineFast(task(of([1, 2, 3]), { dkg: { t: 0, qualified: MEMBERS, verificationKeys } }), packed, backend)).toBeNull();
        expect(combineFast(task(of([1, 2, 3]), { candidates: -1 }), packed, backend)).toBeNull();
      });
    });
  });
}
