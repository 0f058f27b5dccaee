/**
 * Replay of a ceremony transcript, entry by entry, for auditors (docs/audit.md §3). Unlike
 * `verifyTranscriptText`, which stops at the first broken entry, the replay checks EVERY line of the
 * file as it stands and keeps each entry's checks:
 *
 *   link       seq follows the previous entry's, and prev = hash(previous line as it stands)
 *              (fp for the first)                                            (docs/formats.md §3.1)
 *   signature  Ed25519 of the actor's key, keys learned in order as docs/key-ceremony.md §3 says
 *   rule       the ceremony's rule for this entry: `applyEntry` of the key ceremony's fold
 *              (docs/key-ceremony.md §5) for a ceremony folder; the election record's key-ceremony
 *              rules (docs/record.md §2) for a record
 *
 * An altered entry fails its signature (its bytes are no longer those signed); the next entry's link
 * then fails too, as a CONSEQUENCE: that entry's verdict is `follows-failure`, not `failed`, so exactly
 * the altered entry is named as failing. An entry whose own checks fail is `failed`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { judgeComplaint, readContributions, readRound1 } from '../crypto/dkg/index.js';
import { toHex } from '../common/bytes.js';
import { InputError, ok, type Failure, type Result } from '../common/result.js';
import { ceremonyActorKeys } from '../ceremony/key/actors.js';
import { FILES } from '../ceremony/key/ceremony.js';
import { verifyKeyCeremonyFolder } from '../ceremony/key/verify.js';
import { applyEntry, dkgParams, encryptionKeys, initialState, type KeyCeremonyState } from '../ceremony/key/state.js';
import type { SessionPayload } from '../ceremony/workstation.js';
import { definitionFingerprint, parseDefinitionText, type ElectionDefinition } from '../election/definition.js';
import { RECORD_FILES } from '../election/record.js';
import { entryHash, entryOfLine, entrySignatureValid, memberOfActor, stationOf, type ActorKeys, type TranscriptEntry } from '../transcript/transcript.js';
import { describeEntry } from './describe.js';
import { AUDIT_FAILURES, fail, type AuditFailureCode } from './failures.js';
import type { EntryCheck, EntryVerdict, ReplayedEntry, ReplayedSession, ReplayKind, TranscriptReplay } from './types.js';

export type { EntryCheck, EntryVerdict, ReplayedEntry, ReplayedSession, ReplayKind, TranscriptReplay } from './types.js';

function failure(code: AuditFailureCode, line: number, where: string, fr: string, en: string): Failure {
  return AUDIT_FAILURES.failure(code, `Ligne ${line}\u00a0: ${fr}`, `Line ${line}: ${en}`, where);
}

/** One entry's ceremony rule, applied to a state the replay folds along. */
export type Rule = (e: TranscriptEntry) => Result<void>;

function keyCeremonyRule(def: ElectionDefinition, state: KeyCeremonyState): Rule {
  // The fold checks each payload against its form (ceremony/key/payloads.ts): an exception is a bug, not data.
  return (e) => applyEntry(state, e, def);
}

function sessionOf(e: TranscriptEntry, verdict: EntryVerdict): ReplayedSession | undefined {
  const p = e.payload as Partial<SessionPayload> | null;
  if (typeof p !== 'object' || p === null) return undefined;
  return {
    seq: e.seq,
    actor: e.actor,
    version: String(p.version ?? '?'),
    platform: String(p.platform ?? '?'),
    transport: String(p.transport ?? '?'),
    software: { digest: String(p.software?.digest ?? '?'), fileCount: Number(p.software?.fileCount ?? 0) },
    offline: p.network?.offline === true,
    connected: Array.isArray(p.network?.connected) ? p.network.connected.map(String) : [],
    override: p.override ? { reason: String(p.override.reason), authorisedBy: String(p.override.authorisedBy) } : null,
    verdict,
  };
}

/** Replays a transcript's text against its election definition. Pure. */
function replayTranscriptText(def: ElectionDefinition, text: string, kind: Exclude<ReplayKind, 'tally'>, source: { folder: string; file: string }): TranscriptReplay {
  const state = initialState(def, definitionFingerprint(def));
  // A record's key-ceremony transcript is the ceremony folder's, byte for byte (docs/record.md §2): same rules.
  const rule = keyCeremonyRule(def, state);
  return replayWith(def, text, kind, source, { keys: ceremonyActorKeys(def), rule, state, phase: () => state.phase });
}

/** What a kind of transcript brings to the replay: how actors' keys are learned, its rule, its phase. */
interface ReplayRules {
  readonly keys: ActorKeys;
  readonly rule: Rule;
  /** The key ceremony's state, for the proofs its entries carry; absent for a transcript without any. */
  readonly state?: KeyCeremonyState;
  readonly phase: () => string;
}

/** The replay proper: every line, its link, its signature, its rule (and proofs). Pure. */
export function replayWith(def: ElectionDefinition, text: string, kind: ReplayKind, source: { folder: string; file: string }, rules: ReplayRules): TranscriptReplay {
  const fp = definitionFingerprint(def);
  const fpHex = toHex(fp);
  const { keys, rule, state } = rules;
  const lines = text.split('\n');
  const last = lines.pop();
  const torn = last !== undefined && last !== '';
  if (torn) lines.push(last);

  const entries: ReplayedEntry[] = [];
  const sessions: ReplayedSession[] = [];
  let previousHash: string | null = fpHex;
  const heads = new Set<string>();
  let previousSeq = -1;
  let previousVerdict: EntryVerdict = 'verified';
  let head = fpHex;
  lines.forEach((raw, i) => {
    const line = i + 1;
    const where = `${source.file}:${line}`;
    const e = entryOfLine(raw);
    const isTorn = torn && i === lines.length - 1;
    if (e === undefined || isTorn) {
      const why = isTorn
        ? failure(
            'transcript.torn',
            line,
            where,
            "ligne incomplète (écriture interrompue)\u00a0: elle n'est pas prise en compte.",
            'incomplete line (interrupted write): it is not taken into account.',
          )
        : failure('transcript.malformed', line, where, "la ligne n'est pas une entrée bien formée.", 'the line is not a well-formed entry.');
      entries.push({
        line,
        seq: null,
        time: null,
        actor: null,
        type: null,
        summary: { fr: 'Ligne illisible.', en: 'Unreadable line.' },
        hash: null,
        payload: null,
        checks: [
          { name: 'link', status: 'not-checked', failure: why },
          { name: 'signature', status: 'not-checked', failure: why },
          { name: 'rule', status: 'not-checked', failure: why },
        ],
        verdict: 'failed',
      });
      previousHash = null;
      previousSeq += 1;
      previousVerdict = 'failed';
      return;
    }

    // Link: this entry follows the previous line as it stands.
    let link: EntryCheck;
    if (e.seq !== previousSeq + 1) {
      link = {
        name: 'link',
        status: 'failed',
        failure: failure(
          'transcript.seq',
          line,
          where,
          `numéro ${e.seq} au lieu de ${previousSeq + 1} (entrée supprimée, insérée ou déplacée).`,
          `sequence number ${e.seq} instead of ${previousSeq + 1} (an entry was removed, inserted or moved).`,
        ),
      };
    } else if (previousHash === null) {
      link = {
        name: 'link',
        status: 'failed',
        failure: failure('transcript.link', line, where, 'la ligne précédente est illisible\u00a0: le lien ne peut pas être vérifié.', 'the previous line is unreadable: the link cannot be checked.'),
      };
    } else if (e.prev !== previousHash) {
      link = {
        name: 'link',
        status: 'failed',
        failure:
          i === 0
            ? failure('transcript.link', line, where, "la première entrée ne part pas de l'empreinte de l'élection.", "the first entry does not start from the election's fingerprint.")
            : failure(
                'transcript.link',
                line,
                where,
                `«\u00a0prev\u00a0» n'est pas l'empreinte de la ligne ${line - 1} telle qu'elle est\u00a0: la ligne ${line - 1} a été modifiée, ou une entrée supprimée ou insérée.`,
                `"prev" is not the hash of line ${line - 1} as it stands: line ${line - 1} was altered, or an entry removed or inserted.`,
              ),
      };
    } else link = { name: 'link', status: 'passed' };

    // Signature: by the actor's key, learned in order (key-ceremony.md §3); a station's answer names a head this chain had.
    if (previousHash !== null) heads.add(previousHash);
    let signature: EntryCheck;
    const key = keys(e.actor, e);
    if (key === undefined) {
      signature = {
        name: 'signature',
        status: 'failed',
        failure: failure(
          'transcript.actor',
          line,
          where,
          `auteur inconnu «\u00a0${e.actor}\u00a0» (aucune clé enregistrée avant cette entrée).`,
          `unknown actor "${e.actor}" (no key registered before this entry).`,
        ),
      };
    } else if (!entrySignatureValid(fp, e, key)) {
      signature = {
        name: 'signature',
        status: 'failed',
        failure: failure(
          'transcript.signature',
          line,
          where,
          `la signature de ${e.actor} ne correspond pas au contenu de l'entrée tel qu'il est (entrée modifiée, ou signée par une autre clé).`,
          `${e.actor}'s signature does not match the entry's content as it stands (the entry was altered, or signed by another key).`,
        ),
      };
    } else if (stationOf(e) !== undefined && !heads.has(stationOf(e)!.basis)) {
      signature = {
        name: 'signature',
        status: 'failed',
        failure: failure(
          'transcript.basis',
          line,
          where,
          `réponse du poste de ${e.actor} calculée sur un état que ce journal n'a jamais eu (aucune entrée précédente n'a cette empreinte).`,
          `${e.actor}'s station answer was computed against a state this transcript never had (no earlier entry has that hash).`,
        ),
      };
    } else signature = { name: 'signature', status: 'passed' };

    // Rule: the ceremony's script, on the entries as they stand.
    const applied = rule(e);
    const ruleCheck: EntryCheck = applied.ok
      ? { name: 'rule', status: 'passed' }
      : {
          name: 'rule',
          status: 'failed',
          failure: { code: applied.error.code, message: { fr: `Ligne ${line}\u00a0: ${stripPrefix(applied.error.message.fr)}`, en: `Line ${line}: ${stripPrefix(applied.error.message.en)}` }, where },
        };

    const proofs = state === undefined ? undefined : proofsCheck(state, e, applied.ok, line, where);
    // A failed proof is the member's (they are disqualified by the result, dkg.md §5), not the transcript's:
    // the entry is still the authentic record of what they published, so it does not change the verdict.
    const own = signature.status === 'failed' || ruleCheck.status === 'failed';
    const verdict: EntryVerdict = own ? 'failed' : link.status === 'failed' ? (previousVerdict === 'failed' && link.failure?.code === 'transcript.link' ? 'follows-failure' : 'failed') : 'verified';
    const hash = entryHash(fp, e);
    entries.push({
      line,
      seq: e.seq,
      time: e.time,
      actor: e.actor,
      type: e.type,
      summary: describeEntry(e),
      hash,
      payload: e.payload,
      checks: proofs ? [link, signature, ruleCheck, proofs] : [link, signature, ruleCheck],
      verdict,
    });
    if (e.type === 'workstation.session') {
      const s = sessionOf(e, verdict);
      if (s) sessions.push(s);
    }
    previousHash = hash;
    previousSeq = e.seq;
    previousVerdict = verdict;
    head = hash;
  });
  const failed = entries.filter((x) => x.verdict === 'failed').map((x) => x.line);
  return {
    kind,
    folder: source.folder,
    file: source.file,
    election: { id: def.id, title: def.title, fingerprint: fpHex },
    entries,
    head,
    ok: failed.length === 0 && entries.every((x) => x.verdict === 'verified') && !torn,
    failed,
    torn,
    sessions,
    phase: rules.phase(),
    folderChecks: null,
  };
}

/**
 * The proofs an entry carries, checked on their own: a round-1 message's (proof of knowledge of the
 * secret, ephemeral keys' proofs, dkg.md §2.3, `readRound1`) and a check's complaints (Chaum–Pedersen,
 * dkg.md §4, `judgeComplaint`). Only for an entry the rule accepted (the state then holds what they refer to).
 */
function proofsCheck(state: KeyCeremonyState, e: TranscriptEntry, accepted: boolean, line: number, where: string): EntryCheck | undefined {
  const j = memberOfActor(e.actor);
  if (!accepted || j === undefined || j > state.n) return undefined;
  const p = e.payload as Record<string, unknown>;
  try {
    if (e.type === 'dkg.round1') {
      const r = readRound1(dkgParams(state), { member: j, message: p['message'] });
      return r.ok
        ? { name: 'proofs', status: 'passed' }
        : {
            name: 'proofs',
            status: 'failed',
            failure: {
              code: r.error.code,
              message: {
                fr: `Ligne ${line}\u00a0: ${r.error.message.fr} Le membre ${j} est disqualifié par le résultat.`,
                en: `Line ${line}: ${r.error.message.en} Member ${j} is disqualified by the result.`,
              },
              where,
            },
          };
    }
    if (e.type === 'dkg.checked' && Array.isArray(p['complaints']) && p['complaints'].length > 0) {
      const contributions = readContributions(dkgParams(state), state.round1);
      const verdicts = (p['complaints'] as unknown[]).map((complaint) => judgeComplaint(dkgParams(state), encryptionKeys(state), contributions, { member: j, complaint }));
      const rejected = verdicts.find((v) => v.verdict === 'rejected');
      const note = { fr: verdicts.map((v) => v.message.fr).join(' '), en: verdicts.map((v) => v.message.en).join(' ') };
      return rejected
        ? { name: 'proofs', status: 'failed', failure: { code: rejected.code, message: { fr: `Ligne ${line}\u00a0: ${rejected.message.fr}`, en: `Line ${line}: ${rejected.message.en}` }, where } }
        : { name: 'proofs', status: 'passed', note };
    }
  } catch (e) {
    // Unreadable proofs are the DKG's refusal (an InputError); anything else is a bug and propagates.
    if (!(e instanceof InputError)) throw e;
    return { name: 'proofs', status: 'failed', failure: failure('dkg.malformed', line, where, 'preuves illisibles.', 'unreadable proofs.') };
  }
  return undefined;
}

/** The fold's messages start with "Journal, entrée k (type) : "; the replay names the line itself. */
function stripPrefix(message: string): string {
  return message.replace(/^(Journal, entrée|Transcript, entry) \d+ \([^)]*\)\u00a0?: /, '');
}

/**
 * Replays the transcript of a folder: a key-ceremony folder (`transcript.jsonl`) or an election record
 * (`keyceremony.jsonl`), each with its `election.json`.
 */
export async function replayFolder(folder: string): Promise<Result<TranscriptReplay>> {
  const read = (name: string) => readFile(join(folder, name), 'utf8').catch(() => undefined);
  const defText = await read(FILES.definition);
  if (defText === undefined) {
    return fail('audit.no-definition', `Aucune définition d'élection (${FILES.definition}) dans ${folder}.`, `No election definition (${FILES.definition}) in ${folder}.`, folder);
  }
  const def = parseDefinitionText(defText);
  if (!def.ok) return def;
  const ceremony = await read(FILES.transcript);
  if (ceremony !== undefined) {
    const replay = replayTranscriptText(def.value, ceremony, 'key-ceremony', { folder, file: FILES.transcript });
    const report = await verifyKeyCeremonyFolder(folder);
    return ok({ ...replay, folderChecks: { ok: report.ok, checks: report.checks, failures: report.failures } });
  }
  const record = await read(RECORD_FILES.keyCeremony);
  if (record !== undefined) return ok(replayTranscriptText(def.value, record, 'election-record', { folder, file: RECORD_FILES.keyCeremony }));
  return fail(
    'audit.no-transcript',
    `Aucun journal dans ${folder}\u00a0: ni ${FILES.transcript} (dossier de cérémonie) ni ${RECORD_FILES.keyCeremony} (registre d'élection).`,
    `No transcript in ${folder}: neither ${FILES.transcript} (ceremony folder) nor ${RECORD_FILES.keyCeremony} (election record).`,
    folder,
  );
}
