/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit untrusted JSON freely */
import { boardRound1 } from '../../src/core/ceremony/key/board-key.js';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyCeremony } from '../../src/core/ceremony/key/ceremony.js';
import { replayFolder, type TranscriptReplay } from '../../src/core/audit/replay.js';
import { replayRecordTally } from '../../src/core/audit/tally-replay.js';
import { runDemo } from '../../src/core/simulation/demo.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { tempDir } from '../helpers/pipeline.js';
import { commitmentsDigest, contribute, encryptShare, round1ToJson } from '../../src/core/crypto/dkg/index.js';
import { randomScalar } from '../../src/core/crypto/group.js';
import { dkgParams, encryptionKeys } from '../../src/core/ceremony/key/state.js';
import { ENTRY } from '../../src/core/ceremony/key/entries.js';
import { entryLine, makeEntry } from '../../src/core/transcript/transcript.js';
import { FakeTokens } from '../helpers/fake-tokens.js';
import { boardDefinition, context, ONLINE, step, tempFolder } from '../helpers/key-ceremony.js';

/** A closed 2-of-3 ceremony with one recorded deviation (a wrong passphrase). */
async function closedCeremony(): Promise<string> {
  const folder = tempFolder();
  const tokens = new FakeTokens();
  const ctx = context(tokens);
  const c = await KeyCeremony.create(folder, boardDefinition(3, 2), ctx);
  if (!c.ok) throw new Error(c.error.message.en);
  const k = c.value;
  for (const j of [1, 2, 3]) expect((await k.enrol(step(j))).ok).toBe(true);
  expect((await k.contribute(step(2, 'pas la bonne phrase'))).ok).toBe(false);
  for (const j of [1, 2, 3]) expect((await k.contribute(step(j))).ok).toBe(true);
  for (const j of [1, 2, 3]) expect((await k.checkShares(step(j))).ok).toBe(true);
  expect((await k.publishResult()).ok).toBe(true);
  for (const j of [1, 2, 3]) expect((await k.seal(step(j))).ok).toBe(true);
  for (const j of [1, 2, 3]) expect((await k.confirm(step(j))).ok).toBe(true);
  expect((await k.close()).ok).toBe(true);
  return folder;
}

async function replay(folder: string): Promise<TranscriptReplay> {
  const r = await replayFolder(folder);
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
}

function copy(folder: string): string {
  const to = join(tempDir('sceau-replay-'), 'copy');
  cpSync(folder, to, { recursive: true });
  return to;
}

/** Rewrites line `line` (1-based) of the transcript through `change`. */
function alter(folder: string, file: string, line: number, change: (e: any) => void): void {
  const path = join(folder, file);
  const lines = readFileSync(path, 'utf8').split('\n');
  const e = JSON.parse(lines[line - 1]!);
  change(e);
  lines[line - 1] = JSON.stringify(e);
  writeFileSync(path, lines.join('\n'));
}

const failedChecks = (r: TranscriptReplay, line: number) => r.entries[line - 1]!.checks.filter((c) => c.status !== 'passed').map((c) => [c.name, c.failure?.code]);

describe('replay of a key-ceremony folder', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await closedCeremony();
  }, 60_000);

  it('verifies every entry: link, signature and rule; head, phase and the session measurement', async () => {
    const r = await replay(folder);
    expect(r.kind).toBe('key-ceremony');
    expect(r.ok).toBe(true);
    expect(r.failed).toEqual([]);
    expect(r.phase).toBe('closed');
    expect(r.entries.every((e) => e.verdict === 'verified' && e.checks.every((c) => c.status === 'passed'))).toBe(true);
    const publicKey = JSON.parse(readFileSync(join(folder, 'public-key.json'), 'utf8'));
    expect(r.head).toBe(publicKey.transcriptHead);
    expect(r.sessions).toHaveLength(1);
    expect(r.sessions[0]).toMatchObject({ software: { digest: 'ab'.repeat(32), fileCount: 7 }, offline: true, override: null, verdict: 'verified' });
    expect(r.entries.map((e) => e.type)).toContain('deviation');
    expect(r.entries.find((e) => e.type === 'member.enrolled')!.summary.fr).toBe('Membre 1 enrôle son jeton («\u00a0TOKEN1\u00a0»).');
    expect(r.folderChecks).toEqual({
      ok: true,
      checks: [
        { name: 'definition', failures: 0 },
        { name: 'key ceremony', failures: 0 },
        { name: 'public key', failures: 0 },
      ],
      failures: [],
    });
  });

  it('a public key file that differs from the transcript fails the folder checks; every entry still verified', async () => {
    const copyOf = copy(folder);
    const path = join(copyOf, 'public-key.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.qualified = [1, 2];
    writeFileSync(path, JSON.stringify(file));
    const r = await replay(copyOf);
    expect(r.ok).toBe(true);
    expect(r.folderChecks!.ok).toBe(false);
    expect(r.folderChecks!.failures.map((f) => f.code)).toEqual(['ceremony.public-key-file']);
  });

  it('an altered entry fails its signature, named with why; the next entry only follows; every other entry is verified', async () => {
    const copyOf = copy(folder);
    const target = 5; // member 3's enrolment: altering its token label breaks no ceremony rule, only the signature
    alter(copyOf, 'transcript.jsonl', target, (e) => (e.payload.token.label = 'AUTRE'));
    const r = await replay(copyOf);
    expect(r.entries[target - 1]!.type).toBe('member.enrolled');
    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([target]);
    expect(failedChecks(r, target)).toEqual([['signature', 'transcript.signature']]);
    expect(r.entries[target - 1]!.checks[1]!.failure!.message.en).toMatch(/^Line 5: member:3's signature does not match the entry's content as it stands/);
    expect(r.entries[target]!.verdict).toBe('follows-failure');
    expect(failedChecks(r, target + 1)).toEqual([['link', 'transcript.link']]);
    expect(r.entries[target]!.checks[0]!.failure!.message.fr).toContain('la ligne 5 a été modifiée');
    expect(r.entries.filter((e) => e.line !== target && e.line !== target + 1).every((e) => e.verdict === 'verified')).toBe(true);
    expect(r.folderChecks!.failures.map((f) => [f.code, f.where])).toEqual([['transcript.signature', 'transcript.jsonl:5']]);
  });

  it('an entry signed by the wrong member fails its signature; a reordered pair fails their links', async () => {
    const signer = copy(folder);
    alter(signer, 'transcript.jsonl', 4, (e) => (e.actor = 'member:3'));
    const r = await replay(signer);
    expect(failedChecks(r, 4).map((x) => x[0])).toContain('signature');
    expect(r.failed).toContain(4);

    const swapped = copy(folder);
    const path = join(swapped, 'transcript.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    [lines[6], lines[7]] = [lines[7]!, lines[6]!];
    writeFileSync(path, lines.join('\n'));
    const s = await replay(swapped);
    expect(s.ok).toBe(false);
    expect(failedChecks(s, 7)).toContainEqual(['link', 'transcript.seq']);
  });

  it('an entry out of the script fails its rule, with the fold’s reason', async () => {
    const copyOf = copy(folder);
    const path = join(copyOf, 'transcript.jsonl');
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    // The whole transcript again after the closing: the chain holds (it is re-linked by nobody), so
    // instead duplicate the last line: its seq and link fail; and a forged closing would fail its rule.
    writeFileSync(path, `${[...lines, lines[lines.length - 1]].join('\n')}\n`);
    const r = await replay(copyOf);
    expect(r.failed).toEqual([lines.length + 1]);
    expect(failedChecks(r, lines.length + 1).map((x) => x[0])).toEqual(['link', 'rule']);
    expect(r.entries[lines.length]!.checks[2]!.failure!.message.en).toContain('the ceremony is over');
  });

  it('a torn last line and an unreadable line are shown, flagged, never dropped', async () => {
    const copyOf = copy(folder);
    const path = join(copyOf, 'transcript.jsonl');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, `${text}{"seq":99,"prev":"`);
    const r = await replay(copyOf);
    expect(r.torn).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.entries.at(-1)!.checks[0]!.failure!.code).toBe('transcript.torn');

    const garbled = copy(folder);
    const p2 = join(garbled, 'transcript.jsonl');
    const lines = readFileSync(p2, 'utf8').split('\n');
    expect(JSON.parse(lines[5]!).type).toBe('deviation');
    lines[5] = 'pas du JSON';
    writeFileSync(p2, lines.join('\n'));
    const g = await replay(garbled);
    expect(g.failed).toEqual([6]);
    expect(g.entries[5]!.checks[0]!.failure!.code).toBe('transcript.malformed');
    expect(g.entries[6]!.verdict).toBe('follows-failure');
  });

  it('a folder without a definition or a transcript is refused with a reason', async () => {
    const empty = tempDir('sceau-replay-empty-');
    const r = await replayFolder(empty);
    expect(!r.ok && r.error.code).toBe('audit.no-definition');
    const onlyDef = tempDir('sceau-replay-def-');
    cpSync(join(folder, 'election.json'), join(onlyDef, 'election.json'));
    const r2 = await replayFolder(onlyDef);
    expect(!r2.ok && r2.error.code).toBe('audit.no-transcript');
  });

  it('a refused step while online is recorded and replays as a verified deviation', async () => {
    const f = tempFolder();
    const ctx = context(new FakeTokens(), ONLINE);
    const c = await KeyCeremony.create(f, boardDefinition(2, 2), ctx);
    if (!c.ok) throw new Error(c.error.message.en);
    expect((await c.value.enrol(step(1))).ok).toBe(false);
    const r = await replay(f);
    expect(r.ok).toBe(true);
    expect(r.entries.map((e) => e.type)).toEqual(['workstation.session', 'ceremony.opened', 'deviation']);
    expect(r.sessions[0]!.offline).toBe(false);
  });
});

describe('the proofs an entry carries', () => {
  /** 3 members enrolled; member 2 publishes `cheat(honest message)`, properly signed; then the others contribute and check. */
  async function withMember2Publishing(cheat: (params: ReturnType<typeof dkgParams>, keys: ReturnType<typeof encryptionKeys>) => unknown, n = 3): Promise<string> {
    const tokens = new FakeTokens();
    const f = tempFolder();
    const c = await KeyCeremony.create(f, boardDefinition(n, 2), context(tokens));
    if (!c.ok) throw new Error(c.error.message.en);
    for (let j = 1; j <= n; j++) expect((await c.value.enrol(step(j))).ok).toBe(true);
    const message = cheat(dkgParams(c.value.state as never), encryptionKeys(c.value.state as never));
    // The board key's package as member 2's step makes it (docs/key-ceremony.md §4.4): only the election message cheats.
    const frost = boardRound1(c.value.fingerprint, 2, n, 2, tokens.stored.get('/media/token-2')!.encryptionSecret, encryptionKeys(c.value.state as never));
    const entry = makeEntry(c.value.fingerprint, c.value.entries.length, c.value.head, 'member:2', ENTRY.round1, { member: 2, message, frost }, tokens.stored.get('/media/token-2')!.identitySecret);
    writeFileSync(join(f, 'transcript.jsonl'), `${entryLine(entry)}\n`, { flag: 'a' });
    const resumed = await KeyCeremony.open(f, context(tokens));
    if (!resumed.ok) throw new Error(resumed.error.message.en);
    for (let j = 1; j <= n; j++) if (j !== 2) expect((await resumed.value.contribute(step(j))).ok).toBe(true);
    for (let j = 1; j <= n; j++) await resumed.value.checkShares(step(j));
    return f;
  }

  it('an honest round-1 message passes its proofs', async () => {
    const r = await replay(await closedCeremony());
    const round1 = r.entries.filter((e) => e.type === 'dkg.round1');
    expect(round1).toHaveLength(3);
    for (const e of round1) expect(e.checks.map((c) => [c.name, c.status])).toContainEqual(['proofs', 'passed']);
  });

  it('a signed round-1 message with a box taken from another message fails its proofs, named; the entry itself stays verified', async () => {
    const f = await withMember2Publishing((params, keys) => {
      const a = contribute(params, 2, keys);
      const b = contribute(params, 2, keys);
      return round1ToJson({ ...a, shares: a.shares.map((s, i) => (i === 2 ? b.shares[2]! : s)) });
    });
    const r = await replay(f);
    const e = r.entries.find((x) => x.type === 'dkg.round1' && x.actor === 'member:2')!;
    expect(e.verdict).toBe('verified');
    const proofs = e.checks.find((c) => c.name === 'proofs')!;
    expect(proofs.status).toBe('failed');
    expect(proofs.failure!.code).toMatch(/^dkg\.round1\./);
    expect(proofs.failure!.message.en).toContain('Member 2 is disqualified by the result');
    expect(r.ok).toBe(true);
  });

  it('a complaint against a wrong share passes its proof and says it is upheld', async () => {
    const f = await withMember2Publishing((params, keys) => {
      const honest = contribute(params, 2, keys);
      const wrong = encryptShare(params, keys, 2, commitmentsDigest(params.fingerprint, 2, honest.commitments), 3, randomScalar());
      return round1ToJson({ ...honest, shares: honest.shares.map((s, i) => (i === 2 ? wrong : s)) });
    });
    const r = await replay(f);
    const e = r.entries.find((x) => x.type === 'dkg.checked' && x.actor === 'member:3')!;
    const proofs = e.checks.find((c) => c.name === 'proofs')!;
    expect(proofs).toMatchObject({ status: 'passed', note: { en: 'Member 2 sent an invalid share to member 3.' } });
    expect(e.summary.fr).toContain('1 plainte)');
  });
});

describe('replay of an election record’s key-ceremony transcript', () => {
  const pool = new WorkerPool(0);
  afterAll(() => pool.close());
  let record: string;
  beforeAll(async () => {
    const root = tempDir('sceau-replay-record-');
    record = join(root, 'record');
    const r = await runDemo({ voters: 6, constituencies: 1, candidates: 2, members: 3, threshold: 2 }, record, join(root, 'private'), { pool });
    if (!r.ok) throw new Error(r.error.message.en);
  }, 60_000);

  it('verifies every entry against the record rules (the result recomputed)', async () => {
    const r = await replay(record);
    expect(r.kind).toBe('election-record');
    expect(r.file).toBe('keyceremony.jsonl');
    expect(r.failed).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.phase).toBe('closed');
    expect(r.entries.at(-1)!.type).toBe('ceremony.closed');
    expect(r.sessions.length).toBeGreaterThan(0);
    expect(r.folderChecks).toBeNull();
  });

  it('a changed published key fails the result entry: its signature and its rule', async () => {
    const copyOf = copy(record);
    const lines = readFileSync(join(copyOf, 'keyceremony.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const result = lines.findIndex((l) => l.includes('"type":"dkg.result"')) + 1;
    alter(copyOf, 'keyceremony.jsonl', result, (e) => (e.payload.result.publicKey = e.payload.result.verificationKeys[0]));
    const r = await replay(copyOf);
    expect(r.failed[0]).toBe(result);
    expect(failedChecks(r, result)).toEqual([
      ['signature', 'transcript.signature'],
      ['rule', 'ceremony.entry'],
    ]);
  });
});

describe('replay of an election record’s tally transcript', () => {
  const pool = new WorkerPool(0);
  afterAll(() => pool.close());
  let record: string;
  beforeAll(async () => {
    const root = tempDir('sceau-replay-tally-');
    record = join(root, 'record');
    const r = await runDemo({ voters: 8, constituencies: 2, candidates: 2, members: 3, threshold: 2 }, record, join(root, 'private'), { pool });
    if (!r.ok) throw new Error(r.error.message.en);
  }, 60_000);

  const tally = async (dir: string): Promise<TranscriptReplay> => {
    const r = await replayRecordTally(dir);
    if (!r.ok) throw new Error(r.error.message.en);
    return r.value;
  };

  it('verifies every entry against the record’s files: open, import, shuffles, partials, results', async () => {
    const r = await tally(record);
    expect(r.kind).toBe('tally');
    expect(r.failed).toEqual([]);
    expect(r.ok).toBe(true);
    expect(new Set(r.entries.map((e) => e.type))).toEqual(
      new Set([
        'workstation.session',
        'tally.open',
        'tally.import',
        'tally.receipts',
        'tally.shuffle',
        'tally.decryption',
        'tally.count',
        'tally.signature',
        'tally.board-commitments',
        'tally.board-round',
        'tally.board-share',
        'tally.board-signature',
        'tally.results',
      ]),
    );
    expect(r.phase).toBe('closed');
  });

  it('a results file changed after the tally fails the count and results entries only, their signatures intact', async () => {
    const copyOf = copy(record);
    const path = join(copyOf, 'results.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"votants": ', '"votants": 1'));
    const r = await tally(copyOf);
    const last = r.entries.length;
    const count = r.entries.find((e) => e.type === 'tally.count')!.line;
    expect(r.failed).toEqual([count, last]);
    expect(failedChecks(r, count)).toEqual([['rule', 'tally.entry']]);
    expect(failedChecks(r, last)).toEqual([['rule', 'tally.entry']]);
  });

  it('a shuffle replaced in a tally file fails its shuffle entry, naming the constituency', async () => {
    const copyOf = copy(record);
    const path = join(copyOf, 'tally', 'c001.json');
    const t = JSON.parse(readFileSync(path, 'utf8'));
    t.shuffles[1] = t.shuffles[0];
    writeFileSync(path, JSON.stringify(t));
    const r = await tally(copyOf);
    const bad = r.entries.filter((e) => e.verdict === 'failed');
    expect(bad.map((e) => [e.type, (e.payload as any).constituency, (e.payload as any).round])).toEqual([['tally.shuffle', 'c001', 2]]);
    expect(bad[0]!.checks[2]!.failure!.message.en).toContain('shuffle 2 of c001 is not the one in tally/c001.json');
  });

  it('a tally that does not start from this key ceremony fails its opening; a ceremony folder has no tally', async () => {
    const copyOf = copy(record);
    const lines = readFileSync(join(copyOf, 'keyceremony.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    alter(copyOf, 'keyceremony.jsonl', lines.length, (e) => (e.time = '2020-01-01T00:00:00.000Z'));
    const r = await tally(copyOf);
    // Line 1 is the workstation's session; line 2 opens the tally.
    expect(failedChecks(r, 2)).toEqual([['rule', 'tally.open-entry']]);
    const folder = await closedCeremony();
    const refused = await replayRecordTally(folder);
    expect(!refused.ok && refused.error.code).toBe('audit.not-record');
  });
});
