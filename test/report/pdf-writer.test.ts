import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PdfWriter, winAnsi } from '../../src/core/report/pdf-writer.js';

describe('winAnsi: what the standard PDF fonts can draw', () => {
  it('keeps Latin-1 and the WinAnsi extras, composes, and keeps paragraph breaks', () => {
    expect(winAnsi('Léa Moreau ; Œuvre « d’État » €')).toBe('Léa Moreau ; Œuvre « d’État » €');
    expect(winAnsi('e\u0301lu')).toBe('élu');
    expect(winAnsi('ligne 1\nligne 2')).toBe('ligne 1\nligne 2');
  });

  it('turns control characters into spaces and the rest into "?"', () => {
    expect(winAnsi('a\tb\rc\u0000d\u007fe\u0085f')).toBe('a b c d e f');
    expect(winAnsi('Łódź ✓ 😀')).toBe('?ód? ? ?');
  });

  it('a report with such a name prints instead of throwing', async () => {
    const w = await PdfWriter.create('Rapport\tCR\r', 'pied\u0085de page');
    w.heading('Membre\u0000 Ł\t1');
    w.text('Nom\r\navec\u0007 contrôle');
    await expect(w.save()).resolves.toBeInstanceOf(Uint8Array);
  });
});

describe('lines of French text', () => {
  it('never break at a non-breaking space: no line starts with ":" or ";" or "?" or "!", none ends inside « »', async () => {
    const w = await PdfWriter.create('Typographie', 'pied');
    const sentence = 'Empreinte de l’élection\u00a0: 3f2a\u00a0; motif\u00a0? «\u00a0Répétition générale\u00a0» fin\u00a0! ';
    for (const indent of [0, 37, 113, 251, 330]) w.text(sentence.repeat(12), { size: 9, indent });
    const lines = execFileSync('pdftotext', ['-raw', '-', '-'], { input: await w.save(), encoding: 'utf8' }).split('\n');
    expect(lines.length).toBeGreaterThan(40);
    expect(lines.filter((l) => /^\s*[:;?!»]/.test(l) || /«\s*$/.test(l))).toEqual([]);
  });
});
