/**
 * Every domain-separation tag Sceau hashes with, in one place. docs/protocol.md lists the same tags;
 * test/core/domain-tags.test.ts fails when the two disagree. A tag never changes meaning: a new
 * version of a proof gets a new tag.
 */
export const DOMAIN = {
  /** Placeholder entry so the map is never empty; the crypto modules add theirs below. */
  generators: 'sceau/v1/generators',
} as const;

export type DomainTag = (typeof DOMAIN)[keyof typeof DOMAIN];
