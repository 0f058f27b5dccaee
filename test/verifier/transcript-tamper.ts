/**
 * What the tamper tests of a key-ceremony transcript share (independent-transcript.test.ts,
 * independent-board-key.test.ts): an honest ceremony run by the ceremony's code, both implementations
 * of docs/key-ceremony.md on one input (the ceremony's fold, src/core/ceremony/key/verify.ts, and the
 * independent verifier, src/core/verifier/key-ceremony.ts), and the tools that change a transcript and
 * re-chain and re-sign it, so that only the rules of the script can refuse it. Test code only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { FILES, KeyCeremony } from '../../src/core/ceremony/key/ceremony.js';
import type { CeremonyContext } from '../../src/core/ceremony/key/ports.js';
import { verifyKeyCeremonyTranscript } from '../../src/core/ceremony/key/verify.js';
import { toHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import type { ElectionDefinition } from '../../src/core/election/definition.js';
import { entryHash as ceremonyEntryHash, entryLine, makeEntry, type TranscriptEntry as CeremonyEntry } from '../../src/core/transcript/transcript.js';
import { replayKeyCeremony, type KeyCeremonyReplay } from '../../src/core/verifier/key-ceremony.js';
import { stationOf } from '../../src/core/verifier/transcript.js';
import { FakeTokens } from '../helpers/fake-tokens.js';
import { boardDefinition, context, step, tempFolder } from '../helpers/key-ceremony.js';

export const NAME = 'transcript.jsonl';

export function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

/** A ceremony's transcript and what re-signing it needs: the definition, and every actor's secret key. */
export interface Scene {
  readonly def: ElectionDefinition;
  readonly fp: Uint8Array;
  readonly text: string;
  readonly secrets: Map<string, Uint8Array>;
  /** The ceremony's folder (its public-key.json), when it ran here. */
  readonly folder?: string;
}

export function sceneOf(c: KeyCeremony, tokens: FakeTokens, ctxs: readonly CeremonyContext[]): Scene {
  const secrets = new Map<string, Uint8Array>();
  for (const ctx of ctxs) secrets.set(ctx.session.actor, ctx.session.secretKey);
  for (const [drive, s] of tokens.stored) if (drive.startsWith('/media/token-')) secrets.set(`member:${s.member}`, s.identitySecret);
  return { def: c.definition, fp: c.fingerprint, text: readFileSync(join(c.folder, FILES.transcript), 'utf8'), secrets, folder: c.folder };
}

export const all = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

export async function runAll(c: KeyCeremony, members: readonly number[], act: (c: KeyCeremony, j: number) => Promise<Result<void>>) {
  for (const j of members) must(await act(c, j));
}

/** One machine, every member present, 3 of 5. */
export async function oneMachine(): Promise<Scene> {
  const tokens = new FakeTokens();
  const ctx = context(tokens);
  const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(5, 3), ctx));
  for (const act of ['enrol', 'contribute', 'checkShares'] as const) await runAll(c, all(5), (c, j) => c[act](step(j)));
  must(await c.publishResult());
  for (const act of ['seal', 'confirm'] as const) await runAll(c, all(5), (c, j) => c[act](step(j)));
  must(await c.close());
  return sceneOf(c, tokens, [ctx]);
}

// ------------------------------------------------------------------ both implementations on one input

export interface Verdicts {
  readonly theirs: ReturnType<typeof verifyKeyCeremonyTranscript>;
  readonly ours: Result<KeyCeremonyReplay>;
}

export function both(s: Pick<Scene, 'def' | 'fp'>, text: string): Verdicts {
  return { theirs: verifyKeyCeremonyTranscript(s.def, s.fp, text, NAME), ours: replayKeyCeremony(s.def, s.fp, text, NAME) };
}

export function expectAgreeAccepted(s: Pick<Scene, 'def' | 'fp'>, text: string): KeyCeremonyReplay {
  const { theirs, ours } = both(s, text);
  expect(theirs.ok ? null : theirs.error).toBeNull();
  expect(ours.ok ? null : ours.error).toBeNull();
  if (!theirs.ok || !ours.ok) throw new Error('unreachable');
  expect(ours.value.phase).toBe(theirs.value.state.phase);
  expect(ours.value.head).toBe(theirs.value.head);
  expect(ours.value.closedHead).toBe(theirs.value.closedHead);
  const theirKeys = theirs.value.state.members.flatMap((m) => (m.identityKey === undefined ? [] : [[m.index, m.identityKey, m.encryptionKey] as const]));
  expect([...ours.value.enrolled].map(([j, k]) => [j, k.identityKey, k.encryptionKey])).toEqual(theirKeys);
  expect(ours.value.workstations).toEqual(theirs.value.state.workstations.map((w) => w.actor));
  expect(ours.value.deviations).toBe(theirs.value.state.deviations.length);
  if (theirs.value.state.publicKey !== undefined) expect(ours.value.keys?.publicKey).toBe(theirs.value.state.publicKey);
  expect(ours.value.failure?.code).toBe(theirs.value.state.failure?.code);
  return ours.value;
}

export function expectBothRefuse(s: Pick<Scene, 'def' | 'fp'>, text: string, code: string, line?: number): void {
  const { theirs, ours } = both(s, text);
  expect(theirs.ok).toBe(false);
  expect(ours.ok).toBe(false);
  if (theirs.ok || ours.ok) return;
  expect(ours.error.code).toBe(code);
  expect(theirs.error.code).toBe(code);
  expect(ours.error.where).toBe(theirs.error.where);
  if (line !== undefined) expect(ours.error.where).toBe(`${NAME}:${line}`);
  expect(ours.error.message.fr).not.toBe('');
  expect(ours.error.message.en).not.toBe('');
}

// ------------------------------------------------------------------ tampering tools

export const lines = (text: string): string[] => text.split('\n').slice(0, -1);
export const joined = (ls: readonly string[]): string => ls.map((l) => `${l}\n`).join('');
export const entriesOf = (text: string): CeremonyEntry[] => lines(text).map((l) => JSON.parse(l) as CeremonyEntry);

/** What an entry says, without its place: re-chained and re-signed by {@link rechain}. */
export type Draft = Omit<CeremonyEntry, 'seq' | 'prev' | 'signature'> & { readonly signature?: string };

export const draftsOf = (text: string): Draft[] =>
  entriesOf(text).map(({ time, actor, type, payload, signature }) => ({ time, actor, type, payload, ...(stationOf({ payload }) ? { signature } : {}) }));

/**
 * The drafts as a properly chained and signed transcript: each entry signed by its actor's secret (a
 * station entry keeps its own signature, which covers neither seq nor prev). Only the rules of the
 * ceremony can then refuse it.
 */
export function rechain(s: Scene, drafts: readonly Draft[]): string {
  let head = toHex(s.fp);
  const out: string[] = [];
  drafts.forEach((d, seq) => {
    const e: CeremonyEntry =
      d.signature !== undefined
        ? { seq, prev: head, time: d.time, actor: d.actor, type: d.type, payload: d.payload, signature: d.signature }
        : makeEntry(s.fp, seq, head, d.actor, d.type, d.payload, secretOf(s, d.actor), d.time);
    out.push(entryLine(e));
    head = ceremonyEntryHash(s.fp, e);
  });
  return joined(out);
}

export function secretOf(s: Scene, actor: string): Uint8Array {
  const key = s.secrets.get(actor);
  if (key === undefined) throw new Error(`no secret for ${actor}`);
  return key;
}

export const indexOf = (drafts: readonly Draft[], type: string, actor?: string): number => {
  const i = drafts.findIndex((d) => d.type === type && (actor === undefined || d.actor === actor));
  if (i < 0) throw new Error(`no ${type} ${actor ?? ''}`);
  return i;
};

export const payload = (d: Draft): Record<string, unknown> => d.payload as Record<string, unknown>;
export const workstationOf = (s: Scene): string => [...s.secrets.keys()].find((a) => a.startsWith('workstation:'))!;

/** Replaces the draft at `i` (by a function of it). */
export function edit(drafts: readonly Draft[], i: number, f: (d: Draft) => Draft): Draft[] {
  return drafts.map((d, k) => (k === i ? f(d) : d));
}
