/**
 * The printed report as a person would check it: rendered to images with poppler's pdftoppm, its QR
 * codes read with zbarimg, and compared with the transcript and the public key file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyCeremony, FILES } from '../../src/core/ceremony/key/ceremony.js';
import { QR_PREFIX } from '../../src/core/ceremony/key/report.js';
import { toHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import { FakeTokens } from '../helpers/fake-tokens.js';
import { readQrCodes } from '../helpers/pdf.js';
import { boardDefinition, context, ONLINE, step, tempFolder } from '../helpers/key-ceremony.js';

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

describe('key ceremony report', () => {
  it('prints the fingerprint, the public key, the board signing key and the transcript head as readable QR codes', async () => {
    const tokens = new FakeTokens();
    const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(3, 2), context(tokens)));
    for (const act of ['enrol', 'contribute', 'checkShares'] as const) for (const j of [1, 2, 3]) must(await c[act](step(j)));
    must(await c.publishResult());
    for (const act of ['seal', 'confirm'] as const) for (const j of [1, 2, 3]) must(await c[act](step(j)));
    const file = must(await c.close());
    const codes = readQrCodes(join(c.folder, FILES.report));
    if (process.env['SCEAU_KEEP_REPORT']) execFileSync('cp', [join(c.folder, FILES.report), process.env['SCEAU_KEEP_REPORT']]);
    expect(file.boardKey).toMatch(/^[0-9a-f]{64}$/);
    expect(codes.sort()).toEqual([QR_PREFIX.fingerprint + toHex(c.fingerprint), QR_PREFIX.publicKey + file.publicKey, QR_PREFIX.boardKey + file.boardKey, QR_PREFIX.head + c.head].sort());
    const text = execFileSync('pdftotext', ['-layout', join(c.folder, FILES.report), '-'], { encoding: 'utf8' });
    expect(text).toContain('Clé de signature du bureau / Board signing key');
    expect(text).toContain('Procès-verbal de la cérémonie des clés');
    expect(text).toContain('Membre 3');
    expect(readFileSync(join(c.folder, FILES.report)).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('prints the token-holder sheet: each member, their token, their identity key, and the lines to sign', async () => {
    const tokens = new FakeTokens();
    const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(3, 2), context(tokens)));
    const text = (pdf: Uint8Array): string => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });
    const provisional = text(await c.tokenSheetPdf());
    expect(provisional).toContain('fiche provisoire');
    expect(provisional).toContain('pas enrôlé');
    for (const act of ['enrol', 'contribute', 'checkShares'] as const) for (const j of [1, 2, 3]) must(await c[act](step(j)));
    must(await c.publishResult());
    for (const act of ['seal', 'confirm'] as const) for (const j of [1, 2, 3]) must(await c[act](step(j)));
    must(await c.close());
    const pdf = await c.tokenSheetPdf(new Date('2030-01-01T00:00:00Z'));
    const sheet = text(pdf);
    expect(sheet).toContain('Fiche de remise des jetons');
    expect(sheet).toContain('cérémonie close');
    expect(sheet).not.toContain('provisoire');
    for (const m of c.state.members) {
      expect(sheet).toContain(m.name);
      expect(sheet).toContain(m.token!.label);
      // The identity key, grouped as in the report (pdftotext may break the line between groups).
      expect(sheet.replace(/\s+/g, '')).toContain(m.identityKey!);
    }
    expect(sheet.match(/Signature du membre/g)?.length).toBe(3);
    // Dated by the closing, not by when it is printed: the same bytes whenever made again.
    expect(toHex(await c.tokenSheetPdf(new Date('2031-01-01T00:00:00Z')))).toBe(toHex(pdf));
  });

  it("a rehearsal's report and token-holder sheet say RÉPÉTITION / REHEARSAL on every page; an election's never", async () => {
    const text = (pdf: Uint8Array): string => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });
    const override = { reason: 'répétition générale du 3 décembre', authorisedBy: 'la présidente' };
    const rehearsal = must(await KeyCeremony.create(tempFolder(), boardDefinition(3, 2), context(new FakeTokens(), ONLINE, { override })));
    must(await rehearsal.enrol(step(1)));
    const report = text(must(await rehearsal.writeReport()));
    const pages = report.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page).toContain('RÉPÉTITION / REHEARSAL');
    expect(report).toContain('répétition générale du 3 décembre');
    expect(text(await rehearsal.tokenSheetPdf())).toContain('RÉPÉTITION / REHEARSAL');
    const election = must(await KeyCeremony.create(tempFolder(), boardDefinition(3, 2), context(new FakeTokens())));
    must(await election.enrol(step(1)));
    expect(text(must(await election.writeReport()))).not.toContain('RÉPÉTITION');
    expect(text(await election.tokenSheetPdf())).not.toContain('RÉPÉTITION');
  });

  it('states every deviation in words a president reads aloud, the code only on its details line; "Aucun écart" on a clean ceremony', async () => {
    const text = async (c: KeyCeremony): Promise<{ lines: string[]; flat: string }> => {
      const t = execFileSync('pdftotext', ['-layout', '-', '-'], { input: must(await c.writeReport()), encoding: 'utf8' }).replace(/\u00a0/g, ' ');
      const annex = t.slice(t.indexOf('Écarts consignés / Recorded deviations'), t.indexOf('Journal / Transcript'));
      // The pages' footers are not the annex's.
      const lines = annex.split('\n').filter((l) => !/^\s*Sceau · .* — page \d+\/\d+/.test(l));
      return { lines, flat: lines.join(' ').replace(/\s+/g, ' ') };
    };
    const clean = must(await KeyCeremony.create(tempFolder(), boardDefinition(3, 2), context(new FakeTokens())));
    must(await clean.enrol(step(1)));
    expect((await text(clean)).flat).toBe('Écarts consignés / Recorded deviations Aucun écart. / No deviation. ');

    // A wrong passphrase at the contribution: the member by name and number, what, why.
    const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(3, 2), context(new FakeTokens())));
    for (const j of [1, 2, 3]) must(await c.enrol(step(j)));
    expect(await c.contribute(step(2, 'mauvaise phrase'))).toMatchObject({ ok: false, error: { code: 'token.passphrase' } });
    const refused = await text(c);
    expect(refused.flat).toMatch(/1\. Le \d+ \S+ \d{4} à \d+ h( \d\d)?, heure de Paris, le jeton présenté pour Membre 2 \(membre n° 2\) a été refusé\. Motif : Phrase secrète incorrecte\./);
    expect(refused.flat).toMatch(/On \d+ \w+ \d{4} at \d\d:\d\d, Paris time, the token presented for Membre 2 \(member no\. 2\) was refused\. Reason: Wrong passphrase\./);
    const withCode = refused.lines.filter((l) => l.includes('token.passphrase'));
    expect(withCode).toHaveLength(1);
    expect(withCode[0]).toMatch(/^\s*détails \/ details : entrée \/ entry \d+ · token-refused · token\.passphrase · workstation:[0-9a-f]{16}/);
    expect(refused.flat).not.toMatch(/Entrée\/entry|membre\/member/);

    // A connected workstation without an override: its session, then the step it refused.
    const online = must(await KeyCeremony.create(tempFolder(), boardDefinition(3, 2), context(new FakeTokens(), ONLINE)));
    expect(await online.enrol(step(1))).toMatchObject({ ok: false, error: { code: 'offline.connected' } });
    const connected = (await text(online)).flat;
    expect(connected).toContain('un poste de travail a ouvert une session, alors qu’il était connecté à un réseau (wlan0), sans dérogation de répétition.');
    expect(connected).toContain('l’étape demandée pour Membre 1 (membre n° 1) a été refusée. Motif : Opération refusée');
    expect(connected).toContain('the step asked for Membre 1 (member no. 1) was refused. Reason: Operation refused');
  });

  it('is reproducible: the same ceremony and date give the same bytes', async () => {
    const tokens = new FakeTokens();
    const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(2, 2), context(tokens)));
    const at = new Date('2026-05-19T09:00:00Z');
    expect(toHex(must(await c.writeReport(at)))).toBe(toHex(must(await c.writeReport(at))));
  });

  it('states the voting period and its date as a French PV does, in Paris time, with the UTC instants for audit', async () => {
    const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(2, 2), context(new FakeTokens())));
    const path = join(c.folder, 'report-dates.pdf');
    writeFileSync(path, must(await c.writeReport(new Date('2026-05-19T09:00:00Z'))));
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    // 10:00 UTC in May is 12 h in Paris (summer time); so is 9:00 UTC 11 h.
    expect(text).toContain('Scrutin du 21 mai 2021 à 12 h au 26 mai 2021 à 12 h, heure de Paris');
    expect(text).toContain('Voting from 21 May 2021 at 12:00 to 26 May 2021 at 12:00, Paris time');
    expect(text).toContain('Établi le 19 mai 2026 à 11 h, heure de Paris / made on 19 May 2026 at 11:00, Paris time');
    expect(text).toContain('scrutin / voting 2021-05-21T10:00:00Z – 2021-05-26T10:00:00Z · établi / made 2026-05-19T09:00:00Z');
    expect(text).not.toContain('(UTC)');
  });
});
