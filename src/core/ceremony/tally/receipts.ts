/**
 * Step 3, the receipts (docs/tally-ceremony.md §1, §3): receipts.txt, the sorted receipt codes of every
 * accepted ballot, written into the folder and published on a drive for the public website.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../common/atomic-file.js';
import { ok, type Result } from '../../common/result.js';
import { fileSha256, receiptsText, RECORD_FILES } from '../../election/record.js';
import type { TallyFolder } from './folder.js';
import { TALLY_ENTRY } from './types.js';
import { fileChanged, streamAccepted } from './work-files.js';
import { fail } from './failures.js';

/** Where receipts.txt went, how many receipts it holds, and its SHA-256 (what tally.receipts records). */
export interface PublishedReceipts {
  readonly path: string;
  readonly count: number;
  readonly sha256: string;
}

/**
 * Step 3: writes receipts.txt, hands it to `publish` (the copy on the drive that goes to the voters),
 * and records it only once published: a copy that could not be made leaves the step to do again. Again
 * later, checks (and if need be rewrites) the same file, and publishes it again.
 */
export async function publishReceipts(f: TallyFolder, publish: (path: string) => Promise<Result<void>>): Promise<Result<PublishedReceipts>> {
  const recorded = f.state.receipts;
  if (recorded === undefined) {
    const due = f.due('receipts');
    if (!due.ok) return due;
  }
  const path = join(f.folder, RECORD_FILES.receipts);
  if (recorded !== undefined && (await fileSha256(path).catch(() => null)) === recorded.sha256) {
    const published = await publish(path);
    return published.ok ? ok({ path, count: recorded.count, sha256: recorded.sha256 }) : published;
  }
  if (f.state.phase === 'closed')
    return fail('tally.receipts-changed', `${RECORD_FILES.receipts} a changé depuis la clôture.`, `${RECORD_FILES.receipts} changed since the closing.`, RECORD_FILES.receipts);
  const written = await writeReceipts(f, path);
  if (!written.ok) return written;
  const { count, sha256 } = written.value;
  if (recorded !== undefined && sha256 !== recorded.sha256) {
    return fail('tally.receipts-changed', `${RECORD_FILES.receipts} ne correspond plus au journal.`, `${RECORD_FILES.receipts} no longer matches the transcript.`, RECORD_FILES.receipts);
  }
  const published = await publish(path);
  if (!published.ok) return published;
  if (recorded !== undefined) return ok({ path, count, sha256 });
  const entry = await f.recordAsWorkstation(TALLY_ENTRY.receipts, { count, sha256 });
  return entry.ok ? ok({ path, count, sha256 }) : entry;
}

/** receipts.txt written at `path` from accepted.jsonl (its SHA-256 checked against tally.import's as it is read). */
async function writeReceipts(f: TallyFolder, path: string): Promise<Result<{ count: number; sha256: string }>> {
  const receipts: string[] = [];
  const acceptedSha = await streamAccepted(f.folder, (l) => receipts.push(String(l?.receipt)));
  if (acceptedSha !== f.state.import!.acceptedSha256) return fileChanged(RECORD_FILES.accepted);
  const text = receiptsText(receipts);
  const written = await writeFileAtomic(path, text);
  if (!written.ok) return written;
  return ok({ count: receipts.length, sha256: await fileSha256(path) });
}
