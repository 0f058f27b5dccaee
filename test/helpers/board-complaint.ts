/**
 * A forged board-key complaint (docs/key-ceremony.md §4.4) for the tests: a member's sealing rewritten as a
 * complaint about a dealer's box, whatever the box holds, properly made with the member's token key and signed by
 * them, so that only the rules' settling of the complaint can judge it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILES, KeyCeremony } from '../../src/core/ceremony/key/ceremony.js';
import { boardInput, foldKeyCeremony } from '../../src/core/ceremony/key/state.js';
import type { CeremonyContext } from '../../src/core/ceremony/key/ports.js';
import { boardBoxToJson, boardComplaintToJson, makeBoardComplaint, sealBoardShares } from '../../src/core/crypto/frost/index.js';
import { boardDealing } from '../../src/core/ceremony/key/board-key.js';
import { ENTRY } from '../../src/core/ceremony/key/entries.js';
import { randomScalar, scalarToBytes } from '../../src/core/crypto/group.js';
import { entryLine, makeEntry } from '../../src/core/transcript/transcript.js';
import type { FakeTokens } from './fake-tokens.js';

function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: { en: string } } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

/**
 * The ceremony whose last entry, member j's sealing, is rewritten as a forger would: a complaint about `dealer`'s
 * box in place of their verifying share, signed by j (their token stays sealed as their step left it); reopened.
 */
export async function lastSealingAsComplaint(c: KeyCeremony, tokens: FakeTokens, dealer: number, ctx: CeremonyContext): Promise<KeyCeremony> {
  const last = c.entries.at(-1)!;
  const j = Number(last.actor.split(':')[1]);
  const input = boardInput(must(foldKeyCeremony(c.definition, c.fingerprint, c.entries.slice(0, -1))));
  const stored = tokens.stored.get(`/media/token-${j}`)!;
  const binding = { fingerprint: input.fingerprint, params: { t: input.t, n: input.n, members: [...input.members] }, dealer: input.board.round1.get(dealer)! };
  const box = input.board.boxes.get(dealer)!.find((x) => x.recipient === j)!;
  const complaint = makeBoardComplaint({ binding, complainer: j, complainerKey: input.encryptionKeys[j - 1]!, box }, stored.encryptionSecret);
  const payload = { ...(last.payload as Record<string, unknown>), board: { complaints: [boardComplaintToJson(complaint)] } };
  const forged = makeEntry(c.fingerprint, last.seq, last.prev, last.actor, last.type, payload, stored.identitySecret);
  writeFileSync(join(c.folder, FILES.transcript), [...c.entries.slice(0, -1), forged].map((e) => `${entryLine(e)}\n`).join(''));
  return must(await KeyCeremony.open(c.folder, ctx));
}

/**
 * Member `dealer`'s checking step (3b) as a dishonest dealer makes it: their election part as their own step would
 * (every share dealt to them valid), but the board-key box for `recipient` holds a random share, so that the
 * recipient's sealing complains and the complaint is upheld (the dealer at fault, docs/key-ceremony.md §4.4). The
 * entry is signed with the dealer's identity key and appended; the ceremony is reopened.
 */
export async function checkedWithBadBoardBox(
  c: KeyCeremony,
  dealer: number,
  recipient: number,
  secrets: { readonly identitySecret: Uint8Array; readonly encryptionSecret: bigint },
  ctx: CeremonyContext,
): Promise<KeyCeremony> {
  const input = boardInput(c.state as Parameters<typeof boardInput>[0]);
  const dealt = must(boardDealing(input, dealer, secrets.encryptionSecret));
  const pkg = input.board.round1.get(dealer)!;
  const params = { t: input.t, n: input.n, members: [...input.members] };
  const wrong = sealBoardShares({ fingerprint: c.fingerprint, params, dealer: pkg }, input.encryptionKeys, [{ from: dealer, to: recipient, share: scalarToBytes(randomScalar()) }]).map(
    boardBoxToJson,
  )[0]!;
  const frostShares = dealt.map((x) => (x.recipient === recipient ? wrong : x));
  const findings = input.members.map((i) => ({ dealer: i, status: 'valid' }));
  const payload = { member: dealer, findings, complaints: [], frostShares };
  const forged = makeEntry(c.fingerprint, c.entries.length, c.head, `member:${dealer}`, ENTRY.checked, payload, secrets.identitySecret);
  writeFileSync(join(c.folder, FILES.transcript), `${entryLine(forged)}\n`, { flag: 'a' });
  return must(await KeyCeremony.open(c.folder, ctx));
}
