/** The key generation recomputed from the key-ceremony transcript (docs/dkg.md, docs/record.md §3). */
import { verifyDkgResult, type ComplaintEntry, type DkgResult, type Round1Entry } from '../crypto/dkg/index.js';
import { decodePointHex } from '../crypto/elgamal.js';
import type { Point } from '../crypto/group.js';
import { catchInput } from '../common/result.js';
import type { ElectionDefinition } from './definition.js';
import { RECORD_FILES } from './record-files.js';
import { memberOfActor, type TranscriptEntry } from './transcript.js';
import { Report } from './check-report.js';

/** Recomputes the DKG from the key-ceremony entries (docs/dkg.md); returns the result when it holds. */
export function checkDkg(
  report: Report,
  def: ElectionDefinition,
  fp: Uint8Array,
  entries: readonly TranscriptEntry[],
  enrolled: Map<number, { identityKey: string; encryptionKey: string }>,
): DkgResult | undefined {
  const where = RECORD_FILES.keyCeremony;
  const n = def.board.members.length;
  const round1: Round1Entry[] = [];
  const complaints: ComplaintEntry[] = [];
  let claimed: unknown;
  for (const e of entries) {
    const actor = typeof e.actor === 'string' ? memberOfActor(e.actor) : undefined;
    // Only members of this board take part (an entry by anyone else is already a transcript failure).
    const j = actor !== undefined && actor <= n ? actor : undefined;
    const p = (typeof e.payload === 'object' && e.payload !== null ? e.payload : {}) as Record<string, unknown>;
    if (e.type === 'member.enrolled' && j !== undefined && p['member'] === j && !enrolled.has(j) && typeof p['identityKey'] === 'string' && typeof p['encryptionKey'] === 'string') {
      enrolled.set(j, { identityKey: p['identityKey'], encryptionKey: p['encryptionKey'] });
    } else if (e.type === 'dkg.round1' && j !== undefined) round1.push({ member: j, message: p['message'] });
    else if (e.type === 'dkg.checked' && j !== undefined && Array.isArray(p['complaints'])) for (const c of p['complaints']) complaints.push({ member: j, complaint: c });
    else if (e.type === 'dkg.result' && claimed === undefined) claimed = p['result'];
  }
  const keys: Point[] = [];
  for (let j = 1; j <= n; j++) {
    const k = enrolled.get(j);
    const declared = def.board.members[j - 1]!.identityKey;
    if (k !== undefined && declared !== undefined && declared !== k.identityKey) {
      report.fail(
        'dkg.identity-key',
        `Le membre ${j} s'est inscrit avec une autre clé d'identité que celle de la définition.`,
        `Member ${j} enrolled with another identity key than the definition's.`,
        `${where} member ${j}`,
      );
    }
    const point = k === undefined ? undefined : catchInput(() => decodePointHex(k.encryptionKey, `encryption key of member ${j}`));
    if (point === undefined || !point.ok) {
      report.fail('dkg.enrolment', `Clé de chiffrement du membre ${j} absente ou invalide.`, `Member ${j}'s encryption key is missing or invalid.`, `${where} member ${j}`);
      return undefined;
    }
    keys.push(point.value);
  }
  if (claimed === undefined) {
    report.fail('dkg.result-missing', 'Le journal ne publie pas le résultat de la génération de clé.', 'The transcript does not publish the key-generation result.', where);
    return undefined;
  }
  const r = verifyDkgResult({ fingerprint: fp, n, t: def.board.threshold }, keys, round1, complaints, claimed);
  if (!r.ok) {
    report.failure(r.error, where);
    return undefined;
  }
  return r.value;
}
