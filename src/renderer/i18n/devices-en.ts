/** Members' smart cards and security keys (docs/token.md §3.2), in English (the same keys as ./devices-fr.ts). */
import type { Messages } from './fr.js';

export const devicesEn: Messages['devices'] = {
  protection: {
    legend: 'How the token is protected',
    passphrase: 'Passphrase',
    passphraseHint: 'A phrase the member chooses and remembers, typed twice.',
    device: 'Card or security key',
    deviceHint: "The member's smart card or USB security key keeps the token's key; its PIN replaces the passphrase, and the card locks after a few mistakes.",
  },
  list: {
    label: 'Card or security key plugged in',
    refresh: 'Refresh the list of cards',
    none: 'No card or security key plugged in. Plug it in, then refresh the list.',
    option: '{{label}} — {{model}} — no. {{serial}}',
    hasKey: 'already holds a Sceau key',
    finalTry: 'LAST PIN try',
    locked: 'PIN locked',
    pinLength: 'This card expects a PIN of {{min}} to {{max}} characters.',
  },
  pin: {
    label: "The card's PIN",
    enrolHint: 'The PIN already set on the card (typed once): the card checks it itself. Sceau makes its key on it at the first enrolment.',
    stepHint: 'This token is protected by the card "{{label}}" (no. {{serial}}): plug it in and type its PIN.',
  },
};
