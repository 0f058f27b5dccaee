/**
 * Before a member's station deals shares to the other members (docs/stations.md §3, docs/key-ceremony.md
 * §3): at `contribute` (the election key's shares, and the board key's round 1 drawn from the enrolled
 * keys) and at `check` (the board key's shares, FROST round 2), the station encrypts to the encryption keys
 * the packet's transcript holds, each signed by an identity key only the other member's own station can
 * vouch for. The member confirms, for every other member the step deals to (`shareRecipients`), the
 * enrolment code (../enrolment-codes.ts) that member read aloud from their own station; a packet forked on the stick or by the workstation, with keys
 * someone else holds, is then refused before the token is opened. On the workstation (one-machine mode)
 * no code is asked: it opens every token and is trusted with the key anyway.
 */
import type { Failure } from '../../common/result.js';
import { unconfirmedCode, type EnrolmentCode } from '../enrolment-codes.js';
import { failure } from './failures.js';
import { validContributors, type KeyCeremonyState } from './state.js';

/** The step that deals shares, as its refusal names it. */
const STEP_WORDS = {
  contribute: { fr: 'Contribution refusée', en: 'Contribution refused' },
  check: { fr: 'Vérification refusée', en: 'Check refused' },
} as const;

/**
 * The members a step's shares go to (the member themselves among them): at `contribute` every enrolled
 * member; at `check` only the board key's round 2 recipients, the valid contributors. A member left out
 * at round 1 gets nothing then, and may not be there to read their code: asking for it would stall the others.
 */
export function shareRecipients(state: KeyCeremonyState, step: keyof typeof STEP_WORDS): number[] {
  return step === 'contribute' ? state.members.map((m) => m.index) : validContributors(state);
}

/** Why `member`'s step on a station is refused: the first other recipient whose enrolment code was not confirmed, or differs from their enrolled key's. */
export function otherMembersCodesRefusal(state: KeyCeremonyState, member: number, codes: readonly EnrolmentCode[], step: keyof typeof STEP_WORDS): Failure | undefined {
  const recipients = shareRecipients(state, step);
  const unconfirmed = unconfirmedCode(
    state.members.filter((m) => m.index !== member && recipients.includes(m.index)),
    codes,
  );
  if (unconfirmed === undefined) return undefined;
  const m = unconfirmed.member;
  const words = STEP_WORDS[step];
  return !unconfirmed.given
    ? failure(
        'ceremony.enrolment-code',
        `${words.fr}\u00a0: le code d'enrôlement du membre ${m.index} (${m.name}) n'a pas été saisi. Chaque membre lit à voix haute le code que son propre poste a affiché à son enrôlement.`,
        `${words.en}: member ${m.index}'s (${m.name}) enrolment code was not typed. Each member reads aloud the code their own station showed at their enrolment.`,
        `member ${m.index}`,
      )
    : failure(
        'ceremony.enrolment-code',
        `${words.fr}\u00a0: le code d'enrôlement du membre ${m.index} (${m.name}) n'est pas celui de la clé inscrite dans ce paquet. Vérifiez le code avec le membre\u00a0; s'il est juste, le paquet a pu être modifié\u00a0: ne continuez pas, prévenez la présidence.`,
        `${words.en}: member ${m.index}'s (${m.name}) enrolment code is not that of the key in this packet. Check the code with the member; if it is right, the packet may have been altered: do not go on, tell the president.`,
        `member ${m.index}`,
      );
}
