/**
 * A refused board share's evidence in the verifier's check of the tally's order (docs/record.md §7,
 * docs/tally-ceremony.md §4): a `board-share-refused` deviation whose `code` is not `tally.board-nonces`
 * leaves its member out of the next attempt, so it must carry `evidence`, the member's `tally.board-share`
 * entry exactly as they signed it:
 *
 *   made at the workstation   `{seq, prev, time, actor, type, payload, signature}`, `seq` and `prev` the
 *                             deviation's own, signed over B (formats.md §3.1), no `station` in the payload;
 *   made on their station     `{time, actor, type, payload, signature}`, `station` in the payload, signed over
 *                             B_station (formats.md §3.3);
 *
 * by `member:<j>` (the deviation's member), of type `tally.board-share`, its payload of that entry's form,
 * signed by member j's identity key, for the attempt it ends (member, round, `commitmentsSha256`, one item
 * per message on the fixed lists' hashes). What needs the PVs (the messages' hashes, the share failing its
 * check) is ./board-check.ts's. Written from the docs; it shares nothing with the ceremony code it checks.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../common/canonical-json.js';
import { fromHex, toHex } from '../common/bytes.js';
import type { Result } from '../common/result.js';
import { isRecord } from './shapes.js';
import { disagrees, isHex128, isHex64, itemsRefused, keysRefused } from './tally-order-entries.js';
import type { RefusedShareRead, TallyOrderBasis, TallyTranscriptEntry } from './tally-order-types.js';
import { signatureHolds } from './transcript.js';

/** The attempt the deviation ends: its round, the fixed lists' hash and the lists themselves, one per message. */
export interface EndedAttempt {
  readonly round: number;
  readonly commitmentsSha256: string;
  readonly lists: RefusedShareRead['lists'];
}

const SHARE_KEYS = ['member', 'round', 'commitmentsSha256', 'shares'];

function refused(e: TallyTranscriptEntry, j: number, fr: string, en: string): Result<never> {
  return disagrees(e, `la preuve de la part refusée du membre ${j} ${fr}`, `the evidence of member ${j}'s refused share ${en}`);
}

const hashOf = (v: unknown): string => toHex(sha256(new TextEncoder().encode(canonicalJson(v))));

/** The evidence read (see the module's comment): what ./board-check.ts checks further, or the refusal. */
export function readEvidence(e: TallyTranscriptEntry, j: number, evidence: unknown, a: EndedAttempt, basis: TallyOrderBasis): Result<RefusedShareRead> {
  if (!isRecord(evidence)) {
    return refused(
      e,
      j,
      'manque\u00a0: seule une part qui n’a pas pu être faite (tally.board-nonces) est refusée sans l’entrée signée du membre.',
      'is missing: only a share that could not be made (tally.board-nonces) is refused without the member’s signed entry.',
    );
  }
  const atWorkstation = Object.prototype.hasOwnProperty.call(evidence, 'seq');
  const keys = keysRefused(e, evidence, atWorkstation ? ['seq', 'prev', 'time', 'actor', 'type', 'payload', 'signature'] : ['time', 'actor', 'type', 'payload', 'signature'], 'evidence');
  if (keys !== undefined) return keys;
  const p = evidence['payload'];
  const stamped = isRecord(p) && Object.prototype.hasOwnProperty.call(p, 'station');
  const placed = atWorkstation ? evidence['seq'] === e.seq && evidence['prev'] === e.prev && !stamped : stamped;
  if (evidence['actor'] !== `member:${j}` || evidence['type'] !== 'tally.board-share' || !placed || typeof evidence['time'] !== 'string' || !isHex128(evidence['signature'])) {
    return refused(
      e,
      j,
      'n’est pas son entrée tally.board-share (faite au poste à la place de l’écart, ou sur son poste de membre).',
      'is not their tally.board-share entry (made at the workstation in the deviation’s place, or on their member station).',
    );
  }
  const form = isRecord(p)
    ? (keysRefused(e, p, stamped ? [...SHARE_KEYS, 'station'] : SHARE_KEYS, 'evidence.payload') ?? itemsRefused(e, p['shares'], ['message', 'list', 'share'], 'evidence.payload.shares'))
    : undefined;
  if (form !== undefined) return form;
  const shares = isRecord(p) ? p['shares'] : undefined;
  const itemsOk = Array.isArray(shares) && shares.every((x: unknown) => isRecord(x) && isHex64(x['message']) && isHex64(x['list']) && isHex64(x['share']));
  if (!isRecord(p) || !itemsOk) return refused(e, j, 'est mal formée.', 'is malformed.');
  if (basis.fingerprint !== undefined && basis.memberKeys !== undefined) {
    const key = basis.memberKeys.get(j);
    const entry = { ...(evidence as unknown as TallyTranscriptEntry), seq: atWorkstation ? (evidence['seq'] as number) : 0, prev: atWorkstation ? (evidence['prev'] as string) : e.prev };
    if (key === undefined || !signatureHolds(basis.fingerprint, entry, fromHex(key)))
      return refused(e, j, 'n’est pas signée par sa clé d’identité enrôlée.', 'is not signed by their enrolled identity key.');
  }
  const items = shares as RefusedShareRead['shares'];
  const forLists = items.length === a.lists.length && items.every((x, k) => x.list === hashOf(a.lists[k]));
  if (p['member'] !== j || p['round'] !== a.round || p['commitmentsSha256'] !== a.commitmentsSha256 || !forLists) {
    return refused(e, j, 'n’est pas une part de cette tentative (membre, tentative, listes d’engagements fixées).', 'is not a share of this attempt (member, attempt, fixed commitment lists).');
  }
  return { ok: true, value: { seq: e.seq, member: j, lists: a.lists, shares: items } };
}
