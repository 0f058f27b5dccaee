/**
 * JSON forms of every FROST message that crosses between machines (docs/protocol.md §12.3): points and
 * scalars as 64 lower-case hex digits, signatures and proofs (R || z) as 128, members as integers 1..n.
 * Decoders take untrusted input and a board's parameters: they refuse a missing or unknown key, a wrong
 * type, a count other than t or n, a member outside 1..n, upper-case or short hex, a non-canonical or
 * identity point and a scalar ≥ L, each with its reason; they never throw. Encoders write keys in a fixed
 * order, so equal values give byte-identical JSON.
 */
import { fromHex, toHex, equalBytes } from '../../common/bytes.js';
import { catchInput, type Result } from '../../common/result.js';
import { evaluateCommitments } from '../dkg/polynomial.js';
import { pointFromBytes, pointFromHex, scalarFromBytes, scalarFromHex, scalarToHex, type Point } from '../group.js';
import { SHARE_BOX_BYTES } from '../dkg/share-box.js';
import type { BoardShareBox } from './boxes.js';
import type { BoardComplaint } from './complaint.js';
import { inputError } from './failures.js';
import { isMember, type FrostParams, type GroupPublic, type NonceCommitment, type Round1Package, type Round2Share, type SignatureShare } from './suite.js';

export interface Round1PackageJson {
  readonly member: number;
  readonly commitments: readonly string[];
  readonly proof: string;
}

/** Hazardous: a share in clear, for a station's own use and tests; between stations only its 32 bytes travel, inside a box (docs/protocol.md §12.4). */
export interface Round2ShareJson {
  readonly from: number;
  readonly to: number;
  readonly share: string;
}

export interface GroupPublicJson {
  readonly t: number;
  readonly n: number;
  readonly groupKey: string;
  readonly commitments: readonly string[];
  readonly verifyingShares: readonly string[];
}

export interface NonceCommitmentJson {
  readonly member: number;
  readonly hiding: string;
  readonly binding: string;
}

/** A round-2 share sealed in a box (./boxes.ts): public. The proof is the Schnorr proof `{c, s}` of docs/dkg.md §7.1. */
export interface BoardShareBoxJson {
  readonly recipient: number;
  readonly ephemeral: string;
  readonly proof: { readonly c: string; readonly s: string };
  readonly box: string;
}

/** A complaint about a board-key box (./complaint.ts): the dealer, S = e_j·K and the Chaum–Pedersen proof `{c, s}`. */
export interface BoardComplaintJson {
  readonly dealer: number;
  readonly dh: string;
  readonly proof: { readonly c: string; readonly s: string };
}

export interface SignatureShareJson {
  readonly member: number;
  readonly share: string;
}

// ---------------------------------------------------------------- encoders

export function round1ToJson(p: Round1Package): Round1PackageJson {
  return { member: p.member, commitments: p.commitments.map(toHex), proof: toHex(p.proof) };
}

/** Hazardous: the JSON holds a secret share; it goes only into a box. */
export function round2ShareToJson(s: Round2Share): Round2ShareJson {
  return { from: s.from, to: s.to, share: toHex(s.share) };
}

export function groupToJson(g: GroupPublic): GroupPublicJson {
  return { t: g.t, n: g.n, groupKey: toHex(g.groupKey), commitments: g.commitments.map(toHex), verifyingShares: g.verifyingShares.map(toHex) };
}

export function nonceCommitmentToJson(c: NonceCommitment): NonceCommitmentJson {
  return { member: c.member, hiding: toHex(c.hiding), binding: toHex(c.binding) };
}

export function signatureShareToJson(s: SignatureShare): SignatureShareJson {
  return { member: s.member, share: toHex(s.share) };
}

export function signatureToHex(signature: Uint8Array): string {
  return toHex(signature);
}

export function boardBoxToJson(x: BoardShareBox): BoardShareBoxJson {
  return { recipient: x.recipient, ephemeral: x.ephemeral.toHex(), proof: { c: scalarToHex(x.proof.c), s: scalarToHex(x.proof.s) }, box: toHex(x.box) };
}

export function boardComplaintToJson(c: BoardComplaint): BoardComplaintJson {
  return { dealer: c.dealer, dh: c.dh.toHex(), proof: { c: scalarToHex(c.proof.c), s: scalarToHex(c.proof.s) } };
}

// ---------------------------------------------------------------- decoders (untrusted input)

/** A complaint about a board-key box: the dealer a member, S a canonical non-identity point, the proof's scalars < L. */
export function boardComplaintFromJson(v: unknown, params: FrostParams, where = 'complaint'): Result<BoardComplaint> {
  return catchInput(() => {
    const o = record(v, where, ['dealer', 'dh', 'proof']);
    const proof = record(o.proof, `${where}.proof`, ['c', 's']);
    return {
      dealer: member(o.dealer, params, `${where}.dealer`),
      dh: point(o.dh, `${where}.dh`),
      proof: { c: scalarFromHex(proof.c as string, `${where}.proof.c`), s: scalarFromHex(proof.s as string, `${where}.proof.s`) },
    };
  });
}

/** A board-key box: the recipient a member, K a canonical non-identity point, the proof's scalars < L, a box of 48 bytes. */
export function boardBoxFromJson(v: unknown, params: FrostParams, where = 'box'): Result<BoardShareBox> {
  return catchInput(() => {
    const o = record(v, where, ['recipient', 'ephemeral', 'proof', 'box']);
    const proof = record(o.proof, `${where}.proof`, ['c', 's']);
    if (typeof o.box !== 'string' || !new RegExp(`^[0-9a-f]{${2 * SHARE_BOX_BYTES}}$`).test(o.box)) {
      throw inputError('hex.format', `Attendu\u00a0: ${2 * SHARE_BOX_BYTES} chiffres hexadécimaux minuscules.`, `Expected ${2 * SHARE_BOX_BYTES} lower-case hexadecimal digits.`, `${where}.box`);
    }
    return {
      recipient: member(o.recipient, params, `${where}.recipient`),
      ephemeral: point(o.ephemeral, `${where}.ephemeral`),
      proof: { c: scalarFromHex(proof.c as string, `${where}.proof.c`), s: scalarFromHex(proof.s as string, `${where}.proof.s`) },
      box: fromHex(o.box),
    };
  });
}

export function round1FromJson(v: unknown, params: FrostParams, where = 'round1'): Result<Round1Package> {
  return catchInput(() => {
    const o = record(v, where, ['member', 'commitments', 'proof']);
    return {
      member: member(o.member, params, `${where}.member`),
      commitments: list(o.commitments, params.t, `${where}.commitments`).map((c, k) => pointBytes(c, `${where}.commitments[${k}]`)),
      proof: signatureBytes(o.proof, `${where}.proof`),
    };
  });
}

/** Hazardous: decodes a secret share, after its box has been opened. */
export function round2ShareFromJson(v: unknown, params: FrostParams, where = 'round2 share'): Result<Round2Share> {
  return catchInput(() => {
    const o = record(v, where, ['from', 'to', 'share']);
    return { from: member(o.from, params, `${where}.from`), to: member(o.to, params, `${where}.to`), share: scalarBytes(o.share, `${where}.share`) };
  });
}

/**
 * Decodes the board key's public data and checks it holds together: groupKey = commitments[0], and each
 * verifying share is the commitments evaluated at its member (Σ_k i^k·C_k), as every member's DKG computes.
 */
export function groupFromJson(v: unknown, params: FrostParams, where = 'board key'): Result<GroupPublic> {
  return catchInput(() => {
    const o = record(v, where, ['t', 'n', 'groupKey', 'commitments', 'verifyingShares']);
    if (o.t !== params.t || o.n !== params.n) {
      throw inputError(
        'frost.group.inconsistent',
        `Seuil ${String(o.t)} sur ${String(o.n)} au lieu de ${params.t} sur ${params.n}.`,
        `Threshold ${String(o.t)} of ${String(o.n)} instead of ${params.t} of ${params.n}.`,
        where,
      );
    }
    const groupKey = pointBytes(o.groupKey, `${where}.groupKey`);
    const commitments = list(o.commitments, params.t, `${where}.commitments`).map((c, k) => point(c, `${where}.commitments[${k}]`));
    const verifyingShares = list(o.verifyingShares, params.n, `${where}.verifyingShares`).map((c, k) => pointBytes(c, `${where}.verifyingShares[${k}]`));
    if (!equalBytes(groupKey, commitments[0]!.toBytes())) {
      throw inputError('frost.group.inconsistent', "La clé du bureau n'est pas le premier engagement.", 'The board key is not the first commitment.', `${where}.groupKey`);
    }
    verifyingShares.forEach((share, k) => {
      if (!equalBytes(share, evaluateCommitments(commitments, k + 1).toBytes())) {
        throw inputError(
          'frost.group.inconsistent',
          `La part de vérification du membre ${k + 1} ne découle pas des engagements.`,
          `Member ${k + 1}'s verifying share does not follow from the commitments.`,
          `${where}.verifyingShares[${k}]`,
        );
      }
    });
    return { t: params.t, n: params.n, groupKey, commitments: commitments.map((c) => c.toBytes()), verifyingShares };
  });
}

export function nonceCommitmentFromJson(v: unknown, params: FrostParams, where = 'commitment'): Result<NonceCommitment> {
  return catchInput(() => {
    const o = record(v, where, ['member', 'hiding', 'binding']);
    return { member: member(o.member, params, `${where}.member`), hiding: pointBytes(o.hiding, `${where}.hiding`), binding: pointBytes(o.binding, `${where}.binding`) };
  });
}

export function signatureShareFromJson(v: unknown, params: FrostParams, where = 'signature share'): Result<SignatureShare> {
  return catchInput(() => {
    const o = record(v, where, ['member', 'share']);
    return { member: member(o.member, params, `${where}.member`), share: scalarBytes(o.share, `${where}.share`) };
  });
}

/** A board signature: 128 lower-case hex digits of R || z, R a valid non-identity point, z < L. */
export function signatureFromHex(v: unknown, where = 'board signature'): Result<Uint8Array> {
  return catchInput(() => signatureBytes(v, where));
}

// ---------------------------------------------------------------- helpers (throw InputError)

function record(v: unknown, where: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw inputError('json.object', 'Objet JSON attendu.', 'Expected a JSON object.', where);
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!keys.includes(key)) throw inputError('json.key', `Champ inattendu «\u00a0${key}\u00a0».`, `Unexpected field "${key}".`, where);
  }
  for (const key of keys) {
    if (!(key in o)) throw inputError('json.missing', `Champ «\u00a0${key}\u00a0» manquant.`, `Missing field "${key}".`, where);
  }
  return o;
}

function member(v: unknown, params: FrostParams, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw inputError('json.integer', 'Entier attendu.', 'Expected an integer.', where);
  if (!isMember(params, v)) throw inputError('frost.member', `Membre ${v} inconnu (de 1 à ${params.n}).`, `Unknown member ${v} (1 to ${params.n}).`, where);
  return v;
}

function list(v: unknown, count: number, where: string): unknown[] {
  if (!Array.isArray(v)) throw inputError('json.array', 'Liste JSON attendue.', 'Expected a JSON array.', where);
  if (v.length !== count) throw inputError('json.array-length', `Liste de ${v.length} éléments au lieu de ${count}.`, `Array of ${v.length} items instead of ${count}.`, where);
  return v;
}

function point(v: unknown, where: string): Point {
  return pointFromHex(v as string, where);
}

/** A canonical, non-identity point's 32 bytes (pointFromHex checks the hex first: `hex.format`). */
function pointBytes(v: unknown, where: string): Uint8Array {
  return point(v, where).toBytes();
}

function scalarBytes(v: unknown, where: string): Uint8Array {
  scalarFromHex(v as string, where);
  return fromHex(v as string);
}

function signatureBytes(v: unknown, where: string): Uint8Array {
  if (typeof v !== 'string' || !/^[0-9a-f]{128}$/.test(v)) {
    throw inputError('hex.format', 'Attendu\u00a0: 128 chiffres hexadécimaux minuscules.', 'Expected 128 lower-case hexadecimal digits.', where);
  }
  const bytes = fromHex(v);
  pointFromBytes(bytes.subarray(0, 32), `${where} (R)`);
  scalarFromBytes(bytes.subarray(32), `${where} (z)`);
  return bytes;
}
