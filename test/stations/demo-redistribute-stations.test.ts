/**
 * `sceau demo --stations --redistribute` (runDemo with member stations and `redistribute`, docs/stations.md
 * §7): key ceremony 3 of 5 on the members' stations, then the redistribution (member 2 leaves, member 6
 * joins) with every member's step on their own station, then the tally by members 3, 5 and 6 on theirs with
 * their new tokens. The workstation opens no token (its ports refuse). The results equal the ground truth,
 * the verifier replays the whole chain and reports every member step of the key ceremony and the tally on
 * a station; the summary of the results (a paper) counts the redistribution's steps on the stations too.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/core/simulation/demo.js';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { tallyDocumentPdf } from '../../src/core/service/tally-documents.js';
import { whereInWords } from '../../src/core/verifier/where.js';
import { pdfText } from '../helpers/pdf.js';
import { must, tallyContext } from '../helpers/tally.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { WorkerPool } from '../../src/core/workers/pool.js';

const pool = new WorkerPool(1);
afterAll(async () => {
  await pool.close();
});

describe('sceau demo --stations --redistribute', () => {
  it('the redistribution through packets on the members’ stations, then the tally on theirs: the ground truth, and the record verified', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sceau-demo-redistribute-stations-'));
    const record = join(root, 'record');
    const r = await runDemo({ voters: 8, constituencies: 1, candidates: 2, members: 5, threshold: 3 }, record, join(root, 'private'), {
      pool,
      redistribute: true,
      workstation: { memberStations: true },
    });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en} ${r.error.where ?? ''}`);
    expect(r.value.quorum).toEqual([3, 5, 6]);
    for (const pv of r.value.results.constituencies) {
      const truth = r.value.truth.constituencies[pv.constituency]!;
      expect({ votants: pv.votants, blancs: pv.blancs, nuls: pv.nuls, votes: pv.votes }).toEqual({ votants: truth.votants, blancs: truth.blancs, nuls: truth.nuls, votes: truth.votes });
    }
    // Every member entry of the redistribution was made on a station (its payload carries `station`).
    const lines = readFileSync(join(record, 'redistribution-1.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { actor: string; payload: Record<string, unknown> });
    const members = lines.filter((e) => /^(member|former):/.test(e.actor));
    expect(members.length).toBe(5 + 3 + 5 + 5 + 3);
    expect(members.every((e) => typeof e.payload['station'] === 'object')).toBe(true);
    // The packets went through the members' sticks; the dealers' old tokens were erased on their stations.
    expect(existsSync(join(root, 'private', 'sticks', 'member-6', `SCEAU-${r.value.definition.id}-paquet-redistribution`, 'packet.json'))).toBe(true);
    expect(existsSync(join(root, 'private', 'tokens', 'member-1', 'token.json'))).toBe(false);

    const verified = await verifyRecord(record, { pool });
    expect(verified.failures).toEqual([]);
    expect(verified.checks.find((c) => c.name === 'redistributions')).toEqual({ name: 'redistributions', failures: 0 });

    // Every member step on a station, the redistribution's 21 with them: the summary says so as sceau verify does.
    const where = verified.where!;
    expect(where.memberSteps.filter((s) => s.ceremony === 'redistribution' && s.station !== null)).toHaveLength(21);
    expect(where.memberSteps.every((s) => s.station !== null)).toBe(true);
    const tally = must(await TallyCeremony.open(record, tallyContext(pool), { readOnly: true }));
    const summary = pdfText(must(await tallyDocumentPdf(tally, 'summary')).bytes).replace(/\s+/g, ' ');
    // The same sentence as sceau verify's, whole (the English one may be crossed by the rehearsal's mark in the PDF's text).
    const steps = whereInWords(where).fr.find((line) => line.startsWith('Étapes secrètes des membres'))!;
    expect(steps).toContain(`${where.memberSteps.length} sur leurs postes`);
    expect(summary).toContain(steps.replace(/\s+/g, ' '));
  }, 400_000);
});
