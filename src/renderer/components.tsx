import { useTranslation } from 'react-i18next';
import type { Failure } from '../core/common/result.js';

/**
 * A failure in the current language (both are always present): the sentence, which says what happened and
 * what to do, then a small "détails" line with the stable code and where, for whoever maintains the
 * software or audits the ceremony (never inside the sentence).
 */
export function FailureMessage({ failure }: { failure: Failure }) {
  const { t, i18n } = useTranslation();
  const message = i18n.language === 'en' ? failure.message.en : failure.message.fr;
  return (
    <div className="failure" role="alert" data-code={failure.code}>
      <p>{message}</p>
      <p className="failure-details">
        {t('errors.details')} <code>{failure.code}</code>
        {failure.where !== undefined && (
          <>
            {' · '}
            <code>{failure.where}</code>
          </>
        )}
      </p>
    </div>
  );
}

/** A fingerprint in groups of four, each group separately readable aloud. */
export function Fingerprint({ hex, label }: { hex: string; label: string }) {
  const groups = hex.match(/.{1,4}/g) ?? [];
  return (
    <p className="fingerprint" aria-label={label} data-fingerprint={hex}>
      {groups.map((g, i) => (
        <span key={i}>{g}</span>
      ))}
    </p>
  );
}

/**
 * A folder's path typed in (no spell check), with what it is for under it when `hint` says: only the folder
 * chooser's fallback when it cannot work (folder-chooser.tsx); every screen chooses its folders.
 */
export function FolderField({ id, label, value, onChange, hint }: { id: string; label: string; value: string; onChange: (v: string) => void; hint?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="text" value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} />
      {hint !== undefined && <p className="muted">{hint}</p>}
    </div>
  );
}

/**
 * A member's passphrase, typed hidden. `chosen`: a new one being chosen (an enrolment and its
 * confirmation), so that a password manager offers to save it instead of filling in an old one.
 */
export function PassphraseField({
  id,
  label,
  value,
  onChange,
  chosen = false,
  disabled = false,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  chosen?: boolean;
  disabled?: boolean;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="password" autoComplete={chosen ? 'new-password' : 'current-password'} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} />
    </div>
  );
}
