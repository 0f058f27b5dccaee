/** What the screens add around the lists of members and drives, in French (./screens-en.ts has the same keys). */
export const screensFr = {
  drives: {
    holds_one: 'jeton du membre {{members}}',
    holds_other: 'jetons des membres {{members}}',
    holds_many: 'jetons des membres {{members}}',
    otherMember: 'Attention\u00a0: ce support porte le jeton d’un autre membre ({{members}}). Vérifiez que c’est bien la clé USB du membre choisi.',
    holdsToken: 'Attention\u00a0: ce support porte un jeton ({{members}}). Préférez un support sans jeton\u00a0: la clé d’un membre ne doit pas quitter ses mains.',
    holdsOther_one: 'jeton d’une autre élection ({{tokens}})',
    holdsOther_other: 'jetons d’autres élections ({{tokens}})',
    holdsOther_many: 'jetons d’autres élections ({{tokens}})',
    token: '{{election}}, membre {{member}}',
    tokenSeparator: '\u00a0; ',
    otherElection_one:
      'Attention\u00a0: ce support porte le jeton d’une autre élection ({{tokens}}), pas celui de cette élection. Vérifiez que c’est bien la clé USB du membre choisi pour cette élection.',
    otherElection_other:
      'Attention\u00a0: ce support porte des jetons d’autres élections ({{tokens}}), pas celui de cette élection. Vérifiez que c’est bien la clé USB du membre choisi pour cette élection.',
    otherElection_many:
      'Attention\u00a0: ce support porte des jetons d’autres élections ({{tokens}}), pas celui de cette élection. Vérifiez que c’est bien la clé USB du membre choisi pour cette élection.',
  },
  members: {
    legend: '●\u00a0: membre appelé à cette étape, proposé en premier.',
    tallyLegend: '✔\u00a0: fait. ● dans la liste\u00a0: membre attendu, proposé en premier.',
  },
} as const;
