/** French, the board's language and the default. English (./en.ts) must have exactly the same keys. */
export const fr = {
  app: {
    name: 'Sceau',
    tagline: 'Poste hors ligne du bureau du vote électronique',
    skip: 'Aller au contenu',
    language: 'Langue',
    nav: { home: 'Accueil', integrity: 'À propos et intégrité' },
  },
  home: {
    title: 'Accueil',
    intro:
      "Sceau conduit les deux cérémonies du bureau du vote électronique : la génération de la clé de l'élection, puis le dépouillement sur un poste déconnecté. Chaque étape est consignée dans un journal signé que les observateurs peuvent vérifier.",
    ceremonies: 'Cérémonies',
    unavailable: 'Pas encore disponible dans cette version.',
    newElection: { title: 'Nouvelle élection', text: "Définir l'élection : circonscriptions, candidats, membres du bureau, seuil." },
    keyCeremony: { title: 'Cérémonie des clés', text: "Les membres génèrent ensemble la clé de l'élection ; chacun repart avec son fragment." },
    tallyCeremony: { title: 'Cérémonie de dépouillement', text: "Importer l'urne, la mélanger, la déchiffrer à plusieurs, publier les procès-verbaux." },
    audit: { title: 'Audit et vérification', text: "Suivre, rejouer et vérifier une cérémonie ou un registre d'élection." },
  },
  network: {
    title: 'Connexion réseau',
    offline: 'Hors ligne : aucune interface réseau connectée.',
    online: 'Connecté : {{names}}. Les opérations sur les clés seront refusées tant que le poste est connecté.',
    recheck: 'Vérifier à nouveau',
    checking: 'Vérification…',
    source: 'Source : {{source}}, {{time}}',
  },
  integrity: {
    title: 'À propos et intégrité',
    intro:
      "Empreinte SHA-256 des fichiers livrés de ce logiciel. Comparez-la, à voix haute, avec l'empreinte publiée pour cette version : si elles diffèrent, ce poste n'exécute pas le logiciel publié.",
    version: 'Version {{version}} — mode {{transport}} — {{platform}}',
    digest: 'Empreinte du logiciel',
    files: '{{count}} fichiers, {{bytes}} octets',
    manifest: 'Liste des fichiers mesurés',
    path: 'Fichier',
    hash: 'SHA-256',
    measuring: 'Mesure en cours…',
  },
  errors: {
    noToken:
      "Cette page a été ouverte sans son jeton d'accès. Ouvrez l'adresse complète affichée par « sceau serve » (elle se termine par #token=…).",
    failed: 'Échec : {{message}}',
  },
} as const;

/** Same keys, any strings: the shape English must have. */
type Strings<T> = { readonly [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
export type Messages = Strings<typeof fr>;
