import { describe, expect, it } from 'vitest';
import { checkPassphrasePolicy, estimatePassphrase } from '../../src/core/token/index.js';
import { expectFailure } from '../helpers/tokens.js';

describe('passphrase estimator', () => {
  it('scores weak, common and patterned passphrases low', () => {
    for (const weak of ['', 'azerty', 'motdepasse', 'M0tDeP@sse', 'password123', 'aaaaaaaaaaaaaaaa', 'abcdefghijklmnop', 'azertyuiop123456', 'soleil2024', 'Bonjour1990!']) {
      expect(estimatePassphrase(weak).score, weak).toBeLessThanOrEqual(1);
    }
  });

  it('scores long random word passphrases and random strings high', () => {
    for (const strong of ['cheval agrafe batterie correcte', 'Tg8#qL2!vZ9@xR4$', 'lune-verger-58-parapluie-orange', 'Ornière Glycine Pétale Zèbre']) {
      expect(estimatePassphrase(strong).score, strong).toBeGreaterThanOrEqual(3);
    }
  });

  it('names what to improve, in both languages', () => {
    const hints = estimatePassphrase('soleil2024aaa').hints;
    const en = hints.map((h) => h.en).join(' ');
    expect(en).toMatch(/common words/);
    expect(en).toMatch(/years/);
    expect(en).toMatch(/repeated/);
    expect(hints.every((h) => h.fr.length > 0)).toBe(true);
    expect(
      estimatePassphrase('abc')
        .hints.map((h) => h.en)
        .join(' '),
    ).toMatch(/sequences|at least 12/);
  });

  it('is monotone in useful ways: adding a random word never lowers the score', () => {
    const base = estimatePassphrase('verger parapluie');
    expect(estimatePassphrase('verger parapluie orange').bits).toBeGreaterThan(base.bits);
  });
});

describe('enrolment passphrase policy', () => {
  it('accepts a strong, confirmed passphrase', () => {
    expect(checkPassphrasePolicy('cheval agrafe batterie correcte', 'cheval agrafe batterie correcte').ok).toBe(true);
  });
  it('refuses a mismatch, a short one and a weak one', () => {
    expectFailure(checkPassphrasePolicy('cheval agrafe batterie correcte', 'cheval agrafe batterie correct'), 'passphrase.mismatch');
    expectFailure(checkPassphrasePolicy('Tg8#qL2!v', 'Tg8#qL2!v'), 'passphrase.short');
    expectFailure(checkPassphrasePolicy('motdepasse123456', 'motdepasse123456'), 'passphrase.weak');
  });
});
