/**
 * The rules a new board must follow (docs/redistribution.md §15.2), checked by the opening step before it
 * writes and by the fold when it reads the opening back: one function, so both say the same.
 */
import type { Bilingual } from '../../common/result.js';
import { MAX_MEMBERS } from '../../crypto/redistribute/index.js';
import type { CurrentBoard } from './board.js';
import type { NewMember } from './payloads.js';

const ascending = (xs: readonly number[]) => xs.every((x, k) => Number.isSafeInteger(x) && x >= 1 && x <= MAX_MEMBERS && (k === 0 || x > xs[k - 1]!));

/** What is wrong with the dealers, the new board and its threshold, or undefined when they may go ahead. */
export function boardChangeProblem(previous: CurrentBoard, dealers: readonly number[], members: readonly NewMember[], threshold: number, reason: string): Bilingual | undefined {
  const holders = previous.members.map((m) => m.index);
  if (!ascending(dealers) || dealers.some((i) => !holders.includes(i))) {
    return {
      fr: `anciens membres présents ${dealers.join(', ')}\u00a0: il faut des membres du bureau actuel (${holders.join(', ')}), croissants.`,
      en: `old members present ${dealers.join(', ')}: they must be members of the current board (${holders.join(', ')}), ascending.`,
    };
  }
  if (dealers.length < previous.threshold) {
    return {
      fr: `${dealers.length} anciens membres présents, il en faut au moins ${previous.threshold} (le seuil du bureau actuel).`,
      en: `${dealers.length} old members present, at least ${previous.threshold} needed (the current board's threshold).`,
    };
  }
  const board = previous.board?.key;
  const boardDealers = board === undefined ? [] : dealers.filter((i) => board.holders.includes(i));
  if (board !== undefined && boardDealers.length < board.threshold) {
    // The board key is dealt by its holders only (docs/key-ceremony.md §4.4): t of them keep it.
    return {
      fr: `parmi les anciens membres présents, ${boardDealers.length} détiennent la clé de signature du bureau (détenteurs\u00a0: ${board.holders.join(', ')}), il en faut au moins ${board.threshold}.`,
      en: `among the old members present, ${boardDealers.length} hold the board signing key (holders: ${board.holders.join(', ')}), at least ${board.threshold} needed.`,
    };
  }
  const numbers = members.map((m) => m.index);
  if (numbers.length === 0 || !ascending(numbers))
    return { fr: `nouveau bureau ${numbers.join(', ')}\u00a0: des numéros de 1 à ${MAX_MEMBERS}, croissants.`, en: `new board ${numbers.join(', ')}: numbers from 1 to ${MAX_MEMBERS}, ascending.` };
  for (const m of members) {
    const staying = previous.members.find((o) => o.index === m.index);
    if (staying === undefined && previous.numbersUsed.includes(m.index)) {
      return { fr: `le numéro ${m.index} a déjà servi\u00a0: un nouveau membre prend un numéro jamais utilisé.`, en: `number ${m.index} was used before: a new member takes a number never used.` };
    }
    if (staying !== undefined && staying.name !== m.name) {
      return { fr: `le membre ${m.index} reste au bureau sous le nom ${staying.name}, pas ${m.name}.`, en: `member ${m.index} stays on the board as ${staying.name}, not ${m.name}.` };
    }
    if (m.name.trim() === '') return { fr: `le nouveau membre ${m.index} n'a pas de nom.`, en: `new member ${m.index} has no name.` };
  }
  if (members.filter((m) => m.president).length !== 1) return { fr: 'le nouveau bureau a une présidence, et une seule.', en: 'the new board has one president, and only one.' };
  const minimum = previous.board === undefined ? 1 : 2;
  if (!Number.isSafeInteger(threshold) || threshold < minimum || threshold > members.length) {
    return {
      fr: `seuil ${threshold} pour ${members.length} membres (il faut ${minimum} ≤ seuil ≤ membres).`,
      en: `threshold ${threshold} for ${members.length} members (need ${minimum} ≤ threshold ≤ members).`,
    };
  }
  if (reason.trim() === '') return { fr: 'le motif du changement de bureau manque.', en: 'the reason for the change of board is missing.' };
  return undefined;
}
