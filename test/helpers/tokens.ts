import { sha256 } from '@noble/hashes/sha2.js';
import { createMemberSecrets, sealToken, tokenPublicFor, type MemberSecrets, type TokenPublic } from '../../src/core/token/index.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { seededScalars } from '../../src/core/crypto/group.js';

export const FP = sha256(new TextEncoder().encode('election A'));
export const OTHER_FP = sha256(new TextEncoder().encode('election B'));
export const PASS = 'cheval agrafe Batterie 42 correcte';
export const FAST = { policy: TEST_POLICY } as const;

export const NAMES = ['Claire Dupont', 'Jean Martin', 'Aïcha Benali', 'Paul Durand', 'Élise Moreau'];

/** A fast (test-profile) token of member `index`, with deterministic secrets per index. */
export async function makeToken(index = 1, options: { fingerprint?: Uint8Array; electionId?: string; passphrase?: string } = {}): Promise<{ text: string; pub: TokenPublic; secrets: MemberSecrets }> {
  const seed = new Uint8Array(32).fill(index);
  const secrets = createMemberSecrets({ random: seededScalars(seed), identitySeed: seed });
  const pub = tokenPublicFor({ id: options.electionId ?? 'municipales-2026', fingerprint: options.fingerprint ?? FP }, { index, name: NAMES[index - 1] ?? `Membre ${index}` }, secrets);
  const sealed = await sealToken(pub, secrets, options.passphrase ?? PASS, FAST);
  if (!sealed.ok) throw new Error(sealed.error.message.en);
  return { text: sealed.value, pub, secrets };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary fields
export type Json = Record<string, any>;

/** Edits a token's JSON. */
export function edit(text: string, change: (json: Json) => void): string {
  const json = JSON.parse(text) as Json;
  change(json);
  return `${JSON.stringify(json, null, 2)}\n`;
}

export function expectFailure<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: { fr: string; en: string } } }, code: string): { fr: string; en: string } {
  if (r.ok) throw new Error(`expected failure ${code}, got success`);
  if (r.error.code !== code) throw new Error(`expected ${code}, got ${r.error.code}: ${r.error.message.en}`);
  if (r.error.message.fr.length === 0 || r.error.message.en.length === 0) throw new Error('message missing a language');
  return r.error.message;
}
