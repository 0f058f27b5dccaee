/** Options shared by `sceau simulate` and `sceau demo`: the size of the simulated election. */
import { BAD_KINDS, type BadKind } from '../../core/simulation/simulate.js';
import type { ElectionSize } from '../../core/simulation/demo.js';

export const SIZE_OPTIONS = {
  voters: { type: 'string' },
  constituencies: { type: 'string' },
  candidates: { type: 'string' },
  members: { type: 'string' },
  threshold: { type: 'string' },
  bad: { type: 'string' },
  out: { type: 'string' },
  private: { type: 'string' },
  workers: { type: 'string' },
} as const;

export const SIZE_HELP = `  --out DIR             dossier à créer / folder to create (must be absent or empty)
  --private DIR         jetons, clé de la plateforme, vérité terrain / tokens, platform key, ground truth (default: OUT-private)
  --voters N            électeurs / voters (default 1000)
  --constituencies N    circonscriptions / constituencies (default 3)
  --candidates N        candidats ou listes par circonscription / candidates or lists each (default 4)
  --members N           membres du bureau / board members n (default 5)
  --threshold T         seuil / threshold t (default 3)
  --bad KIND[=N],…|all  bulletins invalides / bad ballots: ${BAD_KINDS.join(', ')}
  --workers N           fils de calcul / worker threads (default: all cores)`;

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

/** Progress on stderr, at most one line a second per phase. */
/**
 * The election's size and `--out` from the command line, or the exit code of a usage error (printed
 * with the command's help): what `simulate` and `demo` share.
 */
export function sizeOrUsage(values: Partial<Record<keyof typeof SIZE_OPTIONS, string>>, help: string): { out: string; size: ElectionSize & { workers?: number } } | number {
  if (values.out === undefined) {
    console.error(`--out DIR ?\n\n${help}`);
    return 2;
  }
  try {
    return { out: values.out, size: parseSize(values) };
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
}

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
