/**
 * Every refusal of the redistribution (docs/redistribution.md §3.3, §5, §6, §9): each one is reached by a
 * dealing, complaint or setup made wrong in exactly one way, and names the member at fault with a French
 * and an English message.
 */
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/common/result.js';
import { G, IDENTITY, mod, seededScalars, type Point } from '../../src/core/crypto/group.js';
import { commit } from '../../src/core/crypto/dkg/polynomial.js';
import { evaluate } from '../../src/core/crypto/dkg/polynomial.js';
import { proveSchnorr } from '../../src/core/crypto/proofs/schnorr.js';
import { ephemeralOf, sealShare, DKG_BOX_TAGS } from '../../src/core/crypto/dkg/share-box.js';
import { complaintToJson } from '../../src/core/crypto/dkg/index.js';
import {
  assess,
  boxContext,
  checkDealt,
  deal,
  dealerWeight,
  dealingDigest,
  dealingToJson,
  ephemeralStatement,
  finalizeNewShare,
  readDealing,
  resolve,
  sealSubShare,
  setupDigest,
  validateSetup,
  verifyDealing,
  type Dealing,
  type DealingEntry,
  type RedistributionSetup,
} from '../../src/core/crypto/redistribute/index.js';
import { checkAll, dealAll, electionSharedKey, finish, json, setupOf, tokens, value } from './redistribute-helpers.js';

const utf8 = new TextEncoder();
const keys = tokens(7);
const old = electionSharedKey(5, 3, keys);
const setup = setupOf(old.key, [1, 3, 4], [1, 3, 4, 5, 6], 3, keys);
const honest = dealAll(setup, old.shares);

function refusal<T>(r: Result<T>): { code: string; where: string | undefined; fr: string; en: string } {
  if (r.ok) throw new Error('expected a refusal');
  return { code: r.error.code, where: r.error.where, fr: r.error.message.fr, en: r.error.message.en };
}

function dealingOf(i: number): Dealing {
  return value(
    readDealing(
      setup,
      honest.find((d) => d.member === i)!,
    ),
  );
}

function entry(d: Dealing, member = d.dealer): DealingEntry {
  return { member, dealing: json(dealingToJson(d)) };
}

/** A dealer who deals any polynomial it likes, with every proof and box made properly for it. */
function dealFrom(s: RedistributionSetup, dealer: number, coefficients: bigint[], seed: string): Dealing {
  const random = seededScalars(utf8.encode(seed));
  const commitments = commit(coefficients);
  const dd = dealingDigest(s, setupDigest(s), dealer, commitments);
  return { dealer, commitments, shares: s.recipients.map((j) => sealSubShare(s, setupDigest(s), dealer, dd, j, evaluate(coefficients, j), random)) };
}

describe('public checks of a dealing', () => {
  it('accepts the honest dealings', () => {
    for (const d of honest) value(readDealing(setup, d));
  });

  it('a dealer whose constant term is not λ_i·Y_i is refused, naming it, although all its proofs hold', () => {
    const a0 = mod(dealerWeight(setup, 3) * old.shares.get(3)! + 1n);
    const bad = dealFrom(setup, 3, [a0, 5n, 7n], 'cheat');
    const r = refusal(readDealing(setup, entry(bad)));
    expect(r).toMatchObject({ code: 'redistribution.dealing.constant-term', where: 'member 3' });
    expect(r.fr).toContain('La distribution du membre 3 est invalide\u00a0:');
    expect(r.en).toContain("Member 3's dealing is invalid: its constant term is not its weighted verification key");
    // The same polynomial with the right constant term passes: the check is what refused it.
    value(readDealing(setup, entry(dealFrom(setup, 3, [mod(dealerWeight(setup, 3) * old.shares.get(3)!), 5n, 7n], 'cheat'))));
  });

  it('a dealer who deals its unweighted share x_i (Y_i instead of λ_i·Y_i, here λ_1 = 2) is refused', () => {
    expect(dealerWeight(setup, 1)).toBe(2n);
    expect(refusal(readDealing(setup, entry(dealFrom(setup, 1, [old.shares.get(1)!, 5n, 7n], 'unweighted')))).code).toBe('redistribution.dealing.constant-term');
  });

  it('a tampered commitment is refused (the proofs bind D_i)', () => {
    const d = dealingOf(4);
    const commitments = d.commitments.map((c, k) => (k === 1 ? c.add(G) : c));
    expect(refusal(readDealing(setup, entry({ ...d, commitments })))).toMatchObject({ code: 'redistribution.dealing.ephemeral', where: 'member 4' });
  });

  it('a box changed in the transcript is refused at once (its proof binds the box)', () => {
    const d = dealingOf(1);
    const shares = d.shares.map((s, k) => (k === 3 ? { ...s, box: s.box.map((b, n) => (n === 0 ? b ^ 1 : b)) } : s));
    const r = refusal(readDealing(setup, entry({ ...d, shares })));
    expect(r).toMatchObject({ code: 'redistribution.dealing.ephemeral', where: 'member 1' });
    expect(r.en).toContain('the share for member 5');
  });

  it('an ephemeral key used twice in a dealing is refused', () => {
    const d = dealingOf(3);
    const shares = d.shares.map((s, k) => (k === 2 ? { ...s, ephemeral: d.shares[0]!.ephemeral } : s));
    const r = refusal(readDealing(setup, entry({ ...d, shares })));
    expect(r).toMatchObject({ code: 'redistribution.dealing.ephemeral-reuse', where: 'member 3' });
    expect(r.en).toContain('members 1 and 4');
  });

  it("another dealer's box, key and proof are refused (the proof names its dealer)", () => {
    const d4 = dealingOf(4);
    const d3 = dealingOf(3);
    const shares = d4.shares.map((s, k) => (k === 3 ? d3.shares[3]! : s));
    expect(refusal(readDealing(setup, entry({ ...d4, shares })))).toMatchObject({ code: 'redistribution.dealing.ephemeral', where: 'member 4' });
  });

  it('a dealing made under another fingerprint, attempt or purpose is refused', () => {
    for (const other of [{ fingerprint: new Uint8Array(32).fill(1) }, { attempt: 2 }, { purpose: 'board' as const }]) {
      const s = setupOf(old.key, [1, 3, 4], [1, 3, 4, 5, 6], 3, keys, other);
      expect(refusal(readDealing(setup, entry(value(deal(s, 1, old.shares.get(1)!)))))).toMatchObject({ code: 'redistribution.dealing.ephemeral', where: 'member 1' });
    }
  });

  it('counts, order, author and dealer', () => {
    const d = dealingOf(1);
    expect(refusal(readDealing(setup, entry(d, 3)))).toMatchObject({ code: 'redistribution.dealing.impostor', where: 'member 3' });
    expect(refusal(verifyDealing(setup, { ...d, dealer: 2 }))).toMatchObject({ code: 'redistribution.dealing.dealer', where: 'member 2' });
    expect(refusal(verifyDealing(setup, { ...d, commitments: d.commitments.slice(0, 2) })).code).toBe('redistribution.dealing.commitment-count');
    expect(refusal(verifyDealing(setup, { ...d, shares: d.shares.slice(0, 4) })).code).toBe('redistribution.dealing.share-count');
    expect(refusal(verifyDealing(setup, { ...d, shares: [d.shares[1]!, d.shares[0]!, ...d.shares.slice(2)] })).code).toBe('redistribution.dealing.share-order');
    expect(refusal(verifyDealing(setup, { ...d, shares: d.shares.map((s, k) => (k === 0 ? { ...s, box: s.box.slice(1) } : s)) })).code).toBe('redistribution.dealing.box-length');
  });

  it('an unreadable dealing is refused with the decoder’s code and place', () => {
    const bad = { ...(json(dealingToJson(dealingOf(1))) as Record<string, unknown>) };
    delete bad.commitments;
    const r = refusal(readDealing(setup, { member: 1, dealing: bad }));
    expect(r).toMatchObject({ code: 'json.missing', where: 'member 1 dealing' });
    expect(r.fr).toBe('La distribution du membre 1 est illisible\u00a0: Champ « commitments » manquant.');
  });
});

describe("a dealer's own step", () => {
  it('refuses a member outside Q and a share that is not the member’s', () => {
    expect(refusal(deal(setup, 2, old.shares.get(2)!))).toMatchObject({ code: 'redistribution.deal.not-dealer', where: 'member 2' });
    expect(refusal(deal(setup, 3, old.shares.get(4)!))).toMatchObject({ code: 'redistribution.deal.share-mismatch', where: 'member 3' });
  });
});

describe('complaints', () => {
  /** Dealer 4's box to member 6 sealed under the DKG's tags: publicly well formed, but it does not open as a redistribution box. */
  function dkgBoxDealing(): DealingEntry[] {
    const d = dealingOf(4);
    const random = seededScalars(utf8.encode('dkg-box'));
    const digest = setupDigest(setup);
    const dd = dealingDigest(setup, digest, 4, d.commitments);
    const k = random();
    const K = ephemeralOf(k);
    const box = sealShare({ ...boxContext(setup, 4, 6, dd, K), tags: DKG_BOX_TAGS }, 1n, k);
    const proof = proveSchnorr(ephemeralStatement(setup, digest, 4, 6, dd, K, box), k, random);
    const shares = d.shares.map((s) => (s.recipient === 6 ? { recipient: 6, ephemeral: K, proof, box } : s));
    return honest.map((e) => (e.member === 4 ? entry({ ...d, shares }) : e));
  }

  it('a box that does not open (sealed as a DKG box) is complained about and its dealer disqualified, by name', () => {
    const dealings = dkgBoxDealing();
    value(readDealing(setup, dealings[2]!));
    const check = value(checkDealt(setup, 6, keys.get(6)!.e, dealings));
    expect(check.findings.map((f) => f.status)).toEqual(['valid', 'valid', 'undecryptable']);
    const complaints = checkAll(setup, keys, dealings);
    expect(assess(setup, dealings, complaints).complaints).toMatchObject([{ complainant: 6, accused: 4, verdict: 'upheld', code: 'redistribution.share.undecryptable' }]);
    const r = refusal(resolve(setup, dealings, complaints));
    expect(r).toMatchObject({ code: 'redistribution.quorum', where: 'member 4' });
  });

  /** Member 6's real complaint against dealer 4, to be altered one field at a time. */
  const body = checkAll(setup, keys, dkgBoxDealing())[0]!.complaint as Record<string, unknown>;

  it('verdicts: impostor, unreadable, accused who does not deal, wrong S, from a non-member', () => {
    const judge = (c: { member: number; complaint: unknown }) => value(resolve(setup, honest, [c])).complaints[0]!;
    expect(judge({ member: 5, complaint: body })).toMatchObject({ complainant: 5, verdict: 'rejected', code: 'redistribution.complaint.impostor' });
    expect(judge({ member: 6, complaint: { ...body, dh: 'zz' } })).toMatchObject({ verdict: 'rejected', code: 'redistribution.complaint.malformed' });
    expect(judge({ member: 6, complaint: { ...body, accused: 2 } })).toMatchObject({ verdict: 'rejected', code: 'redistribution.complaint.malformed' });
    expect(judge({ member: 2, complaint: { ...body, complainant: 2 } })).toMatchObject({ verdict: 'rejected', code: 'redistribution.complaint.malformed' });
    const wrongS = json(complaintToJson({ complainant: 6, accused: 4, dh: G.multiply(5n), proof: { c: 1n, s: 1n } }));
    expect(judge({ member: 6, complaint: wrongS })).toMatchObject({ accused: 4, verdict: 'rejected', code: 'redistribution.complaint.proof' });
    // The proof speaks of one box: against dealer 4's honest dealing (another box), it fails.
    expect(judge({ member: 6, complaint: body })).toMatchObject({ accused: 4, verdict: 'rejected', code: 'redistribution.complaint.proof' });
  });

  it('a complaint against a dealer already refused is moot', () => {
    const s = setupOf(old.key, [1, 3, 4, 5], [1, 3, 4, 5, 6], 3, keys);
    const all = dealAll(s, old.shares).filter((d) => d.member !== 4);
    const result = value(resolve(s, all, [{ member: 6, complaint: { ...body } }]));
    expect(result.complaints[0]).toMatchObject({ accused: 4, verdict: 'moot', code: 'redistribution.complaint.moot' });
    expect(result.disqualified.map((d) => [d.member, d.reasons[0]!.code])).toEqual([[4, 'redistribution.dealing.absent']]);
  });
});

describe('a new member’s steps', () => {
  it('refuse a token that is not the member’s, and a member outside the new board', () => {
    expect(refusal(checkDealt(setup, 5, keys.get(6)!.e, honest))).toMatchObject({ code: 'redistribution.key-mismatch', where: 'member 5' });
    expect(refusal(checkDealt(setup, 2, keys.get(2)!.e, honest))).toMatchObject({ code: 'redistribution.finalize.not-holder', where: 'member 2' });
    expect(refusal(finalizeNewShare(setup, 2, keys.get(2)!.e, honest, []))).toMatchObject({ code: 'redistribution.finalize.not-holder', where: 'member 2' });
  });

  it('a member who did not complain about a bad box cannot finalize, and the dealer is named', () => {
    const s = setupOf(old.key, [1, 3, 4, 5], [1, 3, 4, 5, 6], 3, keys);
    const all = dealAll(s, old.shares);
    const d5 = value(readDealing(s, all[3]!));
    const dd = dealingDigest(s, setupDigest(s), 5, d5.commitments);
    const shares = d5.shares.map((x) => (x.recipient === 1 ? sealSubShare(s, setupDigest(s), 5, dd, 1, 9n, seededScalars(utf8.encode('x'))) : x));
    const dealings = all.map((d) => (d.member === 5 ? entry({ ...d5, shares }) : d));
    expect(refusal(finalizeNewShare(s, 1, keys.get(1)!.e, dealings, []))).toMatchObject({ code: 'redistribution.finalize.bad-share', where: 'member 5' });
    // With member 1's complaint, dealer 5 is out, and everyone (member 1 too) finalizes.
    const run = finish(s, keys, dealings);
    expect(run.result.valid).toEqual([1, 3, 4]);
  });
});

describe('setup and result', () => {
  it('refuses a setup whose dealers are too few or not holders, whose threshold does not fit, or whose keys are missing', () => {
    const base = setupOf(old.key, [1, 3, 4], [1, 3, 4, 5, 6], 3, keys);
    for (const bad of [
      { ...base, dealers: [1, 3] },
      { ...base, dealers: [1, 3, 6] },
      { ...base, dealers: [3, 1, 4] },
      { ...base, threshold: 6 },
      { ...base, threshold: 0 },
      { ...base, recipientKeys: base.recipientKeys.slice(1) },
      { ...base, recipients: [1, 3, 3, 5, 6] },
      { ...base, attempt: 0 },
      { ...base, fingerprint: new Uint8Array(31) },
      { ...base, old: { ...base.old, threshold: 6 } },
      { ...base, old: { ...base.old, verificationKeys: base.old.verificationKeys.slice(0, 4) } },
      { ...base, old: { ...base.old, publicKey: IDENTITY } },
    ]) {
      expect(refusal(validateSetup(bad)).code).toBe('redistribution.setup');
    }
    value(validateSetup(base));
    const r = refusal(validateSetup({ ...base, dealers: [1, 3] }));
    expect(r.fr).toBe('Préparation de la redistribution invalide\u00a0: 2 anciens membres présents, il en faut au moins 3 (le seuil).');
    expect(r.en).toBe('Invalid redistribution setup: 2 old members present, at least 3 needed (the threshold).');
  });

  it('refuses a result when the dealt constant terms do not add up to the published key', () => {
    const wrongY: Point = old.key.publicKey.add(G);
    const s = setupOf({ ...old.key, publicKey: wrongY }, [1, 3, 4], [1, 3, 4, 5, 6], 3, keys);
    expect(refusal(resolve(s, dealAll(s, old.shares), [])).code).toBe('redistribution.key-changed');
  });
});
