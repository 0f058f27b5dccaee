/**
 * The ceremonies' token ports over DEMO tokens (./demo-token.ts): what lets `sceau demo` and `sceau simulate`
 * run the board's real scripts (src/core/ceremony/key, src/core/ceremony/tally) unattended. A token's "drive"
 * is its folder; passphrases are ignored, since a demo token is in clear. Never used by the app.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { G, pointToHex, randomScalar, scalarToBytes } from '../crypto/group.js';
import type { IdentityKeyPair } from '../crypto/signature.js';
import { toHex } from '../common/bytes.js';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import type { OpenedToken, TokenExpectations, TokenPort } from '../ceremony/key/ports.js';
import type { TallyMemberSecrets, TallyTokenPort } from '../ceremony/tally/types.js';
import { readToken, writeToken, type DemoToken } from './demo-token.js';

/** Reads the demo token of a folder, refusing one of another election or member as a real token would be. */
async function readExpected(dir: string, expect: TokenExpectations): Promise<Result<DemoToken>> {
  const t = await readToken(dir);
  if (!t.ok) return t;
  if (toHex(t.value.fingerprint) !== toHex(expect.fingerprint)) {
    return fail('token.election', `Le jeton de ${dir} est celui d'une autre élection.`, `The token in ${dir} belongs to another election.`, dir);
  }
  if (t.value.member !== expect.member) {
    return fail(
      'token.member',
      `Le jeton de ${dir} est celui du membre ${t.value.member}, pas du membre ${expect.member}.`,
      `The token in ${dir} is member ${t.value.member}'s, not member ${expect.member}'s.`,
      dir,
    );
  }
  return t;
}

/**
 * Hazardous: the key ceremony's tokens as demo folders. `identities[j − 1]` is member j's identity key (the
 * definition may fix it in advance); the DKG encryption key is made fresh at enrolment.
 */
export function demoKeyCeremonyTokens(identities: readonly IdentityKeyPair[]): TokenPort {
  return {
    async create(at, _passphrase, binding) {
      if (existsSync(join(at.drive, 'token.json'))) return fail('token.exists', `Un jeton existe déjà dans ${at.drive}.`, `A token already exists in ${at.drive}.`, at.drive);
      const identity = identities[binding.member - 1];
      if (identity === undefined) return fail('token.member', `Pas d'identité pour le membre ${binding.member}.`, `No identity for member ${binding.member}.`);
      const encryptionSecret = randomScalar();
      const written = await writeToken(at.drive, { member: binding.member, fingerprint: binding.fingerprint, identity, encryptionSecret });
      return written.ok ? ok({ identityKey: identity.publicKey, encryptionKey: G.multiply(encryptionSecret) }) : written;
    },
    async open(at, _passphrase, expect): Promise<Result<OpenedToken>> {
      const t = await readExpected(at.drive, expect);
      if (!t.ok) return t;
      const { identity, encryptionSecret, share } = t.value;
      return ok({
        identityKey: identity.publicKey,
        identitySecret: identity.secretKey,
        encryptionKey: G.multiply(encryptionSecret),
        encryptionSecret,
        ...(share === undefined ? {} : { keyShare: shownShare(share) }),
      });
    },
    async sealShare(at, _passphrase, expect, share) {
      const t = await readExpected(at.drive, expect);
      if (!t.ok) return t;
      const board = share.board === undefined ? {} : { board: { secret: share.board.secret, verifyingShare: share.board.verifyingShare, key: share.board.key } };
      const written = await writeToken(at.drive, { ...t.value, share: { keyShare: share.secret, verificationKey: share.verificationKey, electionKey: share.publicKey, ...board } });
      return written.ok ? ok(undefined) : written;
    },
  };
}

/** The public keys a sealed demo token shows. */
function shownShare(share: NonNullable<DemoToken['share']>): NonNullable<OpenedToken['keyShare']> {
  const keys = { verificationKey: pointToHex(share.verificationKey), publicKey: pointToHex(share.electionKey) };
  return share.board === undefined ? keys : { ...keys, board: { verifyingShare: pointToHex(share.board.verifyingShare), key: pointToHex(share.board.key) } };
}

/** Hazardous: the tally's tokens as demo folders. */
export function demoTallyTokens(): TallyTokenPort {
  return {
    async keepBoardNonces(at, _passphrase, expect, nonces): Promise<Result<void>> {
      const t = await readExpected(at.drive, expect);
      if (!t.ok) return t;
      if (t.value.share?.board === undefined)
        return fail('tally.no-board-share', `Le jeton du membre ${t.value.member} ne porte pas de part de la clé du bureau.`, `Member ${t.value.member}'s token holds no board-key share.`, at.drive);
      const { boardNonces: _old, ...rest } = t.value;
      const written = await writeToken(
        at.drive,
        nonces === null ? rest : { ...rest, boardNonces: { seed: nonces.seed.slice(), messagesSha256: nonces.messagesSha256, commitmentsSha256: nonces.commitmentsSha256 } },
      );
      return written.ok ? ok(undefined) : written;
    },
    async open(at, _passphrase, expect): Promise<Result<TallyMemberSecrets>> {
      const t = await readExpected(at.drive, expect);
      if (!t.ok) return t;
      const { identity, share, member, boardNonces } = t.value;
      if (share === undefined) return fail('tally.no-share', `Le jeton du membre ${member} ne porte pas de fragment de clé.`, `Member ${member}'s token holds no key share.`, at.drive);
      return ok({
        member,
        identityKey: identity.publicKey,
        identitySecret: identity.secretKey,
        keyShare: share.keyShare,
        verificationKey: pointToHex(share.verificationKey),
        electionKey: pointToHex(share.electionKey),
        ...(share.board === undefined
          ? {}
          : {
              board: {
                share: scalarToBytes(share.board.secret),
                verifyingShare: pointToHex(share.board.verifyingShare),
                key: pointToHex(share.board.key),
                ...(boardNonces === undefined ? {} : { nonces: boardNonces }),
              },
            }),
      });
    },
  };
}
