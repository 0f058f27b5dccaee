/**
 * The board signing key's DKG: noble's FROST DKG (the split-round API of frost-rs: RFC 9591 leaves DKG
 * out of scope), composed, with each refusal naming its member (docs/protocol.md §12.2).
 *
 *   round 1   dkgRound1(params, i)                → Round1Package (public) + DkgState (secret polynomial)
 *   round 2   dkgRound2(state, all round-1)       → one Round2Share per other member (secret, boxed)
 *   finish    dkgFinish(state, all round-1, the shares received) → SigningShare (token) + GroupPublic
 *
 * noble checks every round-1 package at once and throws without saying whose failed, and checks the
 * received shares only inside round 3; this wrapper checks counts and members first, and on a refusal
 * asks noble about each package or share alone, so that the failure names the member at fault.
 */
import type { DKG_Round1, DKG_Round2, DKG_Secret } from '@noble/curves/abstract/frost.js';
import type { TArg } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { BugError, ok, type Result } from '../../common/result.js';
import { concatBytes, equalBytes } from '../../common/bytes.js';
import { agree } from '../../common/plural.js';
import { DOMAIN } from '../domain.js';
import { encode } from '../encoding.js';
import { evaluateCommitments } from '../dkg/polynomial.js';
import { Point } from '../group.js';
import { fail } from './failures.js';
import {
  FROST,
  MAX_MEMBERS,
  identifierOf,
  memberName,
  memberOf,
  participants,
  validateParams,
  type FrostParams,
  type GroupPublic,
  type Round1Package,
  type Round2Share,
  type SigningShare,
} from './suite.js';

/** Hazardous: noble's round state, holding the member's secret polynomial until `dkgFinish`. */
export interface DkgState {
  readonly params: FrostParams;
  readonly member: number;
  readonly secret: DKG_Secret;
  readonly own: Round1Package;
}

export interface DkgOutcome {
  /** Hazardous: goes to the member's token. */
  readonly signingShare: SigningShare;
  readonly group: GroupPublic;
}

type Rng = (bytes?: number) => Uint8Array;

/** Hazardous: draws the member's polynomial. `rng` only for tests (noble still maps its bytes to non-zero scalars). */
export function dkgRound1(params: FrostParams, member: number, rng?: Rng): { readonly package: Round1Package; readonly state: DkgState } {
  assertParams(params);
  if (!participants(params).includes(member)) throw new BugError(`FROST DKG: member ${member} does not take part`);
  const signers = { min: params.t, max: participants(params).length };
  const r = rng === undefined ? FROST.DKG.round1(identifierOf(member), signers) : FROST.DKG.round1(identifierOf(member), signers, undefined, rng);
  const own: Round1Package = { member, commitments: r.public.commitment, proof: r.public.proofOfKnowledge };
  return { package: own, state: { params, member, secret: r.secret, own } };
}

/**
 * Hazardous: round 1 drawn from a 32-byte seed, so that a station can make the same state again at its
 * next step from the seed its token sealed, instead of sealing noble's state (docs/protocol.md §12.8):
 *   rng stream = SHA-512(string("sceau/v1/frost/dkg-seed") || bytes(seed) || integer(i) || integer(k)), k = 0, 1, …
 * `dkgRound2` then checks that the state made again published the transcript's package.
 */
export function dkgRound1FromSeed(params: FrostParams, member: number, seed: Uint8Array): { readonly package: Round1Package; readonly state: DkgState } {
  if (seed.length !== 32) throw new BugError(`FROST DKG: seed of ${seed.length} bytes`);
  let counter = 0;
  let pool: Uint8Array = new Uint8Array(0);
  const rng: Rng = (bytes = 32) => {
    while (pool.length < bytes) pool = concatBytes(pool, sha512(encode((e) => e.string(DOMAIN.frostDkgSeed).bytes(seed).integer(member).integer(counter++))));
    const out = pool.slice(0, bytes);
    pool = pool.slice(bytes);
    return out;
  };
  return dkgRound1(params, member, rng);
}

/**
 * The board key's public data from round 1 alone, for anyone (the president's workstation, a verifier):
 * noble checks every package's proof of knowledge (a refusal names its member); the commitments are
 * the sums of the members' (Σ_i C_i,k) and member j's verifying share is Σ_k j^k·C_k, as each member's
 * `dkgFinish` computes them.
 */
export function groupFromRound1(params: FrostParams, round1: readonly Round1Package[]): Result<GroupPublic> {
  assertParams(params);
  const all = everyMember(params, round1);
  if (!all.ok) return all;
  const probe = FROST.DKG.round1(identifierOf(MAX_MEMBERS + 1), { min: params.t, max: participants(params).length + 1 });
  try {
    FROST.DKG.round2(probe.secret, all.value.map(nobleRound1));
  } catch {
    return refusedRound1(params, all.value);
  } finally {
    FROST.DKG.clean(probe.secret);
  }
  const sums = Array.from({ length: params.t }, (_, k) => all.value.reduce((acc, p) => acc.add(Point.fromBytes(p.commitments[k]!)), Point.ZERO));
  const verifyingShares = Array.from({ length: params.n }, (_, j) => evaluateCommitments(sums, j + 1).toBytes());
  const commitments = sums.map((c) => c.toBytes());
  return ok({ t: params.t, n: params.n, groupKey: commitments[0]!, commitments, verifyingShares });
}

/**
 * One round-1 package on arrival, before the round is complete (a ceremony records it only if it passes):
 * its t commitments and its proof of knowledge, as noble checks them in round 2. Refused: `frost.dkg.count`
 * (not t commitments), `frost.dkg.proof` (naming its member).
 */
export function checkRound1Package(params: FrostParams, pkg: Round1Package): Result<void> {
  assertParams(params);
  if (!participants(params).includes(pkg.member))
    return fail(
      'frost.dkg.count',
      `Paquet du tour 1 d'un membre qui ne prend pas part à la clé\u00a0: ${pkg.member}.`,
      `Round-1 package from a member not taking part in the key: ${pkg.member}.`,
      memberName(pkg.member).where,
    );
  if (pkg.commitments.length !== params.t)
    return fail(
      'frost.dkg.count',
      `Le paquet ${memberName(pkg.member).ofFr} a ${pkg.commitments.length} engagements au lieu de ${params.t}.`,
      `The package of ${memberName(pkg.member).en} has ${pkg.commitments.length} commitments instead of ${params.t}.`,
      memberName(pkg.member).where,
    );
  return refusedAlone(params, pkg) ? refusedRound1(params, [pkg]) : ok(undefined);
}

/**
 * Hazardous: computes the shares of the member's polynomial for every other member, after noble has
 * checked every other member's proof of knowledge. `round1` is the whole round (n packages, the member's
 * own included, which must be the one it made).
 */
export function dkgRound2(state: DkgState, round1: readonly Round1Package[]): Result<Round2Share[]> {
  if (state.secret.step === 3) return fail('frost.dkg.state', 'La clé du bureau est déjà faite pour ce membre.', 'The board key is already made for this member.', memberName(state.member).where);
  const others = othersOf(state, round1);
  if (!others.ok) return others;
  let sent: Record<string, DKG_Round2>;
  try {
    sent = FROST.DKG.round2(state.secret, others.value.map(nobleRound1));
  } catch {
    // Having dealt once, noble deals again only for the same packages.
    if (state.secret.step === 2)
      return fail(
        'frost.dkg.transcript',
        'Les paquets du tour 1 ne sont pas ceux pour lesquels ce membre a déjà distribué ses parts.',
        'The round-1 packages are not those this member already dealt its shares for.',
        memberName(state.member).where,
      );
    return refusedRound1(state.params, others.value);
  }
  const shares = Object.entries(sent).map(([id, s]) => ({ from: state.member, to: knownMember(state.params, id), share: s.signingShare }));
  return ok(shares.sort((a, b) => a.to - b.to));
}

/** noble answers with the identifiers it was given: anything else is a bug. */
function knownMember(params: FrostParams, id: string): number {
  const member = memberOf(params, id);
  if (member === undefined) throw new BugError(`FROST DKG: noble dealt to an unknown identifier ${id}`);
  return member;
}

/**
 * Hazardous: checks each share received against its sender's commitments (naming a sender whose share
 * does not match), then lets noble finish: the member's signing share and the board key's public data.
 */
export function dkgFinish(state: DkgState, round1: readonly Round1Package[], received: readonly Round2Share[]): Result<DkgOutcome> {
  if (state.secret.step !== 2)
    return fail(
      'frost.dkg.state',
      "Le tour 2 de la clé du bureau n'a pas été fait, ou la clé est déjà faite.",
      'Round 2 of the board key has not been done, or the key is already made.',
      memberName(state.member).where,
    );
  const others = othersOf(state, round1);
  if (!others.ok) return others;
  const checked = checkReceived(state, others.value, received);
  if (!checked.ok) return checked;
  let key;
  try {
    key = FROST.DKG.round3(state.secret, others.value.map(nobleRound1), checked.value);
  } catch {
    return fail('frost.dkg.transcript', 'Les paquets du tour 1 ne sont pas ceux du tour 2.', 'The round-1 packages are not those of round 2.', memberName(state.member).where);
  }
  const { t, n } = state.params;
  // noble gives the participants' verifying shares; a member left out of the DKG gets the same evaluation
  // of the commitments (Σ_k j^k·C_k), so that the public data keeps one entry per member of the board.
  const points = key.public.commitments.map((c) => Point.fromBytes(c));
  const verifyingShares = Array.from({ length: n }, (_, k) => key.public.verifyingShares[identifierOf(k + 1)] ?? evaluateCommitments(points, k + 1).toBytes());
  const group: GroupPublic = { t, n, groupKey: key.public.commitments[0]!, commitments: key.public.commitments, verifyingShares };
  return ok({ signingShare: { member: state.member, share: key.secret.signingShare }, group });
}

/** Best effort: wipes the polynomial of an abandoned DKG. */
export function dkgForget(state: DkgState): void {
  FROST.DKG.clean(state.secret);
}

// ---------------------------------------------------------------- checks

function assertParams(params: FrostParams): void {
  const r = validateParams(params);
  if (!r.ok) throw new BugError(`FROST parameters: ${r.error.message.en}`);
}

/** The n − 1 other members' packages, one each, t commitments each; the member's own must be unchanged. */
function othersOf(state: DkgState, round1: readonly Round1Package[]): Result<Round1Package[]> {
  const { member, own } = state;
  const all = everyMember(state.params, round1);
  if (!all.ok) return all;
  const mine = round1.find((p) => p.member === member)!;
  if (!sameRound1(mine, own))
    return fail(
      'frost.dkg.transcript',
      `Le paquet du tour 1 ${memberName(member).ofFr} n'est pas celui qu'il a fait.`,
      `The round-1 package of ${memberName(member).en} is not the one it made.`,
      memberName(member).where,
    );
  return ok(round1.filter((p) => p.member !== member));
}

/** One package from each member taking part, t commitments each. */
function everyMember(params: FrostParams, round1: readonly Round1Package[]): Result<readonly Round1Package[]> {
  const seen = new Set<number>();
  for (const p of round1) {
    const who = memberName(p.member);
    if (!participants(params).includes(p.member) || seen.has(p.member))
      return fail(
        'frost.dkg.count',
        `Paquet du tour 1 en double ou d'un membre qui ne prend pas part à la clé\u00a0: ${p.member}.`,
        `Round-1 package duplicated or from a member not taking part in the key: ${p.member}.`,
        who.where,
      );
    seen.add(p.member);
    if (p.commitments.length !== params.t)
      return fail(
        'frost.dkg.count',
        `Le paquet ${who.ofFr} a ${p.commitments.length} engagements au lieu de ${params.t}.`,
        `The package of ${who.en} has ${p.commitments.length} commitments instead of ${params.t}.`,
        who.where,
      );
  }
  const expected = participants(params).length;
  if (seen.size !== expected) return fail('frost.dkg.count', `${seen.size} paquets du tour 1 au lieu de ${expected}.`, `${seen.size} round-1 packages instead of ${expected}.`);
  return ok(round1);
}

function sameRound1(a: Round1Package, b: Round1Package): boolean {
  return a.member === b.member && a.commitments.length === b.commitments.length && a.commitments.every((c, k) => equalBytes(c, b.commitments[k]!)) && equalBytes(a.proof, b.proof);
}

function nobleRound1(p: Round1Package): TArg<DKG_Round1> {
  return { identifier: identifierOf(p.member), commitment: [...p.commitments], proofOfKnowledge: p.proof };
}

/**
 * Names the members whose round-1 package noble refuses. noble checks a package only inside round 2,
 * for all at once; a probe member (identifiers above MAX_MEMBERS, never a board member's) with a t-of-t
 * key runs round 2 against one package and t − 2 probe packages, so each refusal is that package's own.
 */
function refusedRound1(params: FrostParams, others: readonly Round1Package[]): Result<never> {
  const fillers = probeFillers(params.t);
  const refused = others.filter((p) => refusedAlone(params, p, fillers));
  // noble refused the round as a whole, so at least one package fails alone; anything else is a bug.
  if (refused.length === 0) throw new BugError('FROST DKG: round 2 refused, yet every package passes alone');
  const names = refused.map((p) => p.member).join(', ');
  const k = refused.length;
  return fail(
    'frost.dkg.proof',
    `${agree(k, 'fr', 'Paquet du tour 1 refusé', 'Paquets du tour 1 refusés')} (preuve de connaissance ou engagement invalide)\u00a0: ${agree(k, 'fr', 'membre', 'membres')} ${names}.`,
    `Round-1 ${agree(k, 'en', 'package', 'packages')} refused (invalid proof of knowledge or commitment): ${agree(k, 'en', 'member', 'members')} ${names}.`,
    memberName(refused[0]!.member).where,
  );
}

/** Public packages of probe members (identifiers above MAX_MEMBERS), made once per threshold: nothing secret is kept. */
const FILLERS = new Map<number, ReturnType<typeof FROST.DKG.round1>['public'][]>();
function probeFillers(t: number): ReturnType<typeof FROST.DKG.round1>['public'][] {
  let fillers = FILLERS.get(t);
  if (fillers === undefined) {
    fillers = Array.from({ length: t - 2 }, (_, k) => {
      const r = FROST.DKG.round1(identifierOf(MAX_MEMBERS + 2 + k), { min: t, max: t });
      FROST.DKG.clean(r.secret);
      return r.public;
    });
    FILLERS.set(t, fillers);
  }
  return fillers;
}

/** Whether noble refuses this package alone (with t − 2 probe packages beside it). */
function refusedAlone(params: FrostParams, p: Round1Package, fillers = probeFillers(params.t)): boolean {
  const probe = FROST.DKG.round1(identifierOf(MAX_MEMBERS + 1), { min: params.t, max: params.t });
  try {
    FROST.DKG.round2(probe.secret, [nobleRound1(p), ...fillers]);
    return false;
  } catch {
    return true;
  } finally {
    FROST.DKG.clean(probe.secret);
  }
}

/** One share from each other member, addressed to this member, each matching its sender's commitments (RFC 9591 App. C.2 vss_verify, noble's validateSecret). */
function checkReceived(state: DkgState, others: readonly Round1Package[], received: readonly Round2Share[]): Result<TArg<DKG_Round2>[]> {
  const { params, member } = state;
  const out: TArg<DKG_Round2>[] = [];
  const seen = new Set<number>();
  for (const s of received) {
    const who = memberName(s.from);
    if (s.to !== member)
      return fail(
        'frost.dkg.recipient',
        `La part envoyée par ${who.fr} est adressée au membre ${s.to}, pas au membre ${member}.`,
        `The share sent by ${who.en} is addressed to member ${s.to}, not member ${member}.`,
        who.where,
      );
    const dealer = others.find((p) => p.member === s.from);
    if (dealer === undefined || seen.has(s.from))
      return fail('frost.dkg.count', `Part en double ou d'un membre inattendu\u00a0: ${s.from}.`, `Share duplicated or from an unexpected member: ${s.from}.`, who.where);
    seen.add(s.from);
    if (!shareMatches(params, member, dealer, s.share))
      return fail('frost.dkg.share', `La part envoyée par ${who.fr} ne correspond pas à ses engagements.`, `The share sent by ${who.en} does not match its commitments.`, who.where);
    out.push({ identifier: identifierOf(s.from), signingShare: s.share });
  }
  if (seen.size !== others.length) return fail('frost.dkg.count', `${seen.size} parts reçues au lieu de ${others.length}.`, `${seen.size} shares received instead of ${others.length}.`);
  return ok(out);
}

function shareMatches(params: FrostParams, member: number, dealer: Round1Package, share: Uint8Array): boolean {
  try {
    const pub = { signers: { min: params.t, max: participants(params).length }, commitments: [...dealer.commitments], verifyingShares: {} };
    FROST.validateSecret({ identifier: identifierOf(member), signingShare: share }, pub);
    return true;
  } catch {
    return false;
  }
}
