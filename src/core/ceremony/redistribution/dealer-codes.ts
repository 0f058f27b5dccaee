/**
 * Before an old member's station deals their share (docs/stations.md §7, docs/redistribution.md §15.5): the
 * share is encrypted to the new members' encryption keys the packet's transcript holds, each signed by an
 * identity key that only the new member's station can vouch for. The dealer confirms, for every new member,
 * the enrolment code (the first 16 hex of that identity key, ../enrolment-codes.ts) the member reads aloud
 * from their own station; a packet forked on the stick or by the workstation, with keys someone else holds,
 * is then refused before any share leaves the old token.
 */
import type { Failure } from '../../common/result.js';
import { unconfirmedCode, type EnrolmentCode } from '../enrolment-codes.js';
import { failure } from './failures.js';
import type { NewMemberState } from './state.js';

/** Why the dealing is refused: the first new member whose code was not confirmed, or differs from their enrolled key's. */
export function newMemberCodesRefusal(members: readonly NewMemberState[], codes: readonly EnrolmentCode[]): Failure | undefined {
  const unconfirmed = unconfirmedCode(members, codes);
  if (unconfirmed === undefined) return undefined;
  const m = unconfirmed.member;
  return !unconfirmed.given
    ? failure(
        'redistribution.enrolment-code',
        `Distribution refusée\u00a0: le code d'enrôlement du nouveau membre ${m.index} (${m.name}) n'a pas été confirmé. Chaque nouveau membre lit à voix haute le code que son propre poste affiche.`,
        `Dealing refused: new member ${m.index}'s (${m.name}) enrolment code was not confirmed. Each new member reads aloud the code their own station shows.`,
        `member ${m.index}`,
      )
    : failure(
        'redistribution.enrolment-code',
        `Distribution refusée\u00a0: le code d'enrôlement du nouveau membre ${m.index} (${m.name}) n'est pas celui de la clé inscrite dans ce paquet. Le paquet a pu être modifié\u00a0: ne distribuez pas, prévenez la présidence.`,
        `Dealing refused: new member ${m.index}'s (${m.name}) enrolment code is not that of the key in this packet. The packet may have been altered: do not deal, tell the president.`,
        `member ${m.index}`,
      );
}
