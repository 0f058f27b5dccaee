/** Files read into memory that worker threads share (src/core/workers/pool.ts). */
import { open, type FileHandle } from 'node:fs/promises';

/**
 * A file's bytes in a SharedArrayBuffer, or undefined when it cannot be read. Bytes read to be handed to
 * a worker thread (a mix's text, a partial decryption) are read this way: an ordinary buffer is copied
 * into the worker, and a view of one with its whole buffer (a mix inside tally/<id>.json of 200,000
 * ballots came with the file's ~230 MB); a shared buffer is not copied at all. Nothing writes them after.
 */
export async function readFileShared(path: string): Promise<Uint8Array | undefined> {
  let fd: FileHandle | undefined;
  try {
    fd = await open(path, 'r');
    const size = (await fd.stat()).size;
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    let at = 0;
    while (at < size) {
      const { bytesRead } = await fd.read(bytes, at, size - at, at);
      if (bytesRead === 0) return undefined; // shorter than its size a moment ago: changed while read
      at += bytesRead;
    }
    return bytes;
  } catch {
    return undefined;
  } finally {
    await fd?.close().catch(() => undefined); // a file read whole is read, whatever closing it says
  }
}
