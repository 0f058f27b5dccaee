/** results.json (docs/record.md §7): its shape, the recount of every PV, its arithmetic, and the members' signatures. */
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../common/canonical-json.js';
import { toHex } from '../common/bytes.js';
import type { ElectionDefinition } from './definition.js';
import { RECORD_FILES } from './record-files.js';
import { countConstituency, pvArithmetic, RESULTS_FORMAT, verifyPvSignature, type Pv } from './results-rules.js';
import type { UrnReading } from './urn.js';
import type { TranscriptEntry } from './transcript.js';
import { Report, canonicalOrEmpty, digestOf, missing, objects, parseJson, payloadOf, readText } from './check-report.js';
import { hasExactly } from './shapes.js';
import { checkBoardSitting, checkRefusedShares, checkResultsBoard, type BoardPv } from './board-check.js';
import type { BoardSignatureRead, RefusedShareRead } from './tally-order-types.js';
import type { GroupPublic } from '../crypto/frost/index.js';

/** Whether member m's own tally.signature entry holds this signature of the PV of constituency cid. */
export function signedInTranscript(entries: readonly TranscriptEntry[], m: number, cid: string, signature: string): boolean {
  return entries.some(
    (e) =>
      e.type === 'tally.signature' &&
      e.actor === `member:${m}` &&
      payloadOf(e)['member'] === m &&
      objects(payloadOf(e)['signatures']).some((x) => x['constituency'] === cid && x['signature'] === signature),
  );
}

export const RESULTS_KEYS = ['format', 'election', 'members', 'constituencies', 'signatures'] as const;

export const PV_KEYS = ['constituency', 'inscrits', 'votants', 'aVoteParInternet', 'blancs', 'nuls', 'exprimes', 'votes'] as const;

/**
 * results.json holds exactly record.md §7's: its keys, its members once each in ascending order, every PV
 * with exactly its fields, and exactly one signature of each member present on each PV (nothing more: a
 * signature row for a member not present, or twice, would be published unverified).
 */
export function checkResultsShape(report: Report, r: Record<string, unknown>, present: readonly number[], def: ElectionDefinition, name: string): void {
  const members = r['members'] as unknown[];
  const ascending = members.every((m, i) => typeof m === 'number' && Number.isInteger(m) && m >= 1 && m <= def.board.members.length && (i === 0 || m > (members[i - 1] as number)));
  const pvsExact = (r['constituencies'] as unknown[]).every((pv) => hasExactly(pv, PV_KEYS));
  const rows = r['signatures'] as unknown[];
  const pairs = new Set(
    rows.map((x) => (hasExactly(x, ['member', 'constituency', 'signature']) ? `${String((x as { member: unknown }).member)}/${String((x as { constituency: unknown }).constituency)}` : '?')),
  );
  const expectedPairs = def.constituencies.flatMap((c) => present.map((m) => `${m}/${c.id}`));
  const signaturesExact = rows.length === expectedPairs.length && pairs.size === rows.length && expectedPairs.every((p) => pairs.has(p));
  // record.md §7: `board` besides, when the key ceremony made a board key (its content: board-check.ts).
  const keys = hasExactly(r, RESULTS_KEYS) || hasExactly(r, [...RESULTS_KEYS, 'board']);
  if (!keys || !ascending || !pvsExact || !signaturesExact) {
    report.fail(
      'results.shape',
      `${name} n'a pas exactement la forme de docs/record.md §7 (clés, membres, une signature par membre présent et par PV).`,
      `${name} does not have exactly the shape of docs/record.md §7 (keys, members, one signature per member present and PV).`,
      name,
    );
  }
}

export const PV_FIELDS = ['inscrits', 'votants', 'aVoteParInternet', 'blancs', 'nuls', 'exprimes'] as const;

export async function checkResults(
  report: Report,
  dir: string,
  def: ElectionDefinition,
  fp: Uint8Array,
  imp: UrnReading | undefined,
  decodedBy: Map<string, (number | null)[]>,
  membersBy: Map<string, number[]>,
  entries: readonly TranscriptEntry[],
  memberKey: (j: number) => Uint8Array | undefined,
  board: { readonly group: GroupPublic | null; readonly read: BoardSignatureRead | undefined; readonly refused?: readonly RefusedShareRead[] } = { group: null, read: undefined },
): Promise<void> {
  const name = RECORD_FILES.results;
  const text = await readText(join(dir, name));
  const r = parseJson(text) as Record<string, unknown> | undefined;
  if (r === undefined || r['format'] !== RESULTS_FORMAT || !Array.isArray(r['constituencies']) || !Array.isArray(r['signatures']) || !Array.isArray(r['members'])) {
    return r === undefined && text === undefined ? missing(report, name) : report.fail('results.malformed', 'Résultats illisibles.', 'Unreadable results.', name);
  }
  if (r['election'] !== toHex(fp))
    report.fail('definition.fingerprint', "Les résultats portent l'empreinte d'une autre définition.", 'The results carry the fingerprint of another definition.', `${name} election`);
  const entry = entries.find((e) => e.type === 'tally.results');
  if (entry === undefined || payloadOf(entry)['resultsSha256'] !== toHex(sha256(new TextEncoder().encode(text)))) {
    report.fail('tally.results-entry', 'Les résultats ne sont pas ceux que le journal enregistre.', 'The results are not those the transcript records.', name);
  }
  const present = (r['members'] as unknown[]).filter((m): m is number => typeof m === 'number');
  const counted = entries.find((e) => e.type === 'tally.count');
  if (counted === undefined || canonicalJson(present) !== canonicalOrEmpty(payloadOf(counted)['members'])) {
    report.fail(
      'results.members',
      'Les signataires ne sont pas les membres dont le journal enregistre les déchiffrements combinés.',
      'The signatories are not the members whose combined decryptions the transcript records.',
      `${name} members`,
    );
  }
  if (counted !== undefined && payloadOf(counted)['pvSha256'] !== digestOf(r['constituencies'])) {
    report.fail(
      'tally.count-entry',
      'Les PV publiés ne sont pas ceux que le journal enregistre au comptage.',
      'The published PVs are not those the transcript records at the count.',
      `${name} constituencies`,
    );
  }
  checkResultsShape(report, r, present, def, name);
  if (new Set(present).size < def.board.threshold) {
    report.fail('results.quorum', `Moins de ${def.board.threshold} membres présents signent les résultats.`, `Fewer than ${def.board.threshold} members present sign the results.`, `${name} members`);
  }
  const pvs = objects(r['constituencies']) as unknown as Pv[];
  const voted = new Map(imp?.trailer.voted.map((v) => [v.constituency, v.count]) ?? []);
  def.constituencies.forEach((c, i) => {
    const pv = pvs[i];
    const where = `${name} ${c.id}`;
    const integers = pv !== undefined && Array.isArray(pv.votes) && [...PV_FIELDS.map((k) => pv[k]), ...pv.votes].every((x) => Number.isSafeInteger(x) && (x as number) >= 0);
    if (pv === undefined || pv.constituency !== c.id || !integers) {
      report.fail('results.constituency', `PV manquant, hors d'ordre ou mal formé pour ${c.id}.`, `PV missing, out of order or malformed for ${c.id}.`, where);
      return;
    }
    for (const failure of pvArithmetic(pv, where)) report.failure(failure);
    if (imp !== undefined) {
      const accepted = imp.accepted.get(c.id)!.count;
      const decoded = decodedBy.get(c.id) ?? (accepted === 0 ? [] : undefined);
      if (decoded !== undefined) {
        const expected = countConstituency(c, decoded, voted.get(c.id) ?? 0);
        for (const field of PV_FIELDS) {
          if (pv[field] !== expected[field])
            report.fail(
              'count.mismatch',
              `${c.id}\u00a0: ${field} publié ${String(pv[field])}, recompté ${expected[field]}.`,
              `${c.id}: published ${field} ${String(pv[field])}, recounted ${expected[field]}.`,
              `${where} ${field}`,
            );
        }
        expected.votes.forEach((n, k) => {
          if (pv.votes[k] !== n)
            report.fail(
              'count.mismatch',
              `${c.id}\u00a0: voix du candidat ${k + 1} publiées ${String(pv.votes[k])}, recomptées ${n}.`,
              `${c.id}: candidate ${k + 1}'s published votes ${String(pv.votes[k])}, recounted ${n}.`,
              `${where} votes[${k}]`,
            );
        });
        if (pv.votes.length !== expected.votes.length) report.fail('count.mismatch', `${c.id}\u00a0: nombre de candidats erroné.`, `${c.id}: wrong number of candidates.`, `${where} votes`);
      }
      const decrypting = membersBy.get(c.id);
      if (decrypting !== undefined && present.some((m) => !decrypting.includes(m))) {
        report.fail('results.members', `Un signataire n'a pas participé au déchiffrement de ${c.id}.`, `A signatory did not take part in decrypting ${c.id}.`, where);
      }
    }
    for (const m of present) {
      const sig = (r['signatures'] as { member?: unknown; constituency?: unknown; signature?: unknown }[]).find((s) => s?.member === m && s?.constituency === c.id);
      const key = memberKey(m);
      if (sig === undefined || typeof sig.signature !== 'string') {
        report.fail('results.signature-missing', `Le membre ${m} n'a pas signé le PV de ${c.id}.`, `Member ${m} did not sign the PV of ${c.id}.`, `${where} member ${m}`);
        continue;
      }
      if (!signedInTranscript(entries, m, c.id, sig.signature)) {
        report.fail(
          'tally.signature-entry',
          `La signature du membre ${m} sur le PV de ${c.id} n'est pas celle que le journal enregistre.`,
          `Member ${m}'s signature on the PV of ${c.id} is not the one the transcript records.`,
          `${where} member ${m}`,
        );
      }
      if (key === undefined) {
        report.fail(
          'results.signature',
          `Aucune clé d'identité connue pour le membre ${m}\u00a0: sa signature du PV de ${c.id} ne peut être vérifiée.`,
          `No identity key known for member ${m}: their signature of the PV of ${c.id} cannot be verified.`,
          `${where} member ${m}`,
        );
        continue;
      }
      const v = verifyPvSignature(key, fp, pv, sig.signature, m);
      if (!v.ok) report.fail('results.signature', `Signature du membre ${m} invalide sur le PV de ${c.id}.`, `Member ${m}'s signature on the PV of ${c.id} is invalid.`, `${where} member ${m}`);
    }
  });
  checkResultsBoard(report, r, board.group, board.read, name);
  // The board's signatures recomputed from the sitting's shares, over the published PVs (bound to tally.count's pvSha256).
  if (board.group !== null && board.read !== undefined && pvs.length === def.constituencies.length) checkBoardSitting(report, board.group, fp, pvs as unknown as BoardPv[], board.read);
  // Each refused share's evidence a share that fails its check, over the same PVs (record.md §7), whether the board signed or not.
  if (board.group !== null && pvs.length === def.constituencies.length) checkRefusedShares(report, board.group, fp, pvs as unknown as BoardPv[], board.refused ?? []);
  if (pvs.length !== def.constituencies.length)
    report.fail('results.constituency', 'Nombre de PV différent du nombre de circonscriptions.', 'Number of PVs differs from the number of constituencies.', name);
}
