/**
 * The key ceremony's report (docs/key-ceremony.md §7): one PDF to print and sign, stating the election,
 * the board, every fingerprint people compare aloud, the outcome of the DKG, the workstations and their
 * software measurements, every deviation in words (report/deviation-annex.ts), and the transcript's head
 * hash. The three values a reader checks against the published record are also QR codes:
 * `sceau:fingerprint:<hex>`, `sceau:public-key:<hex>`, `sceau:transcript-head:<hex>`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, groupedHex, toHex } from '../../common/bytes.js';
import type { ElectionDefinition } from '../../election/definition.js';
import type { TranscriptEntry } from '../../transcript/transcript.js';
import { dateLines } from '../../report/dates.js';
import { annexItems } from '../../report/annex-pdf.js';
import { deviationAnnex } from '../../report/deviation-annex.js';
import { PdfWriter } from '../../report/pdf-writer.js';
import { ENTRY } from './entries.js';
import { whereInWords, whereStepsRan } from '../../verifier/where.js';

import { boardKeyOf, type KeyCeremonyState, type MemberState } from './state.js';
import { boardHoldersOf, boardKeyNotMade, boardVerdictsOf } from './board-held.js';

export const QR_PREFIX = { fingerprint: 'sceau:fingerprint:', publicKey: 'sceau:public-key:', boardKey: 'sceau:board-key:', head: 'sceau:transcript-head:' } as const;

interface KeyReportInput {
  readonly definition: ElectionDefinition;
  readonly state: Readonly<KeyCeremonyState>;
  readonly entries: readonly TranscriptEntry[];
  readonly head: string;
  readonly generatedAt: Date;
}

const grouped = (hex: string) => groupedHex(fromHex(hex));

function memberStatus(m: MemberState): string {
  if (m.qualified === undefined) return 'en cours / in progress';
  if (m.qualified) return `qualifié${m.confirmed ? ', a confirmé' : ''} / qualified${m.confirmed ? ', confirmed' : ''}`;
  const reasons = (m.disqualification ?? []).map((r) => `${r.message.fr} / ${r.message.en}`).join('\u00a0; ');
  return `disqualifié / disqualified\u00a0: ${reasons}`;
}

/** The board signing key (docs/key-ceremony.md §4.4): its key, fingerprint and QR code, or why it is not made. */
function boardKeySection(w: PdfWriter, state: Readonly<KeyCeremonyState>): void {
  w.heading('Clé de signature du bureau / Board signing key');
  const key = boardKeyOf(state);
  const notMade = boardKeyNotMade(state);
  if (key !== undefined) {
    const hex = toHex(key.groupKey);
    w.text(grouped(hex), { font: 'mono', size: 10 });
    w.text(`Empreinte / fingerprint (SHA-256)\u00a0: ${groupedHex(sha256(key.groupKey))}`, { font: 'mono', size: 8 });
    w.qr(
      QR_PREFIX.boardKey + hex,
      `Clé avec laquelle ${state.t} membres quelconques signent ensemble au nom du bureau (FROST, RFC 9591)\u00a0; personne ne la détient. Key with which any ${state.t} members sign together for the board (FROST, RFC 9591); no one holds it.`,
      110,
    );
    w.text(`Membres qui en détiennent une part / members holding a share of it\u00a0: ${boardHoldersOf(state).join(', ')}.`);
  } else if (notMade !== undefined) {
    w.text(`Non établie\u00a0: ${notMade.fr} Les procès-verbaux porteront les signatures individuelles des membres. / Not made: ${notMade.en} The PVs will carry the members' individual signatures.`);
  } else {
    w.text('Pas encore établie. / Not established yet.');
  }
  // Each complaint about a board-key box, settled from the transcript (anyone can check it): whom it puts at fault.
  for (const v of boardVerdictsOf(state)) w.text(`Plainte jugée / complaint settled\u00a0: ${v.fr} / ${v.en}`);
}

function confirmation(entries: readonly TranscriptEntry[], member: number): string {
  const e = entries.find((x) => x.type === ENTRY.confirmed && x.actor === `member:${member}`);
  return e === undefined ? '—' : `entrée/entry ${e.seq}, signature ${e.signature.slice(0, 32)}…`;
}

export async function keyCeremonyReport(input: KeyReportInput): Promise<Uint8Array> {
  const { definition: def, state, entries, head } = input;
  const closed = state.phase === 'closed';
  const w = await PdfWriter.create(`Sceau — ${def.title} — cérémonie des clés`, `Sceau · ${def.id} · journal/transcript ${head.slice(0, 16)}…`);

  const ran = whereStepsRan(entries, []);
  if (ran.rehearsals.length > 0) w.markRehearsal();
  w.text('Bureau du vote électronique — Electronic voting board', { size: 10, color: [0.25, 0.25, 0.25] });
  w.text('Procès-verbal de la cérémonie des clés', { font: 'bold', size: 18 });
  w.text('Key ceremony report', { size: 12, color: [0.25, 0.25, 0.25] });
  w.space();
  w.text(def.title, { font: 'bold', size: 12 });
  w.text(`Élection / election\u00a0: ${def.id}`);
  dateLines(w, { made: input.generatedAt, voting: def.votingPeriod });
  w.text(`État / state\u00a0: ${closed ? 'cérémonie close / ceremony closed' : `en cours (${state.phase}) / in progress`}`);
  w.text(`Seuil / threshold\u00a0: ${state.t} sur ${state.n} membres / of ${state.n} members`);

  w.heading("Empreinte de l'élection / Election fingerprint");
  w.text(grouped(state.fingerprint), { font: 'mono', size: 10 });
  w.qr(QR_PREFIX.fingerprint + state.fingerprint, "Empreinte de la définition de l'élection (SHA-256). Election definition fingerprint.", 110);

  w.heading("Clé publique de l'élection / Election public key");
  if (state.publicKey === undefined) {
    w.text(
      state.phase === 'failed'
        ? `La cérémonie ne peut pas aboutir\u00a0: ${state.failure?.message.fr ?? ''} / The ceremony cannot complete: ${state.failure?.message.en ?? ''}`
        : 'Pas encore établie. / Not established yet.',
    );
  } else {
    w.text(grouped(state.publicKey), { font: 'mono', size: 10 });
    w.qr(QR_PREFIX.publicKey + state.publicKey, 'Clé publique remise à la plateforme de vote (ristretto255). Public key handed to the voting platform.', 110);
  }

  if (state.board !== undefined) boardKeySection(w, state);

  w.heading('Membres du bureau / Board members');
  w.row(['n°', 'Membre / member', "Clé d'identité / identity key", 'Clé de vérification / verification key', 'État / status'], [0.05, 0.2, 0.25, 0.25, 0.25], { font: 'regular' });
  for (const m of state.members) {
    w.row(
      [
        String(m.index),
        `${m.name}${m.president ? ' (présidence / president)' : ''}\n${m.role}${m.token ? `\njeton/token\u00a0: ${m.token.label}` : ''}`,
        m.identityKey ? grouped(m.identityKey) : '—',
        m.verificationKey ? grouped(m.verificationKey) : '—',
        memberStatus(m),
      ],
      [0.05, 0.2, 0.25, 0.25, 0.25],
      { font: 'mono', size: 7.5 },
    );
  }

  w.heading('Postes de travail / Workstations');
  for (const ws of state.workstations) {
    const p = ws.payload;
    const network = p.network.offline ? 'hors ligne / offline' : `CONNECTÉ / CONNECTED (${p.network.connected.join(', ')})`;
    w.text(`${ws.actor} · entrée/entry ${ws.seq} · Sceau ${p.version} (${p.transport}, ${p.platform}) · ${network}`, { size: 9 });
    w.text(`logiciel/software SHA-256\u00a0: ${grouped(p.software.digest)}`, { font: 'mono', size: 8, indent: 12 });
    if (p.override)
      w.text(`Dérogation de répétition / rehearsal override\u00a0: «\u00a0${p.override.reason}\u00a0», autorisée par / authorised by ${p.override.authorisedBy}`, { size: 9, indent: 12 });
  }

  w.heading("Où les étapes des membres ont eu lieu / Where the members' steps ran");
  const where = whereInWords(ran);
  for (const [i, line] of where.fr.entries()) w.text(`${line} / ${where.en[i]}`, { size: 9 });

  // In words a president reads aloud (report/deviation-annex.ts): the codes only on each item's details line.
  w.heading('Écarts consignés / Recorded deviations');
  annexItems(w, deviationAnnex(entries, def.board.members));

  w.heading('Journal / Transcript');
  w.text(`${entries.length} entrées / entries. Empreinte de tête / head hash\u00a0:`);
  w.text(grouped(head), { font: 'mono', size: 10 });
  w.qr(
    QR_PREFIX.head + head,
    'Empreinte de la dernière entrée du journal (SHA-256)\u00a0: toute modification du journal la change. Hash of the last transcript entry: any change to the transcript changes it.',
    110,
  );

  w.heading('Signatures des membres / Members’ signatures');
  w.text(
    'Chaque membre a confirmé depuis son propre jeton\u00a0; sa signature électronique est dans le journal. Each member confirmed from their own token; their electronic signature is in the transcript.',
    { size: 9 },
  );
  for (const m of state.members) {
    w.ensure(50);
    w.space(14);
    w.text(`${m.index}. ${m.name} — ${confirmation(entries, m.index)}`, { size: 9 });
    w.text('Signature\u00a0: ______________________________________', { size: 10 });
  }
  return w.save();
}
