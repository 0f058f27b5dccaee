/**
 * The way out when the board's signature (step 7b) cannot be made (docs/tally-ceremony.md §2, step 8): the
 * president's explicit decision, recorded as a `tally.deviation` of kind `board-signature-abandoned`, to close
 * the tally without it. Decryption tolerates n − t absences, but the board's signature needs t holders of the
 * board key not excluded (SECURITY.md): without this, a counted tally could never close. The decision is in
 * the record, on the deviation annex of every paper, and the seals are then version 1 (results.md §2).
 */
import { ok, type Result } from '../../common/result.js';
import { TALLY_FAILURES } from './failures.js';
import { notNow, type TallyFolder } from './folder.js';

/** The reason's longest length, in characters once trimmed: a sentence or two, printed in the annex. */
export const ABANDON_REASON_MAX = 500;

const CODE = 'tally.board-abandoned';

/** The recorded message: the core's French and English around the reason the president typed, as typed. */
function abandonment(reason: string) {
  return TALLY_FAILURES.failure(
    CODE,
    `Clôture sans la signature du bureau, décidée par le président. Motif\u00a0: «\u00a0${reason}\u00a0». Les procès-verbaux ne portent que les signatures des membres.`,
    `Closing without the board's signature, decided by the president. Reason: "${reason}". The PVs carry the members' signatures only.`,
  );
}

/** Why the decision cannot be recorded now, or undefined when it can (the fold's rule, said before the entry is made). */
function refusal(f: TallyFolder): Result<never> | undefined {
  const s = f.state;
  if (f.onStation) {
    return notNow(
      'Décision de la présidence\u00a0: elle se prend sur le poste de la présidence, pas sur un poste de membre.',
      "The president's decision: it is taken on the president's workstation, not on a member's station.",
    );
  }
  if (!s.opened || s.phase !== 'closing') {
    return notNow(
      `Clôture sans la signature du bureau impossible maintenant\u00a0: chaque membre doit d'abord avoir signé (étape en cours\u00a0: ${s.phase}).`,
      `Closing without the board's signature not possible now: every member must have signed first (current step: ${s.phase}).`,
    );
  }
  if (s.boardKey === null) {
    return TALLY_FAILURES.fail(
      'tally.no-board-key',
      "La cérémonie des clés n'a pas fait de clé de signature du bureau\u00a0: il n'y a pas de signature du bureau à laquelle renoncer.",
      'The key ceremony made no board signing key: there is no board signature to do without.',
    );
  }
  if (s.boardSignature !== undefined)
    return TALLY_FAILURES.fail('tally.member-twice', 'Le bureau a déjà signé\u00a0: clôturez avec sa signature.', 'The board has already signed: close with its signature.');
  if (s.boardAbandoned !== undefined) return notNow('La clôture sans la signature du bureau est déjà décidée.', "Closing without the board's signature is already decided.");
  return undefined;
}

/** The reason trimmed, or why it is refused (empty, or longer than {@link ABANDON_REASON_MAX}). */
function reasonOf(reason: unknown): Result<string> {
  const trimmed = typeof reason === 'string' ? reason.trim() : '';
  if (trimmed === '') {
    return TALLY_FAILURES.fail(
      'tally.inputs',
      'Donnez le motif de la clôture sans la signature du bureau\u00a0: il est enregistré et imprimé.',
      "Give the reason for closing without the board's signature: it is recorded and printed.",
    );
  }
  if ([...trimmed].length > ABANDON_REASON_MAX) {
    return TALLY_FAILURES.fail('tally.inputs', `Motif trop long\u00a0: ${ABANDON_REASON_MAX} caractères au plus.`, `Reason too long: ${ABANDON_REASON_MAX} characters at most.`);
  }
  return ok(trimmed);
}

/** Records the president's decision to close without the board's signature; the closing (step 8) is then due. */
export async function abandonBoardSignature(f: TallyFolder, reason: unknown): Promise<Result<void>> {
  const refused = refusal(f);
  if (refused !== undefined) return refused;
  const text = reasonOf(reason);
  if (!text.ok) return text;
  const recorded = await f.deviation<void>('board-signature-abandoned', null, abandonment(text.value));
  return !recorded.ok && recorded.error.code === CODE ? ok(undefined) : recorded;
}
