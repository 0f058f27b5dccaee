/** Options shared by `sceau simulate` and `sceau demo`: the size of the simulated election. */
import { BAD_KINDS, type BadKind } from '../../core/simulation/simulate.js';
import type { ElectionSize } from '../../core/simulation/demo.js';
import type { Bilingual, OptionSpecs } from '../command-spec.js';

/** Described once (command-spec.ts): `simulate` and `demo` parse and explain them from here. */
export const SIZE_OPTIONS = {
  out: { type: 'string', value: 'DIR', fr: 'dossier à créer (absent ou vide)', en: 'folder to create (absent or empty)' },
  private: {
    type: 'string',
    value: 'DIR',
    fr: 'jetons, clé de la plateforme, vérité terrain (défaut\u00a0: OUT-private)',
    en: 'tokens, platform key, ground truth (default: OUT-private)',
  },
  voters: { type: 'string', value: 'N', fr: 'électeurs (défaut\u00a0: 1000)', en: 'voters (default: 1000)' },
  constituencies: { type: 'string', value: 'N', fr: 'circonscriptions (défaut\u00a0: 3)', en: 'constituencies (default: 3)' },
  candidates: { type: 'string', value: 'N', fr: 'candidats ou listes par circonscription (défaut\u00a0: 4)', en: 'candidates or lists in each (default: 4)' },
  members: { type: 'string', value: 'N', fr: 'membres du bureau n (défaut\u00a0: 5)', en: 'board members n (default: 5)' },
  threshold: { type: 'string', value: 'T', fr: 'seuil t, membres nécessaires au déchiffrement (défaut\u00a0: 3, au plus n)', en: 'threshold t, members needed to decrypt (default: 3, at most n)' },
  bad: {
    type: 'string',
    value: 'KIND[=N],…|all',
    fr: `bulletins invalides, de chaque sorte\u00a0: ${BAD_KINDS.join(', ')}`,
    en: `bad ballots, of each kind: ${BAD_KINDS.join(', ')}`,
  },
  workers: { type: 'string', value: 'N', fr: 'fils de calcul (défaut\u00a0: tous les cœurs)', en: 'worker threads (default: all cores)' },
} as const satisfies OptionSpecs;

class UsageError extends Error {}

function int(v: string | undefined, name: string, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name}: entier ≥ ${min} attendu / integer ≥ ${min} expected`);
  return n;
}

function parseBad(v: string | undefined): Partial<Record<BadKind, number>> {
  if (v === undefined || v === '') return {};
  if (v === 'all') return Object.fromEntries(BAD_KINDS.map((k) => [k, 1]));
  const out: Partial<Record<BadKind, number>> = {};
  for (const part of v.split(',')) {
    const [kind, count] = part.split('=');
    // french-spacing: keep. A usage line in neither language: the unknown kind, a question mark, the kinds.
    if (!(BAD_KINDS as readonly string[]).includes(kind ?? '')) throw new UsageError(`--bad: ${kind ?? ''} ? (${BAD_KINDS.join(', ')})`);
    out[kind as BadKind] = int(count, 'bad', 1, 0);
  }
  return out;
}

function parseSize(values: Partial<Record<keyof typeof SIZE_OPTIONS, string>>): ElectionSize & { workers?: number } {
  const members = int(values.members, 'members', 5, 1);
  const threshold = int(values.threshold, 'threshold', Math.min(3, members), 1);
  if (threshold > members) throw new UsageError('--threshold: t ≤ n');
  const workers = values.workers === undefined ? undefined : int(values.workers, 'workers', 1, 0);
  const voters = int(values.voters, 'voters', 1000, 1);
  const bad = parseBad(values.bad);
  if ((bad['duplicate-identity'] ?? 0) > voters) throw new UsageError('--bad duplicate-identity=N: N ≤ --voters');
  return {
    voters,
    constituencies: int(values.constituencies, 'constituencies', 3, 1),
    candidates: int(values.candidates, 'candidates', 4, 1),
    members,
    threshold,
    bad,
    ...(workers === undefined ? {} : { workers }),
  };
}

/**
 * The election's size and `--out` from the command line, or the exit code of a usage error (printed
 * with the command's help): what `simulate` and `demo` share.
 */
export function sizeOrUsage(
  values: Partial<Record<keyof typeof SIZE_OPTIONS, string>>,
  usage: (message: Bilingual | string) => number,
): { out: string; size: ElectionSize & { workers?: number } } | number {
  if (values.out === undefined) return usage({ fr: 'Dossier à créer manquant\u00a0: --out DIR', en: 'Missing folder to create: --out DIR' });
  try {
    return { out: values.out, size: parseSize(values) };
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
}

/** Progress on stderr, at most one line a second per phase. */
export function stderrProgress(): (phase: string, done: number, total: number) => void {
  let last = 0;
  let lastPhase = '';
  return (phase, done, total) => {
    const now = Date.now();
    if (phase === lastPhase && now - last < 1000 && done < total) return;
    last = now;
    lastPhase = phase;
    const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
    process.stderr.write(`${phase}: ${pct} % (${done}/${total})\n`);
  };
}
