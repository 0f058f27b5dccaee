/**
 * A token between the two visits of the board's signature holds the nonce seed σ (docs/token.md §2.5). No
 * copy of it may exist: a copy used against a forked record would sign a second time with the same nonces,
 * and two shares under one σ on different messages give away the member's board share s_j. So every way
 * of copying a token (backup drive, paper backup, split cards, restore, a rewrite that brings σ back) is
 * refused while `boardNonces` is present.
 */
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import { ownerOf, type TokenPublic } from './format.js';

/** What was asked of the token, as the refusal names it: « Impossible ${fr} », "Cannot ${en}". */
export interface CopyKind {
  readonly fr: string;
  readonly en: string;
}

export const COPY = {
  backupDrive: { fr: "d'en faire une copie de secours", en: 'back it up to another drive' },
  paper: { fr: "d'en faire une sauvegarde papier", en: 'make a paper backup of it' },
  cards: { fr: 'de le partager en cartes de sauvegarde', en: 'split it into backup cards' },
  restore: { fr: 'de le restaurer', en: 'restore it' },
  rewrite: { fr: "de l'écrire sur le fichier du jeton, qui ne porte plus ces nonces", en: 'write it over the token file, which no longer holds these nonces' },
} as const satisfies Record<string, CopyKind>;

/** `token.board.nonces-pending` when the token holds the board nonces; ok otherwise. */
export function refuseWhileNoncesPending(pub: TokenPublic, kind: CopyKind): Result<void> {
  if (pub.boardNonces === undefined) return ok(undefined);
  const who = ownerOf(pub);
  return fail(
    'token.board.nonces-pending',
    `Impossible ${kind.fr}\u00a0: le jeton de ${who.fr} porte encore les nonces de la signature du bureau (entre ses deux passages), et une copie pourrait signer une seconde fois avec les mêmes. Faites d'abord le second passage de la signature du bureau, ou demandez à la présidence de reprendre la signature.`,
    `Cannot ${kind.en}: the token of ${who.en} still holds the nonces of the board's signature (between its two visits), and a copy could sign a second time with the same ones. First make the second visit of the board's signature, or ask the president to restart the signature.`,
  );
}
