/**
 * Step 7, the signatures (docs/tally-ceremony.md §1, §2): each member who decrypted reopens their token
 * and signs every PV with their identity key (docs/protocol.md §10); the identity secret is wiped when
 * the step returns.
 */
import type { Failure, Result } from '../../common/result.js';
import { signPv } from '../../election/results.js';
import type { TallyFolder } from './folder.js';
import { openToken, wipeTallySecrets } from './members.js';
import { checkCountOnStation } from './station-checks.js';
import { TALLY_ENTRY, type JobControl, type TallyMemberStep } from './types.js';
import { failure } from './failures.js';

/** Why member j may not sign (did not decrypt, or already signed), or null. */
function signatureRefusal(f: TallyFolder, j: number): Failure | null {
  const m = f.state.members[j - 1]!;
  if (!m.decrypted) {
    return failure(
      'tally.not-decrypting',
      `Le membre ${j} (${m.name}) n'a pas déchiffré\u00a0: seuls les membres qui ont déchiffré signent les procès-verbaux.`,
      `Member ${j} (${m.name}) did not decrypt: only the members who decrypted sign the PVs.`,
    );
  }
  if (m.signed) {
    return failure('tally.member-twice', `Le membre ${j} (${m.name}) a déjà signé.`, `Member ${j} (${m.name}) already signed.`);
  }
  return null;
}

/** Step 7 for one member who decrypted: they sign every PV with their token's identity key. */
export async function sign(f: TallyFolder, step: TallyMemberStep, job: JobControl): Promise<Result<void>> {
  const due = f.expectMember('signing', step.member);
  if (!due.ok) return due;
  const j = step.member;
  const refusal = signatureRefusal(f, j);
  if (refusal !== null) return f.deviation('signature-refused', j, refusal);
  if (f.onStation) {
    const checked = await checkCountOnStation(f, job);
    if (!checked.ok) return checked;
  }
  const opened = await openToken(f, step);
  if (!opened.ok) return opened;
  const secret = opened.value.identitySecret;
  try {
    const signatures = f.pvs!.map((pv) => ({ constituency: pv.constituency, signature: signPv(secret, f.fingerprint, pv) }));
    return await f.record(`member:${j}`, TALLY_ENTRY.signature, { member: j, pvSha256: f.state.count!.pvSha256, signatures }, secret);
  } finally {
    wipeTallySecrets(opened.value);
  }
}
