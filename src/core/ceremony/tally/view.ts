/**
 * The public view of a tally (types.ts TallyView) for the screens and the projector: the phase, the board
 * and who has decrypted or signed, the urn report, the shuffles made, the PVs once counted, and every
 * refusal recorded. Built from the transcript and the record's files: it never holds a secret.
 */
import { toHex } from '../../common/bytes.js';
import type { TallyCeremony } from './ceremony.js';
import { boardVisitsDue } from './board-state.js';
import { shufflesDone, shufflesDue, type TallyState } from './state.js';
import type { TallyBoardView, TallyView } from './types.js';

/** Step 7b as the screens show it (types.ts TallyBoardView). */
function boardView(s: Readonly<TallyState>): TallyBoardView | null {
  if (s.boardKey === null) return null;
  const r = s.boardRound;
  const signed = s.boardSignature;
  const able = s.boardHolders.filter((j) => !(r?.excluded.includes(j) ?? false));
  return {
    key: s.boardKey,
    signed: signed !== undefined,
    round: r?.round ?? 1,
    committed: r === undefined ? [] : [...r.committed.keys()],
    signers: signed !== undefined ? [...signed.signers] : r?.fixed === undefined ? null : [...r.fixed.signers],
    shared: signed !== undefined ? [...signed.signers] : r === undefined ? [] : [...r.shares.keys()],
    excluded: r === undefined ? [] : [...r.excluded],
    holders: [...s.boardHolders],
    able,
    possible: able.length >= s.t,
    abandoned: s.boardAbandoned !== undefined,
    due: boardVisitsDue(s),
  };
}

export async function tallyView(c: TallyCeremony): Promise<TallyView> {
  // One snapshot: a step recording meanwhile replaces the state, it does not change this one.
  const s = c.state;
  const head = c.head;
  const urn = await c.urnReport();
  const def = c.definition;
  return {
    folder: c.folder,
    election: { id: def.id, title: def.title, fingerprint: toHex(c.fingerprint) },
    keyCeremonyHead: s.keyCeremonyHead ?? '',
    phase: s.phase,
    shuffles: s.shuffles,
    t: s.t,
    members: s.members.map((m) => ({
      index: m.index,
      name: m.name,
      role: m.role,
      president: m.president,
      qualified: m.qualified,
      decrypted: m.decrypted,
      signed: m.signed,
      boardSigned: m.boardSigned,
      refusals: s.deviations.filter((d) => d.payload.member === m.index).map((d) => ({ seq: d.seq, message: d.payload.message })),
    })),
    urn: urn.ok ? urn.value : null,
    receipts: s.receipts === undefined ? null : { count: s.receipts.count, sha256: s.receipts.sha256 },
    shuffled: { done: shufflesDone(s), total: shufflesDue(s) },
    results: c.pvViews(),
    board: boardView(s),
    recordFingerprint: await c.recordFingerprint(),
    head,
    deviations: s.deviations.map((d) => ({ seq: d.seq, kind: d.payload.kind, member: d.payload.member, message: d.payload.message })),
    failure: urn.ok ? null : urn.error,
  };
}
