/**
 * Dates as a French procès-verbal writes them, for every paper and screen a person reads: "le 1er
 * décembre 2026 à 0 h 05, heure de Paris", in English "on 1 December 2026 at 00:05, Paris time" (24-hour
 * clock in both languages). The record itself keeps UTC (ISO 8601, docs/formats.md); these words are
 * only how an instant is shown. Pure (no Node, no DOM): the renderer uses it too. The time zone is
 * Europe/Paris through Intl, so summer and winter time are the law's; in the hour that repeats when
 * clocks go back (last Sunday of October, 2 h to 3 h), the words say which of the two it is.
 *
 * An instant that cannot be read (not an ISO 8601 instant with its zone, a day that does not exist, an
 * invalid Date) never prints "Invalid Date": it prints "date illisible" / "unreadable date" with what
 * was given, so that a reader sees at once that the record holds something wrong.
 */

export type DateLang = 'fr' | 'en';
/** An instant: ISO 8601 text with its zone (Z or ±hh:mm), milliseconds since 1970 (UTC), or a Date. */
export type Instant = string | number | Date;

export const PARIS_TIME_ZONE = 'Europe/Paris';

const MONTHS: Record<DateLang, readonly string[]> = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** The wall clock in Paris at an instant, and the offset from UTC then (60 in winter, 120 in summer). */
export interface ParisTime {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  readonly day: number;
  /** 0–23. */
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Minutes ahead of UTC. */
  readonly offsetMinutes: number;
  /** In the hour that repeats when clocks go back: the same wall time is also another instant. */
  readonly repeated: boolean;
}

// An instant with its zone; the seconds and their fraction are optional (a definition's times have no fraction).
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_SHOWN = 40;

/** Milliseconds since 1970 of a readable instant, or null. */
export function instantMs(at: Instant): number | null {
  if (at instanceof Date) return inRange(at.getTime());
  if (typeof at === 'number') return Number.isFinite(at) ? inRange(at) : null;
  const m = ISO_INSTANT.exec(at);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  // Date.parse rolls 30 February over to 2 March: the fields must be a real day and time.
  const check = new Date(new Date(0).setUTCFullYear(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  if (m[7] !== 'Z' && (Number(m[7]!.slice(1, 3)) > 23 || Number(m[7]!.slice(4, 6)) > 59)) return null;
  return inRange(Date.parse(at));
}

/** Years 1 to 9999 only: beyond, Intl writes eras and signs that no PV should carry. */
function inRange(ms: number): number | null {
  if (!Number.isFinite(ms)) return null;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1 && year <= 9999 ? ms : null;
}

let wallClock: Intl.DateTimeFormat | undefined;

/** Paris's wall clock at `ms`, written as if it were UTC (so that the difference is the offset). */
function parisWallMs(ms: number): { wall: number; fields: [number, number, number, number, number, number] } {
  wallClock ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: PARIS_TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const parts = Object.fromEntries(wallClock.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const fields = [parts['year'], parts['month'], parts['day'], parts['hour'], parts['minute'], parts['second']].map(Number) as [number, number, number, number, number, number];
  const [y, mo, d, h, mi, s] = fields;
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const wall = new Date(0).setUTCFullYear(y, mo - 1, d) + ((h * 60 + mi) * 60 + s) * 1000;
  return { wall, fields };
}

/** The wall clock in Paris at `at`, or null when `at` is not a readable instant. */
export function parisTime(at: Instant): ParisTime | null {
  const ms = instantMs(at);
  if (ms === null) return null;
  const whole = Math.floor(ms / 1000) * 1000;
  const { wall, fields } = parisWallMs(whole);
  const offsetMinutes = Math.round((wall - whole) / 60_000);
  // The same wall time under the offset in force three hours before or after is another instant when the
  // clocks went back in between: that is the hour that repeats.
  const repeated = [whole - 3 * 3_600_000, whole + 3 * 3_600_000].some((near) => {
    const other = wall - Math.round((parisWallMs(near).wall - near) / 60_000) * 60_000;
    return other !== whole && parisWallMs(other).wall === wall;
  });
  const [year, month, day, hour, minute, second] = fields;
  return { year, month, day, hour, minute, second, offsetMinutes, repeated };
}

/** Given, but with no text worth quoting: an invalid Date ("Invalid Date"), NaN or an infinity. */
const textless = (at: Instant): boolean => at instanceof Date || (typeof at === 'number' && !Number.isFinite(at));

/** What was given, quoted for the "unreadable" words: a string cut short, a number as is; "?" when textless. */
function quoted(at: Instant, lang: DateLang): string {
  if (textless(at)) return '?';
  const text = String(at);
  const cut = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
  return lang === 'fr' ? `«\u00a0${cut}\u00a0»` : `"${cut}"`;
}

/** " (« … »)" after the words "date illisible", nothing when textless. */
const shown = (at: Instant, lang: DateLang): string => (textless(at) ? '' : ` (${quoted(at, lang)})`);

const two = (n: number): string => String(n).padStart(2, '0');

/** "4 décembre 2026", "1er décembre 2026" / "4 December 2026". */
function dayWords(p: ParisTime, lang: DateLang): string {
  const day = lang === 'fr' && p.day === 1 ? '1er' : String(p.day);
  return `${day} ${MONTHS[lang][p.month - 1]!} ${p.year}`;
}

/** "2 h 30", "0 h 05", "14 h" (with seconds "2 h 30 min 05 s") / "02:30" ("02:30:05"). */
function clockWords(p: ParisTime, lang: DateLang, seconds: boolean): string {
  if (lang === 'en') return `${two(p.hour)}:${two(p.minute)}${seconds ? `:${two(p.second)}` : ''}`;
  if (seconds) return `${p.hour} h ${two(p.minute)} min ${two(p.second)} s`;
  return p.minute === 0 ? `${p.hour} h` : `${p.hour} h ${two(p.minute)}`;
}

/** "heure de Paris"; in the hour that repeats, which one: "heure d'hiver de Paris (UTC+1)". */
function zoneWords(p: ParisTime, lang: DateLang): string {
  if (!p.repeated) return lang === 'fr' ? 'heure de Paris' : 'Paris time';
  const summer = p.offsetMinutes > 60;
  const utc = `UTC+${p.offsetMinutes / 60}`;
  if (lang === 'fr') return `${summer ? 'heure d’été' : 'heure d’hiver'} de Paris (${utc})`;
  return `Paris ${summer ? 'summer' : 'winter'} time (${utc})`;
}

const unreadableDate = (at: Instant, lang: DateLang): string => (lang === 'fr' ? `date illisible${shown(at, lang)}` : `unreadable date${shown(at, lang)}`);

/**
 * The date and time in a sentence, with its article: "le 4 décembre 2026 à 2 h 30, heure de Paris" /
 * "on 4 December 2026 at 02:30, Paris time" ("établi le …", "made on …"); with `seconds`, "à 2 h 30 min
 * 05 s" / "at 02:30:05". Unreadable: "à une date illisible (« … »)" / "at an unreadable date ("…")".
 */
export function onDate(at: Instant, lang: DateLang, options: { seconds?: boolean } = {}): string {
  const p = parisTime(at);
  if (p === null) return lang === 'fr' ? `à une ${unreadableDate(at, lang)}` : `at an ${unreadableDate(at, lang)}`;
  const time = clockWords(p, lang, options.seconds ?? false);
  return lang === 'fr' ? `le ${dayWords(p, lang)} à ${time}, ${zoneWords(p, lang)}` : `on ${dayWords(p, lang)} at ${time}, ${zoneWords(p, lang)}`;
}

/**
 * Since when, in a sentence: "depuis le 4 décembre 2026 à 2 h 30, heure de Paris" / "since 4 December
 * 2026 at 02:30, Paris time" (English drops the "on" of `onDate`: "since on" is not English); with
 * `seconds`, "à 2 h 30 min 05 s" / "at 02:30:05". Unreadable: "depuis une date illisible (« … »)" /
 * "since an unreadable date ("…")".
 */
export function sinceDate(at: Instant, lang: DateLang, options: { seconds?: boolean } = {}): string {
  const p = parisTime(at);
  if (p === null) return lang === 'fr' ? `depuis une ${unreadableDate(at, lang)}` : `since an ${unreadableDate(at, lang)}`;
  const time = clockWords(p, lang, options.seconds ?? false);
  return lang === 'fr' ? `depuis le ${dayWords(p, lang)} à ${time}, ${zoneWords(p, lang)}` : `since ${dayWords(p, lang)} at ${time}, ${zoneWords(p, lang)}`;
}

/**
 * A period: "du 1er décembre 2026 à 9 h au 4 décembre 2026 à 18 h, heure de Paris" / "from 1 December
 * 2026 at 09:00 to 4 December 2026 at 18:00, Paris time"; each end says its own zone when they differ (an
 * end in the hour that repeats). Unreadable: "période illisible (« … » – « … »)" / "unreadable period (…)".
 */
export function periodInWords(from: Instant, to: Instant, lang: DateLang): string {
  const [a, b] = [parisTime(from), parisTime(to)];
  if (a === null || b === null) {
    const ends = `${quoted(from, lang)} – ${quoted(to, lang)}`;
    return lang === 'fr' ? `période illisible (${ends})` : `unreadable period (${ends})`;
  }
  const at = lang === 'fr' ? 'à' : 'at';
  const [za, zb] = [zoneWords(a, lang), zoneWords(b, lang)];
  const first = `${dayWords(a, lang)} ${at} ${clockWords(a, lang, false)}${za === zb ? '' : `, ${za}`}`;
  const last = `${dayWords(b, lang)} ${at} ${clockWords(b, lang, false)}, ${zb}`;
  return lang === 'fr' ? `du ${first} au ${last}` : `from ${first} to ${last}`;
}

/**
 * The day alone in Paris, for the rows of a list that changes day: "1er décembre 2026" / "1 December
 * 2026". Unreadable: "date illisible (« … »)" / "unreadable date ("…")".
 */
export function dayInWords(at: Instant, lang: DateLang): string {
  const p = parisTime(at);
  return p === null ? unreadableDate(at, lang) : dayWords(p, lang);
}

/**
 * The time of day alone, for a column of times on one day: "14 h 30 min 05 s" / "14:30:05" (without
 * `seconds`: "14 h 30" / "14:30"); in the hour that repeats, followed by which one ("2 h 30 min 00 s,
 * heure d'hiver de Paris (UTC+1)"). Unreadable: "heure illisible (« … »)" / "unreadable time ("…")".
 */
export function timeOfDay(at: Instant, lang: DateLang, options: { seconds?: boolean } = {}): string {
  const p = parisTime(at);
  if (p === null) return lang === 'fr' ? `heure illisible${shown(at, lang)}` : `unreadable time${shown(at, lang)}`;
  const time = clockWords(p, lang, options.seconds ?? true);
  return p.repeated ? `${time}, ${zoneWords(p, lang)}` : time;
}

/**
 * A row of a column of times that may span days (a transcript's entries): the time of day, after the day on
 * the first row (`previous` null) and whenever the day changes: "4 décembre 2026, 14 h 30 min 05 s", then
 * "14 h 31 min 10 s" / "4 December 2026, 14:30:05", then "14:31:10". Unreadable: the time's own words.
 */
export function timeInColumn(at: Instant, previous: Instant | null, lang: DateLang): string {
  if (parisTime(at) === null) return timeOfDay(at, lang);
  const day = dayInWords(at, lang);
  const sameDay = previous !== null && parisTime(previous) !== null && dayInWords(previous, lang) === day;
  return sameDay ? timeOfDay(at, lang) : `${day}, ${timeOfDay(at, lang)}`;
}

/**
 * The exact instant in UTC for auditors, as the record writes it: "2026-12-04T01:30:00Z" (milliseconds
 * kept when there are some: "2026-12-04T01:30:00.123Z"); null when `at` is not a readable instant.
 */
export function utcText(at: Instant): string | null {
  const ms = instantMs(at);
  return ms === null ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
}

// --- the voting period typed as a Paris clock reads (the definition form, docs/formats.md §2.4) ---

/** `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, as an `<input type="datetime-local">` gives it. */
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
/** The definition's instants: UTC to the second (docs/formats.md §2.1). */
const DEFINITION_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The Paris wall clock of an instant, `YYYY-MM-DDTHH:MM:SS`. */
function wallClockText(ms: number): string | null {
  const p = parisTime(ms);
  return p === null ? null : `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

export type ParisToUtc =
  | { readonly ok: true; readonly utc: string; /** The local time happened twice (October); the first is taken. */ readonly repeated: boolean }
  | { readonly ok: false; readonly reason: 'format' | 'skipped' };

/**
 * A Paris local time as the UTC instant a definition stores. Winter and summer time come from the time-zone
 * data (Intl), never from a fixed offset: the hour skipped in March does not exist (refused), and of the
 * hour repeated in October the first, summer time, is taken (the UTC instant shown beside it says which).
 */
export function parisToUtc(local: string): ParisToUtc {
  const m = LOCAL.exec(local);
  if (!m) return { ok: false, reason: 'format' };
  const wall = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}`;
  const asUtc = Date.parse(`${wall}Z`);
  if (Number.isNaN(asUtc) || new Date(asUtc).toISOString().slice(0, 19) !== wall) return { ok: false, reason: 'format' };
  // Paris is UTC+1 in winter and UTC+2 in summer: the instant is one of these two, if any.
  const matches = [2, 1].map((h) => asUtc - h * 3_600_000).filter((ms) => wallClockText(ms) === wall);
  if (matches.length === 0) return { ok: false, reason: 'skipped' };
  return { ok: true, utc: new Date(matches[0]!).toISOString().replace('.000Z', 'Z'), repeated: matches.length > 1 };
}

/** A definition's UTC instant as the Paris local time an `<input type="datetime-local">` shows, or null. */
export function utcToParis(utc: string): string | null {
  if (!DEFINITION_UTC.test(utc)) return null;
  const ms = Date.parse(utc);
  if (Number.isNaN(ms) || new Date(ms).toISOString().replace('.000Z', 'Z') !== utc) return null;
  const wall = wallClockText(ms);
  return wall === null ? null : wall.endsWith(':00') ? wall.slice(0, 16) : wall;
}
