/**
 * A member's own backups of their token (docs/token.md §7, docs/key-ceremony.md §9): a second drive,
 * a paper backup (the encrypted token as QR codes), or k-of-m cards so that no single card reveals
 * anything. Every backup is the encrypted token file: it still needs the member's passphrase. They are
 * the member's: they are not written to the ceremony folder, which is public.
 */
import { ok, type Result } from '../../common/result.js';
import { fail } from './failures.js';
import type { ElectionDefinition } from '../../election/definition.js';
import { PdfWriter } from '../../report/pdf-writer.js';
import {
  checkExpectations,
  combineCards,
  fromQrPayloads,
  paperBackup,
  readToken,
  restorePaperBackup,
  splitTokenIntoCards,
  toQrPayloads,
  tokenPath,
  writeBackupToken,
  writeToken,
  type FoundToken,
} from '../../token/index.js';

export interface MemberToken {
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  readonly member: number;
  readonly drive: string;
}

async function readMemberToken(t: MemberToken): Promise<Result<FoundToken>> {
  const found = await readToken(tokenPath(t.drive, t.definition.id, t.member));
  if (!found.ok) return found;
  const expected = checkExpectations(found.value.token.public, { fingerprint: t.fingerprint, member: t.member });
  return expected.ok ? found : expected;
}

export async function backupToDrive(t: MemberToken, backupDrive: string): Promise<Result<{ path: string }>> {
  const found = await readMemberToken(t);
  if (!found.ok) return found;
  const written = await writeBackupToken(found.value.path, backupDrive);
  return written.ok ? ok({ path: written.value.path }) : written;
}

function header(w: PdfWriter, t: MemberToken, title: string): void {
  const m = t.definition.board.members[t.member - 1]!;
  w.text(title, { font: 'bold', size: 16 });
  w.text(`${t.definition.title} (${t.definition.id})`, { size: 11 });
  w.text(`Membre / member ${t.member}\u00a0: ${m.name} — ${m.role}`, { size: 11 });
  w.text(
    "Ce document contient le jeton CHIFFRÉ du membre\u00a0: il ne sert qu'avec sa phrase de passe. Conservez-le comme le jeton lui-même. This document holds the member's ENCRYPTED token: it is of use only with their passphrase. Keep it as safely as the token itself.",
    { size: 9 },
  );
  w.space();
}

/** The paper backup: every QR payload of the token, numbered. */
export async function paperBackupPdf(t: MemberToken): Promise<Result<{ pdf: Uint8Array; codes: number }>> {
  const found = await readMemberToken(t);
  if (!found.ok) return found;
  const payloads = paperBackup(found.value.text);
  if (!payloads.ok) return payloads;
  const w = await PdfWriter.create(`Sceau — sauvegarde papier, membre ${t.member}`, `Sceau · ${t.definition.id} · sauvegarde papier / paper backup · membre/member ${t.member}`);
  header(w, t, 'Sauvegarde papier du jeton / Paper backup of the token');
  payloads.value.forEach((p, i) => w.qr(p, `Code ${i + 1}/${payloads.value.length}. Scannez tous les codes pour restaurer le jeton. Scan every code to restore the token.`, 230));
  return ok({ pdf: await w.save(), codes: payloads.value.length });
}

/** k-of-m cards, one per page, each as QR codes: give each card to a different trusted keeper. */
export async function splitBackupPdf(t: MemberToken, k: number, m: number): Promise<Result<{ pdf: Uint8Array; cards: number }>> {
  const found = await readMemberToken(t);
  if (!found.ok) return found;
  const cards = await splitTokenIntoCards(found.value.text, k, m);
  if (!cards.ok) return cards;
  const w = await PdfWriter.create(`Sceau — cartes de sauvegarde, membre ${t.member}`, `Sceau · ${t.definition.id} · cartes/cards ${k}/${m} · membre/member ${t.member}`);
  cards.value.forEach((card, c) => {
    if (c > 0) w.newPage();
    header(w, t, `Carte de sauvegarde ${c + 1}/${m} — backup card ${c + 1}/${m}`);
    w.text(`Il faut ${k} cartes sur ${m} pour restaurer le jeton\u00a0; une carte seule ne révèle rien. ${k} of ${m} cards restore the token; one card alone reveals nothing.`, { size: 10 });
    const payloads = toQrPayloads(new TextEncoder().encode(card), t.fingerprint);
    payloads.forEach((p, i) => w.qr(p, `Carte ${c + 1}, code ${i + 1}/${payloads.length}. Card ${c + 1}, code ${i + 1}/${payloads.length}.`, 210));
  });
  return ok({ pdf: await w.save(), cards: m });
}

/** Groups scanned `SCEAU1` payloads by the file they belong to (their id field) and reassembles each. */
function reassemble(lines: readonly string[], fingerprint: Uint8Array): Result<string[]> {
  const groups = new Map<string, string[]>();
  for (const line of lines) {
    const id = line.split(' ')[3] ?? '';
    groups.set(id, [...(groups.get(id) ?? []), line]);
  }
  const texts: string[] = [];
  for (const payloads of groups.values()) {
    const bytes = fromQrPayloads(payloads, fingerprint);
    if (!bytes.ok) return bytes;
    texts.push(new TextDecoder().decode(bytes.value));
  }
  return ok(texts);
}

/**
 * Writes a restored token to a drive from what was scanned or typed, one item per line: the QR codes of
 * a paper backup, or cards (as their `SCEAUCARD1` lines, or their QR codes). Never replaces a token.
 */
export async function restoreToken(t: MemberToken, lines: readonly string[]): Promise<Result<{ path: string }>> {
  const items = lines.map((l) => l.trim()).filter((l) => l !== '');
  if (items.length === 0) return fail('restore.empty', 'Rien à restaurer\u00a0: scannez ou collez les codes.', 'Nothing to restore: scan or paste the codes.');
  const expect = { fingerprint: t.fingerprint, member: t.member };
  const cardLines = items.filter((l) => l.startsWith('SCEAUCARD1 '));
  const payloads = items.filter((l) => l.startsWith('SCEAU1 '));
  let text: Result<string>;
  if (payloads.length > 0) {
    const files = reassemble(payloads, t.fingerprint);
    if (!files.ok) return files;
    const cards = [...cardLines, ...files.value.filter((f) => f.startsWith('SCEAUCARD1 '))];
    text = cards.length > 0 ? await combineCards(cards, expect) : restorePaperBackup(payloads, expect);
  } else {
    text = await combineCards(cardLines, expect);
  }
  if (!text.ok) return text;
  const written = await writeToken(t.drive, text.value, { replace: 'never' });
  return written.ok ? ok({ path: written.value.path }) : written;
}
