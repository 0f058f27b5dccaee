/**
 * The token-holder sheet (docs/key-ceremony.md §7.1): printed at the end of the key ceremony, it says who
 * holds which token, with the identity key recorded for it (as the ceremony's report prints it), and leaves
 * for each member the lines the board fills in by hand: the kind of backup and where it is kept, and the
 * member's signature on receiving the token. The board keeps it with the ceremony's report; at the tally,
 * the president checks each token brought back against it.
 */
import { fromHex, groupedHex } from '../../common/bytes.js';
import type { ElectionDefinition } from '../../election/definition.js';
import { dateLines } from '../../report/dates.js';
import { PdfWriter } from '../../report/pdf-writer.js';
import { isRehearsal, type KeyCeremonyState, type MemberState } from './state.js';

export interface TokenSheetInput {
  readonly definition: ElectionDefinition;
  readonly state: Readonly<KeyCeremonyState>;
  readonly head: string;
  readonly generatedAt: Date;
}

const BACKUP_KINDS = '[ ] papier (codes QR) / paper (QR codes)   [ ] cartes partagées / split cards   [ ] second support / second drive   [ ] aucune / none';

function memberBlock(w: PdfWriter, m: MemberState): void {
  w.ensure(150);
  w.space(10);
  w.text(`${m.index}. ${m.name}${m.president ? ' (présidence / president)' : ''} — ${m.role}`, { font: 'bold', size: 11 });
  w.text(`Jeton / token\u00a0: ${m.token === undefined ? '— (pas enrôlé / not enrolled)' : `«\u00a0${m.token.label}\u00a0»`}`, { size: 10, indent: 12 });
  w.text("Clé d'identité du jeton / the token's identity key\u00a0:", { size: 10, indent: 12 });
  w.text(m.identityKey === undefined ? '—' : groupedHex(fromHex(m.identityKey)), { font: 'mono', size: 9, indent: 24 });
  w.text(`État / status\u00a0: ${statusOf(m)}`, { size: 9, indent: 12 });
  w.text(`Sauvegarde / backup\u00a0: ${BACKUP_KINDS}`, { size: 8.5, indent: 12 });
  w.text('Conservée à / kept at\u00a0: ________________________________________________', { size: 10, indent: 12 });
  w.space(6);
  w.text('Remis le / handed over on\u00a0: ____ / ____ / ______  à / at ____ h ____', { size: 10, indent: 12 });
  w.text('Signature du membre / member’s signature\u00a0: ______________________________', { size: 10, indent: 12 });
}

function statusOf(m: MemberState): string {
  if (m.qualified === false) return 'disqualifié\u00a0: son jeton ne sert pas au dépouillement / disqualified: their token plays no part in the tally';
  if (m.sealed && m.confirmed) return 'fragment de clé scellé sur le jeton, confirmé / key share sealed on the token, confirmed';
  if (m.sealed) return 'fragment de clé scellé sur le jeton / key share sealed on the token';
  return 'fragment de clé pas encore scellé / key share not sealed yet';
}

export async function tokenHolderSheet(input: TokenSheetInput): Promise<Uint8Array> {
  const { definition: def, state, head } = input;
  const closed = state.phase === 'closed';
  const w = await PdfWriter.create(`Sceau — ${def.title} — remise des jetons`, `Sceau · ${def.id} · journal/transcript ${head.slice(0, 16)}…`);
  if (isRehearsal(state)) w.markRehearsal();
  w.text('Bureau du vote électronique — Electronic voting board', { size: 10, color: [0.25, 0.25, 0.25] });
  w.text('Fiche de remise des jetons', { font: 'bold', size: 18 });
  w.text('Token-holder sheet', { size: 12, color: [0.25, 0.25, 0.25] });
  w.space();
  w.text(def.title, { font: 'bold', size: 12 });
  w.text(`Élection / election\u00a0: ${def.id} · seuil / threshold\u00a0: ${state.t} sur ${state.n} / of ${state.n}`);
  w.text(`Empreinte de l'élection / election fingerprint\u00a0: ${groupedHex(fromHex(state.fingerprint))}`, { font: 'mono', size: 8 });
  w.text(`État / state\u00a0: ${closed ? 'cérémonie close / ceremony closed' : `cérémonie en cours (${state.phase})\u00a0: fiche provisoire / ceremony in progress: provisional sheet`}`);
  dateLines(w, { made: input.generatedAt });
  w.space();
  w.text(
    `Chaque membre reçoit son jeton contre signature\u00a0; la clé d'identité imprimée pour lui est celle du procès-verbal de la cérémonie. ${state.t} jetons suffisent au dépouillement\u00a0: un jeton perdu se déclare aussitôt à la présidence.`,
    { size: 9 },
  );
  w.text(
    `Each member receives their token against their signature; the identity key printed for them is the one in the ceremony's report. ${state.t} tokens are enough for the tally: a lost token is reported to the president at once.`,
    { size: 9 },
  );
  for (const m of state.members) memberBlock(w, m);
  w.ensure(90);
  w.space(16);
  w.text('La présidence / the president\u00a0: nom / name ____________________________  signature ______________________', { size: 10 });
  return w.save();
}
