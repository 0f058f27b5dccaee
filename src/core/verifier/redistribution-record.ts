/**
 * A record made after redistributions (docs/tally-ceremony.md §1.2): its `redistribution-1.jsonl`,
 * `-2`… replayed from the key ceremony's board (./redistribution.ts), and the board the tally must then
 * have used: its threshold, members, qualified set, verification keys and identity keys, and the head
 * `tally.open` names (the last redistribution's closing head).
 */
import type { GroupPublic } from '../crypto/frost/index.js';
import { pointToHex, type Point } from '../crypto/group.js';
import { entryHash, type TranscriptEntry } from './transcript.js';
import type { Report } from './check-report.js';
import { readText } from './check-report.js';
import { replayChain, type KeyCeremonyStart } from './redistribution.js';

/** The name of the k-th redistribution's transcript in a record. */
export const redistributionFile = (k: number): string => `redistribution-${k}.jsonl`;

/** The redistribution transcripts a record lists, 1, 2… without a gap (a file after a gap stays unknown). */
export function chainFiles(files: readonly string[]): string[] {
  const names: string[] = [];
  while (files.includes(redistributionFile(names.length + 1))) names.push(redistributionFile(names.length + 1));
  return names;
}

interface Board {
  readonly threshold: number;
  readonly members: readonly { readonly index: number; readonly name: string; readonly role: string; readonly president: boolean; readonly identityKey?: string }[];
}

/** The board the tally works with after redistributions, in the forms the verifier's tally checks take. */
export interface RedistributedBoard<D> {
  /** The definition with its board replaced by the current one (members 1 … max, those who left without a key). */
  readonly def: D;
  readonly head: string;
  readonly t: number;
  readonly qualified: readonly number[];
  /** Y'_j, hex, index j − 1. */
  readonly verificationKeys: readonly string[];
  readonly identityKeys: ReadonlyMap<number, string>;
  /** The board signing key's public data with the current board's verifying shares, or null when there is none. */
  readonly boardGroup: GroupPublic | null;
  /** The holders of the board key the last redistribution left (its board-key result's), [] when there is none. */
  readonly boardHolders: readonly number[];
}

/** Replays the record's redistributions; undefined (the failure reported) when the chain does not verify. */
export async function checkRedistributions<D extends { readonly id: string; readonly board: Board }>(
  report: Report,
  file: (name: string) => string,
  def: D,
  fp: Uint8Array,
  kc: Omit<KeyCeremonyStart, 'def'>,
  names: readonly string[],
): Promise<RedistributedBoard<D> | undefined> {
  const texts: string[] = [];
  for (const name of names) texts.push((await readText(file(name))) ?? '');
  const chain = replayChain(def.id, fp, { ...kc, def }, texts, redistributionFile);
  if (!chain.ok) {
    report.failure(chain.error);
    return undefined;
  }
  const b = chain.value;
  const n = Math.max(...b.members.map((m) => m.index));
  const members = Array.from({ length: n }, (_, k) => {
    const now = b.members.find((m) => m.index === k + 1);
    if (now !== undefined) return { index: now.index, name: now.name, role: now.role, president: now.president };
    const former = def.board.members[k];
    return { index: k + 1, name: former?.name ?? '—', role: former?.role ?? '', president: false };
  });
  return {
    def: { ...def, board: { ...def.board, threshold: b.threshold, members } },
    head: b.heads.redistributions.at(-1)!,
    t: b.threshold,
    qualified: b.election.holders,
    verificationKeys: b.election.verificationKeys.map(pointToHex),
    identityKeys: new Map(b.members.map((m) => [m.index, m.identityKey])),
    boardGroup: b.board?.group ?? null,
    boardHolders: b.board === undefined ? [] : [...b.board.key.holders],
  };
}

/** The key ceremony's closing head (the head just after `ceremony.closed`) and its DKG keys, when it closed. */
export function keyCeremonyStart(
  fp: Uint8Array,
  entries: readonly TranscriptEntry[],
  dkg: { readonly publicKey: Point; readonly qualified: readonly number[]; readonly verificationKeys: readonly Point[] },
): { closedHead: string; keys: { publicKey: string; qualified: readonly number[]; verificationKeys: readonly string[] } } | undefined {
  const i = entries.findIndex((e) => e.type === 'ceremony.closed');
  if (i < 0) return undefined;
  const closedHead = i + 1 < entries.length ? entries[i + 1]!.prev : entryHash(fp, entries[i]!);
  return { closedHead, keys: { publicKey: pointToHex(dkg.publicKey), qualified: [...dkg.qualified], verificationKeys: dkg.verificationKeys.map(pointToHex) } };
}
