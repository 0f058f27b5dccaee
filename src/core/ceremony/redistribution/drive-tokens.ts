/**
 * The redistribution's tokens on real drives (src/core/token, docs/token.md): new tokens exactly as at the
 * key ceremony (../key/drive-tokens.ts), old tokens opened for their shares, and an old token's file
 * erased after its holder confirmed its destruction.
 */
import { unlink } from 'node:fs/promises';
import { pointToHex } from '../../crypto/group.js';
import { ok, type Result } from '../../common/result.js';
import { openToken, optionsFor, readToken, tokenPath, wipeSecrets, type MemberDevices, type TokenOptions } from '../../token/index.js';
import { driveTokens } from '../key/drive-tokens.js';
import { fail } from './failures.js';
import type { OldTokenSecrets, RedistributionTokenPort } from './ports.js';

/** With `devices`, a member's new token may be protected by their card, and an old token on a card opens with its PIN (docs/token.md §3.2). */
export function redistributionDriveTokens(options: TokenOptions = {}, devices?: MemberDevices): RedistributionTokenPort {
  return {
    ...driveTokens(options, devices),

    async openOld(at, passphrase, expect): Promise<Result<OldTokenSecrets>> {
      const found = await readToken(tokenPath(at.drive, expect.election, expect.member));
      if (!found.ok) return found;
      const opening = optionsFor(found.value.token, options, devices);
      if (!opening.ok) return opening;
      const opened = await openToken(found.value.text, passphrase, { fingerprint: expect.fingerprint, member: expect.member }, opening.value);
      if (!opened.ok) return opened;
      const { public: pub, secrets } = opened.value;
      if (pub.keyShare === undefined || secrets.keyShareSecret === undefined) {
        wipeSecrets(secrets);
        return fail(
          'redistribution.old-token',
          `Le jeton du membre ${expect.member} ne porte pas de fragment de clé\u00a0: ce n'est pas un jeton du bureau actuel.`,
          `Member ${expect.member}'s token holds no key share: it is not a token of the current board.`,
          at.drive,
        );
      }
      const board = pub.keyShare.board;
      return ok({
        identityKey: pub.identityKey,
        identitySecret: secrets.identitySecretKey,
        keyShare: secrets.keyShareSecret,
        verificationKey: pointToHex(pub.keyShare.verificationKey),
        publicKey: pointToHex(pub.keyShare.publicKey),
        ...(board === undefined || secrets.boardShareSecret === undefined
          ? {}
          : { board: { secret: secrets.boardShareSecret, verifyingShare: pointToHex(board.verifyingShare), key: pointToHex(board.key) } }),
      });
    },

    async erase(at, expect): Promise<Result<boolean>> {
      // Unlinking a file on a flash drive does not wipe its blocks: the member still destroys the drive (docs/redistribution.md §15.7).
      return unlink(tokenPath(at.drive, expect.election, expect.member)).then(
        () => ok(true),
        (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? ok(false) : fail('redistribution.old-token', `Effacement impossible\u00a0: ${String(e)}`, `Cannot erase: ${String(e)}`, at.drive)),
      );
    },
  };
}
