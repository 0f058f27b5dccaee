/**
 * The ceremony's tokens on real drives (src/core/token, docs/token.md): the member's keystore at
 * `<drive>/SCEAU/<election>/member-<j>.sceau-token.json`, created at enrolment and resealed with the
 * key share. Secrets leave this module only inside the step that asked for them. A member may protect
 * their token with their smart card or security key instead of a passphrase (`devices`, docs/token.md
 * §3.2): the PIN then comes where the passphrase does.
 */
import { pointToHex } from '../../crypto/group.js';
import { ok, type Result } from '../../common/result.js';
import { fail } from './failures.js';
import {
  createMemberSecrets,
  listTokens,
  openToken,
  noDevices,
  optionsFor,
  readToken,
  resealWithKeyShare,
  sealToken,
  sealTokenWithDevice,
  tokenPath,
  tokenPublicFor,
  wipeSecrets,
  writeToken,
  type DeviceChoice,
  type MemberDevices,
  type MemberSecrets,
  type TokenOptions,
  type TokenPublic,
} from '../../token/index.js';
import type { OpenedToken, TokenExpectations, TokenLocation, TokenPort } from './ports.js';

/** The public keys a sealed token shows (the secrets stay in the token). */
function shownShare(share: NonNullable<TokenPublic['keyShare']>): NonNullable<OpenedToken['keyShare']> {
  const shown = { verificationKey: pointToHex(share.verificationKey), publicKey: pointToHex(share.publicKey) };
  return share.board === undefined ? shown : { ...shown, board: { verifyingShare: pointToHex(share.board.verifyingShare), key: pointToHex(share.board.key) } };
}

/** Without `devices` (a machine where they cannot be used), only passphrase tokens are made and opened. */
export function driveTokens(options: TokenOptions = {}, devices?: MemberDevices): TokenPort {
  const read = async (at: TokenLocation, expect: TokenExpectations) => {
    const found = await readToken(tokenPath(at.drive, expect.election, expect.member));
    if (!found.ok) return found;
    const opening = optionsFor(found.value.token, options, devices);
    return opening.ok ? ok({ text: found.value.text, opening: opening.value }) : opening;
  };
  const openExpect = (expect: TokenExpectations) => ({ fingerprint: expect.fingerprint, member: expect.member });
  /** Hazardous: the token's text, sealed under the passphrase or for the device chosen. */
  const seal = async (pub: TokenPublic, secrets: MemberSecrets, secret: string, device: DeviceChoice | undefined): Promise<Result<string>> => {
    if (device === undefined) return sealToken(pub, secrets, secret, options);
    if (devices === undefined) return noDevices();
    const enrolled = devices.enrol(device, secret);
    return enrolled.ok ? sealTokenWithDevice(pub, secrets, enrolled.value, secret, options) : enrolled;
  };

  return {
    async create(at, passphrase, binding, device) {
      // One drive, one member: a drive that already holds another member's token is the same token offered twice.
      const others = (await listTokens(at.drive, binding.election)).filter((t) => !t.ok || t.found.token.public.member.index !== binding.member);
      if (others.length > 0) {
        const owner = others[0]!.ok ? others[0]!.found.token.public.member.index : null;
        return fail(
          'token.drive-taken',
          `Ce support porte déjà le jeton ${owner === null ? "d'un autre membre" : `du membre ${owner}`} pour cette élection\u00a0: chaque membre a son propre support.`,
          `This drive already holds ${owner === null ? "another member's" : `member ${owner}'s`} token for this election: each member has their own drive.`,
          at.drive,
        );
      }
      const secrets = createMemberSecrets();
      try {
        const pub = tokenPublicFor({ id: binding.election, fingerprint: binding.fingerprint }, { index: binding.member, name: binding.name }, secrets);
        const text = await seal(pub, secrets, passphrase, device);
        if (!text.ok) return text;
        const written = await writeToken(at.drive, text.value, { replace: 'never' });
        return written.ok ? ok({ identityKey: pub.identityKey, encryptionKey: pub.encryptionKey }) : written;
      } finally {
        wipeSecrets(secrets);
      }
    },

    async open(at, passphrase, expect): Promise<Result<OpenedToken>> {
      const found = await read(at, expect);
      if (!found.ok) return found;
      const opened = await openToken(found.value.text, passphrase, openExpect(expect), found.value.opening);
      if (!opened.ok) return opened;
      const { public: pub, secrets } = opened.value;
      return ok({
        identityKey: pub.identityKey,
        // The ceremony wipes this copy when its step ends.
        identitySecret: secrets.identitySecretKey,
        encryptionKey: pub.encryptionKey,
        encryptionSecret: secrets.encryptionSecret,
        ...(pub.keyShare ? { keyShare: shownShare(pub.keyShare) } : {}),
      });
    },

    async sealShare(at, passphrase, expect, share) {
      const found = await read(at, expect);
      if (!found.ok) return found;
      const text = await resealWithKeyShare(found.value.text, passphrase, openExpect(expect), { member: expect.member, ...share }, found.value.opening);
      if (!text.ok) return text;
      const written = await writeToken(at.drive, text.value, { replace: 'same-identity' });
      return written.ok ? ok(undefined) : written;
    },
  };
}
