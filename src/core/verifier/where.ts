/**
 * Where each step ran (docs/stations.md §6), read from the transcripts of a record: each member's
 * secret step on the workstation (one-machine mode: that machine was trusted for secrecy) or on a
 * station of their own (its session key named), and each shuffle on the workstation or on a member's
 * station. Pure: the entries are taken as the verifier found them (their signatures are checked apart).
 */
import type { TranscriptEntry } from './transcript.js';
import { memberOfActor, stationOf } from './transcript.js';
import type { StepsWhere } from './report.js';
import { countEn, countFr } from '../common/plural.js';

/** The entries that use a member's secret (their token): the key ceremony's, the redistributions' (old and new tokens) and the tally's. */
const MEMBER_SECRET_STEPS = new Set([
  'member.enrolled',
  'dkg.round1',
  'dkg.checked',
  'member.share-sealed',
  'member.confirmed',
  'redistribution.dealt',
  'redistribution.checked',
  'member.token-destroyed',
  'tally.decryption',
  'tally.signature',
  'tally.board-commitments',
  'tally.board-share',
]);

/** The member an actor names: `member:<j>`, or at a redistribution an old member `former:<i>` (redistribution.md §15.3). */
function memberNamed(actor: string): number | undefined {
  const former = /^former:([1-9][0-9]{0,2})$/.exec(actor);
  return former === null ? memberOfActor(actor) : Number(former[1]);
}

/** `station:` and the first 16 hex digits of the station session's key, or null for the workstation. */
function stationName(e: TranscriptEntry): string | null {
  const key = (stationOf(e) as { session?: { publicKey?: unknown } } | null | undefined)?.session?.publicKey;
  return typeof key === 'string' ? `station:${key.slice(0, 16)}` : null;
}

/** The rehearsal override a `workstation.session` entry records, if any (key-ceremony.md §4.1 `override`). */
function overrideOf(e: TranscriptEntry): { reason: string; authorisedBy: string } | undefined {
  if (e.type !== 'workstation.session' || typeof e.payload !== 'object' || e.payload === null) return undefined;
  const o = (e.payload as { override?: unknown }).override as { reason?: unknown; authorisedBy?: unknown } | null | undefined;
  return typeof o === 'object' && o !== null && typeof o.reason === 'string' && typeof o.authorisedBy === 'string' ? { reason: o.reason, authorisedBy: o.authorisedBy } : undefined;
}

export function whereStepsRan(keyCeremony: readonly TranscriptEntry[], tally: readonly TranscriptEntry[], redistributions: readonly (readonly TranscriptEntry[])[] = []): StepsWhere {
  const memberSteps: StepsWhere['memberSteps'][number][] = [];
  const shuffles: StepsWhere['shuffles'][number][] = [];
  const rehearsals: StepsWhere['rehearsals'][number][] = [];
  type Ceremony = StepsWhere['memberSteps'][number]['ceremony'];
  const ceremonies: (readonly [Ceremony, readonly TranscriptEntry[]])[] = [['key', keyCeremony], ...redistributions.map((r) => ['redistribution', r] as const), ['tally', tally]];
  for (const [ceremony, entries] of ceremonies) {
    for (const e of entries) {
      const override = overrideOf(e);
      if (override !== undefined) rehearsals.push({ ceremony, ...override });
      const member = memberNamed(e.actor);
      if (member !== undefined && MEMBER_SECRET_STEPS.has(e.type)) memberSteps.push({ ceremony, member, type: e.type, station: stationName(e) });
      if (ceremony === 'tally' && e.type === 'tally.shuffle') {
        const p = (typeof e.payload === 'object' && e.payload !== null ? e.payload : {}) as { constituency?: unknown; round?: unknown };
        if (typeof p.constituency === 'string' && typeof p.round === 'number') {
          shuffles.push({ constituency: p.constituency, round: p.round, by: member !== undefined && stationName(e) !== null ? member : 'workstation', station: stationName(e) });
        }
      }
    }
  }
  const constituencies = new Set(shuffles.map((s) => s.constituency));
  const mixedOff = new Set(shuffles.filter((s) => s.by !== 'workstation').map((s) => s.constituency));
  return {
    memberSteps,
    oneMachine: memberSteps.some((s) => s.station === null),
    shuffles,
    shufflesOffWorkstation: constituencies.size > 0 && [...constituencies].every((c) => mixedOff.has(c)),
    rehearsals,
  };
}

/** The words a rehearsal record opens with (its papers and `sceau verify`), or none for an election's. */
export function rehearsalInWords(w: Pick<StepsWhere, 'rehearsals'>): { readonly fr: string[]; readonly en: string[] } {
  if (w.rehearsals.length === 0) return { fr: [], en: [] };
  const first = w.rehearsals[0]!;
  return {
    fr: [`RÉPÉTITION\u00a0: registre d'une répétition, pas d'une élection (contrôle hors ligne levé\u00a0: «\u00a0${first.reason}\u00a0», autorisé par ${first.authorisedBy}).`],
    en: [`REHEARSAL: a rehearsal's record, not an election's (offline check overridden: "${first.reason}", authorised by ${first.authorisedBy}).`],
  };
}

/** Where the steps ran, in a few lines of words (the CLI and the report print them). */
export function whereInWords(w: StepsWhere): { readonly fr: string[]; readonly en: string[] } {
  const rehearsal = rehearsalInWords(w);
  const onStations = w.memberSteps.filter((s) => s.station !== null).length;
  const onWorkstation = w.memberSteps.length - onStations;
  const stations = new Set(w.memberSteps.flatMap((s) => (s.station === null ? [] : [s.station])));
  const fr = [
    ...rehearsal.fr,
    `Étapes secrètes des membres\u00a0: ${onStations} sur leurs postes (${countFr(stations.size, 'session de poste', 'sessions de poste')}), ${onWorkstation} sur le poste de la présidence.`,
  ];
  const en = [
    ...rehearsal.en,
    `Members' secret steps: ${onStations} on their own stations (${countEn(stations.size, 'station session', 'station sessions')}), ${onWorkstation} on the president's workstation.`,
  ];
  if (w.oneMachine) {
    fr.push('Mode «\u00a0un seul poste\u00a0»\u00a0: le poste de la présidence a vu des secrets des membres\u00a0; il était de confiance pour le secret de la clé.');
    en.push("One-machine mode: the president's workstation saw members' secrets; it was trusted for the secrecy of the key.");
  }
  if (w.shuffles.length === 0) return { fr, en };
  const byStation = w.shuffles.filter((s) => s.by !== 'workstation');
  fr.push(
    `Mélanges\u00a0: ${w.shuffles.length - byStation.length} sur le poste de la présidence, ${byStation.length} sur des postes de membres (${[...new Set(byStation.map((s) => `membre ${s.by}`))].join(', ') || 'aucun'}).`,
  );
  en.push(
    `Shuffles: ${w.shuffles.length - byStation.length} on the president's workstation, ${byStation.length} on members' stations (${[...new Set(byStation.map((s) => `member ${s.by}`))].join(', ') || 'none'}).`,
  );
  if (w.shuffles.length > 0 && !w.shufflesOffWorkstation) {
    fr.push("Au moins une circonscription n'a été mélangée que sur le poste de la présidence\u00a0: le secret du vote y repose sur ce poste.");
    en.push("At least one constituency was shuffled on the president's workstation only: there, ballot secrecy rests on that workstation.");
  }
  return { fr, en };
}
