/**
 * The board's FROST signatures in a record (docs/record.md §7, docs/tally-ceremony.md §4, docs/protocol.md
 * §12.5), checked by the verifier from the docs: the board key of the key ceremony's `ceremony.closed`;
 * every commitment list rebuilt from the signers' `tally.board-commitments` entries and hashed as
 * `tally.board-round` fixed it; each member's commitments and shares for the messages rebuilt here; every
 * share checked, every signature aggregated again, equal to the recorded one and valid
 * under the board key; and results.json's `board` the transcript's. The messages are written here again
 * from the docs (the ceremony's are src/core/election/board-messages.ts).
 *
 *   PV       string("sceau/v1/frost/pv") || bytes(fp) || string(constituency) || integer(inscrits) || integer(votants)
 *            || integer(aVoteParInternet) || integer(blancs) || integer(nuls) || integer(exprimes) || list(integer(votes_k))
 *   results  string("sceau/v1/frost/results") || bytes(fp) || list(bytes(SHA-256(canonical JSON of PV_c)))
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../common/canonical-json.js';
import { fromHex, toHex } from '../common/bytes.js';
import { catchInput, ok, type Result } from '../common/result.js';
import { encode } from '../crypto/encoding.js';
import { aggregate, groupFromJson, verifyBoardSignature, verifyShare, type GroupPublic } from '../crypto/frost/index.js';
import { pointFromHex } from '../crypto/group.js';
import type { Report } from './check-report.js';
import { hasExactly } from './shapes.js';
import type { BoardCommitmentsRead, BoardSignatureRead, RefusedShareRead } from './tally-order-types.js';
import type { TranscriptEntry } from './transcript.js';
import { fail } from './failures.js';

/** The PV's figures as the messages read them (record.md §7). */
export interface BoardPv {
  readonly constituency: string;
  readonly inscrits: number;
  readonly votants: number;
  readonly aVoteParInternet: number;
  readonly blancs: number;
  readonly nuls: number;
  readonly exprimes: number;
  readonly votes: readonly number[];
}

const PV_PURPOSE = 'sceau/v1/frost/pv';
const RESULTS_PURPOSE = 'sceau/v1/frost/results';

/** What the board signs for one PV (protocol.md §12.5, record.md §7). */
export function pvMessage(fp: Uint8Array, pv: BoardPv): Uint8Array {
  return encode((e) => {
    e.string(PV_PURPOSE).bytes(fp).string(pv.constituency);
    for (const n of [pv.inscrits, pv.votants, pv.aVoteParInternet, pv.blancs, pv.nuls, pv.exprimes]) e.integer(n);
    e.list(pv.votes, (x, n) => x.integer(n));
  });
}

/** SHA-256 of the canonical JSON of the PV's eight keys (results.md §2's PVH). */
function pvHash(pv: BoardPv): Uint8Array {
  const { constituency, inscrits, votants, aVoteParInternet, blancs, nuls, exprimes, votes } = pv;
  return sha256(new TextEncoder().encode(canonicalJson({ constituency, inscrits, votants, aVoteParInternet, blancs, nuls, exprimes, votes: [...votes] })));
}

/** What the board signs for the results: the PVs' hashes in the definition's order. */
export function resultsMessage(fp: Uint8Array, pvs: readonly BoardPv[]): Uint8Array {
  return encode((e) =>
    e
      .string(RESULTS_PURPOSE)
      .bytes(fp)
      .list(pvs, (x, pv) => x.bytes(pvHash(pv))),
  );
}

/**
 * The board key of the key ceremony (key-ceremony.md §4.4): `ceremony.closed`'s `boardKey`, null when absent
 * or null. `board.key` when it is there but not the board's public data.
 */
export function boardKeyOfKeyCeremony(entries: readonly TranscriptEntry[], t: number, n: number): Result<GroupPublic | null> {
  const closed = entries.find((e) => e.type === 'ceremony.closed');
  const p = closed?.payload;
  const v = typeof p === 'object' && p !== null ? (p as Record<string, unknown>)['boardKey'] : undefined;
  if (v === undefined || v === null) return ok(null);
  const group = groupFromJson(v, { t, n }, 'keyceremony.jsonl ceremony.closed boardKey');
  if (!group.ok) return fail('board.key', `Clé de signature du bureau illisible\u00a0: ${group.error.message.fr}`, `Unreadable board signing key: ${group.error.message.en}`, group.error.where);
  return group;
}

/** hex SHA-256 of the messages' SHA-256, concatenated in order (tally-ceremony.md §4, `messagesSha256`). */
function messagesDigest(messages: readonly Uint8Array[]): string {
  const hashes = messages.map((m) => sha256(m));
  const all = new Uint8Array(32 * hashes.length);
  hashes.forEach((h, k) => all.set(h, 32 * k));
  return toHex(sha256(all));
}

/** Every commitment of the entry two canonical ristretto255 points, not the identity (tally-ceremony.md §4). */
function commitmentsArePoints(c: BoardCommitmentsRead): boolean {
  return catchInput(() => c.commitments.forEach((x) => (pointFromHex(x.hiding, 'hiding'), pointFromHex(x.binding, 'binding')))).ok;
}

/**
 * The board's signature recomputed (see the module's comment), the first fault reported: every attempt's
 * commitments (points) and shares for these messages, the signing attempt's lists' hash, every share
 * checked and every signature aggregated again.
 */
export function checkBoardSitting(report: Report, group: GroupPublic, fp: Uint8Array, pvs: readonly BoardPv[], board: BoardSignatureRead): void {
  const where = `tally.jsonl:${board.seq + 1}`;
  const messages = [...pvs.map((pv) => pvMessage(fp, pv)), resultsMessage(fp, pvs)];
  const digest = messagesDigest(messages);
  const hashes = messages.map((m) => toHex(sha256(m)));
  // Every attempt's entries, not only the signing one's (record.md §7): the workstation refuses any of them that is not for these messages.
  const entries = [...board.earlier.commitments, ...board.commitments, ...board.earlier.shares, ...board.shares].sort((x, y) => x.seq - y.seq);
  const stale = entries.find((c) => ('messagesSha256' in c ? c.messagesSha256 !== digest : c.shares.some((x, k) => x.message !== hashes[k])));
  if (stale !== undefined) {
    report.fail(
      'board.signature',
      `La part du membre ${stale.member} à la signature du bureau ne porte pas sur les messages que le bureau signe.`,
      `Member ${stale.member}'s part of the board signature is not for the messages the board signs.`,
      `tally.jsonl:${stale.seq + 1}`,
    );
    return;
  }
  const notPoint = [...board.earlier.commitments, ...board.commitments].sort((x, y) => x.seq - y.seq).find((c) => !commitmentsArePoints(c));
  if (notPoint !== undefined) {
    report.fail(
      'board.signature',
      `Les engagements du membre ${notPoint.member} à la signature du bureau ne sont pas des points du groupe.`,
      `Member ${notPoint.member}'s commitments to the board signature are not group points.`,
      `tally.jsonl:${notPoint.seq + 1}`,
    );
    return;
  }
  const lists = messages.map((_, k) => board.commitments.map((c) => ({ member: c.member, hiding: c.commitments[k]!.hiding, binding: c.commitments[k]!.binding })));
  if (toHex(sha256(new TextEncoder().encode(canonicalJson(lists)))) !== board.commitmentsSha256) {
    report.fail(
      'board.signature',
      'Les engagements de la signature du bureau ne sont pas ceux que les membres ont signés.',
      'The board signature’s commitments are not those the members signed.',
      where,
    );
    return;
  }
  const recorded = [...board.signatures.map((s) => s.signature), board.results];
  for (let k = 0; k < messages.length; k++) {
    const what = k < pvs.length ? { fr: `le PV de ${pvs[k]!.constituency}`, en: `the PV of ${pvs[k]!.constituency}` } : { fr: 'les résultats', en: 'the results' };
    const commitments = lists[k]!.map((c) => ({ member: c.member, hiding: fromHex(c.hiding), binding: fromHex(c.binding) }));
    const shares = board.shares.map((s) => ({ member: s.member, share: fromHex(s.shares[k]!.share) }));
    const made = aggregate(group, commitments, messages[k]!, shares);
    if (!made.ok) {
      report.fail(
        'board.signature',
        `Signature du bureau sur ${what.fr}\u00a0: ${made.error.message.fr}`,
        `Board signature of ${what.en}: ${made.error.message.en}`,
        `${where} ${made.error.where ?? ''}`.trim(),
      );
      return;
    }
    if (toHex(made.value) !== recorded[k] || !verifyBoardSignature(group.groupKey, messages[k]!, made.value).ok) {
      report.fail(
        'board.signature',
        `La signature du bureau sur ${what.fr} n'est pas celle des parts enregistrées.`,
        `The board signature of ${what.en} is not the one of the recorded shares.`,
        where,
      );
      return;
    }
  }
}

/**
 * Each refused share's evidence (record.md §7; its form, signature and attempt: ./tally-order-evidence.ts)
 * over these messages, and a share that fails its check (RFC 9591 §5.4) on its attempt's lists: a share that
 * passes it was good, and its member was left out of the board's signature without cause.
 */
export function checkRefusedShares(report: Report, group: GroupPublic, fp: Uint8Array, pvs: readonly BoardPv[], refused: readonly RefusedShareRead[]): void {
  const messages = [...pvs.map((pv) => pvMessage(fp, pv)), resultsMessage(fp, pvs)];
  const hashes = messages.map((m) => toHex(sha256(m)));
  for (const r of refused) {
    const where = `tally.jsonl:${r.seq + 1}`;
    if (r.shares.length !== messages.length || r.shares.some((x, k) => x.message !== hashes[k])) {
      report.fail(
        'board.signature',
        `La preuve de la part refusée du membre ${r.member} ne porte pas sur les messages que le bureau signe.`,
        `The evidence of member ${r.member}'s refused share is not for the messages the board signs.`,
        where,
      );
      continue;
    }
    const fails = messages.some((m, k) => {
      const list = r.lists[k]!.map((c) => ({ member: c.member, hiding: fromHex(c.hiding), binding: fromHex(c.binding) }));
      const checked = catchInput(() => verifyShare(group, list, m, { member: r.member, share: fromHex(r.shares[k]!.share) }));
      return !checked.ok || !checked.value.ok;
    });
    if (!fails) {
      report.fail(
        'board.signature',
        `La part du membre ${r.member} donnée comme preuve passe sa vérification\u00a0: elle n'avait pas à être refusée, ni ce membre écarté de la signature du bureau.`,
        `Member ${r.member}'s share given as evidence passes its check: it was not to be refused, nor this member left out of the board signature.`,
        where,
      );
    }
  }
}

/** results.json's `board` (record.md §7): exactly the transcript's board signature, under the key ceremony's key; absent when there is none. */
export function checkResultsBoard(report: Report, results: Record<string, unknown>, group: GroupPublic | null, board: BoardSignatureRead | undefined, name: string): void {
  const v = results['board'];
  if (group === null || board === undefined) {
    if (v !== undefined)
      report.fail('results.board', `${name} porte une signature du bureau que le journal n'enregistre pas.`, `${name} carries a board signature the transcript does not record.`, `${name} board`);
    return;
  }
  const expected = { key: toHex(group.groupKey), members: [...board.signers], pvs: board.signatures.map((s) => ({ constituency: s.constituency, signature: s.signature })), results: board.results };
  if (!hasExactly(v, ['key', 'members', 'pvs', 'results']) || canonicalJson(v) !== canonicalJson(expected)) {
    report.fail(
      'results.board',
      `La signature du bureau de ${name} n'est pas celle que le journal enregistre.`,
      `The board signature in ${name} is not the one the transcript records.`,
      `${name} board`,
    );
  }
}
