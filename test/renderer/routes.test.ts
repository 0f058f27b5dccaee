/**
 * The page's address carries the ceremony (src/renderer/routes.ts): `#/key?folder=…` and
 * `#/tally?folder=…` name their folder, whatever characters its path holds; anything else names none.
 */
import { describe, expect, it } from 'vitest';
import { ceremonyHref, parseHash } from '../../src/renderer/routes.js';

describe("the ceremony's route", () => {
  it.each([
    ['key', '/media/cle-bureau/Cérémonie des clés 2026'],
    ['tally', '/home/présidente/dépouillement & co?#=%'],
    ['key', 'C:\\Scrutins\\CFE 2026'],
    ['redistribution', '/media/cle-bureau/Remplacement du membre 2'],
  ] as const)("carries a %s ceremony's folder %j there and back", (kind, folder) => {
    const href = ceremonyHref(kind, folder);
    expect(href.startsWith(`#/${kind}?folder=`)).toBe(true);
    expect(parseHash(href)).toEqual({ route: `/${kind}`, folder });
  });

  it('reads the screens without a folder as before', () => {
    expect(parseHash('')).toEqual({ route: '/', folder: null });
    expect(parseHash('#/')).toEqual({ route: '/', folder: null });
    expect(parseHash('#/key')).toEqual({ route: '/key', folder: null });
    expect(parseHash('#/redistribution')).toEqual({ route: '/redistribution', folder: null });
    expect(parseHash('#/verify')).toEqual({ route: '/verify', folder: null });
  });

  it.each([
    ['an unknown screen', '#/ailleurs?folder=%2Ftmp', { route: '/', folder: null }],
    ['a folder on a screen that takes none', '#/audit?folder=%2Ftmp', { route: '/audit', folder: null }],
    ['an empty folder', '#/key?folder=', { route: '/key', folder: null }],
    ['another parameter', '#/tally?dossier=%2Ftmp', { route: '/tally', folder: null }],
    ['an empty redistribution folder', '#/redistribution?folder=', { route: '/redistribution', folder: null }],
  ])('names no ceremony for %s', (_what, hash, expected) => {
    expect(parseHash(hash)).toEqual(expected);
  });
});
