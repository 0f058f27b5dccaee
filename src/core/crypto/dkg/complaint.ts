/**
 * Round 2 of the DKG (docs/dkg.md §4): every member checks the shares dealt to it and, for each bad
 * one, publishes a VERIFIABLE complaint: the box's Diffie–Hellman value S = e_j·K with a Chaum–Pedersen
 * proof that log_G E_j = log_K S. With S anyone can open that one box and judge the dealer, without
 * the dealer (who has forgotten its polynomial) having to answer.
 */
import { DOMAIN } from '../domain.js';
import { G, L, randomScalar, type Point, type ScalarSource } from '../group.js';
import { proveChaumPedersen, verifyChaumPedersen, type ChaumPedersenStatement } from '../proofs/chaum-pedersen.js';
import { catchInput, missingCase, ok, type Result } from '../../common/result.js';
import { fail, failure } from './failures.js';
import { assertKeys, assertMember, assertParams, isMember, keyOf, type DkgParams } from './params.js';
import { shareMatches } from './polynomial.js';
import { boxContext, readContributions, type Contribution, type Round1Entry } from './round1.js';
import { openShare } from './share-box.js';
import { complaintFromJson } from './json.js';
import type { Complaint, ComplaintVerdict, Round1Message } from './types.js';

/** A complaint entry of the transcript: `member` is the authenticated author, `complaint` its untrusted payload (JSON). */
export interface ComplaintEntry {
  readonly member: number;
  readonly complaint: unknown;
}

/**
 * The Chaum–Pedersen statement of a complaint (docs/protocol.md §5.2): G1 = G, H1 = E_j, G2 = K_ij,
 * H2 = S, context integer(i) || integer(j) || bytes(D_i) || bytes(box_ij): the proof is about this box
 * of this dealer and no other.
 */
export function complaintStatement(params: DkgParams, encryptionKeys: readonly Point[], accused: Round1Message, digest: Uint8Array, complainant: number, dh: Point): ChaumPedersenStatement {
  const share = accused.shares[complainant - 1]!;
  return {
    tag: DOMAIN.dkgComplaint,
    fingerprint: params.fingerprint,
    g1: G,
    h1: keyOf(encryptionKeys, complainant),
    g2: share.ephemeral,
    h2: dh,
    context: (e) => e.integer(accused.dealer).integer(complainant).bytes(digest).bytes(share.box),
  };
}

/** What a recipient found in one dealer's box. */
export type ShareStatus = 'valid' | 'invalid' | 'undecryptable';

export interface ShareFinding {
  readonly dealer: number;
  /** `dealer-disqualified`: the dealer's round-1 message is absent or invalid; nothing to check. */
  readonly status: ShareStatus | 'dealer-disqualified';
}

export interface Round2Check {
  readonly member: number;
  /** One per dealer 1..n. */
  readonly findings: readonly ShareFinding[];
  /** To publish, one transcript entry each (./json.ts complaintToJson). */
  readonly complaints: readonly Complaint[];
}

/** Opens a box with its DH value and applies Feldman's check s·G = Σ_k j^k·C_i,k. Hazardous: returns a share. */
export function judgeBox(
  params: DkgParams,
  encryptionKeys: readonly Point[],
  contribution: { readonly message: Round1Message; readonly digest: Uint8Array },
  recipient: number,
  dh: Point,
): { readonly status: ShareStatus; readonly share?: bigint } {
  const { message, digest } = contribution;
  const share = openShare(boxContext(params, encryptionKeys, message, recipient, digest), dh, message.shares[recipient - 1]!.box);
  if (share === undefined) return { status: 'undecryptable' };
  return { status: shareMatches(message.commitments, recipient, share) ? 'valid' : 'invalid', share };
}

/** Checks that the token's decryption key e_j belongs to member j: e_j·G = E_j. */
export function checkOwnKey(encryptionKeys: readonly Point[], member: number, secretKey: bigint): Result<void> {
  if (secretKey <= 0n || secretKey >= L || !G.multiply(secretKey).equals(keyOf(encryptionKeys, member))) {
    return fail(
      'dkg.key-mismatch',
      `La clé de ce jeton n'est pas la clé de chiffrement enregistrée pour le membre ${member}.`,
      `This token's key is not the encryption key registered for member ${member}.`,
      `member ${member}`,
    );
  }
  return ok(undefined);
}

/**
 * Member j's round-2 step (a): opens every share dealt to it by a dealer whose round-1 message is
 * valid, checks it against the dealer's commitments, and makes a complaint for each share that is
 * invalid or does not open. Hazardous: `secretKey` is e_j from the token; the shares opened here are
 * secret and are not returned (finalize reopens them once the qualified set is known). Each complaint's
 * proof has a hedged nonce (docs/protocol.md §5.4): `random` only adds to it, so complaints about several
 * dealers cannot reveal e_j even if `random` repeats itself.
 */
export function checkShares(
  params: DkgParams,
  encryptionKeys: readonly Point[],
  member: number,
  secretKey: bigint,
  round1: readonly Round1Entry[],
  random: ScalarSource = randomScalar,
): Result<Round2Check> {
  assertParams(params);
  assertKeys(params, encryptionKeys);
  assertMember(params, member);
  const own = checkOwnKey(encryptionKeys, member, secretKey);
  if (!own.ok) return own;
  const findings: ShareFinding[] = [];
  const complaints: Complaint[] = [];
  for (const c of readContributions(params, round1)) {
    if (c.status !== 'valid') {
      findings.push({ dealer: c.member, status: 'dealer-disqualified' });
      continue;
    }
    const dh = c.message.shares[member - 1]!.ephemeral.multiply(secretKey);
    const { status } = judgeBox(params, encryptionKeys, c, member, dh);
    findings.push({ dealer: c.member, status });
    if (status !== 'valid') {
      const proof = proveChaumPedersen(complaintStatement(params, encryptionKeys, c.message, c.digest, member, dh), secretKey, random);
      complaints.push({ complainant: member, accused: c.member, dh, proof });
    }
  }
  return ok({ member, findings, complaints });
}

/**
 * Settles one complaint entry from the transcript, against round 1's contributions (indexed by member
 * − 1). Deterministic and independent of the other complaints, so their order does not matter.
 */
// french-spacing: keep. The DKG result's reasons and verdicts are protocol text, fixed byte for byte with
// ordinary spaces (dkg.md §7.4): records and key ceremonies written before are compared with them.
export function judgeComplaint(params: DkgParams, encryptionKeys: readonly Point[], contributions: readonly Contribution[], entry: ComplaintEntry): ComplaintVerdict {
  const j = entry.member;
  if (!isMember(params, j)) {
    // The transcript layer should never attribute an entry to a non-member; judge it, don't crash on it.
    return {
      complainant: j,
      verdict: 'rejected',
      ...failure('dkg.complaint.malformed', `Plainte d'un auteur inconnu (${j}) : les membres vont de 1 à ${params.n}.`, `Complaint from an unknown author (${j}): members are 1 to ${params.n}.`),
    };
  }
  const decoded = catchInput(() => complaintFromJson(entry.complaint, `member ${j} complaint`));
  if (!decoded.ok) {
    const e = decoded.error;
    return {
      complainant: j,
      verdict: 'rejected',
      ...failure('dkg.complaint.malformed', `La plainte du membre ${j} est illisible : ${e.message.fr}`, `Member ${j}'s complaint is unreadable: ${e.message.en}`),
    };
  }
  const complaint = decoded.value;
  const i = complaint.accused;
  if (complaint.complainant !== j) {
    return {
      complainant: j,
      verdict: 'rejected',
      ...failure(
        'dkg.complaint.impostor',
        `Le membre ${j} a publié une plainte au nom du membre ${complaint.complainant}.`,
        `Member ${j} published a complaint in the name of member ${complaint.complainant}.`,
      ),
    };
  }
  if (!isMember(params, i)) {
    return {
      complainant: j,
      verdict: 'rejected',
      ...failure('dkg.complaint.malformed', `La plainte du membre ${j} vise un membre inconnu (${i}).`, `Member ${j}'s complaint accuses an unknown member (${i}).`),
    };
  }
  const accused = contributions[i - 1]!;
  if (accused.status !== 'valid') {
    return {
      complainant: j,
      accused: i,
      verdict: 'moot',
      ...failure(
        'dkg.complaint.moot',
        `La plainte du membre ${j} contre le membre ${i} est sans objet : le membre ${i} est déjà disqualifié à l'issue du premier tour.`,
        `Member ${j}'s complaint against member ${i} is moot: member ${i} was already disqualified after round 1.`,
      ),
    };
  }
  if (!verifyChaumPedersen(complaintStatement(params, encryptionKeys, accused.message, accused.digest, j, complaint.dh), complaint.proof)) {
    return {
      complainant: j,
      accused: i,
      verdict: 'rejected',
      ...failure(
        'dkg.complaint.proof',
        `La plainte du membre ${j} contre le membre ${i} est rejetée : sa preuve (Chaum–Pedersen) est fausse.`,
        `Member ${j}'s complaint against member ${i} is rejected: its (Chaum–Pedersen) proof does not verify.`,
      ),
    };
  }
  const { status, share } = judgeBox(params, encryptionKeys, accused, j, complaint.dh);
  switch (status) {
    case 'undecryptable':
      return {
        complainant: j,
        accused: i,
        verdict: 'upheld',
        ...failure('dkg.share.undecryptable', `Le membre ${i} a envoyé au membre ${j} une part indéchiffrable.`, `Member ${i} sent member ${j} a share that cannot be decrypted.`),
      };
    case 'invalid':
      return {
        complainant: j,
        accused: i,
        verdict: 'upheld',
        ...failure('dkg.share.invalid', `Le membre ${i} a envoyé une part invalide au membre ${j}.`, `Member ${i} sent an invalid share to member ${j}.`),
        share: share!,
      };
    case 'valid':
      return {
        complainant: j,
        accused: i,
        verdict: 'dismissed',
        ...failure(
          'dkg.complaint.dismissed',
          `La plainte du membre ${j} contre le membre ${i} est infondée : la part reçue était valide (elle est désormais publique).`,
          `Member ${j}'s complaint against member ${i} is unfounded: the share received was valid (it is now public).`,
        ),
        share: share!,
      };
    default:
      return missingCase(status);
  }
}
