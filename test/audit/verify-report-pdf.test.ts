/**
 * The verification report as a person reads it (docs/audit.md §4): its date as a French PV writes it, in
 * Paris time, the exact UTC instant in small type, and failures counted in words without "(s)".
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyReportPdf } from '../../src/core/audit/verify-report-pdf.js';
import type { VerifyReport } from '../../src/core/verifier/verify.js';
import { tempDir } from '../helpers/pipeline.js';

const REPORT: VerifyReport = {
  ok: true,
  record: '/media/cle/SCEAU-demo-resultats/registre',
  recordFingerprint: 'ab'.repeat(32),
  electionFingerprint: 'cd'.repeat(32),
  checks: [
    { name: 'manifest', failures: 0 },
    { name: 'transcript', failures: 0 },
  ],
  failures: [],
  where: null,
};

async function read(report: VerifyReport, generatedAt: Date): Promise<string> {
  const path = join(tempDir('sceau-verify-pdf-'), 'rapport.pdf');
  writeFileSync(path, await verifyReportPdf({ report, keyCeremonyHead: 'ef'.repeat(32), sessions: [], generatedAt }));
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

const failure = (code: string) => ({ code, message: { fr: 'Échec.', en: 'Failure.' } });

describe('verification report PDF', () => {
  it('is dated in Paris time in the hour that repeats, saying which one, with the UTC instant', async () => {
    // 25 October 2026: 00:30 UTC and 01:30 UTC are both 2 h 30 in Paris, first in summer then in winter time.
    const summer = await read(REPORT, new Date('2026-10-25T00:30:00Z'));
    const winter = await read(REPORT, new Date('2026-10-25T01:30:00Z'));
    // Longer than one line: French, then English on the next.
    expect(summer).toMatch(/Établi le 25 octobre 2026 à 2 h 30, heure d’été de Paris \(UTC\+2\)\n\s*Made on 25 October 2026 at 02:30, Paris summer time \(UTC\+2\)\n/);
    expect(winter).toContain('Établi le 25 octobre 2026 à 2 h 30, heure d’hiver de Paris (UTC+1)');
    expect(summer).toContain('établi / made 2026-10-25T00:30:00Z');
    expect(winter).toContain('établi / made 2026-10-25T01:30:00Z');
  });

  it('says plainly that its date cannot be read rather than "Invalid Date"', async () => {
    const t = await read(REPORT, new Date(Number.NaN));
    expect(t).toContain('Établi à une date illisible / made at an unreadable date');
    expect(t).not.toMatch(/Invalid Date|NaN/);
  });

  it('counts failures in words, one and several, without "(s)"', async () => {
    const one = await read({ ...REPORT, ok: false, checks: [{ name: 'manifest', failures: 1 }], failures: [failure('record.file')] }, new Date('2026-12-04T10:00:00Z'));
    expect(one).toContain('INVALIDE / INVALID — 1 échec / 1 failure');
    const two = await read({ ...REPORT, ok: false, checks: [{ name: 'manifest', failures: 2 }], failures: [failure('record.file'), failure('record.extra')] }, new Date('2026-12-04T10:00:00Z'));
    expect(two).toContain('INVALIDE / INVALID — 2 échecs / 2 failures');
    expect(`${one}${two}`).not.toContain('(s)');
    const valid = await read(REPORT, new Date('2026-12-04T10:00:00Z'));
    expect(valid).toContain('VALIDE — toutes les vérifications tiennent');
    expect(valid).toContain('Établi le 4 décembre 2026 à 11 h, heure de Paris');
  });
});
