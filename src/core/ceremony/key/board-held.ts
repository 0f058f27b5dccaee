/**
 * Who holds the board signing key once the sealings are in (docs/key-ceremony.md §4.4), read from the folded state
 * (./state.ts): the members whose sealing recorded a verifying share, less every dealer an upheld complaint names;
 * the board key is made when at least t of them hold one.
 */
import { toHex } from '../../common/bytes.js';
import type { GroupPublic } from '../../crypto/frost/index.js';
import { boardHolders, type BoardKeyState } from './board-key.js';

/** What these functions read of the folded state (./state.ts), named here because state.ts imports them. */
interface HoldingState {
  readonly board?: BoardKeyState;
  readonly members: readonly { readonly index: number; readonly boardVerifyingShare?: string }[];
  readonly phase: string;
  readonly t: number;
}

/** The members who hold a usable share of the board key (§4.4): sealed a verifying share, and no upheld complaint names them as dealer. */
export function boardHoldersOf(state: HoldingState): number[] {
  if (state.board === undefined) return [];
  const sealed = state.members.filter((m) => m.boardVerifyingShare !== undefined).map((m) => m.index);
  return boardHolders(sealed, state.board.verdicts);
}

const SEALING_DONE: ReadonlySet<string> = new Set(['confirmation', 'closing', 'closed']);

/**
 * The board key once made (§4.4): its public data recorded by the result, once every qualified member has sealed,
 * when at least t members hold a usable share of it (the DKG's rule, dkg.md §5).
 */
export function boardKeyOf(state: HoldingState): GroupPublic | undefined {
  const group = state.board?.group ?? undefined;
  if (group === undefined || !SEALING_DONE.has(state.phase)) return undefined;
  return boardHoldersOf(state).length >= state.t ? group : undefined;
}

/** The board key a member confirms (§4.4): when it is made and their token holds their share of it. */
export function confirmedBoardKey(state: HoldingState, m: { readonly index: number }): string | undefined {
  const key = boardKeyOf(state);
  return key !== undefined && boardHoldersOf(state).includes(m.index) ? toHex(key.groupKey) : undefined;
}

/** The settled complaints about board-key boxes (§4.4), each verdict's own words: whom it puts at fault and why. */
export function boardVerdictsOf(state: HoldingState): readonly { readonly fr: string; readonly en: string }[] {
  return (state.board?.verdicts ?? []).map((v) => v.message);
}

/** Why the board key is not made once the sealings are in, or undefined (made, not yet known, or none in this ceremony). */
export function boardKeyNotMade(state: HoldingState): { readonly fr: string; readonly en: string } | undefined {
  if (state.board?.group === null) return { fr: 'trop peu de membres y ont pris part.', en: 'too few members took part in it.' };
  if (state.board?.group === undefined || !SEALING_DONE.has(state.phase) || boardKeyOf(state) !== undefined) return undefined;
  const holders = boardHoldersOf(state);
  return {
    fr: `seuls ${holders.length} membres en détiennent une part utilisable, moins que le seuil (${state.t}), après les plaintes sur les parts de la clé du bureau.`,
    en: `only ${holders.length} members hold a usable share of it, fewer than the threshold (${state.t}), after the complaints about the board key's shares.`,
  };
}
