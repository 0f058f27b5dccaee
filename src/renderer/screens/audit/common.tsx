/** Pieces shared by the audit screens: a folder remembered for this tab, and bilingual text. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Bilingual } from '../../../core/common/result.js';

/** A folder path kept in this tab's session storage, so Verify and Receipt share the record's folder. */
export function useStoredFolder(key: string): [string, (v: string) => void] {
  const [value, setValue] = useState(() => sessionStorage.getItem(`sceau.audit.${key}`) ?? '');
  return [
    value,
    (v: string) => {
      sessionStorage.setItem(`sceau.audit.${key}`, v);
      setValue(v);
    },
  ];
}

export function useWords(): (b: Bilingual) => string {
  const { i18n } = useTranslation();
  return (b) => (i18n.language === 'en' ? b.en : b.fr);
}

export function downloadLink(bytes: BlobPart, type: string): string {
  return URL.createObjectURL(new Blob([bytes], { type }));
}
