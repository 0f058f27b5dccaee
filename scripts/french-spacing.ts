/**
 * French typography in the core's texts (issue 13 §5): a non-breaking space (U+00A0) before ":", ";", "?"
 * and "!", and inside « guillemets », in every string literal of the given files, the way the screens' own
 * strings are written (src/renderer/i18n/fr.ts, which the test test/renderer/i18n-words.test.ts keeps so).
 *
 *   npx tsx scripts/french-spacing.ts src/core/report/pv.ts src/core/election/…   rewrites these files
 *   npx tsx scripts/french-spacing.ts --check src/core/…                          lists, rewrites nothing
 *
 * Both print every literal concerned (file:line: raw text): read the list. Then `npx prettier --write` the
 * files rewritten (a longer line may be wrapped).
 *
 * Only the contents of string literals and of a template's text are read (found with the TypeScript
 * compiler, not with a regular expression over the file): never a regular expression, a type, a module's
 * name, a property's name, a tagged template (`String.raw`) or the argument of `RegExp(…)`. A plain space
 * before one of those four signs is French by construction: English never puts one there, and lines that
 * hold both languages ("Empreinte / fingerprint : ") have it only in their French part. The space is written
 * `\u00a0`, as in the screens' files; a « or » without any space gets one. Each literal rewritten is parsed
 * again and compared with what was meant, so an escape it sits next to cannot be mangled silently.
 *
 * Protocol text is kept: a `// french-spacing: keep. <why>` comment just before a declaration or a
 * statement leaves its literals as they are. The DKG result's reasons and verdicts (and the decoders'
 * messages they quote) are such text: dkg.md §7.4 fixes them byte for byte, and a record or a key ceremony
 * written before is compared with them when it is verified or when its tally is opened.
 *
 * test/lint/french-spacing.test.ts runs the same scan over src/core and fails on what this script would fix.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The content of one string literal, or of one piece of a template's text, in a file. */
export interface Literal {
  readonly line: number;
  /** Offsets in the file of the raw content, quotes and `${` excluded. */
  readonly start: number;
  readonly end: number;
  readonly raw: string;
  /** The string it makes (escapes decoded). */
  readonly text: string;
  /** What follows it in a template is a substitution: `«` at its end and `»` at the next one's start are inside. */
  readonly beforeSubstitution: boolean;
  readonly afterSubstitution: boolean;
}

const NBSP = '\u00a0';
const NARROW_NBSP = '\u202f';
const SPACES = new Set([NBSP, NARROW_NBSP]);
const PUNCTUATION = new Set([':', ';', '?', '!']);

/** Literals that are code, not text: types, module names, property names, patterns, raw templates. */
function isCode(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isExternalModuleReference(parent)) return true;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent)) && parent.name === node) return true;
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression === node) return true;
  if (ts.isLiteralTypeNode(parent) || ts.isTemplateLiteralTypeSpan(parent) || ts.isTemplateLiteralTypeNode(parent)) return true;
  if (ts.isTaggedTemplateExpression(parent) || (ts.isTemplateExpression(parent) && ts.isTaggedTemplateExpression(parent.parent))) return true;
  if (ts.isTemplateSpan(parent) && ts.isTaggedTemplateExpression(parent.parent.parent)) return true;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && ts.isIdentifier(parent.expression) && parent.expression.text === 'RegExp') return true;
  return false;
}

/** The comment that leaves the literals of the declaration or statement it precedes as they are. */
export const KEEP = 'french-spacing: keep';

/** Whether a comment just before the node says to keep its texts byte for byte (protocol text, say why). */
function isKept(node: ts.Node, source: string): boolean {
  return (ts.getLeadingCommentRanges(source, node.getFullStart()) ?? []).some((r) => source.slice(r.pos, r.end).includes(KEEP));
}

/** Every literal of a source file that a person may read, in the order of the file. */
export function literalsOf(source: string, fileName = 'source.ts'): Literal[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Literal[] = [];
  const visit = (node: ts.Node): void => {
    if (isKept(node, source)) return;
    const literal = literalOf(node, file, source);
    if (literal !== undefined) found.push(literal);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function literalOf(node: ts.Node, file: ts.SourceFile, source: string): Literal | undefined {
  if (!ts.isStringLiteral(node) && !ts.isNoSubstitutionTemplateLiteral(node) && !ts.isTemplateHead(node) && !ts.isTemplateMiddle(node) && !ts.isTemplateTail(node)) return undefined;
  if (isCode(node) || (ts.isTemplateLiteralToken(node) && !ts.isNoSubstitutionTemplateLiteral(node) && isCode(templateOf(node)))) return undefined;
  const begin = node.getStart(file);
  const end = node.getEnd();
  // Opening: a quote or a backquote, or `}` for a template's middle and tail; closing: a quote, a backquote or `${`.
  const open = 1;
  const close = ts.isTemplateHead(node) || ts.isTemplateMiddle(node) ? 2 : 1;
  return {
    line: file.getLineAndCharacterOfPosition(begin).line + 1,
    start: begin + open,
    end: end - close,
    raw: source.slice(begin + open, end - close),
    text: node.text,
    beforeSubstitution: ts.isTemplateHead(node) || ts.isTemplateMiddle(node),
    afterSubstitution: ts.isTemplateMiddle(node) || ts.isTemplateTail(node),
  };
}

/** The template expression a head, middle or tail belongs to. */
function templateOf(node: ts.Node): ts.Node {
  return ts.isTemplateHead(node) ? node.parent : node.parent.parent;
}

/** What breaks French typography in a literal's text: a plain space where a non-breaking one belongs. */
export function typographyProblems(literal: Pick<Literal, 'text' | 'beforeSubstitution' | 'afterSubstitution'>): string[] {
  const { text } = literal;
  const problems: string[] = [];
  [...text].forEach((c, i, chars) => {
    const next = chars[i + 1];
    const previous = chars[i - 1];
    if (c === ' ' && next !== undefined && PUNCTUATION.has(next)) problems.push(`plain space before "${next}"`);
    if (c === '«' && !(next === undefined ? !literal.beforeSubstitution : SPACES.has(next))) problems.push('no non-breaking space after "«"');
    if (c === '»' && !(previous === undefined ? !literal.afterSubstitution : SPACES.has(previous))) problems.push('no non-breaking space before "»"');
  });
  return problems;
}

/** One unit of a literal's raw text: a character, or an escape sequence, with the character it makes. */
interface Unit {
  readonly raw: string;
  readonly char: string;
}

const ESCAPE = /\\(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/y;
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };

function unitsOf(raw: string): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < raw.length;) {
    ESCAPE.lastIndex = i;
    const escape = ESCAPE.exec(raw)?.[0];
    const unit = escape === undefined ? String.fromCodePoint(raw.codePointAt(i)!) : escape;
    units.push({ raw: unit, char: escape === undefined ? unit : decode(escape) });
    i += unit.length;
  }
  return units;
}

function decode(escape: string): string {
  const body = escape.slice(1);
  if (body.startsWith('u{')) return String.fromCodePoint(parseInt(body.slice(2, -1), 16));
  if (/^[ux][0-9a-fA-F]/.test(body)) return String.fromCodePoint(parseInt(body.slice(1), 16));
  return SIMPLE_ESCAPES[body] ?? (/^(\r\n|\n|\r|\u2028|\u2029)$/.test(body) ? '' : body);
}

/** A literal's raw text with French spacing (the non-breaking space written `\u00a0`), and the text it then makes. */
export function respaced(literal: Literal): { raw: string; text: string } {
  const units = unitsOf(literal.raw);
  const raw: string[] = [];
  const text: string[] = [];
  const put = (r: string, t: string): void => void (raw.push(r), text.push(t));
  units.forEach((u, i) => {
    const next = units[i + 1];
    const previous = units[i - 1];
    const plainSpace = u.raw === ' ';
    if (plainSpace && (previous?.char === '«' || (next !== undefined && (PUNCTUATION.has(next.char) || next.char === '»')))) return put('\\u00a0', NBSP);
    if (u.char === '»' && (previous === undefined ? literal.afterSubstitution : previous.char !== ' ' && !SPACES.has(previous.char))) put('\\u00a0', NBSP);
    put(u.raw, u.char);
    if (u.char === '«' && (next === undefined ? literal.beforeSubstitution : next.char !== ' ' && !SPACES.has(next.char))) put('\\u00a0', NBSP);
  });
  return { raw: raw.join(''), text: text.join('') };
}

/**
 * A file's source with every literal respaced, and the literals changed. Throws, and nothing is written,
 * unless the new source parses to the same literals with exactly the texts meant and nothing left to fix.
 */
export function rewrite(source: string, fileName = 'source.ts'): { source: string; changed: Literal[] } {
  const before = literalsOf(source, fileName);
  const meant = before.map((l) => (typographyProblems(l).length > 0 ? respaced(l) : { raw: l.raw, text: l.text }));
  let out = source;
  for (let i = before.length - 1; i >= 0; i--) out = out.slice(0, before[i]!.start) + meant[i]!.raw + out.slice(before[i]!.end);
  const after = literalsOf(out, fileName);
  const wrong = after.length !== before.length ? before[0] : before.find((_literal, i) => after[i]!.text !== meant[i]!.text || typographyProblems(after[i]!).length > 0);
  if (wrong !== undefined) throw new Error(`${fileName}:${wrong.line}: the rewrite would not make the text meant; nothing written.`);
  return { source: out, changed: before.filter((l, i) => meant[i]!.raw !== l.raw) };
}

function main(args: string[]): void {
  const check = args[0] === '--check';
  const files = check ? args.slice(1) : args;
  if (files.length === 0) {
    console.error('usage: npx tsx scripts/french-spacing.ts [--check] FILE…');
    process.exitCode = 2;
    return;
  }
  // Every file is rewritten in memory first: one that cannot be leaves all of them untouched.
  const rewritten = files.map((file) => ({ file, ...rewrite(readFileSync(file, 'utf8'), file) }));
  for (const { file, changed } of rewritten) for (const l of changed) console.log(`${file}:${l.line}: ${l.raw.length > 120 ? `${l.raw.slice(0, 117)}…` : l.raw}`);
  if (!check) for (const { file, source, changed } of rewritten) if (changed.length > 0) writeFileSync(file, source);
  const total = rewritten.reduce((n, r) => n + r.changed.length, 0);
  console.error(`${check ? 'Literals to respace' : 'Literals respaced'}: ${total}, in ${rewritten.filter((r) => r.changed.length > 0).length} of ${files.length} files.`);
  if (check && total > 0) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
