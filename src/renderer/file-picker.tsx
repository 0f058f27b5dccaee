/**
 * A file input that speaks the screen's language: the browser's own button says "Choose File" / "No file
 * chosen" in the browser's language, whatever the page's. The native input stays (its <label> names it,
 * so tests and screen readers find it by that label) but is visually hidden and out of the tab order;
 * a real button, reached with Tab and pressed with Enter or Space, opens it, and the chosen file's name
 * is shown beside it.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface FilePickerProps {
  readonly id: string;
  readonly label: string;
  readonly accept: string;
  readonly disabled?: boolean;
  /** Called with the chosen file; the input is emptied afterwards so that the same file can be chosen again. */
  readonly onFile: (file: File | undefined) => Promise<unknown> | void;
}

export function FilePicker({ id, label, accept, disabled = false, onFile }: FilePickerProps) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <div className="field file-picker">
      <label htmlFor={id} id={`${id}-label`}>
        {label}
      </label>
      <input
        ref={input}
        id={id}
        type="file"
        className="sr-only"
        tabIndex={-1}
        accept={accept}
        disabled={disabled}
        onChange={(e) => {
          const target = e.target;
          const file = target.files?.[0];
          setChosen(file?.name ?? null);
          void Promise.resolve(onFile(file)).then(() => (target.value = ''));
        }}
      />
      <span>
        <button type="button" disabled={disabled} aria-describedby={`${id}-label ${id}-chosen`} onClick={() => input.current?.click()}>
          {t('fileInput.choose')}
        </button>{' '}
        <span id={`${id}-chosen`} className="muted">
          {chosen ?? t('fileInput.none')}
        </span>
      </span>
    </div>
  );
}
