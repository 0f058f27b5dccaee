/**
 * tally/<id>.json read by the verifier (src/core/verifier/tally-file.ts): in the tally's own form its
 * mixes are read as text, in any other form the file is parsed as JSON; both readings must give the same
 * values on every text, or the verifier would check something other than what the file says.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/common/canonical-json.js';
import { runDemo } from '../../src/core/simulation/demo.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { readTallyFile, tallyFileAsWritten, tallyFileParsed, type TallyFileRead } from '../../src/core/verifier/tally-file.js';
import { tempDir } from '../helpers/pipeline.js';
import { readFileShared } from '../../src/core/common/shared-file.js';

const pool = new WorkerPool(0);
afterAll(() => pool.close());
const enc = new TextEncoder();
let text: string;
let n: number;

beforeAll(async () => {
  const root = tempDir('sceau-tally-file-');
  const r = await runDemo({ voters: 10, constituencies: 1, candidates: 2, members: 1, threshold: 1 }, join(root, 'record'), join(root, 'private'), { pool });
  if (!r.ok) throw new Error(r.error.message.en);
  text = readFileSync(join(root, 'record', 'tally', 'c001.json'), 'utf8');
  n = (JSON.parse(text) as { ballots: number }).ballots;
}, 120_000);

/** What the verifier reads, the mixes as their texts and outputs, comparable across both readings. */
function seen(read: TallyFileRead): unknown {
  const { shuffles: _, ...rest } = read.file;
  const mixes = Array.from({ length: read.rounds }, (_, k) => ({ text: read.mix(k).text, outputs: read.mixOutputs(k) }));
  return { rest, mixes };
}

describe('tally/<id>.json as the verifier reads it', () => {
  it('in the form the tally writes, its mixes are read as text: the same values as JSON.parse gives', () => {
    const bytes = enc.encode(text);
    const fast = tallyFileAsWritten(bytes, 'c001', n);
    expect(fast).not.toBeNull();
    expect(fast!.rounds).toBe((JSON.parse(text) as { shuffles: unknown[] }).shuffles.length);
    expect(seen(fast!)).toEqual(seen(tallyFileParsed(bytes)!));
    expect(new TextDecoder().decode(fast!.mix(0).text!)).toBe(canonicalJson((JSON.parse(text) as { shuffles: unknown[] }).shuffles[0]));
  });

  it('on any other text, both readings agree where the form is accepted, and the form is refused where they could not', () => {
    const last = text.lastIndexOf('}');
    const variants: [string, string, boolean][] = [
      ['the file as written', text, true],
      ['no final newline', text.trimEnd(), true],
      ['"shuffles" repeated at the end (JSON.parse reads the last)', `${text.slice(0, last)},"shuffles":[]}`, false],
      ['"format" repeated at the end', `${text.slice(0, last)},"format":"other"}`, false],
      ['"partials" repeated at the end', `${text.slice(0, last)},"partials":[]}`, true],
      ['an extra key at the end', `${text.slice(0, last)},"extra":1}`, false],
      ['a space inside a mix', text.replace('"outputs":[', '"outputs": ['), false],
      ['a mix pretty-printed', text.replace(/"shuffles":\[(\{.*?\}\}\})/, (_, m: string) => `"shuffles":[${JSON.stringify(JSON.parse(m), null, 1)}`), false],
      ['a mix in upper-case hex', text.replace(/"a":"([0-9a-f]{64})"/, (_, h: string) => `"a":"${h.toUpperCase()}"`), false],
      ['keys of the head in another order', text.replace('{"format":"sceau/tally/v1","constituency":"c001",', '{"constituency":"c001","format":"sceau/tally/v1",'), false],
      ['another ballot count', text.replace(`"ballots":${n},`, `"ballots":${n + 1},`), false],
      ['a digit of an output changed (still the form)', text.replace(/"a":"([0-9a-f])/, (_, d: string) => `"a":"${d === '0' ? '1' : '0'}`), true],
    ];
    for (const [what, variant, inForm] of variants) {
      const bytes = enc.encode(variant);
      const fast = tallyFileAsWritten(bytes, 'c001', n);
      expect(fast !== null, what).toBe(inForm);
      const parsed = tallyFileParsed(bytes)!;
      if (fast !== null) expect(seen(fast), what).toEqual(seen(parsed));
      expect(seen(readTallyFile(bytes, 'c001', n)!), what).toEqual(seen(fast ?? parsed));
    }
  });

  it('is read into shared memory, so that a mix handed to a worker is not copied with the whole file', async () => {
    const path = join(tempDir('sceau-tally-file-'), 'c001.json');
    writeFileSync(path, text);
    const bytes = await readFileShared(path);
    expect(bytes?.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(bytes!).toString('utf8')).toBe(text);
    expect(await readFileShared(`${path}.missing`)).toBeUndefined();
  });

  it('a text that is not a JSON object is no tally file', () => {
    for (const t of ['', '[]', 'null', text.slice(0, 200)]) expect(readTallyFile(enc.encode(t), 'c001', n)).toBeUndefined();
    // A byte-order mark is no JSON: refused as reading the file as a string refuses it (found by review).
    expect(readTallyFile(enc.encode(`\ufeff${text}`), 'c001', n)).toBeUndefined();
  });
});
