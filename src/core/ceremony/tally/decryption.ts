/**
 * Step 5, the decryption (docs/tally-ceremony.md §1, §2): a qualified member who has not decrypted opens
 * their token; their key share yields, for every constituency, the partial decryption of the last
 * shuffle's outputs with its proof, verified at once against Y_j and written to its work file (§3). The
 * key share is forgotten when the step returns.
 */
import { rm } from 'node:fs/promises';
import type { PackedCiphertexts } from '../../crypto/backend/packed.js';
import { scalarToHex } from '../../crypto/group.js';
import type { PartialDecryptionJson } from '../../crypto/threshold.js';
import { writeFileDurable } from '../../common/atomic-file.js';
import { toHex } from '../../common/bytes.js';
import { ok, type Failure, type Result } from '../../common/result.js';
import { cancelled } from '../../pipeline/import.js';
import type { CheckOutput } from '../../workers/tasks.js';
import { failure, type TallyFolder } from './folder.js';
import { offlineOrRefused, openToken, wipeTallySecrets } from './members.js';
import { mixOutputs } from './mixes.js';
import { checkImportOnStation, checkShufflesToDecrypt } from './station-checks.js';
import { TALLY_ENTRY, type JobControl, type TallyMemberSecrets, type TallyMemberStep } from './types.js';
import { bytesDigest, canonicalBytes, ensureWorkDir, largestFirst, mapLimit, partialWorkFile } from './work-files.js';
import { TALLY_FAILURES } from './failures.js';

/** Removes member's partial work files; never throws (it runs on failure paths, whose failure it must not hide). */
async function removePartials(f: TallyFolder, member: number): Promise<void> {
  await Promise.all(f.state.active.map((c) => rm(partialWorkFile(f.folder, c.id, member), { force: true, recursive: true }).catch(() => undefined)));
}

/** Why member j may not decrypt (outside the qualified set, or already decrypted), or null. */
function decryptionRefusal(f: TallyFolder, j: number): Failure | null {
  const m = f.state.members[j - 1]!;
  if (!m.qualified) {
    return TALLY_FAILURES.failure(
      'decryption.not-qualified',
      `Le membre ${j} (${m.name}) n'est pas dans l'ensemble qualifié de la cérémonie des clés\u00a0: il ne peut pas déchiffrer.`,
      `Member ${j} (${m.name}) is not in the key ceremony's qualified set: they cannot decrypt.`,
    );
  }
  if (m.decrypted) {
    return TALLY_FAILURES.failure(
      'tally.member-twice',
      `Le membre ${j} (${m.name}) a déjà déchiffré\u00a0: un autre membre doit venir.`,
      `Member ${j} (${m.name}) already decrypted: another member must come.`,
    );
  }
  return null;
}

/**
 * Step 5 for one member: offline check, token, partial decryption of every constituency's last shuffle
 * outputs in the pool, each proof verified against Y_j before it is kept; entry signed by the member.
 * Progress in ciphertexts.
 */
export async function decrypt(f: TallyFolder, step: TallyMemberStep, job: JobControl): Promise<Result<void>> {
  const due = f.expectMember('decryption', step.member);
  if (!due.ok) return due;
  const j = step.member;
  const refusal = decryptionRefusal(f, j);
  if (refusal !== null) return f.deviation('decryption-refused', j, refusal);
  const offline = await offlineOrRefused(f, j);
  if (!offline.ok) return offline;
  if (f.onStation) {
    const imported = await checkImportOnStation(f, job);
    const checked = imported.ok ? await checkShufflesToDecrypt(f, j, job) : imported;
    if (!checked.ok) return checked;
  }
  const opened = await openToken(f, step);
  if (!opened.ok) return opened;
  return decryptWith(f, j, opened.value, job);
}

/** Hazardous (`secrets`, wiped when it returns): the member's partial decryptions made, kept and recorded. */
async function decryptWith(f: TallyFolder, j: number, secrets: TallyMemberSecrets, job: JobControl): Promise<Result<void>> {
  // Once the entry may be on disk (its append failed after writing), the member's work files stay: they
  // are what it records. Otherwise, on every path but success (refused, cancelled, thrown), they go.
  let mayBeRecorded = false;
  try {
    const partials = await partialDecryptions(f, j, scalarToHex(secrets.keyShare), job);
    if (!partials.ok) return partials.error.code === 'cancelled' ? partials : await f.deviation('decryption-refused', j, partials.error);
    const recorded = await f.record(`member:${j}`, TALLY_ENTRY.decryption, { member: j, partials: partials.value }, secrets.identitySecret);
    // On a station, a recorded entry is an answer written: its files are what it names.
    mayBeRecorded = f.onStation ? recorded.ok : !recorded.ok && recorded.error.code !== 'ceremony.step' && recorded.error.code !== 'file.changed';
    return recorded;
  } finally {
    wipeTallySecrets(secrets);
    // The state, not `m`: an entry recorded replaces the state object.
    if (!f.state.members[j - 1]!.decrypted && !mayBeRecorded) await removePartials(f, j);
  }
}

/** Hazardous (`share`, x_j in hex): every active constituency's partial decryption, verified and written to its work file. */
async function partialDecryptions(f: TallyFolder, j: number, share: string, job: JobControl): Promise<Result<{ constituency: string; digest: string }[]>> {
  await ensureWorkDir(f.folder);
  const digests = new Map<string, string>();
  const total = f.state.active.reduce((s, c) => s + c.ballots, 0);
  let done = 0;
  let refused: Failure | undefined;
  await mapLimit(largestFirst(f.state.active), f.ctx.pool.size + 1, async (c) => {
    if (refused !== undefined || job.signal?.aborted) return;
    const last = await mixOutputs(f, c.id, f.state.shuffles);
    if (!last.ok) return void (refused ??= last.error);
    const digest = await partialDecryption(f, j, share, c.id, last.value);
    if (!digest.ok) return void (refused ??= digest.error);
    digests.set(c.id, digest.value);
    done += c.ballots;
    job.onProgress?.(done, total);
  });
  if (refused !== undefined) return failure(refused);
  if (job.signal?.aborted) return cancelled();
  return ok(f.state.active.map((c) => ({ constituency: c.id, digest: digests.get(c.id)! })));
}

/** Hazardous (`share`): member j's partial decryption of constituency `id`, its proof verified, written to its work file; its digest. */
async function partialDecryption(f: TallyFolder, j: number, share: string, id: string, ciphertexts: PackedCiphertexts): Promise<Result<string>> {
  const fpHex = toHex(f.fingerprint);
  const verificationKey = f.keys.verificationKeys[j - 1]!;
  const name = f.state.members[j - 1]!.name;
  const partial = await f.ctx.pool.run<PartialDecryptionJson>({ kind: 'partial', fingerprint: fpHex, member: j, share, verificationKey, ciphertexts });
  const bad = await f.ctx.pool.run<CheckOutput>({ kind: 'verify-partial', fingerprint: fpHex, member: j, verificationKey, ciphertexts, partial });
  if (bad) {
    return failure({
      code: bad.code,
      message: {
        fr: `Le déchiffrement partiel du membre ${j} (${name}) pour ${id} ne passe pas sa preuve\u00a0: il est écarté. ${bad.message.fr}`,
        en: `Member ${j} (${name})'s partial decryption for ${id} fails its proof: it is set aside. ${bad.message.en}`,
      },
      where: `member ${j}`,
    });
  }
  const text = canonicalBytes(partial);
  const written = await writeFileDurable(partialWorkFile(f.folder, id, j), text);
  if (!written.ok) {
    return failure({
      ...written.error,
      message: {
        fr: `Le déchiffrement partiel du membre ${j} (${name}) pour ${id} n'a pas pu être écrit\u00a0: il est écarté. ${written.error.message.fr}`,
        en: `Member ${j} (${name})'s partial decryption for ${id} could not be written: it is set aside. ${written.error.message.en}`,
      },
    });
  }
  return ok(bytesDigest(text));
}
