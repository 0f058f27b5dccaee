/** What the verifier's checks share: the report they add failures to, and reading a record's files without ever throwing on their content. */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../common/canonical-json.js';
import { toHex } from '../common/bytes.js';
import { catchInput, type Failure } from '../common/result.js';
import { failure, type VerifierFailureCode } from './failures.js';
import { fileSha256 } from './record-files.js';
import type { TranscriptEntry } from './transcript.js';

export class Report {
  readonly failures: Failure[] = [];
  readonly checks: { name: string; failures: number }[] = [];
  #current: { name: string; failures: number } | undefined;

  begin(name: string): void {
    this.#current = { name, failures: 0 };
    this.checks.push(this.#current);
  }

  fail(code: VerifierFailureCode, fr: string, en: string, where: string): void {
    this.failures.push(failure(code, fr, en, where));
    if (this.#current) this.#current.failures++;
  }

  failure(f: Failure, where?: string): void {
    const at = where === undefined ? f.where : f.where === undefined ? where : `${where}: ${f.where}`;
    this.failures.push(at === undefined ? { code: f.code, message: f.message } : { code: f.code, message: f.message, where: at });
    if (this.#current) this.#current.failures++;
  }
}

/** A file's bytes and their text; `text` is null when the bytes are not UTF-8 (never read with U+FFFD in place). */
export async function readBytesAndText(path: string): Promise<{ bytes: Uint8Array; text: string | null } | undefined> {
  const bytes = await readFile(path).catch(() => undefined);
  if (bytes === undefined) return undefined;
  try {
    return { bytes, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { bytes, text: null };
  }
}

export async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** SHA-256 of the canonical JSON; '' for a value that has none (it then matches no transcript entry). */
export function digestOf(value: unknown): string {
  const text = catchInput(() => canonicalJson(value));
  return text.ok ? toHex(sha256(new TextEncoder().encode(text.value))) : '';
}

export function canonicalOrEmpty(v: unknown): string {
  const text = catchInput(() => canonicalJson(v));
  return text.ok ? text.value : '';
}

export function objects(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {})) : [];
}

/** record.md §5: a line of accepted.jsonl or rejected.jsonl longer than this is unreadable (never held whole). */
export const MAX_LIST_LINE_BYTES = 1 << 20;

/**
 * Lines of a JSON Lines file, streamed; a line that does not parse, or is longer than `max` bytes (skipped
 * as it streams by, so that one hostile line cannot fill the memory), as undefined. Empty lines are skipped.
 */
export async function* jsonLines(path: string, max = MAX_LIST_LINE_BYTES): AsyncGenerator<{ line: number; value: unknown }> {
  let parts: Buffer[] = [];
  let size = 0;
  let overlong = false;
  let line = 0;
  const finish = (): { line: number; value: unknown } | undefined => {
    line++;
    const text = overlong ? undefined : Buffer.concat(parts, size).toString('utf8');
    [parts, size, overlong] = [[], 0, false];
    return text === '' ? undefined : { line, value: text === undefined ? undefined : parseJson(text) };
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let start = 0; start < chunk.length;) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl < 0 ? chunk.length : nl;
      if (!overlong && size + end - start > max) [parts, size, overlong] = [[], 0, true];
      if (!overlong) {
        parts.push(chunk.subarray(start, end));
        size += end - start;
      }
      if (nl < 0) break;
      const done = finish();
      if (done !== undefined) yield done;
      start = nl + 1;
    }
  }
  if (size > 0 || overlong) {
    const done = finish();
    if (done !== undefined) yield done;
  }
}

export const missing = (report: Report, file: string): void => report.fail('record.file-missing', `Fichier manquant\u00a0: ${file}.`, `Missing file: ${file}.`, file);

export function payloadOf(e: TranscriptEntry): Record<string, unknown> {
  return (typeof e.payload === 'object' && e.payload !== null ? e.payload : {}) as Record<string, unknown>;
}

export function entryFor(entries: readonly TranscriptEntry[], type: string, match: (p: Record<string, unknown>) => boolean): TranscriptEntry | undefined {
  return entries.find((e) => e.type === type && match(payloadOf(e)));
}

/** A file's SHA-256, or '' (which no transcript entry holds) when it cannot be read: reported elsewhere. */
export async function sha256OrEmpty(path: string): Promise<string> {
  const digest = await fileSha256(path);
  return digest.ok ? digest.value : '';
}
