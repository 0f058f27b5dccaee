/**
 * The constituencies as an editable table: what will be fingerprinted, counted (constituencies,
 * candidates, registered voters in all), each cell checked as the president types, each error shown on
 * its row. Sorting changes only the display: the definition keeps the rows' order. Rows are memoised, so
 * that typing in one of 130 rows re-renders that row only.
 */
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkRowCached, checkRows, describeProblem, fold, MODES, newRow, totals, type ConstituencyRow, type Problem, type RowField } from './constituency-rows.js';
import type { Constituency } from '../../../core/election/definition.js';

type SortKey = 'row' | 'id' | 'name' | 'mode' | 'registered' | 'count' | 'status';
interface Sort {
  readonly key: SortKey;
  readonly descending: boolean;
}

type Edit = (key: number, field: RowField, value: string) => void;

function candidateCount(row: ConstituencyRow): number {
  const checked = checkRowCached(row);
  return Array.isArray(checked) ? row.candidates.split('|').filter((c) => c.trim() !== '').length : checked.candidates.length;
}

/** The value a row is sorted by under `key`; numbers sort as numbers, text in French order. */
function sortValue(row: ConstituencyRow, index: number, key: SortKey, problems: readonly Problem[]): number | string {
  switch (key) {
    case 'row':
      return index;
    case 'registered': {
      const n = Number(row.registered.replace(/[ \u00a0\u202f]/g, ''));
      return Number.isFinite(n) && row.registered !== '' ? n : -1;
    }
    case 'count':
      return candidateCount(row);
    case 'status':
      return problems.length;
    case 'mode':
      return fold(row.mode);
    case 'id':
    case 'name':
      return row[key];
  }
}

function sortedOrder(rows: readonly ConstituencyRow[], problems: readonly (readonly Problem[])[], sort: Sort): number[] {
  const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });
  const values = rows.map((r, i) => sortValue(r, i, sort.key, problems[i]!));
  const order = rows.map((_, i) => i);
  order.sort((a, b) => {
    const x = values[a]!;
    const y = values[b]!;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return (sort.descending ? -c : c) || a - b;
  });
  return order;
}

const Row = memo(function Row({ row, index, problems, onEdit, onRemove }: { row: ConstituencyRow; index: number; problems: readonly Problem[]; onEdit: Edit; onRemove: (key: number) => void }) {
  const { t, i18n } = useTranslation();
  const n = index + 1;
  const invalid = (f: RowField) => problems.some((p) => p.field === f);
  const cell = (field: RowField, column: string, className = '') => (
    <input
      type="text"
      className={className}
      value={row[field]}
      aria-label={t('definition.table.cell', { column, row: n })}
      aria-invalid={invalid(field) || undefined}
      spellCheck={false}
      onChange={(e) => onEdit(row.key, field, e.target.value)}
    />
  );
  const kind = MODES[fold(row.mode)];
  return (
    <tr data-row={row.id} className={problems.length > 0 ? 'has-errors' : undefined}>
      <td className="number">{n}</td>
      <td>{cell('id', t('definition.table.id'), 'narrow')}</td>
      <td>{cell('name', t('definition.table.name'))}</td>
      <td>
        <select
          aria-label={t('definition.table.cell', { column: t('definition.table.mode'), row: n })}
          value={kind === undefined ? row.mode : fold(row.mode)}
          onChange={(e) => onEdit(row.key, 'mode', e.target.value)}
        >
          {kind === undefined && <option value={row.mode}>{row.mode}</option>}
          <option value="liste">{t('definition.table.list')}</option>
          <option value="uninominal">{t('definition.table.single')}</option>
        </select>
      </td>
      <td>{cell('registered', t('definition.table.registered'), 'narrow')}</td>
      <td>
        <input
          type="checkbox"
          aria-label={t('definition.table.cell', { column: t('definition.table.blank'), row: n })}
          checked={fold(row.blank) !== 'non'}
          onChange={(e) => onEdit(row.key, 'blank', e.target.checked ? 'oui' : 'non')}
        />
      </td>
      <td>{cell('candidates', t('definition.table.candidates'), 'wide')}</td>
      <td className="number">{candidateCount(row)}</td>
      <td>
        {problems.length === 0 ? (
          <span className="ok">{t('definition.table.ok')}</span>
        ) : (
          <ul className="row-errors">
            {problems.map((p, i) => (
              <li key={i}>{i18n.language === 'en' ? describeProblem(p).en : describeProblem(p).fr}</li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <button type="button" className="link" onClick={() => onRemove(row.key)}>
          {t('definition.table.remove', { row: n })}
        </button>
      </td>
    </tr>
  );
});

function Summary({ constituencies, errors, empty }: { constituencies: readonly Constituency[]; errors: number; empty: boolean }) {
  const { t, i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'fr-FR');
  const sums = totals(constituencies);
  return (
    <div className="definition-summary" aria-live="polite">
      <h4>{t('definition.summary.title')}</h4>
      <table className="figures">
        <tbody>
          <tr>
            <th scope="row">{t('definition.summary.constituencies')}</th>
            <td className="number" data-testid="summary-constituencies">
              {format.format(sums.constituencies)}
            </td>
            <td>{t('definition.summary.modes', { lists: sums.lists, single: sums.singleMember })}</td>
          </tr>
          <tr>
            <th scope="row">{t('definition.summary.candidates')}</th>
            <td className="number" data-testid="summary-candidates">
              {format.format(sums.candidates)}
            </td>
            <td />
          </tr>
          <tr>
            <th scope="row">{t('definition.summary.registered')}</th>
            <td className="number" data-testid="summary-registered">
              {format.format(sums.registeredVoters)}
            </td>
            <td />
          </tr>
        </tbody>
      </table>
      {empty && <p className="warning">{t('definition.summary.empty')}</p>}
      {errors > 0 && (
        <p className="warning" data-testid="table-errors">
          {t('definition.summary.errors', { count: errors })}
        </p>
      )}
    </div>
  );
}

export function ConstituencyTable({ rows, onChange }: { rows: readonly ConstituencyRow[]; onChange: (rows: ConstituencyRow[]) => void }) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<Sort>({ key: 'row', descending: false });
  const checked = useMemo(() => checkRows(rows), [rows]);
  const order = useMemo(() => sortedOrder(rows, checked.problems, sort), [rows, checked, sort]);
  // The handlers read the latest rows through a ref, so that they stay the same function and the
  // memoised rows that did not change are not re-rendered.
  const latest = useRef({ rows, onChange });
  useLayoutEffect(() => {
    latest.current = { rows, onChange };
  });
  const onEdit = useCallback<Edit>((key, field, value) => {
    latest.current.onChange(latest.current.rows.map((r) => (r.key === key ? { ...r, [field]: value } : r)));
  }, []);
  const onRemove = useCallback((key: number) => latest.current.onChange(latest.current.rows.filter((r) => r.key !== key)), []);
  const good = useMemo(
    () =>
      rows.flatMap((r) => {
        const c = checkRowCached(r);
        return Array.isArray(c) ? [] : [c];
      }),
    [rows],
  );
  const errors = checked.problems.reduce((n, p) => n + p.length, 0);

  const header = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
        <button type="button" className="sort" title={t('definition.table.sortBy', { column: label })} onClick={() => setSort({ key, descending: active ? !sort.descending : false })}>
          {label}
          <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
        </button>
      </th>
    );
  };
  return (
    <>
      <Summary constituencies={good} errors={errors} empty={rows.length === 0} />
      <p className="muted">{t('definition.table.order')}</p>
      <div className="constituency-table">
        <table className="members">
          <caption>{t('definition.table.caption')}</caption>
          <thead>
            <tr>
              {header('row', t('definition.table.row'))}
              {header('id', t('definition.table.id'))}
              {header('name', t('definition.table.name'))}
              {header('mode', t('definition.table.mode'))}
              {header('registered', t('definition.table.registered'))}
              <th scope="col">{t('definition.table.blank')}</th>
              <th scope="col">{t('definition.table.candidates')}</th>
              {header('count', t('definition.table.count'))}
              {header('status', t('definition.table.status'))}
              <td />
            </tr>
          </thead>
          <tbody>
            {order.map((i) => (
              <Row key={rows[i]!.key} row={rows[i]!} index={i} problems={checked.problems[i]!} onEdit={onEdit} onRemove={onRemove} />
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <button type="button" onClick={() => onChange([...rows, newRow()])}>
          {t('definition.table.add')}
        </button>
      </p>
    </>
  );
}
