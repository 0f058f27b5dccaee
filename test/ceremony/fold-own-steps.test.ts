/**
 * The ceremonies' folds look a step up among their own steps only, and refuse an entry that lacks an
 * actor: an entry type named like an Object property ('constructor') once found Object itself as its
 * step (a fold returning its state in place of a Result), and an actor-less entry threw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldKeyCeremony } from '../../src/core/ceremony/key/state.js';
import { definitionFingerprint, parseDefinitionText } from '../../src/core/election/definition.js';
import { entryOfLine, type TranscriptEntry } from '../../src/core/transcript/transcript.js';

const RECORD = join(import.meta.dirname, '../fixtures/records/861188a');
const parsed = parseDefinitionText(readFileSync(join(RECORD, 'election.json'), 'utf8'));
if (!parsed.ok) throw new Error('fixture definition');
const def = parsed.value;
const fp = definitionFingerprint(def);
const entries = readFileSync(join(RECORD, 'keyceremony.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => entryOfLine(l)!);

/** The entries with `e` put in place of the one at `at`. */
const replacedAt = (at: number, e: TranscriptEntry): TranscriptEntry[] => entries.map((x, i) => (i === at ? e : x));

describe('the key ceremony fold', () => {
  it('folds the kept record to its close', () => {
    const r = foldKeyCeremony(def, fp, entries);
    expect(r.ok && r.value.phase).toBe('closed');
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('refuses an entry typed %s, as an unknown step', (type) => {
    const at = entries.findIndex((e) => e.type === 'member.enrolled');
    const r = foldKeyCeremony(def, fp, replacedAt(at, { ...entries[at]!, type }));
    expect(r).toMatchObject({ ok: false, error: { code: 'ceremony.entry', where: `transcript:${at + 1}` } });
  });

  it('refuses an entry without an actor rather than throwing', () => {
    const at = entries.findIndex((e) => e.type === 'member.enrolled');
    const { actor: _actor, ...anonymous } = entries[at]!;
    const r = foldKeyCeremony(def, fp, replacedAt(at, anonymous as TranscriptEntry));
    expect(r).toMatchObject({ ok: false, error: { code: 'ceremony.entry' } });
  });
});
