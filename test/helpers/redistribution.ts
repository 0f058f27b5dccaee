/**
 * Test helpers of the redistribution ceremony (src/core/ceremony/redistribution): in-memory tokens that
 * also open old tokens for their shares and erase them, a closed key ceremony made with them, and the
 * redistribution's script run for a scenario.
 */
import { KeyCeremony } from '../../src/core/ceremony/key/ceremony.js';
import { RedistributionCeremony, type BoardChange } from '../../src/core/ceremony/redistribution/ceremony.js';
import type { OldTokenSecrets, RedistributionContext, RedistributionTokenPort } from '../../src/core/ceremony/redistribution/ports.js';
import type { TokenExpectations, TokenLocation } from '../../src/core/ceremony/key/ports.js';
import { fail, ok, type Result } from '../../src/core/common/result.js';
import { FakeTokens } from './fake-tokens.js';
import { boardDefinition, context, step, tempFolder } from './key-ceremony.js';
import { checkedWithBadBoardBox } from './board-complaint.js';

export class RedistributionFakeTokens extends FakeTokens implements RedistributionTokenPort {
  /** The tokens erased after their destruction was confirmed, kept here so that a test can still sign as their holder. */
  readonly erased = new Map<string, NonNullable<ReturnType<FakeTokens['stored']['get']>>>();

  /** The identity secret of whoever holds the token on `drive`, erased or not (to re-sign a tampered entry). */
  identitySecretOn(drive: string): Uint8Array {
    return (this.stored.get(drive) ?? this.erased.get(drive))!.identitySecret;
  }

  async openOld(at: TokenLocation, passphrase: string, expect: TokenExpectations): Promise<Result<OldTokenSecrets>> {
    const opened = await this.open(at, passphrase, expect);
    if (!opened.ok) return opened;
    const s = this.stored.get(at.drive)!;
    if (s.keyShare === undefined) return fail('redistribution.old-token', 'pas de fragment', 'no share', at.drive);
    const board = s.keyShare.board;
    return ok({
      identityKey: s.identityKey,
      identitySecret: s.identitySecret.slice(),
      keyShare: s.keyShare.secret,
      verificationKey: s.keyShare.verificationKey,
      publicKey: s.keyShare.publicKey,
      ...(board === undefined ? {} : { board: { secret: board.secret, verifyingShare: board.verifyingShare, key: board.key } }),
    });
  }

  async erase(at: TokenLocation): Promise<Result<boolean>> {
    const s = this.stored.get(at.drive);
    if (s !== undefined) this.erased.set(at.drive, s);
    return ok(this.stored.delete(at.drive));
  }
}

export function must<T>(r: Result<T>, what = ''): T {
  if (!r.ok) throw new Error(`${what} ${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

export const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Member j's token on the drive of the key ceremony (`/media/token-j`). */
export const oldStep = step;
/** Member j's NEW token, on another drive: a continuing member keeps the old one until they destroy it. */
export const newStep = (j: number) => ({ member: j, token: { drive: `/media/new-token-${j}`, label: `NOUVEAU${j}`, size: 8_000_000_000 }, passphrase: `nouvelle phrase du membre ${j}` });

export function redistributionContext(tokens: RedistributionFakeTokens, extra: Partial<RedistributionContext> = {}): RedistributionContext {
  return { ...context(tokens), ...extra, tokens };
}

/**
 * A closed key ceremony, every member present, with in-memory tokens on `/media/token-j`; with `atFault`, that dealer
 * deals its recipient a bad board-key box, the complaint is upheld and the dealer holds no usable share (key-ceremony.md §4.4).
 */
export async function closedKeyCeremony(n: number, t: number, tokens: RedistributionFakeTokens, atFault?: { dealer: number; recipient: number }): Promise<string> {
  const folder = tempFolder('cle');
  let c = must(await KeyCeremony.create(folder, boardDefinition(n, t), context(tokens)), 'create');
  for (const act of ['enrol', 'contribute', 'checkShares'] as const) {
    for (const j of range(n)) {
      if (act === 'checkShares' && j === atFault?.dealer) c = await checkedWithBadBoardBox(c, j, atFault.recipient, tokens.stored.get(step(j).token.drive)!, context(tokens));
      else must(await c[act](step(j)), `${act} ${j}`);
    }
  }
  must(await c.publishResult(), 'result');
  for (const act of ['seal', 'confirm'] as const) for (const j of range(n)) must(await c[act](step(j)), `${act} ${j}`);
  must(await c.close(), 'close');
  return folder;
}

/** The usual change: member 2 leaves, member 6 joins, t stays 3, old members 1, 3, 4 deal. */
export function leaveAndJoin(names: Record<number, string> = {}): BoardChange {
  const members = [1, 3, 4, 5, 6].map((j) => ({ index: j, name: names[j] ?? `Membre ${j}`, role: j === 1 ? 'Conseil d’État' : 'AFE', president: j === 1 }));
  return { dealers: [1, 3, 4], members, threshold: 3, reason: 'Démission du membre 2 (décret du 3 mai).' };
}

/** Runs a redistribution's whole script from `from` (a closed key ceremony or redistribution) to its closing. */
export async function runRedistribution(from: string, change: BoardChange, tokens: RedistributionFakeTokens, o: { oldStep?: typeof oldStep; newStep?: typeof newStep } = {}) {
  const olds = o.oldStep ?? oldStep;
  const news = o.newStep ?? newStep;
  const folder = tempFolder('redistribution');
  const ctx = redistributionContext(tokens);
  const c = must(await RedistributionCeremony.create(folder, from, change, ctx), 'create');
  const newMembers = change.members.map((m) => m.index);
  for (const j of newMembers) must(await c.enrol(news(j)), `enrol ${j}`);
  for (const i of change.dealers) must(await c.deal(olds(i)), `deal ${i}`);
  for (const j of newMembers) must(await c.check(news(j)), `check ${j}`);
  must(await c.publishResult(), 'result');
  for (const j of newMembers) must(await c.seal(news(j)), `seal ${j}`);
  for (const i of change.dealers) must(await c.confirmDestruction(olds(i)), `destroy ${i}`);
  const file = must(await c.close(), 'close');
  return { folder, c, file, ctx };
}

export { tempFolder };
