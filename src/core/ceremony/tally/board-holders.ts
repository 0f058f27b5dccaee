/**
 * Who may sign for the board at the tally (docs/tally-ceremony.md step 7b, docs/key-ceremony.md §4.4): the
 * holders of the board key only. After the key ceremony they are the members who sealed a verifying share,
 * less every dealer an upheld complaint names (key/board-held.ts `boardHoldersOf`): such a dealer's token may
 * still hold a valid share, which the board's signature must not use. After redistributions, the holders of
 * the last board-key result. One small rule, used by the fold (board-state.ts) and by the visits
 * (board-signature.ts), so that both say the same.
 */
import { ok, type Bilingual, type Result } from '../../common/result.js';
import { fail } from './failures.js';

/** Why member j may not sign for the board, or undefined when they hold the board key. */
export function notBoardHolder(holders: readonly number[], j: number): Bilingual | undefined {
  if (holders.includes(j)) return undefined;
  const list = holders.join(', ');
  return {
    fr: `le membre ${j} ne détient pas la clé de signature du bureau (détenteurs\u00a0: ${list})\u00a0: une plainte retenue à la cérémonie des clés l'a mis en faute, ou il n'en a scellé aucune part. Il ne signe pas pour le bureau.`,
    en: `member ${j} does not hold the board signing key (holders: ${list}): an upheld complaint at the key ceremony put them at fault, or they sealed no share of it. They do not sign for the board.`,
  };
}

/** A board visit by member j (step 7b), refused before their token is opened when they do not hold the board key. */
export function boardVisitAllowed(holders: readonly number[], j: number): Result<void> {
  const why = notBoardHolder(holders, j);
  return why === undefined ? ok(undefined) : fail('tally.board-not-holder', `Signature du bureau refusée\u00a0: ${why.fr}`, `Board signature refused: ${why.en}`);
}
