/**
 * Every domain-separation tag Sceau hashes with, in one place. docs/*.md list the same tags in tables;
 * test/core/domain-tags.test.ts fails when the two disagree. A tag never changes meaning: a new
 * version of a proof gets a new tag. Each group below belongs to one module; keep them apart.
 */
export const DOMAIN = {
  generators: 'sceau/v1/generators',
  // --- elgamal, ballots, Chaum–Pedersen, decryption, signatures (docs/protocol.md) ---
  choice: 'sceau/v1/choice',
  ballot: 'sceau/v1/ballot',
  decryptionSeed: 'sceau/v1/decryption/seed',
  decryptionWeights: 'sceau/v1/decryption/weights',
  decryptionProof: 'sceau/v1/decryption/proof',
  hedgedNonce: 'sceau/v1/hedged-nonce',
  signatureTranscriptEntry: 'sceau/v1/signature/transcript-entry',
  signaturePv: 'sceau/v1/signature/pv',
  // --- the board signature, FROST (docs/protocol.md §12) ---
  frostPv: 'sceau/v1/frost/pv',
  frostResults: 'sceau/v1/frost/results',
  frostDkgSeed: 'sceau/v1/frost/dkg-seed',
  frostNonceSeed: 'sceau/v1/frost/nonce-seed',
  frostSeedKey: 'sceau/v1/frost/seed-key',
  frostCommitments: 'sceau/v1/frost/commitments',
  frostEphemeral: 'sceau/v1/frost/ephemeral',
  frostShareKey: 'sceau/v1/frost/share-key',
  frostShareAad: 'sceau/v1/frost/share-aad',
  frostComplaint: 'sceau/v1/frost/complaint',
  // --- distributed key generation (docs/dkg.md) ---
  dkgPok: 'sceau/v1/dkg/pok',
  dkgCommitments: 'sceau/v1/dkg/commitments',
  dkgShareKey: 'sceau/v1/dkg/share-key',
  dkgShareAad: 'sceau/v1/dkg/share-aad',
  dkgComplaint: 'sceau/v1/dkg/complaint',
  dkgEphemeral: 'sceau/v1/dkg/ephemeral',
  // --- redistribution of a shared key to a new board (docs/redistribution.md) ---
  redistributionSetup: 'sceau/v1/redistribution/setup',
  redistributionCommitments: 'sceau/v1/redistribution/commitments',
  redistributionShareKey: 'sceau/v1/redistribution/share-key',
  redistributionShareAad: 'sceau/v1/redistribution/share-aad',
  redistributionEphemeral: 'sceau/v1/redistribution/ephemeral',
  redistributionComplaint: 'sceau/v1/redistribution/complaint',
  // --- election data, transcript, urn, record (docs/formats.md) ---
  electionFingerprint: 'sceau/v1/election',
  transcriptEntryHash: 'sceau/v1/transcript/entry',
  transcriptStationEntry: 'sceau/v1/transcript/station-entry',
  signatureStationEntry: 'sceau/v1/signature/station-entry',
  urnSignature: 'sceau/v1/signature/urn',
  receipt: 'sceau/v1/receipt',
  // --- shuffle (docs/shuffle.md) ---
  shuffleStatement: 'sceau/v1/shuffle/statement',
  shuffleU: 'sceau/v1/shuffle/u',
  shuffleChallenge: 'sceau/v1/shuffle/challenge',
  // --- tokens (docs/token.md) ---
  tokenAad: 'sceau/v1/token/aad',
  tokenPaper: 'sceau/v1/token/paper',
  tokenCard: 'sceau/v1/token/card',
  tokenDevice: 'sceau/v1/token/device',
} as const;

export type DomainTag = (typeof DOMAIN)[keyof typeof DOMAIN];
