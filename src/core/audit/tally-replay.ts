/**
 * Replay of an election record's tally transcript (`tally.jsonl`, docs/record.md §8), entry by entry, with
 * the same link and signature checks as the key ceremony's (./replay.ts). Actors are board members: their
 * keys are the definition's, or those their first `member.enrolled` entry of the record's key-ceremony
 * transcript registered. Each entry's rule compares what it records with the record's files AS THEY
 * STAND:
 *
 *   tally.open     first; `keyCeremonyHead` = the head of `keyceremony.jsonl`; at least t members
 *                  present, of this board; the mixers among them
 *   tally.import   `urnDigest` and `ballotLines` as the urn's trailer states them, `accepted`/`rejected`
 *                  the lines of `accepted.jsonl`/`rejected.jsonl`, and their SHA-256
 *   tally.shuffle  by a mixer; `digest` = SHA-256(canonical JSON of `tally/<c>.json` shuffles[round − 1])
 *   tally.partial  by a member present; `digest` = SHA-256(canonical JSON of that member's partial in `tally/<c>.json`)
 *   tally.results  `resultsSha256` = SHA-256 of the bytes of `results.json`
 *
 * Whether the shuffles, decryptions and counts themselves hold is the verifier's (Verify, docs/audit.md §4).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../common/canonical-json.js';
import { fromHex, toHex } from '../common/bytes.js';
import { catchInput, fail, ok, type Result } from '../common/result.js';
import type { ElectionDefinition } from '../election/definition.js';
import { fileSha256, RECORD_FILES, tallyFile } from '../election/record.js';
import type { ActorKeys } from '../transcript/transcript.js';
import { replayFolder, replayWith, type Rule } from './replay.js';
import { parseDefinitionText } from '../election/definition.js';
import type { TranscriptReplay } from './types.js';

const digestOf = (value: unknown): string => {
  const text = catchInput(() => canonicalJson(value));
  return text.ok ? toHex(sha256(new TextEncoder().encode(text.value))) : '';
};

function objectOf(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Lines (non-empty) of a JSON Lines file, and its last line, streamed. */
async function lineCount(path: string): Promise<{ count: number; last: string | undefined } | undefined> {
  try {
    const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    let count = 0;
    let last: string | undefined;
    for await (const line of rl) {
      if (line === '') continue;
      count++;
      last = line;
    }
    return { count, last };
  } catch {
    return undefined;
  }
}

/** What the tally entries must record, computed from the record's files as they stand. */
interface Expected {
  readonly import: Record<string, unknown>;
  readonly resultsSha256: string | undefined;
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
  const accepted = await lineCount(join(dir, RECORD_FILES.accepted));
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
      ballotLines: trailer['ballots'],
      accepted: accepted?.count,
      rejected: rejected?.count,
      acceptedSha256: await sha(RECORD_FILES.accepted),
      rejectedSha256: await sha(RECORD_FILES.rejected),
    },
    resultsSha256: results === undefined ? undefined : toHex(sha256(results)),
    tallies,
  };
}

const memberOf = (actor: string): number | undefined => {
  const m = /^member:([1-9][0-9]{0,2})$/.exec(actor);
  return m === null ? undefined : Number(m[1]);
};

function tallyRule(def: ElectionDefinition, keyCeremonyHead: string, expected: Expected): { rule: Rule; phase: () => string } {
  let present: number[] | undefined;
  let mixers: number[] = [];
  let last = 'opening';
  const refuse = (fr: string, en: string): Result<void> => fail('tally.entry', fr, en);
  const rule: Rule = (e) => {
    const p = objectOf(e.payload);
    const j = memberOf(e.actor);
    if (e.type === 'tally.open') {
      if (present !== undefined || e.seq !== 0) return refuse("l'ouverture du dépouillement doit être la première entrée, une seule fois.", 'the opening of the tally must be the first entry, once.');
      if (p['keyCeremonyHead'] !== keyCeremonyHead) return refuse('le dépouillement ne part pas de la tête du journal de la cérémonie des clés de ce registre.', "the tally does not start from the head of this record's key-ceremony transcript.");
      const listed = (v: unknown) => (Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 1 && x <= def.board.members.length) ? (v as number[]) : undefined);
      const who = listed(p['present']);
      const mix = listed(p['mixers']);
      if (who === undefined || new Set(who).size !== who.length || who.length < def.board.threshold) return refuse(`moins de ${def.board.threshold} membres présents du bureau.`, `fewer than ${def.board.threshold} board members present.`);
      if (mix === undefined || !mix.every((m) => who.includes(m))) return refuse('les mélangeurs ne sont pas parmi les membres présents.', 'the mixers are not among the members present.');
      if (j === undefined || !who.includes(j)) return refuse("l'auteur n'est pas un membre présent.", 'the author is not a member present.');
      present = who;
      mixers = mix;
      last = 'opened';
      return ok(undefined);
    }
    if (present === undefined) return refuse("le dépouillement n'est pas ouvert.", 'the tally is not open.');
    if (j === undefined || !present.includes(j)) return refuse("l'auteur n'est pas un membre présent.", 'the author is not a member present.');
    last = e.type;
    switch (e.type) {
      case 'tally.import': {
        const differs = Object.entries(expected.import).filter(([k, v]) => p[k] !== v).map(([k]) => k);
        return differs.length === 0 ? ok(undefined) : refuse(`l'import enregistré diffère des fichiers du registre (${differs.join(', ')}).`, `the recorded import differs from the record's files (${differs.join(', ')}).`);
      }
      case 'tally.shuffle': {
        const c = String(p['constituency']);
        const round = p['round'];
        if (!mixers.includes(j)) return refuse(`le membre ${j} n'est pas un mélangeur.`, `member ${j} is not a mixer.`);
        const shuffles = expected.tallies.get(c)?.['shuffles'];
        const shuffle = Array.isArray(shuffles) && typeof round === 'number' ? shuffles[round - 1] : undefined;
        return shuffle !== undefined && digestOf(shuffle) === p['digest'] ? ok(undefined) : refuse(`le mélange ${String(round)} de ${c} n'est pas celui de ${tallyFile(c)}.`, `shuffle ${String(round)} of ${c} is not the one in ${tallyFile(c)}.`);
      }
      case 'tally.partial': {
        const c = String(p['constituency']);
        const partials = expected.tallies.get(c)?.['partials'];
        const mine = Array.isArray(partials) ? partials.find((x) => objectOf(x)['member'] === j) : undefined;
        return mine !== undefined && digestOf(mine) === p['digest'] ? ok(undefined) : refuse(`le déchiffrement partiel du membre ${j} pour ${c} n'est pas celui de ${tallyFile(c)}.`, `member ${j}'s partial decryption for ${c} is not the one in ${tallyFile(c)}.`);
      }
      case 'tally.results':
        return expected.resultsSha256 !== undefined && p['resultsSha256'] === expected.resultsSha256 ? ok(undefined) : refuse(`${RECORD_FILES.results} n'est pas le fichier que le journal enregistre.`, `${RECORD_FILES.results} is not the file the transcript records.`);
      default:
        return refuse("type d'entrée inattendu dans le journal du dépouillement.", 'unexpected entry type in the tally transcript.');
    }
  };
  return { rule, phase: () => last };
}

/** Members' keys: the definition's, else those of their first enrolment in the key-ceremony transcript. */
function memberKeysOf(def: ElectionDefinition, keyCeremony: readonly { type: string | null; actor: string | null; payload: unknown }[]): ActorKeys {
  const enrolled = new Map<number, string>();
  for (const e of keyCeremony) {
    const j = e.actor === null ? undefined : memberOf(e.actor);
    const key = objectOf(e.payload)['identityKey'];
    if (e.type === 'member.enrolled' && j !== undefined && !enrolled.has(j) && typeof key === 'string' && /^[0-9a-f]{64}$/.test(key)) enrolled.set(j, key);
  }
  return (actor) => {
    const j = memberOf(actor);
    if (j === undefined || j > def.board.members.length) return undefined;
    const hex = def.board.members[j - 1]!.identityKey ?? enrolled.get(j);
    return hex === undefined ? undefined : fromHex(hex);
  };
}

/** Replays `tally.jsonl` of the record `dir`, given its key ceremony's replay (for the head and members' keys). */
export async function replayTally(dir: string, def: ElectionDefinition, keyCeremony: TranscriptReplay): Promise<Result<TranscriptReplay>> {
  const text = await readFile(join(dir, RECORD_FILES.tallyTranscript), 'utf8').catch(() => undefined);
  if (text === undefined) {
    return fail('audit.no-transcript', `Aucun journal de dépouillement (${RECORD_FILES.tallyTranscript}) dans ${dir}.`, `No tally transcript (${RECORD_FILES.tallyTranscript}) in ${dir}.`, dir);
  }
  const expected = await expectedFromFiles(dir, def);
  const { rule, phase } = tallyRule(def, keyCeremony.head, expected);
  return ok(replayWith(def, text, 'tally', { folder: dir, file: RECORD_FILES.tallyTranscript }, { keys: memberKeysOf(def, keyCeremony.entries), rule, phase }));
}

/** The tally transcript of the election record `dir`: its key ceremony is replayed first (head, keys). */
export async function replayRecordTally(dir: string): Promise<Result<TranscriptReplay>> {
  const keyCeremony = await replayFolder(dir);
  if (!keyCeremony.ok) return keyCeremony;
  if (keyCeremony.value.kind !== 'election-record') {
    return fail('audit.not-record', `${dir} est un dossier de cérémonie, pas un registre d'élection : il n'a pas de journal de dépouillement.`, `${dir} is a ceremony folder, not an election record: it has no tally transcript.`, dir);
  }
  const def = parseDefinitionText(await readFile(join(dir, RECORD_FILES.definition), 'utf8'));
  if (!def.ok) return def;
  return replayTally(dir, def.value, keyCeremony.value);
}
