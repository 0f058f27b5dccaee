/** Starts `sceau serve` as a user would (the built bin), reads the URL it prints, and calls its API as the page does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A Result as the API returns it (src/core/common/result.ts), read from JSON. */
export interface Answer<T> {
  readonly ok: boolean;
  readonly value?: T;
  readonly error?: { readonly code: string; readonly message: { readonly fr: string; readonly en: string }; readonly where?: string };
}

export interface Served {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  /** One API call as the page makes it (src/renderer/api-client.ts): POST /api/<method>, the bearer token, a JSON body. */
  call<T>(method: string, argument: unknown): Promise<Answer<T>>;
  /** A clean stop (SIGTERM); resolves once the process is gone. */
  stop(): Promise<void>;
  /** A crash (SIGKILL): nothing runs after it; resolves once the process is gone. */
  kill(): Promise<void>;
}

const bin = fileURLToPath(new URL('../../bin/sceau.js', import.meta.url));

export async function startServe(env: Record<string, string> = {}): Promise<Served> {
  // The app's data folder (bug log, recent ceremonies) is the test's own unless it names one: never the machine's.
  const data = env['SCEAU_DATA_DIR'] ?? mkdtempSync(join(tmpdir(), 'sceau-e2e-data-'));
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SCEAU_DATA_DIR: data, ...env } });
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`sceau serve printed no URL: ${out}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code) => reject(new Error(`sceau serve exited with ${code}: ${out}`)));
  });
  const parsed = new URL(url);
  const token = parsed.hash.replace('#token=', '');
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (!exited) child.kill(signal);
    await gone;
  };
  return {
    url,
    origin: parsed.origin,
    token,
    call: async <T>(method: string, argument: unknown): Promise<Answer<T>> => {
      const response = await fetch(`${parsed.origin}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(argument),
      });
      return (await response.json()) as Answer<T>;
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}
