/** i18next with French by default; the choice is kept on this machine and sets <html lang>. */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { fr, type Messages } from './fr.js';
import { redistributionFr } from './redistribution-fr.js';
import { redistributionEn } from './redistribution-en.js';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'sceau.language';

function savedLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' ? 'en' : 'fr';
}

export async function initI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: { fr: { translation: fr, redistribution: redistributionFr }, en: { translation: en, redistribution: redistributionEn } },
    ns: ['translation', 'redistribution'],
    defaultNS: 'translation',
    lng: savedLanguage(),
    fallbackLng: 'fr',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
}

export async function setLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, language);
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

// Every t() key and its interpolation values are checked against the French messages at compile time. The
// redistribution's namespace is checked by its own hook (screens/redistribution/words.ts), not declared here.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
    returnNull: false;
  }
}
