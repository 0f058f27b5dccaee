/** accepted.jsonl, rejected.jsonl, receipts.txt and the tally's import entry against the urn read again (docs/record.md §5, §8). */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../common/bytes.js';
import { receiptsText, RECORD_FILES, REJECTION_CODES } from './record-files.js';
import { idAt, receiptAt, type UrnReading } from './urn.js';
import type { TranscriptEntry } from './transcript.js';
import { Report, jsonLines, missing, payloadOf, readText, sha256OrEmpty } from './check-report.js';

export type Verdict = { status: 'accepted'; id: string; constituency: string; receipt: string } | { status: 'rejected'; code: string; id?: string };

/**
 * The verdict of each urn line, as the import recomputed it: an index by line (two 32-bit numbers per
 * line), the verdict made when asked, so that a million ballots are not a million objects.
 */
export function verdicts(imp: UrnReading): { at: (line: number) => Verdict | undefined } {
  const size = imp.ballotLines + 2;
  const kind = new Uint32Array(size); // 0: no ballot line; 1 + c: accepted in the c-th list; 0xffffffff: rejected
  const position = new Uint32Array(size);
  const lists = [...imp.accepted];
  lists.forEach(([, list], c) => list.lines.forEach((line, i) => ((kind[line] = 1 + c), (position[line] = i))));
  imp.rejected.forEach((r, i) => ((kind[r.line] = 0xffffffff), (position[r.line] = i)));
  return {
    at: (line) => {
      const k = Number.isInteger(line) && line >= 0 && line < size ? kind[line]! : 0;
      if (k === 0) return undefined;
      if (k === 0xffffffff) {
        const r = imp.rejected[position[line]!]!;
        return { status: 'rejected', code: r.code, ...(r.id === undefined ? {} : { id: r.id }) };
      }
      const [cid, list] = lists[k - 1]!;
      const i = position[line]!;
      return { status: 'accepted', id: idAt(list, i), constituency: cid, receipt: receiptAt(list, i) };
    },
  };
}

/** accepted.jsonl and rejected.jsonl against the verdicts recomputed from the urn. */
export async function checkLists(report: Report, dir: string, imp: UrnReading): Promise<void> {
  const expected = verdicts(imp);
  const seen = new Uint8Array(imp.ballotLines + 2);
  const urnAt = (line: number, id?: string): string => `${RECORD_FILES.urn}:${line}${id === undefined ? '' : ` (ballot ${id})`}`;
  for (const name of [RECORD_FILES.accepted, RECORD_FILES.rejected] as const) {
    const accepting = name === RECORD_FILES.accepted;
    const exists = await stat(join(dir, name)).then(() => true, () => false);
    if (!exists) {
      missing(report, name);
      continue;
    }
    for await (const { line, value } of jsonLines(join(dir, name))) {
      const v = value as { line?: unknown; id?: unknown; constituency?: unknown; receipt?: unknown; code?: unknown } | undefined;
      if (typeof v?.line !== 'number') {
        report.fail('import.list-malformed', `Ligne illisible dans ${name}.`, `Unreadable line in ${name}.`, `${name}:${line}`);
        continue;
      }
      const e = expected.at(v.line);
      if (e === undefined || seen[v.line] === 1) {
        report.fail('import.unknown-line', `${name} cite une ligne d'urne inexistante ou déjà citée (${v.line}).`, `${name} cites a urn line that does not exist or was already cited (${v.line}).`, `${name}:${line}`);
        continue;
      }
      seen[v.line] = 1;
      if (accepting && e.status === 'rejected') {
        report.fail('import.wrongly-accepted', `Bulletin accepté à tort (motif attendu : ${e.code}).`, `Ballot wrongly accepted (expected reason: ${e.code}).`, urnAt(v.line, e.id));
      } else if (!accepting && e.status === 'accepted') {
        report.fail('import.wrongly-rejected', 'Bulletin valide écarté à tort.', 'Valid ballot wrongly rejected.', urnAt(v.line, e.id));
      } else if (accepting && e.status === 'accepted' && (v.receipt !== e.receipt || v.id !== e.id || v.constituency !== e.constituency)) {
        report.fail('import.receipt', 'Identité, circonscription ou code de reçu différent de celui recalculé.', 'Identity, constituency or receipt code differs from the recomputed one.', `${name}:${line}`);
      } else if (!accepting && e.status === 'rejected' && (v.code !== e.code || !(REJECTION_CODES as readonly unknown[]).includes(v.code))) {
        report.fail('import.reason', `Motif de rejet ${String(v.code)} au lieu de ${e.code}.`, `Rejection reason ${String(v.code)} instead of ${e.code}.`, urnAt(v.line, e.id));
      }
    }
  }
  for (let line = 2; line < seen.length; line++) {
    const e = expected.at(line);
    if (e !== undefined && seen[line] === 0) report.fail('import.missing', `Bulletin absent des listes (${e.status === 'accepted' ? 'accepté' : 'rejeté'} attendu).`, `Ballot missing from the lists (expected ${e.status}).`, urnAt(line, e.id));
  }
}

export async function checkImportEntry(report: Report, dir: string, entries: readonly TranscriptEntry[], imp: UrnReading): Promise<void> {
  const e = entries.find((x) => x.type === 'tally.import');
  const p = e === undefined ? {} : payloadOf(e);
  const accepted = [...imp.accepted.values()].reduce((s, l) => s + l.count, 0);
  const exp = {
    urnDigest: imp.digest,
    urnSha256: await sha256OrEmpty(join(dir, RECORD_FILES.urn)),
    ballotLines: imp.ballotLines,
    accepted,
    rejected: imp.rejected.length,
    acceptedSha256: await sha256OrEmpty(join(dir, RECORD_FILES.accepted)),
    rejectedSha256: await sha256OrEmpty(join(dir, RECORD_FILES.rejected)),
  };
  for (const [k, v] of Object.entries(exp)) {
    if (p[k] !== v) {
      report.fail('tally.import-entry', `L'entrée d'import du journal ne correspond pas (${k}).`, `The transcript's import entry does not match (${k}).`, `${RECORD_FILES.tallyTranscript}${e === undefined ? '' : `:${e.seq + 1}`}`);
    }
  }
}

/** receipts.txt: exactly the receipts of the accepted ballots, sorted, one per line (docs/tally-ceremony.md §3), as tally.receipts records. */
export async function checkReceipts(report: Report, dir: string, entries: readonly TranscriptEntry[], imp: UrnReading): Promise<void> {
  const name = RECORD_FILES.receipts;
  const text = await readText(join(dir, name));
  if (text === undefined) return missing(report, name);
  const expected = receiptsText([...imp.accepted.values()].flatMap((l) => Array.from({ length: l.count }, (_, i) => receiptAt(l, i))));
  if (text !== expected) {
    report.fail('tally.receipts', `${name} n'est pas la liste triée des reçus des bulletins acceptés.`, `${name} is not the sorted list of the accepted ballots' receipts.`, name);
  }
  const e = entries.find((x) => x.type === 'tally.receipts');
  const p = e === undefined ? {} : payloadOf(e);
  if (p['sha256'] !== toHex(sha256(new TextEncoder().encode(text))) || p['count'] !== expected.split('\n').length - 1) {
    report.fail('tally.receipts-entry', "La liste des reçus n'est pas celle que le journal enregistre.", 'The list of receipts is not the one the transcript records.', `${RECORD_FILES.tallyTranscript}${e === undefined ? '' : `:${e.seq + 1}`}`);
  }
}
