/**
 * The DKG played as the ceremony: every member contributes (round 1), checks its shares and complains
 * (round 2 a), everyone resolves from the public transcript, and each qualified member finalizes its
 * key share (round 2 b). Then the same with cheaters, false complaints and broken messages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { G, IDENTITY, invert, mod, pointToHex, randomScalar, type Point } from '../../src/core/crypto/group.js';
import { proveChaumPedersen } from '../../src/core/crypto/proofs/chaum-pedersen.js';
import { toHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import {
  assess,
  checkShares,
  complaintFromJson,
  complaintStatement,
  complaintToJson,
  contribute,
  dkgResultFromJson,
  dkgResultToJson,
  finalizeKeyShare,
  pokStatement,
  readContributions,
  readRound1,
  resolve,
  round1FromJson,
  round1ToJson,
  validateParams,
  verifyDkgResult,
  verifyRound1,
  type ComplaintEntry,
  type DkgParams,
  type DkgResult,
  type Round1Entry,
  type Round1Message,
  type Round1MessageJson,
} from '../../src/core/crypto/dkg/index.js';
import { judgeBox, judgeComplaint } from '../../src/core/crypto/dkg/complaint.js';
import { evaluateCommitments } from '../../src/core/crypto/dkg/polynomial.js';
import { boxContext, encryptShare, ephemeralStatement } from '../../src/core/crypto/dkg/round1.js';
import { commitmentsDigest, openShare } from '../../src/core/crypto/dkg/share-box.js';
import { proveSchnorr, verifySchnorr } from '../../src/core/crypto/proofs/schnorr.js';

const fingerprint = new Uint8Array(32).fill(0x5c);

// ------------------------------------------------------------------ the ceremony, step by step

interface Board {
  readonly params: DkgParams;
  /** e_j, index j − 1: each on its own token. */
  readonly e: readonly bigint[];
  /** E_j = e_j·G: the roster's public encryption keys. */
  readonly E: readonly Point[];
}

function board(n: number, t: number): Board {
  const e = Array.from({ length: n }, () => randomScalar());
  return { params: { fingerprint, n, t }, e, E: e.map((x) => G.multiply(x)) };
}

function contributeAll(b: Board): Round1Message[] {
  return Array.from({ length: b.params.n }, (_, k) => contribute(b.params, k + 1, b.E));
}

function entries(messages: readonly (Round1Message | Round1MessageJson | unknown)[]): Round1Entry[] {
  return messages.map((m, k) => ({ member: k + 1, message: isTyped(m) ? round1ToJson(m) : m }));
}

function isTyped(m: unknown): m is Round1Message {
  return typeof m === 'object' && m !== null && 'commitments' in m && Array.isArray((m as Round1Message).commitments) && typeof (m as Round1Message).commitments[0] === 'object';
}

/** Round 2 (a) for every member: the complaints they publish, as transcript entries. */
function complainAll(b: Board, round1: readonly Round1Entry[], members = range(b.params.n)): ComplaintEntry[] {
  const out: ComplaintEntry[] = [];
  for (const j of members) {
    const r = unwrap(checkShares(b.params, b.E, j, b.e[j - 1]!, round1));
    for (const c of r.complaints) out.push({ member: j, complaint: complaintToJson(c) });
  }
  return out;
}

function code(r: Result<unknown>): string {
  return r.ok ? 'ok' : r.error.code;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, k) => k + 1);
}

function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

/** Round 2 (b) for every qualified member; checks each x_j·G = Y_j (finalize does too). */
function finalizeAll(b: Board, round1: readonly Round1Entry[], complaints: readonly ComplaintEntry[], result: DkgResult): Map<number, bigint> {
  const shares = new Map<number, bigint>();
  for (const j of result.qualified) {
    const ks = unwrap(finalizeKeyShare(b.params, b.E, j, b.e[j - 1]!, round1, complaints));
    expect(G.multiply(ks.secret).equals(result.verificationKeys[j - 1]!)).toBe(true);
    expect(ks.publicKey.equals(result.publicKey)).toBe(true);
    shares.set(j, ks.secret);
  }
  return shares;
}

/** λ_j for the subset S at 0: Π_{m∈S, m≠j} m / (m − j). Test-only: x is never reconstructed in code. */
function lagrangeAtZero(subset: readonly number[], j: number): bigint {
  let num = 1n;
  let den = 1n;
  for (const m of subset) {
    if (m === j) continue;
    num = mod(num * BigInt(m));
    den = mod(den * BigInt(m - j));
  }
  return mod(num * invert(den));
}

function subsets<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items;
  return [...subsets(rest, k - 1).map((s) => [first!, ...s]), ...subsets(rest, k)];
}

/** Every t-subset of the key shares, combined in the exponent, gives Y: Σ λ_j·(x_j·G) = Y. */
function expectEverySubsetInterpolatesToY(t: number, shares: Map<number, bigint>, Y: Point): number {
  const members = [...shares.keys()].sort((a, b) => a - b);
  const all = subsets(members, t);
  for (const s of all) {
    let acc = IDENTITY;
    for (const j of s) acc = acc.add(G.multiply(shares.get(j)!).multiply(lagrangeAtZero(s, j)));
    expect(acc.equals(Y)).toBe(true);
  }
  // And t − 1 shares are not enough to land on Y by the same formula (sanity: the test can fail).
  if (t >= 2) {
    const s = members.slice(0, t - 1);
    let acc = IDENTITY;
    for (const j of s) acc = acc.add(G.multiply(shares.get(j)!).multiply(lagrangeAtZero(s, j)));
    expect(acc.equals(Y)).toBe(false);
  }
  return all.length;
}

function honestRun(n: number, t: number) {
  const b = board(n, t);
  const round1 = entries(contributeAll(b));
  const complaints = complainAll(b, round1);
  const result = unwrap(resolve(b.params, b.E, round1, complaints));
  return { b, round1, complaints, result };
}

function digestOf(b: Board, message: Round1Message): Uint8Array {
  return commitmentsDigest(b.params.fingerprint, message.dealer, message.commitments);
}

/** Dealer i's message with the share for recipient j replaced by `share` (properly sealed and proved: it passes round 1 and opens). */
function withBadShare(b: Board, message: Round1Message, j: number, share: bigint): Round1Message {
  const replaced = encryptShare(b.params, b.E, message.dealer, digestOf(b, message), j, share);
  return { ...message, shares: message.shares.map((s) => (s.recipient === j ? replaced : s)) };
}

/** Dealer i's message with the box for recipient j replaced by `box`, its own fresh K and a valid proof of knowledge of k. */
function withBox(b: Board, message: Round1Message, j: number, box: Uint8Array): Round1Message {
  const k = randomScalar();
  const ephemeral = G.multiply(k);
  const proof = proveSchnorr(ephemeralStatement(b.params, message.dealer, j, digestOf(b, message), ephemeral, box), k);
  return { ...message, shares: message.shares.map((s) => (s.recipient === j ? { recipient: j, ephemeral, proof, box } : s)) };
}

function reasonCodes(result: { disqualified: readonly { member: number; reasons: readonly { code: string }[] }[] }, member: number): string[] {
  return result.disqualified.find((d) => d.member === member)?.reasons.map((r) => r.code) ?? [];
}

// ------------------------------------------------------------------ honest ceremonies

describe('DKG, honest members', () => {
  for (const [n, t] of [
    [5, 3],
    [1, 1],
    [5, 5],
    [3, 2],
    [4, 1],
  ] as const) {
    it(`${t}-of-${n}: every x_j matches Y_j and every t-subset interpolates to Y`, () => {
      const { b, round1, complaints, result } = honestRun(n, t);
      expect(complaints).toEqual([]);
      expect(result.qualified).toEqual(range(n));
      expect(result.disqualified).toEqual([]);
      const readBack = readContributions(b.params, round1);
      let Y = IDENTITY;
      for (const c of readBack) if (c.status === 'valid') Y = Y.add(c.message.commitments[0]!);
      expect(result.publicKey.equals(Y)).toBe(true);
      expect(result.commitments[0]!.equals(result.publicKey)).toBe(true);
      const shares = finalizeAll(b, round1, complaints, result);
      expect(shares.size).toBe(n);
      expect(expectEverySubsetInterpolatesToY(t, shares, result.publicKey)).toBeGreaterThan(0);
    });
  }

  it('round 2 (a) reports every dealer as valid', () => {
    const { b, round1 } = honestRun(3, 2);
    const check = unwrap(checkShares(b.params, b.E, 2, b.e[1]!, round1));
    expect(check.findings).toEqual([1, 2, 3].map((dealer) => ({ dealer, status: 'valid' })));
  });

  it('refuses a token whose key is not the member’s registered key', () => {
    const { b, round1, complaints } = honestRun(3, 2);
    const r = checkShares(b.params, b.E, 2, b.e[0]!, round1);
    expect(!r.ok && r.error.code).toBe('dkg.key-mismatch');
    const f = finalizeKeyShare(b.params, b.E, 2, b.e[2]!, round1, complaints);
    expect(!f.ok && f.error.code).toBe('dkg.key-mismatch');
  });

  it('validates parameters', () => {
    expect(validateParams({ fingerprint, n: 3, t: 2 }).ok).toBe(true);
    expect(!validateParams({ fingerprint, n: 3, t: 4 }).ok && 'x').toBe('x');
    const codes = [
      validateParams({ fingerprint, n: 3, t: 0 }),
      validateParams({ fingerprint, n: 0, t: 0 }),
      validateParams({ fingerprint: new Uint8Array(31), n: 3, t: 2 }),
      validateParams({ fingerprint, n: 2.5, t: 1 }),
    ].map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes).toEqual(['dkg.params.t', 'dkg.params.n', 'dkg.params.fingerprint', 'dkg.params.n']);
  });
});

// ------------------------------------------------------------------ cheating dealers

describe('DKG, a dealer sends a bad share', () => {
  it('the recipient’s complaint names the dealer, who is disqualified; the key excludes its contribution', () => {
    const b = board(5, 3);
    const messages = contributeAll(b);
    const wrong = mod(123456789n);
    messages[2] = withBadShare(b, messages[2]!, 2, wrong); // member 3 cheats member 2
    const round1 = entries(messages);
    const check = unwrap(checkShares(b.params, b.E, 2, b.e[1]!, round1));
    expect(check.findings[2]).toEqual({ dealer: 3, status: 'invalid' });
    expect(check.complaints.map((c) => [c.complainant, c.accused])).toEqual([[2, 3]]);
    const complaints = complainAll(b, round1);
    expect(complaints.map((c) => c.member)).toEqual([2]); // nobody else has anything to say
    const result = unwrap(resolve(b.params, b.E, round1, complaints));
    expect(result.qualified).toEqual([1, 2, 4, 5]);
    expect(reasonCodes(result, 3)).toEqual(['dkg.share.invalid']);
    const reason = result.disqualified[0]!.reasons[0]!;
    expect(reason.message.fr).toBe('Le membre 3 a envoyé une part invalide au membre 2.');
    expect(reason.message.en).toBe('Member 3 sent an invalid share to member 2.');
    expect(result.complaints).toHaveLength(1);
    expect(result.complaints[0]).toMatchObject({ complainant: 2, accused: 3, verdict: 'upheld', code: 'dkg.share.invalid', share: wrong });
    // Y excludes member 3's constant term.
    const valid = readContributions(b.params, round1);
    let Y = IDENTITY;
    for (const i of [1, 2, 4, 5]) {
      const c = valid[i - 1]!;
      if (c.status === 'valid') Y = Y.add(c.message.commitments[0]!);
    }
    expect(result.publicKey.equals(Y)).toBe(true);
    const c3 = valid[2]!;
    expect(c3.status === 'valid' && result.publicKey.equals(Y.add(c3.message.commitments[0]!))).toBe(false);
    // Member 3, disqualified, gets no key share; the four others do, and they interpolate to Y.
    const f3 = finalizeKeyShare(b.params, b.E, 3, b.e[2]!, round1, complaints);
    expect(!f3.ok && f3.error.code).toBe('dkg.finalize.not-qualified');
    const shares = finalizeAll(b, round1, complaints, result);
    expect([...shares.keys()]).toEqual([1, 2, 4, 5]);
    expectEverySubsetInterpolatesToY(3, shares, result.publicKey);
  });

  it('a box tampered after its proof was made is refused in round 1 (the proof binds the box)', () => {
    const b = board(3, 2);
    const messages = contributeAll(b);
    const json = round1ToJson(messages[0]!);
    const tampered = { ...json, shares: json.shares.map((s) => (s.recipient === 3 ? { ...s, box: flipHex(s.box, 5) } : s)) };
    const r = readRound1(b.params, { member: 1, message: tampered });
    expect(!r.ok && [r.error.code, r.error.where]).toEqual(['dkg.round1.ephemeral', 'member 1']);
    expect(!r.ok && r.error.message.en).toContain('share for member 3');
    expect(!r.ok && r.error.message.fr).toContain('destinée au membre 3');
  });

  it('an undecryptable box (garbage, with its own K and a valid proof) → complaint → dealer disqualified', () => {
    const b = board(3, 2);
    const messages = contributeAll(b);
    const garbage = messages[0]!.shares[2]!.box.slice();
    garbage[5]! ^= 1;
    const round1 = entries([withBox(b, messages[0]!, 3, garbage), messages[1], messages[2]]);
    expect(readRound1(b.params, round1[0]!).ok).toBe(true); // only the recipient can tell
    const check = unwrap(checkShares(b.params, b.E, 3, b.e[2]!, round1));
    expect(check.findings[0]).toEqual({ dealer: 1, status: 'undecryptable' });
    const complaints = complainAll(b, round1);
    const result = unwrap(resolve(b.params, b.E, round1, complaints));
    expect(result.qualified).toEqual([2, 3]);
    expect(reasonCodes(result, 1)).toEqual(['dkg.share.undecryptable']);
    expect(result.complaints[0]).toMatchObject({ complainant: 3, accused: 1, verdict: 'upheld' });
    expect(result.complaints[0]!.share).toBeUndefined();
    expect(result.disqualified[0]!.reasons[0]!.message.en).toBe('Member 1 sent member 3 a share that cannot be decrypted.');
  });

  it("a share (K, proof, box) moved to another dealer's message is refused in round 1 (the proof binds i and D_i)", () => {
    const b = board(3, 2);
    const [m1, m2] = contributeAll(b);
    // Move dealer 1's share for member 2 into dealer 2's message for member 2: same recipient, other dealer.
    const moved = { ...m2!, shares: m2!.shares.map((s) => (s.recipient === 2 ? m1!.shares[1]! : s)) };
    const c = readContributions(b.params, entries([m1, moved, contribute(b.params, 3, b.E)]))[1]!;
    expect(c.status === 'invalid' && c.error.code).toBe('dkg.round1.ephemeral');
  });

  it('a box moved to a message with other commitments does not open (D_i in the AAD), even with a valid proof', () => {
    const b = board(3, 2);
    const [m1, m2] = contributeAll(b);
    // Dealer 2 knows nothing of k_12, so this is the box-only binding: D_2 ≠ D_1 in the AAD (and i in AAD and KDF).
    const box = m1!.shares[1]!.box;
    const ctxMoved = boxContext(b.params, b.E, { ...m2!, shares: m2!.shares.map((s) => (s.recipient === 2 ? m1!.shares[1]! : s)) }, 2);
    const dh = m1!.shares[1]!.ephemeral.multiply(b.e[1]!);
    expect(openShare(boxContext(b.params, b.E, m1!, 2), dh, box)).toBeDefined(); // where it belongs, it opens
    expect(openShare(ctxMoved, dh, box)).toBeUndefined();
    // Same dealer, same K, same recipient, other commitments: only D_i differs.
    const otherCommitments = { ...m1!, commitments: m2!.commitments };
    expect(openShare(boxContext(b.params, b.E, otherCommitments, 2), dh, box)).toBeUndefined();
    // And to another recipient (i, j in AAD and KDF).
    expect(openShare(boxContext(b.params, b.E, m1!, 3), dh, box)).toBeUndefined();
  });

  it('a member who did not complain about a bad share cannot finalize, and is told which dealer to accuse', () => {
    const b = board(3, 2);
    const messages = contributeAll(b);
    messages[0] = withBadShare(b, messages[0]!, 2, 42n);
    const round1 = entries(messages);
    const complaints: ComplaintEntry[] = []; // member 2 stayed silent
    const r = finalizeKeyShare(b.params, b.E, 2, b.e[1]!, round1, complaints);
    expect(!r.ok && [r.error.code, r.error.where]).toEqual(['dkg.finalize.bad-share', 'member 1']);
  });

  it('n − t + 1 cheaters: the ceremony cannot complete, with counts', () => {
    const b = board(5, 3);
    const messages = contributeAll(b);
    for (const i of [1, 3, 5]) messages[i - 1] = withBadShare(b, messages[i - 1]!, i === 1 ? 2 : 4, 7n);
    const round1 = entries(messages);
    const complaints = complainAll(b, round1);
    const r = resolve(b.params, b.E, round1, complaints);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('dkg.quorum');
    expect(r.error.message.fr).toContain('La cérémonie ne peut pas aboutir\u00a0: 2 membres qualifiés, il en faut au moins 3');
    expect(r.error.message.en).toContain('The ceremony cannot complete: 2 qualified members, at least 3 needed');
    expect(r.error.message.en).toContain('Disqualified members: 1, 3, 5');
    expect(assess(b.params, b.E, round1, complaints).qualified).toEqual([2, 4]);
    const f = finalizeKeyShare(b.params, b.E, 2, b.e[1]!, round1, complaints);
    expect(!f.ok && f.error.code).toBe('dkg.quorum');
  });

  it('n − t cheaters still leave a valid key', () => {
    const b = board(5, 3);
    const messages = contributeAll(b);
    for (const i of [1, 5]) messages[i - 1] = withBadShare(b, messages[i - 1]!, 3, 7n);
    const round1 = entries(messages);
    const complaints = complainAll(b, round1);
    const result = unwrap(resolve(b.params, b.E, round1, complaints));
    expect(result.qualified).toEqual([2, 3, 4]);
    expectEverySubsetInterpolatesToY(3, finalizeAll(b, round1, complaints, result), result.publicKey);
  });
});

// ------------------------------------------------------------------ complaints that do not hold

describe('DKG, complaints', () => {
  function falseComplaint(b: Board, round1: readonly Round1Entry[], j: number, i: number) {
    const c = readContributions(b.params, round1)[i - 1]!;
    if (c.status !== 'valid') throw new Error('expected a valid dealer');
    const dh = c.message.shares[j - 1]!.ephemeral.multiply(b.e[j - 1]!);
    const proof = proveChaumPedersen(complaintStatement(b.params, b.E, c.message, c.digest, j, dh), b.e[j - 1]!);
    return { c, dh, proof, json: complaintToJson({ complainant: j, accused: i, dh, proof }) };
  }

  it('a false complaint (the share was fine) is dismissed, the share is public, the dealer stays qualified', () => {
    const b = board(4, 2);
    const round1 = entries(contributeAll(b));
    const { c, json } = falseComplaint(b, round1, 2, 4);
    const result = unwrap(resolve(b.params, b.E, round1, [{ member: 2, complaint: json }]));
    expect(result.qualified).toEqual([1, 2, 3, 4]);
    const v = result.complaints[0]!;
    expect(v).toMatchObject({ complainant: 2, accused: 4, verdict: 'dismissed', code: 'dkg.complaint.dismissed' });
    expect(v.message.en).toContain('unfounded');
    // The revealed share is member 2's true share from dealer 4: anyone can check it against the commitments.
    expect(G.multiply(v.share!).equals(evaluateCommitments(c.message.commitments, 2))).toBe(true);
    // And member 2 still finalizes (its complaint changed nothing but publicity).
    finalizeAll(b, round1, [{ member: 2, complaint: json }], result);
  });

  it('a complaint with a bad Chaum–Pedersen proof is rejected and its author named', () => {
    const b = board(3, 2);
    const round1 = entries(contributeAll(b));
    const { json } = falseComplaint(b, round1, 1, 3);
    const badS = { ...json, proof: { ...json.proof, s: flipHex(json.proof.s, 0) } };
    // A made-up S (the box would then not open) with a proof by someone not knowing e_1.
    const { c } = falseComplaint(b, round1, 1, 3);
    const fakeDh = G.multiply(randomScalar());
    const forged = complaintToJson({ complainant: 1, accused: 3, dh: fakeDh, proof: proveChaumPedersen(complaintStatement(b.params, b.E, c.message, c.digest, 1, fakeDh), randomScalar()) });
    const result = unwrap(
      resolve(b.params, b.E, round1, [
        { member: 1, complaint: badS },
        { member: 1, complaint: forged },
      ]),
    );
    expect(result.qualified).toEqual([1, 2, 3]);
    expect(result.complaints.map((v) => [v.complainant, v.accused, v.verdict, v.code])).toEqual([
      [1, 3, 'rejected', 'dkg.complaint.proof'],
      [1, 3, 'rejected', 'dkg.complaint.proof'],
    ]);
    expect(result.complaints[0]!.message.fr).toBe('La plainte du membre 1 contre le membre 3 est rejetée : sa preuve (Chaum–Pedersen) est fausse.');
  });

  it('a proof made for one box does not carry over to another dealer’s box', () => {
    const b = board(3, 2);
    const round1 = entries(contributeAll(b));
    const { json } = falseComplaint(b, round1, 1, 3);
    const result = unwrap(resolve(b.params, b.E, round1, [{ member: 1, complaint: { ...json, accused: 2 } }]));
    expect(result.complaints[0]).toMatchObject({ verdict: 'rejected', code: 'dkg.complaint.proof' });
  });

  it('rejects complaints in someone else’s name, malformed ones, and ones naming an unknown member', () => {
    const b = board(3, 2);
    const round1 = entries(contributeAll(b));
    const { json } = falseComplaint(b, round1, 1, 3);
    const result = unwrap(
      resolve(b.params, b.E, round1, [
        { member: 2, complaint: json },
        { member: 2, complaint: { ...json, dh: 'zz' } },
        { member: 1, complaint: { ...json, accused: 9 } },
        { member: 1, complaint: { ...json, extra: 1 } },
      ]),
    );
    expect(result.complaints.map((v) => [v.complainant, v.verdict, v.code])).toEqual([
      [2, 'rejected', 'dkg.complaint.impostor'],
      [2, 'rejected', 'dkg.complaint.malformed'],
      [1, 'rejected', 'dkg.complaint.malformed'],
      [1, 'rejected', 'dkg.complaint.malformed'],
    ]);
    expect(result.qualified).toEqual([1, 2, 3]);
  });

  it('a complaint against a dealer already out after round 1 is moot', () => {
    const b = board(3, 2);
    const messages = contributeAll(b);
    const good = round1ToJson(messages[2]!);
    const { json } = falseComplaint(b, entries(messages), 1, 3);
    const badPok = { ...good, proof: { ...good.proof, c: flipHex(good.proof.c, 3) } };
    const result = unwrap(resolve(b.params, b.E, entries([messages[0], messages[1], badPok]), [{ member: 1, complaint: json }]));
    expect(result.complaints[0]).toMatchObject({ complainant: 1, accused: 3, verdict: 'moot', code: 'dkg.complaint.moot' });
    expect(reasonCodes(result, 3)).toEqual(['dkg.round1.pok']);
  });

  it('the order of complaints does not change the result', () => {
    const b = board(4, 2);
    const messages = contributeAll(b);
    messages[0] = withBadShare(b, messages[0]!, 2, 5n);
    messages[3] = withBadShare(b, messages[3]!, 3, 6n);
    const round1 = entries(messages);
    const complaints = complainAll(b, round1);
    const a = unwrap(resolve(b.params, b.E, round1, complaints));
    const z = unwrap(resolve(b.params, b.E, round1, [...complaints].reverse()));
    expect(a.qualified).toEqual([2, 3]);
    expect(z.qualified).toEqual(a.qualified);
    expect(pointToHex(z.publicKey)).toBe(pointToHex(a.publicKey));
  });
});

// ------------------------------------------------------------------ broken round-1 messages

describe('DKG, invalid round-1 messages disqualify their dealer without any complaint', () => {
  const b = board(3, 2);
  const messages = contributeAll(b);
  const good = round1ToJson(messages[1]!);

  function outcomeFor(bad: unknown): { codes: string[]; qualified: readonly number[]; result: DkgResult } {
    const round1 = entries([messages[0], bad, messages[2]]);
    const complaints = complainAll(b, round1);
    expect(complaints).toEqual([]);
    const result = unwrap(resolve(b.params, b.E, round1, complaints));
    return { codes: reasonCodes(result, 2), qualified: result.qualified, result };
  }

  it('bad proof of knowledge', () => {
    const { codes, qualified, result } = outcomeFor({ ...good, proof: { ...good.proof, s: flipHex(good.proof.s, 1) } });
    expect(codes).toEqual(['dkg.round1.pok']);
    expect(qualified).toEqual([1, 3]);
    expect(result.disqualified[0]!.reasons[0]!.message.en).toBe("Member 2's contribution is invalid: the proof of knowledge of its constant term does not verify.");
  });

  it('wrong number of commitments (one missing, one extra)', () => {
    expect(outcomeFor({ ...good, commitments: good.commitments.slice(0, 1) }).codes).toEqual(['dkg.round1.commitment-count']);
    expect(outcomeFor({ ...good, commitments: [...good.commitments, good.commitments[0]!] }).codes).toEqual(['dkg.round1.commitment-count']);
  });

  it('a non-canonical point, the identity, a malformed scalar', () => {
    // 2^255 − 18 (p − 1, little-endian) is not a canonical ristretto255 encoding (it is ≥ p, RFC 9496 §4.3.1).
    const nonCanonical = 'ec' + 'ff'.repeat(30) + '7f';
    expect(outcomeFor({ ...good, commitments: [good.commitments[0], nonCanonical] }).codes).toEqual(['point.encoding']);
    expect(outcomeFor({ ...good, commitments: [good.commitments[0], '00'.repeat(32)] }).codes).toEqual(['point.identity']);
    const r = outcomeFor({ ...good, shares: good.shares.map((s, k) => (k === 0 ? { ...s, ephemeral: nonCanonical } : s)) });
    expect(r.codes).toEqual(['point.encoding']);
    expect(r.result.disqualified[0]!.reasons[0]!.where).toBe('member 2 round 1.shares[0].ephemeral');
    expect(outcomeFor({ ...good, proof: { ...good.proof, c: 'ff'.repeat(32) } }).codes).toEqual(['scalar.range']);
  });

  it('shares missing, out of order, or of the wrong size', () => {
    expect(outcomeFor({ ...good, shares: good.shares.slice(0, 2) }).codes).toEqual(['dkg.round1.share-count']);
    expect(outcomeFor({ ...good, shares: [good.shares[1], good.shares[0], good.shares[2]] }).codes).toEqual(['dkg.round1.share-order']);
    expect(outcomeFor({ ...good, shares: good.shares.map((s) => ({ ...s, box: s.box.slice(2) })) }).codes).toEqual(['hex.format']);
  });

  it('a message in someone else’s name, a message that is no object, extra or missing fields', () => {
    expect(outcomeFor(round1ToJson(messages[0]!)).codes).toEqual(['dkg.round1.impostor']);
    expect(outcomeFor('not a message').codes).toEqual(['json.object']);
    expect(outcomeFor({ ...good, note: 'hi' }).codes).toEqual(['json.key']);
    const { proof: _, ...noProof } = good;
    expect(outcomeFor(noProof).codes).toEqual(['json.missing']);
    expect(outcomeFor({ ...good, dealer: '2' }).codes).toEqual(['json.integer']);
  });

  it('an absent member: no key share, but its verification key is computable and right', () => {
    const b4 = board(4, 2);
    const msgs = [1, 2, 3].map((i) => contribute(b4.params, i, b4.E));
    const round1 = entries(msgs);
    const complaints = complainAll(b4, round1);
    const result = unwrap(resolve(b4.params, b4.E, round1, complaints));
    expect(result.qualified).toEqual([1, 2, 3]);
    expect(reasonCodes(result, 4)).toEqual(['dkg.round1.absent']);
    expect(result.disqualified[0]!.reasons[0]!.message.fr).toBe("Le membre 4 n'a publié aucune contribution.");
    expect(result.verificationKeys).toHaveLength(4);
    const f = finalizeKeyShare(b4.params, b4.E, 4, b4.e[3]!, round1, complaints);
    expect(!f.ok && f.error.code).toBe('dkg.finalize.not-qualified');
    // Member 4 holds e_4 and could add up its boxes itself: Y_4 is exactly that sum's public image.
    let x4 = 0n;
    for (const c of readContributions(b4.params, round1)) {
      if (c.status !== 'valid') continue;
      const opened = judgeBox(b4.params, b4.E, c, 4, c.message.shares[3]!.ephemeral.multiply(b4.e[3]!));
      x4 = mod(x4 + opened.share!);
    }
    expect(G.multiply(x4).equals(result.verificationKeys[3]!)).toBe(true);
    expectEverySubsetInterpolatesToY(2, finalizeAll(b4, round1, complaints, result), result.publicKey);
  });

  it('only the first round-1 entry of a member counts', () => {
    const round1 = entries(messages);
    const again = contribute(b.params, 2, b.E);
    const withSecond = [...round1, { member: 2, message: round1ToJson(again) }];
    const r1 = unwrap(resolve(b.params, b.E, round1, []));
    const r2 = unwrap(resolve(b.params, b.E, withSecond, []));
    expect(pointToHex(r2.publicKey)).toBe(pointToHex(r1.publicKey));
  });

  it('verifyRound1 on typed messages, directly', () => {
    expect(verifyRound1(b.params, messages[0]!).ok).toBe(true);
    const r = verifyRound1(b.params, { ...messages[0]!, dealer: 4 });
    expect(!r.ok && r.error.code).toBe('dkg.round1.dealer');
    const id = verifyRound1(b.params, { ...messages[0]!, commitments: [messages[0]!.commitments[0]!, IDENTITY] });
    expect(!id.ok && id.error.code).toBe('dkg.round1.identity');
    const other = verifyRound1({ ...b.params, fingerprint: new Uint8Array(32) }, messages[0]!);
    expect(!other.ok && other.error.code).toBe('dkg.round1.pok');
  });
});

// ------------------------------------------------------------------ copied ephemeral keys (review PoC, docs/dkg.md §2.4, §6)

describe('DKG, a dealer who copies another dealer’s ephemeral key', () => {
  /**
   * The review's attack (2-of-3, member 3 corrupted): dealer 3 puts K_11 and K_22 (honest dealers' keys)
   * in its own garbage boxes for members 1 and 2. Without proofs of knowledge of k, members 1 and 2 would
   * complain with S = e_1·K_11 and e_2·K_22, opening the HONEST boxes 1→1 and 2→2; with f_1(3), f_2(3)
   * (dealer 3's own boxes) that interpolates f_1(0) + f_2(0) = y.
   */
  function attack(m1: Round1Message, m2: Round1Message, m3: Round1Message, delta = 0n): Round1Message {
    const shift = (p: Point) => (delta === 0n ? p : p.add(G.multiply(delta)));
    return {
      ...m3,
      shares: m3.shares.map((s) => (s.recipient === 1 ? { ...s, ephemeral: shift(m1.shares[0]!.ephemeral) } : s.recipient === 2 ? { ...s, ephemeral: shift(m2.shares[1]!.ephemeral) } : s)),
    };
  }

  it('the attack’s round-1 message is refused (dkg.round1.ephemeral), naming the dealer and the recipient', () => {
    const b = board(3, 2);
    const [m1, m2, m3] = contributeAll(b);
    for (const delta of [0n, 5n]) {
      const r = verifyRound1(b.params, attack(m1!, m2!, m3!, delta));
      expect(!r.ok && [r.error.code, r.error.where]).toEqual(['dkg.round1.ephemeral', 'member 3']);
      expect(!r.ok && r.error.message.en).toBe(
        "Member 3's contribution is invalid: the proof of knowledge of the ephemeral key of the share for member 1 does not verify (a copied key or a moved share).",
      );
      expect(!r.ok && r.error.message.fr).toContain('La contribution du membre 3 est invalide');
      expect(!r.ok && r.error.message.fr).toContain('destinée au membre 1');
    }
  });

  it('copying the honest share’s proof along with its K does not help: the proof is bound to dealer, D_i and box', () => {
    const b = board(3, 2);
    const [m1, m2, m3] = contributeAll(b);
    // The whole (K_11, proof_11) into dealer 3's share for member 1, its own box kept.
    const copied = { ...m3!, shares: m3!.shares.map((s) => (s.recipient === 1 ? { ...s, ephemeral: m1!.shares[0]!.ephemeral, proof: m1!.shares[0]!.proof } : s)) };
    const r = verifyRound1(b.params, copied);
    expect(!r.ok && r.error.code).toBe('dkg.round1.ephemeral');
    // The whole share, box included: the proof names dealer 1 and D_1, not dealer 3 and D_3.
    const whole = { ...m3!, shares: m3!.shares.map((s) => (s.recipient === 1 ? m1!.shares[0]! : s)) };
    expect(code(verifyRound1(b.params, whole))).toBe('dkg.round1.ephemeral');
    void m2;
  });

  it('played to the end, no complaint reveals a DH value that opens an honest box, and y stays out of reach', () => {
    const b = board(3, 2);
    const [m1, m2, m3] = contributeAll(b);
    const round1 = entries([m1, m2, attack(m1!, m2!, m3!)]);
    const all = complainAll(b, round1, [1, 2]); // members 1 and 2 are honest and run the app
    expect(all).toEqual([]); // dealer 3 is out after round 1: nobody complains about it, nothing is revealed
    const result = unwrap(resolve(b.params, b.E, round1, all));
    expect(result.qualified).toEqual([1, 2]);
    expect(reasonCodes(result, 3)).toEqual(['dkg.round1.ephemeral']);
    // Even a complaint filed by hand against dealer 3 is moot, so never opens anything.
    const dh = m1!.shares[0]!.ephemeral.multiply(b.e[0]!);
    const proof = proveChaumPedersen(complaintStatement(b.params, b.E, attack(m1!, m2!, m3!), new Uint8Array(64), 1, dh), b.e[0]!);
    const v = unwrap(resolve(b.params, b.E, round1, [{ member: 1, complaint: complaintToJson({ complainant: 1, accused: 3, dh, proof }) }])).complaints[0]!;
    expect(v).toMatchObject({ verdict: 'moot', code: 'dkg.complaint.moot' });
    expect(v.share).toBeUndefined();
    // What the round-1 check prevents: had the message been accepted, member 1's complaint value for dealer
    // 3's box would open dealer 1's honest box to member 1 for everyone.
    const evil = attack(m1!, m2!, m3!);
    const S = evil.shares[0]!.ephemeral.multiply(b.e[0]!);
    expect(openShare(boxContext(b.params, b.E, m1!, 1), S, m1!.shares[0]!.box)).toBeDefined();
  });

  it('the same K twice in one message is refused (dkg.round1.ephemeral-reuse), even with valid proofs', () => {
    const b = board(3, 2);
    const [m1] = contributeAll(b);
    const k = randomScalar();
    const K = G.multiply(k);
    const digest = digestOf(b, m1!);
    const reuse = {
      ...m1!,
      shares: m1!.shares.map((s) => (s.recipient === 3 ? s : { ...s, ephemeral: K, proof: proveSchnorr(ephemeralStatement(b.params, 1, s.recipient, digest, K, s.box), k) })),
    };
    const r = verifyRound1(b.params, reuse);
    expect(!r.ok && [r.error.code, r.error.where]).toEqual(['dkg.round1.ephemeral-reuse', 'member 1']);
    expect(!r.ok && r.error.message.en).toContain('members 1 and 2');
  });

  it('each ephemeral proof is checked, for every recipient, and a bad proof scalar is refused', () => {
    const b = board(4, 2);
    const [m1] = contributeAll(b);
    for (const j of [1, 4]) {
      const bad = { ...m1!, shares: m1!.shares.map((s) => (s.recipient === j ? { ...s, proof: { c: s.proof.c, s: mod(s.proof.s + 1n) } } : s)) };
      const r = verifyRound1(b.params, bad);
      expect(!r.ok && r.error.message.en).toContain(`share for member ${j} `);
    }
    expect(verifyRound1(b.params, m1!).ok).toBe(true);
  });

  it('the ephemeral proof’s statement binds n, t, i, j, D_i and the box (each change breaks it)', () => {
    const b = board(3, 2);
    const [m1] = contributeAll(b);
    const s = m1!.shares[1]!;
    const d = digestOf(b, m1!);
    const good = ephemeralStatement(b.params, 1, 2, d, s.ephemeral, s.box);
    expect(verifySchnorr(good, s.proof)).toBe(true);
    const other = new Uint8Array(d);
    other[0]! ^= 1;
    const box = s.box.slice();
    box[47]! ^= 1;
    for (const st of [
      ephemeralStatement({ ...b.params, n: 4 }, 1, 2, d, s.ephemeral, s.box),
      ephemeralStatement({ ...b.params, t: 3 }, 1, 2, d, s.ephemeral, s.box),
      ephemeralStatement(b.params, 2, 2, d, s.ephemeral, s.box),
      ephemeralStatement(b.params, 1, 3, d, s.ephemeral, s.box),
      ephemeralStatement(b.params, 1, 2, other, s.ephemeral, s.box),
      ephemeralStatement(b.params, 1, 2, d, s.ephemeral, box),
      ephemeralStatement({ ...b.params, fingerprint: new Uint8Array(32) }, 1, 2, d, s.ephemeral, s.box),
    ]) {
      expect(verifySchnorr(st, s.proof)).toBe(false);
    }
  });
});

// ------------------------------------------------------------------ bindings of the other proofs

describe('DKG, what each proof is bound to', () => {
  it('the proof of knowledge of a_i,0 replayed with changed commitments is refused (dkg.round1.pok)', () => {
    const b = board(3, 3);
    const [m1, m2] = contributeAll(b);
    // C_i,0 kept (the proof's public key), a later commitment changed: only the context can catch it.
    const changed = { ...m1!, commitments: [m1!.commitments[0]!, m2!.commitments[1]!, m1!.commitments[2]!] };
    expect(code(verifyRound1(b.params, changed))).toBe('dkg.round1.pok');
    // A dealer who re-proves its new commitments (it knows a_i,0) still cannot keep its old shares: their proofs bind D_i.
    const a = [randomScalar(), randomScalar(), randomScalar()];
    const commitments = a.map((x) => G.multiply(x));
    const proof = proveSchnorr(pokStatement(b.params, 1, commitments), a[0]!);
    expect(code(verifyRound1(b.params, { ...m1!, commitments, proof }))).toBe('dkg.round1.ephemeral');
  });

  it('a complaint’s proof replayed on a changed box is refused (dkg.complaint.proof)', () => {
    const b = board(3, 2);
    const messages = contributeAll(b);
    const c = readContributions(b.params, entries(messages))[0]!;
    if (c.status !== 'valid') throw new Error('expected a valid dealer');
    const dh = c.message.shares[1]!.ephemeral.multiply(b.e[1]!);
    const proof = proveChaumPedersen(complaintStatement(b.params, b.E, c.message, c.digest, 2, dh), b.e[1]!);
    const json = complaintToJson({ complainant: 2, accused: 1, dh, proof });
    const judge = (contribution: typeof c) => judgeComplaint(b.params, b.E, [contribution, ...readContributions(b.params, entries(messages)).slice(1)], { member: 2, complaint: json });
    expect(judge(c)).toMatchObject({ verdict: 'dismissed' });
    // Same dealer, same K, same D_i, one bit of the box changed (as a judge would see it if the box were swapped).
    const box = c.message.shares[1]!.box.slice();
    box[0]! ^= 1;
    const changed = { ...c, message: { ...c.message, shares: c.message.shares.map((s) => (s.recipient === 2 ? { ...s, box } : s)) } };
    expect(judge(changed)).toMatchObject({ verdict: 'rejected', code: 'dkg.complaint.proof' });
    // And with another D_i.
    const digest = c.digest.slice();
    digest[3]! ^= 1;
    expect(judge({ ...c, digest })).toMatchObject({ verdict: 'rejected', code: 'dkg.complaint.proof' });
  });

  it('a complaint entry whose author is outside 1..n is rejected, not a crash (review crash.mts)', () => {
    const b = board(3, 2);
    const round1 = entries(contributeAll(b));
    const bogus = { complainant: 4, accused: 1, dh: pointToHex(G), proof: { c: '00'.repeat(32), s: '00'.repeat(32) } };
    const contributions = readContributions(b.params, round1);
    for (const member of [4, 0, -1, 1.5]) {
      const v = judgeComplaint(b.params, b.E, contributions, { member, complaint: { ...bogus, complainant: member } });
      expect(v).toMatchObject({ complainant: member, verdict: 'rejected', code: 'dkg.complaint.malformed' });
      expect(v.message.en).toContain(`unknown author (${member})`);
    }
    const result = unwrap(resolve(b.params, b.E, round1, [{ member: 4, complaint: bogus }]));
    expect(result.qualified).toEqual([1, 2, 3]);
    expect(result.complaints[0]).toMatchObject({ verdict: 'rejected', code: 'dkg.complaint.malformed' });
  });
});

// ------------------------------------------------------------------ JSON forms and the verifier's check

describe('DKG, JSON forms', () => {
  it('round-trip byte for byte', () => {
    const { b, round1, result } = honestRun(3, 2);
    for (const e of round1) {
      const json = JSON.stringify(e.message);
      expect(JSON.stringify(round1ToJson(round1FromJson(JSON.parse(json))))).toBe(json);
    }
    const resultJson = JSON.stringify(dkgResultToJson(result));
    expect(JSON.stringify(dkgResultToJson(dkgResultFromJson(JSON.parse(resultJson))))).toBe(resultJson);
    const c = readContributions(b.params, round1)[0]!;
    if (c.status !== 'valid') throw new Error('valid expected');
    const dh = c.message.shares[1]!.ephemeral.multiply(b.e[1]!);
    const complaint = { complainant: 2, accused: 1, dh, proof: proveChaumPedersen(complaintStatement(b.params, b.E, c.message, c.digest, 2, dh), b.e[1]!) };
    const cj = JSON.stringify(complaintToJson(complaint));
    expect(JSON.stringify(complaintToJson(complaintFromJson(JSON.parse(cj))))).toBe(cj);
  });

  it('the verifier accepts the published result and refuses any other', () => {
    const b = board(4, 2);
    const messages = contributeAll(b);
    messages[2] = withBadShare(b, messages[2]!, 1, 9n);
    const round1 = entries(messages);
    const complaints = complainAll(b, round1);
    const published = JSON.parse(JSON.stringify(dkgResultToJson(unwrap(resolve(b.params, b.E, round1, complaints)))));
    expect(verifyDkgResult(b.params, b.E, round1, complaints, published).ok).toBe(true);
    const other = G.multiply(randomScalar());
    const variants: unknown[] = [
      { ...published, publicKey: pointToHex(other) },
      { ...published, qualified: [1, 2, 3, 4] },
      { ...published, disqualified: [] },
      { ...published, verificationKeys: [...published.verificationKeys].reverse() },
      { ...published, complaints: [] },
    ];
    for (const v of variants) {
      const r = verifyDkgResult(b.params, b.E, round1, complaints, v);
      expect(!r.ok && r.error.code).toBe('dkg.result.mismatch');
    }
    const malformed = verifyDkgResult(b.params, b.E, round1, complaints, { ...published, publicKey: 'nope' });
    expect(!malformed.ok && malformed.error.code).toBe('hex.format');
    // A different transcript (one complaint dropped) gives a different result.
    const r = verifyDkgResult(b.params, b.E, round1, [], published);
    expect(!r.ok && r.error.code).toBe('dkg.result.mismatch');
  });
});

// ------------------------------------------------------------------ properties

describe('DKG, properties', () => {
  it('honest runs with random t ≤ n ≤ 7 always give consistent keys', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n }))),
        ([n, t]) => {
          const { b, round1, complaints, result } = honestRun(n, t);
          expect(complaints).toEqual([]);
          expect(result.qualified).toEqual(range(n));
          const shares = finalizeAll(b, round1, complaints, result);
          expectEverySubsetInterpolatesToY(t, shares, result.publicKey);
        },
      ),
      { numRuns: 12 },
    );
  });

  describe('flipping any byte of a serialized round-1 message', () => {
    const b = board(3, 2);
    const messages = contributeAll(b).map(round1ToJson);
    const serialized = messages.map((m) => new TextEncoder().encode(JSON.stringify(m)));

    /**
     * The flip either disqualifies the dealer (at round 1, or after a recipient's complaint: only the
     * recipient can tell a wrong box), or changes nothing the protocol reads (same canonical message).
     * Never does it disqualify anyone else, and whenever the dealer stays, all keys stay consistent.
     */
    function checkFlip(dealer: number, position: number, mask: number): void {
      const bytes = serialized[dealer - 1]!.slice();
      bytes[position % bytes.length]! ^= mask;
      const text = new TextDecoder().decode(bytes);
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        payload = text; // the transcript would carry something unparsable: it must not count as a message
      }
      const round1 = entries(messages.map((m, k) => (k === dealer - 1 ? payload : m)));
      const complaints = complainAll(b, round1);
      const a = assess(b.params, b.E, round1, complaints);
      expect(a.qualified.filter((m) => m !== dealer)).toEqual(range(3).filter((m) => m !== dealer));
      if (a.qualified.includes(dealer)) {
        const decoded = round1FromJson(payload);
        expect(JSON.stringify(round1ToJson(decoded))).toBe(JSON.stringify(messages[dealer - 1]));
      }
    }

    /** The mask that turns the character at `position` into another hex digit (most random masks give non-hex). */
    function hexSwapMask(dealer: number, position: number, pick: number): number {
      const bytes = serialized[dealer - 1]!;
      const current = bytes[position % bytes.length]!;
      const digits = [...'0123456789abcdef'].map((d) => d.charCodeAt(0)).filter((d) => d !== current);
      return current ^ digits[pick % digits.length]!;
    }

    it('always disqualifies the dealer or changes nothing (any mask)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 3 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (dealer, position, mask) => checkFlip(dealer, position, mask)),
        { numRuns: 50 },
      );
    });

    it('always disqualifies the dealer or changes nothing (a character becomes a hex digit)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 3 }), fc.nat(), fc.nat(), (dealer, position, pick) => checkFlip(dealer, position, hexSwapMask(dealer, position, pick))),
        { numRuns: 50 },
      );
    });

    it('covers every field deterministically: commitments, proof, ephemeral keys and their proofs, boxes, indices', () => {
      const m = messages[0]!;
      const text = JSON.stringify(m);
      const at = (value: string, offset: number): number => text.indexOf(value) + offset;
      const fields = [...m.commitments, m.proof.c, m.proof.s, ...m.shares.flatMap((s) => [s.ephemeral, s.proof.c, s.proof.s, s.box])];
      for (const f of fields) for (const offset of [0, 17, f.length - 1]) checkFlip(1, at(f, offset), hexSwapMask(1, at(f, offset), offset));
      checkFlip(1, at('"dealer":1', 9), '1'.charCodeAt(0) ^ '2'.charCodeAt(0)); // in the name of member 2
      checkFlip(1, at('"recipient":2', 12), '2'.charCodeAt(0) ^ '3'.charCodeAt(0)); // shares out of order
    });
  });
});

function flipHex(hex: string, index: number): string {
  const digit = Number.parseInt(hex[index]!, 16);
  return hex.slice(0, index) + ((digit ^ 1) & 0xf).toString(16) + hex.slice(index + 1);
}

// Keep toHex referenced for readers who print intermediate values while debugging.
void toHex;
