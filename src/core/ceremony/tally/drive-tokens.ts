/**
 * The members' tokens on drives, as the tally needs them (src/core/token, docs/token.md): the keystore at
 * `<drive>/SCEAU/<election>/member-<j>.sceau-token.json`, opened with the member's passphrase, must be
 * this election's and this member's and hold a key share. A token protected by the member's device
 * (docs/token.md §3.2) names it: it opens with that device and its PIN, given where the passphrase is.
 * Secrets leave this module only inside the step that asked for them, which wipes them.
 */
import { pointToHex, scalarToBytes } from '../../crypto/group.js';
import { fromHex, toHex } from '../../common/bytes.js';
import { fail as passOn, ok, type Failure, type Result } from '../../common/result.js';
import { listTokens, openToken, optionsFor, readToken, resealBoardNonces, tokenPath, wipeSecrets, writeToken, type MemberDevices, type TokenOptions } from '../../token/index.js';
import type { TokenExpectations, TokenLocation } from '../key/ports.js';
import type { TallyBoardNonces, TallyMemberSecrets, TallyTokenPort } from './types.js';
import { fail } from './failures.js';

/** The token's own message when it names the member already; otherwise "Membre j : …". */
function naming(error: Failure, member: number): Result<never> {
  const named = new RegExp(`membre ${member}\\b`).test(error.message.fr);
  const message = named ? error.message : { fr: `Membre ${member}\u00a0: ${error.message.fr}`, en: `Member ${member}: ${error.message.en}` };
  return { ok: false, error: { ...error, message } };
}

/** No token of this member at the expected place: says whose token the drive holds instead, if any. */
async function missing(at: TokenLocation, expect: TokenExpectations, error: Failure): Promise<Result<never>> {
  const j = expect.member;
  const others = (await listTokens(at.drive, expect.election).catch(() => [])).flatMap((t) => (t.ok ? [t.found.token.public.member] : []));
  if (others.length > 0) {
    const o = others[0]!;
    return fail(
      'token.other-member',
      `Le support «\u00a0${at.label}\u00a0» ne porte pas le jeton du membre ${j} mais celui de ${o.name} (membre ${o.index}).`,
      `The drive "${at.label}" does not hold member ${j}'s token but ${o.name}'s (member ${o.index}).`,
      at.drive,
    );
  }
  return passOn(
    error.code,
    `Aucun jeton du membre ${j} pour l'élection «\u00a0${expect.election}\u00a0» sur le support «\u00a0${at.label}\u00a0».`,
    `No token of member ${j} for the election "${expect.election}" on the drive "${at.label}".`,
    at.drive,
  );
}

/** Hazardous: the sealed board nonces as the tally reads them (docs/token.md §2.5). */
function noncesOf(pub: { boardNonces?: { messagesSha256: Uint8Array; commitmentsSha256: Uint8Array } }, seed: Uint8Array | undefined): { nonces?: TallyBoardNonces } {
  if (pub.boardNonces === undefined || seed === undefined) return {};
  return { nonces: { seed, messagesSha256: toHex(pub.boardNonces.messagesSha256), commitmentsSha256: toHex(pub.boardNonces.commitmentsSha256) } };
}

export function tallyDriveTokens(options: TokenOptions = {}, devices?: MemberDevices): TallyTokenPort {
  return {
    async keepBoardNonces(at, passphrase, expect, nonces): Promise<Result<void>> {
      const found = await readToken(tokenPath(at.drive, expect.election, expect.member));
      if (!found.ok) return found.error.code === 'token.missing' ? missing(at, expect, found.error) : naming(found.error, expect.member);
      const opening = optionsFor(found.value.token, options, devices);
      if (!opening.ok) return naming(opening.error, expect.member);
      const sealed = nonces === null ? null : { seed: nonces.seed, messagesSha256: fromHex(nonces.messagesSha256), commitmentsSha256: fromHex(nonces.commitmentsSha256) };
      const text = await resealBoardNonces(found.value.text, passphrase, { fingerprint: expect.fingerprint, member: expect.member }, sealed, opening.value);
      if (!text.ok) return naming(text.error, expect.member);
      // writeToken replaces the file atomically and reads it back: success only once the drive holds it.
      const written = await writeToken(at.drive, text.value, { replace: 'same-identity', noncesSealedFrom: found.value.text });
      return written.ok ? ok(undefined) : naming(written.error, expect.member);
    },
    async open(at, passphrase, expect): Promise<Result<TallyMemberSecrets>> {
      const found = await readToken(tokenPath(at.drive, expect.election, expect.member));
      if (!found.ok) return found.error.code === 'token.missing' ? missing(at, expect, found.error) : naming(found.error, expect.member);
      const opening = optionsFor(found.value.token, options, devices);
      if (!opening.ok) return naming(opening.error, expect.member);
      const opened = await openToken(found.value.text, passphrase, { fingerprint: expect.fingerprint, member: expect.member }, opening.value);
      if (!opened.ok) return naming(opened.error, expect.member);
      const { public: pub, secrets } = opened.value;
      if (pub.keyShare === undefined || secrets.keyShareSecret === undefined) {
        wipeSecrets(secrets);
        return fail(
          'tally.no-share',
          `Le jeton de ${pub.member.name} (membre ${pub.member.index}) ne porte pas de fragment de clé\u00a0: la cérémonie des clés ne l'a pas scellé.`,
          `${pub.member.name} (member ${pub.member.index})'s token holds no key share: the key ceremony did not seal it.`,
          at.drive,
        );
      }
      const board = pub.keyShare.board;
      return ok({
        member: pub.member.index,
        identityKey: pub.identityKey,
        // The ceremony wipes this copy when its step ends.
        identitySecret: secrets.identitySecretKey,
        keyShare: secrets.keyShareSecret,
        verificationKey: pointToHex(pub.keyShare.verificationKey),
        electionKey: pointToHex(pub.keyShare.publicKey),
        // s_j as the 32 bytes FROST takes; the board-signature step wipes them.
        ...(board === undefined || secrets.boardShareSecret === undefined
          ? {}
          : {
              board: {
                share: scalarToBytes(secrets.boardShareSecret),
                verifyingShare: pointToHex(board.verifyingShare),
                key: pointToHex(board.key),
                ...noncesOf(pub, secrets.boardNonceSeed),
              },
            }),
      });
    },
  };
}
