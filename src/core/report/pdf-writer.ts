/**
 * A small flowing-text writer over pdf-lib for the reports Sceau prints (ceremony reports, procès-
 * verbaux): A4 pages, headings, paragraphs, monospaced hex, tables of short cells, QR codes drawn as
 * vector squares (crisp at any zoom, decodable from a scan), and a footer on every page.
 */
import { PDFDocument, StandardFonts, degrees, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
// pdf-lib's standard fonts encode WinAnsi: Latin-1 plus these. Anything else is shown as '?'.
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text the standard fonts can draw: composed (NFC, so a decomposed "é" stays "é"), control characters
 * but LF (paragraph breaks) as spaces, since pdf-lib throws on them, and anything outside WinAnsi as "?".
 * Names in a definition may hold any of these: a report must never fail to print because of one.
 */
export function winAnsi(text: string): string {
  return [...text.normalize('NFC')]
    .map((ch) => {
      const code = ch.charCodeAt(0);
      if (ch !== '\n' && (code < 0x20 || (code >= 0x7f && code <= 0x9f))) return ' ';
      return code <= 0xff || WIN_ANSI_EXTRAS.has(ch) ? ch : '?';
    })
    .join('');
}

/**
 * Text from the definition as the standard fonts can show it on one line: composed (NFC, so "é" written
 * as e + ◌́ prints as é), control characters, line feeds included, as spaces (pdf-lib throws on them);
 * what WinAnsi still lacks is then shown as "?" by winAnsi.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return winAnsi(text.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' '));
}

interface Fonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  readonly mono: PDFFont;
}

export class PdfWriter {
  private page!: PDFPage;
  private y = 0;
  private rehearsal = false;

  private constructor(
    readonly doc: PDFDocument,
    readonly fonts: Fonts,
    private readonly footer: string,
  ) {}

  static async create(title: string, footer: string): Promise<PdfWriter> {
    const doc = await PDFDocument.create();
    doc.setTitle(winAnsi(title));
    doc.setCreator('Sceau');
    doc.setProducer('Sceau (pdf-lib)');
    // A fixed date keeps the bytes reproducible from the same inputs; the report states its own date.
    doc.setCreationDate(new Date(0));
    doc.setModificationDate(new Date(0));
    const fonts = {
      regular: await doc.embedFont(StandardFonts.Helvetica),
      bold: await doc.embedFont(StandardFonts.HelveticaBold),
      mono: await doc.embedFont(StandardFonts.Courier),
    };
    const w = new PdfWriter(doc, fonts, footer);
    w.newPage();
    return w;
  }

  get width(): number {
    return A4[0] - 2 * MARGIN;
  }

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensure(height: number): void {
    if (this.y - height < MARGIN + 20) this.newPage();
  }

  space(points = 8): void {
    this.y -= points;
  }

  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of winAnsi(text).split('\n')) {
      let line = '';
      // A non-breaking space (French before ":" ; "?" "!" and inside « ») is part of the word, never a break.
      for (const word of paragraph.split(/([^\S\u00a0\u202f]+)/)) {
        const candidate = line + word;
        if (font.widthOfTextAtSize(candidate, size) <= width || line === '') {
          line = candidate;
        } else {
          lines.push(line.trimEnd());
          line = word.trimStart();
        }
        // A word longer than the line (a hash) is cut where it must be.
        while (font.widthOfTextAtSize(line, size) > width) {
          let cut = line.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
          lines.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
      lines.push(line.trimEnd());
    }
    return lines;
  }

  text(text: string, options: { font?: keyof Fonts; size?: number; indent?: number; color?: [number, number, number] } = {}): void {
    const font = this.fonts[options.font ?? 'regular'];
    const size = options.size ?? 10;
    const indent = options.indent ?? 0;
    for (const line of this.wrap(text, font, size, this.width - indent)) {
      this.ensure(size * 1.35);
      this.y -= size * 1.35;
      this.page.drawText(line, { x: MARGIN + indent, y: this.y, size, font, color: rgb(...(options.color ?? [0, 0, 0])) });
    }
  }

  heading(text: string, size = 14): void {
    this.ensure(size * 3);
    this.space(size * 0.6);
    this.text(text, { font: 'bold', size });
    this.space(2);
  }

  /** A row of cells at fixed column widths (fractions of the width), wrapped, with a rule below. */
  row(cells: readonly string[], widths: readonly number[], options: { font?: keyof Fonts; size?: number } = {}): void {
    const size = options.size ?? 8.5;
    const font = this.fonts[options.font ?? 'regular'];
    const columns = cells.map((c, i) => this.wrap(c, i === 0 ? this.fonts.bold : font, size, widths[i]! * this.width - 4));
    const height = Math.max(...columns.map((l) => l.length)) * size * 1.3 + 4;
    this.ensure(height);
    let x = MARGIN;
    columns.forEach((lines, i) => {
      lines.forEach((line, k) => {
        this.page.drawText(line, { x: x + 2, y: this.y - (k + 1) * size * 1.3, size, font: i === 0 ? this.fonts.bold : font });
      });
      x += widths[i]! * this.width;
    });
    this.y -= height;
    this.page.drawLine({ start: { x: MARGIN, y: this.y + 1 }, end: { x: MARGIN + this.width, y: this.y + 1 }, thickness: 0.4, color: rgb(0.6, 0.6, 0.6) });
  }

  /**
   * Reserves `height` points (on a new page when they do not fit) and lets `draw` paint in them, given
   * the page, the left edge, the top and the usable width. Text drawn there must go through winAnsi.
   */
  block(height: number, draw: (page: PDFPage, left: number, top: number, width: number) => void): void {
    this.ensure(height);
    draw(this.page, MARGIN, this.y, this.width);
    this.y -= height;
  }

  get pageCount(): number {
    return this.doc.getPageCount();
  }

  /** A QR code (error correction M) with its caption to the right; `size` in points. */
  qr(content: string, caption: string, size = 120): void {
    const qr = QRCode.create(content, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    const quiet = 4;
    const cell = size / (n + 2 * quiet);
    this.ensure(size + 10);
    const top = this.y;
    const left = MARGIN;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        if (qr.modules.data[r * n + c]) {
          this.page.drawRectangle({ x: left + (c + quiet) * cell, y: top - (r + quiet + 1) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
        }
      }
    }
    // The caption's paragraphs go beside the code while they fit in its height; the rest follows below it,
    // across the page, so that a long caption never runs into what comes next or off the page.
    const room = Math.floor((size - 20) / 12) + 1;
    const paragraphs = caption.split('\n');
    const beside: string[] = [];
    let k = 0;
    for (; k < paragraphs.length; k++) {
      const lines = this.wrap(paragraphs[k]!, this.fonts.regular, 9, this.width - size - 10);
      if (beside.length + lines.length > room && beside.length > 0) break;
      beside.push(...lines);
    }
    beside.forEach((line, i) => this.page.drawText(line, { x: left + size + 10, y: top - 20 - i * 12, size: 9, font: this.fonts.regular }));
    this.y = Math.min(top - size, top - 20 - (beside.length - 1) * 12 - 4) - 6;
    for (const paragraph of paragraphs.slice(k)) this.text(paragraph, { size: 9 });
  }

  /** Footers (page k of n) are drawn last, when the page count is known. */
  /**
   * Marks every page of the document, those written after too, RÉPÉTITION / REHEARSAL across the page: a
   * rehearsal's papers must never pass for an election's (docs/results.md "Rehearsals").
   */
  markRehearsal(): void {
    this.rehearsal = true;
  }

  private drawRehearsalMark(p: PDFPage): void {
    const text = 'RÉPÉTITION / REHEARSAL';
    const size = 44;
    const width = this.fonts.bold.widthOfTextAtSize(winAnsi(text), size);
    const { width: pw, height: ph } = p.getSize();
    // Centred on the page along its diagonal, under nothing: drawn last, light enough to read through.
    const angle = Math.atan2(ph, pw);
    const x = pw / 2 - (Math.cos(angle) * width) / 2 + (Math.sin(angle) * size) / 3;
    const y = ph / 2 - (Math.sin(angle) * width) / 2 - (Math.cos(angle) * size) / 3;
    p.drawText(winAnsi(text), { x, y, size, font: this.fonts.bold, color: rgb(0.8, 0.1, 0.1), opacity: 0.22, rotate: degrees((angle * 180) / Math.PI) });
    p.drawText(winAnsi(text), { x: MARGIN, y: ph - MARGIN / 2, size: 9, font: this.fonts.bold, color: rgb(0.8, 0.1, 0.1) });
  }

  async save(): Promise<Uint8Array> {
    const pages = this.doc.getPages();
    if (this.rehearsal) for (const p of pages) this.drawRehearsalMark(p);
    pages.forEach((p, i) => {
      p.drawText(winAnsi(`${this.footer} — page ${i + 1}/${pages.length}`), { x: MARGIN, y: MARGIN - 20, size: 7.5, font: this.fonts.regular, color: rgb(0.3, 0.3, 0.3) });
    });
    return this.doc.save({ useObjectStreams: false });
  }
}
