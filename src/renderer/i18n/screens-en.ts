/** What the screens add around the lists of members and drives, in English (the same keys as ./screens-fr.ts). */
import type { Messages } from './fr.js';

export const screensEn: Messages['screens'] = {
  drives: {
    holds_one: "member {{members}}'s token",
    holds_other: "members {{members}}'s tokens",
    otherMember: "Warning: this drive holds another member's token ({{members}}). Check that it is the chosen member's USB stick.",
    holdsToken: "Warning: this drive holds a token ({{members}}). Prefer a drive without a token: a member's stick must not leave their hands.",
    holdsOther_one: 'token of another election ({{tokens}})',
    holdsOther_other: 'tokens of other elections ({{tokens}})',
    token: '{{election}}, member {{member}}',
    tokenSeparator: '; ',
    otherElection_one: "Warning: this drive holds a token of another election ({{tokens}}), not this election's. Check that it is the chosen member's USB stick for this election.",
    otherElection_other: "Warning: this drive holds tokens of other elections ({{tokens}}), not this election's. Check that it is the chosen member's USB stick for this election.",
  },
  members: {
    legend: '●: member called at this step, proposed first.',
    tallyLegend: '✔: done. ● in the list: member expected, proposed first.',
  },
};
