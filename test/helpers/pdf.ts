/** Reads a printed PDF as a person would check it: poppler renders its pages, zbar reads their QR codes. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every QR code of every page, as zbarimg reads them from 150-dpi renderings by pdftoppm. */
export function readQrCodes(pdfPath: string): string[] {
  const out = mkdtempSync(join(tmpdir(), 'sceau-pdf-'));
  execFileSync('pdftoppm', ['-r', '150', '-png', pdfPath, join(out, 'page')]);
  const pages = readdirSync(out)
    .filter((f) => f.endsWith('.png'))
    .sort();
  if (pages.length === 0) throw new Error(`pdftoppm rendered no page of ${pdfPath}`);
  const codes: string[] = [];
  for (const page of pages) {
    try {
      codes.push(
        ...execFileSync('zbarimg', ['--quiet', '--raw', join(out, page)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
          .split('\n')
          .filter((l) => l !== ''),
      );
    } catch (e) {
      // zbarimg exits 4 on a page with no code; anything else is a real error.
      if ((e as { status?: number }).status !== 4) throw e;
    }
  }
  return codes;
}

/** A PDF's text as pdftotext reads it (pages separated by form feeds). */
export function pdfText(pdf: Uint8Array): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });
}
