/**
 * Checking the sub-shares and complaining (docs/redistribution.md §5): each new member opens the boxes
 * dealt to it, checks each sub-share against its dealer's commitments (Feldman), and for each bad one
 * publishes a verifiable complaint as in the DKG (dkg.md §4.1): the box's Diffie–Hellman value
 * S = e_j·K_ij with a Chaum–Pedersen proof. Anyone then opens that one box and judges.
 */
import { DOMAIN } from '../domain.js';
import { G, L, randomScalar, type Point, type ScalarSource } from '../group.js';
import { proveChaumPedersen, verifyChaumPedersen, type ChaumPedersenStatement } from '../proofs/chaum-pedersen.js';
import { shareMatches } from '../dkg/polynomial.js';
import { openShare } from '../dkg/share-box.js';
import { complaintFromJson } from '../dkg/json.js';
import type { ComplaintEntry } from '../dkg/complaint.js';
import type { Complaint, ComplaintVerdict, ShareStatus } from '../dkg/index.js';
import { catchInput, missingCase, ok, type Result } from '../../common/result.js';
import { fail, failure } from './failures.js';
import { assertSetup, recipientKeyOf, setupDigest } from './setup.js';
import { boxContext, readDealings, type DealerOutcome } from './deal.js';
import type { Dealing, DealingEntry, RedistributionSetup } from './types.js';

/** A dealer's accepted dealing with its D_i. */
export interface ValidDealing {
  readonly dealing: Dealing;
  readonly digest: Uint8Array;
}

/** The position of new member j in N' (its share's index in a dealing). */
function slot(setup: RedistributionSetup, recipient: number): number {
  return setup.recipients.indexOf(recipient);
}

/**
 * The Chaum–Pedersen statement of a complaint: G1 = G, H1 = E_j, G2 = K_ij, H2 = S, context bytes(R) ||
 * integer(i) || integer(j) || bytes(D_i) || bytes(box_ij) (docs/redistribution.md §5.1).
 */
export function complaintStatement(setup: RedistributionSetup, digest: Uint8Array, accused: ValidDealing, complainant: number, dh: Point): ChaumPedersenStatement {
  const share = accused.dealing.shares[slot(setup, complainant)]!;
  return {
    tag: DOMAIN.redistributionComplaint,
    fingerprint: setup.fingerprint,
    g1: G,
    h1: recipientKeyOf(setup, complainant),
    g2: share.ephemeral,
    h2: dh,
    context: (e) => e.bytes(digest).integer(accused.dealing.dealer).integer(complainant).bytes(accused.digest).bytes(share.box),
  };
}

/** Opens dealer i's box to j with its DH value and applies Feldman's check g·G = Σ_k j^k·C_i,k. Hazardous: returns a sub-share. */
export function judgeBox(setup: RedistributionSetup, accused: ValidDealing, recipient: number, dh: Point): { readonly status: ShareStatus; readonly share?: bigint } {
  const { dealing, digest } = accused;
  const share = dealing.shares[slot(setup, recipient)]!;
  const opened = openShare(boxContext(setup, dealing.dealer, recipient, digest, share.ephemeral), dh, share.box);
  if (opened === undefined) return { status: 'undecryptable' };
  return { status: shareMatches(dealing.commitments, recipient, opened) ? 'valid' : 'invalid', share: opened };
}

/** The token's key is new member j's registered one: e_j·G = E_j. */
export function checkOwnKey(setup: RedistributionSetup, member: number, secretKey: bigint): Result<void> {
  if (secretKey <= 0n || secretKey >= L || !G.multiply(secretKey).equals(recipientKeyOf(setup, member))) {
    return fail(
      'redistribution.key-mismatch',
      `La clé de ce jeton n'est pas la clé de chiffrement enregistrée pour le nouveau membre ${member}.`,
      `This token's key is not the encryption key registered for new member ${member}.`,
      `member ${member}`,
    );
  }
  return ok(undefined);
}

export interface DealtFinding {
  readonly dealer: number;
  /** `dealer-disqualified`: the dealer's entry is absent or refused; nothing to check. */
  readonly status: ShareStatus | 'dealer-disqualified';
}

export interface DealtCheck {
  readonly member: number;
  /** One per dealer of Q, in its order. */
  readonly findings: readonly DealtFinding[];
  /** To publish, one transcript entry each (complaintToJson of the DKG, docs/redistribution.md §8.2). */
  readonly complaints: readonly Complaint[];
}

/**
 * New member j's check (docs/redistribution.md §5.1). Hazardous: `secretKey` is e_j from the new token;
 * the sub-shares opened here are not returned (finalizeNewShare reopens them once Q' is known). Each
 * complaint's nonce is hedged with e_j (docs/protocol.md §5.4).
 */
export function checkDealt(setup: RedistributionSetup, member: number, secretKey: bigint, dealings: readonly DealingEntry[], random: ScalarSource = randomScalar): Result<DealtCheck> {
  assertSetup(setup);
  if (!setup.recipients.includes(member)) {
    return fail(
      'redistribution.finalize.not-holder',
      `Le membre ${member} ne fait pas partie du nouveau bureau (${setup.recipients.join(', ')}).`,
      `Member ${member} is not on the new board (${setup.recipients.join(', ')}).`,
      `member ${member}`,
    );
  }
  const own = checkOwnKey(setup, member, secretKey);
  if (!own.ok) return own;
  const digest = setupDigest(setup);
  const findings: DealtFinding[] = [];
  const complaints: Complaint[] = [];
  for (const outcome of readDealings(setup, dealings)) {
    if (outcome.status !== 'valid') {
      findings.push({ dealer: outcome.member, status: 'dealer-disqualified' });
      continue;
    }
    const dh = outcome.dealing.shares[slot(setup, member)]!.ephemeral.multiply(secretKey);
    const { status } = judgeBox(setup, outcome, member, dh);
    findings.push({ dealer: outcome.member, status });
    if (status !== 'valid') {
      const proof = proveChaumPedersen(complaintStatement(setup, digest, outcome, member, dh), secretKey, random);
      complaints.push({ complainant: member, accused: outcome.member, dh, proof });
    }
  }
  return ok({ member, findings, complaints });
}

type VerdictBody = Omit<ComplaintVerdict, 'complainant'>;

/**
 * Settles one complaint entry against the dealers' outcomes (docs/redistribution.md §5.2): deterministic,
 * independent of the other complaints. The rows are tried in order; the first that applies decides.
 */
export function judgeComplaint(setup: RedistributionSetup, outcomes: readonly DealerOutcome[], entry: ComplaintEntry): ComplaintVerdict {
  const j = entry.member;
  return { complainant: j, ...verdictOf(setup, outcomes, entry) };
}

function verdictOf(setup: RedistributionSetup, outcomes: readonly DealerOutcome[], entry: ComplaintEntry): VerdictBody {
  const j = entry.member;
  const rejected = (code: 'redistribution.complaint.malformed' | 'redistribution.complaint.impostor', fr: string, en: string): VerdictBody => ({ verdict: 'rejected', ...failure(code, fr, en) });
  if (!setup.recipients.includes(j)) {
    return rejected('redistribution.complaint.malformed', `Plainte d'un auteur qui n'est pas un nouveau membre (${j}).`, `Complaint from an author who is not a new member (${j}).`);
  }
  const decoded = catchInput(() => complaintFromJson(entry.complaint, `member ${j} complaint`));
  if (!decoded.ok) {
    return rejected(
      'redistribution.complaint.malformed',
      `La plainte du membre ${j} est illisible\u00a0: ${decoded.error.message.fr}`,
      `Member ${j}'s complaint is unreadable: ${decoded.error.message.en}`,
    );
  }
  const { complainant, accused: i, dh } = decoded.value;
  if (complainant !== j) {
    return rejected(
      'redistribution.complaint.impostor',
      `Le membre ${j} a publié une plainte au nom du membre ${complainant}.`,
      `Member ${j} published a complaint in the name of member ${complainant}.`,
    );
  }
  const outcome = outcomes.find((o) => o.member === i);
  if (outcome === undefined) {
    return rejected(
      'redistribution.complaint.malformed',
      `La plainte du membre ${j} vise un membre qui ne distribue pas (${i}).`,
      `Member ${j}'s complaint accuses a member who does not deal (${i}).`,
    );
  }
  if (outcome.status !== 'valid') {
    return {
      accused: i,
      verdict: 'moot',
      ...failure(
        'redistribution.complaint.moot',
        `La plainte du membre ${j} contre le membre ${i} est sans objet\u00a0: la distribution du membre ${i} est déjà refusée.`,
        `Member ${j}'s complaint against member ${i} is moot: member ${i}'s dealing is already refused.`,
      ),
    };
  }
  if (!verifyChaumPedersen(complaintStatement(setup, setupDigest(setup), outcome, j, dh), decoded.value.proof)) {
    return {
      accused: i,
      verdict: 'rejected',
      ...failure(
        'redistribution.complaint.proof',
        `La plainte du membre ${j} contre le membre ${i} est rejetée\u00a0: sa preuve (Chaum–Pedersen) est fausse.`,
        `Member ${j}'s complaint against member ${i} is rejected: its (Chaum–Pedersen) proof does not verify.`,
      ),
    };
  }
  return boxVerdict(i, j, judgeBox(setup, outcome, j, dh));
}

function boxVerdict(i: number, j: number, judged: { readonly status: ShareStatus; readonly share?: bigint }): VerdictBody {
  switch (judged.status) {
    case 'undecryptable':
      return {
        accused: i,
        verdict: 'upheld',
        ...failure('redistribution.share.undecryptable', `Le membre ${i} a envoyé au membre ${j} une part indéchiffrable.`, `Member ${i} sent member ${j} a share that cannot be decrypted.`),
      };
    case 'invalid':
      return {
        accused: i,
        verdict: 'upheld',
        ...failure('redistribution.share.invalid', `Le membre ${i} a envoyé une part invalide au membre ${j}.`, `Member ${i} sent an invalid share to member ${j}.`),
        share: judged.share!,
      };
    case 'valid':
      return {
        accused: i,
        verdict: 'dismissed',
        ...failure(
          'redistribution.complaint.dismissed',
          `La plainte du membre ${j} contre le membre ${i} est infondée\u00a0: la part reçue était valide (elle est désormais publique).`,
          `Member ${j}'s complaint against member ${i} is unfounded: the share received was valid (it is now public).`,
        ),
        share: judged.share!,
      };
    default:
      return missingCase(judged.status);
  }
}
