import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import { BugError } from '../../src/core/common/result.js';
import { ChoiceTable } from '../../src/core/crypto/choices.js';
import { ciphertextToJson, encrypt, reEncrypt, type Ciphertext } from '../../src/core/crypto/elgamal.js';
import { G, mod, pointToHex, scalarToHex, seededScalars, type Point, type ScalarSource } from '../../src/core/crypto/group.js';
import {
  combine,
  combineChoices,
  combineChoicesForElection,
  combineForElection,
  integerLagrangeAtZero,
  lagrangeAtZero,
  partialDecrypt,
  partialFromJson,
  partialToJson,
  verifyPartial,
  verifyPartialForElection,
  verifyPartialJson,
  type MemberKey,
  type MemberSecret,
  type PartialDecryption,
  type VerifiedPartial,
} from '../../src/core/crypto/threshold.js';

function checkVectors(file: string, actual: unknown): void {
  const path = join(import.meta.dirname, '../../docs/vectors', file);
  if (process.env['SCEAU_WRITE_VECTORS'] === '1') writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(actual);
}

/**
 * TEST-ONLY trusted dealer: Shamir sharing of y over Z_L, f(z) = y + c_1·z + … + c_{t−1}·z^{t−1},
 * x_j = f(j), Y_j = x_j·G. Sceau's real keys come from the DKG (src/core/crypto/dkg/), where no one knows y.
 */
function deal(n: number, t: number, random: ScalarSource) {
  const coefficients = Array.from({ length: t }, () => random());
  const f = (z: bigint) => coefficients.reduceRight((acc, c) => mod(acc * z + c), 0n);
  const secrets: MemberSecret[] = Array.from({ length: n }, (_, i) => ({ index: i + 1, share: f(BigInt(i + 1)) }));
  const keys: MemberKey[] = secrets.map((s) => ({ index: s.index, verificationKey: G.multiply(s.share) }));
  return { y: coefficients[0]!, electionKey: G.multiply(coefficients[0]!), secrets, keys, f };
}

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
const utf8 = new TextEncoder();
const fp = new Uint8Array(32).fill(11);

function subsets<T>(xs: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (xs.length < k) return [];
  const [head, ...rest] = xs;
  return [...subsets(rest, k - 1).map((s) => [head!, ...s]), ...subsets(rest, k)];
}

describe('threshold decryption, n = 5, t = 3', () => {
  const dealer = deal(5, 3, seededScalars(utf8.encode('dealer 5/3')));
  const table = new ChoiceTable(fp, 'C03', 6);
  const choices = [0, 1, 2, 3, 4, 5, 6, 2, 2, 0];
  // re-encrypted once, as the mix-net outputs them
  const cts: Ciphertext[] = choices.map((k) => reEncrypt(dealer.electionKey, encrypt(dealer.electionKey, table.point(k)).ciphertext, 77n + BigInt(k)));
  const partials = dealer.secrets.map((s) => partialDecrypt(fp, s, dealer.keys[s.index - 1]!.verificationKey, cts));
  const verified = partials.map((p, i) => {
    const r = verifyPartial(fp, dealer.keys[i]!, cts, p);
    if (!r.ok) throw new Error(r.error.message.en);
    return r.value;
  });

  it('every subset of 3 members combines to the encrypted choices', () => {
    const all = subsets(verified, 3);
    expect(all).toHaveLength(10);
    for (const s of all) {
      const r = combine(cts, s, 3);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value.map((m) => table.decode(m))).toEqual(choices.map((index) => ({ kind: 'choice', index })));
    }
  });

  it('more than t partials also combine (the t smallest indices are used)', () => {
    for (const s of [...subsets(verified, 4), verified]) {
      const r = combine(cts, s, 3);
      expect(r.ok && r.value.every((m, i) => m.equals(table.point(choices[i]!)))).toBe(true);
    }
  });

  it('combineChoices decodes the same choices, and invalid plaintexts as invalid with their point', () => {
    const marked = G.multiply(424242n); // a voter's deliberately invalid plaintext
    const foreign = new ChoiceTable(fp, 'C04', 6).point(1); // a choice of another constituency
    const mixed = [...cts, encrypt(dealer.electionKey, marked).ciphertext, encrypt(dealer.electionKey, foreign).ciphertext];
    const vs = [0, 1, 3].map((i) => {
      const r = verifyPartial(fp, dealer.keys[i]!, mixed, partialDecrypt(fp, dealer.secrets[i]!, dealer.keys[i]!.verificationKey, mixed));
      if (!r.ok) throw new Error('unexpected');
      return r.value;
    });
    // members {1, 2, 4}: λ = (8/3, −2, 1/3), a denominator D = 3 ≠ 1
    expect(integerLagrangeAtZero([1, 2, 4]).denominator).toBe(3n);
    const r = combineChoices(mixed, vs, 3, table);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.choices).toEqual([...choices.map((index) => ({ kind: 'choice', index })), { kind: 'invalid' }, { kind: 'invalid' }]);
    expect(r.value.plaintexts[10]!.equals(marked)).toBe(true);
    expect(r.value.plaintexts[11]!.equals(foreign)).toBe(true);
    const plain = combine(mixed, vs, 3);
    expect(plain.ok && plain.value.every((M, i) => M.equals(r.value.plaintexts[i]!))).toBe(true);
    expect(code(combineChoices(mixed, vs.slice(0, 2), 3, table))).toBe('decryption.threshold');
  });

  it('fewer than t partials fail with a clear reason', () => {
    const r = combine(cts, verified.slice(0, 2), 3);
    expect(code(r)).toBe('decryption.threshold');
    expect(!r.ok && r.error.message.en).toMatch(/at least 3/);
    expect(!r.ok && r.error.message.fr).toMatch(/au moins 3/);
    expect(code(combine(cts, [], 3))).toBe('decryption.threshold');
  });

  it('refuses duplicate members and partials verified against other ciphertexts', () => {
    expect(code(combine(cts, [verified[0]!, verified[0]!, verified[1]!], 3))).toBe('decryption.duplicate');
    const others = cts.slice(0, 3);
    const p = verifyPartial(fp, dealer.keys[0]!, others, partialDecrypt(fp, dealer.secrets[0]!, dealer.keys[0]!.verificationKey, others));
    expect(p.ok).toBe(true);
    if (p.ok) expect(code(combine(cts, [p.value, verified[1]!, verified[2]!], 3))).toBe('decryption.statement');
    // an equal list in another array is the same statement
    expect(code(combine([...cts], verified.slice(0, 3), 3))).toBe('ok');
  });

  it('rejects an altered share, naming the member', () => {
    const p = partials[2]!; // member 3
    const shares = [...p.shares];
    shares[4] = shares[4]!.add(G);
    const r = verifyPartial(fp, dealer.keys[2]!, cts, { ...p, shares });
    expect(code(r)).toBe('decryption.proof');
    expect(!r.ok && r.error.message.en).toBe("Member 3's partial decryption is invalid.");
    expect(!r.ok && r.error.message.fr).toBe('Le déchiffrement partiel du membre 3 est invalide.');
    expect(!r.ok && r.error.where).toBe('member 3');
  });

  it('rejects swapped shares, another member’s shares, a relabelled partial and a length mismatch', () => {
    const p = partials[2]!;
    const swapped = [...p.shares];
    [swapped[0], swapped[9]] = [swapped[9]!, swapped[0]!];
    expect(code(verifyPartial(fp, dealer.keys[2]!, cts, { ...p, shares: swapped }))).toBe('decryption.proof');
    // member 4's honest partial relabelled as member 3's
    expect(code(verifyPartial(fp, dealer.keys[2]!, cts, { ...partials[3]!, member: 3 }))).toBe('decryption.proof');
    // member 4's partial handed in where member 3's is expected
    expect(code(verifyPartial(fp, dealer.keys[2]!, cts, partials[3]!))).toBe('decryption.member');
    // member 3's shares with member 4's proof
    expect(code(verifyPartial(fp, dealer.keys[2]!, cts, { ...p, proof: partials[3]!.proof }))).toBe('decryption.proof');
    expect(code(verifyPartial(fp, dealer.keys[2]!, cts, { ...p, shares: p.shares.slice(1) }))).toBe('decryption.length');
    expect(code(verifyPartial(fp, dealer.keys[2]!, cts.slice(1), p))).toBe('decryption.length');
    expect(code(verifyPartial(fp, dealer.keys[2]!, [...cts.slice(1), cts[0]!], p))).toBe('decryption.proof');
    expect(code(verifyPartial(new Uint8Array(32), dealer.keys[2]!, cts, p))).toBe('decryption.proof');
  });

  it('a share computed with a wrong key never combines: its proof fails first', () => {
    const wrong: MemberSecret = { index: 2, share: mod(dealer.secrets[1]!.share + 1n) };
    const p = partialDecrypt(fp, wrong, dealer.keys[1]!.verificationKey, cts);
    expect(code(verifyPartial(fp, dealer.keys[1]!, cts, p))).toBe('decryption.proof');
  });

  it('round-trips the JSON form and rejects malformed partials with a code', () => {
    const json = JSON.parse(JSON.stringify(partialToJson(partials[0]!)));
    expect(code(verifyPartialJson(fp, dealer.keys[0]!, cts, json))).toBe('ok');
    expect(code(verifyPartialJson(fp, dealer.keys[0]!, cts, { ...json, member: 0 }))).toBe('decryption.member');
    expect(code(verifyPartialJson(fp, dealer.keys[0]!, cts, { ...json, member: '1' }))).toBe('decryption.member');
    expect(code(verifyPartialJson(fp, dealer.keys[0]!, cts, { ...json, shares: 'x' }))).toBe('decryption.shape');
    expect(code(verifyPartialJson(fp, dealer.keys[0]!, cts, { ...json, extra: 1 }))).toBe('decryption.shape');
    expect(code(verifyPartialJson(fp, dealer.keys[0]!, cts, { ...json, proof: { c: json.proof.c } }))).toBe('decryption.shape');
    const badShare = { ...json, shares: [...json.shares] };
    badShare.shares[3] = '00'.repeat(32);
    const r = verifyPartialJson(fp, dealer.keys[0]!, cts, badShare);
    expect(code(r)).toBe('point.identity');
    expect(!r.ok && r.error.where).toMatch(/member 1.*share 3/);
    expect(code(verifyPartialJson(fp, dealer.keys[0]!, cts, { ...json, proof: { ...json.proof, s: 'ff'.repeat(32) } }))).toBe('scalar.range');
  });
});

describe('decryption for the election: only Q, only the DKG’s keys, t from the DKG (protocol.md §9.5)', () => {
  const dealer = deal(5, 3, seededScalars(utf8.encode('dealer election')));
  const table = new ChoiceTable(fp, 'C07', 4);
  const choices = [0, 1, 2, 3, 1];
  const cts: Ciphertext[] = choices.map((k) => encrypt(dealer.electionKey, table.point(k)).ciphertext);
  // Member 2 was disqualified in the DKG, but its Y_2 is still published (docs/dkg.md §4.3).
  const dkg = { qualified: [1, 3, 4, 5], verificationKeys: dealer.keys.map((k) => k.verificationKey), t: 3 };
  const json = (j: number, over = cts) => partialToJson(partialDecrypt(fp, dealer.secrets[j - 1]!, dealer.keys[j - 1]!.verificationKey, over));
  const must = (j: number): VerifiedPartial => {
    const r = verifyPartialForElection(fp, dkg, cts, json(j));
    if (!r.ok) throw new Error(r.error.message.en);
    return r.value;
  };

  it('accepts members of Q, records the key and fingerprint checked, and combines with t from the DKG', () => {
    const vs = [1, 3, 4].map(must);
    expect(vs.every((v, i) => v.verificationKey.equals(dkg.verificationKeys[[1, 3, 4][i]! - 1]!) && toHex(v.fingerprint) === toHex(fp))).toBe(true);
    const r = combineForElection(fp, cts, vs, dkg);
    expect(r.ok && r.value.every((m, i) => m.equals(table.point(choices[i]!)))).toBe(true);
    const c = combineChoicesForElection(fp, cts, vs, dkg, table);
    expect(c.ok && c.value.choices).toEqual(choices.map((index) => ({ kind: 'choice', index })));
    // t comes from the DKG: two partials are not enough even though a caller might have said 2.
    expect(code(combineForElection(fp, cts, vs.slice(0, 2), dkg))).toBe('decryption.threshold');
    expect(code(combineChoicesForElection(fp, cts, vs.slice(0, 2), dkg, table))).toBe('decryption.threshold');
  });

  it('refuses a member outside Q (decryption.not-qualified), even with a correct partial', () => {
    const r = verifyPartialForElection(fp, dkg, cts, json(2));
    expect(!r.ok && [r.error.code, r.error.where]).toEqual(['decryption.not-qualified', 'member 2']);
    expect(!r.ok && r.error.message.en).toContain('Member 2 is not in the key generation');
    expect(!r.ok && r.error.message.fr).toContain("Le membre 2 n'appartient pas");
    // The same partial verified by the lax entry point is refused when combining for the election.
    const lax = verifyPartial(fp, dealer.keys[1]!, cts, partialFromJson(json(2)));
    expect(lax.ok).toBe(true);
    if (lax.ok) expect(code(combineForElection(fp, cts, [must(1), lax.value, must(3)], dkg))).toBe('decryption.not-qualified');
    // A member number beyond n.
    expect(code(verifyPartialForElection(fp, dkg, cts, { ...json(1), member: 9 }))).toBe('decryption.not-qualified');
  });

  it('checks the proof against the DKG’s Y_j, not a key from elsewhere (decryption.key, decryption.proof)', () => {
    // A partial made with a key that is not Y_1 fails the election check at once.
    const impostor = { index: 1, share: 12345n };
    const forged = partialToJson(partialDecrypt(fp, impostor, G.multiply(impostor.share), cts));
    expect(code(verifyPartialForElection(fp, dkg, cts, forged))).toBe('decryption.proof');
    // And if someone verified it with the lax function and the forged key, combining refuses it.
    const lax = verifyPartial(fp, { index: 1, verificationKey: G.multiply(impostor.share) }, cts, partialFromJson(forged));
    expect(lax.ok).toBe(true);
    if (lax.ok) expect(code(combineForElection(fp, cts, [lax.value, must(3), must(4)], dkg))).toBe('decryption.key');
  });

  it('refuses a partial verified under another fingerprint (decryption.fingerprint) and malformed JSON (decryption.shape)', () => {
    const other = new Uint8Array(32).fill(12);
    const p = partialDecrypt(other, dealer.secrets[0]!, dealer.keys[0]!.verificationKey, cts);
    expect(code(verifyPartialForElection(fp, dkg, cts, partialToJson(p)))).toBe('decryption.proof');
    const lax = verifyPartial(other, dealer.keys[0]!, cts, p);
    expect(lax.ok).toBe(true);
    if (lax.ok) {
      expect(code(combineForElection(fp, cts, [lax.value, must(3), must(4)], dkg))).toBe('decryption.fingerprint');
      expect(code(combineChoicesForElection(fp, cts, [lax.value, must(3), must(4)], dkg, table))).toBe('decryption.fingerprint');
    }
    expect(code(verifyPartialForElection(fp, dkg, cts, { member: 1 }))).toBe('decryption.shape');
    // Another statement (other ciphertexts) fails the proof.
    expect(code(verifyPartialForElection(fp, dkg, cts, json(1, [...cts].reverse())))).toBe('decryption.proof');
  });
});

describe('Lagrange coefficients at zero', () => {
  it('interpolate f(0) from any t points of a degree t−1 polynomial', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 6, maxLength: 6 }), fc.integer(), (t, indices, s) => {
        const { y, f } = deal(1, t, seededScalars(utf8.encode(`poly ${s}`)));
        const chosen = indices.slice(0, t);
        const lambdas = lagrangeAtZero(chosen);
        const sum = chosen.reduce((acc, j, i) => mod(acc + lambdas[i]! * f(BigInt(j))), 0n);
        expect(sum).toBe(y);
      }),
      { numRuns: 30 },
    );
  });

  it('as integer fractions n_j / D equal λ_j mod L', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 2 ** 40 }), { minLength: 1, maxLength: 7 }), (indices) => {
        const { numerators, denominator } = integerLagrangeAtZero(indices);
        expect(denominator > 0n).toBe(true);
        const lambdas = lagrangeAtZero(indices);
        numerators.forEach((n, k) => expect(mod(n)).toBe(mod(lambdas[k]! * denominator)));
      }),
      { numRuns: 30 },
    );
  });

  it('are 1 for a single member and refuse duplicates or index 0', () => {
    expect(lagrangeAtZero([4])).toEqual([1n]);
    expect(() => lagrangeAtZero([1, 1])).toThrow(BugError);
    expect(() => lagrangeAtZero([0, 1])).toThrow(BugError);
    expect(() => lagrangeAtZero([1.5])).toThrow(BugError);
  });
});

describe('round trip for random plaintexts and random subsets (n = 4, t = 2)', () => {
  const dealer = deal(4, 2, seededScalars(utf8.encode('dealer 4/2')));
  it('decrypts', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 1n, max: 2n ** 250n }), { minLength: 1, maxLength: 3 }), fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 2 }), (ms, who) => {
        const points = ms.map((m) => G.multiply(m));
        const cts = points.map((M) => encrypt(dealer.electionKey, M).ciphertext);
        const verified: VerifiedPartial[] = who.map((i) => {
          const r = verifyPartial(fp, dealer.keys[i]!, cts, partialDecrypt(fp, dealer.secrets[i]!, dealer.keys[i]!.verificationKey, cts));
          if (!r.ok) throw new Error('unexpected');
          return r.value;
        });
        const r = combine(cts, verified, 2);
        expect(r.ok && r.value.every((M, i) => M.equals(points[i]!))).toBe(true);
      }),
      { numRuns: 15 },
    );
  });
});

describe('large member numbers (λ_j mod L instead of small fractions)', () => {
  it('still decrypt', () => {
    const rng = seededScalars(utf8.encode('large indices'));
    const coefficients = [rng(), rng(), rng(), rng()];
    const f = (z: bigint) => coefficients.reduceRight((acc, c) => mod(acc * z + c), 0n);
    const Yv = G.multiply(coefficients[0]!);
    const indices = [3, 2 ** 52 + 7, 2 ** 53 - 5, 2 ** 50 + 11];
    const { numerators, denominator } = integerLagrangeAtZero(indices);
    expect(Math.max(...[denominator, ...numerators].map((n) => (n < 0n ? -n : n).toString(2).length))).toBeGreaterThan(128);
    const table = new ChoiceTable(fp, 'C09', 3);
    const cts = [1, 3].map((k) => encrypt(Yv, table.point(k)).ciphertext);
    const vs = indices.map((j) => {
      const member: MemberSecret = { index: j, share: f(BigInt(j)) };
      const key: MemberKey = { index: j, verificationKey: G.multiply(member.share) };
      const r = verifyPartial(fp, key, cts, partialDecrypt(fp, member, key.verificationKey, cts));
      if (!r.ok) throw new Error('unexpected');
      return r.value;
    });
    const r = combineChoices(cts, vs, 4, table);
    expect(r.ok && r.value.choices).toEqual([
      { kind: 'choice', index: 1 },
      { kind: 'choice', index: 3 },
    ]);
    const plain = combine(cts, vs, 4);
    expect(plain.ok && plain.value[1]!.equals(table.point(3))).toBe(true);
  });
});

describe('known-answer vectors', () => {
  it('decryption.json: dealer n = 3, t = 2, members 1 and 3 decrypt', () => {
    const rng = seededScalars(utf8.encode('decryption vectors'));
    const dealer = deal(3, 2, rng);
    const fpv = new Uint8Array(32).fill(0x5a);
    const table = new ChoiceTable(fpv, 'C02', 4);
    const cts = [4, 0, 2].map((k) => {
      const r = rng();
      return encrypt(dealer.electionKey, table.point(k), () => r).ciphertext;
    });
    const partials: PartialDecryption[] = [0, 2].map((i) => {
      const rho = rng(); // the hedged nonce's random input (docs/protocol.md §5.4)
      return partialDecrypt(fpv, dealer.secrets[i]!, dealer.keys[i]!.verificationKey, cts, () => rho);
    });
    const verified = partials.map((p, n) => {
      const r = verifyPartial(fpv, dealer.keys[n === 0 ? 0 : 2]!, cts, p);
      if (!r.ok) throw new Error('unexpected');
      return r.value;
    });
    const plain = combine(cts, verified, 2);
    if (!plain.ok) throw new Error('unexpected');
    expect(plain.value.map((m) => table.decode(m))).toEqual([4, 0, 2].map((index) => ({ kind: 'choice', index })));
    const lambdas = lagrangeAtZero([1, 3]);
    checkVectors('decryption.json', {
      description:
        'Threshold decryption (docs/protocol.md §9): test dealer over Z_L (secrets given only for checking), partial decryptions d_i = x_j·a_i with their batched Chaum–Pedersen proof (hedged nonce, §5.4), Lagrange coefficients for {1, 3}, plaintexts M_i = b_i − Σ λ_j·d_{j,i} and the choices they decode to (constituency C02).',
      fingerprint: toHex(fpv),
      threshold: 2,
      electionKey: pointToHex(dealer.electionKey),
      members: dealer.secrets.map((s, i) => ({ index: s.index, share: scalarToHex(s.share), verificationKey: pointToHex(dealer.keys[i]!.verificationKey) })),
      ciphertexts: cts.map(ciphertextToJson),
      partials: partials.map(partialToJson),
      lagrange: { members: [1, 3], coefficients: lambdas.map(scalarToHex) },
      plaintexts: plain.value.map((m: Point) => pointToHex(m)),
      choices: [4, 0, 2],
    });
  });
});
