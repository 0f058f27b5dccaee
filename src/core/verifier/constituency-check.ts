/** One constituency's tally file (docs/record.md §6): its shuffles in sequence, its partial decryptions, their combination and decoding. */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { tallyFile } from './record-files.js';
import type { PackedCiphertexts } from '../crypto/backend/packed.js';
import { WorkerPool } from '../workers/pool.js';
import type { CheckOutput, CombineOutput, CombineTask } from '../workers/tasks.js';
import type { TranscriptEntry } from './transcript.js';
import { readTallyFile, TALLY_FILE_FORMAT } from './tally-file.js';
import { readFileShared } from '../common/shared-file.js';
import { countEn, countFr } from '../common/plural.js';
import { Report, canonicalOrEmpty, digestOf, entryFor, missing, objects, payloadOf } from './check-report.js';
import { hasExactly } from './shapes.js';

export const NO_CIPHERTEXTS: PackedCiphertexts = { n: 0, a: new Uint8Array(0), b: new Uint8Array(0) };

export const TALLY_FILE_KEYS = ['format', 'constituency', 'ballots', 'shuffles', 'partials', 'plaintexts', 'decoded'] as const;

export async function checkConstituency(
  report: Report,
  dir: string,
  pool: WorkerPool,
  fpHex: string,
  electionKey: string,
  dkg: CombineTask['dkg'],
  cid: string,
  candidates: number,
  inputs: PackedCiphertexts,
  entries: readonly TranscriptEntry[],
  rounds: number,
): Promise<{ decoded: (number | null)[]; members: number[] } | undefined> {
  const name = tallyFile(cid);
  const bytes = await readFileShared(join(dir, ...name.split('/')));
  const read = bytes === undefined ? undefined : readTallyFile(bytes, cid, inputs.n);
  if (read === undefined) {
    missing(report, name);
    return undefined;
  }
  const f = read.file;
  const partials = objects(f['partials']);
  if (!hasExactly(f, TALLY_FILE_KEYS) || f['format'] !== TALLY_FILE_FORMAT || !Array.isArray(f['partials']) || partials.length !== f['partials'].length) {
    report.fail('tally.file-shape', `${name} n'a pas exactement la forme de docs/record.md §6.`, `${name} does not have exactly the shape of docs/record.md §6.`, name);
  }
  const countMembers = entries.find((e) => e.type === 'tally.count');
  const countedMembers = countMembers === undefined ? undefined : payloadOf(countMembers)['members'];
  if (canonicalOrEmpty(partials.map((p) => p['member'])) !== canonicalOrEmpty(countedMembers)) {
    report.fail(
      'tally.partial-members',
      `Les déchiffrements partiels de ${cid} ne sont pas exactement ceux des membres que le comptage a combinés.`,
      `The partial decryptions of ${cid} are not exactly those of the members the count combined.`,
      `${name} partials`,
    );
  }
  if (f['constituency'] !== cid || f['ballots'] !== inputs.n) {
    report.fail('tally.inputs', `Le fichier ne porte pas sur les ${inputs.n} bulletins acceptés de ${cid}.`, `The file is not about the ${inputs.n} accepted ballots of ${cid}.`, name);
  }
  if (read.rounds === 0) {
    report.fail('shuffle.none', `Aucun mélange pour ${cid}.`, `No shuffle for ${cid}.`, name);
    return undefined;
  }
  if (read.rounds !== rounds) {
    report.fail(
      'tally.shuffle-count',
      `${cid} a ${countFr(read.rounds, 'mélange', 'mélanges')} au lieu du nombre fixé à l'ouverture du dépouillement (${rounds}).`,
      `${cid} has ${countEn(read.rounds, 'shuffle', 'shuffles')} instead of the number set when the tally opened (${rounds}).`,
      name,
    );
  }
  // Every shuffle proof, in sequence: shuffle k takes shuffle k−1's outputs (the accepted ballots for k = 0).
  let current: PackedCiphertexts = inputs;
  let chainOk = true;
  for (let k = 0; k < read.rounds; k++) {
    // The worker is given the mix's canonical text (bytes, read there without objects); the
    // transcript's digest is of that same text. A mix with none (not JSON values) is refused there.
    const { text, value } = read.mix(k);
    const bad = await pool.run<CheckOutput>({ kind: 'verify-shuffle', fingerprint: fpHex, electionKey, inputs: current, shuffle: value });
    if (bad !== null) {
      report.failure(bad, `${name} shuffles[${k}]`);
      chainOk = false;
    }
    const entry = entryFor(entries, 'tally.shuffle', (p) => p['constituency'] === cid && p['round'] === k + 1);
    if (entry === undefined || text === null || payloadOf(entry)['digest'] !== createHash('sha256').update(text).digest('hex')) {
      report.fail(
        'tally.shuffle-entry',
        `Le mélange ${k + 1} de ${cid} n'est pas celui que le journal enregistre.`,
        `Shuffle ${k + 1} of ${cid} is not the one the transcript records.`,
        `${name} shuffles[${k}]`,
      );
    }
    // Malformed outputs fail this round's check above; the next round then checks against no inputs.
    current = read.mixOutputs(k) ?? NO_CIPHERTEXTS;
  }
  if (!chainOk) return undefined;
  const members: number[] = [];
  for (const p of partials) {
    const j = p['member'];
    if (typeof j !== 'number') continue;
    members.push(j);
    // Member j's own tally.decryption entry names the digest of each of their partial decryptions.
    const recorded = entries
      .filter((e) => e.type === 'tally.decryption' && e.actor === `member:${j}` && payloadOf(e)['member'] === j)
      .flatMap((e) => objects(payloadOf(e)['partials']))
      .find((q) => q['constituency'] === cid);
    if (recorded === undefined || recorded['digest'] !== digestOf(p)) {
      report.fail(
        'tally.partial-entry',
        `Le déchiffrement partiel du membre ${j} pour ${cid} n'est pas celui que le journal enregistre.`,
        `Member ${j}'s partial decryption for ${cid} is not the one the transcript records.`,
        `${name} member ${j}`,
      );
    }
  }
  // Each partial is checked against the key ceremony's Y_j, and only a member of Q's counts (tasks.ts).
  const keyed = partials.filter((p) => typeof p['member'] === 'number').map((p) => ({ member: p['member'] as number, partial: p }));
  const combined = await pool.run<CombineOutput>({ kind: 'combine', fingerprint: fpHex, constituency: cid, candidates, dkg, ciphertexts: current, partials: keyed });
  if (!combined.ok) {
    report.failure(combined.error, name);
    return undefined;
  }
  const plaintexts = f['plaintexts'];
  if (!Array.isArray(plaintexts) || plaintexts.length !== combined.plaintexts.length || plaintexts.some((x, i) => x !== combined.plaintexts[i])) {
    report.fail(
      'decryption.combination',
      `Les points déchiffrés publiés pour ${cid} ne sont pas ceux que donnent les déchiffrements partiels.`,
      `The decrypted points published for ${cid} are not those the partial decryptions give.`,
      `${name} plaintexts`,
    );
  }
  const decoded = f['decoded'];
  if (!Array.isArray(decoded) || decoded.length !== combined.decoded.length || decoded.some((x, i) => x !== combined.decoded[i])) {
    report.fail('count.decoding', `Le décodage publié des bulletins de ${cid} est faux.`, `The published decoding of ${cid}'s ballots is wrong.`, `${name} decoded`);
  }
  return { decoded: combined.decoded, members };
}
