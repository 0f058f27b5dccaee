/**
 * Before an old member deals on their station (docs/stations.md §7): the new board's members, each with a
 * field for the enrolment code the member reads aloud from their own station. The core deals only if every
 * code is that of the key the packet's transcript holds for that member; this only gathers them.
 */
import { useTranslation } from 'react-i18next';

export function NewMemberCodes({
  members,
  nameOf,
  codes,
  onChange,
  disabled,
}: {
  members: readonly number[];
  nameOf: (index: number) => string;
  codes: Readonly<Record<number, string>>;
  onChange: (codes: Record<number, string>) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="field" data-testid="station-new-codes">
      <legend>{t('stations.redistribution.newCodes.title')}</legend>
      <p className="muted">{t('stations.redistribution.newCodes.hint')}</p>
      {members.map((j) => (
        <div key={j} className="field">
          <label htmlFor={`station-new-code-${j}`}>{t('stations.redistribution.newCodes.label', { member: nameOf(j) })}</label>
          <input
            id={`station-new-code-${j}`}
            className="fingerprint"
            autoComplete="off"
            spellCheck={false}
            maxLength={40}
            value={codes[j] ?? ''}
            onChange={(e) => onChange({ ...codes, [j]: e.target.value })}
            disabled={disabled}
          />
        </div>
      ))}
    </fieldset>
  );
}

/** The codes typed, as the `deal` step takes them; undefined while one is still empty. */
export function typedCodes(members: readonly number[], codes: Readonly<Record<number, string>>): { member: number; code: string }[] | undefined {
  const typed = members.map((member) => ({ member, code: (codes[member] ?? '').trim() }));
  return typed.every((c) => c.code !== '') ? typed : undefined;
}
