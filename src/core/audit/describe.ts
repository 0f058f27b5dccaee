/**
 * A transcript entry in words, for people following a ceremony (the projector) or replaying it: who did
 * what, in French and English. Pure: it reads only the entry. A payload of an unexpected shape is
 * described generically, never trusted for more than its type.
 */
import { agree, countEn, countFr } from '../common/plural.js';
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
const size = (v: unknown): number => (Array.isArray(v) ? v.length : Number.NaN);

/** A list of members with words that agree with its length: "le membre 3", "les membres 1, 2". */
const members = (v: unknown, fr: readonly [string, string], en: readonly [string, string]): Bilingual => ({
  fr: `${agree(size(v), 'fr', ...fr)} ${list(v)}`,
  en: `${agree(size(v), 'en', ...en)} ${list(v)}`,
});

/** A count from a payload and its noun: "1 plainte", "3 plaintes"; "? plaintes" when it is not a number. */
const counted = (v: unknown, fr: readonly [string, string], en: readonly [string, string]): Bilingual =>
  typeof v === 'number' && Number.isFinite(v) ? { fr: countFr(v, ...fr), en: countEn(v, ...en) } : { fr: `? ${fr[1]}`, en: `? ${en[1]}` };

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
        fr: `Session du poste\u00a0: logiciel ${digest}…, ${offline ? 'hors ligne' : 'connecté'}${override ? ', dérogation de répétition' : ''}.`,
        en: `Workstation session: software ${digest}…, ${offline ? 'offline' : 'connected'}${override ? ', rehearsal override' : ''}.`,
      };
    }
    case 'ceremony.opened':
      return { fr: `${a.fr} ouvre la cérémonie des clés (seuil ${String(field(p, 'threshold'))}).`, en: `${a.en} opens the key ceremony (threshold ${String(field(p, 'threshold'))}).` };
    case 'member.enrolled': {
      const label = String(field(field(p, 'token'), 'label') ?? '?');
      return { fr: `${a.fr} enrôle son jeton («\u00a0${label}\u00a0»).`, en: `${a.en} enrols their token ("${label}").` };
    }
    case 'dkg.round1':
      return { fr: `${a.fr} publie sa contribution à la clé (engagements, preuve, parts chiffrées).`, en: `${a.en} publishes their key contribution (commitments, proof, encrypted shares).` };
    case 'dkg.round1-closed': {
      const absent = members(field(p, 'absent'), ['le membre', 'les membres'], ['member', 'members']);
      return { fr: `${a.fr} clôt le premier tour sans ${absent.fr}.`, en: `${a.en} closes round 1 without ${absent.en}.` };
    }
    case 'dkg.checked': {
      const n = counted(Array.isArray(field(p, 'complaints')) ? (field(p, 'complaints') as unknown[]).length : 0, ['plainte', 'plaintes'], ['complaint', 'complaints']);
      return { fr: `${a.fr} vérifie les parts reçues (${n.fr}).`, en: `${a.en} checks the shares received (${n.en}).` };
    }
    case 'dkg.result': {
      const qualified = members(field(field(p, 'result'), 'qualified'), ['membre qualifié', 'membres qualifiés'], ['qualified member', 'qualified members']);
      return { fr: `${a.fr} publie le résultat de la génération (${qualified.fr}).`, en: `${a.en} publishes the key-generation result (${qualified.en}).` };
    }
    case 'member.share-sealed':
      return { fr: `${a.fr} scelle son fragment de clé sur son jeton.`, en: `${a.en} seals their key share onto their token.` };
    case 'member.confirmed':
      return { fr: `${a.fr} confirme, depuis son jeton, les clés affichées.`, en: `${a.en} confirms, from their token, the keys shown.` };
    case 'ceremony.closed':
      return { fr: `${a.fr} clôt la cérémonie\u00a0; la clé publique est publiée.`, en: `${a.en} closes the ceremony; the public key is published.` };
    case 'deviation': {
      const m = field(p, 'message');
      const fr = String(field(m, 'fr') ?? '');
      const en = String(field(m, 'en') ?? '');
      return { fr: `Écart consigné\u00a0: ${fr}`, en: `Deviation recorded: ${en}` };
    }
    case 'tally.open': {
      const rounds = counted(field(p, 'shuffles'), ['mélange', 'mélanges successifs'], ['shuffle', 'successive shuffles']);
      return { fr: `${a.fr} ouvre le dépouillement (${rounds.fr} par circonscription).`, en: `${a.en} opens the tally (${rounds.en} per constituency).` };
    }
    case 'tally.import': {
      const accepted = counted(field(p, 'accepted'), ['accepté', 'acceptés'], ['accepted', 'accepted']);
      const rejected = counted(field(p, 'rejected'), ['rejeté', 'rejetés'], ['rejected', 'rejected']);
      return { fr: `${a.fr} importe l'urne (${accepted.fr}, ${rejected.fr}).`, en: `${a.en} imports the urn (${accepted.en}, ${rejected.en}).` };
    }
    case 'tally.receipts': {
      const codes = counted(field(p, 'count'), ['code', 'codes'], ['code', 'codes']);
      return { fr: `${a.fr} publie la liste des codes de reçu (${codes.fr}).`, en: `${a.en} publishes the list of receipt codes (${codes.en}).` };
    }
    case 'tally.shuffle':
      return {
        fr: `${a.fr} mélange la circonscription ${String(field(p, 'constituency'))} (mélange ${String(field(p, 'round'))}, preuve vérifiée).`,
        en: `${a.en} shuffles constituency ${String(field(p, 'constituency'))} (shuffle ${String(field(p, 'round'))}, proof verified).`,
      };
    case 'tally.decryption': {
      const n = counted(size(field(p, 'partials')), ['circonscription', 'circonscriptions'], ['constituency', 'constituencies']);
      return { fr: `${a.fr} déchiffre partiellement ${n.fr} avec son jeton (preuves vérifiées).`, en: `${a.en} partially decrypts ${n.en} with their token (proofs verified).` };
    }
    case 'tally.count': {
      const of = members(field(p, 'members'), ['du membre', 'des membres'], ['of member', 'of members']);
      return { fr: `${a.fr} combine les déchiffrements ${of.fr} et compte les voix.`, en: `${a.en} combines the decryptions ${of.en} and counts the votes.` };
    }
    case 'tally.signature':
      return { fr: `${a.fr} signe les procès-verbaux.`, en: `${a.en} signs the tally reports (PVs).` };
    case 'tally.board-commitments':
      return {
        fr: `${a.fr} s'engage pour la signature du bureau (premier passage, tentative ${String(field(p, 'round'))}\u00a0; ses nonces restent scellés sur son jeton).`,
        en: `${a.en} commits to the board signature (first visit, attempt ${String(field(p, 'round'))}; their nonces stay sealed on their token).`,
      };
    case 'tally.board-round': {
      const signers = members(field(p, 'signers'), ['le membre', 'les membres'], ['member', 'members']);
      return { fr: `${a.fr} fixe les signataires de la signature du bureau\u00a0: ${signers.fr}.`, en: `${a.en} fixes the signers of the board signature: ${signers.en}.` };
    }
    case 'tally.board-share':
      return { fr: `${a.fr} donne sa part de la signature du bureau (second passage, part vérifiée).`, en: `${a.en} gives their share of the board signature (second visit, share verified).` };
    case 'tally.board-signature': {
      const signers = members(field(p, 'signers'), ['du membre', 'des membres'], ['of member', 'of members']);
      return {
        fr: `${a.fr} réunit les parts ${signers.fr}\u00a0: le bureau a signé les procès-verbaux et les résultats.`,
        en: `${a.en} gathers the shares ${signers.en}: the board has signed the PVs and the results.`,
      };
    }
    case 'tally.results':
      return { fr: `${a.fr} publie les résultats.`, en: `${a.en} publishes the results.` };
    case 'tally.deviation': {
      const m = field(p, 'message');
      return { fr: `Écart consigné\u00a0: ${String(field(m, 'fr') ?? '')}`, en: `Deviation recorded: ${String(field(m, 'en') ?? '')}` };
    }
    default:
      return { fr: `${a.fr}\u00a0: entrée «\u00a0${e.type}\u00a0».`, en: `${a.en}: entry "${e.type}".` };
  }
}
