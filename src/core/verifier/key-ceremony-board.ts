/**
 * The board signing key's fields in a key-ceremony transcript (docs/key-ceremony.md §4.4), as the
 * verifier replays them: written from the docs, like ./key-ceremony.ts, which calls these checks entry by
 * entry. Shared with the ceremony it checks: only the cryptography (the FROST JSON decoders and noble's
 * check of a round-1 package, ../crypto/frost/; the Schnorr proof of protocol.md §5.1). The statement of a
 * box's proof of knowledge and the board key's public data are written here again from the docs.
 *
 * Each check returns why the entry is refused, or undefined once it is applied.
 */
import {
  boardBoxFromJson,
  boardComplaintFromJson,
  checkRound1Package,
  round1FromJson,
  validateParams,
  type BoardComplaint,
  type BoardShareBox,
  type FrostParams,
  type GroupPublicJson,
  type Round1Package,
} from '../crypto/frost/index.js';
import { DOMAIN } from '../crypto/domain.js';
import { statementDigest } from '../crypto/fiat-shamir.js';
import { G, Point, pointToHex } from '../crypto/group.js';
import { verifyChaumPedersen, type ChaumPedersenStatement } from '../crypto/proofs/chaum-pedersen.js';
import { openShare, type BoxContext } from '../crypto/dkg/share-box.js';
import { verifySchnorr, type SchnorrStatement } from '../crypto/proofs/schnorr.js';
import { canonicalJson } from '../common/canonical-json.js';
import { toHex } from '../common/bytes.js';
import { catchInput, type Bilingual } from '../common/result.js';
import { hasExactly } from './shapes.js';

/** `ceremony.opened`'s `boardKey`: the ciphersuite (RFC 9591, protocol.md §12.1). */
export const BOARD_KEY_SUITE = 'FROST-RISTRETTO255-SHA512-v1';

/** The field the board key adds to each entry (§4.4's table); the other entries have none. */
export const BOARD_FIELD: Readonly<Record<string, string>> = {
  'ceremony.opened': 'boardKey',
  'dkg.round1': 'frost',
  'dkg.checked': 'frostShares',
  'dkg.result': 'boardKey',
  'member.share-sealed': 'board',
  'member.confirmed': 'boardKey',
  'ceremony.closed': 'boardKey',
};

/** The board key's replay, from a `ceremony.opened` that carries `boardKey`. */
export interface BoardReplay {
  readonly fingerprint: Uint8Array;
  readonly params: FrostParams;
  /** Each member's round-1 package (`frost`), decoded and checked. */
  readonly packages: Map<number, Round1Package>;
  /** Every K of the board boxes so far (hex): none may come twice in the transcript. */
  readonly ephemerals: Set<string>;
  /** P: the members whose election round-1 message is valid, ascending, fixed once round 1 is over. */
  participants?: readonly number[];
  /** The board key's public data the result must carry (null when m < t), once round 1 is over. */
  group?: GroupPublicJson | null;
  /** Each dealer's boxes (`frostShares`), as recorded. */
  readonly boxes: Map<number, BoardShareBox[]>;
  /** The members whose sealing recorded a verifying share, in the transcript's order. */
  readonly sealed: number[];
  /** The dealers an upheld complaint puts at fault: they hold no usable share of the board key. */
  readonly atFault: Set<number>;
}

const no = (fr: string, en: string): Bilingual => ({ fr, en });

function sameJson(a: unknown, b: unknown): boolean {
  const x = catchInput(() => canonicalJson(a));
  return x.ok && x.value === canonicalJson(b);
}

/** The opening's `boardKey`: the ciphersuite's name, on a board FROST can serve (2 ≤ t ≤ n ≤ 255). */
export function openBoard(value: unknown, fingerprint: Uint8Array, t: number, n: number): BoardReplay | Bilingual {
  if (value !== BOARD_KEY_SUITE) return no(`clé du bureau inconnue (${BOARD_KEY_SUITE} attendu).`, `unknown board key (${BOARD_KEY_SUITE} expected).`);
  const params = validateParams({ t, n });
  if (!params.ok) return no(`pas de clé du bureau pour ce bureau (${params.error.message.fr})`, `no board key for this board (${params.error.message.en})`);
  return { fingerprint, params: { t, n }, packages: new Map(), ephemerals: new Set(), boxes: new Map(), sealed: [], atFault: new Set() };
}

/** Whether entry `type`'s payload, by member `j` for a member's entry, carries its board-key field (§4.4: each present iff …). */
export function carriesBoardField(b: BoardReplay | undefined, type: string, j?: number): boolean {
  if (b === undefined || !Object.hasOwn(BOARD_FIELD, type)) return false;
  if (type === 'member.share-sealed') return b.group !== null;
  if (type === 'member.confirmed') return boardMade(b) && j !== undefined && holders(b).includes(j);
  return true;
}

/** The holders of the board key (§4.4): the members whose sealing recorded a verifying share, less the dealers at fault. */
function holders(b: BoardReplay): number[] {
  return b.sealed.filter((j) => !b.atFault.has(j));
}

/** The board key is made (read once every sealing is in): the result carries one, and at least t members hold a share of it (§4.4). */
export function boardMade(b: BoardReplay): boolean {
  return b.group !== undefined && b.group !== null && holders(b).length >= b.params.t;
}

/** `dkg.round1`'s `frost`: member j's package, of t commitments, its proof of knowledge valid (refused otherwise, §4.4). */
export function boardRound1(b: BoardReplay, j: number, value: unknown): Bilingual | undefined {
  const pkg = round1FromJson(value, b.params, 'frost');
  if (!pkg.ok) return no(`paquet de la clé du bureau mal formé (${pkg.error.message.fr})`, `malformed board-key package (${pkg.error.message.en})`);
  if (pkg.value.member !== j) return no(`le paquet de la clé du bureau est celui du membre ${pkg.value.member}.`, `the board-key package is member ${pkg.value.member}'s.`);
  const checked = checkRound1Package(b.params, pkg.value);
  if (!checked.ok) return no(`paquet de la clé du bureau refusé (${checked.error.message.fr})`, `board-key package refused (${checked.error.message.en})`);
  b.packages.set(j, pkg.value);
  return undefined;
}

/** Round 1 is over: P is known, and with it the board key the result must carry. */
export function closeBoardRound1(b: BoardReplay, valid: readonly number[]): void {
  b.participants = valid;
  b.group =
    valid.length < b.params.t
      ? null
      : groupOf(
          b.params,
          valid.map((i) => b.packages.get(i)!),
        );
}

/** commitments[k] = Σ_{i∈P} C_i,k; groupKey = commitments[0]; verifyingShares[j−1] = Σ_k j^k·commitments[k] for j in 1…n. */
function groupOf(params: FrostParams, packages: readonly Round1Package[]): GroupPublicJson {
  const commitments = Array.from({ length: params.t }, (_, k) => packages.reduce((sum, p) => sum.add(Point.fromBytes(p.commitments[k]!)), Point.ZERO));
  // Horner: ((C_{t−1}·j + C_{t−2})·j + …)·j + C_0.
  const at = (j: number) => commitments.reduceRight((acc, c) => acc.multiply(BigInt(j)).add(c), Point.ZERO);
  const hex = (p: Point) => toHex(p.toBytes());
  return {
    t: params.t,
    n: params.n,
    groupKey: hex(commitments[0]!),
    commitments: commitments.map(hex),
    verifyingShares: Array.from({ length: params.n }, (_, k) => hex(at(k + 1))),
  };
}

/** D_i = SHA-512(string("sceau/v1/frost/commitments") || bytes(fp) || integer(i) || list of points C_i,0…C_i,t−1). */
function commitmentsDigestOf(fingerprint: Uint8Array, dealer: Round1Package): Uint8Array {
  return statementDigest(DOMAIN.frostCommitments, fingerprint, (e) => e.integer(dealer.member).points(dealer.commitments.map((c) => Point.fromBytes(c))));
}

/** The proof of knowledge of K: tag sceau/v1/frost/ephemeral, base G, public K, context integer(n) || integer(t) || integer(i) || integer(j) || bytes(D_i) || bytes(box). */
function ephemeralStatementOf(b: BoardReplay, dealer: number, digest: Uint8Array, x: BoardShareBox): SchnorrStatement {
  return {
    tag: DOMAIN.frostEphemeral,
    fingerprint: b.fingerprint,
    base: G,
    publicKey: x.ephemeral,
    context: (e) => e.integer(b.params.n).integer(b.params.t).integer(dealer).integer(x.recipient).bytes(digest).bytes(x.box),
  };
}

/** `dkg.checked`'s `frostShares`: one box per member of P other than j, ascending, each K new to the transcript and proven (§4.4). */
export function boardChecked(b: BoardReplay, j: number, value: unknown): Bilingual | undefined {
  if (!Array.isArray(value)) return no('parts de la clé du bureau mal formées (liste attendue).', 'malformed board-key shares (a list is expected).');
  const boxes: BoardShareBox[] = [];
  for (const [k, v] of value.entries()) {
    const x = boardBoxFromJson(v, b.params, `frostShares[${k}]`);
    if (!x.ok) return no(`boîte de la clé du bureau mal formée (${x.error.message.fr})`, `malformed board-key box (${x.error.message.en})`);
    boxes.push(x.value);
  }
  const P = b.participants ?? [];
  const recipients = P.length < b.params.t ? [] : P.filter((i) => i !== j);
  const inOrder = sameJson(
    boxes.map((x) => x.recipient),
    recipients,
  );
  if (!inOrder)
    return no(
      `une boîte par autre membre participant est attendue, dans l’ordre (${recipients.join(', ')}).`,
      `one box per other member taking part is expected, in order (${recipients.join(', ')}).`,
    );
  const dealer = b.packages.get(j)!;
  const digest = commitmentsDigestOf(b.fingerprint, dealer);
  const own = new Set<string>();
  for (const x of boxes) {
    const K = pointToHex(x.ephemeral);
    if (b.ephemerals.has(K) || own.has(K)) return no(`clé éphémère déjà publiée (boîte du membre ${x.recipient}).`, `ephemeral key already published (box for member ${x.recipient}).`);
    own.add(K);
    if (!verifySchnorr(ephemeralStatementOf(b, j, digest, x), x.proof))
      return no(`preuve de la clé éphémère invalide (boîte du membre ${x.recipient}).`, `invalid proof of the ephemeral key (box for member ${x.recipient}).`);
  }
  for (const K of own) b.ephemerals.add(K);
  b.boxes.set(j, boxes);
  return undefined;
}

/** `dkg.result`'s `boardKey`: the public data computed from the packages of P alone, or null when m < t. */
export function boardResult(b: BoardReplay, value: unknown): Bilingual | undefined {
  if (!sameJson(value, b.group)) return no('la clé du bureau publiée diffère de celle calculée depuis le journal.', 'the published board key differs from the one computed from the transcript.');
  return undefined;
}

/**
 * `member.share-sealed`'s `board`: the member's verifying share, or their complaints about the boxes they could not
 * take (§4.4): each about a distinct member of P other than j, ascending, its proof valid; each settled here.
 */
export function boardSealed(b: BoardReplay, j: number, encryptionKey: Point, value: unknown): Bilingual | undefined {
  const group = b.group!;
  if (hasExactly(value, ['verifyingShare'])) {
    if (value['verifyingShare'] !== group.verifyingShares[j - 1]) return no('part de vérification de la clé du bureau différente du résultat.', 'board-key verifying share differs from the result.');
    b.sealed.push(j);
    return undefined;
  }
  if (!hasExactly(value, ['complaints']) || !Array.isArray(value['complaints']) || value['complaints'].length === 0)
    return no('scellement de la clé du bureau mal formé (part de vérification ou plaintes attendues).', 'malformed board-key sealing (a verifying share or complaints expected).');
  // A dismissed complaint puts j at fault: j sealed no share of the board key, so j is no holder already.
  const upheld: number[] = [];
  let previous = 0;
  for (const [k, v] of (value['complaints'] as unknown[]).entries()) {
    const complaint = boardComplaintFromJson(v, b.params, `complaints[${k}]`);
    if (!complaint.ok) return no(`plainte sur la clé du bureau mal formée (${complaint.error.message.fr})`, `malformed board-key complaint (${complaint.error.message.en})`);
    const i = complaint.value.dealer;
    if (i === j || !(b.participants ?? []).includes(i) || i <= previous)
      return no(`la plainte n° ${k + 1} ne vise pas, dans l’ordre, un autre membre qui a donné une boîte.`, `complaint #${k + 1} does not name, in order, another member who dealt a box.`);
    previous = i;
    const verdict = settle(b, i, j, encryptionKey, complaint.value);
    if (verdict === 'refused')
      return no(`la preuve (Chaum–Pedersen) de la plainte contre le membre ${i} est fausse.`, `the (Chaum–Pedersen) proof of the complaint against member ${i} does not verify.`);
    if (verdict === 'upheld') upheld.push(i);
  }
  for (const i of upheld) b.atFault.add(i);
  return undefined;
}

/**
 * One complaint of j about dealer i's box, settled as protocol.md §12.4 says, written again from the docs: the
 * Chaum–Pedersen proof (tag sceau/v1/frost/complaint, G, E_j, K, S, context integer(n) || integer(t) || integer(i) ||
 * integer(j) || bytes(D_i) || bytes(box)), then the box opened with S under the board key's tags and its share
 * checked against i's commitments: `upheld` when it does not open, is zero or does not match, `dismissed` when it is valid.
 */
function settle(b: BoardReplay, i: number, j: number, encryptionKey: Point, complaint: BoardComplaint): 'refused' | 'upheld' | 'dismissed' {
  const dealer = b.packages.get(i)!;
  const x = b.boxes.get(i)!.find((box) => box.recipient === j)!;
  const digest = commitmentsDigestOf(b.fingerprint, dealer);
  const statement: ChaumPedersenStatement = {
    tag: DOMAIN.frostComplaint,
    fingerprint: b.fingerprint,
    g1: G,
    h1: encryptionKey,
    g2: x.ephemeral,
    h2: complaint.dh,
    context: (e) => e.integer(b.params.n).integer(b.params.t).integer(i).integer(j).bytes(digest).bytes(x.box),
  };
  if (!verifyChaumPedersen(statement, complaint.proof)) return 'refused';
  const ctx: BoxContext = {
    tags: { key: DOMAIN.frostShareKey, aad: DOMAIN.frostShareAad },
    fingerprint: b.fingerprint,
    dealer: i,
    recipient: j,
    commitmentsDigest: digest,
    ephemeral: x.ephemeral,
    recipientKey: encryptionKey,
  };
  const share = openShare(ctx, complaint.dh, x.box);
  // A zero share is no share (protocol.md §12.4), even where the dealer's polynomial vanishes at j.
  if (share === undefined || share === 0n) return 'upheld';
  const commitments = dealer.commitments.map((c) => Point.fromBytes(c));
  const expected = commitments.reduceRight((acc, c) => acc.multiply(BigInt(j)).add(c), Point.ZERO);
  const actual = G.multiply(share);
  return actual.equals(expected) ? 'dismissed' : 'upheld';
}

/** `member.confirmed`'s `boardKey` (present only when the key is made): the result's group key. */
export function boardConfirmed(b: BoardReplay, value: unknown): Bilingual | undefined {
  return value === b.group?.groupKey ? undefined : no('la clé du bureau confirmée diffère du résultat.', 'the confirmed board key differs from the result.');
}

/** `ceremony.closed`'s `boardKey`: the result's when the key is made, else null. */
export function boardClosed(b: BoardReplay, value: unknown): Bilingual | undefined {
  return sameJson(value, boardMade(b) ? b.group : null) ? undefined : no('la clé du bureau de la clôture ne correspond pas au résultat.', 'the board key of the closing does not match the result.');
}

/** Who holds the board key once made (§4.4), ascending: only they sign for the board and deal it in a redistribution; [] when none is made. */
export function boardHoldersOf(b: BoardReplay | undefined): number[] {
  return b !== undefined && boardMade(b) ? holders(b).sort((x, y) => x - y) : [];
}

/** What the closing established: the board key's public data when made, else null (also null for a ceremony without one). */
export function boardKeyOf(b: BoardReplay | undefined): GroupPublicJson | null {
  return b !== undefined && boardMade(b) ? b.group! : null;
}
