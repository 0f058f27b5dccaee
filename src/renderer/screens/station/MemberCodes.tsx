/**
 * Before a member's station hands shares to other members' enrolled keys (docs/stations.md §3 and §7): those
 * members, each with a field for the enrolment code they read aloud from their own station. At a
 * redistribution's `deal`, the new board's members; at the key ceremony's `contribute` and `check`, every
 * other member. The core does the step only if every code is that of the key the packet's transcript holds
 * for that member; this only gathers them.
 */
import { useTranslation } from 'react-i18next';
import type { CodesAsked } from './logic.js';

const TEXTS = {
  newBoard: { keys: 'stations.redistribution.newCodes', id: 'station-new-code' },
  otherMembers: { keys: 'stations.memberCodes', id: 'station-member-code' },
} as const;

export function MemberCodes({
  asked,
  members,
  nameOf,
  codes,
  onChange,
  disabled,
}: {
  asked: CodesAsked;
  members: readonly number[];
  nameOf: (index: number) => string;
  codes: Readonly<Record<number, string>>;
  onChange: (codes: Record<number, string>) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const { keys, id } = TEXTS[asked];
  return (
    <fieldset className="field" data-testid={`${id}s`}>
      <legend>{t(`${keys}.title`)}</legend>
      <p className="muted">{t(`${keys}.hint`)}</p>
      {members.map((j) => (
        <div key={j} className="field">
          <label htmlFor={`${id}-${j}`}>{t(`${keys}.label`, { member: nameOf(j) })}</label>
          <input
            id={`${id}-${j}`}
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

/** The codes typed, as the step takes them; undefined while one is still empty. */
export function typedCodes(members: readonly number[], codes: Readonly<Record<number, string>>): { member: number; code: string }[] | undefined {
  const typed = members.map((member) => ({ member, code: (codes[member] ?? '').trim() }));
  return typed.every((c) => c.code !== '') ? typed : undefined;
}
