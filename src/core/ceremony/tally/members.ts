/**
 * What the members' steps share (docs/tally-ceremony.md §2, the refusals): the offline check before a key
 * operation, and the opening of a member's token, refused unless it is the token enrolled in the key
 * ceremony. Each refusal is a `tally.deviation` naming the member.
 */
import { toHex, wipe } from '../../common/bytes.js';
import { ok, type Result } from '../../common/result.js';
import { clearForKeyOperation } from '../../workstation/offline-guard.js';
import type { TallyFolder } from './folder.js';
import type { TallyMemberSecrets, TallyMemberStep } from './types.js';
import { failure } from './failures.js';

/** Key operations refuse to run while a network interface is connected, unless a rehearsal overrides. */
export async function offlineOrRefused(f: TallyFolder, member: number): Promise<Result<void>> {
  const cleared = clearForKeyOperation(await f.ctx.network(), f.ctx.override);
  return cleared.ok ? ok(undefined) : f.deviation('operation-refused', member, cleared.error);
}

/**
 * Zeroes every secret byte an opened token gave the step: the identity secret, the board share s_j and the
 * board nonce seed σ. Every step that opens a member's token calls it when it ends (x_j, a bigint, cannot be
 * zeroed: it goes with the object).
 */
export function wipeTallySecrets(s: TallyMemberSecrets): void {
  wipe(s.identitySecret);
  if (s.board !== undefined) wipe(s.board.share);
  if (s.board?.nonces !== undefined) wipe(s.board.nonces.seed);
}

/** Hazardous: opens the member's token; refusals (wrong passphrase, wrong election or member, not the enrolled token) are recorded. */
export async function openToken(f: TallyFolder, step: TallyMemberStep): Promise<Result<TallyMemberSecrets>> {
  const opened = await f.ctx.tokens.open(step.token, step.passphrase, { fingerprint: f.fingerprint, election: f.definition.id, member: step.member });
  if (!opened.ok) return f.deviation('token-refused', step.member, opened.error);
  const s = opened.value;
  const j = step.member;
  const enrolled = f.keys.identityKeys.get(j);
  const sameKeys = s.verificationKey === f.keys.verificationKeys[j - 1] && s.electionKey === f.keys.electionKey;
  if (s.member !== j || enrolled !== toHex(s.identityKey) || !sameKeys) {
    wipeTallySecrets(s);
    const generation = f.keys.redistributed?.generation;
    if (generation !== undefined) return f.deviation('token-refused', j, oldBoardToken(j, generation, step.token.drive));
    return f.deviation(
      'token-refused',
      j,
      failure(
        'tally.token-mismatch',
        `Ce jeton n'est pas celui enrôlé pour le membre ${j} lors de la cérémonie des clés (clé d'identité ou clés de l'élection différentes).`,
        `This token is not the one enrolled for member ${j} at the key ceremony (identity key or election keys differ).`,
        step.token.drive,
      ),
    );
  }
  return opened;
}

/** After redistributions: a token that is not the member's token of the current board, e.g. one kept from an earlier board (docs/tally-ceremony.md §1.2). */
function oldBoardToken(j: number, generation: number, drive: string) {
  return failure(
    'tally.token-mismatch',
    `Ce jeton n'est pas celui du membre ${j} pour le bureau actuel, issu de la redistribution n° ${generation}\u00a0: un jeton d'un bureau antérieur (avant la redistribution) ne sert plus. Utilisez le jeton remis au membre ${j} lors de cette redistribution.`,
    `This token is not member ${j}'s token of the current board, made by redistribution no. ${generation}: a token of an earlier board (before the redistribution) no longer works. Use the token member ${j} received at that redistribution.`,
    drive,
  );
}
