/**
 * The election definition as the on-screen form holds it (docs/formats.md §2), and the definition JSON
 * it gives the service, which validates it exactly as it validates a file. Pure: no React here.
 */
import type { Bilingual } from '../../../core/common/result.js';
import { checkRows, problem, rowOfConstituency, type ConstituencyRow, type Problem } from './constituency-rows.js';
import { parisToUtc, utcToParis } from '../../../core/common/dates.js';

export interface DefinitionDraft {
  readonly id: string;
  readonly title: string;
  /** Paris local time, `YYYY-MM-DDTHH:MM` (stored in UTC in the definition). */
  readonly opens: string;
  readonly closes: string;
  readonly threshold: string;
  /** One member a line, `Nom ; Rôle`; the first presides. */
  readonly members: string;
  readonly constituencies: readonly ConstituencyRow[];
  readonly platformName: string;
  readonly platformKey: string;
}

export const EMPTY_DRAFT: DefinitionDraft = {
  id: '',
  title: '',
  opens: '',
  closes: '',
  threshold: '3',
  members: '',
  constituencies: [],
  platformName: '',
  platformKey: '',
};

const cells = (line: string) => line.split(';').map((c) => c.trim());
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

/**
 * The draft as definition JSON, or null while the table of constituencies has an error (shown in the
 * table) or a date is not a Paris time: those are named on screen before anything is sent. What only the
 * service checks (identifiers, the board, the key) is passed on as it is, for the service to name.
 */
export function draftToDefinition(d: DefinitionDraft): unknown {
  const opens = parisToUtc(d.opens);
  const closes = parisToUtc(d.closes);
  const { constituencies } = checkRows(d.constituencies);
  if (!opens.ok || !closes.ok || constituencies === null) return null;
  return {
    format: 'sceau/election/v1',
    id: d.id.trim(),
    title: d.title.trim(),
    votingPeriod: { opens: opens.utc, closes: closes.utc },
    constituencies,
    board: {
      threshold: Number(d.threshold),
      members: lines(d.members).map((line, i) => {
        const [name = '', role = ''] = cells(line);
        return { index: i + 1, name, role, president: i === 0 };
      }),
    },
    platform: { name: d.platformName.trim(), signingKey: d.platformKey.trim() },
  };
}

export type DraftImport = { readonly ok: true; readonly draft: DefinitionDraft; readonly notes: Bilingual[] } | { readonly ok: false; readonly problems: Problem[] };

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** A constituency of a file as a row of cells, whatever its shape: the row's checks then name what is wrong. */
function rowOfJson(v: unknown): ConstituencyRow {
  const c = record(v);
  const kind = c['kind'] === 'list' || c['kind'] === 'single-member' ? c['kind'] : null;
  const candidates = Array.isArray(c['candidates']) ? c['candidates'].map(record) : [];
  const row = rowOfConstituency({
    id: str(c['id']),
    name: str(c['name']),
    kind: kind ?? 'list',
    registeredVoters: 0,
    blankVote: c['blankVote'] !== false,
    candidates: candidates.map((k) => (k['substitute'] === undefined ? { name: str(k['name']) } : { name: str(k['name']), substitute: str(k['substitute']) })),
  });
  return { ...row, mode: kind === null ? str(c['kind']) : row.mode, registered: str(c['registeredVoters']) };
}

/**
 * An election.json read into the form (docs/formats.md §2.4): its constituencies all checked as the table
 * checks them (all or nothing), and its other fields taken as they are. What the form cannot hold (members'
 * identity keys, a president who is not the first member) is said in `notes`.
 */
export function draftFromDefinitionText(text: string): DraftImport {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch {
    return { ok: false, problems: [problem('json', "le fichier n'est pas du JSON", 'the file is not JSON')] };
  }
  const o = record(json);
  if (o['format'] !== 'sceau/election/v1' || !Array.isArray(o['constituencies'])) {
    return {
      ok: false,
      problems: [
        problem(
          'json',
          "ce n'est pas une définition d'élection («\u00a0format\u00a0»\u00a0: «\u00a0sceau/election/v1\u00a0» attendu)",
          'this is not an election definition ("format": "sceau/election/v1" expected)',
        ),
      ],
    };
  }
  const rows = o['constituencies'].map(rowOfJson);
  const checked = checkRows(rows, (i) => ({ fr: `par la circonscription n°\u00a0${i + 1}`, en: `by constituency no. ${i + 1}` }));
  const problems: Problem[] = checked.problems.flatMap((ps, i) => ps.map((p) => ({ ...p, entry: i + 1 })));
  if (rows.length === 0) problems.push(problem('empty', 'aucune circonscription', 'no constituency'));
  if (problems.length > 0) return { ok: false, problems };
  const period = record(o['votingPeriod']);
  const board = record(o['board']);
  const members = (Array.isArray(board['members']) ? board['members'].map(record) : []).sort((a, b) => Number(a['index']) - Number(b['index']));
  const presidentFirst = [...members].sort((a, b) => Number(b['president'] === true) - Number(a['president'] === true));
  const notes: Bilingual[] = [];
  if (members.some((m) => m['identityKey'] !== undefined)) {
    notes.push({
      fr: "Les clés d'identité des membres du fichier ne sont pas reprises\u00a0: la cérémonie enrôlera leurs jetons.",
      en: "The members' identity keys in the file are not carried over: the ceremony will enrol their tokens.",
    });
  }
  if (presidentFirst[0] !== members[0]) {
    notes.push({ fr: 'Le président a été placé en tête des membres (le premier préside).', en: 'The president has been moved to the top of the members (the first presides).' });
  }
  const platform = record(o['platform']);
  // french-spacing: keep. "Nom ; Rôle" is the members field's own syntax, read back by the form's parser.
  const draft: DefinitionDraft = {
    id: str(o['id']),
    title: str(o['title']),
    opens: utcToParis(str(period['opens'])) ?? '',
    closes: utcToParis(str(period['closes'])) ?? '',
    threshold: str(board['threshold']),
    members: presidentFirst.map((m) => `${str(m['name'])} ; ${str(m['role'])}`).join('\n'),
    constituencies: rows,
    platformName: str(platform['name']),
    platformKey: str(platform['signingKey']),
  };
  return { ok: true, draft, notes };
}
