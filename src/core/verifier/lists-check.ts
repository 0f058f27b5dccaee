/** accepted.jsonl, rejected.jsonl, receipts.txt and the tally's import entry against the urn read again (docs/record.md §5, §8). */
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RECEIPT_LINE_BYTES, receiptsOrder, ReceiptsText, RECORD_FILES, REJECTION_CODES } from './record-files.js';
import { idAt, RECEIPT_BYTES, receiptAt, type UrnReading, type UrnRejectionCode } from './urn.js';
import type { TranscriptEntry } from './transcript.js';
import { Report, jsonLines, missing, payloadOf, sha256OrEmpty } from './check-report.js';
import { shown } from './shapes.js';

export type Verdict = { status: 'accepted'; id: string; constituency: string; receipt: string } | { status: 'rejected'; code: UrnRejectionCode; id?: string };

/** The kind of a rejected line: malformed, or another rejection (its place among `rejected.others`). */
const MALFORMED = 0xffffffff;
const REJECTED = 0xfffffffe;

/**
 * The verdict of each urn line, as the import recomputed it: an index by line (two 32-bit numbers per
 * line), the verdict made when asked, so that a million ballots are not a million objects.
 */
export function verdicts(imp: UrnReading): { at: (line: number) => Verdict | undefined } {
  const size = imp.ballotLines + 2;
  const kind = new Uint32Array(size); // 0: no ballot line; 1 + c: accepted in the c-th list; MALFORMED, REJECTED
  const position = new Uint32Array(size);
  const lists = [...imp.accepted];
  lists.forEach(([, list], c) => list.lines.forEach((line, i) => ((kind[line] = 1 + c), (position[line] = i))));
  const rejected = imp.rejected;
  for (const line of rejected.malformed) kind[line] = MALFORMED;
  rejected.others.lines.forEach((line, j) => ((kind[line] = REJECTED), (position[line] = j)));
  return {
    at: (line) => {
      const k = Number.isInteger(line) && line >= 0 && line < size ? kind[line]! : 0;
      if (k === 0) return undefined;
      if (k === MALFORMED) return { status: 'rejected', code: 'urn.malformed' };
      if (k === REJECTED) return { status: 'rejected', code: rejected.codeOf(position[line]!), id: rejected.idOf(position[line]!) };
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
    const exists = await stat(join(dir, name)).then(
      () => true,
      () => false,
    );
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
        report.fail(
          'import.unknown-line',
          `${name} cite une ligne d'urne inexistante ou déjà citée (${v.line}).`,
          `${name} cites a urn line that does not exist or was already cited (${v.line}).`,
          `${name}:${line}`,
        );
        continue;
      }
      seen[v.line] = 1;
      if (accepting && e.status === 'rejected') {
        report.fail('import.wrongly-accepted', `Bulletin accepté à tort (motif attendu\u00a0: ${e.code}).`, `Ballot wrongly accepted (expected reason: ${e.code}).`, urnAt(v.line, e.id));
      } else if (!accepting && e.status === 'accepted') {
        report.fail('import.wrongly-rejected', 'Bulletin valide écarté à tort.', 'Valid ballot wrongly rejected.', urnAt(v.line, e.id));
      } else if (accepting && e.status === 'accepted' && (v.receipt !== e.receipt || v.id !== e.id || v.constituency !== e.constituency)) {
        report.fail(
          'import.receipt',
          'Identité, circonscription ou code de reçu différent de celui recalculé.',
          'Identity, constituency or receipt code differs from the recomputed one.',
          `${name}:${line}`,
        );
      } else if (!accepting && e.status === 'rejected' && (v.code !== e.code || !(REJECTION_CODES as readonly unknown[]).includes(v.code))) {
        report.fail('import.reason', `Motif de rejet ${shown(v.code)} au lieu de ${e.code}.`, `Rejection reason ${shown(v.code)} instead of ${e.code}.`, urnAt(v.line, e.id));
      }
    }
  }
  for (let line = 2; line < seen.length; line++) {
    const e = expected.at(line);
    if (e !== undefined && seen[line] === 0)
      report.fail(
        'import.missing',
        `Bulletin absent des listes (${e.status === 'accepted' ? 'accepté' : 'rejeté'} attendu).`,
        `Ballot missing from the lists (expected ${e.status}).`,
        urnAt(line, e.id),
      );
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
    rejected: imp.rejected.count,
    acceptedSha256: await sha256OrEmpty(join(dir, RECORD_FILES.accepted)),
    rejectedSha256: await sha256OrEmpty(join(dir, RECORD_FILES.rejected)),
  };
  for (const [k, v] of Object.entries(exp)) {
    if (p[k] !== v) {
      report.fail(
        'tally.import-entry',
        `L'entrée d'import du journal ne correspond pas (${k}).`,
        `The transcript's import entry does not match (${k}).`,
        `${RECORD_FILES.tallyTranscript}${e === undefined ? '' : `:${e.seq + 1}`}`,
      );
    }
  }
}

/**
 * receipts.txt: exactly the receipts of the accepted ballots, sorted, one per line (docs/tally-ceremony.md
 * §3), as tally.receipts records (its `count`, and the SHA-256 of the file's bytes). The receipts are
 * sorted packed, through an index, and the file read as a stream, compared with the text they make and
 * hashed from the same bytes: neither the text nor a string per receipt is made (docs/performance.md
 * "Memory"). A file that cannot be read is missing.
 */
export async function checkReceipts(report: Report, dir: string, entries: readonly TranscriptEntry[], imp: UrnReading, chunkBytes = 1 << 20): Promise<void> {
  const name = RECORD_FILES.receipts;
  const lists = [...imp.accepted.values()].map((l) => l.receipts.subarray(0, l.count * RECEIPT_BYTES));
  const receipts = lists.length === 1 ? lists[0]! : Buffer.concat(lists);
  const file = await compareReceipts(join(dir, name), new ReceiptsText(receipts, receiptsOrder(receipts)), chunkBytes);
  if (file === undefined) return missing(report, name);
  if (!file.same) {
    report.fail('tally.receipts', `${name} n'est pas la liste triée des reçus des bulletins acceptés.`, `${name} is not the sorted list of the accepted ballots' receipts.`, name);
  }
  const e = entries.find((x) => x.type === 'tally.receipts');
  const p = e === undefined ? {} : payloadOf(e);
  if (p['sha256'] !== file.sha256 || p['count'] !== receipts.length / RECEIPT_BYTES) {
    report.fail(
      'tally.receipts-entry',
      "La liste des reçus n'est pas celle que le journal enregistre.",
      'The list of receipts is not the one the transcript records.',
      `${RECORD_FILES.tallyTranscript}${e === undefined ? '' : `:${e.seq + 1}`}`,
    );
  }
}

/** Lines of expected text made at a time (64 KiB). */
const BLOCK_LINES = 1638;

/**
 * The file at `path`, read in chunks of `chunkBytes`, against the text `expected` writes: whether they
 * are the same bytes, and the SHA-256 of the file's; undefined when it cannot be read.
 */
async function compareReceipts(path: string, expected: ReceiptsText, chunkBytes: number): Promise<{ same: boolean; sha256: string } | undefined> {
  const hash = createHash('sha256');
  const block = Buffer.alloc(RECEIPT_LINE_BYTES * BLOCK_LINES);
  let have = 0; // bytes of expected text in `block`
  let at = 0; // of which compared
  let same = true;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
      const bytes = chunk as Buffer;
      hash.update(bytes);
      for (let off = 0; same && off < bytes.length;) {
        if (at === have) {
          have = expected.fill(block);
          at = 0;
          if (have === 0) same = false; // longer than the text
          continue;
        }
        const n = Math.min(bytes.length - off, have - at);
        if (bytes.compare(block, at, at + n, off, off + n) !== 0) same = false;
        off += n;
        at += n;
      }
    }
  } catch {
    return undefined;
  }
  // Shorter than the text: a part of the block, or a line not yet written, is left.
  if (same && (at < have || expected.fill(block) > 0)) same = false;
  return { same, sha256: hash.digest('hex') };
}
