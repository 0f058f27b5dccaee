/**
 * The loopback transport (`sceau serve`): the same service as Electron's IPC, and the built UI, served
 * on 127.0.0.1 only. Every API call needs the random token generated at this start; Host and Origin
 * are checked (against DNS rebinding and other sites' pages); no CORS header is ever sent.
 * Static files are the public UI bundle and need no token; the token reaches the page in the URL's
 * fragment, which browsers never send to a server.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { SceauApi } from '../core/service/api.js';
import { dispatch } from '../core/service/dispatch.js';
import { CONTENT_SECURITY_POLICY } from '../core/service/content-security-policy.js';
import { failure, type CliFailureCode } from './failures.js';

interface LoopbackServerOptions {
  readonly service: SceauApi;
  /** The built renderer (`out/renderer`). */
  readonly staticRoot: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly onBug?: (e: unknown) => void;
}

export interface LoopbackServer {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
}

function refuse(res: ServerResponse, status: number, code: CliFailureCode, fr: string, en: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  // A refused request may leave an unread body on the socket: never reuse that connection.
  res.setHeader('Connection', 'close');
  res.end(JSON.stringify({ ok: false, error: failure(code, fr, en) }));
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer ([0-9a-f]{64})$/.exec(header ?? '')?.[1];
  if (presented === undefined) return false;
  return timingSafeEqual(Buffer.from(presented, 'hex'), Buffer.from(token, 'hex'));
}

/** A request's body, or why there is none to act on. */
type Body = { readonly text: string } | 'too-large' | 'client-gone';

/**
 * Node fails a request's stream with ECONNRESET ("aborted") when its client closes the connection
 * before the end of the body: the client's doing, not a bug, and there is nobody left to answer.
 */
function isClientGone(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === 'ECONNRESET';
}

async function readBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return 'too-large';
      chunks.push(chunk as Buffer);
    }
  } catch (e) {
    if (isClientGone(e)) return 'client-gone';
    throw e;
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}

/** Refuses a request target that is not a readable path: the client's mistake (a 400), never a bug. */
function refusePath(res: ServerResponse): void {
  refuse(res, 400, 'http.path', 'Chemin illisible.', 'Unreadable path.');
}

/** The path of a request target; null when it is not a URL at all (`//[`), which `URL` throws on. */
function requestPath(target: string | undefined): string | null {
  try {
    return new URL(target ?? '/', 'http://127.0.0.1').pathname;
  } catch {
    return null;
  }
}

/** A static path with its % escapes decoded; null when one is malformed (`%zz`, a cut UTF-8 sequence). */
function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch (e) {
    if (e instanceof URIError) return null;
    throw e;
  }
}

async function serveApi(req: IncomingMessage, res: ServerResponse, method: string, opts: LoopbackServerOptions, token: string): Promise<void> {
  if (req.method !== 'POST') return refuse(res, 405, 'http.method', 'Méthode HTTP refusée.', 'HTTP method not allowed.');
  if (!tokenMatches(req.headers.authorization, token)) {
    return refuse(res, 401, 'http.token', 'Jeton absent ou invalide.', 'Missing or invalid token.');
  }
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    return refuse(res, 415, 'http.content-type', 'Contenu JSON attendu.', 'JSON content expected.');
  }
  const body = await readBody(req);
  if (body === 'client-gone') return;
  if (body === 'too-large') return refuse(res, 413, 'http.too-large', 'Requête trop volumineuse.', 'Request too large.');
  let argument: unknown;
  try {
    argument = body.text === '' ? {} : JSON.parse(body.text);
  } catch {
    return refuse(res, 400, 'http.json', 'JSON illisible.', 'Unreadable JSON.');
  }
  const result = await dispatch(opts.service, method, argument, opts.onBug ?? (() => {}));
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(result));
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string, root: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'http.method', 'Méthode HTTP refusée.', 'HTTP method not allowed.');
  const relativePath = pathname === '/' ? 'index.html' : decodePath(pathname.slice(1));
  if (relativePath === null) return refusePath(res);
  try {
    const file = await realpath(join(root, relativePath));
    if (!file.startsWith(root + sep)) throw new Error('outside the UI folder');
    const bytes = await readFile(file);
    res.statusCode = 200;
    res.setHeader('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
    res.end(req.method === 'HEAD' ? undefined : bytes);
  } catch {
    refuse(res, 404, 'http.not-found', 'Introuvable.', 'Not found.');
  }
}

export async function startLoopbackServer(opts: LoopbackServerOptions): Promise<LoopbackServer> {
  const token = randomBytes(32).toString('hex');
  const root = await realpath(opts.staticRoot);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const server: Server = createServer((req, res) => {
    securityHeaders(res);
    const hosts = allowedHosts();
    if (!hosts.has(req.headers.host ?? '')) return refuse(res, 421, 'http.host', 'Hôte refusé.', 'Host refused.');
    const origin = req.headers.origin;
    if (origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, ''))) {
      return refuse(res, 403, 'http.origin', 'Origine refusée.', 'Origin refused.');
    }
    // Parsed here, outside the handlers' catch: a throw would be uncaught and stop the server.
    const pathname = requestPath(req.url);
    if (pathname === null) return refusePath(res);
    // Method names are ASCII letters and digits (keyCeremonyCloseRound1); dispatch checks the name itself.
    const api = /^\/api\/([A-Za-z0-9]+)$/.exec(pathname);
    const handled = api ? serveApi(req, res, api[1]!, opts, token) : serveStatic(req, res, pathname, root);
    handled.catch((e: unknown) => {
      opts.onBug?.(e);
      if (!res.headersSent) refuse(res, 500, 'internal', 'Erreur interne.', 'Internal error.');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
