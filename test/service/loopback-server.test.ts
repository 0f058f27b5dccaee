import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from '../../src/cli/loopback-server.js';
import { fakeService } from '../helpers/fake-service.js';

let server: LoopbackServer;
const bugs: unknown[] = [];

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'sceau-ui-'));
  mkdirSync(join(root, 'ui'));
  writeFileSync(join(root, 'ui', 'index.html'), '<!doctype html><title>Sceau</title>');
  writeFileSync(join(root, 'secret.txt'), 'outside the UI folder');
  server = await startLoopbackServer({ service: fakeService(), staticRoot: join(root, 'ui'), onBug: (e) => bugs.push(e) });
});
afterAll(() => server.close());

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP, so the test controls Host and Origin exactly as an attacker would. */
function call(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const api = (method: string, headers: Record<string, string> = {}, body = '{}') =>
  call(`/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}`, ...headers },
    body,
  });

describe('loopback transport', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying the token in its fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers a call with the token', async () => {
    const r = await api('appInfo');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: { name: 'Sceau', version: '9.9.9', transport: 'loopback', platform: process.platform, rehearsalOverride: null, bugLog: null } });
  });

  it('refuses a call without the token or with a wrong one', async () => {
    expect((await api('appInfo', { Authorization: '' })).status).toBe(401);
    expect((await api('appInfo', { Authorization: `Bearer ${'0'.repeat(64)}` })).status).toBe(401);
    expect(JSON.parse((await api('appInfo', { Authorization: '' })).body).error.code).toBe('http.token');
  });

  it('refuses a foreign Origin and a foreign Host (DNS rebinding)', async () => {
    expect((await api('appInfo', { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('appInfo', { Origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await api('appInfo', { Host: `evil.example:${server.port}` })).status).toBe(421);
    expect((await call('/', { headers: { Host: 'evil.example' } })).status).toBe(421);
    expect((await api('appInfo', { Origin: `http://localhost:${server.port}`, Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('never sends CORS headers, even to a preflight', async () => {
    const preflight = await call('/api/appInfo', { method: 'OPTIONS', headers: { Origin: server.origin, 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(405);
    for (const r of [preflight, await api('appInfo')]) {
      expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('validates the method name and the argument before the service sees them', async () => {
    expect(JSON.parse((await api('nope')).body).error.code).toBe('api.unknown-method');
    expect(JSON.parse((await api('appInfo', {}, '{"extra":1}')).body).error).toMatchObject({ code: 'argument.invalid', where: 'appInfo.extra' });
    expect(JSON.parse((await api('appInfo', {}, '[1]')).body).error.code).toBe('argument.invalid');
    expect((await api('appInfo', {}, '{not json')).status).toBe(400);
    expect((await api('appInfo', { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await api('appInfo', {}, JSON.stringify({ big: 'x'.repeat(2 << 20) }))).status).toBe(413);
    expect(bugs).toEqual([]);
  });

  it('serves the UI with a strict CSP and nothing outside its folder', async () => {
    const page = await call('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await call('/../secret.txt')).status).toBe(404);
    expect((await call('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await call('/index.html', { method: 'POST' })).status).toBe(405);
  });

  it('refuses a path with a malformed % escape as a bad request, not as a bug', async () => {
    const before = bugs.length;
    for (const path of ['/%E0%A4%A', '/%zz', '/ui/%', '/api/%zz']) await expectBadPath(path);
    expect(bugs.slice(before)).toEqual([]);
  });

  it('refuses a request target that is not a URL at all, and keeps serving', async () => {
    const before = bugs.length;
    // Node's URL throws on `//[`: thrown in the request listener, that stopped the whole server.
    await expectBadPath('//[');
    expect(bugs.slice(before)).toEqual([]);
    expect((await api('appInfo')).status).toBe(200);
  });

  it('lets a client drop in the middle of its body quietly, and serves the next one', async () => {
    const before = bugs.length;
    await dropMidBody();
    // The next request is accepted after the dropped one's close was seen; give its handler a moment to finish too.
    expect((await api('appInfo')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bugs.slice(before)).toEqual([]);
    expect((await api('appInfo')).status).toBe(200);
  });
});

async function expectBadPath(path: string): Promise<void> {
  const r = await call(path);
  expect(r.status, path).toBe(400);
  expect(JSON.parse(r.body).error, path).toEqual({ code: 'http.path', message: { fr: 'Chemin illisible.', en: 'Unreadable path.' } });
}

/**
 * A real socket that announces 1000 bytes of body, sends 10 and is destroyed. It asks for
 * `100 Continue`, which Node's server sends just as it hands the request to the handler: once it has
 * arrived, the handler is reading the body, so the drop happens mid-body and not before the request.
 */
function dropMidBody(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write(
        'POST /api/appInfo HTTP/1.1\r\n' +
          `Host: 127.0.0.1:${server.port}\r\n` +
          `Authorization: Bearer ${server.token}\r\n` +
          'Content-Type: application/json\r\n' +
          'Content-Length: 1000\r\n' +
          'Expect: 100-continue\r\n\r\n',
      );
    });
    socket.once('data', (chunk: Buffer) => {
      if (!chunk.toString('latin1').startsWith('HTTP/1.1 100 ')) return reject(new Error(`no 100 Continue: ${chunk.toString('latin1')}`));
      socket.write('{"padding"', () => setTimeout(() => socket.destroy(), 20));
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}
