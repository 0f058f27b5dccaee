/** What a command prints, captured (the spies are undone by `vi.restoreAllMocks()`). */
import { vi } from 'vitest';

/** Captures console.log (out) and console.error (err); silences process.stderr (progress lines). */
export function capture(): { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { out: () => out.join('\n'), err: () => err.join('\n') };
}
