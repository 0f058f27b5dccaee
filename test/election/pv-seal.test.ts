/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit untrusted JSON freely */
/**
 * The seals printed on the procès-verbaux (docs/results.md §2–§3): written, read back, and checked
 * against a record; every way a paper or a record can differ is refused with its own code.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import { buildManifest, manifestText, recordFingerprint } from '../../src/core/election/record.js';
import { signPv } from '../../src/core/election/results.js';
import { parsePvSeal, parseResultsSeal, PV_SEAL_PREFIX, pvSealOf, pvSealPayload, pvSha256, resultsSealPayload } from '../../src/core/election/pv-seal.js';
import { checkPvSeal, checkResultsSeal } from '../../src/core/verifier/seal-check.js';
import { tempDir } from '../helpers/pipeline.js';
import { sealedRecord, type SealedRecord } from '../helpers/sealed-record.js';

function code<T>(r: Result<T>): string {
  if (r.ok) return 'ok';
  expect(r.error.message.fr).not.toBe('');
  expect(r.error.message.en).not.toBe('');
  expect(r.error.message.fr).not.toBe(r.error.message.en);
  return r.error.code;
}

/** A copy of the record, changed, its manifest re-made (as a forger would) unless `reseal` is false. */
async function changed(base: string, change: (dir: string) => void, reseal = true): Promise<string> {
  const dir = join(tempDir('sceau-seal-'), 'record');
  cpSync(base, dir, { recursive: true });
  change(dir);
  if (reseal) writeFileSync(join(dir, 'manifest.json'), manifestText(await buildManifest(dir)));
  return dir;
}

const editResults =
  (f: (r: any) => void) =>
  (dir: string): void => {
    const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    f(r);
    writeFileSync(join(dir, 'results.json'), `${JSON.stringify(r, null, 1)}\n`);
  };

describe('PV seal', () => {
  let rec: SealedRecord;
  let seal: string;
  beforeAll(async () => {
    rec = await sealedRecord();
    seal = pvSealOf(rec.results, rec.recordFingerprint, rec.results.constituencies[0]!);
  });

  it('is written as documented and reads back', () => {
    const pv = rec.results.constituencies[0]!;
    const sigs = rec.results.signatures.filter((s) => s.constituency === pv.constituency);
    expect(seal).toBe(
      `sceau:pv:1:${rec.results.election.toUpperCase()}:${rec.recordFingerprint.toUpperCase()}:c001:${pvSha256(pv).toUpperCase()}:` +
        sigs.map((s) => `${s.member}.${s.signature.toUpperCase()}`).join('+'),
    );
    const parsed = parsePvSeal(`  ${seal.toLowerCase().replace('sceau:pv:1:', PV_SEAL_PREFIX)}\n`);
    expect(parsed).toEqual({
      ok: true,
      value: {
        election: rec.results.election,
        record: rec.recordFingerprint,
        constituency: 'c001',
        pvSha256: pvSha256(pv),
        signatures: sigs.map((s) => ({ member: s.member, signature: s.signature })),
      },
    });
    expect(pvSealPayload({ ...(parsed as any).value, signatures: [...(parsed as any).value.signatures].reverse() })).toBe(seal);
  });

  it('checks against its record, for every constituency, with keys from the definition or from the key ceremony', async () => {
    for (const pv of rec.results.constituencies) {
      const r = await checkPvSeal(rec.dir, pvSealOf(rec.results, rec.recordFingerprint, pv));
      expect(code(r)).toBe('ok');
      if (r.ok) {
        expect(r.value.pv).toEqual(pv);
        expect(r.value.constituency.id).toBe(pv.constituency);
        expect(r.value.members.map((m) => m.index)).toEqual([3, 4, 5]);
        expect(r.value.recordFingerprint).toBe(rec.recordFingerprint);
      }
    }
    const enrolledOnly = await sealedRecord({ keysInDefinition: false });
    expect(enrolledOnly.definition.board.members.every((m) => m.identityKey === undefined)).toBe(true);
    expect(code(await checkPvSeal(enrolledOnly.dir, pvSealOf(enrolledOnly.results, enrolledOnly.recordFingerprint, enrolledOnly.results.constituencies[1]!)))).toBe('ok');
    // The key ceremony's transcript is checked before its keys are believed.
    const broken = await changed(enrolledOnly.dir, (d) => {
      const lines = readFileSync(join(d, 'keyceremony.jsonl'), 'utf8').split('\n');
      lines[1] = lines[1]!.replace('SCEAU-2', 'SCEAU-9');
      writeFileSync(join(d, 'keyceremony.jsonl'), lines.join('\n'));
    });
    const m = readFileSync(join(broken, 'manifest.json'));
    expect(code(await checkPvSeal(broken, pvSealOf(enrolledOnly.results, recordFingerprint(m), enrolledOnly.results.constituencies[0]!)))).toBe('seal.key-ceremony');
  });

  it('names a member whose key is nowhere, a malformed manifest and malformed results', async () => {
    const unenrolled = await sealedRecord({ keysInDefinition: false, enrolled: [1, 2, 3, 4] });
    const r = await checkPvSeal(unenrolled.dir, pvSealOf(unenrolled.results, unenrolled.recordFingerprint, unenrolled.results.constituencies[0]!));
    expect(code(r)).toBe('seal.member-key');
    expect(!r.ok && r.error.where).toBe('member 5');
    const garbled = await changed(rec.dir, (d) => writeFileSync(join(d, 'manifest.json'), '{"files":'), false);
    expect(code(await checkPvSeal(garbled, seal))).toBe('seal.record-malformed');
    // A record whose results.json is malformed, sealed by its manifest: the paper is of that record, its results are unusable.
    const malformed = await changed(
      rec.dir,
      editResults((x) => (x.constituencies[0].votes = ['7'])),
    );
    const again = pvSealPayload({ ...(parsePvSeal(seal) as any).value, record: recordFingerprint(readFileSync(join(malformed, 'manifest.json'))) });
    expect(code(await checkPvSeal(malformed, again))).toBe('seal.results-malformed');
  });

  it('refuses a record signed by fewer members than the threshold, or by none, even when every signature holds', async () => {
    for (const present of [[4, 5], []]) {
      const few = await sealedRecord({ present });
      const pv = few.results.constituencies[0]!;
      // A PV seal without any signature is not even a whole seal.
      expect(code(await checkPvSeal(few.dir, pvSealOf(few.results, few.recordFingerprint, pv)))).toBe(present.length === 0 ? 'seal.truncated' : 'seal.quorum');
      expect(code(await checkResultsSeal(few.dir, resultsSealPayload({ election: few.results.election, record: few.recordFingerprint, resultsSha256: few.resultsSha256 })))).toBe('seal.quorum');
    }
  });

  it('refuses a changed figure', async () => {
    const pv = rec.results.constituencies[0]!;
    const forged = { ...pv, votes: [pv.votes[0]! + 1, ...pv.votes.slice(1)], exprimes: pv.exprimes + 1, votants: pv.votants + 1 };
    const r = await checkPvSeal(rec.dir, pvSealOf(rec.results, rec.recordFingerprint, forged));
    expect(code(r)).toBe('seal.pv-mismatch');
    expect(!r.ok && r.error.where).toBe('c001');
  });

  it('refuses a signature from another member, naming the member, and signatories who were not present', async () => {
    const p = (parsePvSeal(seal) as any).value;
    const swapped = p.signatures.map((s: any, i: number) => ({ member: s.member, signature: p.signatures[(i + 1) % 3].signature }));
    const r = await checkPvSeal(rec.dir, pvSealPayload({ ...p, signatures: swapped }));
    expect(code(r)).toBe('seal.signature');
    expect(!r.ok && r.error.where).toBe('member 3');
    expect(!r.ok && r.error.message.en).toContain('member 3');
    // Member 1 (not present) signs the same PV with their own key: a true signature, but not a signatory.
    const pv = rec.results.constituencies[0]!;
    const member1 = { member: 1, signature: signPv(rec.identities[0]!.secretKey, rec.fingerprint, pv) };
    expect(code(await checkPvSeal(rec.dir, pvSealPayload({ ...p, signatures: [member1, ...p.signatures.slice(1)] })))).toBe('seal.signers');
    expect(code(await checkPvSeal(rec.dir, pvSealPayload({ ...p, signatures: p.signatures.slice(0, 2) })))).toBe('seal.signers');
    // A forged signature under member 5's number.
    const bad = p.signatures.map((s: any) => (s.member === 5 ? { member: 5, signature: `${'0'.repeat(127)}1` } : s));
    const r5 = await checkPvSeal(rec.dir, pvSealPayload({ ...p, signatures: bad }));
    expect(code(r5)).toBe('seal.signature');
    expect(!r5.ok && r5.error.where).toBe('member 5');
  });

  it('refuses a paper of another record of the same election, and of another election', async () => {
    const other = await changed(
      rec.dir,
      editResults((r) => r.signatures.reverse()),
    );
    expect(code(await checkPvSeal(other, seal))).toBe('seal.other-record');
    const otherElection = await sealedRecord({ seed: 2 });
    expect(code(await checkPvSeal(otherElection.dir, seal))).toBe('seal.other-election');
    expect(code(await checkPvSeal(tempDir('sceau-empty-'), seal))).toBe('seal.record-missing');
    const constituency = pvSealPayload({ ...(parsePvSeal(seal) as any).value, constituency: 'c099' });
    expect(code(await checkPvSeal(rec.dir, constituency))).toBe('seal.constituency');
  });

  it('refuses a record changed after printing: resealed (another record) or not (a file no longer its manifest’s)', async () => {
    const recount = editResults((r) => {
      r.constituencies[0].nuls += 1;
      r.constituencies[0].votants += 1;
    });
    expect(code(await checkPvSeal(await changed(rec.dir, recount), seal))).toBe('seal.other-record');
    const behind = await changed(rec.dir, recount, false);
    const r = await checkPvSeal(behind, seal);
    expect(code(r)).toBe('seal.file-changed');
    expect(!r.ok && r.error.where).toBe('results.json');
  });

  it('refuses every truncation: incomplete, or (cut between two signatures) not the members present', async () => {
    let truncatedCount = 0;
    for (let n = PV_SEAL_PREFIX.length; n < seal.length; n++) {
      const cut = seal.slice(0, n);
      const parsed = parsePvSeal(cut);
      if (parsed.ok) {
        expect(seal[n]).toBe('+');
        expect(code(await checkPvSeal(rec.dir, cut))).toBe('seal.signers');
      } else {
        expect(code(parsed)).toBe('seal.truncated');
        truncatedCount++;
      }
    }
    expect(truncatedCount).toBe(seal.length - PV_SEAL_PREFIX.length - 2);
  });

  it('names what is not a seal, another version, and a malformed field', () => {
    expect(code(parsePvSeal('https://example.org/'))).toBe('seal.not-a-seal');
    expect(code(parsePvSeal(seal.replace('sceau:pv:1:', 'sceau:pv:3:')))).toBe('seal.version');
    expect(code(parsePvSeal(seal.replace('sceau:pv:1:', 'sceau:results:1:')))).toBe('seal.not-a-seal');
    expect(code(parsePvSeal(`${seal}:extra`))).toBe('seal.malformed');
    expect(code(parsePvSeal(seal.replace(':C001:', ':c 1:').replace(':c001:', ':c 1:')))).toBe('seal.malformed');
    expect(code(parsePvSeal(seal.replace('+4.', '+04.')))).toBe('seal.malformed');
    expect(code(parsePvSeal(seal.replace('+4.', '+3.')))).toBe('seal.malformed');
    const p = (parsePvSeal(seal) as any).value;
    expect(code(parsePvSeal(pvSealPayload({ ...p, signatures: [] })))).toBe('seal.truncated');
    expect(code(parsePvSeal(seal.replace(/.$/, 'G')))).toBe('seal.malformed');
  });
});

describe('results seal', () => {
  let rec: SealedRecord;
  let seal: string;
  beforeAll(async () => {
    rec = await sealedRecord({ constituencies: 3, keysInDefinition: false });
    seal = resultsSealPayload({ election: rec.results.election, record: rec.recordFingerprint, resultsSha256: rec.resultsSha256 });
  });

  it('is written as documented, reads back, and checks with every signature of results.json', async () => {
    expect(seal).toBe(`sceau:results:1:${rec.results.election.toUpperCase()}:${rec.recordFingerprint.toUpperCase()}:${rec.resultsSha256.toUpperCase()}`);
    expect(parseResultsSeal(seal)).toEqual({ ok: true, value: { election: rec.results.election, record: rec.recordFingerprint, resultsSha256: rec.resultsSha256 } });
    const r = await checkResultsSeal(rec.dir, seal);
    expect(code(r)).toBe('ok');
    if (r.ok) expect(r.value.results.constituencies).toEqual(rec.results.constituencies);
  });

  it('refuses another record, other results, a truncation and a bad signature in the record', async () => {
    const other = await changed(
      rec.dir,
      editResults((r) => r.signatures.reverse()),
    );
    expect(code(await checkResultsSeal(other, seal))).toBe('seal.other-record');
    const otherResults = resultsSealPayload({ election: rec.results.election, record: rec.recordFingerprint, resultsSha256: '11'.repeat(32) });
    expect(code(await checkResultsSeal(rec.dir, otherResults))).toBe('seal.results-mismatch');
    expect(code(parseResultsSeal(seal.slice(0, -1)))).toBe('seal.truncated');
    expect(code(parseResultsSeal(seal.slice(0, 30)))).toBe('seal.truncated');
    expect(code(parseResultsSeal(seal.replace('sceau:results:1:', 'sceau:pv:1:')))).toBe('seal.not-a-seal');
    // A record whose results.json carries a signature of member 4 that does not verify.
    const forged = await changed(
      rec.dir,
      editResults((r) => {
        const s = r.signatures.find((x: any) => x.member === 4 && x.constituency === 'c002');
        s.signature = `${s.signature.slice(0, 126)}${s.signature.endsWith('00') ? '01' : '00'}`;
      }),
    );
    const m = readFileSync(join(forged, 'manifest.json'));
    const rs = readFileSync(join(forged, 'results.json'));
    const r = await checkResultsSeal(forged, resultsSealPayload({ election: rec.results.election, record: recordFingerprint(m), resultsSha256: toHex(sha256(rs)) }));
    expect(code(r)).toBe('seal.signature');
    expect(!r.ok && r.error.where).toBe('member 4');
  });
});
