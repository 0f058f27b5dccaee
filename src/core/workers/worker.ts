/** A pipeline worker thread: runs the tasks of ./tasks.ts it is sent, one at a time. */
import { parentPort } from 'node:worker_threads';
import { runTask, type Task } from './tasks.js';

parentPort?.on('message', (msg: { id: number; task: Task }) => {
  try {
    const value = runTask(msg.task);
    parentPort!.postMessage({ id: msg.id, ok: true, value }, ownBuffers(value));
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
});

/**
 * The byte arrays of a result (two levels deep) that own their whole buffer: moved to the main thread
 * rather than copied (a mix of 200,000 ballots is ~100 MB of text). A view into a shared buffer (Node's
 * small-Buffer pool) is copied: moving it would take the pool away from this thread.
 */
function ownBuffers(value: unknown, depth = 2): ArrayBuffer[] {
  if (value instanceof Uint8Array) {
    const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && value.buffer instanceof ArrayBuffer;
    return whole && value.byteLength >= 4096 ? [value.buffer] : [];
  }
  if (depth === 0 || typeof value !== 'object' || value === null) return [];
  return [...new Set(Object.values(value).flatMap((v) => ownBuffers(v, depth - 1)))];
}
