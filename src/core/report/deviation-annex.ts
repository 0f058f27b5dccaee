/**
 * The deviation annex (docs/results.md §1 "The annex"): every irregularity a ceremony's transcript
 * records, as sentences a president reads aloud, French and English. When (the entry's time as a French
 * PV writes it), who (the member's name and number from the definition), what happened in words, and
 * why (the refusal's own message). The codes, entry numbers and machine names go on a separate line of
 * details only: a president reads the sentence, an auditor the details.
 *
 * Read from the raw entries, not from a ceremony's fold, so that the key-ceremony report, each PV and the
 * summary say the same thing of the same transcript. Each payload is read defensively (a field of the
 * wrong form reads as missing): the annex never fails, it says less.
 */
import { onDate, type DateLang } from '../common/dates.js';
import { agree } from '../common/plural.js';
import type { TranscriptEntry } from '../transcript/transcript.js';

export type Bilingual = { readonly fr: string; readonly en: string };

/** One recorded irregularity. */
export interface AnnexItem {
  readonly seq: number;
  /** The entry's time, as the record holds it (UTC). */
  readonly time: string;
  /** The sentence a president reads aloud: when, who, what, why. No code in it. */
  readonly sentence: Bilingual;
  /** The small print for audit: entry number, code, machine. */
  readonly details: string;
}

/** A board's members by number and name: the definition's, or every member a record's chain names (`chainNames`). */
export type BoardNames = readonly { readonly index: number; readonly name: string }[];

export const NO_DEVIATION: Bilingual = { fr: 'Aucun écart.', en: 'No deviation.' };

// ------------------------------------------------------------------ reading payloads defensively

type Fields = Record<string, unknown>;
const fields = (v: unknown): Fields => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Fields) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const bilingual = (v: unknown): Bilingual | undefined => {
  const m = fields(v);
  const [fr, en] = [str(m['fr']), str(m['en'])];
  return fr === undefined || en === undefined ? undefined : { fr, en };
};

/**
 * Every member a record's chain names, by number: the boards given first (the current board, then the
 * definition's), then each redistribution's new board as its `redistribution.opened` entry names it (a member
 * who joined at one redistribution and left at a later one). Member numbers are never reused and a
 * continuing member keeps their name (docs/redistribution.md §1 and §15.2), so each number has one name.
 */
export function chainNames(boards: readonly BoardNames[], redistributions: readonly (readonly TranscriptEntry[])[]): BoardNames {
  const opened = redistributions.flatMap((entries) =>
    entries
      .filter((e) => e.type === 'redistribution.opened')
      .flatMap((e) =>
        list(fields(e.payload)['members']).flatMap((m) => {
          const [index, name] = [int(fields(m)['index']), str(fields(m)['name'])];
          return index === undefined || name === undefined ? [] : [{ index, name }];
        }),
      ),
  );
  const byNumber = new Map<number, string>();
  for (const m of [...boards.flat(), ...opened]) if (!byNumber.has(m.index)) byNumber.set(m.index, m.name);
  return [...byNumber].map(([index, name]) => ({ index, name })).sort((a, b) => a.index - b.index);
}

// ------------------------------------------------------------------ words

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
/** A reason as a sentence: trimmed, ending with its punctuation. */
const closed = (s: string): string => {
  const t = s.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
};

/** "Claire Dupont (membre n° 2)" / "Claire Dupont (member no. 2)"; a number the board lacks: "le membre n° 7". */
function memberWords(board: BoardNames, j: number): Bilingual {
  const m = board.find((x) => x.index === j);
  if (m === undefined) return { fr: `le membre n° ${j}`, en: `member no. ${j}` };
  return { fr: `${m.name} (membre n° ${j})`, en: `${m.name} (member no. ${j})` };
}

/** "A, B et C" / "A, B and C". */
function joined(items: readonly string[], lang: DateLang): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${lang === 'fr' ? 'et' : 'and'} ${items.at(-1)!}`;
}

/** The sentence: "Le 4 décembre 2026 à 21 h 03, heure de Paris, <what>. Motif : <why>" in both languages. */
function sentence(time: string, what: Bilingual, why?: Bilingual): Bilingual {
  const say = (lang: DateLang): string => {
    const reason = why === undefined ? '' : lang === 'fr' ? ` Motif\u00a0: ${closed(why.fr)}` : ` Reason: ${closed(why.en)}`;
    return `${cap(onDate(time, lang))}, ${what[lang]}.${reason}`;
  };
  return { fr: say('fr'), en: say('en') };
}

const details = (e: TranscriptEntry, ...more: (string | undefined)[]): string => [`entrée / entry ${e.seq}`, ...more.filter((x): x is string => x !== undefined && x !== ''), e.actor].join(' · ');

// ------------------------------------------------------------------ deviations (key ceremony and tally)

/**
 * A board share that could not be made (`tally.board-nonces`: the member's nonces lost, the president restarted
 * the signature) is no fault of the member's: the signature starts again with them.
 */
function boardShareNotMade(who: Bilingual | null): Bilingual {
  return who === null
    ? {
        fr: 'une part de signature du bureau n’a pas pu être faite (nonces perdus)\u00a0; la signature reprend à sa première étape',
        en: 'a share of the board signature could not be made (nonces lost); the signature starts again at its first step',
      }
    : {
        fr: `la part de signature du bureau de ${who.fr} n’a pas pu être faite (ses nonces, scellés dans son jeton, sont perdus)\u00a0; la signature reprend avec ce membre`,
        en: `the share of the board signature of ${who.en} could not be made (their nonces, sealed in their token, are lost); the signature starts again with this member`,
      };
}

/** What happened, per kind of deviation (key-ceremony.md §4.3, tally-ceremony.md §4), for a member or none; `code` is the deviation's failure code. */
function deviationWhat(kind: string, who: Bilingual | null, code?: string): Bilingual {
  if (kind === 'board-share-refused' && code === 'tally.board-nonces') return boardShareNotMade(who);
  switch (kind) {
    case 'import-refused':
      return { fr: 'l’urne a été refusée en entier et aucun bulletin n’a été importé', en: 'the urn was refused as a whole and no ballot was imported' };
    case 'token-refused':
      return who === null ? { fr: 'un jeton a été refusé', en: 'a token was refused' } : { fr: `le jeton présenté pour ${who.fr} a été refusé`, en: `the token presented for ${who.en} was refused` };
    case 'decryption-refused':
      return who === null
        ? { fr: 'un déchiffrement a été refusé', en: 'a decryption was refused' }
        : { fr: `le déchiffrement demandé pour ${who.fr} a été refusé`, en: `the decryption asked for ${who.en} was refused` };
    case 'signature-refused':
      return who === null
        ? { fr: 'une signature des procès-verbaux a été refusée', en: 'a signing of the PVs was refused' }
        : { fr: `la signature des procès-verbaux demandée pour ${who.fr} a été refusée`, en: `the signing of the PVs asked for ${who.en} was refused` };
    case 'board-share-refused':
      return who === null
        ? { fr: 'une part de la signature du bureau a été refusée', en: 'a share of the board signature was refused' }
        : {
            fr: `la part de la signature du bureau donnée par ${who.fr} a été refusée (elle ne passe pas la vérification\u00a0; le journal la garde, signée par ce membre)\u00a0; la signature a repris sans ce membre`,
            en: `the share of the board signature given by ${who.en} was refused (it fails its check; the transcript keeps it, signed by this member); the signature started again without this member`,
          };
    case 'board-signature-abandoned':
      return {
        fr: 'le président a décidé de clore le dépouillement sans la signature du bureau\u00a0; les procès-verbaux ne portent que les signatures des membres et se vérifient avec le registre, non avec la seule clé du bureau',
        en: "the president decided to close the tally without the board's signature; the PVs carry the members' signatures only and are checked against the record, not against the board key alone",
      };
    case 'operation-refused':
      return who === null
        ? { fr: 'une étape touchant aux clés a été refusée', en: 'a step touching the keys was refused' }
        : { fr: `l’étape demandée pour ${who.fr} a été refusée`, en: `the step asked for ${who.en} was refused` };
    case 'answer-refused':
      return who === null
        ? {
            fr: 'une réponse apportée d’un poste de membre, sans signature valable d’un membre, a été refusée',
            en: 'an answer brought from a member’s station, with no valid member’s signature, was refused',
          }
        : { fr: `une réponse signée par ${who.fr}, apportée de son poste, a été refusée`, en: `an answer signed by ${who.en}, brought from their station, was refused` };
    default:
      return who === null ? { fr: 'un écart a été consigné', en: 'a deviation was recorded' } : { fr: `un écart a été consigné pour ${who.fr}`, en: `a deviation was recorded for ${who.en}` };
  }
}

function deviationItem(e: TranscriptEntry, board: BoardNames): AnnexItem {
  const p = fields(e.payload);
  const kind = str(p['kind']) ?? '?';
  const j = int(p['member']);
  const who = j === undefined ? null : memberWords(board, j);
  return { seq: e.seq, time: e.time, sentence: sentence(e.time, deviationWhat(kind, who, str(p['code'])), bilingual(p['message'])), details: details(e, kind, str(p['code'])) };
}

// ------------------------------------------------------------------ sessions run connected or under the override

/** A session announcement that is an irregularity: connected, or under the rehearsal override. */
function irregularSession(payload: unknown): { connected: readonly string[] | null; override: { reason: string; authorisedBy: string } | null } | null {
  const p = fields(payload);
  const network = fields(p['network']);
  const offline = network['offline'] !== false;
  const o = fields(p['override']);
  const [reason, authorisedBy] = [str(o['reason']), str(o['authorisedBy'])];
  const override = reason !== undefined && authorisedBy !== undefined ? { reason, authorisedBy } : null;
  if (offline && override === null) return null;
  return { connected: offline ? null : list(network['connected']).filter((x): x is string => typeof x === 'string'), override };
}

/** "connecté à un réseau (eth0, wlan0)" / "connected to a network (eth0, wlan0)". */
function connectedWords(names: readonly string[]): Bilingual {
  const which = names.length === 0 ? '' : ` (${names.join(', ')})`;
  return { fr: `connecté à un réseau${which}`, en: `connected to a network${which}` };
}

/** What the session was: its subject, then connected or not, then under the override or without it. */
function sessionWhat(s: NonNullable<ReturnType<typeof irregularSession>>, subject: Bilingual, onStation: boolean): Bilingual {
  const parts = { fr: [subject.fr], en: [subject.en] };
  if (s.connected !== null) {
    const c = connectedWords(s.connected);
    parts.fr.push(`${onStation ? 'alors que ce poste était' : 'alors qu’il était'} ${c.fr}`);
    parts.en.push(`${onStation ? 'while that station was' : 'while'} ${c.en}`);
  }
  if (s.override === null) {
    parts.fr.push('sans dérogation de répétition');
    parts.en.push('without a rehearsal override');
  } else {
    parts.fr.push(`sous la dérogation de répétition du contrôle hors ligne («\u00a0${s.override.reason}\u00a0», autorisée par ${s.override.authorisedBy})`);
    parts.en.push(`under the rehearsal override of the offline check ("${s.override.reason}", authorised by ${s.override.authorisedBy})`);
  }
  return { fr: parts.fr.join(', '), en: parts.en.join(', ') };
}

function sessionItem(e: TranscriptEntry): AnnexItem | null {
  const s = irregularSession(e.payload);
  if (s === null) return null;
  const what = sessionWhat(s, { fr: 'un poste de travail a ouvert une session', en: 'a workstation opened a session' }, false);
  return { seq: e.seq, time: e.time, sentence: sentence(e.time, what), details: details(e, 'workstation.session') };
}

/** The *j* of a `member:<j>` actor. */
function actorMember(actor: string): number | undefined {
  const m = /^member:([1-9][0-9]{0,2})$/.exec(actor);
  return m === null ? undefined : Number(m[1]);
}

/** A member's step made on their own station that ran connected or under the override (formats.md §3.3). */
function stationItem(e: TranscriptEntry, board: BoardNames, seen: Set<string>): AnnexItem | null {
  const session = fields(fields(fields(e.payload)['station'])['session']);
  const key = str(session['publicKey']);
  // A shuffle mixed on a station names its member by its actor only (tally-ceremony.md §4).
  const j = int(fields(e.payload)['member']) ?? actorMember(e.actor);
  const s = irregularSession(session);
  if (key === undefined || j === undefined || s === null || seen.has(key)) return null;
  seen.add(key);
  const who = memberWords(board, j);
  // The entry's time is the station's clock when the member signed there (formats.md §3.3).
  const what = sessionWhat(s, { fr: `${who.fr} a fait une étape sur son propre poste`, en: `${who.en} did a step on their own station` }, true);
  return { seq: e.seq, time: e.time, sentence: sentence(e.time, what), details: details(e, `station:${key.slice(0, 16)}`) };
}

// ------------------------------------------------------------------ the key generation's complaints and disqualifications

const FINDING: Record<string, Bilingual> = {
  invalid: { fr: 'est fausse', en: 'is wrong' },
  undecryptable: { fr: 'ne se déchiffre pas', en: 'cannot be decrypted' },
};

/** Each complaint a member filed when checking their shares (key-ceremony.md §4.2). */
function complaintItems(e: TranscriptEntry, board: BoardNames): AnnexItem[] {
  const p = fields(e.payload);
  const findings = list(p['findings']).map(fields);
  return list(p['complaints']).flatMap((c) => {
    const [by, against] = [int(fields(c)['complainant']) ?? int(p['member']), int(fields(c)['accused'])];
    if (by === undefined || against === undefined) return [];
    const [a, b] = [memberWords(board, by), memberWords(board, against)];
    const status = str(findings.find((f) => f['dealer'] === against)?.['status']);
    const finding = status === undefined ? undefined : FINDING[status];
    const what = {
      fr: `${a.fr} a déposé une plainte contre ${b.fr}${finding === undefined ? '' : `\u00a0: la part de clé que ce membre lui a transmise ${finding.fr}`}`,
      en: `${a.en} filed a complaint against ${b.en}${finding === undefined ? '' : `: the key share that member dealt them ${finding.en}`}`,
    };
    return [{ seq: e.seq, time: e.time, sentence: sentence(e.time, what), details: details(e, 'dkg.checked', status) }];
  });
}

/**
 * Each complaint a member filed at sealing about a box of the board signing key (key-ceremony.md §4.4); its
 * verdict, which the box settles, is printed in the report's section on the board key.
 */
function boardComplaintItems(e: TranscriptEntry, board: BoardNames): AnnexItem[] {
  const p = fields(e.payload);
  const by = int(p['member']);
  if (by === undefined) return [];
  return list(fields(p['board'])['complaints']).flatMap((c) => {
    const against = int(fields(c)['dealer']);
    if (against === undefined) return [];
    const [a, b] = [memberWords(board, by), memberWords(board, against)];
    const what = {
      fr: `${a.fr} a déposé une plainte contre ${b.fr}\u00a0: la part de la clé de signature du bureau que ce membre lui a transmise ne s’ouvre pas ou ne correspond pas à ses engagements`,
      en: `${a.en} filed a complaint against ${b.en}: the board signing key's share that member dealt them does not open or does not match their commitments`,
    };
    return [{ seq: e.seq, time: e.time, sentence: sentence(e.time, what), details: details(e, 'member.share-sealed') }];
  });
}

const VERDICT: Record<string, Bilingual> = {
  upheld: { fr: 'retenue', en: 'upheld' },
  rejected: { fr: 'rejetée', en: 'rejected' },
  moot: { fr: 'sans objet', en: 'moot' },
};

/** The key generation's result: each complaint's verdict and each member it disqualifies, with the reasons. */
function resultItems(e: TranscriptEntry, board: BoardNames): AnnexItem[] {
  const r = fields(fields(e.payload)['result']);
  const RESULT = { fr: 'le résultat de la génération de la clé', en: 'the result of the key generation' };
  const verdicts = list(r['complaints']).flatMap((v): AnnexItem[] => {
    const c = fields(v);
    const by = int(c['complainant']);
    if (by === undefined) return [];
    const [a, accused] = [memberWords(board, by), int(c['accused'])];
    const b = accused === undefined ? null : memberWords(board, accused);
    const verdict = VERDICT[str(c['verdict']) ?? ''] ?? { fr: 'jugée', en: 'judged' };
    const what = {
      fr: `${RESULT.fr} juge la plainte déposée par ${a.fr}${b === null ? '' : ` contre ${b.fr}`}\u00a0: ${verdict.fr}`,
      en: `${RESULT.en} rules on the complaint filed by ${a.en}${b === null ? '' : ` against ${b.en}`}: ${verdict.en}`,
    };
    return [{ seq: e.seq, time: e.time, sentence: sentence(e.time, what, bilingual(c['message'])), details: details(e, 'dkg.result', str(c['code'])) }];
  });
  const disqualified = list(r['disqualified']).flatMap((d): AnnexItem[] => {
    const j = int(fields(d)['member']);
    if (j === undefined) return [];
    const reasons = list(fields(d)['reasons']).map(fields);
    const messages = reasons.map((x) => bilingual(x['message'])).filter((m): m is Bilingual => m !== undefined);
    const why = messages.length === 0 ? undefined : { fr: messages.map((m) => closed(m.fr)).join(' '), en: messages.map((m) => closed(m.en)).join(' ') };
    const who = memberWords(board, j);
    const what = { fr: `${RESULT.fr} disqualifie ${who.fr}, qui ne détient aucune part de la clé`, en: `${RESULT.en} disqualifies ${who.en}, who holds no share of the key` };
    return [{ seq: e.seq, time: e.time, sentence: sentence(e.time, what, why), details: details(e, 'dkg.result', reasons.map((x) => str(x['code']) ?? '?').join(', ')) }];
  });
  return [...verdicts, ...disqualified];
}

/** Round 1 closed by the president before every member contributed (key-ceremony.md §1, step 3a'). */
function round1ClosedItem(e: TranscriptEntry, board: BoardNames): AnnexItem {
  const p = fields(e.payload);
  const absent = list(p['absent']).flatMap((x) => (int(x) === undefined ? [] : [int(x)!]));
  const names = absent.map((j) => memberWords(board, j));
  const n = names.length;
  const what = {
    fr: `la présidence a clos le premier tour avant son terme, sans la contribution ${agree(n, 'fr', 'du membre absent', 'des membres absents')}\u00a0: ${joined(
      names.map((x) => x.fr),
      'fr',
    )}`,
    en: `the president closed the first round early, without the contribution of the absent ${agree(n, 'en', 'member', 'members')}: ${joined(
      names.map((x) => x.en),
      'en',
    )}`,
  };
  const reason = str(p['reason']);
  const why = reason === undefined ? undefined : { fr: `«\u00a0${reason}\u00a0»`, en: `"${reason}"` };
  return { seq: e.seq, time: e.time, sentence: sentence(e.time, what, why), details: details(e, 'dkg.round1-closed') };
}

// ------------------------------------------------------------------ the annex

/**
 * Every irregularity a ceremony's transcript records, in the order recorded: its deviations, its sessions
 * run connected or under the rehearsal override (the workstation's and the members' stations'), and, at a
 * key ceremony, round 1 closed early, the complaints filed and the result's verdicts and disqualifications.
 */
export function deviationAnnex(entries: readonly TranscriptEntry[], board: BoardNames): AnnexItem[] {
  const stations = new Set<string>();
  return entries.flatMap((e): AnnexItem[] => {
    const station = stationItem(e, board, stations);
    const own = entryItems(e, board);
    return station === null ? own : [station, ...own];
  });
}

function entryItems(e: TranscriptEntry, board: BoardNames): AnnexItem[] {
  switch (e.type) {
    case 'deviation':
    case 'tally.deviation':
      return [deviationItem(e, board)];
    case 'workstation.session': {
      const s = sessionItem(e);
      return s === null ? [] : [s];
    }
    case 'dkg.round1-closed':
      return [round1ClosedItem(e, board)];
    case 'dkg.checked':
      return complaintItems(e, board);
    case 'dkg.result':
      return resultItems(e, board);
    case 'member.share-sealed':
      return boardComplaintItems(e, board);
    default:
      return [];
  }
}
