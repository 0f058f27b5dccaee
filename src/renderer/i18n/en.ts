import type { Messages } from './fr.js';

export const en: Messages = {
  app: {
    name: 'Sceau',
    tagline: "Offline workstation of the electronic voting board",
    skip: 'Skip to content',
    language: 'Language',
    nav: { home: 'Home', integrity: 'About and integrity' },
  },
  home: {
    title: 'Home',
    intro:
      "Sceau conducts the board's two ceremonies: generating the election key, then the tally on a disconnected workstation. Every step is recorded in a signed transcript that observers can verify.",
    ceremonies: 'Ceremonies',
    unavailable: 'Not available yet in this version.',
    newElection: { title: 'New election', text: 'Define the election: constituencies, candidates, board members, threshold.' },
    keyCeremony: { title: 'Key ceremony', text: 'The members jointly generate the election key; each leaves with their fragment.' },
    tallyCeremony: { title: 'Tally ceremony', text: 'Import the urn, shuffle it, decrypt it together, publish the official reports.' },
    audit: { title: 'Audit and verification', text: 'Follow, replay and verify a ceremony or an election record.' },
  },
  network: {
    title: 'Network connection',
    offline: 'Offline: no network interface is connected.',
    online: 'Connected: {{names}}. Key operations will be refused while this workstation is connected.',
    recheck: 'Check again',
    checking: 'Checking…',
    source: 'Source: {{source}}, {{time}}',
  },
  integrity: {
    title: 'About and integrity',
    intro:
      'SHA-256 measurement of the shipped files of this software. Compare it, aloud, with the measurement published for this version: if they differ, this workstation is not running the published software.',
    version: 'Version {{version}} — {{transport}} mode — {{platform}}',
    digest: 'Software measurement',
    files: '{{count}} files, {{bytes}} bytes',
    manifest: 'Measured files',
    path: 'File',
    hash: 'SHA-256',
    measuring: 'Measuring…',
  },
  errors: {
    noToken: 'This page was opened without its access token. Open the full address printed by "sceau serve" (it ends with #token=…).',
    failed: 'Failed: {{message}}',
  },
};
