/**
 * The key ceremony as the board lives it, through src/core/ceremony/key with in-memory tokens:
 * open, enrol, contribute, check, result, seal, confirm, close; interrupted and resumed; a cheating
 * member; refused tokens; the offline guard; a tampered transcript.
 */
import { boardRound1 } from '../../src/core/ceremony/key/board-key.js';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyCeremony, FILES } from '../../src/core/ceremony/key/ceremony.js';
import type { CeremonyContext } from '../../src/core/ceremony/key/ports.js';
import { ENTRY } from '../../src/core/ceremony/key/entries.js';
import { G, invert, mod, pointFromHex, randomScalar, type Point } from '../../src/core/crypto/group.js';
import { commitmentsDigest, contribute, encryptShare, round1ToJson } from '../../src/core/crypto/dkg/index.js';
import { dkgParams, encryptionKeys, expectedMembers } from '../../src/core/ceremony/key/state.js';
import { makeEntry, entryLine } from '../../src/core/transcript/transcript.js';
import { verifyKeyCeremonyFolder } from '../../src/core/ceremony/key/verify.js';
import type { Result } from '../../src/core/common/result.js';
import { FakeTokens } from '../helpers/fake-tokens.js';
import { pdfText } from '../helpers/pdf.js';
import { boardDefinition, context, ONLINE, step, tempFolder } from '../helpers/key-ceremony.js';

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

async function runAll(c: KeyCeremony, members: number[], act: (c: KeyCeremony, j: number) => Promise<Result<void>>) {
  for (const j of members) must(await act(c, j));
}

const all = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Y = Σ λ_j·Y_j over the subset: the verification keys are shares of the public key. */
function interpolatesTo(publicKey: Point, keys: Map<number, Point>, subset: number[]): boolean {
  let acc = G.subtract(G);
  for (const j of subset) {
    let lambda = 1n;
    for (const k of subset) if (k !== j) lambda = mod(lambda * BigInt(k) * invert(mod(BigInt(k - j))));
    acc = acc.add(keys.get(j)!.multiply(lambda));
  }
  return acc.equals(publicKey);
}

async function fullCeremony(n: number, t: number, tokens = new FakeTokens(), ctx: CeremonyContext = context(tokens)) {
  const folder = tempFolder();
  const c = must(await KeyCeremony.create(folder, boardDefinition(n, t), ctx));
  await runAll(c, all(n), (c, j) => c.enrol(step(j)));
  await runAll(c, all(n), (c, j) => c.contribute(step(j)));
  await runAll(c, all(n), (c, j) => c.checkShares(step(j)));
  must(await c.publishResult());
  await runAll(c, all(n), (c, j) => c.seal(step(j)));
  await runAll(c, all(n), (c, j) => c.confirm(step(j)));
  const file = must(await c.close());
  await expectVerified(folder);
  return { folder, c, file, tokens };
}

/** Every ceremony these tests complete passes the verifier's key-ceremony checks (sceau verify). */
async function expectVerified(folder: string) {
  const report = await verifyKeyCeremonyFolder(folder);
  expect(report.failures).toEqual([]);
  expect(report.ok && report.phase).toBe('closed');
}

describe('key ceremony, 3 of 5', () => {
  it('runs the script to a public key that every 3 members share, and a transcript that replays', async () => {
    const { folder, c, file, tokens } = await fullCeremony(5, 3);
    expect(c.state.phase).toBe('closed');
    expect(file.qualified).toEqual([1, 2, 3, 4, 5]);
    expect(file.transcriptHead).toBe(c.head);
    const Y = pointFromHex(file.publicKey);
    const keys = new Map(file.verificationKeys.map((k, i) => [i + 1, pointFromHex(k)]));
    for (const subset of [
      [1, 2, 3],
      [1, 4, 5],
      [2, 3, 5],
      [3, 4, 5],
    ])
      expect(interpolatesTo(Y, keys, subset)).toBe(true);
    expect(interpolatesTo(Y, keys, [1, 2])).toBe(false);
    // Each token holds the share matching its verification key.
    for (const j of all(5)) {
      const s = tokens.stored.get(`/media/token-${j}`)!;
      expect(G.multiply(s.keyShare!.secret).equals(keys.get(j)!)).toBe(true);
    }
    // The public key file is what the folder holds, and the transcript replays from the folder alone.
    expect(JSON.parse(readFileSync(join(folder, FILES.publicKey), 'utf8'))).toEqual(file);
    const reopened = must(await KeyCeremony.open(folder, context(tokens)));
    expect(reopened.state.phase).toBe('closed');
    expect(reopened.head).toBe(c.head);
    expect(reopened.state.workstations).toHaveLength(1);
    expect(reopened.state.workstations[0]!.payload.software.digest).toBe('ab'.repeat(32));
  });

  it('refuses a step out of turn', async () => {
    const tokens = new FakeTokens();
    const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(3, 2), context(tokens)));
    expect(await c.contribute(step(1))).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    must(await c.enrol(step(1)));
    expect(await c.enrol(step(1))).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(await c.publishResult()).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
  });
});

describe('interrupted and resumed', () => {
  it('after every step, a new session reopening the folder carries on to the same kind of result', async () => {
    const tokens = new FakeTokens();
    const n = 4;
    const folder = tempFolder();
    let c = must(await KeyCeremony.create(folder, boardDefinition(n, 2), context(tokens)));
    const restart = async () => (c = must(await KeyCeremony.open(folder, context(tokens))));
    const steps: (() => Promise<Result<unknown>>)[] = [
      ...all(n).map((j) => () => c.enrol(step(j))),
      ...all(n).map((j) => () => c.contribute(step(j))),
      ...all(n).map((j) => () => c.checkShares(step(j))),
      () => c.publishResult(),
      ...all(n).map((j) => () => c.seal(step(j))),
      ...all(n).map((j) => () => c.confirm(step(j))),
      () => c.close(),
    ];
    for (const s of steps) {
      must(await s());
      await restart();
    }
    expect(c.state.phase).toBe('closed');
    await expectVerified(folder);
    // Every restart that wrote something announced its session: the transcript names each workstation run.
    expect(c.state.workstations.length).toBe(steps.length);
  });

  it('carries between two machines on a USB stick (the folder is copied back and forth)', async () => {
    const tokens = new FakeTokens();
    const stickA = tempFolder('stick');
    const machineA = context(tokens);
    const machineB = context(tokens);
    let c = must(await KeyCeremony.create(stickA, boardDefinition(3, 2), machineA));
    const carry = async (ctx: CeremonyContext) => {
      const next = tempFolder('stick');
      cpSync(c.folder, next, { recursive: true });
      c = must(await KeyCeremony.open(next, ctx));
    };
    for (const j of all(3)) {
      await carry(j % 2 === 0 ? machineB : machineA);
      must(await c.enrol(step(j)));
    }
    for (const j of all(3)) {
      await carry(j % 2 === 0 ? machineA : machineB);
      must(await c.contribute(step(j)));
    }
    for (const j of all(3)) must(await c.checkShares(step(j)));
    must(await c.publishResult());
    expect(new Set(c.state.workstations.map((w) => w.actor)).size).toBe(2);
    expect(c.state.phase).toBe('sealing');
  });
});

describe('a cheating member', () => {
  it('is named through the complaint of the member it cheated, and the others still make a valid key', async () => {
    const tokens = new FakeTokens();
    const folder = tempFolder();
    const c = must(await KeyCeremony.create(folder, boardDefinition(5, 3), context(tokens)));
    await runAll(c, all(5), (c, j) => c.enrol(step(j)));
    // Member 2's software deals member 4 a wrong share in a well-formed box, then signs it properly:
    // only member 4 can see it, and must complain.
    const params = dkgParams(c.state as never);
    const keys = encryptionKeys(c.state as never);
    const honest = contribute(params, 2, keys);
    const digest = commitmentsDigest(params.fingerprint, 2, honest.commitments);
    const wrong = encryptShare(params, keys, 2, digest, 4, randomScalar());
    const cheat = round1ToJson({ ...honest, shares: honest.shares.map((s, i) => (i === 3 ? wrong : s)) });
    must(await c.contribute(step(1)));
    const secret = tokens.stored.get('/media/token-2')!.identitySecret;
    const frost = boardRound1(c.fingerprint, 3, 5, 2, tokens.stored.get('/media/token-2')!.encryptionSecret, keys);
    const entry = makeEntry(c.fingerprint, c.entries.length, c.head, 'member:2', ENTRY.round1, { member: 2, message: cheat, frost }, secret);
    writeFileSync(join(folder, FILES.transcript), `${entryLine(entry)}\n`, { flag: 'a' });
    const resumed = must(await KeyCeremony.open(folder, context(tokens)));
    await runAll(resumed, [3, 4, 5], (c, j) => c.contribute(step(j)));
    expect(expectedMembers(resumed.state)).toEqual([1, 2, 3, 4, 5]);
    await runAll(resumed, all(5), (c, j) => c.checkShares(step(j)));
    expect(resumed.state.members.map((m) => m.complaintsFiled)).toEqual([0, 0, 0, 1, 0]);
    must(await resumed.publishResult());
    expect(resumed.state.members.map((m) => m.qualified)).toEqual([true, false, true, true, true]);
    expect(resumed.state.members[1]!.disqualification?.[0]?.message.fr).toMatch(/membre 2/);
    expect(await resumed.seal(step(2))).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    await runAll(resumed, [1, 3, 4, 5], (c, j) => c.seal(step(j)));
    await runAll(resumed, [1, 3, 4, 5], (c, j) => c.confirm(step(j)));
    const file = must(await resumed.close());
    await expectVerified(folder);
    expect(file.qualified).toEqual([1, 3, 4, 5]);
    // The report says it in words (docs/results.md §1 "The annex"): the complaint, its verdict, the disqualification.
    const report = pdfText(readFileSync(join(folder, FILES.report)))
      .split('\n')
      .filter((l) => !/ — page \d+\/\d+$/.test(l))
      .join(' ')
      .replace(/\u00a0/g, ' ')
      .replace(/\s+/g, ' ');
    expect(report).toContain('Membre 4 (membre n° 4) a déposé une plainte contre Membre 2 (membre n° 2) : la part de clé que ce membre lui a transmise est fausse.');
    expect(report).toContain('juge la plainte déposée par Membre 4 (membre n° 4) contre Membre 2 (membre n° 2) : retenue. Motif : ');
    expect(report).toContain('le résultat de la génération de la clé disqualifie Membre 2 (membre n° 2), qui ne détient aucune part de la clé. Motif : ');
    expect(report).toContain('the result of the key generation disqualifies Membre 2 (member no. 2), who holds no share of the key. Reason: ');
    const shares = new Map(file.verificationKeys.map((k, i) => [i + 1, pointFromHex(k)]));
    expect(interpolatesTo(pointFromHex(file.publicKey), shares, [1, 4, 5])).toBe(true);
  });

  it('a contribution whose box was taken from another message is refused in round 1, its dealer named', async () => {
    const tokens = new FakeTokens();
    const folder = tempFolder();
    const c = must(await KeyCeremony.create(folder, boardDefinition(3, 2), context(tokens)));
    await runAll(c, all(3), (c, j) => c.enrol(step(j)));
    const params = dkgParams(c.state as never);
    const keys = encryptionKeys(c.state as never);
    const a = contribute(params, 2, keys);
    const b = contribute(params, 2, keys);
    const cheat = round1ToJson({ ...a, shares: a.shares.map((s, i) => (i === 2 ? b.shares[2]! : s)) });
    const frost = boardRound1(c.fingerprint, 2, 3, 2, tokens.stored.get('/media/token-2')!.encryptionSecret, keys);
    const entry = makeEntry(c.fingerprint, c.entries.length, c.head, 'member:2', ENTRY.round1, { member: 2, message: cheat, frost }, tokens.stored.get('/media/token-2')!.identitySecret);
    writeFileSync(join(folder, FILES.transcript), `${entryLine(entry)}\n`, { flag: 'a' });
    const resumed = must(await KeyCeremony.open(folder, context(tokens)));
    await runAll(resumed, [1, 3], (c, j) => c.contribute(step(j)));
    expect(expectedMembers(resumed.state)).toEqual([1, 3]);
    expect(await resumed.checkShares(step(2))).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    await runAll(resumed, [1, 3], (c, j) => c.checkShares(step(j)));
    must(await resumed.publishResult());
    expect(resumed.state.members.map((m) => m.qualified)).toEqual([true, false, true]);
    expect(resumed.state.members[1]!.disqualification?.[0]?.code).toMatch(/^dkg\.round1\./);
  });

  it('with n − t + 1 members absent the ceremony says it cannot complete', async () => {
    const tokens = new FakeTokens();
    const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(5, 3), context(tokens)));
    await runAll(c, all(5), (c, j) => c.enrol(step(j)));
    await runAll(c, [1, 2], (c, j) => c.contribute(step(j)));
    expect(await c.closeRound1('')).toMatchObject({ ok: false });
    must(await c.closeRound1('Membres 3, 4 et 5 absents à 14 h 30'));
    await runAll(c, [1, 2], (c, j) => c.checkShares(step(j)));
    expect(c.state.phase).toBe('failed');
    expect(c.state.failure?.code).toBe('dkg.quorum');
    expect(await c.publishResult()).toMatchObject({ ok: false });
  });
});

describe('bad input is refused, recorded, and loses nothing', () => {
  it('a wrong passphrase, another member’s token, the same token twice', async () => {
    const tokens = new FakeTokens();
    const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(3, 2), context(tokens)));
    must(await c.enrol(step(1)));
    // The same drive (the same token) offered for member 2.
    expect(await c.enrol({ ...step(2), token: step(1).token })).toMatchObject({ ok: false, error: { code: 'token.drive-taken' } });
    must(await c.enrol(step(2)));
    must(await c.enrol(step(3)));
    const before = c.entries.length;
    expect(await c.contribute(step(1, 'mauvaise phrase'))).toMatchObject({ ok: false, error: { code: 'token.passphrase' } });
    expect(await c.contribute({ ...step(2), member: 1 })).toMatchObject({ ok: false, error: { code: 'token.member' } });
    expect(c.entries.slice(before).map((e) => e.type)).toEqual([ENTRY.deviation, ENTRY.deviation]);
    expect(c.state.deviations.map((d) => d.payload.member)).toEqual([2, 1, 1]);
    must(await c.contribute(step(1)));
    expect(c.state.members[0]!.contributed).toBe(true);
  });

  it('takes up a token written by an enrolment that stopped before its entry (crash, pulled stick)', async () => {
    const tokens = new FakeTokens();
    const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(2, 2), context(tokens)));
    // The token reached the drive; the transcript entry did not.
    must(await tokens.create(step(1).token, step(1).passphrase, { fingerprint: c.fingerprint, member: 1 }));
    expect(await c.enrol(step(1, 'une autre phrase'))).toMatchObject({ ok: false, error: { code: 'token.passphrase' } });
    must(await c.enrol(step(1)));
    expect(c.state.members[0]!.identityKey).toBeDefined();
  });

  it('refuses key operations while connected, and records a rehearsal override', async () => {
    const tokens = new FakeTokens();
    const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(2, 2), context(tokens, ONLINE)));
    const refused = await c.enrol(step(1));
    expect(refused).toMatchObject({ ok: false, error: { code: 'offline.connected' } });
    expect(c.state.deviations.at(-1)?.payload.kind).toBe('operation-refused');
    const override = { reason: 'Répétition générale', authorisedBy: 'La présidente' };
    const rehearsal = must(await KeyCeremony.open(c.folder, context(tokens, ONLINE, { override })));
    must(await rehearsal.enrol(step(1)));
    expect(rehearsal.state.workstations.at(-1)?.payload.override).toEqual(override);
  });

  it('a transcript altered by one byte does not open, and the entry is named', async () => {
    const tokens = new FakeTokens();
    const folder = tempFolder();
    const c = must(await KeyCeremony.create(folder, boardDefinition(3, 2), context(tokens)));
    await runAll(c, all(3), (c, j) => c.enrol(step(j)));
    const path = join(folder, FILES.transcript);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[3] = lines[3]!.replace('TOKEN2', 'TOKEN9');
    writeFileSync(path, lines.join('\n'));
    const reopened = await KeyCeremony.open(folder, context(tokens));
    expect(reopened).toMatchObject({ ok: false, error: { code: 'transcript.signature', where: `${path}:4` } });
    const report = await verifyKeyCeremonyFolder(folder);
    expect(report.ok).toBe(false);
    expect(report.failures).toMatchObject([{ code: 'transcript.signature', where: 'transcript.jsonl:4' }]);
  });

  it('the verifier refuses a public key file that differs from the transcript, and a ceremony not closed', async () => {
    const { folder } = await fullCeremony(3, 2);
    const path = join(folder, FILES.publicKey);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { qualified: number[] };
    writeFileSync(path, JSON.stringify({ ...file, qualified: [1, 2] }));
    expect((await verifyKeyCeremonyFolder(folder)).failures.map((f) => f.code)).toEqual(['ceremony.public-key-file']);
    const open = tempFolder();
    must(await KeyCeremony.create(open, boardDefinition(2, 2), context(new FakeTokens())));
    expect((await verifyKeyCeremonyFolder(open)).failures.map((f) => f.code)).toEqual(['ceremony.not-closed']);
  });
});
