/**
 * A small reader for Apple XML property lists (the subset `diskutil -plist` prints): dict, array,
 * key, string, integer, real, true, false, data, date. No DTD, no binary plists. Throws InputError.
 */
import { inputError } from './failures.js';

export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

const TOKEN = /<(\/?)(dict|array|key|string|integer|real|true|false|data|date)(\/?)>|<\?[^>]*\?>|<!DOCTYPE[^>]*>|<\/?plist[^>]*>|<!--[\s\S]*?-->|([^<]+)/g;

interface Token {
  readonly close: boolean;
  readonly tag: string;
  readonly empty: boolean;
  readonly text?: string;
}

function bad(fr: string, en: string): never {
  throw inputError('drives.parse', `Plist de diskutil illisible\u00a0: ${fr}.`, `Unreadable diskutil plist: ${en}.`, 'diskutil');
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e.startsWith('#x') ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

function tokenize(xml: string): Token[] {
  const out: Token[] = [];
  for (const m of xml.matchAll(TOKEN)) {
    if (m[2] !== undefined) out.push({ close: m[1] === '/', tag: m[2], empty: m[3] === '/' });
    else if (m[4] !== undefined && m[4].trim() !== '') out.push({ close: false, tag: '#text', empty: false, text: decodeEntities(m[4]) });
  }
  return out;
}

class Reader {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private next(): Token {
    const t = this.tokens[this.i++];
    if (t === undefined) bad('fin inattendue', 'unexpected end');
    return t;
  }

  private textUntil(tag: string): string {
    let text = '';
    for (;;) {
      const t = this.next();
      if (t.tag === '#text') text += t.text;
      else if (t.close && t.tag === tag) return text;
      else bad(`<${t.tag}> dans <${tag}>`, `<${t.tag}> inside <${tag}>`);
    }
  }

  value(): PlistValue {
    const t = this.next();
    if (t.close || t.tag === '#text') bad(`${t.tag} inattendu`, `unexpected ${t.tag}`);
    if (t.tag === 'true' || t.tag === 'false') {
      if (!t.empty) this.textUntil(t.tag);
      return t.tag === 'true';
    }
    if (t.tag === 'dict') return t.empty ? {} : this.dict();
    if (t.tag === 'array') return t.empty ? [] : this.array();
    const text = t.empty ? '' : this.textUntil(t.tag);
    if (t.tag === 'integer' || t.tag === 'real') {
      const n = Number(text.trim());
      if (!Number.isFinite(n)) bad(`nombre invalide ${text}`, `bad number ${text}`);
      return n;
    }
    return t.tag === 'data' ? text.replace(/\s+/g, '') : text;
  }

  private dict(): { [key: string]: PlistValue } {
    const out: { [key: string]: PlistValue } = {};
    for (;;) {
      const t = this.next();
      if (t.close && t.tag === 'dict') return out;
      if (t.tag !== 'key' || t.close) bad('clé attendue dans le dictionnaire', 'key expected in dict');
      const key = t.empty ? '' : this.textUntil('key');
      out[key] = this.value();
    }
  }

  private array(): PlistValue[] {
    const out: PlistValue[] = [];
    while (!(this.tokens[this.i]?.close && this.tokens[this.i]?.tag === 'array')) out.push(this.value());
    this.i++;
    return out;
  }
}

export function parsePlist(xml: string): PlistValue {
  if (!/<plist[\s>]/.test(xml)) bad('pas de <plist>', 'no <plist>');
  return new Reader(tokenize(xml)).value();
}
