/** Files as tests compare them. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `folder` (hidden ones too) with its bytes, as one comparable value. */
export function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(folder, { recursive: true }).map(String).sort()) {
    const path = join(folder, name);
    out[name] = statSync(path).isDirectory() ? '<dir>' : readFileSync(path).toString('base64');
  }
  return out;
}
