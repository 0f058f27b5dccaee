/**
 * What the tally ceremony refuses, and how: tokens that are not the member's (wrong passphrase, another
 * election, another member, no key share, not the enrolled token), the same member twice, a partial
 * decryption that fails its proof, the offline guard, urns refused as a whole (broken signature,
 * truncated) and a cancelled import that leaves nothing; the fold's order rules on forged entries; a
 * tampered transcript or keys.json refused at opening; a closing interrupted before the manifest.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KeyCeremony } from '../../src/core/ceremony/key/ceremony.js';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import type { TallyContext } from '../../src/core/ceremony/tally/folder.js';
import { tallyDriveTokens } from '../../src/core/ceremony/tally/drive-tokens.js';
import { foldTally } from '../../src/core/ceremony/tally/state.js';
import type { TallyTokenPort } from '../../src/core/ceremony/tally/types.js';
import { tallyView } from '../../src/core/ceremony/tally/view.js';
import { driveTokens } from '../../src/core/ceremony/key/drive-tokens.js';
import { G, mod, randomScalar } from '../../src/core/crypto/group.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { RECORD_FILES } from '../../src/core/election/record.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { entryLine, makeEntry } from '../../src/core/transcript/transcript.js';
import { createMemberSecrets, openToken, readToken, resealWithKeyShare, sealToken, tokenPath, tokenPublicFor, writeToken } from '../../src/core/token/index.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { boardDefinition, context, ONLINE } from '../helpers/key-ceremony.js';
import { boardSignIfAny, memberStep, must, newFolder, tallyContext, tallyFixture, type TallyFixture } from '../helpers/tally.js';

const pool = new WorkerPool(0);
let fx: TallyFixture;
/** A tally advanced to its decryption phase, copied by each test. */
let base: string;

beforeAll(async () => {
  fx = await tallyFixture(24);
  base = newFolder(fx);
  const c = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder: base, shuffles: 1 }, tallyContext(pool)));
  must(await c.importUrn(fx.urnPath));
  must(await c.publishReceipts());
  must(await c.shuffle());
}, 60_000);

async function copyOfBase(ctx: TallyContext = tallyContext(pool)): Promise<TallyCeremony> {
  const folder = newFolder(fx);
  cpSync(base, folder, { recursive: true });
  const c = must(await TallyCeremony.open(folder, ctx));
  expect(c.state.phase).toBe('decryption');
  return c;
}

/** A fresh (folder) drive under the fixture's root. */
function drive(name: string): string {
  const d = join(fx.root, `${name}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(d);
  return d;
}

async function writeForeignToken(at: string, member: number, fingerprint: Uint8Array, share?: bigint): Promise<void> {
  const secrets = createMemberSecrets();
  const pub = tokenPublicFor({ id: fx.kc.definition.id, fingerprint }, { index: member, name: `Intrus ${member}` }, secrets);
  let text = must(await sealToken(pub, secrets, 'une phrase', { policy: TEST_POLICY }));
  if (share !== undefined)
    text = must(
      await resealWithKeyShare(
        text,
        'une phrase',
        { fingerprint, member },
        { member, secret: share, verificationKey: G.multiply(share), publicKey: G.multiply(randomScalar()) },
        { policy: TEST_POLICY },
      ),
    );
  must(await writeToken(at, text));
}

describe('tokens refused at the decryption, the member named, the ceremony carrying on', () => {
  it('a wrong passphrase, another election, another member, no key share, a token not enrolled', async () => {
    const c = await copyOfBase();
    const fp = c.fingerprint;
    const refused = async (step: ReturnType<typeof memberStep>, code: string) => {
      const before = c.entries.length;
      expect(await c.decrypt(step)).toMatchObject({ ok: false, error: { code } });
      const d = c.state.deviations.at(-1)!;
      expect(d.seq).toBeGreaterThanOrEqual(before);
      expect(d.payload).toMatchObject({ kind: 'token-refused', member: step.member, code });
      expect(d.payload.message.fr).toMatch(new RegExp(`membre ${step.member}\\b`));
      expect(d.payload.message.en).toMatch(new RegExp(`member ${step.member}\\b`));
    };
    await refused(memberStep(fx, 2, { passphrase: 'pas la bonne' }), 'token.passphrase');
    const foreign = drive('foreign');
    await writeForeignToken(foreign, 3, randomBytes(32));
    await refused(memberStep(fx, 3, { drive: foreign }), 'token.other-election');
    await refused(memberStep(fx, 3, { drive: fx.kc.drives[1]! }), 'token.other-member');
    await refused(memberStep(fx, 3, { drive: drive('empty') }), 'token.missing');
    const unsealed = drive('unsealed');
    await writeForeignToken(unsealed, 4, fp);
    await refused(memberStep(fx, 4, { drive: unsealed, passphrase: 'une phrase' }), 'tally.no-share');
    const impostor = drive('impostor');
    await writeForeignToken(impostor, 4, fp, randomScalar());
    await refused(memberStep(fx, 4, { drive: impostor, passphrase: 'une phrase' }), 'tally.token-mismatch');
    expect(c.state.members.every((m) => !m.decrypted)).toBe(true);
    for (const j of [2, 3, 4]) must(await c.decrypt(memberStep(fx, j)));
    expect(c.state.phase).toBe('count');
    const view = await tallyView(c);
    expect(view.members.map((m) => m.refusals.length)).toEqual([0, 1, 3, 2, 0]);
    expect(view.deviations.every((d) => d.kind === 'token-refused')).toBe(true);
  });

  it('the same member twice is refused and recorded', async () => {
    const c = await copyOfBase();
    must(await c.decrypt(memberStep(fx, 2)));
    expect(await c.decrypt(memberStep(fx, 2))).toMatchObject({ ok: false, error: { code: 'tally.member-twice' } });
    expect(c.state.deviations.at(-1)!.payload).toMatchObject({ kind: 'decryption-refused', member: 2, code: 'tally.member-twice' });
    expect(c.state.members.filter((m) => m.decrypted)).toHaveLength(1);
  });

  it('a partial decryption that fails its proof is set aside, the member named, nothing of theirs kept', async () => {
    const real = tallyDriveTokens({ policy: TEST_POLICY });
    const cheating: TallyTokenPort = {
      async open(at, passphrase, expect) {
        const s = await real.open(at, passphrase, expect);
        return s.ok ? { ok: true, value: { ...s.value, keyShare: mod(s.value.keyShare + 1n) } } : s;
      },
      keepBoardNonces: real.keepBoardNonces,
    };
    const c = await copyOfBase(tallyContext(pool, cheating));
    const r = await c.decrypt(memberStep(fx, 3));
    expect(r).toMatchObject({ ok: false, error: { code: 'decryption.proof' } });
    expect(c.state.deviations.at(-1)!.payload).toMatchObject({ kind: 'decryption-refused', member: 3, code: 'decryption.proof' });
    expect(c.state.deviations.at(-1)!.payload.message.en).toMatch(/Member 3 \(Inès Benali\)/);
    expect(c.state.members[2]!.decrypted).toBe(false);
    expect(readdirSync(join(c.folder, '.tally-work')).filter((f) => f.includes('.partial-3'))).toEqual([]);
    // The member comes back with their real token (another session): accepted.
    const again = must(await TallyCeremony.open(c.folder, tallyContext(pool)));
    must(await again.decrypt(memberStep(fx, 3)));
    expect(again.state.members[2]!.decrypted).toBe(true);
  });

  it('the offline guard refuses a decryption on a connected machine, unless a rehearsal overrides it (recorded)', async () => {
    const online = await copyOfBase(tallyContext(pool, undefined, ONLINE));
    expect(await online.decrypt(memberStep(fx, 1))).toMatchObject({ ok: false, error: { code: 'offline.connected' } });
    expect(online.state.deviations.at(-1)!.payload).toMatchObject({ kind: 'operation-refused', member: 1 });
    const rehearsal = { ...tallyContext(pool, undefined, ONLINE), override: { reason: 'répétition', authorisedBy: 'Claire Dupont' } };
    const c = must(await TallyCeremony.open(online.folder, rehearsal));
    must(await c.decrypt(memberStep(fx, 1)));
    expect(c.state.workstations.at(-1)!.payload.override).toEqual({ reason: 'répétition', authorisedBy: 'Claire Dupont' });
  });
});

describe('the fold refuses entries out of the script (signed, but not due)', () => {
  const tokenSecret = async (j: number) => {
    const found = must(await readToken(tokenPath(fx.kc.drives[j - 1]!, fx.kc.definition.id, j)));
    return must(await openToken(found.text, fx.kc.passphrase(j), { fingerprint: fx.kc.fingerprint, member: j }, { policy: TEST_POLICY })).secrets.identitySecretKey;
  };
  const append = (c: TallyCeremony, actor: string, type: string, payload: unknown, secret: Uint8Array) =>
    writeFileSync(join(c.folder, RECORD_FILES.tallyTranscript), `${entryLine(makeEntry(c.fingerprint, c.entries.length, c.head, actor, type, payload, secret))}\n`, { flag: 'a' });

  it('a count before the quorum (tally.order), a second decryption by one member (tally.member-twice), a member outside Q (decryption.not-qualified)', async () => {
    const ctx = tallyContext(pool);
    const c = await copyOfBase(ctx);
    must(await c.decrypt(memberStep(fx, 2)));
    append(c, ctx.session.actor, 'tally.count', { members: [2], pvSha256: 'ab'.repeat(32) }, ctx.session.secretKey);
    expect(await TallyCeremony.open(c.folder, tallyContext(pool))).toMatchObject({ ok: false, error: { code: 'tally.order' } });

    const d = await copyOfBase(ctx);
    must(await d.decrypt(memberStep(fx, 2)));
    const again = d.entries.find((e) => e.type === 'tally.decryption')!.payload;
    append(d, 'member:2', 'tally.decryption', again, await tokenSecret(2));
    expect(await TallyCeremony.open(d.folder, tallyContext(pool))).toMatchObject({ ok: false, error: { code: 'tally.member-twice', where: `tally.jsonl:${d.entries.length + 1}` } });

    // The same transcript folded with a qualified set that leaves member 2 out.
    const basis = { qualified: [1, 3, 4, 5], accepted: new Map(d.state.active.map((x) => [x.id, x.ballots])) };
    expect(foldTally(d.definition, d.fingerprint, d.entries, basis)).toMatchObject({ ok: false, error: { code: 'decryption.not-qualified' } });
    expect(foldTally(d.definition, d.fingerprint, d.entries, { ...basis, qualified: [1, 2, 3, 4, 5] }).ok).toBe(true);
  });

  it('a tampered tally.jsonl or keys.json is refused at opening', async () => {
    const c = await copyOfBase();
    const path = join(c.folder, RECORD_FILES.tallyTranscript);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"shuffles":1', '"shuffles":2'));
    const opened = await TallyCeremony.open(c.folder, tallyContext(pool));
    expect(opened.ok).toBe(false);
    expect(!opened.ok && opened.error.code).toMatch(/^transcript\./);
    writeFileSync(path, text);
    const keys = join(c.folder, RECORD_FILES.keys);
    const k = JSON.parse(readFileSync(keys, 'utf8'));
    writeFileSync(keys, JSON.stringify({ ...k, qualified: [1, 2, 3] }));
    expect(await TallyCeremony.open(c.folder, tallyContext(pool))).toMatchObject({ ok: false, error: { code: 'keys.mismatch' } });
  });
});

describe('the urn', () => {
  const fresh = async () => must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder: newFolder(fx) }, tallyContext(pool)));
  const initialFiles = ['election.json', 'keyceremony.jsonl', 'keys.json', 'tally.jsonl'];

  it('a cancelled import leaves nothing behind, and can be done again', async () => {
    const c = await fresh();
    const entries = c.entries.length;
    const stop = new AbortController();
    expect(await c.importUrn(fx.urnPath, { signal: stop.signal, onProgress: () => stop.abort() })).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(readdirSync(c.folder).sort()).toEqual(initialFiles);
    expect(c.entries.length).toBe(entries);
    must(await c.importUrn(fx.urnPath));
    expect(c.state.phase).toBe('receipts');
  });

  it('an urn refused as a whole (signature broken, truncated) is recorded as a deviation, and the ceremony cannot go on', async () => {
    const c = await fresh();
    const lines = readFileSync(fx.urnPath, 'utf8').split('\n');
    const trailer = lines.at(-2)!;
    const forged = join(drive('forged'), 'urn.jsonl');
    const sig = /"signature":"([0-9a-f])/.exec(trailer)!;
    writeFileSync(forged, [...lines.slice(0, -2), trailer.replace(sig[0], `"signature":"${sig[1] === '0' ? '1' : '0'}`), ''].join('\n'));
    expect(await c.importUrn(forged)).toMatchObject({ ok: false, error: { code: 'urn.signature' } });
    const truncated = join(drive('truncated'), 'urn.jsonl');
    writeFileSync(truncated, [...lines.slice(0, -2), ''].join('\n'));
    expect(await c.importUrn(truncated)).toMatchObject({ ok: false, error: { code: 'urn.trailer' } });
    expect(c.state.deviations.map((d) => [d.payload.kind, d.payload.member, d.payload.code])).toEqual([
      ['import-refused', null, 'urn.signature'],
      ['import-refused', null, 'urn.trailer'],
    ]);
    expect(readdirSync(c.folder).sort()).toEqual(initialFiles);
    expect(c.state.phase).toBe('import');
    expect(await c.publishReceipts()).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(await c.shuffle()).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect((await tallyView(c)).urn).toBeNull();
  });
});

describe('opening and closing', () => {
  it('refuses a key ceremony that is not closed, a folder that is not empty, a number of shuffles out of range', async () => {
    const open = newFolder(fx, 'kc-open');
    must(await KeyCeremony.create(open, boardDefinition(3, 2), context(driveTokens({ policy: TEST_POLICY }))));
    expect(await TallyCeremony.create({ keyCeremonyFolder: open, folder: newFolder(fx) }, tallyContext(pool))).toMatchObject({ ok: false, error: { code: 'ceremony.not-closed' } });
    expect(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder: base }, tallyContext(pool))).toMatchObject({ ok: false, error: { code: 'ceremony.folder-not-empty' } });
    for (const shuffles of [0, 6, 1.5])
      expect(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder: newFolder(fx), shuffles }, tallyContext(pool))).toMatchObject({ ok: false, error: { code: 'tally.shuffles' } });
  });

  it('an import that stopped before its entry is done again; a cancelled decryption keeps nothing of the member', async () => {
    const folder = newFolder(fx);
    const c = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder, shuffles: 1 }, tallyContext(pool)));
    must(await c.importUrn(fx.urnPath));
    // The crash: the files are written, the entry is not (the transcript's last line is lost).
    const path = join(folder, RECORD_FILES.tallyTranscript);
    const lines = readFileSync(path, 'utf8').split('\n');
    writeFileSync(path, [...lines.slice(0, -2), ''].join('\n'));
    const resumed = must(await TallyCeremony.open(folder, tallyContext(pool)));
    expect(resumed.state.phase).toBe('import');
    must(await resumed.importUrn(fx.urnPath));
    expect(resumed.state.phase).toBe('receipts');

    const d = await copyOfBase();
    const stop = new AbortController();
    expect(await d.decrypt(memberStep(fx, 2), { signal: stop.signal, onProgress: () => stop.abort() })).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(d.state.members[1]!.decrypted).toBe(false);
    expect(d.state.deviations).toEqual([]);
    expect(readdirSync(join(d.folder, '.tally-work')).filter((f) => f.includes('.partial-'))).toEqual([]);
    must(await d.decrypt(memberStep(fx, 2)));
  });

  it('a closing interrupted before the manifest is finished by the next opening, to the same record', async () => {
    const c = await copyOfBase();
    for (const j of [1, 4, 5]) must(await c.decrypt(memberStep(fx, j)));
    must(await c.count());
    for (const j of [4, 1, 5]) must(await c.sign(memberStep(fx, j)));
    await boardSignIfAny(
      c,
      [4, 1, 5].map((j) => memberStep(fx, j)),
    );
    const closed = must(await c.close());
    rmSync(join(c.folder, RECORD_FILES.manifest));
    mkdirSync(join(c.folder, '.tally-work'));
    const reopened = must(await TallyCeremony.open(c.folder, tallyContext(pool)));
    expect(existsSync(join(c.folder, '.tally-work'))).toBe(false);
    expect(await reopened.recordFingerprint()).toBe(closed.recordFingerprint);
    expect(await reopened.close()).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
  });
});
