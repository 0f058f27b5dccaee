/** Members' smart cards and security keys (docs/token.md §3.2), in French (./devices-en.ts has exactly the same keys). */
export const devicesFr = {
  protection: {
    legend: 'Comment le jeton est protégé',
    passphrase: 'Phrase de passe',
    passphraseHint: 'Une phrase que le membre choisit et retient, tapée deux fois.',
    device: 'Carte ou clé de sécurité',
    deviceHint: 'La carte à puce ou la clé USB de sécurité du membre garde la clé du jeton\u00a0; son code PIN remplace la phrase de passe, et la carte se bloque après quelques erreurs.',
  },
  list: {
    label: 'Carte ou clé de sécurité branchée',
    refresh: 'Actualiser la liste des cartes',
    none: 'Aucune carte ni clé de sécurité branchée. Branchez-la, puis actualisez la liste.',
    option: '{{label}} — {{model}} — n° {{serial}}',
    hasKey: 'porte déjà une clé Sceau',
    finalTry: 'DERNIER essai de PIN',
    locked: 'PIN bloqué',
    pinLength: 'Cette carte attend un code PIN de {{min}} à {{max}} caractères.',
  },
  pin: {
    label: 'Code PIN de la carte',
    enrolHint: 'Le code PIN déjà défini sur la carte (saisi une fois)\u00a0: la carte le vérifie elle-même. Sceau y crée sa clé au premier enrôlement.',
    stepHint: 'Ce jeton est protégé par la carte «\u00a0{{label}}\u00a0» (n° {{serial}})\u00a0: branchez-la et saisissez son code PIN.',
  },
} as const;
