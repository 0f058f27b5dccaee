/**
 * Paper backup (docs/token.md §7.2): bytes (a token file, or a backup card) as a sequence of QR code
 * payloads, each at most {@link MAX_PAYLOAD_CHARS} characters so it fits a QR code at error-correction
 * level M (version ≤ 30 in byte mode). One payload:
 *
 *   SCEAU1 <i>/<n> <fp> <id> <sum> <data>
 *
 *   i, n   chunk number (1..n) and count, decimal
 *   fp     first 8 hex digits of the election fingerprint
 *   id     first 16 hex digits of D = SHA-256(string("sceau/v1/token/paper") || bytes(whole))
 *   sum    first 8 hex digits of SHA-256(string("sceau/v1/token/paper") || string("SCEAU1 <i>/<n> <fp> <id> <data>"))
 *   data   base64url (RFC 4648 §5, no padding) of chunk i of the bytes
 *
 * Reassembly checks every checksum, that all chunks are of the same backup, none missing or twice,
 * and that the whole has the digest D's prefix. The QR images and the page are drawn by the app.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { DOMAIN } from '../crypto/domain.js';
import { encode, type Encoder } from '../crypto/encoding.js';
import { concatBytes, toHex } from '../common/bytes.js';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import { parseToken } from './format.js';
import { checkExpectations, type OpenExpectations } from './seal.js';
import { COPY, refuseWhileNoncesPending } from './pending.js';

export const PAPER_MAGIC = 'SCEAU1';
export const MAX_PAYLOAD_CHARS = 1000;
/** 700 bytes → 934 base64url characters, plus a header of at most 52. */
export const CHUNK_BYTES = 700;
const MAX_CHUNKS = 999;
const PAYLOAD = /^SCEAU1 (\d{1,3})\/(\d{1,3}) ([0-9a-f]{8}) ([0-9a-f]{16}) ([0-9a-f]{8}) ([A-Za-z0-9_-]+)$/;

/** SHA-256(string("sceau/v1/token/paper") || items), hex. */
function taggedDigest(write: (e: Encoder) => void): string {
  return toHex(
    sha256(
      encode((e) => {
        e.string(DOMAIN.tokenPaper);
        write(e);
      }),
    ),
  );
}

function wholeId(bytes: Uint8Array): string {
  return taggedDigest((e) => e.bytes(bytes)).slice(0, 16);
}

function checksum(body: string): string {
  return taggedDigest((e) => e.string(body)).slice(0, 8);
}

function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function fromBase64Url(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

/** Splits `bytes` into QR payloads tagged with the election fingerprint (32 bytes). */
export function toQrPayloads(bytes: Uint8Array, fingerprint: Uint8Array): string[] {
  if (fingerprint.length !== 32) throw new RangeError('toQrPayloads: the fingerprint is 32 bytes');
  if (bytes.length === 0 || bytes.length > CHUNK_BYTES * MAX_CHUNKS) throw new RangeError(`toQrPayloads: ${bytes.length} bytes`);
  const n = Math.ceil(bytes.length / CHUNK_BYTES);
  const size = Math.ceil(bytes.length / n);
  const fp = toHex(fingerprint).slice(0, 8);
  const id = wholeId(bytes);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const head = `${PAPER_MAGIC} ${i + 1}/${n} ${fp} ${id}`;
    const data = toBase64Url(bytes.subarray(i * size, (i + 1) * size));
    out.push(`${head} ${checksum(`${head} ${data}`)} ${data}`);
  }
  return out;
}

interface Chunk {
  readonly i: number;
  readonly n: number;
  readonly fp: string;
  readonly id: string;
  readonly data: Uint8Array;
}

function readChunk(payload: string, position: number): Result<Chunk> {
  const m = PAYLOAD.exec(payload.trim());
  const where = `QR ${position + 1}`;
  const damaged = (): Result<Chunk> =>
    fail(
      'paper.chunk.malformed',
      `Le code QR n° ${position + 1} scanné n'est pas un morceau de sauvegarde Sceau lisible (ou il est endommagé).`,
      `Scanned QR code no. ${position + 1} is not a readable Sceau backup chunk (or it is damaged).`,
      where,
    );
  if (m === null) return damaged();
  const [, i, n, fp, id, sum, data] = m as unknown as [string, string, string, string, string, string, string];
  if (checksum(`${PAPER_MAGIC} ${i}/${n} ${fp} ${id} ${data}`) !== sum) return damaged();
  const chunk = { i: Number(i), n: Number(n), fp, id, data: fromBase64Url(data) };
  if (chunk.n < 1 || chunk.i < 1 || chunk.i > chunk.n) return damaged();
  return ok(chunk);
}

function foreign(c: Chunk, position: number, why: { fr: string; en: string }): Result<never> {
  return fail(
    'paper.chunk.foreign',
    `Le code QR n° ${position + 1} (morceau ${c.i}/${c.n}) vient d'une autre sauvegarde\u00a0: ${why.fr}.`,
    `Scanned QR code no. ${position + 1} (chunk ${c.i}/${c.n}) belongs to another backup: ${why.en}.`,
    `QR ${position + 1}`,
  );
}

function collect(chunks: readonly Chunk[], expectedFp: string | undefined): Result<Chunk[]> {
  const first = chunks[0]!;
  const byIndex: (Chunk | undefined)[] = new Array<Chunk | undefined>(first.n).fill(undefined);
  for (const [position, c] of chunks.entries()) {
    if (expectedFp !== undefined && c.fp !== expectedFp) return foreign(c, position, { fr: `autre élection (empreinte ${c.fp}…)`, en: `another election (fingerprint ${c.fp}…)` });
    if (c.id !== first.id || c.n !== first.n || c.fp !== first.fp)
      return foreign(c, position, { fr: `son identifiant ${c.id} diffère de ${first.id}`, en: `its identifier ${c.id} differs from ${first.id}` });
    if (byIndex[c.i - 1] !== undefined) {
      return fail('paper.chunk.duplicate', `Le morceau ${c.i}/${c.n} a été scanné deux fois.`, `Chunk ${c.i}/${c.n} was scanned twice.`, `QR ${position + 1}`);
    }
    byIndex[c.i - 1] = c;
  }
  const missing = byIndex.flatMap((c, k) => (c === undefined ? [k + 1] : []));
  if (missing.length > 0) {
    return fail('paper.chunk.missing', `Morceaux manquants\u00a0: ${missing.join(', ')} (sur ${first.n}).`, `Missing chunks: ${missing.join(', ')} (of ${first.n}).`);
  }
  return ok(byIndex as Chunk[]);
}

/**
 * Reassembles the bytes from scanned payloads, in any order. `fingerprint` (32 bytes), when given,
 * refuses chunks of another election. Codes: `paper.empty`, `paper.chunk.malformed`,
 * `paper.chunk.foreign`, `paper.chunk.duplicate`, `paper.chunk.missing`, `paper.digest`.
 */
export function fromQrPayloads(payloads: readonly string[], fingerprint?: Uint8Array): Result<Uint8Array> {
  if (payloads.length === 0) return fail('paper.empty', 'Aucun code QR scanné.', 'No QR code scanned.');
  const chunks: Chunk[] = [];
  for (const [position, p] of payloads.entries()) {
    const c = readChunk(p, position);
    if (!c.ok) return c;
    chunks.push(c.value);
  }
  const ordered = collect(chunks, fingerprint === undefined ? undefined : toHex(fingerprint).slice(0, 8));
  if (!ordered.ok) return ordered;
  const whole = concatBytes(...ordered.value.map((c) => c.data));
  if (wholeId(whole) !== chunks[0]!.id) {
    return fail(
      'paper.digest',
      'Les morceaux réassemblés ne forment pas la sauvegarde attendue (empreinte différente)\u00a0: un code QR est altéré.',
      'The reassembled chunks do not form the expected backup (digest differs): a QR code is altered.',
    );
  }
  return ok(whole);
}

/**
 * A token file's paper backup: its exact bytes as QR payloads. Fails `token.malformed` if the text is not a
 * token, `token.board.nonces-pending` while it holds the board nonces (§2.5).
 */
export function paperBackup(tokenText: string): Result<string[]> {
  const parsed = parseToken(tokenText);
  if (!parsed.ok) return parsed;
  const pending = refuseWhileNoncesPending(parsed.value.public, COPY.paper);
  if (!pending.ok) return pending;
  return ok(toQrPayloads(new TextEncoder().encode(tokenText), parsed.value.public.fingerprint));
}

/**
 * Restores a token file's text from its paper backup and checks it is a token of the expected election
 * (and member, when given). Codes: those of {@link fromQrPayloads}, `token.malformed`, `token.version`,
 * `token.other-election`, `token.other-member`, `token.board.nonces-pending` (a copy holding the board nonces, §2.5).
 */
export function restorePaperBackup(payloads: readonly string[], expect: OpenExpectations): Result<string> {
  const fingerprint = typeof expect.fingerprint === 'string' ? undefined : expect.fingerprint;
  const bytes = fromQrPayloads(payloads, fingerprint?.length === 32 ? fingerprint : undefined);
  if (!bytes.ok) return bytes;
  const text = new TextDecoder().decode(bytes.value);
  const parsed = parseToken(text);
  if (!parsed.ok) return parsed;
  const expected = checkExpectations(parsed.value.public, expect);
  if (!expected.ok) return expected;
  const pending = refuseWhileNoncesPending(parsed.value.public, COPY.restore);
  return pending.ok ? ok(text) : pending;
}
