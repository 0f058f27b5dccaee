/**
 * JSON forms of the redistribution's public messages (docs/redistribution.md §8). The decoders are the
 * DKG's (same rules, same codes and messages, docs/dkg.md §7): they refuse unknown or missing fields,
 * wrong types and non-canonical encodings, throwing InputError (turned into a Result by `catchInput`).
 * Encoders write the fields in the order shown, so equal values give byte-identical JSON.
 */
import { toHex } from '../../common/bytes.js';
import { pointFromHex, pointToHex, scalarFromHex, scalarToHex } from '../group.js';
import {
  array,
  encryptedSharesFromJson,
  failureFromJson,
  failureToJson,
  integer,
  proofToJson,
  record,
  text,
  verdictFromJson,
  verdictToJson,
  type ComplaintVerdictJson,
  type EncryptedShareJson,
  type FailureJson,
} from '../dkg/json.js';
import { inputError } from './failures.js';
import type { Dealing, KeyPurpose, RedistributionResult } from './types.js';

export interface DealingJson {
  readonly dealer: number;
  readonly commitments: readonly string[];
  readonly shares: readonly EncryptedShareJson[];
}

export interface RedistributionResultJson {
  readonly purpose: KeyPurpose;
  readonly attempt: number;
  readonly valid: readonly number[];
  readonly disqualified: readonly { readonly member: number; readonly reasons: readonly FailureJson[] }[];
  readonly complaints: readonly ComplaintVerdictJson[];
  readonly weights: readonly string[];
  readonly commitments: readonly string[];
  readonly publicKey: string;
  readonly threshold: number;
  readonly holders: readonly number[];
  readonly verificationKeys: readonly string[];
}

export function dealingToJson(d: Dealing): DealingJson {
  return {
    dealer: d.dealer,
    commitments: d.commitments.map(pointToHex),
    shares: d.shares.map((s) => ({ recipient: s.recipient, ephemeral: pointToHex(s.ephemeral), proof: proofToJson(s.proof), box: toHex(s.box) })),
  };
}

/** Decodes a dealing: types, canonical non-identity points, scalars < L, 48-byte boxes. Counts and proofs are `verifyDealing`'s. */
export function dealingFromJson(v: unknown, where = 'dealing'): Dealing {
  const o = record(v, where, ['dealer', 'commitments', 'shares']);
  const dealer = integer(o.dealer, `${where}.dealer`);
  const commitments = array(o.commitments, `${where}.commitments`).map((c, k) => pointFromHex(c as string, `${where}.commitments[${k}]`));
  return { dealer, commitments, shares: encryptedSharesFromJson(o.shares, `${where}.shares`) };
}

export function redistributionResultToJson(r: RedistributionResult): RedistributionResultJson {
  return {
    purpose: r.purpose,
    attempt: r.attempt,
    valid: [...r.valid],
    disqualified: r.disqualified.map((d) => ({ member: d.member, reasons: d.reasons.map(failureToJson) })),
    complaints: r.complaints.map(verdictToJson),
    weights: r.weights.map(scalarToHex),
    commitments: r.commitments.map(pointToHex),
    publicKey: pointToHex(r.newKey.publicKey),
    threshold: r.newKey.threshold,
    holders: [...r.newKey.holders],
    verificationKeys: r.newKey.verificationKeys.map(pointToHex),
  };
}

/** Decodes a published result (shape and encodings only: `verifyRedistributionResult` recomputes it). */
export function redistributionResultFromJson(v: unknown, where = 'redistribution result'): RedistributionResult {
  const o = record(v, where, ['purpose', 'attempt', 'valid', 'disqualified', 'complaints', 'weights', 'commitments', 'publicKey', 'threshold', 'holders', 'verificationKeys']);
  const purpose = text(o.purpose, `${where}.purpose`);
  if (purpose !== 'election' && purpose !== 'board') throw inputError('json.string', 'Clé inconnue.', 'Unknown key.', `${where}.purpose`);
  const members = (field: string): number[] => array(o[field], `${where}.${field}`).map((m, k) => integer(m, `${where}.${field}[${k}]`));
  const points = (field: string): ReturnType<typeof pointFromHex>[] => array(o[field], `${where}.${field}`).map((p, k) => pointFromHex(p as string, `${where}.${field}[${k}]`));
  return {
    purpose,
    attempt: integer(o.attempt, `${where}.attempt`),
    valid: members('valid'),
    disqualified: array(o.disqualified, `${where}.disqualified`).map((d, k) => {
      const w = `${where}.disqualified[${k}]`;
      const dobj = record(d, w, ['member', 'reasons']);
      return { member: integer(dobj.member, `${w}.member`), reasons: array(dobj.reasons, `${w}.reasons`, 10_000).map((f, r) => failureFromJson(f, `${w}.reasons[${r}]`)) };
    }),
    complaints: array(o.complaints, `${where}.complaints`, 100_000).map((c, k) => verdictFromJson(c, `${where}.complaints[${k}]`)),
    weights: array(o.weights, `${where}.weights`).map((s, k) => scalarFromHex(s as string, `${where}.weights[${k}]`)),
    commitments: points('commitments'),
    newKey: {
      publicKey: pointFromHex(o.publicKey as string, `${where}.publicKey`),
      threshold: integer(o.threshold, `${where}.threshold`),
      holders: members('holders'),
      verificationKeys: points('verificationKeys'),
    },
  };
}
