/**
 * The file side of the verifier's reading of the urn (./urn.ts): its size, its bytes in chunks, and those
 * chunks split at LF into lines, hashed as they stream by (docs/formats.md §4.2, §4.5 rule 1).
 */
import { stat } from 'node:fs/promises';
import type { Result } from '../common/result.js';
import { fail } from './failures.js';

/** formats.md §4.5 rule 1: a line longer than 1 MiB is malformed, hashed as it streams by, never held. */
export const MAX_LINE_BYTES = 1 << 20;

/** What a line was, for the splitter: hashed into the digest, the trailer (not hashed), or the end of reading. */
export const Seen = { Hashed: 0, Trailer: 1, Stop: 2 } as const;
export type Seen = (typeof Seen)[keyof typeof Seen];

/**
 * Splits a byte stream at LF and hands each line to `onLine` (null for a line longer than `max`, which is
 * hashed as it streams by and never held); feeds `digest` the exact bytes, LF included, of every line
 * `onLine` says is hashed, so that the digest is that of the file up to the trailer (formats.md §4.2).
 * Lines inside one chunk are views, not copies; runs of hashed lines are hashed in one call.
 */
export async function splitLines(
  stream: AsyncIterable<Buffer>,
  digest: { update(b: Uint8Array): unknown },
  max: number,
  onLine: (line: Buffer | null) => Seen,
  afterChunk: () => Promise<void>,
): Promise<void> {
  let parts: Buffer[] = [];
  let size = 0;
  let overlong = false;
  for await (const chunk of stream) {
    let start = 0;
    let run = 0; // start of this chunk's bytes that go to the digest once their lines are known
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl < 0 ? chunk.length : nl;
      if (!overlong && size + end - start > max) {
        // Too long: hash what was carried and drop it; the rest of the line is hashed with the run.
        overlong = true;
        for (const p of parts) digest.update(p);
        parts = [];
      }
      if (nl < 0) {
        digest.update(chunk.subarray(run, overlong ? chunk.length : start));
        if (!overlong && start < chunk.length) {
          parts.push(chunk.subarray(start));
          size += chunk.length - start;
        }
        break;
      }
      const carried = parts.length > 0;
      const line = overlong ? null : carried ? Buffer.concat([...parts, chunk.subarray(start, nl)]) : chunk.subarray(start, nl);
      const seen = onLine(line);
      if (seen === Seen.Stop) return;
      if (seen === Seen.Trailer) {
        digest.update(chunk.subarray(run, start));
        run = nl + 1;
      } else if (carried) {
        for (const p of parts) digest.update(p);
      }
      parts = [];
      size = 0;
      overlong = false;
      start = nl + 1;
    }
    await afterChunk();
  }
  // A last line without LF (formats.md §1 asks for one; a trailer without it is still read, as importUrn does).
  if (overlong) onLine(null);
  else if (size > 0) onLine(Buffer.concat(parts));
}

/** The chunks of `stream`, counting their bytes into `counter.bytesRead` as they go by. */
export async function* counted(stream: AsyncIterable<Buffer>, counter: { bytesRead: number }): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    counter.bytesRead += chunk.length;
    yield chunk;
  }
}

export class OpenFailure {
  constructor(readonly result: Result<never>) {}
}

export async function fileSize(path: string, name: string): Promise<number | OpenFailure> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    const missing = (e as { code?: unknown }).code === 'ENOENT';
    return new OpenFailure(
      missing
        ? fail('record.file-missing', `Fichier manquant\u00a0: ${name}.`, `Missing file: ${name}.`, name)
        : fail('urn.unreadable', `Urne illisible\u00a0: ${String(e)}.`, `Unreadable urn: ${String(e)}.`, name),
    );
  }
}

/** Whether `e` is the file failing to be read (an I/O error, a folder): an expected failure; anything else is a bug. */
export function isReadError(e: unknown): boolean {
  return typeof (e as { code?: unknown }).code === 'string' && /^E[A-Z]+$/.test((e as { code: string }).code);
}
