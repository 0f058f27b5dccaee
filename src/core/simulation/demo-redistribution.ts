/**
 * `sceau demo --redistribute` (docs/redistribution.md §15): after the simulated key ceremony, a
 * redistribution run through the real script of src/core/ceremony/redistribution with demo tokens (the
 * demo's token folders, ./demo-token.ts): member 2 leaves, a new member n + 1 joins, the threshold stays;
 * the old members 1, 3, … deal (the first t of them but member 2), every new member gets a new demo token in
 * PRIVATE/tokens/new-member-j, and the dealers confirm the destruction of their old tokens (their folders'
 * token.json erased). The tally then runs on the redistribution's folder with the new tokens.
 */
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { generateIdentityKey } from '../crypto/signature.js';
import { ok, type Result } from '../common/result.js';
import type { ElectionDefinition } from '../election/definition.js';
import { RedistributionCeremony, type BoardChange } from '../ceremony/redistribution/ceremony.js';
import type { OldTokenSecrets, RedistributionTokenPort } from '../ceremony/redistribution/ports.js';
import type { SessionContext } from '../ceremony/workstation.js';
import { demoKeyCeremonyTokens } from './demo-ports.js';
import { readToken } from './demo-token.js';
import { pointToHex } from '../crypto/group.js';
import { fail } from './failures.js';

/** The demo's change of board: member 2 leaves, member n + 1 joins, t unchanged; the first t old members but 2 deal. */
export function demoBoardChange(def: ElectionDefinition): BoardChange {
  const n = def.board.members.length;
  const t = def.board.threshold;
  const staying = def.board.members.filter((m) => m.index !== 2).map((m) => ({ index: m.index, name: m.name, role: m.role, president: m.president }));
  const joining = { index: n + 1, name: `Membre ${n + 1} (nouveau)`, role: 'Nouveau membre', president: false };
  return { dealers: staying.slice(0, t).map((m) => m.index), members: [...staying, joining], threshold: t, reason: 'Démonstration\u00a0: le membre 2 quitte le bureau, un nouveau membre le rejoint.' };
}

/** Hazardous: demo tokens for a redistribution: new tokens with fresh identity keys, old tokens read for their shares, then erased. */
export function demoRedistributionTokens(n: number): RedistributionTokenPort {
  // Index j − 1 is new member j's identity: made fresh, never the old token's.
  const fresh = Array.from({ length: n + 1 }, () => generateIdentityKey());
  const tokens = demoKeyCeremonyTokens(fresh);
  return {
    ...tokens,
    async openOld(at, _passphrase, expect): Promise<Result<OldTokenSecrets>> {
      const t = await readToken(at.drive);
      if (!t.ok) return t;
      const { identity, share, member } = t.value;
      if (member !== expect.member || share === undefined)
        return fail(
          'token.member',
          `Le jeton de ${at.drive} n'est pas un jeton scellé du membre ${expect.member}.`,
          `The token in ${at.drive} is not a sealed token of member ${expect.member}.`,
          at.drive,
        );
      return ok({
        identityKey: identity.publicKey,
        identitySecret: identity.secretKey,
        keyShare: share.keyShare,
        verificationKey: pointToHex(share.verificationKey),
        publicKey: pointToHex(share.electionKey),
        ...(share.board === undefined ? {} : { board: { secret: share.board.secret, verifyingShare: pointToHex(share.board.verifyingShare), key: pointToHex(share.board.key) } }),
      });
    },
    async erase(at) {
      return unlink(join(at.drive, 'token.json')).then(
        () => ok(true),
        () => ok(false),
      );
    },
  };
}

/** Where new member j's demo token is. */
export function newMemberToken(tokensDir: string, j: number): { drive: string; label: string; size: number } {
  return { drive: join(tokensDir, `new-member-${j}`), label: `new-member-${j}`, size: 0 };
}

/** Hazardous: the whole redistribution, every member's step in turn, into `folder`; its folder once closed. */
export async function runDemoRedistribution(def: ElectionDefinition, keyCeremonyFolder: string, folder: string, tokensDir: string, workstation: SessionContext): Promise<Result<string>> {
  const change = demoBoardChange(def);
  const created = await RedistributionCeremony.create(folder, keyCeremonyFolder, change, { ...workstation, tokens: demoRedistributionTokens(def.board.members.length) });
  if (!created.ok) return created;
  const c = created.value;
  const board = change.members.map((m) => m.index);
  const old = (i: number) => ({ member: i, token: { drive: join(tokensDir, `member-${i}`), label: `member-${i}`, size: 0 }, passphrase: '' });
  const fresh = (j: number) => ({ member: j, token: newMemberToken(tokensDir, j), passphrase: '' });
  for (const j of board) await mkdir(fresh(j).token.drive, { recursive: true });
  const steps: (() => Promise<Result<unknown>>)[] = [
    ...board.map((j) => () => c.enrol(fresh(j))),
    ...change.dealers.map((i) => () => c.deal(old(i))),
    ...board.map((j) => () => c.check(fresh(j))),
    () => c.publishResult(),
    ...board.map((j) => () => c.seal(fresh(j))),
    ...change.dealers.map((i) => () => c.confirmDestruction(old(i))),
    () => c.close(),
  ];
  for (const s of steps) {
    const r = await s();
    if (!r.ok) return r;
  }
  return ok(folder);
}
