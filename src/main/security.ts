/**
 * The Electron hardening of docs/architecture.md ("The Electron shell"), as data and small functions without Electron, so
 * a unit test can assert every setting, and serve real files, in Node.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../core/service/content-security-policy.js';
import { APP_ORIGIN } from './ipc.js';

export { CONTENT_SECURITY_POLICY };

export function webPreferences(preloadPath: string, development: boolean) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    devTools: development,
  } as const;
}

/**
 * Every request must go to the app itself: its own protocol, or devtools' in development. Nothing is
 * let through for the app's own files either: the app:// handler reads them from disk itself
 * (`appProtocolHandler`), so no file:// request exists for this filter to cancel.
 */
export function isAllowedRequest(url: string, development: boolean): boolean {
  if (url.startsWith(`${APP_ORIGIN}/`)) return true;
  return development && url.startsWith('devtools://');
}

/** The types of what the built UI contains (and a few it may come to); anything else is opaque bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The headers of every app:// answer, file or refusal: the strict CSP and the loopback server's hardening. */
function appResponseHeaders(type: string): Headers {
  return new Headers({
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  });
}

function notFound(): Response {
  return new Response('Introuvable. / Not found.', { status: 404, headers: appResponseHeaders('text/plain; charset=utf-8') });
}

function methodNotAllowed(): Response {
  const headers = appResponseHeaders('text/plain; charset=utf-8');
  headers.set('Allow', 'GET');
  return new Response('Méthode refusée. / Method not allowed.', { status: 405, headers });
}

/**
 * The file an app://sceau/ URL names under `root`, or null. Only the path counts (a query is ignored);
 * `/` is the page. A malformed `%` escape, a NUL, a backslash, and any path that leaves `root` once
 * decoded and resolved (`..`, `%2e%2e`, an encoded `/`) name nothing. Symlinks are the caller's to refuse.
 */
export function appFilePath(url: string, root: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (`${parsed.protocol}//${parsed.host}` !== APP_ORIGIN || parsed.username !== '' || parsed.password !== '') return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null; // URIError: a `%` not followed by two hex digits, or not UTF-8
  }
  if (path === '/') path = '/index.html';
  // A NUL is no file name; a backslash is a separator on Windows only: refused everywhere, alike.
  if (path.includes('\0') || path.includes('\\')) return null;
  const file = join(root, path);
  const inside = relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return null;
  return file;
}

/**
 * The app:// protocol's handler. It reads the file itself rather than `net.fetch` its file:// URL:
 * Electron documents that net.fetch's requests go through the session's webRequest handlers, whose
 * filter cancels everything but app://sceau/. Only GET (else 405); only a regular file under the
 * renderer folder, reached without any symlink (its real path must be the path asked for, under the
 * folder's real path, so no link leads out, nor in); anything else is 404. Every answer carries the CSP
 * and the hardening headers. In the packaged app the folder is inside app.asar, which Electron's fs
 * reads, stats and realpaths like a folder.
 */
export function appProtocolHandler(rendererRoot: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET') return methodNotAllowed();
    try {
      const root = await realpath(rendererRoot);
      const file = appFilePath(request.url, root);
      if (file === null) return notFound();
      if ((await realpath(file)) !== file) return notFound();
      if (!(await stat(file)).isFile()) return notFound();
      const bytes = await readFile(file);
      return new Response(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { status: 200, headers: appResponseHeaders(contentType(file)) });
    } catch {
      return notFound(); // missing, unreadable, or not a file
    }
  };
}
