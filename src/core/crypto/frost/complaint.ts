/**
 * A verifiable complaint about a board-key box (docs/protocol.md §12.4, docs/key-ceremony.md §4.4), composed from
 * the election DKG's (docs/dkg.md §4.1–§4.2), with no new primitive: the recipient j of dealer i's box reveals the
 * box's Diffie–Hellman value S = e_j·K with a Chaum–Pedersen proof (protocol.md §5.2) that log_G E_j = log_K S.
 * With S anyone opens that one box and checks its share against the dealer's commitments (Feldman): a box that
 * does not open or holds a share that does not match puts the DEALER at fault; a box that holds a valid share
 * puts the COMPLAINER at fault. The dealer need not answer.
 *
 * The proof's statement binds, by strong Fiat–Shamir, the election (fp), the board's shape (n, t), the dealer i,
 * the complainer j, the dealer's commitments (D_i of ./boxes.ts) and the box itself, under a tag of its own
 * (`sceau/v1/frost/complaint`): it speaks of this one box and cannot pass for an election-key complaint.
 */
import { DOMAIN } from '../domain.js';
import { G, Point, randomScalar, type ScalarSource } from '../group.js';
import { proveChaumPedersen, verifyChaumPedersen, type ChaumPedersenProof, type ChaumPedersenStatement } from '../proofs/chaum-pedersen.js';
import { shareMatches } from '../dkg/polynomial.js';
import { ok, type Failure, type Result } from '../../common/result.js';
import { boardCommitmentsDigest, openBoardBox, type BoardBoxBinding, type BoardShareBox } from './boxes.js';
import { fail, failure } from './failures.js';
import { memberName } from './suite.js';

/** Member j's complaint about dealer i's box: S = e_j·K and the proof (public). The complainer is the entry's author. */
export interface BoardComplaint {
  readonly dealer: number;
  readonly dh: Point;
  readonly proof: ChaumPedersenProof;
}

/** What a box holds for its recipient. */
export type BoardBoxStatus = 'valid' | 'invalid' | 'undecryptable';

/** How a complaint is settled: `upheld`, the dealer is at fault; `dismissed`, the complainer is (the failure says whom, in `where`). */
export interface BoardVerdict extends Failure {
  readonly dealer: number;
  readonly complainer: number;
  readonly verdict: 'upheld' | 'dismissed';
}

/** Where a complaint belongs: the dealer's binding, the complainer j and their token key E_j, the box complained of. */
export interface BoardComplaintSubject {
  readonly binding: BoardBoxBinding;
  readonly complainer: number;
  readonly complainerKey: Point;
  readonly box: BoardShareBox;
}

/**
 * The Chaum–Pedersen statement: tag sceau/v1/frost/complaint, G1 = G, H1 = E_j, G2 = K, H2 = S, context
 * integer(n) || integer(t) || integer(i) || integer(j) || bytes(D_i) || bytes(box).
 */
export function boardComplaintStatement(subject: BoardComplaintSubject, dh: Point): ChaumPedersenStatement {
  const { binding: b, complainer, complainerKey, box } = subject;
  const digest = boardCommitmentsDigest(b.fingerprint, b.dealer);
  return {
    tag: DOMAIN.frostComplaint,
    fingerprint: b.fingerprint,
    g1: G,
    h1: complainerKey,
    g2: box.ephemeral,
    h2: dh,
    context: (e) => e.integer(b.params.n).integer(b.params.t).integer(b.dealer.member).integer(complainer).bytes(digest).bytes(box.box),
  };
}

/** Opens the box with S and applies Feldman's check f_i(j)·G = Σ_k j^k·C_i,k. Hazardous: the share is secret unless S is public. */
export function judgeBoardBox(subject: BoardComplaintSubject, dh: Point): BoardBoxStatus {
  const { binding: b, complainer, complainerKey, box } = subject;
  const share = openBoardBox(b, complainer, complainerKey, box, dh);
  if (share === undefined) return 'undecryptable';
  // A zero share passes Feldman's check when f_i(j) = 0, but FROST refuses it: no member could seal it (§12.4).
  if (share === 0n) return 'invalid';
  const commitments = b.dealer.commitments.map((c) => Point.fromBytes(c));
  return shareMatches(commitments, complainer, share) ? 'valid' : 'invalid';
}

/** Hazardous: what the recipient's token key e_j finds in the box. */
export function checkBoardBox(subject: BoardComplaintSubject, encryptionSecret: bigint): BoardBoxStatus {
  return judgeBoardBox(subject, subject.box.ephemeral.multiply(encryptionSecret));
}

/**
 * Hazardous: member j's complaint about the box (e_j from their token). The proof's nonce is hedged with e_j
 * (protocol.md §5.4), as the DKG's: a member may complain about several dealers in one step.
 */
export function makeBoardComplaint(subject: BoardComplaintSubject, encryptionSecret: bigint, random: ScalarSource = randomScalar): BoardComplaint {
  const dh = subject.box.ephemeral.multiply(encryptionSecret);
  return { dealer: subject.binding.dealer.member, dh, proof: proveChaumPedersen(boardComplaintStatement(subject, dh), encryptionSecret, random) };
}

/**
 * Settles a complaint, anyone: refused when it is not about this box's dealer (`frost.complaint.dealer`) or its
 * proof fails (`frost.complaint.proof`); otherwise `upheld` (the box does not open, or its share does not match
 * the dealer's commitments: `frost.dkg.share`, the dealer named) or `dismissed` (the share is valid:
 * `frost.complaint.dismissed`, the complainer named). Deterministic, and independent of every other complaint.
 */
export function judgeBoardComplaint(subject: BoardComplaintSubject, complaint: BoardComplaint): Result<BoardVerdict> {
  const i = subject.binding.dealer.member;
  const j = subject.complainer;
  const complainer = memberName(j);
  if (complaint.dealer !== i)
    return fail('frost.complaint.dealer', `La plainte du membre ${j} ne porte pas sur la boîte du membre ${i}.`, `Member ${j}'s complaint is not about member ${i}'s box.`, complainer.where);
  if (!verifyChaumPedersen(boardComplaintStatement(subject, complaint.dh), complaint.proof))
    return fail(
      'frost.complaint.proof',
      `La plainte du membre ${j} contre le membre ${i} est refusée\u00a0: sa preuve (Chaum–Pedersen) est fausse.`,
      `Member ${j}'s complaint against member ${i} is refused: its (Chaum–Pedersen) proof does not verify.`,
      complainer.where,
    );
  const dealer = memberName(i);
  switch (judgeBoardBox(subject, complaint.dh)) {
    case 'undecryptable':
      return upheld(
        i,
        j,
        `Le membre ${i} a envoyé au membre ${j} une part de la clé du bureau indéchiffrable.`,
        `Member ${i} sent member ${j} a board-key share that cannot be decrypted.`,
        dealer.where,
      );
    case 'invalid':
      return upheld(
        i,
        j,
        `Le membre ${i} a envoyé au membre ${j} une part de la clé du bureau invalide (elle ne correspond pas à ses engagements).`,
        `Member ${i} sent member ${j} an invalid board-key share (it does not match their commitments).`,
        dealer.where,
      );
    case 'valid':
      return ok({
        dealer: i,
        complainer: j,
        verdict: 'dismissed',
        ...failure(
          'frost.complaint.dismissed',
          `La plainte du membre ${j} contre le membre ${i} est infondée\u00a0: la part de la clé du bureau reçue était valide.`,
          `Member ${j}'s complaint against member ${i} is unfounded: the board-key share received was valid.`,
          complainer.where,
        ),
      });
  }
}

function upheld(i: number, j: number, fr: string, en: string, where: string): Result<BoardVerdict> {
  return ok({ dealer: i, complainer: j, verdict: 'upheld', ...failure('frost.dkg.share', fr, en, where) });
}
