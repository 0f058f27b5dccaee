/**
 * Finds every failure code the sources can produce, and every place that makes a failure without a
 * French or an English message; reads which codes docs/ documents. Used by ./failure-codes.test.ts.
 *
 * Nothing is hard-wired to `fail` or `InputError`: the scanner starts from what makes a failure in the
 * end, an object literal with a `code` and a message, and follows parameters outwards with the
 * TypeScript checker. A function whose failure takes its code (or its French or English text) from one
 * of its parameters is a "maker" (`fail`, `InputError`'s constructor, `urnFailure`, `CheckReport.fail`,
 * a local `refuse`…), and each call of a maker is a failure site in turn, up to the call that gives the
 * code as a literal. Rules:
 *
 * - Sites: an object literal with a `code` property and a `message` (or `fr` and `en`) property; an
 *   object literal with a dotted `code` literal and no message (a rejection reason, whose text is in a
 *   table); a call of a maker. A table entry, `'a.b': { fr, en }` or `case 'a.b': return { fr, en }`,
 *   gives its text to a code made elsewhere and must be bilingual too, but makes no code by itself.
 * - Codes: a string literal; a template (`shuffle.${x}`: a part the scanner cannot know becomes `*`, a
 *   documented `shuffle.*` then covers it); both branches of `?:`; a constant or an expression whose type
 *   is a union of string literals; a parameter of the enclosing function makes that function a maker. An
 *   expression of type `string` (`e.code`) passes on a failure made elsewhere and is not a new code. A
 *   code is lower-case, dotted words of letters, digits and `-`; one word (`internal`) only with a message.
 * - Messages: the French and the English text must both be there and not blank when literal; a text made
 *   from a parameter (`Urne refusée : ${fr}`) asks every call for that argument.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** A code or a `prefix.*` pattern, and one place that makes it. */
export interface CodeSite {
  readonly code: string;
  readonly at: string;
}

export interface Scan {
  /** Every code with every place that makes it, codes in order. */
  readonly codes: ReadonlyMap<string, readonly string[]>;
  /** Places that make a failure whose French or English text is absent or blank. */
  readonly messageDefects: readonly string[];
  /** Codes made with a message that are not lower-case dotted words (`Ballot.Bad`, `${x}.bad`), with their places. */
  readonly unrecognised: ReadonlyMap<string, readonly string[]>;
  /** Rejection codes (code-only objects) with no `{ fr, en }` table entry anywhere. */
  readonly untranslatedCodes: readonly string[];
  /** Functions recognised as failure makers, as `file:line name`. */
  readonly makers: readonly string[];
  /**
   * Places that give a code as a literal where its type is plain `string` (a raw `fail`, a failure object
   * without a typed home, a helper with a `code: string` parameter): a misspelling there would compile.
   */
  readonly untypedCodes: readonly string[];
  /**
   * The codes each place gives of its own (a literal, a template), as `codes` but without those passed on
   * as a value typed with a list (a rejection's reason read from another module's union type).
   */
  readonly ownCodes: ReadonlyMap<string, readonly string[]>;
}

const WORD = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
const CODE = new RegExp(`^${WORD}(?:\\.(?:${WORD}|\\*))*$`);
const DOTTED = new RegExp(`^${WORD}(?:\\.(?:${WORD}|\\*))+$`);

const WILD = Symbol('unknown part');
type Part = string | ts.ParameterDeclaration | typeof WILD;
/** A code as parts: literal text, a parameter of a maker, or an unknown part. */
type Pattern = readonly Part[];

/** What a French or English text needs: `bad` when absent or blank; the maker parameters it is made from. */
interface Text {
  readonly bad: 'missing' | 'blank' | null;
  /** Parameters the text is (`direct`) or is made with (in a template or a `+`). */
  readonly params: readonly { readonly param: ts.ParameterDeclaration; readonly direct: boolean }[];
}

interface Maker {
  readonly node: ts.SignatureDeclaration;
  readonly codes: Pattern[];
  readonly fr: Set<ts.ParameterDeclaration>;
  readonly en: Set<ts.ParameterDeclaration>;
}

/** One place that makes failures: its codes and texts, evaluated where it stands. */
interface Site {
  readonly node: ts.Node;
  /** Code patterns; empty when the code is passed on from elsewhere. */
  readonly codes: Pattern[];
  readonly fr: Text[];
  readonly en: Text[];
  /** No message of its own: the code's text must come from a table. */
  readonly codeOnly: boolean;
  /** A `{ fr, en }` table entry. */
  readonly table: boolean;
  /**
   * The expressions that give the code here (a property's value, a maker's argument), each with whether
   * the type it must have is inferred from itself (a generic maker's `code: Code`: anything goes).
   */
  readonly codeExprs: readonly { readonly expr: ts.Expression; readonly inferred: boolean }[];
}

/** Every .ts/.tsx file under `dir` (declaration files excepted). */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
    });
}

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) ? name.text : undefined;
}

/** The `name` property of an object literal: its value, or the shorthand identifier. */
function property(o: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p) && propertyName(p.name) === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

function hasSpread(o: ts.ObjectLiteralExpression): boolean {
  return o.properties.some(ts.isSpreadAssignment);
}

function cartesian(lists: readonly (readonly Pattern[])[]): Pattern[] {
  return lists.reduce<Pattern[]>((acc, list) => acc.flatMap((a) => list.map((b) => [...a, ...b])), [[]]);
}

/** A pattern as text: `shuffle.*` for `shuffle.${unknown}`; undefined while it names a parameter. */
function patternText(p: Pattern): string | undefined {
  let s = '';
  for (const part of p) {
    if (part === WILD) s += s.endsWith('*') ? '' : '*';
    else if (typeof part === 'string') s += part;
    else return undefined;
  }
  return s;
}

/** Orders `file:line …` texts by file, then line number. */
function byPlace(a: string, b: string): number {
  const [fa = '', la = '0'] = a.split(' ', 1)[0]!.split(':');
  const [fb = '', lb = '0'] = b.split(' ', 1)[0]!.split(':');
  return fa < fb ? -1 : fa > fb ? 1 : Number(la) - Number(lb) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The name a function is called by: its own, its variable's or property's, its class's for a constructor. */
function nameOf(n: ts.SignatureDeclaration): string {
  if (ts.isConstructorDeclaration(n)) return n.parent.name?.text ?? '(anonymous)';
  if (n.name !== undefined && (ts.isIdentifier(n.name) || ts.isPrivateIdentifier(n.name))) return n.name.text;
  const p = n.parent;
  if ((ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && ts.isIdentifier(p.name)) return p.name.text;
  return '(anonymous)';
}

export function scanSources(root: string, files: readonly string[]): Scan {
  // The sources and the language's own library, no package (bare imports stay unresolved). The checker is
  // asked which function a call resolves to and which string literals a type allows, nothing more; the
  // library is there for a module's `as const` list of codes (a readonly array) to have its literal type.
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX,
    strict: true,
    noEmit: true,
    lib: ['lib.es2022.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  host.resolveModuleNameLiterals = (literals, containing, _redirect, opts) =>
    literals.map((l) => (l.text.startsWith('.') ? ts.resolveModuleName(l.text, containing, opts, host) : { resolvedModule: undefined }));
  const program = ts.createProgram({ rootNames: files, options, host });
  const checker = program.getTypeChecker();
  const sources = files.map((f) => program.getSourceFile(f)).filter((s): s is ts.SourceFile => s !== undefined);
  const at = (node: ts.Node): string => {
    const sf = node.getSourceFile();
    return `${relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
  };

  /** The parameter an identifier names, when it is one (a plain identifier parameter). */
  const parameterOf = (e: ts.Expression): ts.ParameterDeclaration | undefined => {
    if (!ts.isIdentifier(e)) return undefined;
    const symbol = ts.isShorthandPropertyAssignment(e.parent) ? checker.getShorthandAssignmentValueSymbol(e.parent) : checker.getSymbolAtLocation(e);
    const d = symbol?.valueDeclaration;
    return d !== undefined && ts.isParameter(d) && ts.isIdentifier(d.name) ? d : undefined;
  };

  const codeOf = (expr: ts.Expression): Pattern[] => {
    const e = unwrap(expr);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [[e.text]];
    if (ts.isConditionalExpression(e)) return [...codeOf(e.whenTrue), ...codeOf(e.whenFalse)];
    if (ts.isTemplateExpression(e)) {
      const lists: Pattern[][] = [[[e.head.text]]];
      for (const span of e.templateSpans) {
        const inner = codeOf(span.expression);
        lists.push(inner.length === 0 ? [[WILD]] : inner, [[span.literal.text]]);
      }
      return cartesian(lists);
    }
    const p = parameterOf(e);
    if (p !== undefined) return [[p]];
    const type = checker.getTypeAtLocation(e);
    const members = type.isUnion() ? type.types : [type];
    return members.every((t) => t.isStringLiteral()) ? members.map((t) => [(t as ts.StringLiteralType).value]) : [];
  };

  /** Whether `expr` gives a code of its own (a literal, a template, `?:` of them) rather than passing one on. */
  const hasLiteralCode = (expr: ts.Expression): boolean => {
    const e = unwrap(expr);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e)) return true;
    return ts.isConditionalExpression(e) && (hasLiteralCode(e.whenTrue) || hasLiteralCode(e.whenFalse));
  };
  /** Whether the place a code is given demands one of a list: a union of literals or templates, not `string`. */
  const isTypedCode = (expr: ts.Expression): boolean => {
    const type = checker.getContextualType(expr);
    if (type === undefined) return false;
    const members = type.isUnion() ? type.types : [type];
    return members.every((t) => t.isStringLiteral() || (t.flags & ts.TypeFlags.TemplateLiteral) !== 0);
  };

  const textOf = (expr: ts.Expression | undefined): Text[] => {
    if (expr === undefined) return [{ bad: 'missing', params: [] }];
    const e = unwrap(expr);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [{ bad: e.text.trim() === '' ? 'blank' : null, params: [] }];
    if (ts.isConditionalExpression(e)) return [...textOf(e.whenTrue), ...textOf(e.whenFalse)];
    const p = parameterOf(e);
    if (p !== undefined) return [{ bad: null, params: [{ param: p, direct: true }] }];
    const parts: ts.Expression[] = ts.isTemplateExpression(e)
      ? e.templateSpans.map((s) => s.expression)
      : ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken
        ? [e.left, e.right]
        : [];
    const params = parts.flatMap((x) => textOf(x).flatMap((t) => t.params.map(({ param }) => ({ param, direct: false }))));
    return [{ bad: null, params }];
  };

  /** The texts of a `message` value: an object literal's `fr` and `en`, each branch of `?:`; anything else is a typed Bilingual. */
  const messageOf = (expr: ts.Expression): { fr: Text[]; en: Text[] } => {
    const e = unwrap(expr);
    if (ts.isConditionalExpression(e)) {
      const [a, b] = [messageOf(e.whenTrue), messageOf(e.whenFalse)];
      return { fr: [...a.fr, ...b.fr], en: [...a.en, ...b.en] };
    }
    if (ts.isObjectLiteralExpression(e)) {
      const spread = hasSpread(e);
      const [fr, en] = [property(e, 'fr'), property(e, 'en')];
      return { fr: fr === undefined && spread ? [] : textOf(fr), en: en === undefined && spread ? [] : textOf(en) };
    }
    return { fr: [], en: [] };
  };

  // --- the sites that need no maker: object literals and tables ---
  const terminal: Site[] = [];
  const calls: (ts.CallExpression | ts.NewExpression)[] = [];
  /** `import { fail as refuse }`: the local name of each name imported under another. */
  const aliases: [imported: string, local: string][] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportSpecifier(node) && node.propertyName !== undefined) aliases.push([node.propertyName.text, node.name.text]);
    if (ts.isObjectLiteralExpression(node)) {
      const code = property(node, 'code');
      if (code !== undefined) {
        const message = property(node, 'message');
        const [fr, en] = [property(node, 'fr'), property(node, 'en')];
        if (message !== undefined) terminal.push({ node, codes: codeOf(code), ...messageOf(message), codeOnly: false, table: false, codeExprs: [{ expr: code, inferred: false }] });
        else if (fr !== undefined || en !== undefined)
          terminal.push({ node, codes: codeOf(code), fr: textOf(fr), en: textOf(en), codeOnly: false, table: false, codeExprs: [{ expr: code, inferred: false }] });
        else if (!hasSpread(node)) terminal.push({ node, codes: codeOf(code), fr: [], en: [], codeOnly: true, table: false, codeExprs: [{ expr: code, inferred: false }] });
      }
    }
    if (ts.isPropertyAssignment(node) && (ts.isStringLiteral(node.name) || ts.isNoSubstitutionTemplateLiteral(node.name)) && DOTTED.test(node.name.text)) {
      const value = unwrap(node.initializer);
      if (ts.isObjectLiteralExpression(value) && (property(value, 'fr') !== undefined || property(value, 'en') !== undefined)) {
        terminal.push({ node, codes: [[node.name.text]], ...messageOf(value), codeOnly: false, table: true, codeExprs: [] });
      }
    }
    if (ts.isCaseClause(node) && (ts.isStringLiteral(node.expression) || ts.isNoSubstitutionTemplateLiteral(node.expression)) && DOTTED.test(node.expression.text)) {
      const clauses = node.parent.clauses;
      const body = clauses.slice(clauses.indexOf(node)).find((c) => c.statements.length > 0)?.statements ?? [];
      for (const s of body) {
        const value = ts.isReturnStatement(s) && s.expression !== undefined ? unwrap(s.expression) : undefined;
        if (value !== undefined && ts.isObjectLiteralExpression(value) && property(value, 'code') === undefined && (property(value, 'fr') !== undefined || property(value, 'en') !== undefined)) {
          terminal.push({ node, codes: [[node.expression.text]], ...messageOf(value), codeOnly: false, table: true, codeExprs: [] });
        }
      }
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  for (const sf of sources) visit(sf);

  // --- makers, to a fixed point: a site whose code or text names a parameter makes its function one ---
  const makers = new Map<ts.Node, Maker>();
  const keyOf = (p: Pattern): string => p.map((x) => (x === WILD ? '*' : typeof x === 'string' ? JSON.stringify(x) : `#${x.pos}`)).join('');
  const learn = (site: Site): boolean => {
    let changed = false;
    const makerOf = (param: ts.ParameterDeclaration): Maker => {
      let m = makers.get(param.parent);
      if (m === undefined) {
        m = { node: param.parent, codes: [], fr: new Set(), en: new Set() };
        makers.set(param.parent, m);
        changed = true;
      }
      return m;
    };
    for (const pattern of site.codes) {
      const param = pattern.find((x): x is ts.ParameterDeclaration => typeof x === 'object');
      if (param === undefined) continue;
      const m = makerOf(param);
      if (!m.codes.some((c) => keyOf(c) === keyOf(pattern))) {
        m.codes.push(pattern);
        changed = true;
      }
    }
    // A parameter is a text when it is the whole text, or when it goes into one language's text only
    // (`Urne refusée : ${fr}`); one that goes into both (`${folder}`) is a detail of the message.
    const uses = (lang: 'fr' | 'en') => site[lang].flatMap((t) => t.params);
    for (const lang of ['fr', 'en'] as const) {
      const other = new Set(uses(lang === 'fr' ? 'en' : 'fr').map((u) => u.param));
      for (const param of uses(lang)
        .filter((u) => u.direct || !other.has(u.param))
        .map((u) => u.param)) {
        const m = makerOf(param);
        if (!m[lang].has(param)) {
          m[lang].add(param);
          changed = true;
        }
      }
    }
    return changed;
  };

  // Resolving a call is the slow part: only calls by the name of a known maker are resolved.
  const makerNames = (): Set<string> => {
    const names = new Set([...makers.keys()].map((n) => nameOf(n as ts.SignatureDeclaration)));
    for (const [imported, local] of aliases) if (names.has(imported)) names.add(local);
    return names;
  };
  const calledName = (call: ts.CallExpression | ts.NewExpression): string | undefined => {
    const e = unwrap(call.expression);
    return ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
  };
  const callees = new Map<ts.Node, ts.Node | undefined>();
  const calleeOf = (call: ts.CallExpression | ts.NewExpression, names: ReadonlySet<string>): ts.Node | undefined => {
    const name = calledName(call);
    if (name === undefined || !names.has(name)) return undefined;
    if (!callees.has(call)) callees.set(call, checker.getResolvedSignature(call)?.declaration);
    return callees.get(call);
  };
  const derived = (call: ts.CallExpression | ts.NewExpression, m: Maker): Site => {
    const args = call.arguments ?? ts.factory.createNodeArray();
    const argOf = (p: ts.ParameterDeclaration): ts.Expression | undefined => args[m.node.parameters.indexOf(p)];
    const codes = m.codes.flatMap((pattern) =>
      cartesian(
        pattern.map((part) => {
          if (typeof part !== 'object') return [[part]];
          const arg = argOf(part);
          const inner = arg === undefined ? [] : codeOf(arg);
          // A whole code of type `string` is passed on from elsewhere; part of one is unknown.
          return inner.length > 0 ? inner : pattern.length === 1 ? [] : [[WILD]];
        }),
      ),
    );
    const texts = (params: Set<ts.ParameterDeclaration>): Text[] => [...params].flatMap((p) => textOf(argOf(p)));
    const codeParams = new Set(m.codes.flatMap((pattern) => pattern.filter((x): x is ts.ParameterDeclaration => typeof x === 'object')));
    // A constructor's class parameters are inferred from its arguments too (`new InputError<Code>(code)`).
    const own = [...(m.node.typeParameters ?? []), ...(ts.isConstructorDeclaration(m.node) ? (m.node.parent.typeParameters ?? []) : [])];
    const ownTypes = new Set(own.map((t) => t.name.text));
    const inferred = (p: ts.ParameterDeclaration): boolean => p.type !== undefined && ts.isTypeReferenceNode(p.type) && ts.isIdentifier(p.type.typeName) && ownTypes.has(p.type.typeName.text);
    const codeExprs = [...codeParams].flatMap((p) => {
      const expr = argOf(p);
      return expr === undefined ? [] : [{ expr, inferred: inferred(p) }];
    });
    return { node: call, codes, fr: texts(m.fr), en: texts(m.en), codeOnly: false, table: false, codeExprs };
  };
  const allSites = (): Site[] => {
    const names = makerNames();
    return [
      ...terminal,
      ...calls.flatMap((c) => {
        const callee = calleeOf(c, names);
        const m = callee === undefined ? undefined : makers.get(callee);
        return m === undefined ? [] : [derived(c, m)];
      }),
    ];
  };
  for (let round = 0; ; round++) {
    if (round > 20) throw new Error('failure makers do not settle');
    let changed = false;
    for (const s of allSites()) changed = learn(s) || changed;
    if (!changed) break;
  }

  // --- what the sites make ---
  const sites = allSites();
  // A maker no call resolves to (exported to callers outside src/, or passed as a value) still makes its
  // codes: its parameters become unknown parts there (`sample.equation.${name}` is `sample.equation.*`).
  const called = new Set([...callees.values()].filter((c) => c !== undefined && makers.has(c)));
  const closed = (p: Pattern): Pattern => (p.some((x) => typeof x === 'object' && !called.has(x.parent)) ? p.map((x) => (typeof x === 'object' && !called.has(x.parent) ? WILD : x)) : p);
  const codes = new Map<string, string[]>();
  const messageDefects: string[] = [];
  const translated = new Set<string>();
  const codeOnly = new Map<string, string>();
  const unrecognised = new Map<string, string[]>();
  const untypedCodes: string[] = [];
  const ownCodes = new Map<string, string[]>();
  const add = (to: Map<string, string[]>, code: string, where: string): void => {
    const list = to.get(code) ?? [];
    if (!list.includes(where)) list.push(where);
    to.set(code, list);
  };
  for (const s of sites) {
    const texts = s.codes.map((p) => patternText(closed(p))).filter((c): c is string => c !== undefined && c !== '*');
    const made = texts.filter((c) => (s.codeOnly || s.table ? DOTTED : CODE).test(c));
    if (s.table) {
      // A table gives texts to codes made elsewhere; its keys are not codes by themselves (a switch over
      // transcript entry types describes entries in both languages too).
      for (const c of made) translated.add(c);
    } else {
      for (const c of made) {
        add(codes, c, at(s.node));
        if (s.codeOnly && !codeOnly.has(c)) codeOnly.set(c, at(s.node));
      }
      if (!s.codeOnly) for (const c of texts.filter((t) => !made.includes(t))) add(unrecognised, c, at(s.node));
      if (s.codeExprs.some((x) => hasLiteralCode(x.expr))) for (const c of made) add(ownCodes, c, at(s.node));
      if (made.length > 0) for (const { expr } of s.codeExprs.filter((x) => hasLiteralCode(x.expr) && (x.inferred || !isTypedCode(x.expr)))) untypedCodes.push(`${at(s.node)} ${expr.getText()}`);
    }
    if (s.codeOnly) continue;
    for (const lang of ['fr', 'en'] as const) {
      const bad = s[lang].find((t) => t.bad !== null);
      if (bad) messageDefects.push(`${at(s.node)} ${made.join(', ') || '(code from elsewhere)'}: ${lang === 'fr' ? 'French' : 'English'} text ${bad.bad}`);
    }
  }
  for (const s of sites) {
    if (s.codeOnly || s.table) continue;
    for (const c of s.codes.map((p) => patternText(closed(p)))) if (c !== undefined && codeOnly.has(c)) translated.add(c);
  }
  const untranslatedCodes = [...codeOnly].filter(([c]) => !translated.has(c)).map(([c, where]) => `${c} — ${where}: no { fr, en } text anywhere`);
  const sorted = (m: Map<string, string[]>) => new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    codes: sorted(codes),
    messageDefects: messageDefects.sort(byPlace),
    unrecognised: sorted(unrecognised),
    untranslatedCodes,
    untypedCodes: untypedCodes.sort(byPlace),
    ownCodes: sorted(ownCodes),
    makers: [...makers.values()]
      .filter((m) => m.codes.length > 0 || m.fr.size > 0)
      .map((m) => `${at(m.node)} ${nameOf(m.node)}`)
      .sort(),
  };
}

/** The codes docs/*.md documents: in-line code spans that are a code (`urn.malformed`) or a `prefix.*` pattern. */
export function documentedCodes(docsDir: string): Set<string> {
  const out = new Set<string>();
  for (const name of readdirSync(docsDir).filter((n) => n.endsWith('.md'))) {
    const text = readFileSync(join(docsDir, name), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
    for (const m of text.matchAll(/`([^`\n]+)`/g)) {
      const span = m[1]!.trim();
      if (CODE.test(span)) out.add(span);
    }
  }
  return out;
}

/** Whether docs cover a code: named exactly, or under a documented `prefix.*`. */
export function isDocumented(code: string, documented: ReadonlySet<string>): boolean {
  if (documented.has(code)) return true;
  const parts = code.split('.');
  for (let i = parts.length - 1; i >= 1; i--) if (documented.has(`${parts.slice(0, i).join('.')}.*`)) return true;
  return false;
}

/** `code — file:line, file:line` for each code docs do not cover (recognised or not). */
export function undocumented(scan: Scan, documented: ReadonlySet<string>): string[] {
  return [...scan.codes, ...scan.unrecognised]
    .filter(([code]) => !isDocumented(code, documented))
    .map(([code, where]) => `${code} — ${where.slice(0, 3).join(', ')}${where.length > 3 ? ` (+${where.length - 3} more)` : ''}`);
}
