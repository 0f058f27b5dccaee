/**
 * The app:// handler's logic, on a real renderer folder in Node (no Electron): it reads the files
 * itself, confined to the folder, and refuses everything else.
 */
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFilePath, appProtocolHandler, isAllowedRequest } from '../../src/main/security.js';

let base: string;
let root: string;
let serve: (request: Request) => Promise<Response>;

const PAGE = '<!doctype html><title>Sceau</title>';
const SCRIPT = 'console.log("sceau");';
// Not valid UTF-8: the bytes must arrive as they are on disk, not through a text decoding.
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x80]);

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'sceau-app-protocol-')));
  root = join(base, 'out', 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), PAGE);
  await writeFile(join(root, 'assets', 'index-abc.js'), SCRIPT);
  await writeFile(join(root, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(root, 'assets', 'logo.png'), PNG);
  // Where each escape below would land: one and two levels above the renderer folder.
  await writeFile(join(base, 'secret.txt'), 'outside the renderer folder');
  await writeFile(join(base, 'out', 'secret.txt'), 'outside the renderer folder');
  await symlink(join(base, 'secret.txt'), join(root, 'leak.txt'));
  await symlink(base, join(root, 'up'));
  await symlink(join(root, 'index.html'), join(root, 'alias.html'));
  serve = appProtocolHandler(root);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const get = (url: string, init?: RequestInit) => serve(new Request(url, init));

async function expectNotFound(url: string): Promise<void> {
  const response = await get(url);
  expect(response.status, url).toBe(404);
  const body = await response.text();
  expect(body, url).not.toContain('outside the renderer folder');
  expect(response.headers.get('Content-Security-Policy'), url).toMatch(/^default-src 'none';/);
}

describe('app:// protocol handler', () => {
  it('serves the page, with the strict CSP and every hardening header', async () => {
    for (const url of ['app://sceau/', 'app://sceau/index.html']) {
      const response = await get(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(PAGE);
      const h = response.headers;
      expect(h.get('Content-Type')).toBe('text/html; charset=utf-8');
      expect(h.get('Content-Security-Policy')).toMatch(/^default-src 'none';.*frame-ancestors 'none'$/);
      expect(h.get('X-Content-Type-Options')).toBe('nosniff');
      expect(h.get('Referrer-Policy')).toBe('no-referrer');
      expect(h.get('Cache-Control')).toBe('no-store');
      expect(h.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
      expect(h.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
      expect(h.get('X-Frame-Options')).toBe('DENY');
      expect(h.get('Access-Control-Allow-Origin')).toBeNull();
    }
  });

  it('serves each asset byte for byte with its MIME type', async () => {
    const script = await get('app://sceau/assets/index-abc.js');
    expect(script.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe(SCRIPT);
    expect((await get('app://sceau/assets/index-abc.css')).headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    const image = await get('app://sceau/assets/logo.png');
    expect(image.headers.get('Content-Type')).toBe('image/png');
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG);
    // A query string does not change the file.
    expect(await (await get('app://sceau/assets/index-abc.js?v=1')).text()).toBe(SCRIPT);
  });

  it('refuses any method but GET', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']) {
      const response = await get('app://sceau/index.html', { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('Allow')).toBe('GET');
    }
  });

  it('answers 404 for a missing file, a folder, another host or another scheme', async () => {
    await expectNotFound('app://sceau/missing.js');
    await expectNotFound('app://sceau/assets');
    await expectNotFound('app://sceau/assets/');
    await expectNotFound('app://other/index.html');
    await expectNotFound('app://sceau.evil/index.html');
    await expectNotFound('app://sceau:8080/index.html');
    await expectNotFound('https://sceau/index.html');
  });

  it('never leaves the renderer folder: .., %2e%2e, encoded separators', async () => {
    // The URL parser folds these dots away: they name /secret.txt in the folder, where there is none.
    for (const url of ['app://sceau/../secret.txt', 'app://sceau/../../secret.txt', 'app://sceau/%2e%2e/secret.txt', 'app://sceau/%2E%2E/%2e%2e/secret.txt']) {
      expect(appFilePath(url, root), url).toBe(join(root, 'secret.txt'));
      await expectNotFound(url);
    }
    // These reach the handler as `..` once decoded, and must be stopped by it.
    for (const url of [
      'app://sceau/..%2fsecret.txt',
      'app://sceau/..%2f..%2fsecret.txt',
      'app://sceau/assets/..%2f..%2f..%2fsecret.txt',
      'app://sceau/..%5c..%5csecret.txt',
      'app://sceau/%2e%2e%2f%2e%2e%2fsecret.txt',
    ]) {
      expect(appFilePath(url, root), url).toBeNull();
      await expectNotFound(url);
    }
    // An encoded leading slash stays in the folder.
    expect(appFilePath('app://sceau/%2fetc%2fpasswd', root)).toBe(join(root, 'etc', 'passwd'));
  });

  it('answers 404, not an exception, to a malformed % escape, a NUL or a backslash', async () => {
    for (const url of ['app://sceau/%', 'app://sceau/%zz.js', 'app://sceau/index.html%', 'app://sceau/%c3%28.js', 'app://sceau/index.html%00.js', 'app://sceau/assets%5cindex-abc.js']) {
      await expectNotFound(url);
    }
  });

  it('refuses symlinks: out of the folder, through a linked folder, and even to a file inside', async () => {
    await expectNotFound('app://sceau/leak.txt');
    await expectNotFound('app://sceau/up/secret.txt');
    await expectNotFound('app://sceau/alias.html');
  });

  it('answers 404 to everything when the renderer folder is missing', async () => {
    const missing = appProtocolHandler(join(base, 'nowhere'));
    expect((await missing(new Request('app://sceau/index.html'))).status).toBe(404);
  });

  it('maps only app://sceau/ paths to files under the folder', () => {
    expect(appFilePath('app://sceau/', root)).toBe(join(root, 'index.html'));
    expect(appFilePath('app://sceau/assets/a.js', root)).toBe(join(root, 'assets', 'a.js'));
    expect(appFilePath('app://sceau/a%20b.js', root)).toBe(join(root, 'a b.js'));
    for (const url of ['app://sceau/..%2f', 'app://sceau/%', 'app://other/', 'app://user@sceau/index.html', 'not a url', 'app://sceau/x%00']) {
      expect(appFilePath(url, root), url).toBeNull();
    }
  });
});

describe('request filter', () => {
  it('lets through only app://sceau/, and devtools:// only in development', () => {
    expect(isAllowedRequest('app://sceau/index.html', false)).toBe(true);
    for (const url of [
      'file:///app/out/renderer/index.html',
      'app://sceau.evil/x',
      'app://sceau',
      'app://other/x',
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'ws://localhost/',
      'data:text/html,x',
      'blob:app://sceau/1',
      'devtools://devtools/bundled/inspector.html',
    ]) {
      expect(isAllowedRequest(url, false), url).toBe(false);
    }
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', true)).toBe(true);
    expect(isAllowedRequest('file:///etc/passwd', true)).toBe(false);
    expect(isAllowedRequest('https://example.com/', true)).toBe(false);
  });
});
