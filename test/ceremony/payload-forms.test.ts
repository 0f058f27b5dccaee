/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit untrusted JSON freely */
/**
 * The ceremonies' folds check each entry's payload against the form of its type (src/core/ceremony/key/
 * payloads.ts, src/core/ceremony/tally/payloads.ts) before a rule reads it. For each entry type, on real
 * transcripts made by the ceremony code (the test helpers; a demo on members' stations for the stamped
 * entries): every honest payload passes its form, unchanged, and the folds reach `closed`; a payload with a
 * field of the wrong type, a field missing, or `{"toString":1}` in a field, is refused with the fold's code
 * (`ceremony.entry`, `tally.entry`), at that entry's line, naming the field, and never thrown on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyCeremony } from '../../src/core/ceremony/key/ceremony.js';
import { KEY_PAYLOADS } from '../../src/core/ceremony/key/payloads.js';
import { foldKeyCeremony } from '../../src/core/ceremony/key/state.js';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { TALLY_PAYLOADS } from '../../src/core/ceremony/tally/payloads.js';
import { foldTally, type TallyBasis } from '../../src/core/ceremony/tally/state.js';
import { toHex } from '../../src/core/common/bytes.js';
import { ok, type Result } from '../../src/core/common/result.js';
import { validate, type Validator } from '../../src/core/common/validate.js';
import { definitionFingerprint, parseDefinitionText, type ElectionDefinition } from '../../src/core/election/definition.js';
import { RECORD_FILES } from '../../src/core/election/record.js';
import { runDemo } from '../../src/core/simulation/demo.js';
import { entryHash, type TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { boardKeyOfKeyCeremony } from '../../src/core/verifier/board-check.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { FakeTokens } from '../helpers/fake-tokens.js';
import { boardDefinition, context, OFFLINE, step, tempFolder } from '../helpers/key-ceremony.js';
import { boardSignIfAny, memberStep, must, newFolder, tallyContext, tallyFixture } from '../helpers/tally.js';

/** A key-ceremony transcript and a tally transcript, with what their folds need. */
interface Transcripts {
  readonly def: ElectionDefinition;
  readonly fp: Uint8Array;
  readonly key: readonly TranscriptEntry[];
  readonly tally: readonly TranscriptEntry[];
  readonly basis: TallyBasis;
}

const pool = new WorkerPool(0);
let keyCeremony: { readonly def: ElectionDefinition; readonly fp: Uint8Array; readonly entries: readonly TranscriptEntry[] };
let tally: Transcripts;
let stations: Transcripts;

const jsonLines = (text: string): TranscriptEntry[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as TranscriptEntry);

/** An election record's two transcripts, read as a verifier reads them: the basis from keys.json and accepted.jsonl. */
function recordOf(folder: string): Transcripts {
  const read = (name: string) => readFileSync(join(folder, name), 'utf8');
  const def = must(parseDefinitionText(read(RECORD_FILES.definition)));
  const fp = definitionFingerprint(def);
  const key = jsonLines(read(RECORD_FILES.keyCeremony));
  const accepted = new Map<string, number>();
  for (const line of read(RECORD_FILES.accepted)
    .split('\n')
    .filter((l) => l !== '')) {
    const id = (JSON.parse(line) as { constituency: string }).constituency;
    accepted.set(id, (accepted.get(id) ?? 0) + 1);
  }
  const qualified = (JSON.parse(read(RECORD_FILES.keys)) as { qualified: number[] }).qualified;
  const board = must(boardKeyOfKeyCeremony(key, def.board.threshold, def.board.members.length));
  const basis = { keyCeremonyHead: entryHash(fp, key.at(-1)!), qualified, accepted, board, ...(board === null ? {} : { boardKey: toHex(board.groupKey) }) };
  return { def, fp, key, tally: jsonLines(read(RECORD_FILES.tallyTranscript)), basis };
}

beforeAll(async () => {
  // 2 of 4: member 1 mistypes their passphrase (a deviation), member 4 never contributes (round 1 closed early).
  const def = boardDefinition(4, 2);
  const c = must(await KeyCeremony.create(tempFolder(), def, context(new FakeTokens())));
  for (const j of [1, 2, 3, 4]) must(await c.enrol(step(j)));
  expect((await c.contribute(step(1, 'pas la bonne phrase'))).ok).toBe(false);
  for (const j of [1, 2, 3]) must(await c.contribute(step(j)));
  must(await c.closeRound1('Le membre 4 est absent.'));
  for (const j of [1, 2, 3]) must(await c.checkShares(step(j)));
  must(await c.publishResult());
  for (const j of [1, 2, 3]) must(await c.seal(step(j)));
  for (const j of [1, 2, 3]) must(await c.confirm(step(j)));
  must(await c.close());
  keyCeremony = { def, fp: c.fingerprint, entries: jsonLines(c.entries.map((e) => JSON.stringify(e)).join('\n')) };

  // 3 of 5 after a real key ceremony: member 2 mistypes their passphrase (a deviation) before decrypting.
  const fx = await tallyFixture(12);
  const folder = newFolder(fx);
  const t = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder, shuffles: 2 }, tallyContext(pool)));
  must(await t.importUrn(fx.urnPath));
  must(await t.publishReceipts());
  must(await t.shuffle());
  expect((await t.decrypt(memberStep(fx, 2, { passphrase: 'pas la bonne phrase' }))).ok).toBe(false);
  for (const j of [2, 4, 5]) must(await t.decrypt(memberStep(fx, j)));
  must(await t.count());
  for (const j of [5, 2, 4]) must(await t.sign(memberStep(fx, j)));
  await boardSignIfAny(
    t,
    [5, 2, 4].map((j) => memberStep(fx, j)),
  );
  must(await t.close());
  tally = recordOf(folder);

  // Every member's step on their own station: member entries stamped with `station` in both transcripts.
  const root = tempFolder('stations');
  const measure = async () => ok({ algorithm: 'SHA-256' as const, digest: 'ab'.repeat(32), fileCount: 7, totalBytes: 1, files: [] });
  const workstation = { memberStations: true, measure, network: async () => OFFLINE };
  must(await runDemo({ voters: 6, constituencies: 2, candidates: 2, members: 3, threshold: 2 }, join(root, 'record'), join(root, 'private'), { pool, shuffles: 1, workstation }));
  stations = recordOf(join(root, 'record'));
}, 240_000);

afterAll(async () => {
  await pool.close();
});

// --- Folding an entry changed ------------------------------------------------------------------------

type Fold = (entries: readonly TranscriptEntry[]) => Result<{ phase: string }>;

const foldKey =
  (t: { def: ElectionDefinition; fp: Uint8Array }): Fold =>
  (entries) =>
    foldKeyCeremony(t.def, t.fp, entries);
const foldTallyOf =
  (t: Transcripts): Fold =>
  (entries) =>
    foldTally(t.def, t.fp, entries, t.basis);

/** The fold of the transcript up to `at`, the entry at `at` with `payload` instead of its own; a throw fails the test. */
function foldChanged(fold: Fold, entries: readonly TranscriptEntry[], at: number, payload: unknown): Result<{ phase: string }> {
  const changed = [...entries.slice(0, at), { ...entries[at]!, payload }];
  let r: Result<{ phase: string }> | undefined;
  expect(() => (r = fold(changed))).not.toThrow();
  return r!;
}

type Path = readonly (string | number)[];

const shown = (path: Path): string => `payload${path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;

/** Every field of a payload: each key of each object, and the first item of each list (the ones below `opaque` fields are any JSON: not descended). */
function fieldsOf(v: unknown, opaque: readonly string[], path: Path = []): Path[] {
  const below = (child: unknown, at: Path): Path[] => [at, ...(opaque.includes(shown(at)) ? [] : fieldsOf(child, opaque, at))];
  if (Array.isArray(v)) return v.length === 0 ? [] : below(v[0], [...path, 0]);
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, child]) => below(child, [...path, k]));
  return [];
}

/** `payload` (a copy) with the field at `path` set by `change`. */
function edited(payload: unknown, path: Path, change: (parent: any, key: string | number) => void): unknown {
  const copy = structuredClone(payload) as any;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k];
  change(parent, path.at(-1)!);
  return copy;
}

/** A value of another JSON type than `v`. */
const otherType = (v: unknown): unknown => (typeof v === 'string' ? 7 : typeof v === 'number' ? String(v) : typeof v === 'boolean' ? 'true' : Array.isArray(v) ? {} : v === null ? '7' : []);

/** The three changes of a field: a value of another type, the field taken out (an object's key only), a value with its own toString. */
function changesOf(path: Path): [string, (parent: any, key: string | number) => void][] {
  const changes: [string, (parent: any, key: string | number) => void][] = [
    ['of another type', (o, k) => (o[k] = otherType(o[k]))],
    ['holding {"toString":1}', (o, k) => (o[k] = { toString: 1 })],
  ];
  if (typeof path.at(-1) === 'string') changes.push(['missing', (o, k) => delete o[k]]);
  return changes;
}

interface Case {
  readonly entries: readonly TranscriptEntry[];
  readonly fold: Fold;
  readonly code: string;
  readonly file: string;
}

/**
 * Every field of the entry at `at` (those `only` keeps), changed each way in turn, and then the whole payload
 * (unless only some fields are changed): refused with `code` at its line, naming the field. Returns how many.
 */
function expectEveryFieldRefused(c: Case, at: number, opaque: readonly string[] = [], only?: (path: Path) => boolean): number {
  expect(at, 'an entry to change').toBeGreaterThanOrEqual(0);
  const type = c.entries[at]!.type;
  const payload = c.entries[at]!.payload;
  let refused = 0;
  for (const path of fieldsOf(payload, opaque).filter(only ?? (() => true))) {
    for (const [how, change] of changesOf(path)) {
      // Without its stamp, an entry is one made at the workstation: of its form (its signature is what fails).
      if (how === 'missing' && shown(path) === 'payload.station') continue;
      if (how === 'missing' && PRESENT_IFF.includes(shown(path))) {
        expectMissingBoardField(c, at, shown(path), foldChanged(c.fold, c.entries, at, edited(payload, path, change)));
        continue;
      }
      const anyJson = opaque.includes(shown(path)) && how !== 'missing';
      const r = foldChanged(c.fold, c.entries, at, edited(payload, path, change));
      if (anyJson) continue; // any JSON value is of its form (the DKG judges it)
      const what = `${type}: ${shown(path)} ${how}`;
      expect(r.ok, what).toBe(false);
      if (r.ok) continue;
      expect({ code: r.error.code, where: r.error.where }, what).toEqual({ code: c.code, where: `${c.file}:${at + 1}` });
      expect(r.error.message.en, what).toContain(`malformed payload (${shown(path)}`);
      expect(r.error.message.fr, what).toContain(`contenu mal formé (${shown(path)}`);
      refused++;
    }
  }
  if (only !== undefined) return refused;
  // Not an object at all.
  for (const payload of [null, [], 'payload', 7, { toString: 1 }]) {
    const r = foldChanged(c.fold, c.entries, at, payload);
    expect(r, `${type}: ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: c.code, where: `${c.file}:${at + 1}` } });
    expect(r.ok || r.error.message.en, `${type}: ${JSON.stringify(payload)}`).toMatch(/malformed payload \(payload(\.[a-zA-Z0-9]+)?: /);
  }
  return refused;
}

// --- The key ceremony --------------------------------------------------------------------------------

/**
 * The board key's fields (docs/key-ceremony.md §4.4) are present iff the opening says the ceremony makes a board
 * key: their form allows them absent, and the rules refuse one missing where the opening asked for it. An opening
 * without `boardKey` is a ceremony made before the board key: of its form, and accepted.
 */
const PRESENT_IFF = ['payload.frost', 'payload.frostShares', 'payload.boardKey', 'payload.board'];

function expectMissingBoardField(c: Case, at: number, field: string, r: Result<{ phase: string }>): void {
  const type = c.entries[at]!.type;
  if (type === 'ceremony.opened') {
    expect(r.ok, `${type}: ${field} missing: an older ceremony's opening`).toBe(true);
    return;
  }
  expect(r, `${type}: ${field} missing`).toMatchObject({ ok: false, error: { code: c.code, where: `${c.file}:${at + 1}` } });
}

const KEY_TYPES = Object.keys(KEY_PAYLOADS);
const keyForm = (type: string): Validator<unknown> => KEY_PAYLOADS[type as keyof typeof KEY_PAYLOADS];
/** Fields whose value is any JSON value (docs/key-ceremony.md §5.4, §5.6): judged by the DKG, not by their form. */
const KEY_OPAQUE = ['payload.message', 'payload.result'];

describe('the key ceremony: each entry type’s payload against its form', () => {
  const keyCase = (): Case => ({ entries: keyCeremony.entries, fold: foldKey(keyCeremony), code: 'ceremony.entry', file: 'transcript' });

  it('the honest transcript has every entry type, and folds to its close', () => {
    expect(new Set(keyCeremony.entries.map((e) => e.type))).toEqual(new Set(KEY_TYPES));
    expect(must(foldKeyCeremony(keyCeremony.def, keyCeremony.fp, keyCeremony.entries)).phase).toBe('closed');
  });

  for (const type of KEY_TYPES) {
    it(`${type}: every honest payload passes, unchanged`, () => {
      const honest = keyCeremony.entries.filter((e) => e.type === type);
      expect(honest.length).toBeGreaterThan(0);
      for (const e of honest) expect(validate(keyForm(type), e.payload, 'payload')).toEqual({ ok: true, value: e.payload });
    });

    it(`${type}: a field of another type, missing, or holding {"toString":1} is refused (ceremony.entry), naming it`, () => {
      expect(
        expectEveryFieldRefused(
          keyCase(),
          keyCeremony.entries.findIndex((e) => e.type === type),
          KEY_OPAQUE,
        ),
      ).toBeGreaterThan(0);
    });

    it(`${type}: a key the docs do not name is refused`, () => {
      const at = keyCeremony.entries.findIndex((e) => e.type === type);
      const r = foldChanged(foldKey(keyCeremony), keyCeremony.entries, at, { ...(keyCeremony.entries[at]!.payload as object), note: 'x' });
      expect(r).toMatchObject({ ok: false, error: { code: 'ceremony.entry', where: `transcript:${at + 1}` } });
      expect(r.ok || r.error.message.en).toContain('malformed payload (payload.note: unknown field)');
    });
  }

  it('a round-1 message or a result that is any JSON value is of its form: the DKG judges it, and nothing throws', () => {
    const at = keyCeremony.entries.findIndex((e) => e.type === 'dkg.round1');
    const junk = { ...(keyCeremony.entries[at]!.payload as object), message: { toString: 1 } };
    expect(validate(keyForm('dkg.round1'), junk, 'payload').ok).toBe(true);
    expect(foldChanged(foldKey(keyCeremony), keyCeremony.entries, at, junk).ok).toBe(true);
    const result = keyCeremony.entries.findIndex((e) => e.type === 'dkg.result');
    const r = foldChanged(foldKey(keyCeremony), keyCeremony.entries, result, { result: { toString: 1 } });
    expect(r).toMatchObject({ ok: false, error: { code: 'ceremony.entry', where: `transcript:${result + 1}` } });
  });

  it('what the form leaves to the rules: a deviation naming a member beyond the board, a finding of such a dealer, a blank reason', () => {
    const entries = keyCeremony.entries;
    const at = (type: string) => entries.findIndex((e) => e.type === type);
    const change = (type: string, edit: (p: any) => void) => {
      const p = structuredClone(entries[at(type)]!.payload) as any;
      edit(p);
      return foldChanged(foldKey(keyCeremony), entries, at(type), p);
    };
    expect(change('deviation', (p) => (p.member = 5))).toMatchObject({ ok: false, error: { code: 'ceremony.entry', where: `transcript:${at('deviation') + 1}` } });
    expect(change('dkg.checked', (p) => (p.findings[0].dealer = 5))).toMatchObject({ ok: false, error: { code: 'ceremony.entry', where: `transcript:${at('dkg.checked') + 1}` } });
    expect(change('dkg.round1-closed', (p) => (p.reason = ' \n'))).toMatchObject({ ok: false, error: { code: 'ceremony.entry', where: `transcript:${at('dkg.round1-closed') + 1}` } });
    expect(change('member.enrolled', (p) => (p.token.size = -1)).ok).toBe(true);
  });
});

// --- The tally -----------------------------------------------------------------------------------------

const TALLY_TYPES = Object.keys(TALLY_PAYLOADS);
const tallyForm = (type: string): Validator<unknown> => TALLY_PAYLOADS[type as keyof typeof TALLY_PAYLOADS];
describe('the tally: each entry type’s payload against its form', () => {
  const tallyCase = (): Case => ({ entries: tally.tally, fold: foldTallyOf(tally), code: 'tally.entry', file: RECORD_FILES.tallyTranscript });

  it('the honest transcript has every entry type, and folds to its close', () => {
    expect(new Set(tally.tally.map((e) => e.type))).toEqual(new Set(TALLY_TYPES));
    expect(must(foldTally(tally.def, tally.fp, tally.tally, tally.basis)).phase).toBe('closed');
  });

  for (const type of TALLY_TYPES) {
    it(`${type}: every honest payload passes, unchanged`, () => {
      const honest = tally.tally.filter((e) => e.type === type);
      expect(honest.length).toBeGreaterThan(0);
      for (const e of honest) expect(validate(tallyForm(type), e.payload, 'payload')).toEqual({ ok: true, value: e.payload });
    });

    it(`${type}: a field of another type, missing, or holding {"toString":1} is refused (tally.entry), naming it`, () => {
      expect(
        expectEveryFieldRefused(
          tallyCase(),
          tally.tally.findIndex((e) => e.type === type),
        ),
      ).toBeGreaterThan(0);
    });

    it(`${type}: a key the docs do not name is refused, as the verifier refuses it`, () => {
      const at = tally.tally.findIndex((e) => e.type === type);
      const r = foldChanged(foldTallyOf(tally), tally.tally, at, { ...(tally.tally[at]!.payload as object), note: 'x' });
      expect(r).toMatchObject({ ok: false, error: { code: 'tally.entry', where: `${RECORD_FILES.tallyTranscript}:${at + 1}` } });
      expect(r.ok || r.error.message.en).toContain('malformed payload (payload.note: unknown field)');
    });
  }

  it('nested items: a partial decryption, a signature item and a deviation’s message hold exactly their keys', () => {
    const at = (type: string) => tally.tally.findIndex((e) => e.type === type);
    const change = (type: string, edit: (p: any) => void) => {
      const p = structuredClone(tally.tally[at(type)]!.payload) as any;
      edit(p);
      return foldChanged(foldTallyOf(tally), tally.tally, at(type), p);
    };
    const partial = change('tally.decryption', (p) => (p.partials[0].note = 'x'));
    expect(partial).toMatchObject({ ok: false, error: { code: 'tally.entry' } });
    expect(partial.ok || partial.error.message.en).toContain('malformed payload (payload.partials[0].note: unknown field)');
    const signature = change('tally.signature', (p) => (p.signatures[0].note = 'x'));
    expect(signature.ok || signature.error.message.en).toContain('malformed payload (payload.signatures[0].note: unknown field)');
    const message = change('tally.deviation', (p) => (p.message.de = 'x'));
    expect(message.ok || message.error.message.en).toContain('malformed payload (payload.message.de: unknown field)');
  });

  it('what the form leaves to the rules keeps its own code: a round not the next (tally.order), a member beyond the board (tally.entry)', () => {
    const at = (type: string) => tally.tally.findIndex((e) => e.type === type);
    const change = (type: string, edit: (p: any) => void) => {
      const p = structuredClone(tally.tally[at(type)]!.payload) as any;
      edit(p);
      return foldChanged(foldTallyOf(tally), tally.tally, at(type), p);
    };
    expect(change('tally.shuffle', (p) => (p.round = 2))).toMatchObject({ ok: false, error: { code: 'tally.order' } });
    expect(change('tally.shuffle', (p) => (p.round = 0))).toMatchObject({ ok: false, error: { code: 'tally.entry' } });
    expect(change('tally.deviation', (p) => (p.member = 6))).toMatchObject({ ok: false, error: { code: 'tally.entry' } });
    // Out of its phase, a malformed entry is out of order first (docs/tally-ceremony.md §2, rule 7).
    const early = [...tally.tally.slice(0, at('tally.import')), { ...tally.tally[at('tally.count')]!, payload: { members: 'x' } }];
    expect(foldTally(tally.def, tally.fp, early, tally.basis)).toMatchObject({ ok: false, error: { code: 'tally.order' } });
  });
});

// --- Members' stations ---------------------------------------------------------------------------------

describe('entries made on members’ stations: the stamp is part of the form', () => {
  const stamped = (entries: readonly TranscriptEntry[]) => entries.filter((e) => typeof e.payload === 'object' && e.payload !== null && 'station' in e.payload);

  it('every payload of both transcripts passes its form, unchanged, and both folds reach their close', () => {
    expect(stamped(stations.key).length).toBeGreaterThan(0);
    expect(new Set(stamped(stations.tally).map((e) => e.type))).toEqual(new Set(['tally.shuffle', 'tally.decryption', 'tally.signature', 'tally.board-commitments', 'tally.board-share']));
    for (const e of stations.key) expect(validate(keyForm(e.type), e.payload, 'payload')).toEqual({ ok: true, value: e.payload });
    for (const e of stations.tally) expect(validate(tallyForm(e.type), e.payload, 'payload')).toEqual({ ok: true, value: e.payload });
    expect(must(foldKeyCeremony(stations.def, stations.fp, stations.key)).phase).toBe('closed');
    expect(must(foldTally(stations.def, stations.fp, stations.tally, stations.basis)).phase).toBe('closed');
  });

  const underStamp = (path: Path) => path[0] === 'station';

  for (const type of ['member.enrolled', 'dkg.round1', 'dkg.checked', 'member.share-sealed', 'member.confirmed']) {
    it(`${type}: a stamp with a field of another type, missing, or holding {"toString":1} is refused (ceremony.entry)`, () => {
      const at = stations.key.findIndex((e) => e.type === type && stamped([e]).length === 1);
      const c: Case = { entries: stations.key, fold: foldKey(stations), code: 'ceremony.entry', file: 'transcript' };
      expect(expectEveryFieldRefused(c, at, KEY_OPAQUE, underStamp)).toBeGreaterThan(10);
    });
  }

  for (const type of ['tally.shuffle', 'tally.decryption', 'tally.signature', 'tally.board-commitments', 'tally.board-share']) {
    it(`${type}: a stamp with a field of another type, missing, or holding {"toString":1} is refused (tally.entry)`, () => {
      const at = stations.tally.findIndex((e) => e.type === type && stamped([e]).length === 1);
      const c: Case = { entries: stations.tally, fold: foldTallyOf(stations), code: 'tally.entry', file: RECORD_FILES.tallyTranscript };
      expect(expectEveryFieldRefused(c, at, [], underStamp)).toBeGreaterThan(10);
    });
  }
});
