/**
 * Step 6: each constituency's PV (inscrits, votants, blancs, nuls, exprimés, each candidate's votes with
 * its percentage and a bar chart) and the national summary of the figures (no candidate compared across
 * constituencies, docs/results.md §5). The percentages are the core's
 * (results-export.ts, exact integer rounding), the same as the printed PVs'.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { NationalSummary, PvShares, PvView, TallyScreenView } from '../../../core/service/api.js';
import { count, percent, useLang } from './common.js';

/** A candidate's name as the chart shows it: cut with an ellipsis past what its label column holds (the table has it in full). */
function short(name: string): string {
  return name.length <= 26 ? name : `${name.slice(0, 25).trimEnd()}…`;
}

/**
 * Horizontal bars, one per candidate, in plain SVG. The same numbers are in the table just before it: the
 * chart is hidden from screen readers (aria-hidden), so that they are not read twice.
 */
function BarChart({ pv, shares, title }: { pv: PvView; shares: PvShares | undefined; title: string }) {
  const lang = useLang();
  const max = Math.max(1, ...pv.votes);
  const row = 34;
  const labelWidth = 260;
  const width = 760;
  // Room on the right for "123 456 (45,67 %)" after the longest bar.
  const barSpace = width - labelWidth - 190;
  return (
    <svg className="bar-chart" aria-hidden="true" focusable="false" viewBox={`0 0 ${width} ${pv.votes.length * row + 8}`} width="100%" data-testid={`pv-${pv.constituency}-chart`}>
      <title>{title}</title>
      {pv.votes.map((v, i) => {
        const y = 4 + i * row;
        const w = Math.round((barSpace * v) / max);
        return (
          <g key={i}>
            <text x={labelWidth - 8} y={y + row / 2 + 6} textAnchor="end" className="bar-label">
              {short(pv.candidates[i] ?? '')}
            </text>
            <rect x={labelWidth} y={y + 4} width={Math.max(w, v > 0 ? 2 : 0)} height={row - 10} className="bar" />
            <text x={labelWidth + w + 8} y={y + row / 2 + 6} className="bar-value">
              {`${count(v, lang)} (${percent(shares?.votes[i] ?? null, lang)})`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A PV's figures, in the PV's order: the field, and the word that labels it (`tally.count.*`). */
const FIGURES = [
  ['inscrits', 'inscrits'],
  ['votants', 'votants'],
  ['aVoteParInternet', 'aVote'],
  ['blancs', 'blancs'],
  ['nuls', 'nuls'],
  ['exprimes', 'exprimes'],
] as const;

/** The figures of a PV or of the national summary, then the turnout; each cell's test id is `${prefix}-${row.id}`. */
function FiguresTable({ prefix, rows, turnout }: { prefix: string; rows: readonly { id: string; label: string; value: number }[]; turnout: number | null }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <table className="members figures">
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <th scope="row">{r.label}</th>
            <td className="number" data-testid={`${prefix}-${r.id}`} data-value={r.value}>
              {count(r.value, lang)}
            </td>
          </tr>
        ))}
        <tr>
          <th scope="row">{t('tally.count.turnout')}</th>
          <td className="number" data-testid={`${prefix}-turnout`}>
            {percent(turnout, lang)}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** The candidates' votes and shares (the rows, `children`), under one heading row. */
function CandidatesTable({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <table className="members figures">
      <thead>
        <tr>
          <th scope="col">{t('tally.count.candidate')}</th>
          <th scope="col">{t('tally.count.votes')}</th>
          <th scope="col">{t('tally.count.share')}</th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

function Pv({ pv, shares }: { pv: PvView; shares: PvShares | undefined }) {
  const { t } = useTranslation();
  const lang = useLang();
  const id = pv.constituency;
  return (
    <section className="pv" aria-labelledby={`pv-${id}-title`} data-testid={`pv-${id}`}>
      <h3 id={`pv-${id}-title`}>{t('tally.count.pvTitle', { id, name: pv.name })}</h3>
      <div className="pv-grid">
        <FiguresTable prefix={`pv-${id}`} rows={FIGURES.map(([field, word]) => ({ id: field, label: t(`tally.count.${word}`), value: pv[field] }))} turnout={shares?.turnout ?? null} />
        <CandidatesTable>
          {pv.votes.map((v, i) => (
            <tr key={i}>
              <th scope="row">{pv.candidates[i]}</th>
              <td className="number" data-testid={`pv-${id}-votes-${i + 1}`} data-value={v}>
                {count(v, lang)}
              </td>
              <td className="number" data-testid={`pv-${id}-share-${i + 1}`}>
                {percent(shares?.votes[i] ?? null, lang)}
              </td>
            </tr>
          ))}
        </CandidatesTable>
      </div>
      <BarChart pv={pv} shares={shares} title={t('tally.count.chart', { name: pv.name })} />
    </section>
  );
}

/**
 * The figures of all constituencies together. Candidates stand in one constituency each (a list's name
 * may recur elsewhere, but it is another contest): their votes are in each PV above, never totalled or
 * ranked across constituencies.
 */
function National({ summary }: { summary: NationalSummary }) {
  const { t } = useTranslation();
  return (
    <section className="pv national" aria-labelledby="national-title" data-testid="national">
      <h3 id="national-title">
        {t('tally.count.national')} — {t('tally.count.constituencies', { count: summary.constituencies })}
      </h3>
      <div className="pv-grid">
        <FiguresTable prefix="national" rows={FIGURES.map(([field, word]) => ({ id: word, label: t(`tally.count.${word}`), value: summary[field] }))} turnout={summary.turnout} />
        <p className="muted" data-testid="national-note">
          {t('tally.count.nationalNote')}
        </p>
      </div>
    </section>
  );
}

export function Results({ view }: { view: TallyScreenView }) {
  if (view.results === null) return null;
  return (
    <div className="results" data-testid="tally-results">
      {view.results.map((pv) => (
        <Pv key={pv.constituency} pv={pv} shares={view.shares?.find((s) => s.constituency === pv.constituency)} />
      ))}
      {view.national && <National summary={view.national} />}
    </div>
  );
}
