/**
 * The verifier's forms of a redistribution's payloads (src/core/verifier/redistribution-rules.ts,
 * docs/redistribution.md §15.3): a member's entry (old or new member) may carry the `station` stamp of an
 * entry made on their station (docs/stations.md §7); the workstation's entries never do.
 */
import { describe, expect, it } from 'vitest';
import { checkPayload } from '../../src/core/verifier/redistribution-rules.js';

const hex = 'ab'.repeat(32);
const station = { basis: hex, session: { publicKey: hex } };
const members = {
  'member.enrolled': { member: 6, identityKey: hex, encryptionKey: hex, token: { label: 'NOUVEAU6', size: 1 } },
  'redistribution.dealt': { member: 1, election: {} },
  'redistribution.checked': { member: 6, election: { findings: [], complaints: [] } },
  'member.share-sealed': { member: 6, verificationKey: hex },
  'member.token-destroyed': { member: 1, identityKey: hex, erased: true },
};

describe('redistribution payloads, made on a station or not', () => {
  it('accepts a member’s entry with or without its station stamp', () => {
    for (const [type, payload] of Object.entries(members)) {
      expect(checkPayload(type, payload)).toBeUndefined();
      expect(checkPayload(type, { ...payload, station })).toBeUndefined();
    }
  });

  it('refuses a stamp on a workstation’s entry, and a stamp that is not an object', () => {
    expect(checkPayload('redistribution.result', { election: {} })).toBeUndefined();
    expect(checkPayload('redistribution.result', { election: {}, station })).toBe('a malformed payload');
    expect(checkPayload('redistribution.dealing-closed', { absent: [], reason: 'x', station })).toBe('a malformed payload');
    expect(checkPayload('redistribution.dealt', { ...members['redistribution.dealt'], station: 'poste' })).toBe('a malformed payload');
  });
});
