/**
 * Split backup (docs/token.md §7.3): a member's token file split k-of-m with Shamir's scheme over
 * GF(256) (`shamir-secret-sharing`, audited by Cure53 and Zellic), so that fewer than k cards reveal
 * nothing of the token but its length, and any k rebuild it. One card is one line of text:
 *
 *   SCEAUCARD1 <c>/<m> <k> <fp> <member> <set> <digest> <sum> <share>
 *
 *   c, m     card number (1..m) and count;  k  cards needed (2 ≤ k ≤ m ≤ 255)
 *   fp       first 8 hex digits of the election fingerprint;  member  the member's index
 *   set      16 hex digits, random per split: cards of two splits never mix
 *   digest   first 32 hex digits of SHA-256(string("sceau/v1/token/card") || bytes(token file))
 *   sum      first 8 hex digits of SHA-256(string("sceau/v1/token/card") || string(the line up to <digest>, then " " and <share>))
 *   share    base64url (no padding) of the library's share: y bytes || x (1 byte)
 *
 * The library does not check what it rebuilds (its README, "Security considerations" 2): the digest
 * does. A card is ≈ 1.9 kB: print it as QR codes with ./paper.ts `toQrPayloads`.
 */
import { combine, split } from 'shamir-secret-sharing';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { DOMAIN } from '../crypto/domain.js';
import { encode, type Encoder } from '../crypto/encoding.js';
import { toHex } from '../common/bytes.js';
import { ok, type Result } from '../common/result.js';
import { countFr } from '../common/plural.js';
import { fail } from './failures.js';
import { parseToken } from './format.js';
import { checkExpectations, type OpenExpectations } from './seal.js';
import { COPY, refuseWhileNoncesPending } from './pending.js';

export const CARD_MAGIC = 'SCEAUCARD1';
const CARD = /^SCEAUCARD1 (\d{1,3})\/(\d{1,3}) (\d{1,3}) ([0-9a-f]{8}) (\d{1,3}) ([0-9a-f]{16}) ([0-9a-f]{32}) ([0-9a-f]{8}) ([A-Za-z0-9_-]+)$/;

interface Card {
  readonly c: number;
  readonly m: number;
  readonly k: number;
  readonly fp: string;
  readonly member: number;
  readonly set: string;
  readonly digest: string;
  readonly share: Uint8Array;
}

function taggedDigest(write: (e: Encoder) => void): string {
  return toHex(
    sha256(
      encode((e) => {
        e.string(DOMAIN.tokenCard);
        write(e);
      }),
    ),
  );
}

function tokenDigest(bytes: Uint8Array): string {
  return taggedDigest((e) => e.bytes(bytes)).slice(0, 32);
}

function checksum(body: string): string {
  return taggedDigest((e) => e.string(body)).slice(0, 8);
}

function cardText(card: Card): string {
  const head = `${CARD_MAGIC} ${card.c}/${card.m} ${card.k} ${card.fp} ${card.member} ${card.set} ${card.digest}`;
  const share = Buffer.from(card.share).toString('base64url');
  return `${head} ${checksum(`${head} ${share}`)} ${share}`;
}

/**
 * Splits a token file into m cards, any k of which rebuild it. Codes: `card.params` (need 2 ≤ k ≤ m ≤ 255),
 * `token.malformed` (the text is not a token), `token.board.nonces-pending` (it holds the board nonces, §2.5).
 */
export async function splitTokenIntoCards(tokenText: string, k: number, m: number): Promise<Result<string[]>> {
  if (!Number.isSafeInteger(k) || !Number.isSafeInteger(m) || k < 2 || m < k || m > 255) {
    return fail('card.params', `Partage impossible\u00a0: il faut 2 ≤ k ≤ m ≤ 255 (k = ${k}, m = ${m}).`, `Cannot split: need 2 ≤ k ≤ m ≤ 255 (k = ${k}, m = ${m}).`);
  }
  const parsed = parseToken(tokenText);
  if (!parsed.ok) return parsed;
  const pending = refuseWhileNoncesPending(parsed.value.public, COPY.cards);
  if (!pending.ok) return pending;
  const bytes = new TextEncoder().encode(tokenText);
  const shares = await split(bytes, m, k);
  const common = { m, k, fp: toHex(parsed.value.public.fingerprint).slice(0, 8), member: parsed.value.public.member.index, set: toHex(randomBytes(8)), digest: tokenDigest(bytes) };
  return ok(shares.map((share, i) => cardText({ ...common, c: i + 1, share })));
}

function readCard(text: string, position: number): Result<Card> {
  const m = CARD.exec(text.trim());
  const bad = (): Result<Card> =>
    fail(
      'card.malformed',
      `La carte n° ${position + 1} n'est pas une carte de sauvegarde Sceau lisible (ou elle est endommagée).`,
      `Card no. ${position + 1} is not a readable Sceau backup card (or it is damaged).`,
      `card ${position + 1}`,
    );
  if (m === null) return bad();
  const [, c, count, k, fp, member, set, digest, sum, share] = m as unknown as string[];
  const head = `${CARD_MAGIC} ${c}/${count} ${k} ${fp} ${member} ${set} ${digest}`;
  if (checksum(`${head} ${share}`) !== sum) return bad();
  const card = { c: Number(c), m: Number(count), k: Number(k), fp: fp!, member: Number(member), set: set!, digest: digest!, share: new Uint8Array(Buffer.from(share!, 'base64url')) };
  if (card.c < 1 || card.c > card.m || card.k < 2 || card.k > card.m || card.share.length < 2) return bad();
  return ok(card);
}

function checkSameSplit(cards: readonly Card[]): Result<void> {
  const first = cards[0]!;
  const seen = new Set<number>();
  const xs = new Set<number>();
  for (const [position, card] of cards.entries()) {
    const same =
      card.set === first.set &&
      card.m === first.m &&
      card.k === first.k &&
      card.fp === first.fp &&
      card.member === first.member &&
      card.digest === first.digest &&
      card.share.length === first.share.length;
    if (!same) {
      return fail(
        'card.foreign',
        `La carte n° ${position + 1} vient d'un autre partage (série ${card.set}, membre ${card.member}) que la première (série ${first.set}, membre ${first.member}).`,
        `Card no. ${position + 1} belongs to another split (set ${card.set}, member ${card.member}) than the first (set ${first.set}, member ${first.member}).`,
        `card ${position + 1}`,
      );
    }
    const x = card.share[card.share.length - 1]!;
    if (seen.has(card.c) || xs.has(x)) return fail('card.duplicate', `La carte ${card.c}/${card.m} est présentée deux fois.`, `Card ${card.c}/${card.m} is offered twice.`, `card ${position + 1}`);
    seen.add(card.c);
    xs.add(x);
  }
  if (cards.length < first.k) {
    return fail(
      'card.missing',
      `Il faut ${first.k} cartes de ce partage\u00a0; ${countFr(cards.length, 'présentée', 'présentées')}.`,
      `${first.k} cards of this split are needed; ${cards.length} offered.`,
    );
  }
  return ok(undefined);
}

/**
 * Rebuilds a token file from k (or more) cards and checks it: all cards of the same split, none twice,
 * enough of them, the rebuilt bytes have the split's digest and are a token of the expected election
 * (and member). Codes: `card.empty`, `card.malformed`, `card.foreign`, `card.duplicate`, `card.missing`,
 * `card.digest`, `token.malformed`, `token.other-election`, `token.other-member`, `token.board.nonces-pending`.
 */
export async function combineCards(cardTexts: readonly string[], expect: OpenExpectations): Promise<Result<string>> {
  if (cardTexts.length === 0) return fail('card.empty', 'Aucune carte présentée.', 'No card offered.');
  const cards: Card[] = [];
  for (const [position, text] of cardTexts.entries()) {
    const card = readCard(text, position);
    if (!card.ok) return card;
    cards.push(card.value);
  }
  const same = checkSameSplit(cards);
  if (!same.ok) return same;
  const bytes = await combine(cards.map((c) => c.share));
  if (tokenDigest(bytes) !== cards[0]!.digest) {
    return fail('card.digest', 'Les cartes réunies ne redonnent pas le jeton sauvegardé\u00a0: une carte est altérée.', 'The cards combined do not give back the saved token: a card is altered.');
  }
  const text = new TextDecoder().decode(bytes);
  const parsed = parseToken(text);
  if (!parsed.ok) return parsed;
  const expected = checkExpectations(parsed.value.public, expect);
  if (!expected.ok) return expected;
  const pending = refuseWhileNoncesPending(parsed.value.public, COPY.restore);
  return pending.ok ? ok(text) : pending;
}
