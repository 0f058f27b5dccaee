/**
 * The page's address: `#/<screen>`, and for a ceremony `#/key?folder=<encoded path>` or
 * `#/tally?folder=<encoded path>` (and `#/redistribution?folder=…`; docs/architecture.md "Recent ceremonies"), so that a reload, Back and
 * Forward, or a link of Home's recent list land on the same ceremony.
 */
export const ROUTES = ['/', '/key', '/tally', '/redistribution', '/integrity', '/audit', '/projector', '/replay', '/verify', '/receipt', '/paper', '/station'] as const;
export type Route = (typeof ROUTES)[number];
export type CeremonyKind = 'key' | 'tally' | 'redistribution';
const CEREMONY_ROUTES: readonly Route[] = ['/key', '/tally', '/redistribution'];

export interface Location {
  readonly route: Route;
  /** The ceremony's folder of `#/key?folder=…`, `#/tally?folder=…` or `#/redistribution?folder=…`; null otherwise. */
  readonly folder: string | null;
}

/** The location a hash names; an unknown screen is Home, a malformed folder is none. */
export function parseHash(hash: string): Location {
  const text = hash.replace(/^#/, '') || '/';
  const q = text.indexOf('?');
  const path = q < 0 ? text : text.slice(0, q);
  const route = (ROUTES as readonly string[]).includes(path) ? (path as Route) : '/';
  if (q < 0 || !CEREMONY_ROUTES.includes(route)) return { route, folder: null };
  let folder: string | null;
  try {
    folder = new URLSearchParams(text.slice(q + 1)).get('folder');
  } catch {
    folder = null;
  }
  return { route, folder: folder === null || folder === '' ? null : folder };
}

/** The address of a ceremony's screen, on its folder. */
export function ceremonyHref(kind: CeremonyKind, folder: string): string {
  return `#/${kind}?${new URLSearchParams({ folder }).toString()}`;
}

/**
 * Goes to a ceremony's route as a new history entry (Back returns to the form that chose it), unless the
 * page is already there.
 */
export function goToCeremony(kind: CeremonyKind, folder: string): void {
  const href = ceremonyHref(kind, folder);
  const here = parseHash(window.location.hash);
  if (here.route === `/${kind}` && here.folder === folder) return;
  window.location.hash = href;
}
