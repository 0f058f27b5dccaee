/**
 * A printed paper checked in the app against the board key alone (docs/audit.md §5.1): the seal's text as a
 * phone's QR reader shows it, the board key as 64 hex digits or the key ceremony's public-key.json. The same
 * code as `sceau verify --seal TEXT --board-key KEY` (src/core/verifier/seal-board.ts): a PV seal of version 2,
 * or a results seal of version 2 with the PVs' seals or hashes. No record is read.
 */
import { isAbsolute } from 'node:path';
import { ok, type Result } from '../common/result.js';
import { badKey, checkPvSealWithBoardKey, checkResultsSealWithBoardKey, readBoardKeyGiven, type BoardKeyGiven } from '../verifier/seal-board.js';
import type { PaperCheck } from './types.js';

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** The key as given: hex, or an absolute path to public-key.json (a relative path would depend on where the app runs). */
async function boardKey(given: string): Promise<Result<BoardKeyGiven>> {
  const t = given.trim();
  if (!HEX64.test(t) && !isAbsolute(t)) return badKey(t === '' ? '—' : t);
  return readBoardKeyGiven(t);
}

/** Checks the paper's seal `seal` against the board key; `pvs` (the PVs' seals or hashes, in order) for a results seal. */
export async function checkPaper(arg: { seal: string; boardKey: string; pvs?: readonly string[] }): Promise<Result<PaperCheck>> {
  const key = await boardKey(arg.boardKey);
  if (!key.ok) return key;
  const electionId = key.value.electionId ?? null;
  const text = arg.seal.trim();
  if (text.startsWith('sceau:results:')) {
    const r = checkResultsSealWithBoardKey(text, key.value, arg.pvs ?? []);
    return r.ok ? ok({ kind: 'results', electionId, ...r.value }) : r;
  }
  const r = checkPvSealWithBoardKey(text, key.value);
  return r.ok ? ok({ kind: 'pv', electionId, election: r.value.election, record: r.value.record, pv: r.value.pv }) : r;
}
