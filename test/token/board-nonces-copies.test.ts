/**
 * No copy of a token holding the board nonces σ (docs/token.md §2.5): a backup drive, a paper backup, split
 * cards, a restore, or a same-identity rewrite bringing σ back onto a file that no longer holds it are all
 * refused (`token.board.nonces-pending`); the same token without σ is copied as before, and the first visit
 * (σ sealed over the very file it was resealed from) still writes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { G } from '../../src/core/crypto/group.js';
import { combineCards, paperBackup, resealBoardNonces, resealWithKeyShare, restorePaperBackup, splitTokenIntoCards, toQrPayloads, writeBackupToken, writeToken } from '../../src/core/token/index.js';
import { expectFailure, FAST, FP, makeToken, PASS } from '../helpers/tokens.js';

// Cards of a token holding σ, as a version without this rule made them: the split's own check is lifted while they are made.
const lifted = vi.hoisted(() => ({ on: false }));
vi.mock('../../src/core/token/pending.js', async (original) => {
  const real = await original<typeof import('../../src/core/token/pending.js')>();
  return { ...real, refuseWhileNoncesPending: (...a: Parameters<typeof real.refuseWhileNoncesPending>) => (lifted.on ? { ok: true, value: undefined } : real.refuseWhileNoncesPending(...a)) };
});

const dirs: string[] = [];
const drive = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sceau-nonces-copy-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const nonces = { seed: new Uint8Array(32).fill(9), messagesSha256: new Uint8Array(32).fill(1), commitmentsSha256: new Uint8Array(32).fill(2) };
const expect2 = { fingerprint: FP, member: 2 };

/** Member 2's token with a board share, and the same resealed with σ. */
async function tokens(): Promise<{ plain: string; pending: string }> {
  const { text } = await makeToken(2);
  const share = { member: 2, secret: 12345n, verificationKey: G.multiply(12345n), publicKey: G.multiply(777n), board: { secret: 4242n, verifyingShare: G.multiply(4242n), key: G.multiply(99n) } };
  const plain = await resealWithKeyShare(text, PASS, expect2, share, FAST);
  if (!plain.ok) throw new Error(plain.error.message.en);
  const pending = await resealBoardNonces(plain.value, PASS, expect2, nonces, FAST);
  if (!pending.ok) throw new Error(pending.error.message.en);
  return { plain: plain.value, pending: pending.value };
}

function expectPending(r: Parameters<typeof expectFailure>[0]): void {
  const m = expectFailure(r, 'token.board.nonces-pending');
  expect(m.fr).toContain("Faites d'abord le second passage de la signature du bureau, ou demandez à la présidence de reprendre la signature.");
  expect(m.fr).toContain('Jean Martin (membre 2)');
  expect(m.en).toContain("First make the second visit of the board's signature, or ask the president to restart the signature.");
}

describe('a token holding the board nonces is never copied', () => {
  it('refuses the backup drive, the paper backup and the split cards; accepts them without σ', async () => {
    const { plain, pending } = await tokens();
    const d1 = drive();
    const w = await writeToken(d1, pending);
    if (!w.ok) throw new Error(w.error.message.en);
    expectPending(await writeBackupToken(w.value.path, drive()));
    expectPending(paperBackup(pending));
    expectPending(await splitTokenIntoCards(pending, 2, 3));
    const d2 = drive();
    const p = await writeToken(d2, plain);
    if (!p.ok) throw new Error(p.error.message.en);
    const b = await writeBackupToken(p.value.path, drive());
    expect(b.ok && readFileSync(b.value.path, 'utf8')).toBe(plain);
    expect(paperBackup(plain).ok).toBe(true);
    expect((await splitTokenIntoCards(plain, 2, 3)).ok).toBe(true);
  });

  it('refuses to restore a paper backup or cards that hold σ (made before this rule); restores them without σ', async () => {
    const { plain, pending } = await tokens();
    const qr = (t: string): string[] => toQrPayloads(new TextEncoder().encode(t), FP);
    expectPending(restorePaperBackup(qr(pending), expect2));
    expect(restorePaperBackup(qr(plain), expect2)).toEqual({ ok: true, value: plain });
    lifted.on = true;
    const old = await splitTokenIntoCards(pending, 2, 3);
    lifted.on = false;
    if (!old.ok) throw new Error(old.error.message.en);
    expectPending(await combineCards(old.value.slice(0, 2), expect2));
    const cards = await splitTokenIntoCards(plain, 2, 3);
    if (!cards.ok) throw new Error(cards.error.message.en);
    expect(await combineCards(cards.value.slice(1), expect2)).toEqual({ ok: true, value: plain });
  });

  it('refuses a same-identity rewrite that brings σ back; lets the first visit seal σ over the file it read', async () => {
    const { plain, pending } = await tokens();
    const d = drive();
    const first = await writeToken(d, plain);
    if (!first.ok) throw new Error(first.error.message.en);
    expectPending(await writeToken(d, pending, { replace: 'same-identity' }));
    expectPending(await writeToken(d, pending, { replace: 'same-identity', noncesSealedFrom: `${plain} ` }));
    expect(readFileSync(first.value.path, 'utf8')).toBe(plain);
    const visit = await writeToken(d, pending, { replace: 'same-identity', noncesSealedFrom: plain });
    expect(visit.ok && readFileSync(visit.value.path, 'utf8')).toBe(pending);
    // While the file holds σ, its erasure (and a new σ on a restart) replaces it.
    const erased = await resealBoardNonces(pending, PASS, expect2, null, FAST);
    if (!erased.ok) throw new Error(erased.error.message.en);
    expect((await writeToken(d, erased.value, { replace: 'same-identity' })).ok).toBe(true);
    expectPending(await writeToken(d, pending, { replace: 'same-identity' }));
  });
});
