/**
 * Dates as a French PV writes them (src/core/common/dates.ts): Paris's wall clock with summer and winter
 * time, the first of the month, midnight, the hour that repeats when clocks go back, and instants that
 * cannot be read, which must never print "Invalid Date".
 */
import { describe, expect, it } from 'vitest';
import { dayInWords, instantMs, onDate, parisTime, periodInWords, sinceDate, timeInColumn, timeOfDay, utcText } from '../../src/core/common/dates.js';

describe('onDate', () => {
  it('writes a winter instant in Paris time (UTC+1), French then English', () => {
    expect(onDate('2026-12-04T01:30:00Z', 'fr')).toBe('le 4 décembre 2026 à 2 h 30, heure de Paris');
    expect(onDate('2026-12-04T01:30:00Z', 'en')).toBe('on 4 December 2026 at 02:30, Paris time');
  });

  it('writes a summer instant in Paris time (UTC+2)', () => {
    expect(onDate('2026-07-14T08:00:00Z', 'fr')).toBe('le 14 juillet 2026 à 10 h, heure de Paris');
    expect(onDate('2026-07-14T08:00:00Z', 'en')).toBe('on 14 July 2026 at 10:00, Paris time');
  });

  it('writes "1er" for the first of the month and "0 h 05" just after midnight, in Paris', () => {
    // 23:05 UTC on 30 November is already 1 December in Paris.
    expect(onDate('2026-11-30T23:05:00Z', 'fr')).toBe('le 1er décembre 2026 à 0 h 05, heure de Paris');
    expect(onDate('2026-11-30T23:05:00Z', 'en')).toBe('on 1 December 2026 at 00:05, Paris time');
    expect(onDate('2026-12-31T23:00:00Z', 'fr')).toBe('le 1er janvier 2027 à 0 h, heure de Paris');
    // Not "1er" past the first.
    expect(onDate('2026-12-11T11:00:00Z', 'fr')).toBe('le 11 décembre 2026 à 12 h, heure de Paris');
  });

  it('gives seconds when asked', () => {
    expect(onDate('2026-12-04T13:07:09.456Z', 'fr', { seconds: true })).toBe('le 4 décembre 2026 à 14 h 07 min 09 s, heure de Paris');
    expect(onDate('2026-12-04T13:07:09.456Z', 'en', { seconds: true })).toBe('on 4 December 2026 at 14:07:09, Paris time');
  });

  it('accepts milliseconds, a Date, and text with an offset for the same instant', () => {
    const words = onDate('2026-12-04T01:30:00Z', 'fr');
    expect(onDate(Date.UTC(2026, 11, 4, 1, 30), 'fr')).toBe(words);
    expect(onDate(new Date('2026-12-04T01:30:00Z'), 'fr')).toBe(words);
    expect(onDate('2026-12-04T02:30+01:00', 'fr')).toBe(words);
  });
});

describe('summer and winter time (last Sunday of March and of October)', () => {
  it('skips from 2 h to 3 h on 29 March 2026: 1 h 59 winter, then 3 h summer', () => {
    expect(onDate('2026-03-29T00:59:00Z', 'fr')).toBe('le 29 mars 2026 à 1 h 59, heure de Paris');
    expect(onDate('2026-03-29T01:00:00Z', 'fr')).toBe('le 29 mars 2026 à 3 h, heure de Paris');
    expect(parisTime('2026-03-29T00:59:00Z')).toMatchObject({ hour: 1, offsetMinutes: 60, repeated: false });
    expect(parisTime('2026-03-29T01:00:00Z')).toMatchObject({ hour: 3, offsetMinutes: 120, repeated: false });
  });

  it('tells the two 2 h 30 of 25 October 2026 apart (summer, then winter time)', () => {
    const summer = '2026-10-25T00:30:00Z';
    const winter = '2026-10-25T01:30:00Z';
    expect(onDate(summer, 'fr')).toBe('le 25 octobre 2026 à 2 h 30, heure d’été de Paris (UTC+2)');
    expect(onDate(winter, 'fr')).toBe('le 25 octobre 2026 à 2 h 30, heure d’hiver de Paris (UTC+1)');
    expect(onDate(summer, 'en')).toBe('on 25 October 2026 at 02:30, Paris summer time (UTC+2)');
    expect(onDate(winter, 'en')).toBe('on 25 October 2026 at 02:30, Paris winter time (UTC+1)');
    expect(timeOfDay(winter, 'fr')).toBe('2 h 30 min 00 s, heure d’hiver de Paris (UTC+1)');
  });

  it('says the zone plainly just outside the hour that repeats', () => {
    // 1 h 59 min 59 s summer time comes once; 3 h winter time comes once.
    expect(parisTime('2026-10-24T23:59:59Z')).toMatchObject({ hour: 1, minute: 59, repeated: false });
    expect(parisTime('2026-10-25T00:00:00Z')).toMatchObject({ hour: 2, offsetMinutes: 120, repeated: true });
    expect(parisTime('2026-10-25T01:59:59Z')).toMatchObject({ hour: 2, minute: 59, offsetMinutes: 60, repeated: true });
    expect(parisTime('2026-10-25T02:00:00Z')).toMatchObject({ hour: 3, offsetMinutes: 60, repeated: false });
    expect(onDate('2026-10-25T02:00:00Z', 'fr')).toBe('le 25 octobre 2026 à 3 h, heure de Paris');
  });
});

describe('timeOfDay, periodInWords, utcText', () => {
  it('writes the day alone in Paris, which may not be the UTC day', () => {
    expect(dayInWords('2026-11-30T23:05:00Z', 'fr')).toBe('1er décembre 2026');
    expect(dayInWords('2026-11-30T23:05:00Z', 'en')).toBe('1 December 2026');
    expect(dayInWords('2026-11-30T22:59:59Z', 'fr')).toBe('30 novembre 2026');
    expect(dayInWords('hier', 'fr')).toBe('date illisible («\u00a0hier\u00a0»)');
  });

  it('writes a time of day with seconds by default, without when asked', () => {
    expect(timeOfDay('2026-12-04T23:00:05Z', 'fr')).toBe('0 h 00 min 05 s');
    expect(timeOfDay('2026-12-04T23:00:05Z', 'en')).toBe('00:00:05');
    expect(timeOfDay('2026-12-04T13:30:05Z', 'fr', { seconds: false })).toBe('14 h 30');
    expect(timeOfDay('2026-12-04T13:30:05Z', 'en', { seconds: false })).toBe('14:30');
  });

  it('writes a voting period with the zone once, or at each end when they differ', () => {
    expect(periodInWords('2026-11-30T23:00:00Z', '2026-12-04T17:00:00Z', 'fr')).toBe('du 1er décembre 2026 à 0 h au 4 décembre 2026 à 18 h, heure de Paris');
    expect(periodInWords('2026-11-30T23:00:00Z', '2026-12-04T17:00:00Z', 'en')).toBe('from 1 December 2026 at 00:00 to 4 December 2026 at 18:00, Paris time');
    expect(periodInWords('2026-10-25T00:30:00Z', '2026-10-26T17:00:00Z', 'fr')).toBe('du 25 octobre 2026 à 2 h 30, heure d’été de Paris (UTC+2) au 26 octobre 2026 à 18 h, heure de Paris');
  });

  it('says since when in a sentence, in Paris time (English without the "on" of onDate)', () => {
    expect(sinceDate('2026-12-04T08:00:00.000Z', 'fr')).toBe('depuis le 4 décembre 2026 à 9 h, heure de Paris');
    expect(sinceDate('2026-12-04T08:00:00.000Z', 'en')).toBe('since 4 December 2026 at 09:00, Paris time');
    expect(sinceDate('2026-07-01T12:30:05Z', 'fr', { seconds: true })).toBe('depuis le 1er juillet 2026 à 14 h 30 min 05 s, heure de Paris');
    expect(sinceDate('2026-10-25T00:30:00Z', 'en')).toBe('since 25 October 2026 at 02:30, Paris summer time (UTC+2)');
    expect(sinceDate('hier', 'fr')).toBe('depuis une date illisible («\u00a0hier\u00a0»)');
    expect(sinceDate(new Date(Number.NaN), 'en')).toBe('since an unreadable date');
  });

  it("writes a column of times in Paris time, the day on the first row and when Paris's day changes (not UTC's)", () => {
    expect(timeInColumn('2026-12-04T13:30:05Z', null, 'fr')).toBe('4 décembre 2026, 14 h 30 min 05 s');
    expect(timeInColumn('2026-12-04T13:31:10Z', '2026-12-04T13:30:05Z', 'fr')).toBe('14 h 31 min 10 s');
    expect(timeInColumn('2026-12-04T13:31:10Z', '2026-12-04T13:30:05Z', 'en')).toBe('14:31:10');
    // 23:30 UTC is already the next day in Paris.
    expect(timeInColumn('2026-12-04T23:30:00Z', '2026-12-04T22:30:00Z', 'fr')).toBe('5 décembre 2026, 0 h 30 min 00 s');
    expect(timeInColumn('2026-12-04T23:30:00Z', '2026-12-04T22:30:00Z', 'en')).toBe('5 December 2026, 00:30:00');
    // After an unreadable time the day is said again; an unreadable time says so.
    expect(timeInColumn('2026-12-04T13:31:10Z', 'x', 'fr')).toBe('4 décembre 2026, 14 h 31 min 10 s');
    expect(timeInColumn('x', null, 'fr')).toBe('heure illisible («\u00a0x\u00a0»)');
  });

  it('gives the exact instant in UTC as the record writes it', () => {
    expect(utcText('2026-12-04T02:30:00+01:00')).toBe('2026-12-04T01:30:00Z');
    expect(utcText('2026-12-04T01:30:00.123Z')).toBe('2026-12-04T01:30:00.123Z');
    expect(utcText(new Date('2026-12-04T01:30:00.000Z'))).toBe('2026-12-04T01:30:00Z');
  });
});

describe('an instant that cannot be read', () => {
  const BAD = [
    'demain',
    '',
    '2026-12-04', // a day, not an instant
    '2026-12-04T01:30:00', // no zone: which time is it?
    '2026-02-30T10:00:00Z', // no such day (Date.parse would give 2 March)
    '2026-12-04T24:00:00Z',
    '2026-12-04T01:30:00+25:00',
    'Fri Dec 04 2026 02:30:00 GMT+0100',
  ];

  it.each(BAD)('"%s" is not an instant', (text) => {
    expect(instantMs(text)).toBeNull();
    expect(parisTime(text)).toBeNull();
    expect(utcText(text)).toBeNull();
  });

  it('says so in words, quoting what was given, never "Invalid Date" nor "NaN"', () => {
    expect(onDate('demain', 'fr')).toBe('à une date illisible («\u00a0demain\u00a0»)');
    expect(onDate('demain', 'en')).toBe('at an unreadable date ("demain")');
    expect(timeOfDay('2026-02-30T10:00:00Z', 'fr')).toBe('heure illisible («\u00a02026-02-30T10:00:00Z\u00a0»)');
    expect(timeOfDay(Number.NaN, 'en')).toBe('unreadable time');
    expect(onDate(8.64e15 + 1, 'en')).toBe('at an unreadable date ("8640000000000001")');
    expect(periodInWords('2026-12-01T08:00:00Z', 'x', 'fr')).toBe('période illisible («\u00a02026-12-01T08:00:00Z\u00a0» – «\u00a0x\u00a0»)');
    for (const lang of ['fr', 'en'] as const) {
      const invalid = onDate(new Date(Number.NaN), lang);
      expect(invalid).toBe(lang === 'fr' ? 'à une date illisible' : 'at an unreadable date');
      for (const words of [invalid, onDate(8.64e15 + 1, lang), onDate(Number.POSITIVE_INFINITY, lang), timeOfDay(new Date('x'), lang)]) {
        expect(words).not.toMatch(/Invalid|NaN|undefined/);
      }
    }
  });

  it('cuts a long text it quotes', () => {
    expect(onDate('x'.repeat(100), 'en')).toBe(`at an unreadable date ("${'x'.repeat(39)}…")`);
  });

  it('refuses years outside 1–9999, where Intl would write eras', () => {
    expect(parisTime(Date.UTC(10000, 0, 1))).toBeNull();
    expect(parisTime(new Date('0000-06-01T00:00:00Z'))).toBeNull();
    // Year 99 stays 99 (Date.UTC would read it as 1999).
    expect(parisTime('0099-06-01T12:00:00Z')).toMatchObject({ year: 99, month: 6, day: 1 });
  });
});
