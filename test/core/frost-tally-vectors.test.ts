/**
 * Known-answer vectors for what the board signs at the tally (docs/vectors/frost-tally.json, docs/record.md §7):
 * the PV message and the results message (the PVs' hashes), with the 2-of-3 board key of
 * docs/vectors/frost.json, signed by members 1 and 3 with fixed nonce randomness. The ceremony's messages
 * (src/core/election/board-messages.ts) and the verifier's own (src/core/verifier/board-check.ts) must both
 * give these bytes. Regenerate after an intended change with
 *   SCEAU_WRITE_VECTORS=1 npx vitest run test/core/frost-tally-vectors
 * and review the diff: any change here changes the protocol.
 * `twoVisits` adds the board signature as the tally makes it in two visits (docs/tally-ceremony.md §4,
 * docs/protocol.md §12.8): each member's nonces drawn from a 32-byte seed (`commitFromSeed`), and the
 * hashes its entries carry (messagesSha256, the member's own commitments as their token binds them, the
 * lists' hash the round fixes, each list's hash), then the shares and signatures.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { aggregate, commit, commitFromSeed, groupFromJson, signShare, signatureToHex, verifyBoardSignature } from '../../src/core/crypto/frost/index.js';
import { commitmentListsJson, commitmentListsSha256, listSha256, messageHashes, messagesSha256, ownCommitmentsSha256 } from '../../src/core/ceremony/tally/board-hashes.js';
import { boardPvMessage, boardResultsMessage } from '../../src/core/election/board-messages.js';
import { pvSha256 } from '../../src/core/election/pv-seal.js';
import type { Pv } from '../../src/core/election/results.js';
import { pvMessage, resultsMessage } from '../../src/core/verifier/board-check.js';
import { value } from './frost-helpers.js';

const file = join(import.meta.dirname, '../../docs/vectors/frost-tally.json');
const board = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/vectors/frost.json'), 'utf8')) as {
  fingerprint: string;
  pv: Pv;
  message: string;
  signingShares: { member: number; share: string }[];
  group: unknown;
};
const utf8 = new TextEncoder();
const bytesOf = (label: string): Uint8Array => sha512(utf8.encode(label)).subarray(0, 32);

const PVS: Pv[] = [board.pv, { constituency: '75-02', inscrits: 900, votants: 0, aVoteParInternet: 3, blancs: 0, nuls: 0, exprimes: 0, votes: [0, 0, 0] }];

function sign(message: Uint8Array, label: string): { signature: string; commitments: unknown[]; shares: string[] } {
  const group = value(groupFromJson(board.group, { t: 2, n: 3 }));
  const signers = [1, 3].map((m) => {
    const randomness = [bytesOf(`${label}-hiding-${m}`), bytesOf(`${label}-binding-${m}`)];
    let k = 0;
    const share = { member: m, share: fromHex(board.signingShares[m - 1]!.share) };
    return { share, round: commit(share, () => randomness[k++]!) };
  });
  const commitments = signers.map((s) => s.round.commitment);
  const shares = signers.map((s) => value(signShare(group, s.share, s.round.nonces, commitments, message)));
  return {
    signature: signatureToHex(value(aggregate(group, commitments, message, shares))),
    commitments: commitments.map((c) => ({ member: c.member, hiding: toHex(c.hiding), binding: toHex(c.binding) })),
    shares: shares.map((s) => toHex(s.share)),
  };
}

/** Both visits of members 1 and 3 over the PV and the results, nonces from the seeds "tally-seed-m". */
function twoVisits(messages: readonly Uint8Array[]) {
  const group = value(groupFromJson(board.group, { t: 2, n: 3 }));
  const signers = [1, 3].map((m) => {
    const share = { member: m, share: fromHex(board.signingShares[m - 1]!.share) };
    const seed = bytesOf(`tally-seed-${m}`);
    const made = messages.map((_, k) => commitFromSeed(share, seed, k));
    return { member: m, share, seed, made, json: made.map((x) => ({ hiding: toHex(x.commitment.hiding), binding: toHex(x.commitment.binding) })) };
  });
  const json = commitmentListsJson(
    signers.map((s) => s.member),
    new Map(signers.map((s) => [s.member, s.json])),
    messages.length,
  );
  const shares = signers.map((s) =>
    messages.map((m, k) =>
      value(
        signShare(
          group,
          s.share,
          s.made[k]!.nonces,
          signers.map((x) => x.made[k]!.commitment),
          m,
        ),
      ),
    ),
  );
  return {
    messageSha256: messageHashes(messages),
    messagesSha256: messagesSha256(messages),
    members: signers.map((s, i) => ({
      member: s.member,
      seed: toHex(s.seed),
      commitments: s.json,
      ownCommitmentsSha256: ownCommitmentsSha256(s.json),
      shares: shares[i]!.map((x) => toHex(x.share)),
    })),
    listSha256: json.map(listSha256),
    commitmentsSha256: commitmentListsSha256(json),
    signatures: messages.map((m, k) =>
      signatureToHex(
        value(
          aggregate(
            group,
            signers.map((x) => x.made[k]!.commitment),
            m,
            shares.map((x) => x[k]!),
          ),
        ),
      ),
    ),
  };
}

function compute() {
  const fp = fromHex(board.fingerprint);
  const pv = boardPvMessage(fp, PVS[0]!);
  const results = boardResultsMessage(fp, PVS);
  return {
    description:
      'What the board signs at the tally (docs/record.md §7): the PV message and the results message, with the board key, fingerprint and signing shares of docs/vectors/frost.json; members 1 and 3 sign, nonce randomness the first half of SHA-512(utf8(label)) for the labels "tally-pv-{hiding,binding}-m" and "tally-results-{hiding,binding}-m". twoVisits: the same two messages signed as the tally does it in two visits (tally-ceremony.md §4), each member\'s nonces from the seed the first half of SHA-512(utf8("tally-seed-m")) (protocol.md §12.8), with the hashes the entries carry.',
    pvs: PVS,
    pvSha256: PVS.map(pvSha256),
    pvMessage: toHex(pv),
    pvSignature: sign(pv, 'tally-pv'),
    resultsMessage: toHex(results),
    resultsSignature: sign(results, 'tally-results'),
    twoVisits: twoVisits([pv, results]),
  };
}

describe('the tally board messages, known answers', () => {
  const actual = JSON.parse(JSON.stringify(compute()));
  if (process.env.SCEAU_WRITE_VECTORS === '1') writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  const expected = JSON.parse(readFileSync(file, 'utf8'));
  const fp = fromHex(board.fingerprint);
  const key = fromHex((board.group as { groupKey: string }).groupKey);

  it('the code reproduces docs/vectors/frost-tally.json exactly', () => {
    expect(actual).toEqual(expected);
  });

  it('the two visits: nonces from a seed are deterministic, per message and member, and their signatures verify', () => {
    const v = expected.twoVisits as { members: { commitments: { hiding: string }[] }[]; signatures: string[] };
    const [one, three] = v.members;
    expect(one!.commitments[0]!.hiding).not.toBe(one!.commitments[1]!.hiding);
    expect(one!.commitments[0]!.hiding).not.toBe(three!.commitments[0]!.hiding);
    expect(verifyBoardSignature(key, fromHex(expected.pvMessage), fromHex(v.signatures[0]!)).ok).toBe(true);
    expect(verifyBoardSignature(key, fromHex(expected.resultsMessage), fromHex(v.signatures[1]!)).ok).toBe(true);
    expect(() => commitFromSeed({ member: 1, share: fromHex(board.signingShares[0]!.share) }, new Uint8Array(31), 0)).toThrow();
  });

  it("the PV message is protocol.md §12.5's, the one frost.json signs", () => {
    expect(expected.pvMessage).toBe(board.message);
  });

  it("the verifier's own messages are the same bytes", () => {
    expect(toHex(pvMessage(fp, PVS[0]!))).toBe(expected.pvMessage);
    expect(toHex(resultsMessage(fp, PVS))).toBe(expected.resultsMessage);
  });

  it('each signature verifies under the board key alone; not for the other message, nor once a figure or a PV hash changes', () => {
    expect(verifyBoardSignature(key, fromHex(expected.pvMessage), fromHex(expected.pvSignature.signature)).ok).toBe(true);
    expect(verifyBoardSignature(key, fromHex(expected.resultsMessage), fromHex(expected.resultsSignature.signature)).ok).toBe(true);
    expect(verifyBoardSignature(key, fromHex(expected.resultsMessage), fromHex(expected.pvSignature.signature)).ok).toBe(false);
    const changed = boardPvMessage(fp, { ...PVS[0]!, nuls: PVS[0]!.nuls + 1 });
    expect(verifyBoardSignature(key, changed, fromHex(expected.pvSignature.signature))).toMatchObject({ ok: false, error: { code: 'frost.signature.invalid' } });
    const other = boardResultsMessage(fp, [PVS[0]!, { ...PVS[1]!, aVoteParInternet: 4 }]);
    expect(verifyBoardSignature(key, other, fromHex(expected.resultsSignature.signature)).ok).toBe(false);
  });
});
