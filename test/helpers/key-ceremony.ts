import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { toHex } from '../../src/core/common/bytes.js';
import { ok } from '../../src/core/common/result.js';
import { DEFINITION_FORMAT, type ElectionDefinition } from '../../src/core/election/definition.js';
import type { NetworkStatus } from '../../src/core/service/api.js';
import { newWorkstationSession } from '../../src/core/ceremony/workstation.js';
import type { CeremonyContext, TokenPort } from '../../src/core/ceremony/key/ports.js';

export const OFFLINE: NetworkStatus = { offline: true, interfaces: [], source: 'fixture', checkedAt: '2026-05-19T08:00:00.000Z' };
export const ONLINE: NetworkStatus = {
  offline: false,
  interfaces: [{ name: 'wlan0', connected: true, addresses: ['192.0.2.7/24'], detail: 'fixture' }],
  source: 'fixture',
  checkedAt: '2026-05-19T08:00:00.000Z',
};

/** A definition as the president writes it before the ceremony: no identity keys yet. */
export function boardDefinition(n: number, t: number): ElectionDefinition {
  return {
    format: DEFINITION_FORMAT,
    id: 'fde-2021',
    title: 'Élection des conseillers des Français de l’étranger 2021',
    votingPeriod: { opens: '2021-05-21T10:00:00Z', closes: '2021-05-26T10:00:00Z' },
    constituencies: [{ id: 'c001', name: 'Canada', kind: 'list', registeredVoters: 1000, blankVote: true, candidates: [{ name: 'Liste A' }, { name: 'Liste B' }] }],
    board: {
      threshold: t,
      members: Array.from({ length: n }, (_, i) => ({ index: i + 1, name: `Membre ${i + 1}`, role: i === 0 ? 'Conseil d’État' : 'AFE', president: i === 0 })),
    },
    platform: { name: 'Plateforme', signingKey: toHex(generateIdentityKey().publicKey) },
  };
}

export function tempFolder(name = 'ceremony'): string {
  return join(mkdtempSync(join(tmpdir(), 'sceau-ceremony-')), name);
}

export function context(tokens: TokenPort, network: NetworkStatus = OFFLINE, extra: Partial<CeremonyContext> = {}): CeremonyContext {
  return {
    session: newWorkstationSession('0.1.0-test', 'loopback'),
    measure: async () => ok({ algorithm: 'SHA-256', digest: 'ab'.repeat(32), fileCount: 7, totalBytes: 1, files: [] }),
    network: async () => network,
    tokens,
    ...extra,
  };
}

export const token = (member: number) => ({ drive: `/media/token-${member}`, label: `TOKEN${member}`, size: 16_000_000_000 });
export const step = (member: number, passphrase = `phrase secrète du membre ${member}`) => ({ member, token: token(member), passphrase });
