/**
 * A transcript entry in words, for people following a ceremony (the projector) or replaying it: who did
 * what, in French and English. Pure: it reads only the entry. A payload of an unexpected shape is
 * described generically, never trusted for more than its type.
 */
import type { Bilingual } from '../common/result.js';

interface EntryLike {
  readonly actor: string;
  readonly type: string;
  readonly payload: unknown;
}

function field(payload: unknown, name: string): unknown {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>)[name] : undefined;
}

function who(actor: string): Bilingual {
  const m = /^member:([0-9]{1,3})$/.exec(actor);
  if (m) return { fr: `Membre ${m[1]}`, en: `Member ${m[1]}` };
  if (actor.startsWith('workstation:')) return { fr: 'Le poste (présidence)', en: 'The workstation (president)' };
  return { fr: actor, en: actor };
}

/** A member's entry made on their own station says so (docs/stations.md). */
function onStation(a: Bilingual, payload: unknown): Bilingual {
  const stamped = typeof payload === 'object' && payload !== null && !Array.isArray(payload) && Object.prototype.hasOwnProperty.call(payload, 'station');
  return stamped ? { fr: `${a.fr}, sur son poste,`, en: `${a.en}, on their station,` } : a;
}

const list = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(', ') : '?');

/** What an entry records, in one sentence per language. */
export function describeEntry(e: EntryLike): Bilingual {
  const a = onStation(who(e.actor), e.payload);
  const p = e.payload;
  switch (e.type) {
    case 'workstation.session': {
      const offline = field(field(p, 'network'), 'offline') === true;
      const override = field(p, 'override') !== null && field(p, 'override') !== undefined;
      const digest = String(field(field(p, 'software'), 'digest') ?? '?').slice(0, 16);
      return {
        fr: `Session du poste : logiciel ${digest}…, ${offline ? 'hors ligne' : 'connecté'}${override ? ', dérogation de répétition' : ''}.`,
        en: `Workstation session: software ${digest}…, ${offline ? 'offline' : 'connected'}${override ? ', rehearsal override' : ''}.`,
      };
    }
    case 'ceremony.opened':
      return { fr: `${a.fr} ouvre la cérémonie des clés (seuil ${String(field(p, 'threshold'))}).`, en: `${a.en} opens the key ceremony (threshold ${String(field(p, 'threshold'))}).` };
    case 'member.enrolled': {
      const label = String(field(field(p, 'token'), 'label') ?? '?');
      return { fr: `${a.fr} enrôle son jeton (« ${label} »).`, en: `${a.en} enrols their token ("${label}").` };
    }
    case 'dkg.round1':
      return { fr: `${a.fr} publie sa contribution à la clé (engagements, preuve, parts chiffrées).`, en: `${a.en} publishes their key contribution (commitments, proof, encrypted shares).` };
    case 'dkg.round1-closed':
      return { fr: `${a.fr} clôt le premier tour sans les membres ${list(field(p, 'absent'))}.`, en: `${a.en} closes round 1 without members ${list(field(p, 'absent'))}.` };
    case 'dkg.checked': {
      const n = Array.isArray(field(p, 'complaints')) ? (field(p, 'complaints') as unknown[]).length : 0;
      return { fr: `${a.fr} vérifie les parts reçues (${n} plainte(s)).`, en: `${a.en} checks the shares received (${n} complaint(s)).` };
    }
    case 'dkg.result':
      return {
        fr: `${a.fr} publie le résultat de la génération (membres qualifiés ${list(field(field(p, 'result'), 'qualified'))}).`,
        en: `${a.en} publishes the key-generation result (qualified members ${list(field(field(p, 'result'), 'qualified'))}).`,
      };
    case 'member.share-sealed':
      return { fr: `${a.fr} scelle son fragment de clé sur son jeton.`, en: `${a.en} seals their key share onto their token.` };
    case 'member.confirmed':
      return { fr: `${a.fr} confirme, depuis son jeton, les clés affichées.`, en: `${a.en} confirms, from their token, the keys shown.` };
    case 'ceremony.closed':
      return { fr: `${a.fr} clôt la cérémonie ; la clé publique est publiée.`, en: `${a.en} closes the ceremony; the public key is published.` };
    case 'deviation': {
      const m = field(p, 'message');
      const fr = String(field(m, 'fr') ?? '');
      const en = String(field(m, 'en') ?? '');
      return { fr: `Écart consigné : ${fr}`, en: `Deviation recorded: ${en}` };
    }
    case 'tally.open':
      return {
        fr: `${a.fr} ouvre le dépouillement (${String(field(p, 'shuffles'))} mélange(s) successif(s) par circonscription).`,
        en: `${a.en} opens the tally (${String(field(p, 'shuffles'))} successive shuffle(s) per constituency).`,
      };
    case 'tally.import':
      return {
        fr: `${a.fr} importe l'urne (${String(field(p, 'accepted'))} acceptés, ${String(field(p, 'rejected'))} rejetés).`,
        en: `${a.en} imports the urn (${String(field(p, 'accepted'))} accepted, ${String(field(p, 'rejected'))} rejected).`,
      };
    case 'tally.receipts':
      return { fr: `${a.fr} publie la liste des ${String(field(p, 'count'))} codes de reçu.`, en: `${a.en} publishes the list of ${String(field(p, 'count'))} receipt codes.` };
    case 'tally.shuffle':
      return {
        fr: `${a.fr} mélange la circonscription ${String(field(p, 'constituency'))} (mélange ${String(field(p, 'round'))}, preuve vérifiée).`,
        en: `${a.en} shuffles constituency ${String(field(p, 'constituency'))} (shuffle ${String(field(p, 'round'))}, proof verified).`,
      };
    case 'tally.decryption': {
      const n = Array.isArray(field(p, 'partials')) ? (field(p, 'partials') as unknown[]).length : '?';
      return {
        fr: `${a.fr} déchiffre partiellement ${n} circonscription(s) avec son jeton (preuves vérifiées).`,
        en: `${a.en} partially decrypts ${n} constituency(ies) with their token (proofs verified).`,
      };
    }
    case 'tally.count':
      return {
        fr: `${a.fr} combine les déchiffrements des membres ${list(field(p, 'members'))} et compte les voix.`,
        en: `${a.en} combines the decryptions of members ${list(field(p, 'members'))} and counts the votes.`,
      };
    case 'tally.signature':
      return { fr: `${a.fr} signe les procès-verbaux.`, en: `${a.en} signs the tally reports (PVs).` };
    case 'tally.results':
      return { fr: `${a.fr} publie les résultats.`, en: `${a.en} publishes the results.` };
    case 'tally.deviation': {
      const m = field(p, 'message');
      return { fr: `Écart consigné : ${String(field(m, 'fr') ?? '')}`, en: `Deviation recorded: ${String(field(m, 'en') ?? '')}` };
    }
    default:
      return { fr: `${a.fr} : entrée « ${e.type} ».`, en: `${a.en}: entry "${e.type}".` };
  }
}
