/**
 * `sceau simulate --key-ceremony DIR --platform-key FILE` after a real key ceremony (the KeyCeremony class
 * on folder drives), and `sceau platform-key`: the urn it casts imports cleanly, with exactly the
 * rejections its ground truth announces; an open or broken ceremony, or a platform key that is not the
 * definition's, is refused.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { KeyCeremony } from '../../src/core/ceremony/key/ceremony.js';
import { driveTokens } from '../../src/core/ceremony/key/drive-tokens.js';
import { definitionFingerprint } from '../../src/core/election/definition.js';
import { importUrn } from '../../src/core/pipeline/import.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { parsePlatformKey, simulateCeremonyUrn } from '../../src/core/simulation/simulate-ceremony.js';
import { readPlatformPublicKey } from '../../src/core/election/platform-key.js';
import type { GroundTruth } from '../../src/core/simulation/simulate.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { context } from '../helpers/key-ceremony.js';
import { closedKeyCeremony, fixtureDefinition, type ClosedKeyCeremonyFixture } from '../helpers/closed-key-ceremony.js';
import { capture } from '../helpers/console.js';

const temp = (): string => mkdtempSync(join(tmpdir(), 'sceau-simulate-ceremony-'));

let ceremony: ClosedKeyCeremonyFixture;
beforeAll(async () => {
  ceremony = await closedKeyCeremony({ root: join(temp(), 'root'), members: 5, t: 3, policy: TEST_POLICY });
}, 120_000);
afterEach(() => vi.restoreAllMocks());

describe('sceau simulate after a real key ceremony', () => {
  it('writes only the urn and the ground truth; the urn imports with exactly the announced rejections', async () => {
    const out = join(temp(), 'urne');
    const priv = join(temp(), 'prive');
    const io = capture();
    const code = await main([
      'simulate',
      '--key-ceremony',
      ceremony.folder,
      '--platform-key',
      ceremony.platformKeyPath,
      '--out',
      out,
      '--private',
      priv,
      '--voters',
      '24',
      '--bad',
      'bad-proof=2,malformed,duplicate-identity,replay,after-closing',
    ]);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.out()).toContain(`${out}/urn.jsonl`);
    expect(readdirSync(out)).toEqual(['urn.jsonl']);
    expect(readdirSync(priv)).toEqual(['truth.json']);
    const truth = JSON.parse(readFileSync(join(priv, 'truth.json'), 'utf8')) as GroundTruth;
    expect(truth.fingerprint).toBe(ceremony.fingerprint);
    expect(truth.rejected).toEqual({ 'ballot.proof': 2, 'urn.malformed': 1, 'urn.duplicate-identity': 2, 'urn.replay': 1, 'urn.after-closing': 1 });

    const pool = new WorkerPool(0);
    try {
      const imported = await importUrn({
        urnPath: join(out, 'urn.jsonl'),
        definition: ceremony.definition,
        fingerprint: definitionFingerprint(ceremony.definition),
        electionKey: ceremony.publicKey,
        pool,
      });
      if (!imported.ok) throw new Error(`${imported.error.code}: ${imported.error.message.en}`);
      const byCode: Record<string, number> = {};
      for (const r of imported.value.rejected) byCode[r.code] = (byCode[r.code] ?? 0) + 1;
      expect(byCode).toEqual(truth.rejected);
      expect(imported.value.ballotLines).toBe(truth.ballotLines);
      for (const c of ceremony.definition.constituencies) expect(imported.value.accepted.get(c.id)?.count ?? 0).toBe(truth.constituencies[c.id]!.votants);
      expect([...imported.value.accepted.values()].reduce((s, l) => s + l.count, 0)).toBe(truth.accepted);
    } finally {
      await pool.close();
    }
  });

  it('refuses a ceremony that is still open, naming its step', async () => {
    const root = temp();
    const folder = join(root, 'ouverte');
    const opened = await KeyCeremony.create(folder, fixtureDefinition(3, 2, ceremony.definition.platform.signingKey), context(driveTokens({ policy: TEST_POLICY })));
    expect(opened.ok).toBe(true);
    const r = await simulateCeremonyUrn({ keyCeremony: folder, platformKey: ceremony.platformKeyPath, out: join(root, 'o'), privateDir: join(root, 'p'), voters: 3 });
    expect(r).toMatchObject({ ok: false, error: { code: 'simulate.ceremony-open' } });
    expect(!r.ok && r.error.message.fr).toMatch(/n'est pas close/);
    expect(!r.ok && r.error.message.en).toMatch(/not closed/);
    expect(existsSync(join(root, 'o'))).toBe(false);

    const io = capture();
    expect(await main(['simulate', '--key-ceremony', folder, '--platform-key', ceremony.platformKeyPath, '--out', join(root, 'o2'), '--voters', '3'])).toBe(1);
    expect(io.err()).toMatch(/n'est pas close[\s\S]*not closed/);
  });

  it('refuses a broken ceremony (a transcript entry changed, a public key file that is not the transcript’s)', async () => {
    const root = temp();
    const broken = join(root, 'journal');
    cpSync(ceremony.folder, broken, { recursive: true });
    const path = join(broken, 'transcript.jsonl');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"seq":3', '"seq":4'));
    const r = await simulateCeremonyUrn({ keyCeremony: broken, platformKey: ceremony.platformKeyPath, out: join(root, 'o'), privateDir: join(root, 'p'), voters: 3 });
    expect(r).toMatchObject({ ok: false, error: { code: 'simulate.ceremony-invalid' } });
    expect(!r.ok && r.error.message.en).toMatch(/not a valid key ceremony/);

    const otherKey = join(root, 'cle');
    cpSync(ceremony.folder, otherKey, { recursive: true });
    const pk = JSON.parse(readFileSync(join(otherKey, 'public-key.json'), 'utf8')) as { publicKey: string };
    writeFileSync(join(otherKey, 'public-key.json'), JSON.stringify({ ...pk, publicKey: pk.publicKey.replace(/^../, '00') }, null, 2));
    const r2 = await simulateCeremonyUrn({ keyCeremony: otherKey, platformKey: ceremony.platformKeyPath, out: join(root, 'o'), privateDir: join(root, 'p'), voters: 3 });
    expect(r2).toMatchObject({ ok: false, error: { code: 'simulate.ceremony-invalid', where: otherKey } });
    expect(!r2.ok && r2.error.message.fr).toMatch(/public-key\.json/);
  });

  it('refuses a platform key that is not the one the definition names, or a damaged key file', async () => {
    const root = temp();
    const other = join(root, 'autre-cle.json');
    let io = capture();
    expect(await main(['platform-key', '--out', other])).toBe(0);
    const printed = io.out().trim();
    expect(printed).toMatch(/^[0-9a-f]{64}$/);
    vi.restoreAllMocks();
    const r = await simulateCeremonyUrn({ keyCeremony: ceremony.folder, platformKey: other, out: join(root, 'o'), privateDir: join(root, 'p'), voters: 3 });
    expect(r).toMatchObject({ ok: false, error: { code: 'platform-key.mismatch' } });
    expect(!r.ok && r.error.message.fr).toContain(printed);
    io = capture();
    expect(await main(['simulate', '--key-ceremony', ceremony.folder, '--platform-key', other, '--out', join(root, 'o'), '--voters', '3'])).toBe(1);
    expect(io.err()).toMatch(/n'est pas la clé de signature de la plateforme[\s\S]*is not the platform signing key/);
    expect(existsSync(join(root, 'o'))).toBe(false);

    // A key file whose public half is not its secret's, and one that is no key file at all.
    const key = JSON.parse(readFileSync(ceremony.platformKeyPath, 'utf8')) as { secretKey: string; publicKey: string };
    expect(parsePlatformKey(JSON.stringify({ ...key, secretKey: key.secretKey.replace(/^./, key.secretKey[0] === '0' ? '1' : '0') }), 'k')).toMatchObject({
      ok: false,
      error: { code: 'platform-key.invalid' },
    });
    expect(parsePlatformKey('{"secretKey":"zz"}', 'k')).toMatchObject({ ok: false, error: { code: 'platform-key.invalid' } });
    expect(parsePlatformKey('not json', 'k')).toMatchObject({ ok: false, error: { code: 'platform-key.invalid' } });
    expect(parsePlatformKey(readFileSync(ceremony.platformKeyPath, 'utf8'), 'k')).toMatchObject({ ok: true });
  });

  it('refuses options the definition fixes, a ceremony without a platform key, and a non-empty output folder', async () => {
    const io = capture();
    const root = temp();
    const base = ['simulate', '--key-ceremony', ceremony.folder, '--platform-key', ceremony.platformKeyPath, '--out', join(root, 'o')];
    expect(await main([...base, '--constituencies', '2'])).toBe(2);
    expect(io.err()).toMatch(/--constituencies/);
    expect(await main([...base, '--members', '3', '--threshold', '2'])).toBe(2);
    expect(await main(['simulate', '--key-ceremony', ceremony.folder, '--out', join(root, 'o')])).toBe(2);
    expect(io.err()).toMatch(/--platform-key/);
    writeFileSync(join(root, 'plein'), '');
    expect(await main(['simulate', '--key-ceremony', ceremony.folder, '--platform-key', ceremony.platformKeyPath, '--out', root, '--voters', '2'])).toBe(1);
    expect(io.err()).toMatch(/not empty/);
  });
});

describe('sceau platform-key', () => {
  it('writes a demo key pair readable only by its owner, prints its public key, and never replaces a file', async () => {
    const path = join(temp(), 'platform-key.json');
    let io = capture();
    expect(await main(['platform-key', '--out', path])).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const pair = parsePlatformKey(readFileSync(path, 'utf8'), path);
    if (!pair.ok) throw new Error(pair.error.code);
    expect(io.out().trim()).toBe(Buffer.from(pair.value.publicKey).toString('hex'));
    expect(readFileSync(path, 'utf8')).toContain('"warning":"DEMO"');
    vi.restoreAllMocks();
    const before = readFileSync(path, 'utf8');
    io = capture();
    expect(await main(['platform-key', '--out', path])).toBe(1);
    expect(io.err()).toMatch(/existe déjà[\s\S]*already exists/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(await main(['platform-key'])).toBe(2);
  });

  it('writes the public-key file beside the pair, for the board: the key alone, its fingerprint printed to read aloud', async () => {
    const dir = temp();
    const path = join(dir, 'plateforme.json');
    const io = capture();
    expect(await main(['platform-key', '--out', path, '--name', 'Plateforme de répétition'])).toBe(0);
    const publicPath = join(dir, 'plateforme-cle-publique.json');
    expect(readdirSync(dir).sort()).toEqual(['plateforme-cle-publique.json', 'plateforme.json']);
    const read = await readPlatformPublicKey(publicPath);
    if (!read.ok) throw new Error(read.error.message.en);
    expect(read.value.name).toBe('Plateforme de répétition');
    expect(read.value.signingKey).toBe(io.out().trim());
    expect(readFileSync(publicPath, 'utf8')).not.toMatch(/secret/i);
    expect(io.err()).toContain(publicPath);
    expect(io.err()).toContain(read.value.fingerprint.match(/.{4}/g)!.join(' '));
    // The pair itself, chosen by mistake in the form, is refused: it holds the secret.
    expect(await readPlatformPublicKey(path)).toMatchObject({ ok: false, error: { code: 'platform-public-key.secret' } });
    // And the public file given to simulate for the pair: refused, saying which file to give.
    const swapped = parsePlatformKey(readFileSync(publicPath, 'utf8'), publicPath);
    expect(swapped).toMatchObject({ ok: false, error: { code: 'platform-key.invalid' } });
    expect(!swapped.ok && swapped.error.message.fr).toMatch(/donnez la paire de clés écrite à côté/);
    // The help says where the public file goes.
    vi.restoreAllMocks();
    const help = capture();
    expect(await main(['platform-key', '--help'])).toBe(0);
    expect(help.out()).toMatch(/-cle-publique\.json/);
    expect(help.out()).toMatch(/Lire la clé de la plateforme sur une clé USB/);
  });

  it('writes nothing when the public file is already there, and names it', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'plateforme-cle-publique.json'), 'déjà là');
    const io = capture();
    expect(await main(['platform-key', '--out', join(dir, 'plateforme.json')])).toBe(1);
    expect(io.err()).toMatch(/plateforme-cle-publique\.json existe déjà[\s\S]*plateforme-cle-publique\.json already exists/);
    expect(readdirSync(dir)).toEqual(['plateforme-cle-publique.json']);
    expect(readFileSync(join(dir, 'plateforme-cle-publique.json'), 'utf8')).toBe('déjà là');
    expect(await main(['platform-key', '--out', join(dir, 'p.json'), '--name', ''])).toBe(2);
  });
});
