/**
 * Election definitions of any size for simulations, demos, tests and benchmarks (`sceau simulate`,
 * `sceau demo`). Nothing here is used by a real ceremony.
 */
import { toHex } from '../common/bytes.js';
import { DEFINITION_FORMAT, type Constituency, type ElectionDefinition } from './definition.js';

interface SampleOptions {
  readonly constituencies: number;
  /** Candidates (or lists) per constituency. */
  readonly candidates: number;
  /** Inscrits per constituency. */
  readonly registeredVoters: number;
  readonly threshold: number;
  /** Ed25519 identity public keys of members 1..n. */
  readonly memberKeys: readonly Uint8Array[];
  readonly platformKey: Uint8Array;
  readonly id?: string;
  readonly opens?: string;
  readonly closes?: string;
}

const ROLES = ['Conseil d’État', 'Ministère de l’Europe et des affaires étrangères', 'ANSSI', 'Assemblée des Français de l’étranger'];

export function sampleDefinition(o: SampleOptions): ElectionDefinition {
  const constituencies: Constituency[] = [];
  for (let c = 1; c <= o.constituencies; c++) {
    const id = `c${String(c).padStart(3, '0')}`;
    // Every third constituency elects a single member (with a substitute); the others vote for lists.
    const single = c % 3 === 0;
    constituencies.push({
      id,
      name: `Circonscription ${c}`,
      kind: single ? 'single-member' : 'list',
      registeredVoters: o.registeredVoters,
      blankVote: true,
      candidates: Array.from({ length: o.candidates }, (_, k) =>
        single ? { name: `Candidat ${k + 1} (${id})`, substitute: `Suppléant ${k + 1} (${id})` } : { name: `Liste ${String.fromCharCode(65 + (k % 26))}${k >= 26 ? k : ''} (${id})` },
      ),
    });
  }
  return {
    format: DEFINITION_FORMAT,
    id: o.id ?? 'demo-2021',
    title: 'Élection simulée des conseillers des Français de l’étranger',
    votingPeriod: { opens: o.opens ?? '2021-05-21T12:00:00Z', closes: o.closes ?? '2021-05-26T12:00:00Z' },
    constituencies,
    board: {
      threshold: o.threshold,
      members: o.memberKeys.map((k, i) => ({
        index: i + 1,
        name: i === 0 ? 'Présidence du bureau' : `Membre ${i + 1}`,
        role: ROLES[i % ROLES.length]!,
        president: i === 0,
        identityKey: toHex(k),
      })),
    },
    platform: { name: 'Plateforme de vote simulée', signingKey: toHex(o.platformKey) },
  };
}
