/**
 * A redistribution transcript's entry in words (docs/redistribution.md §15.3), for the screens: who did
 * what, French and English. The entries it shares with the key ceremony (sessions, enrolments, sealings,
 * deviations) are said by audit/describe.ts. Pure: it reads only the entry.
 */
import type { Bilingual } from '../common/result.js';
import { describeEntry } from '../audit/describe.js';

interface EntryLike {
  readonly actor: string;
  readonly type: string;
  readonly payload: unknown;
}

function field(payload: unknown, name: string): unknown {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>)[name] : undefined;
}

const list = (v: unknown): string => (Array.isArray(v) && v.length > 0 ? v.map(String).join(', ') : '—');

/** `former:3` is member 3 with the token of the board as it stands. */
function former(actor: string): Bilingual {
  const m = /^former:([0-9]{1,3})$/.exec(actor);
  return m === null ? { fr: actor, en: actor } : { fr: `Le membre ${m[1]} (ancien jeton)`, en: `Member ${m[1]} (old token)` };
}

export function describeRedistributionEntry(e: EntryLike): Bilingual {
  const p = e.payload;
  switch (e.type) {
    case 'redistribution.opened': {
      const members = Array.isArray(field(p, 'members')) ? (field(p, 'members') as unknown[]).map((m) => field(m, 'index')) : [];
      return {
        fr: `Le poste (présidence) ouvre la redistribution n°\u00a0${String(field(p, 'generation'))}\u00a0: anciens membres présents ${list(field(p, 'dealers'))}, nouveau bureau ${list(members)}, seuil ${String(field(p, 'threshold'))}.`,
        en: `The workstation (president) opens redistribution no. ${String(field(p, 'generation'))}: old members present ${list(field(p, 'dealers'))}, new board ${list(members)}, threshold ${String(field(p, 'threshold'))}.`,
      };
    }
    case 'redistribution.dealt': {
      const a = former(e.actor);
      return { fr: `${a.fr} distribue son fragment au nouveau bureau.`, en: `${a.en} deals their share to the new board.` };
    }
    case 'redistribution.dealing-closed':
      return {
        fr: `Le poste (présidence) clôt la distribution sans les membres ${list(field(p, 'absent'))}\u00a0: ${String(field(p, 'reason') ?? '')}`,
        en: `The workstation (president) closes the dealing without members ${list(field(p, 'absent'))}: ${String(field(p, 'reason') ?? '')}`,
      };
    case 'redistribution.checked': {
      const complaints = Array.isArray(field(field(p, 'election'), 'complaints')) ? (field(field(p, 'election'), 'complaints') as unknown[]).length : 0;
      const m = String(field(p, 'member'));
      return complaints === 0
        ? { fr: `Le membre ${m} vérifie les parts reçues\u00a0: toutes valides.`, en: `Member ${m} checks the shares received: all valid.` }
        : { fr: `Le membre ${m} vérifie les parts reçues et dépose une plainte ou plus.`, en: `Member ${m} checks the shares received and files one or more complaints.` };
    }
    case 'redistribution.result':
      return {
        fr: 'Le poste (présidence) publie le résultat\u00a0: la clé de l’élection est inchangée, le nouveau bureau la détient.',
        en: 'The workstation (president) publishes the result: the election key is unchanged, the new board holds it.',
      };
    case 'member.token-destroyed': {
      const a = former(e.actor);
      return { fr: `${a.fr} confirme la destruction de son ancien jeton.`, en: `${a.en} confirms the destruction of their old token.` };
    }
    case 'redistribution.closed':
      return {
        fr: `Le poste (présidence) clôt la redistribution\u00a0: nouveau bureau ${list(field(p, 'holders'))}, seuil ${String(field(p, 'threshold'))}.`,
        en: `The workstation (president) closes the redistribution: new board ${list(field(p, 'holders'))}, threshold ${String(field(p, 'threshold'))}.`,
      };
    default:
      return describeEntry(e);
  }
}
