/**
 * The ceremony script (docs/key-ceremony.md §1.1, docs/tally-ceremony.md §1.1): printed before each
 * ceremony, the paper the president conducts it from and the board keeps. It says who does what at each
 * step and what is read aloud, with checklists for before, during and after, and blank lines where the
 * time and the initials of whoever did or witnessed each step are written by hand. Its steps are those of
 * the docs' script tables; its names and numbers are the election's.
 */
import { fromHex, groupedHex } from '../common/bytes.js';
import type { ElectionDefinition } from '../election/definition.js';
import { dateLines } from './dates.js';
import { PdfWriter } from './pdf-writer.js';

export type CeremonyKind = 'key' | 'tally';

export interface ScriptInput {
  readonly kind: CeremonyKind;
  readonly definition: ElectionDefinition;
  /** The definition's fingerprint (hex), read aloud at the opening. */
  readonly fingerprint: string;
  /** For the tally: the members who may decrypt (the key ceremony's qualified members); all members otherwise. */
  readonly members: readonly { readonly index: number; readonly name: string; readonly role: string }[];
  readonly generatedAt: Date;
  /**
   * A rehearsal's script (the key ceremony ran under the rehearsal override, or the override is in force
   * as it is printed): every page is marked so, like every other paper of a rehearsal.
   */
  readonly rehearsal: boolean;
}

/**
 * A step of the script: its title, who, what happens, what is read aloud; `each`: one line per member;
 * `atStations`: what members do there when the step is done on members' stations (docs/stations.md §3),
 * ticked as it is done. The script is printed before the ceremony, whose mode is not yet fixed (each
 * answer's entries say where it was made): so these lines say when they apply rather than being left out.
 */
interface ScriptStep {
  readonly title: string;
  readonly who: string;
  readonly what: string;
  readonly aloud?: string;
  readonly each?: boolean;
  readonly atStations?: string;
}

const AT_STATIONS = 'Sur les postes des membres / at members’ stations';
const TIME_AND_INITIALS = 'à / at ____ h ____   initiales / initials ______   témoin / witness ______';

function keySteps(fingerprint: string): ScriptStep[] {
  return [
    {
      title: '1. Ouverture / Opening',
      who: 'Présidence / president',
      what: "Charge la définition de l'élection, vérifie ses avertissements\u00a0; le poste mesure son logiciel et vérifie qu'il est hors ligne. / Loads the election definition, checks its warnings; the workstation measures its software and checks it is offline.",
      aloud: `Empreinte de l'élection / election fingerprint\u00a0: ${groupedHex(fromHex(fingerprint))}`,
    },
    {
      title: '2. Enrôlement / Enrolment',
      who: 'Chaque membre / each member',
      what: 'Choisit son support, tape deux fois sa phrase de passe, sans que personne ne la voie\u00a0; son jeton est écrit puis relu. / Chooses their drive, types their passphrase twice, unseen; their token is written and read back.',
      atStations:
        'chaque membre note le code d’enrôlement que son poste affiche et le lit à la présidence, qui le tape. / each member notes the enrolment code their station shows and reads it to the president, who types it.',
      each: true,
    },
    {
      title: '3. Contribution / Contribution',
      who: 'Chaque membre / each member',
      what: 'Ouvre son jeton\u00a0; sa contribution à la clé est ajoutée au journal. / Opens their token; their contribution to the key is added to the transcript.',
      atStations:
        'chaque membre lit à voix haute, depuis son propre poste, le code d’enrôlement qu’il a noté\u00a0; chacun tape sur son poste le code de chaque autre membre. / each member reads aloud, from their own station, the enrolment code they noted; each types every other member’s code on their station.',
      each: true,
    },
    {
      title: '4. Vérification des parts / Checking the shares',
      who: 'Chaque membre / each member',
      what: 'Ouvre son jeton et vérifie les parts reçues\u00a0; une part fausse devient une plainte vérifiable. / Opens their token and checks the shares received; a wrong share becomes a verifiable complaint.',
      atStations:
        'chaque membre lit à voix haute, depuis son propre poste, le code d’enrôlement qu’il a noté\u00a0; chacun tape sur son poste le code de chaque autre membre. / each member reads aloud, from their own station, the enrolment code they noted; each types every other member’s code on their station.',
      each: true,
    },
    {
      title: '5. Résultat / Result',
      who: 'Présidence / president',
      what: "Publie le résultat\u00a0: les membres qualifiés et la clé publique de l'élection. / Publishes the result: the qualified members and the election's public key.",
      aloud: 'Les 4 premiers groupes de la clé publique, lus par la présidence et un membre. / The first 4 groups of the public key, read by the president and a member.',
    },
    {
      title: '6. Scellement / Sealing',
      who: 'Chaque membre qualifié / each qualified member',
      what: 'Son fragment de clé est recalculé, vérifié et scellé sur son jeton. / Their key share is recomputed, checked and sealed onto their token.',
      each: true,
    },
    {
      title: '7. Confirmation / Confirmation',
      who: 'Chaque membre qualifié / each qualified member',
      what: 'Rouvre son jeton et confirme qu’il porte les clés affichées. / Reopens their token and confirms it holds the keys shown.',
      each: true,
    },
    {
      title: '8. Clôture / Closing',
      who: 'Présidence / president',
      what: 'Écrit la clé publique pour la plateforme et le rapport\u00a0; imprime le rapport et la fiche de remise des jetons. / Writes the public key for the platform and the report; prints the report and the token-holder sheet.',
      aloud: "Empreinte de tête du journal, lue à voix haute. / The transcript's head hash, read aloud.",
    },
  ];
}

function tallySteps(fingerprint: string, t: number): ScriptStep[] {
  return [
    {
      title: '1. Ouverture / Opening',
      who: 'Présidence / president',
      what: 'Choisit le dossier de la cérémonie des clés, close et vérifiée\u00a0; fixe le nombre de mélanges\u00a0; le poste mesure son logiciel et vérifie qu’il est hors ligne. / Chooses the closed, verified key-ceremony folder; sets the number of shuffles; the workstation measures its software and checks it is offline.',
      aloud: `Empreinte de l'élection / election fingerprint\u00a0: ${groupedHex(fromHex(fingerprint))}`,
    },
    {
      title: "2. Import de l'urne / Importing the urn",
      who: 'Présidence / president',
      what: "Choisit le fichier de l'urne sur son support\u00a0; chaque bulletin est vérifié. / Chooses the urn file on its drive; every ballot is checked.",
      aloud: "Nombre de bulletins acceptés et écartés, et l'empreinte de l'urne. / The numbers of ballots accepted and set aside, and the urn's digest.",
    },
    {
      title: '3. Reçus / Receipts',
      who: 'Présidence / president',
      what: 'Publie la liste des reçus sur un support pour le site public. / Publishes the receipt list on a drive for the public website.',
    },
    {
      title: '4. Mélanges / Shuffles',
      who: 'Poste ou postes des membres / workstation or members’ stations',
      what: 'Chaque circonscription est mélangée\u00a0; chaque preuve est vérifiée avant le mélange suivant. / Each constituency is shuffled; each proof is checked before the next shuffle.',
    },
    {
      title: '5. Déchiffrement / Decryption',
      who: `${t} membres, dans n'importe quel ordre / ${t} members, in any order`,
      what: 'Chaque membre choisit son nom et son support et tape sa phrase de passe\u00a0; son déchiffrement partiel est vérifié aussitôt. / Each member chooses their name and drive and types their passphrase; their partial decryption is checked at once.',
      each: true,
    },
    {
      title: '6. Décompte / Count',
      who: 'Poste / workstation',
      what: 'Les déchiffrements partiels se combinent\u00a0; un procès-verbal par circonscription. / The partial decryptions combine; one PV per constituency.',
    },
    {
      title: '7. Signatures / Signatures',
      who: 'Chaque membre qui a déchiffré / each member who decrypted',
      what: 'Rouvre son jeton et signe tous les procès-verbaux. / Reopens their token and signs every PV.',
      each: true,
    },
    {
      title: '8. Clôture / Closing',
      who: 'Présidence / president',
      what: 'Écrit les résultats et le registre\u00a0; imprime les procès-verbaux et le récapitulatif, signés par les membres présents. / Writes the results and the record; prints the PVs and the summary, signed by the members present.',
      aloud: 'Les résultats de chaque circonscription. / Each constituency’s results.',
    },
  ];
}

const CHECKLISTS: Record<CeremonyKind, { before: string[]; after: string[] }> = {
  key: {
    before: [
      'Poste de la présidence débranché de tout réseau (câble retiré, Wi-Fi coupé) / workstation unplugged from every network',
      'Empreinte du logiciel comparée à celle publiée / software measurement compared with the published one',
      'Un support neuf et étiqueté par membre / one new, labelled drive per member',
      'Projection ouverte sur l’écran de la salle / projection open on the room’s screen',
      'Observateurs présents, noms notés / observers present, names noted',
    ],
    after: [
      'Rapport imprimé, signé par chaque membre / report printed, signed by each member',
      'Clé publique remise à la plateforme, empreinte relue avec elle / public key handed to the platform, fingerprint read back with it',
      'Fiche de remise des jetons signée\u00a0; sauvegardes rangées à part / token-holder sheet signed; backups kept apart',
      'Dossier de la cérémonie copié sur deux supports / ceremony folder copied to two drives',
    ],
  },
  tally: {
    before: [
      'Poste de la présidence débranché de tout réseau (câble retiré, Wi-Fi coupé) / workstation unplugged from every network',
      'Empreinte du logiciel comparée à celle publiée / software measurement compared with the published one',
      'Urne reçue de la plateforme sur un support, avec sa signature / urn received from the platform on a drive, with its signature',
      'Membres présents avec leur jeton, en nombre suffisant / enough members present with their tokens',
      'Projection ouverte sur l’écran de la salle / projection open on the room’s screen',
    ],
    after: [
      'Procès-verbaux et récapitulatif imprimés et signés / PVs and summary printed and signed',
      'Registre exporté et vérifié (sceau verify) / record exported and verified (sceau verify)',
      'Jetons rendus à leurs membres / tokens handed back to their members',
    ],
  },
};

function checklist(w: PdfWriter, title: string, items: readonly string[]): void {
  w.heading(title, 12);
  for (const item of items) w.text(`[  ]  ${item}`, { size: 9 });
}

function stepBlock(w: PdfWriter, step: ScriptStep, members: ScriptInput['members']): void {
  w.ensure((step.each === true ? 60 + 14 * members.length : 80) + (step.atStations === undefined ? 0 : 40));
  w.space(6);
  w.text(step.title, { font: 'bold', size: 11 });
  w.text(`Qui / who\u00a0: ${step.who}`, { size: 9, indent: 12 });
  w.text(step.what, { size: 9, indent: 12 });
  if (step.aloud !== undefined) w.text(`À lire à voix haute / read aloud\u00a0: ${step.aloud}`, { size: 9, indent: 12 });
  if (step.atStations !== undefined) w.text(`[  ]  ${AT_STATIONS}\u00a0: ${step.atStations}`, { size: 9, indent: 12 });
  if (step.each === true) for (const m of members) w.text(`${m.index}. ${m.name} — ${TIME_AND_INITIALS}`, { size: 9, indent: 24 });
  else w.text(TIME_AND_INITIALS, { size: 9, indent: 24 });
}

export async function ceremonyScriptPdf(input: ScriptInput): Promise<Uint8Array> {
  const { kind, definition: def } = input;
  const [fr, en] = kind === 'key' ? ['Déroulé de la cérémonie des clés', 'Key ceremony script'] : ['Déroulé du dépouillement', 'Tally ceremony script'];
  const w = await PdfWriter.create(`Sceau — ${def.title} — ${fr}`, `Sceau · ${def.id} · ${kind === 'key' ? 'déroulé / script' : 'dépouillement / tally'}`);
  w.text('Bureau du vote électronique — Electronic voting board', { size: 10, color: [0.25, 0.25, 0.25] });
  w.text(fr, { font: 'bold', size: 18 });
  w.text(en, { size: 12, color: [0.25, 0.25, 0.25] });
  w.space();
  w.text(def.title, { font: 'bold', size: 12 });
  w.text(`Élection / election\u00a0: ${def.id} · seuil / threshold\u00a0: ${def.board.threshold} sur ${def.board.members.length} / of ${def.board.members.length}`);
  dateLines(w, { made: input.generatedAt, voting: def.votingPeriod });
  w.text('Membres / members\u00a0:', { size: 9 });
  for (const m of input.members) w.text(`${m.index}. ${m.name} — ${m.role}`, { size: 9, indent: 12 });

  checklist(w, 'Avant / Before', CHECKLISTS[kind].before);
  w.heading('Pendant / During', 12);
  w.text(
    'Chaque étape est notée au journal signé\u00a0; un refus (phrase de passe fausse, jeton d’un autre membre, poste connecté) y est consigné comme écart et la cérémonie continue. / Every step is recorded in the signed transcript; a refusal is recorded there as a deviation and the ceremony goes on.',
    { size: 9 },
  );
  const steps = kind === 'key' ? keySteps(input.fingerprint) : tallySteps(input.fingerprint, def.board.threshold);
  for (const step of steps) stepBlock(w, step, input.members);
  checklist(w, 'Après / After', CHECKLISTS[kind].after);
  w.ensure(60);
  w.space(14);
  w.text('La présidence / the president\u00a0: nom / name ____________________________  signature ______________________', { size: 10 });
  if (input.rehearsal) w.markRehearsal();
  return w.save();
}
