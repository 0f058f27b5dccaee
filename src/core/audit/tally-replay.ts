/**
 * Replay of an election record's tally transcript (`tally.jsonl`, docs/tally-ceremony.md §4), entry by
 * entry, with the same link and signature checks as the key ceremony's (./replay.ts). Actors: workstation
 * sessions register their key in this transcript; members sign with the key their enrolment registered in
 * the record's key-ceremony transcript (src/core/ceremony/tally/actors.ts). Each entry's rule is the
 * script's order (the fold of src/core/ceremony/tally/state.ts) and then what it records compared with the
 * record's files AS THEY STAND:
 *
 *   tally.import     `urnDigest`, `ballotLines` as the urn's trailer states them; `accepted`/`rejected` the
 *                    lines of accepted.jsonl / rejected.jsonl, and their SHA-256
 *   tally.receipts   the SHA-256 of receipts.txt
 *   tally.shuffle    `digest` = SHA-256(canonical JSON of `tally/<c>.json` shuffles[round − 1])
 *   tally.decryption each digest = SHA-256(canonical JSON of that member's partial in `tally/<c>.json`)
 *   tally.count      `pvSha256` = SHA-256(canonical JSON of results.json's PVs)
 *   tally.signature  each signature is results.json's for that member and PV
 *   tally.results    `resultsSha256` = SHA-256 of the bytes of results.json
 *   tally.board-commitments, tally.board-round, tally.board-share, tally.board-signature   the script's
 *                    order only (their FROST commitments, shares and signatures are recomputed by the verifier)
 *
 * Whether the shuffles, decryptions and counts themselves hold is the verifier's (Verify, docs/audit.md §4).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../common/canonical-json.js';
import { toHex } from '../common/bytes.js';
import { catchInput, ok, type Result } from '../common/result.js';
import { definitionFingerprint, type ElectionDefinition } from '../election/definition.js';
import { fileSha256, RECORD_FILES, tallyFile } from '../election/record.js';
import { memberOfActor, type TranscriptEntry } from '../transcript/transcript.js';
import { enrolledIdentityKeys, tallyActorKeys } from '../ceremony/tally/actors.js';
import { applyTallyEntry, initialTallyState, type TallyBasis } from '../ceremony/tally/state.js';
import { boardHoldersOf, boardKeyOf, foldKeyCeremony } from '../ceremony/key/state.js';
import { fail } from './failures.js';
import { replayFolder, replayWith, type Rule } from './replay.js';
import { parseDefinitionText } from '../election/definition.js';
import type { TranscriptReplay } from './types.js';
import { groupFromJson, type GroupPublic } from '../crypto/frost/index.js';

const digestOf = (value: unknown): string => {
  const text = catchInput(() => canonicalJson(value));
  return text.ok ? toHex(sha256(new TextEncoder().encode(text.value))) : '';
};

function objectOf(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Lines (non-empty) of a JSON Lines file, and its last line, streamed; each line also to `onLine`. */
async function lineCount(path: string, onLine?: (line: string) => void): Promise<{ count: number; last: string | undefined } | undefined> {
  try {
    const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    let count = 0;
    let last: string | undefined;
    for await (const line of rl) {
      if (line === '') continue;
      count++;
      last = line;
      onLine?.(line);
    }
    return { count, last };
  } catch {
    return undefined;
  }
}

function parsedObject(text: string | undefined): Record<string, unknown> {
  try {
    return text === undefined ? {} : objectOf(JSON.parse(text));
  } catch {
    return {};
  }
}

function qualifiedOf(keys: Record<string, unknown>): number[] {
  const q = keys['qualified'];
  return Array.isArray(q) ? q.filter((x): x is number => Number.isInteger(x)) : [];
}

/** What the tally entries must record, computed from the record's files as they stand. */
interface Expected {
  readonly import: Record<string, unknown>;
  readonly receiptsSha256: string | undefined;
  readonly resultsSha256: string | undefined;
  /** results.json, parsed, when readable. */
  readonly results: Record<string, unknown>;
  /** Accepted ballots per constituency (accepted.jsonl). */
  readonly accepted: Map<string, number>;
  /** keys.json's qualified set. */
  readonly qualified: readonly number[];
  /** tally/<c>.json, parsed, when readable. */
  readonly tallies: Map<string, Record<string, unknown> | undefined>;
}

async function expectedFromFiles(dir: string, def: ElectionDefinition): Promise<Expected> {
  const urn = await lineCount(join(dir, RECORD_FILES.urn));
  let trailerLine: unknown;
  try {
    trailerLine = urn?.last === undefined ? undefined : JSON.parse(urn.last);
  } catch {
    trailerLine = undefined;
  }
  const trailer = objectOf(objectOf(trailerLine)['trailer']);
  // Accepted ballots in all and per constituency, in one pass (a missing list counts none: the import
  // entry's rule then says it differs).
  const perConstituency = new Map<string, number>();
  const accepted = await lineCount(join(dir, RECORD_FILES.accepted), (line) => {
    const c = parsedObject(line)['constituency'];
    if (typeof c === 'string') perConstituency.set(c, (perConstituency.get(c) ?? 0) + 1);
  });
  const rejected = await lineCount(join(dir, RECORD_FILES.rejected));
  const sha = (name: string) => fileSha256(join(dir, name)).catch(() => undefined);
  const results = await readFile(join(dir, RECORD_FILES.results)).catch(() => undefined);
  const tallies = new Map<string, Record<string, unknown> | undefined>();
  for (const c of def.constituencies) {
    const text = await readFile(join(dir, ...tallyFile(c.id).split('/')), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = objectOf(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    tallies.set(c.id, parsed);
  }
  return {
    import: {
      urnDigest: trailer['digest'],
      urnSha256: await sha(RECORD_FILES.urn),
      ballotLines: trailer['ballots'],
      accepted: accepted?.count,
      rejected: rejected?.count,
      acceptedSha256: await sha(RECORD_FILES.accepted),
      rejectedSha256: await sha(RECORD_FILES.rejected),
    },
    receiptsSha256: await sha(RECORD_FILES.receipts),
    resultsSha256: results === undefined ? undefined : toHex(sha256(results)),
    results: parsedObject(results?.toString('utf8')),
    accepted: perConstituency,
    qualified: qualifiedOf(parsedObject(await readFile(join(dir, RECORD_FILES.keys), 'utf8').catch(() => undefined))),
    tallies,
  };
}

/**
 * The board signing key the key ceremony's closing names (docs/key-ceremony.md §4.4), or null: the tally's
 * board sitting is then in the script's order. Its signatures themselves are the verifier's to recompute.
 */
function boardGroupOf(def: ElectionDefinition, keyCeremony: TranscriptReplay): GroupPublic | null {
  const closed = keyCeremony.entries.find((e) => e.type === 'ceremony.closed');
  const v = (closed?.payload as { boardKey?: unknown } | null | undefined)?.boardKey;
  if (v === undefined || v === null) return null;
  const group = groupFromJson(v, { t: def.board.threshold, n: def.board.members.length });
  return group.ok ? group.value : null;
}

/** What the replay knows of the board from the record's key ceremony: the members' identity keys and who holds the board key. */
export interface ReplayMembers {
  readonly identityKeys: ReadonlyMap<number, string>;
  readonly boardHolders: readonly number[];
}

/**
 * What the replay gives the fold: with the members' identity keys, so that a refused board share's evidence
 * must be signed by its member (record.md §7), and the board key's holders (key-ceremony.md §4.4), so that
 * only they commit; without the PVs, so the evidence's failing check is the verifier's.
 */
export function replayBasis(
  keyCeremonyHead: string,
  expected: { readonly qualified: readonly number[]; readonly accepted: Map<string, number> },
  board: GroupPublic | null,
  members: ReplayMembers,
): TallyBasis {
  return { keyCeremonyHead, qualified: expected.qualified, accepted: expected.accepted, board, identityKeys: members.identityKeys, boardHolders: members.boardHolders };
}

/** The board key's holders as the key ceremony's own fold finds them; none when it does not fold (every commitment then fails its rule). */
function boardHoldersIn(def: ElectionDefinition, entries: readonly TranscriptEntry[]): number[] {
  const folded = foldKeyCeremony(def, definitionFingerprint(def), entries);
  return folded.ok && boardKeyOf(folded.value) !== undefined ? boardHoldersOf(folded.value) : [];
}

/** The rule of each tally entry: the script's order, then the record's files as they stand. */
function tallyRule(def: ElectionDefinition, keyCeremonyHead: string, expected: Expected, board: GroupPublic | null, members: ReplayMembers): { rule: Rule; phase: () => string } {
  const basis = replayBasis(keyCeremonyHead, expected, board, members);
  const state = initialTallyState(def, definitionFingerprint(def), basis);
  const refuse = (fr: string, en: string): Result<void> => fail('tally.entry', fr, en);
  const tallyOf = (c: string): Record<string, unknown> => expected.tallies.get(c) ?? {};
  const listOf = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(objectOf) : []);
  const files: Record<string, (p: Record<string, unknown>, member: number | undefined) => Result<void>> = {
    'tally.import': (p) => {
      const differs = Object.entries(expected.import)
        .filter(([k, v]) => p[k] !== v)
        .map(([k]) => k);
      return differs.length === 0
        ? ok(undefined)
        : refuse(`l'import enregistré diffère des fichiers du registre (${differs.join(', ')}).`, `the recorded import differs from the record's files (${differs.join(', ')}).`);
    },
    'tally.receipts': (p) =>
      expected.receiptsSha256 !== undefined && p['sha256'] === expected.receiptsSha256
        ? ok(undefined)
        : refuse(`${RECORD_FILES.receipts} n'est pas la liste que le journal enregistre.`, `${RECORD_FILES.receipts} is not the list the transcript records.`),
    'tally.shuffle': (p) => {
      const c = String(p['constituency']);
      const round = p['round'];
      const shuffles = tallyOf(c)['shuffles'];
      const shuffle = Array.isArray(shuffles) && typeof round === 'number' ? shuffles[round - 1] : undefined;
      return shuffle !== undefined && digestOf(shuffle) === p['digest']
        ? ok(undefined)
        : refuse(`le mélange ${String(round)} de ${c} n'est pas celui de ${tallyFile(c)}.`, `shuffle ${String(round)} of ${c} is not the one in ${tallyFile(c)}.`);
    },
    'tally.decryption': (p, j) => {
      const wrong = listOf(p['partials']).filter((x) => {
        const mine = listOf(tallyOf(String(x['constituency']))['partials']).find((q) => q['member'] === j);
        return mine === undefined || digestOf(mine) !== x['digest'];
      });
      const names = wrong.map((x) => String(x['constituency'])).join(', ');
      return wrong.length === 0
        ? ok(undefined)
        : refuse(
            `les déchiffrements partiels du membre ${String(j)} pour ${names} ne sont pas ceux des fichiers tally/.`,
            `member ${String(j)}'s partial decryptions for ${names} are not those of the tally/ files.`,
          );
    },
    'tally.count': (p) =>
      p['pvSha256'] === digestOf(expected.results['constituencies'])
        ? ok(undefined)
        : refuse(`les PV de ${RECORD_FILES.results} ne sont pas ceux que le comptage enregistre.`, `the PVs of ${RECORD_FILES.results} are not those the count records.`),
    'tally.signature': (p, j) => {
      const published = listOf(expected.results['signatures']);
      const missing = listOf(p['signatures']).filter((x) => !published.some((q) => q['member'] === j && q['constituency'] === x['constituency'] && q['signature'] === x['signature']));
      return missing.length === 0
        ? ok(undefined)
        : refuse(`des signatures du membre ${String(j)} manquent à ${RECORD_FILES.results}.`, `signatures of member ${String(j)} are missing from ${RECORD_FILES.results}.`);
    },
    'tally.results': (p) =>
      expected.resultsSha256 !== undefined && p['resultsSha256'] === expected.resultsSha256
        ? ok(undefined)
        : refuse(`${RECORD_FILES.results} n'est pas le fichier que le journal enregistre.`, `${RECORD_FILES.results} is not the file the transcript records.`),
  };
  const rule: Rule = (e) => {
    const ordered = applyTallyEntry(state, e, def, basis);
    if (!ordered.ok) return ordered;
    const check = files[e.type];
    return check === undefined ? ok(undefined) : check(objectOf(e.payload), memberOfActor(e.actor));
  };
  return { rule, phase: () => state.phase };
}

/** The key-ceremony entries of a replay, as the tally's actor keys read them (unreadable lines left out). */
function keyCeremonyEntries(replay: TranscriptReplay): TranscriptEntry[] {
  return replay.entries.flatMap((e) =>
    e.seq === null || e.type === null || e.actor === null || e.time === null ? [] : [{ seq: e.seq, prev: '', time: e.time, actor: e.actor, type: e.type, payload: e.payload, signature: '' }],
  );
}

/** Replays `tally.jsonl` of the record `dir`, given its key ceremony's replay (for the head and members' keys). */
async function replayTally(dir: string, def: ElectionDefinition, keyCeremony: TranscriptReplay): Promise<Result<TranscriptReplay>> {
  const text = await readFile(join(dir, RECORD_FILES.tallyTranscript), 'utf8').catch(() => undefined);
  if (text === undefined) {
    return fail('audit.no-transcript', `Aucun journal de dépouillement (${RECORD_FILES.tallyTranscript}) dans ${dir}.`, `No tally transcript (${RECORD_FILES.tallyTranscript}) in ${dir}.`, dir);
  }
  const expected = await expectedFromFiles(dir, def);
  const entries = keyCeremonyEntries(keyCeremony);
  const members = { identityKeys: enrolledIdentityKeys(def, entries), boardHolders: boardHoldersIn(def, entries) };
  const { rule, phase } = tallyRule(def, keyCeremony.head, expected, boardGroupOf(def, keyCeremony), members);
  return ok(replayWith(def, text, 'tally', { folder: dir, file: RECORD_FILES.tallyTranscript }, { keys: tallyActorKeys(def, entries), rule, phase }));
}

/** The tally transcript of the election record `dir`: its key ceremony is replayed first (head, keys). */
export async function replayRecordTally(dir: string): Promise<Result<TranscriptReplay>> {
  const keyCeremony = await replayFolder(dir);
  if (!keyCeremony.ok) return keyCeremony;
  if (keyCeremony.value.kind !== 'election-record') {
    return fail(
      'audit.not-record',
      `${dir} est un dossier de cérémonie, pas un registre d'élection\u00a0: il n'a pas de journal de dépouillement.`,
      `${dir} is a ceremony folder, not an election record: it has no tally transcript.`,
      dir,
    );
  }
  const def = parseDefinitionText(await readFile(join(dir, RECORD_FILES.definition), 'utf8'));
  if (!def.ok) return def;
  return replayTally(dir, def.value, keyCeremony.value);
}
