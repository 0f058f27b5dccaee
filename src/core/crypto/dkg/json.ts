/**
 * JSON forms of the DKG's public messages (docs/dkg.md §7), as they go into the transcript: points and
 * scalars as 64 lower-case hex digits (docs/protocol.md §2), boxes as 96 hex digits. Decoders take
 * untrusted input: they check every type, refuse unknown keys and non-canonical encodings, and throw
 * {@link InputError} (turned into a Result by `catchInput`). Encoders write keys in a fixed order, so
 * equal values give byte-identical JSON.
 */
import { fromHex, toHex } from '../../common/bytes.js';
import type { Bilingual, Failure } from '../../common/result.js';
import { inputError } from './failures.js';
import { pointFromHex, pointToHex, scalarFromHex, scalarToHex } from '../group.js';
import type { SchnorrProof } from '../proofs/schnorr.js';
import { MAX_MEMBERS } from './params.js';
import { SHARE_BOX_BYTES } from './share-box.js';
import type { Complaint, ComplaintVerdict, DkgResult, Disqualification, EncryptedShare, Round1Message, Verdict } from './types.js';

export interface ProofJson {
  readonly c: string;
  readonly s: string;
}

export interface EncryptedShareJson {
  readonly recipient: number;
  readonly ephemeral: string;
  readonly proof: ProofJson;
  readonly box: string;
}

export interface Round1MessageJson {
  readonly dealer: number;
  readonly commitments: readonly string[];
  readonly proof: ProofJson;
  readonly shares: readonly EncryptedShareJson[];
}

export interface ComplaintJson {
  readonly complainant: number;
  readonly accused: number;
  readonly dh: string;
  readonly proof: ProofJson;
}

export interface FailureJson {
  readonly code: string;
  readonly message: Bilingual;
  readonly where?: string;
}

export interface ComplaintVerdictJson {
  readonly complainant: number;
  readonly accused?: number;
  readonly verdict: Verdict;
  readonly code: string;
  readonly message: Bilingual;
  readonly share?: string;
}

export interface DkgResultJson {
  readonly n: number;
  readonly t: number;
  readonly qualified: readonly number[];
  readonly disqualified: readonly { readonly member: number; readonly reasons: readonly FailureJson[] }[];
  readonly complaints: readonly ComplaintVerdictJson[];
  readonly publicKey: string;
  readonly commitments: readonly string[];
  readonly verificationKeys: readonly string[];
}

// ---------------------------------------------------------------- encoders

export function proofToJson(p: SchnorrProof): ProofJson {
  return { c: scalarToHex(p.c), s: scalarToHex(p.s) };
}

export function round1ToJson(m: Round1Message): Round1MessageJson {
  return {
    dealer: m.dealer,
    commitments: m.commitments.map(pointToHex),
    proof: proofToJson(m.proof),
    shares: m.shares.map((s) => ({ recipient: s.recipient, ephemeral: pointToHex(s.ephemeral), proof: proofToJson(s.proof), box: toHex(s.box) })),
  };
}

export function complaintToJson(c: Complaint): ComplaintJson {
  return { complainant: c.complainant, accused: c.accused, dh: pointToHex(c.dh), proof: proofToJson(c.proof) };
}

export function failureToJson(f: Failure): FailureJson {
  return f.where === undefined ? { code: f.code, message: { fr: f.message.fr, en: f.message.en } } : { code: f.code, message: { fr: f.message.fr, en: f.message.en }, where: f.where };
}

export function verdictToJson(v: ComplaintVerdict): ComplaintVerdictJson {
  return {
    complainant: v.complainant,
    ...(v.accused === undefined ? {} : { accused: v.accused }),
    verdict: v.verdict,
    code: v.code,
    message: { fr: v.message.fr, en: v.message.en },
    ...(v.share === undefined ? {} : { share: scalarToHex(v.share) }),
  };
}

export function dkgResultToJson(r: DkgResult): DkgResultJson {
  return {
    n: r.n,
    t: r.t,
    qualified: [...r.qualified],
    disqualified: r.disqualified.map((d) => ({ member: d.member, reasons: d.reasons.map(failureToJson) })),
    complaints: r.complaints.map(verdictToJson),
    publicKey: pointToHex(r.publicKey),
    commitments: r.commitments.map(pointToHex),
    verificationKeys: r.verificationKeys.map(pointToHex),
  };
}

// ---------------------------------------------------------------- decoders (untrusted input)

// french-spacing: keep. The decoder's messages are part of the DKG result's reasons, fixed byte for byte
// with ordinary spaces (dkg.md §7.4): records and key ceremonies written before are compared with them.
export function record(v: unknown, where: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw inputError('json.object', 'Objet JSON attendu.', 'Expected a JSON object.', where);
  }
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!required.includes(key) && !optional.includes(key)) throw inputError('json.key', `Champ inattendu « ${key} ».`, `Unexpected field "${key}".`, where);
  }
  for (const key of required) {
    if (!(key in o)) throw inputError('json.missing', `Champ « ${key} » manquant.`, `Missing field "${key}".`, where);
  }
  return o;
}

export function integer(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw inputError('json.integer', 'Entier positif ou nul attendu.', 'Expected a non-negative integer.', where);
  }
  return v;
}

export function array(v: unknown, where: string, max = MAX_MEMBERS): unknown[] {
  if (!Array.isArray(v)) throw inputError('json.array', 'Liste JSON attendue.', 'Expected a JSON array.', where);
  if (v.length > max) throw inputError('json.array-length', `Liste de ${v.length} éléments (au plus ${max}).`, `Array of ${v.length} items (at most ${max}).`, where);
  return v;
}

export function text(v: unknown, where: string): string {
  if (typeof v !== 'string') throw inputError('json.string', 'Chaîne attendue.', 'Expected a string.', where);
  return v;
}

// french-spacing: keep. The decoder's messages are part of the DKG result's reasons, fixed byte for byte
// with ordinary spaces (dkg.md §7.4): records and key ceremonies written before are compared with them.
export function hexBytes(v: unknown, length: number, where: string): Uint8Array {
  if (typeof v !== 'string' || v.length !== 2 * length || !/^[0-9a-f]*$/.test(v)) {
    throw inputError('hex.format', `Attendu : ${2 * length} chiffres hexadécimaux minuscules.`, `Expected ${2 * length} lower-case hexadecimal digits.`, where);
  }
  return fromHex(v);
}

export function proofFromJson(v: unknown, where: string): SchnorrProof {
  const o = record(v, where, ['c', 's']);
  return { c: scalarFromHex(o.c as string, `${where}.c`), s: scalarFromHex(o.s as string, `${where}.s`) };
}

function bilingual(v: unknown, where: string): Bilingual {
  const o = record(v, where, ['fr', 'en']);
  return { fr: text(o.fr, `${where}.fr`), en: text(o.en, `${where}.en`) };
}

/** Decodes a round-1 message's JSON: types, canonical non-identity points, scalars < L, 48-byte boxes. Counts and proofs are checked by verifyRound1. */
export function round1FromJson(v: unknown, where = 'round1'): Round1Message {
  const o = record(v, where, ['dealer', 'commitments', 'proof', 'shares']);
  const dealer = integer(o.dealer, `${where}.dealer`);
  const commitments = array(o.commitments, `${where}.commitments`).map((c, k) => pointFromHex(c as string, `${where}.commitments[${k}]`));
  const proof = proofFromJson(o.proof, `${where}.proof`);
  return { dealer, commitments, proof, shares: encryptedSharesFromJson(o.shares, `${where}.shares`) };
}

/**
 * Decodes a list of encrypted shares `{recipient, ephemeral, proof, box}` (§7.1's `shares`): types, canonical
 * non-identity K, scalars < L, 48-byte boxes; the path of each item is `where[k]`. Counts, order and proofs
 * are the caller's checks. The redistribution's dealings use the same form (redistribution.md §8).
 */
export function encryptedSharesFromJson(v: unknown, where: string): EncryptedShare[] {
  return array(v, where).map((s, k): EncryptedShare => {
    const w = `${where}[${k}]`;
    const so = record(s, w, ['recipient', 'ephemeral', 'proof', 'box']);
    return {
      recipient: integer(so.recipient, `${w}.recipient`),
      ephemeral: pointFromHex(so.ephemeral as string, `${w}.ephemeral`),
      proof: proofFromJson(so.proof, `${w}.proof`),
      box: hexBytes(so.box, SHARE_BOX_BYTES, `${w}.box`),
    };
  });
}

/** Decodes a complaint's JSON: types, a canonical non-identity point S, scalars < L. */
export function complaintFromJson(v: unknown, where = 'complaint'): Complaint {
  const o = record(v, where, ['complainant', 'accused', 'dh', 'proof']);
  return {
    complainant: integer(o.complainant, `${where}.complainant`),
    accused: integer(o.accused, `${where}.accused`),
    dh: pointFromHex(o.dh as string, `${where}.dh`),
    proof: proofFromJson(o.proof, `${where}.proof`),
  };
}

const VERDICTS: readonly Verdict[] = ['upheld', 'dismissed', 'rejected', 'moot'];

export function failureFromJson(v: unknown, where: string): Failure {
  const o = record(v, where, ['code', 'message'], ['where']);
  const base = { code: text(o.code, `${where}.code`), message: bilingual(o.message, `${where}.message`) };
  return o.where === undefined ? base : { ...base, where: text(o.where, `${where}.where`) };
}

export function verdictFromJson(v: unknown, where: string): ComplaintVerdict {
  const o = record(v, where, ['complainant', 'verdict', 'code', 'message'], ['accused', 'share']);
  const verdict = o.verdict as Verdict;
  if (!VERDICTS.includes(verdict)) throw inputError('dkg.json.verdict', 'Verdict inconnu.', 'Unknown verdict.', `${where}.verdict`);
  return {
    complainant: integer(o.complainant, `${where}.complainant`),
    ...(o.accused === undefined ? {} : { accused: integer(o.accused, `${where}.accused`) }),
    verdict,
    code: text(o.code, `${where}.code`),
    message: bilingual(o.message, `${where}.message`),
    ...(o.share === undefined ? {} : { share: scalarFromHex(o.share as string, `${where}.share`) }),
  };
}

/** Decodes a DKG result's JSON (shape and encodings only: `verifyDkgResult` checks it against the transcript). */
export function dkgResultFromJson(v: unknown, where = 'dkg result'): DkgResult {
  const o = record(v, where, ['n', 't', 'qualified', 'disqualified', 'complaints', 'publicKey', 'commitments', 'verificationKeys']);
  const disqualified = array(o.disqualified, `${where}.disqualified`).map((d, k): Disqualification => {
    const w = `${where}.disqualified[${k}]`;
    const dobj = record(d, w, ['member', 'reasons']);
    return { member: integer(dobj.member, `${w}.member`), reasons: array(dobj.reasons, `${w}.reasons`, 10_000).map((f, r) => failureFromJson(f, `${w}.reasons[${r}]`)) };
  });
  return {
    n: integer(o.n, `${where}.n`),
    t: integer(o.t, `${where}.t`),
    qualified: array(o.qualified, `${where}.qualified`).map((m, k) => integer(m, `${where}.qualified[${k}]`)),
    disqualified,
    complaints: array(o.complaints, `${where}.complaints`, 100_000).map((c, k) => verdictFromJson(c, `${where}.complaints[${k}]`)),
    publicKey: pointFromHex(o.publicKey as string, `${where}.publicKey`),
    commitments: array(o.commitments, `${where}.commitments`).map((c, k) => pointFromHex(c as string, `${where}.commitments[${k}]`)),
    verificationKeys: array(o.verificationKeys, `${where}.verificationKeys`).map((c, k) => pointFromHex(c as string, `${where}.verificationKeys[${k}]`)),
  };
}
