/**
 * What a closed redistribution leaves (docs/redistribution.md §15.8): `new-board.json`, the key file of the
 * new board (the same keys, new holders, threshold and verification keys), and the report to print and
 * sign. Both are functions of the chain and of the transcript up to `redistribution.closed`.
 */
import { fromHex, groupedHex, toHex } from '../../common/bytes.js';
import type { ElectionDefinition } from '../../election/definition.js';
import type { TranscriptEntry } from '../../transcript/transcript.js';
import { groupToJson, type GroupPublicJson } from '../../crypto/frost/index.js';
import { annexItems } from '../../report/annex-pdf.js';
import { dateLines } from '../../report/dates.js';
import { deviationAnnex } from '../../report/deviation-annex.js';
import { PdfWriter } from '../../report/pdf-writer.js';
import { whereInWords, whereStepsRan } from '../../verifier/where.js';
import { boardKeyHex } from './board.js';
import { RENTRY } from './payloads.js';
import { closedPayload, newBoardGroup, type RedistributionState } from './state.js';

/** The new board's key file (docs/redistribution.md §15.8). */
export interface NewBoardFile {
  readonly format: 'sceau/board/v1';
  readonly election: string;
  readonly fingerprint: string;
  /** 1 for the first redistribution after the key ceremony, 2 for the next… */
  readonly generation: number;
  /** Unchanged since the key ceremony. */
  readonly publicKey: string;
  readonly threshold: number;
  readonly holders: readonly number[];
  readonly members: readonly { readonly index: number; readonly name: string; readonly role: string; readonly president: boolean }[];
  readonly verificationKeys: readonly string[];
  /** The board signing key's public data for the new board (its `groupKey` unchanged), or null. */
  readonly boardKey: GroupPublicJson | null;
  /** The closing heads of the chain: the key ceremony's and the earlier redistributions'. */
  readonly basis: { readonly keyCeremony: string; readonly redistributions: readonly string[] };
  /** This transcript's head just after `redistribution.closed`. */
  readonly transcriptHead: string;
}

export function newBoardFile(def: ElectionDefinition, state: Readonly<RedistributionState>, closedHead: string): NewBoardFile {
  const closed = closedPayload(state);
  const group = newBoardGroup(state);
  return {
    format: 'sceau/board/v1',
    election: def.id,
    fingerprint: state.fingerprint,
    generation: state.previous.generation + 1,
    publicKey: closed.publicKey,
    threshold: closed.threshold,
    holders: closed.holders,
    members: state.members.map((m) => ({ index: m.index, name: m.name, role: m.role, president: m.president })),
    verificationKeys: closed.verificationKeys,
    boardKey: group === undefined ? null : groupToJson(group),
    basis: { keyCeremony: state.previous.heads.keyCeremony, redistributions: [...state.previous.heads.redistributions] },
    transcriptHead: closedHead,
  };
}

interface ReportInput {
  readonly definition: ElectionDefinition;
  readonly state: Readonly<RedistributionState>;
  readonly entries: readonly TranscriptEntry[];
  readonly head: string;
  readonly generatedAt: Date;
}

const grouped = (hex: string) => groupedHex(fromHex(hex));

function signedBy(entries: readonly TranscriptEntry[], type: string, actor: string): string {
  const e = entries.find((x) => x.type === type && x.actor === actor);
  return e === undefined ? '—' : `entrée/entry ${e.seq}`;
}

/** The redistribution's report: French first, each line followed by its English. */
export async function redistributionReport(input: ReportInput): Promise<Uint8Array> {
  const { definition: def, state: s, entries, head } = input;
  const w = await PdfWriter.create(`Sceau — ${def.title} — redistribution`, `Sceau · ${def.id} · journal/transcript ${head.slice(0, 16)}…`);
  if (s.workstations.some((x) => x.payload.override !== null)) w.markRehearsal();
  w.text('Bureau du vote électronique — Electronic voting board', { size: 10, color: [0.25, 0.25, 0.25] });
  w.text('Procès-verbal de la redistribution des clés', { font: 'bold', size: 18 });
  w.text('Key redistribution report (a new board, the same keys)', { size: 12, color: [0.25, 0.25, 0.25] });
  w.space();
  w.text(def.title, { font: 'bold', size: 12 });
  w.text(`Élection / election\u00a0: ${def.id} · redistribution n° ${s.previous.generation + 1}`);
  dateLines(w, { made: input.generatedAt, voting: def.votingPeriod });
  w.text(
    `État / state\u00a0: ${s.phase === 'closed' ? 'close / closed' : s.phase === 'failed' ? `échouée / failed\u00a0: ${s.failure?.message.fr ?? ''} / ${s.failure?.message.en ?? ''}` : `en cours (${s.phase}) / in progress`}`,
  );
  w.text(`Motif / reason\u00a0: ${s.reason}`);

  w.heading('Clés inchangées / Unchanged keys');
  w.text("Clé publique de l'élection (la même qu'à la cérémonie des clés) / Election public key (the same as at the key ceremony)\u00a0:", { size: 9 });
  w.text(grouped(toHex(s.previous.election.publicKey.toBytes())), { font: 'mono', size: 10 });
  const boardKey = boardKeyHex(s.previous);
  if (boardKey !== undefined) {
    w.text('Clé de signature du bureau (inchangée) / Board signing key (unchanged)\u00a0:', { size: 9 });
    w.text(grouped(boardKey), { font: 'mono', size: 10 });
  }
  if (s.result !== undefined)
    w.text('Contrôle public\u00a0: la somme des termes constants distribués est égale à la clé publiée. / Public check: the dealt constant terms add up to the published key.', { size: 9 });

  w.heading('Bureau sortant / Outgoing board');
  w.text(`Seuil / threshold\u00a0: ${s.previous.threshold} · membres / members\u00a0: ${s.previous.members.map((m) => m.index).join(', ')}`);
  w.row(['n°', 'Membre / member', 'Distribution / dealt', 'Destruction confirmée / destruction confirmed'], [0.06, 0.34, 0.28, 0.32], { font: 'regular', size: 9 });
  const disqualified = (i: number) => [s.result?.election, s.result?.board].some((r) => r?.disqualified.some((d) => d.member === i));
  for (const m of s.previous.members) {
    const dealt = !s.dealers.includes(m.index)
      ? 'absent'
      : !s.dealt.includes(m.index)
        ? 'absent (distribution close / dealing closed)'
        : disqualified(m.index)
          ? 'écarté / disqualified'
          : signedBy(entries, RENTRY.dealt, `former:${m.index}`);
    w.row([String(m.index), m.name, dealt, signedBy(entries, RENTRY.destroyed, `former:${m.index}`)], [0.06, 0.34, 0.28, 0.32], { font: 'regular', size: 9 });
  }

  w.heading('Nouveau bureau / New board');
  w.text(`Seuil / threshold\u00a0: ${s.threshold} sur / of ${s.members.length}`);
  w.row(['n°', 'Membre / member', 'Nouveau jeton / new token', 'Clé de vérification / verification key'], [0.06, 0.3, 0.24, 0.4], { font: 'regular', size: 9 });
  for (const m of s.members) {
    const Y = s.result?.election.newKey.verificationKeys[m.index - 1];
    w.row(
      [String(m.index), `${m.name}${m.president ? ' (présidence / president)' : ''}\n${m.role}`, m.token?.label ?? '—', Y === undefined ? '—' : grouped(toHex(Y.toBytes()))],
      [0.06, 0.3, 0.24, 0.4],
      { font: 'mono', size: 7.5 },
    );
  }

  w.heading('Limite honnête / The honest limit');
  w.text(
    "Les anciens jetons ne servent plus au dépouillement de ce bureau\u00a0: il n'accepte que les nouvelles clés de vérification. Mais la clé de l'élection est la même\u00a0: des anciens membres en nombre égal à l'ancien seuil qui auraient gardé une copie de leur jeton (ou de sa sauvegarde papier) pourraient encore déchiffrer, hors de Sceau. La confirmation de destruction est une déclaration signée, pas une preuve.",
    { size: 9 },
  );
  w.text(
    "Old tokens no longer work for this board's tally: it accepts only the new verification keys. But the election key is the same: as many old members as the old threshold who kept a copy of their token (or of its paper backup) could still decrypt, outside Sceau. The confirmation of destruction is a signed statement, not a proof.",
    { size: 9 },
  );

  // Each member's step on their own station or on the workstation (docs/stations.md §5, §7).
  w.heading("Où les étapes des membres ont eu lieu / Where the members' steps ran");
  const where = whereInWords(whereStepsRan([], [], [entries]));
  for (const [i, line] of where.fr.entries()) w.text(`${line} / ${where.en[i]}`, { size: 9 });

  w.heading('Écarts consignés / Recorded deviations');
  const names = [...s.previous.members, ...s.members].map((m) => ({ index: m.index, name: m.name }));
  annexItems(w, deviationAnnex(entries, names));

  w.heading('Journal / Transcript');
  w.text(`${entries.length} entrées / entries. Empreinte de tête / head hash\u00a0:`);
  w.text(grouped(head), { font: 'mono', size: 10 });
  w.qr(`sceau:transcript-head:${head}`, 'Empreinte de la dernière entrée du journal (SHA-256). Hash of the last transcript entry.', 110);

  w.heading('Signatures / Signatures');
  for (const m of [...s.members]) {
    w.ensure(40);
    w.space(12);
    w.text(`${m.index}. ${m.name}`, { size: 9 });
    w.text('Signature\u00a0: ______________________________________', { size: 10 });
  }
  return w.save();
}
