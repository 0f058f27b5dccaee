/**
 * The DEMO keystore (docs/record.md §8): a member's token as a folder holding `token.json`, in clear.
 * It exists so that `sceau demo` and `sceau simulate` can run the real ceremonies unattended (./demo-ports.ts
 * puts it behind the ceremonies' token ports). It is NOT the real token: that is the AEAD keystore under a
 * passphrase-derived key of docs/token.md.
 *
 *   { "format": "sceau/demo-token/v1", "warning": "…", "member": j, "election": "<hex fp>",
 *     "identitySecretKey": "<64 hex>", "identityPublicKey": "<64 hex>",
 *     "encryptionSecretKey": "<64 hex scalar e_j>",
 *     "keyShare": "<64 hex scalar x_j>" | null, "verificationKey": "<64 hex Y_j>" | null, "electionKey": "<64 hex Y>" | null,
 *     "boardShare": "<64 hex scalar s_j>" | null, "boardVerifyingShare": "<64 hex s_j·G>" | null, "boardKey": "<64 hex>" | null }
 *
 * The last six are null until the key ceremony seals the member's share (the board key's three stay null
 * when the ceremony made no board key; a demo token written before the board key has none of them).
 * Between the two rounds of the board's signature at the tally it also holds
 *     "boardNonces": { "seed": "<64 hex>", "messagesSha256": "<64 hex>", "commitmentsSha256": "<64 hex>" }
 * as a real token seals them (docs/token.md §2.5); the field is absent otherwise.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePointHex, pointHex } from '../crypto/elgamal.js';
import { scalarFromHex, scalarToHex, type Point } from '../crypto/group.js';
import type { IdentityKeyPair } from '../crypto/signature.js';
import { writeFileAtomic } from '../common/atomic-file.js';
import { fromHex, toHex } from '../common/bytes.js';
import { catchInput, ok, type Result } from '../common/result.js';
import { failure, inputError } from './failures.js';

const DEMO_TOKEN_FORMAT = 'sceau/demo-token/v1';

/** Hazardous: every field but the public ones is secret. */
export interface DemoToken {
  readonly member: number;
  readonly fingerprint: Uint8Array;
  readonly identity: IdentityKeyPair;
  readonly encryptionSecret: bigint;
  /** x_j, Y_j and Y, once sealed. */
  readonly share?: { readonly keyShare: bigint; readonly verificationKey: Point; readonly electionKey: Point; readonly board?: DemoBoardShare };
  /** Hazardous (`seed`): the board nonces between the two rounds of the board's signature. */
  readonly boardNonces?: { readonly seed: Uint8Array; readonly messagesSha256: string; readonly commitmentsSha256: string };
}

/** Hazardous (`secret`): the member's signing share of the board key, its verifying share and the board key. */
export interface DemoBoardShare {
  readonly secret: bigint;
  readonly verifyingShare: Point;
  readonly key: Point;
}

/** Hazardous: writes secrets in clear (demo only). */
export async function writeToken(dir: string, t: DemoToken): Promise<Result<DemoToken>> {
  const json = {
    format: DEMO_TOKEN_FORMAT,
    warning: 'DÉMONSTRATION\u00a0: secrets en clair, jamais pour une vraie élection. DEMO: secrets in clear, never for a real election.',
    member: t.member,
    election: toHex(t.fingerprint),
    identitySecretKey: toHex(t.identity.secretKey),
    identityPublicKey: toHex(t.identity.publicKey),
    encryptionSecretKey: scalarToHex(t.encryptionSecret),
    keyShare: t.share === undefined ? null : scalarToHex(t.share.keyShare),
    verificationKey: t.share === undefined ? null : pointHex(t.share.verificationKey),
    electionKey: t.share === undefined ? null : pointHex(t.share.electionKey),
    boardShare: t.share?.board === undefined ? null : scalarToHex(t.share.board.secret),
    boardVerifyingShare: t.share?.board === undefined ? null : pointHex(t.share.board.verifyingShare),
    boardKey: t.share?.board === undefined ? null : pointHex(t.share.board.key),
    ...(t.boardNonces === undefined ? {} : { boardNonces: { seed: toHex(t.boardNonces.seed), messagesSha256: t.boardNonces.messagesSha256, commitmentsSha256: t.boardNonces.commitmentsSha256 } }),
  };
  const w = await writeFileAtomic(join(dir, 'token.json'), `${JSON.stringify(json, null, 2)}\n`);
  return w.ok ? ok(t) : w;
}

/** Hazardous: reads secrets. Codes `token.read`, `token.invalid` and the core's decoding codes. */
export async function readToken(dir: string): Promise<Result<DemoToken>> {
  let text: string;
  try {
    text = await readFile(join(dir, 'token.json'), 'utf8');
  } catch {
    return { ok: false, error: failure('token.read', `Jeton illisible dans ${dir}.`, `Unreadable token in ${dir}.`, dir) };
  }
  return catchInput(() => {
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(text) as Record<string, unknown>;
    } catch {
      o = {};
    }
    if (o['format'] !== DEMO_TOKEN_FORMAT || typeof o['member'] !== 'number') {
      throw inputError('token.invalid', `Jeton de démonstration invalide dans ${dir}.`, `Invalid demo token in ${dir}.`, dir);
    }
    const hex = (k: string): string => {
      const v = o[k];
      if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) throw inputError('token.invalid', `Champ ${k} invalide dans le jeton.`, `Invalid field ${k} in the token.`, dir);
      return v;
    };
    const nonces = o['boardNonces'] as Record<string, unknown> | undefined;
    const nonceHex = (k: string): string => {
      const v = nonces?.[k];
      if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) throw inputError('token.invalid', `Champ boardNonces.${k} invalide dans le jeton.`, `Invalid field boardNonces.${k} in the token.`, dir);
      return v;
    };
    const sealed = o['keyShare'] !== null || o['verificationKey'] !== null || o['electionKey'] !== null;
    const board = (o['boardShare'] ?? null) !== null || (o['boardVerifyingShare'] ?? null) !== null || (o['boardKey'] ?? null) !== null;
    return {
      member: o['member'],
      fingerprint: fromHex(hex('election')),
      identity: { secretKey: fromHex(hex('identitySecretKey')), publicKey: fromHex(hex('identityPublicKey')) },
      encryptionSecret: scalarFromHex(hex('encryptionSecretKey'), 'encryptionSecretKey'),
      ...(sealed
        ? {
            share: {
              keyShare: scalarFromHex(hex('keyShare'), 'keyShare'),
              verificationKey: decodePointHex(hex('verificationKey'), 'verificationKey'),
              electionKey: decodePointHex(hex('electionKey'), 'electionKey'),
              ...(board
                ? {
                    board: {
                      secret: scalarFromHex(hex('boardShare'), 'boardShare'),
                      verifyingShare: decodePointHex(hex('boardVerifyingShare'), 'boardVerifyingShare'),
                      key: decodePointHex(hex('boardKey'), 'boardKey'),
                    },
                  }
                : {}),
            },
          }
        : {}),
      ...(nonces === undefined ? {} : { boardNonces: { seed: fromHex(nonceHex('seed')), messagesSha256: nonceHex('messagesSha256'), commitmentsSha256: nonceHex('commitmentsSha256') } }),
    };
  });
}
