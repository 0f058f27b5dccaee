/**
 * Test-only tokens kept in memory, keyed by drive, with the same refusals as real ones (wrong
 * passphrase, another member's or election's token). The real tokens (src/core/token) have their own
 * tests; these keep the ceremony's tests fast and let a test play a cheating member.
 */
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { G, randomScalar, pointToHex, type Point } from '../../src/core/crypto/group.js';
import { equalBytes } from '../../src/core/common/bytes.js';
import { fail, ok } from '../../src/core/common/result.js';
import type { OpenedToken, ShareToSeal, TokenExpectations, TokenPort } from '../../src/core/ceremony/key/ports.js';

interface Stored {
  passphrase: string;
  fingerprint: Uint8Array;
  member: number;
  identitySecret: Uint8Array;
  identityKey: Uint8Array;
  encryptionSecret: bigint;
  encryptionKey: Point;
  keyShare?: { verificationKey: string; publicKey: string; secret: bigint; board?: { verifyingShare: string; key: string; secret: bigint } };
}

export class FakeTokens implements TokenPort {
  readonly stored = new Map<string, Stored>();

  async create(at: { drive: string }, passphrase: string, binding: { fingerprint: Uint8Array; member: number }) {
    const present = this.stored.get(at.drive);
    if (present !== undefined) {
      return present.member === binding.member ? fail('token.exists', 'existe', 'exists', at.drive) : fail('token.drive-taken', 'support pris', 'drive taken', at.drive);
    }
    const { secretKey, publicKey } = generateIdentityKey();
    const e = randomScalar();
    const s: Stored = { passphrase, fingerprint: binding.fingerprint, member: binding.member, identitySecret: secretKey, identityKey: publicKey, encryptionSecret: e, encryptionKey: G.multiply(e) };
    this.stored.set(at.drive, s);
    return ok({ identityKey: s.identityKey, encryptionKey: s.encryptionKey });
  }

  async open(at: { drive: string }, passphrase: string, expect: TokenExpectations) {
    const s = this.stored.get(at.drive);
    if (s === undefined) return fail<OpenedToken>('token.missing', 'absent', 'missing', at.drive);
    if (s.passphrase !== passphrase) return fail<OpenedToken>('token.passphrase', 'Phrase secrète incorrecte.', 'Wrong passphrase.', at.drive);
    if (!equalBytes(s.fingerprint, expect.fingerprint)) return fail<OpenedToken>('token.election', 'Autre élection.', 'Another election.', at.drive);
    if (s.member !== expect.member) return fail<OpenedToken>('token.member', `Jeton du membre ${s.member}.`, `Token of member ${s.member}.`, at.drive);
    const opened: OpenedToken = {
      identityKey: s.identityKey,
      identitySecret: s.identitySecret.slice(),
      encryptionKey: s.encryptionKey,
      encryptionSecret: s.encryptionSecret,
      ...(s.keyShare ? { keyShare: shown(s.keyShare) } : {}),
    };
    return ok(opened);
  }

  async sealShare(at: { drive: string }, passphrase: string, expect: TokenExpectations, share: ShareToSeal) {
    const opened = await this.open(at, passphrase, expect);
    if (!opened.ok) return opened;
    const board = share.board === undefined ? {} : { board: { verifyingShare: pointToHex(share.board.verifyingShare), key: pointToHex(share.board.key), secret: share.board.secret } };
    this.stored.get(at.drive)!.keyShare = { verificationKey: pointToHex(share.verificationKey), publicKey: pointToHex(share.publicKey), secret: share.secret, ...board };
    return ok(undefined);
  }
}

function shown(k: NonNullable<Stored['keyShare']>): NonNullable<OpenedToken['keyShare']> {
  const keys = { verificationKey: k.verificationKey, publicKey: k.publicKey };
  return k.board === undefined ? keys : { ...keys, board: { verifyingShare: k.board.verifyingShare, key: k.board.key } };
}
