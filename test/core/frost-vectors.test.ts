/**
 * Known-answer vectors for the board signature (docs/vectors/frost.json, docs/protocol.md §12): a 2-of-3
 * board key made by the DKG from fixed seeds (`dkgRound1FromSeed`), its round-1 packages and public data,
 * a framed PV message, and a signature by members 1 and 3 with fixed nonce randomness (RFC 9591 §4.1:
 * 32 bytes per nonce). Regenerate after an intended change with
 *   SCEAU_WRITE_VECTORS=1 npx vitest run test/core/frost-vectors
 * and review the diff: any change here changes the protocol.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import { encode } from '../../src/core/crypto/encoding.js';
import {
  aggregate,
  boardMessage,
  commit,
  dkgFinish,
  dkgRound1FromSeed,
  dkgRound2,
  groupFromJson,
  groupFromRound1,
  groupToJson,
  nonceCommitmentToJson,
  round1FromJson,
  round1ToJson,
  round2ShareToJson,
  signShare,
  signatureFromHex,
  signatureShareToJson,
  signatureToHex,
  verifyBoardSignature,
  type Round1Package,
} from '../../src/core/crypto/frost/index.js';
import { value } from './frost-helpers.js';

const file = join(import.meta.dirname, '../../docs/vectors/frost.json');
const utf8 = new TextEncoder();
const params = { t: 2, n: 3 };

/** 32 bytes named by a label: SHA-512(utf8(label)), first half. */
function bytesOf(label: string): Uint8Array {
  return sha512(utf8.encode(label)).subarray(0, 32);
}

function compute() {
  const fingerprint = bytesOf('frost-vector-fingerprint');
  const seeds = [1, 2, 3].map((i) => bytesOf(`frost-vector-seed-${i}`));
  const rounds = seeds.map((seed, k) => dkgRound1FromSeed(params, k + 1, seed));
  const packages = rounds.map((r) => r.package);
  const dealt = rounds.map((r) => value(dkgRound2(r.state, packages)));
  const outcomes = rounds.map((r, k) =>
    value(
      dkgFinish(
        r.state,
        packages,
        dealt.flat().filter((s) => s.to === k + 1),
      ),
    ),
  );
  const group = outcomes[0]!.group;
  const items = { constituency: '75-01', inscrits: 1200, votants: 830, aVoteParInternet: 830, blancs: 10, nuls: 20, exprimes: 800, votes: [500, 300] };
  const message = boardMessage(DOMAIN.frostPv, fingerprint, (e) =>
    e
      .string(items.constituency)
      .integer(items.inscrits)
      .integer(items.votants)
      .integer(items.aVoteParInternet)
      .integer(items.blancs)
      .integer(items.nuls)
      .integer(items.exprimes)
      .list(items.votes, (e, n) => e.integer(n)),
  );
  const signers = [1, 3].map((m) => {
    const randomness = [bytesOf(`frost-vector-hiding-${m}`), bytesOf(`frost-vector-binding-${m}`)];
    let k = 0;
    return { m, randomness, round: commit(outcomes[m - 1]!.signingShare, () => randomness[k++]!) };
  });
  const commitments = signers.map((s) => s.round.commitment);
  const shares = signers.map((s) => value(signShare(group, outcomes[s.m - 1]!.signingShare, s.round.nonces, commitments, message)));
  const signature = value(aggregate(group, commitments, message, shares));
  return {
    description:
      'Sceau board signature (FROST, RFC 9591, FROST-RISTRETTO255-SHA512-v1), 2-of-3, fixed seeds (test/core/frost-vectors.test.ts). Every 32-byte input is the first half of SHA-512(utf8(label)) for the label in the test. Round 1 of member i is dkgRound1FromSeed(seed_i) (docs/protocol.md §12.2: noble turns the stream into scalars; a verifier needs only the packages). The message is boardMessage(sceau/v1/frost/pv, fingerprint, the PV items of §12.5). Nonces: RFC 9591 §4.1 nonce_generate with the given 32 bytes of randomness, hiding first.',
    params,
    fingerprint: toHex(fingerprint),
    seeds: seeds.map(toHex),
    seedStreamFirstBlock: toHex(sha512(encode((e) => e.string(DOMAIN.frostDkgSeed).bytes(seeds[0]!).integer(1).integer(0)))),
    round1: packages.map(round1ToJson),
    round2: dealt.flat().map(round2ShareToJson),
    signingShares: outcomes.map((o) => ({ member: o.signingShare.member, share: toHex(o.signingShare.share) })),
    group: groupToJson(group),
    pv: items,
    message: toHex(message),
    signing: signers.map((s) => ({ member: s.m, hidingRandomness: toHex(s.randomness[0]!), bindingRandomness: toHex(s.randomness[1]!) })),
    commitments: commitments.map(nonceCommitmentToJson),
    signatureShares: shares.map(signatureShareToJson),
    signature: signatureToHex(signature),
  };
}

describe('board signature known-answer vectors', () => {
  const actual = JSON.parse(JSON.stringify(compute()));
  if (process.env.SCEAU_WRITE_VECTORS === '1') writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  const expected = JSON.parse(readFileSync(file, 'utf8'));

  it('the code reproduces docs/vectors/frost.json exactly', () => {
    expect(actual).toEqual(expected);
  });

  it('a verifier gets the board key from the round-1 packages alone, and checks the signature of the message against it', () => {
    const packages: Round1Package[] = expected.round1.map((p: unknown) => value(round1FromJson(p, expected.params)));
    const group = value(groupFromRound1(expected.params, packages));
    expect(groupToJson(group)).toEqual(expected.group);
    expect(groupToJson(value(groupFromJson(expected.group, expected.params)))).toEqual(expected.group);
    const signature = value(signatureFromHex(expected.signature));
    expect(verifyBoardSignature(group.groupKey, fromHex(expected.message), signature).ok).toBe(true);
    const other = fromHex(expected.message);
    other[other.length - 1]! ^= 1;
    expect(verifyBoardSignature(group.groupKey, other, signature)).toMatchObject({ ok: false, error: { code: 'frost.signature.invalid' } });
  });
});
