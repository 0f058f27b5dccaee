/**
 * The verifier's own check of the tally transcript's actors and order (docs/tally-ceremony.md §2, §4, §6;
 * docs/record.md §8): who may sign what in `tally.jsonl`, and the script's order replayed on its entries.
 * It is a second implementation, written from the docs: it shares no rule with the ceremony code it
 * checks (src/core/ceremony/tally/), so that a bug in one is caught by the other
 * (test/verifier/independent-tally-order.test.ts holds the two against each other).
 *
 * Where the docs say nothing, this follows what the ceremony does; each such point is marked
 * "Docs silent:" in these modules, so the docs can be made to say it.
 *
 * Memory: the transcript holds one entry per step, per shuffle round and per member, never one per
 * ballot; what is kept is a few numbers per constituency (its ballots, its shuffle digests).
 *
 * Its parts: ./tally-order-entries.ts (the entries' names, refusals and payload shapes),
 * ./tally-order-actors.ts (who signs with which key, who may make which entry) and ./tally-order-steps.ts
 * (each step's rules); this module replays them in order.
 */
import { ok, type Failure, type Result } from '../common/result.js';
import type { TallyOrderBasis, TallyOrderDefinition, TallyOrderReached, TallyTranscriptEntry } from './tally-order-types.js';
import { authorRefused, isWorkstationActor } from './tally-order-actors.js';
import { disagrees, ENTRY, formOf, isEntryShaped, outOfOrder, refusal } from './tally-order-entries.js';
import { moveOn, STEPS, type Context, type Progress } from './tally-order-steps.js';
import { isSessionAnnouncement, workstationActorOf } from './transcript.js';

// What the verifier's other modules and the tests read from here, wherever it is written.
export { tallyActorResolver, type TallyActorKeys } from './tally-order-actors.js';

// --- What is read -------------------------------------------------------------------------------

export type { TallyTranscriptEntry, TallyOrderDefinition, TallyOrderBasis, TallyOrderPhase, TallyOrderReached } from './tally-order-types.js';

/**
 * The script's order (docs/tally-ceremony.md §2), replayed one entry at a time, in transcript order, on
 * entries whose chain and signatures are checked apart. The first entry refused is the verdict: every
 * later call returns it again. Codes: `tally.order`, `tally.entry`, `tally.open-entry`,
 * `decryption.not-qualified`, `tally.member-twice`, `tally.not-decrypting`.
 */
export class TallyOrderCheck {
  private readonly ctx: Context;
  private readonly s: Progress;
  private refused: Failure | undefined;

  constructor(def: TallyOrderDefinition, basis: TallyOrderBasis) {
    this.ctx = { def, basis, qualified: new Set(basis.qualified), constituencyIds: def.constituencies.map((c) => c.id) };
    this.s = {
      phase: 'import',
      opened: false,
      active: [],
      shuffled: new Map(),
      shufflesRecorded: 0,
      decryptions: [],
      decrypted: new Set(),
      signatures: [],
      signed: new Set(),
      sessions: [],
      workstationKeys: new Map(),
      deviations: [],
      refusedShares: [],
      seen: 0,
    };
  }

  /** Takes the next entry of the transcript. */
  accept(e: TallyTranscriptEntry): Result<void> {
    if (this.refused !== undefined) return { ok: false, error: this.refused };
    const r = this.apply(e);
    if (!r.ok) this.refused = r.error;
    else this.s.seen++;
    return r;
  }

  /** The verdict so far: how far the transcript went (a view that later entries update), or the first entry refused. */
  get verdict(): Result<TallyOrderReached> {
    return this.refused !== undefined ? { ok: false, error: this.refused } : ok(this.reached());
  }

  private apply(e: TallyTranscriptEntry): Result<void> {
    const s = this.s;
    // An entry read leniently may hold anything: its seq, actor and type are read below as what they should be.
    if (!isEntryShaped(e)) return disagrees(e, 'entrée mal formée.', 'malformed entry.');
    // Nothing follows tally.results, not even a workstation announcing itself (§2).
    if (s.phase === 'closed') return refusal(e, 'tally.order', 'le dépouillement est clos.', 'the tally is closed.');
    if (e.type === ENTRY.session) return this.announce(e);
    // Docs silent: the transcript starts with the workstation's session (as key-ceremony.md §5 says of its own).
    if (s.seen === 0 || e.seq === 0) return outOfOrder(e, s.phase);
    const author = authorRefused(e);
    if (author !== undefined) return author;
    if (!s.opened && e.type !== ENTRY.open) return outOfOrder(e, s.phase);
    const step = STEPS.get(e.type);
    if (step === undefined) return disagrees(e, "type d'entrée inconnu.", 'unknown entry type.');
    const r = step(s, e, this.ctx);
    if (r.ok && e.type !== ENTRY.deviation) moveOn(s, this.ctx.def.board.threshold);
    return r;
  }

  /**
   * A `workstation.session` (§1 step 1, §4, key-ceremony.md §3, §4.1): by a workstation, at any point before
   * the closing (a new run of the app after a crash announces itself again), a session announcement
   * (exactly its seven fields, of their types) whose `publicKey` is its actor's key: the key its first
   * session registered, or, for that first one, a key whose first 16 hex digits name the actor. A second
   * session of a registered actor announcing another key, or anything else, is `tally.entry`.
   */
  private announce(e: TallyTranscriptEntry): Result<void> {
    if (!isWorkstationActor(e.actor)) return disagrees(e, 'seul un poste annonce une session.', 'only a workstation announces a session.');
    const formed = formOf(e, false);
    if (!formed.ok) return formed;
    const p = formed.value;
    if (!isSessionAnnouncement(p)) return disagrees(e, 'annonce de session mal formée.', 'malformed session announcement.');
    const registered = this.s.workstationKeys.get(e.actor);
    if (registered === undefined ? workstationActorOf(p.publicKey) !== e.actor : p.publicKey !== registered) {
      return disagrees(e, "la clé annoncée n'est pas celle de ce poste.", "the announced key is not this workstation's.");
    }
    if (registered === undefined) this.s.workstationKeys.set(e.actor, p.publicKey);
    this.s.sessions.push({ seq: e.seq, actor: e.actor });
    return ok(undefined);
  }

  private reached(): TallyOrderReached {
    const s = this.s;
    return {
      phase: s.phase,
      opened: s.opened,
      ...(s.open === undefined ? {} : { open: s.open }),
      ...(s.import === undefined ? {} : { import: s.import }),
      ...(s.receipts === undefined ? {} : { receipts: s.receipts }),
      active: s.active,
      shuffled: s.shuffled,
      decryptions: s.decryptions,
      ...(s.count === undefined ? {} : { count: s.count }),
      signatures: s.signatures,
      ...(s.board === undefined ? {} : { board: s.board }),
      refusedShares: s.refusedShares,
      ...(s.results === undefined ? {} : { results: s.results }),
      sessions: s.sessions,
      deviations: s.deviations,
    };
  }
}

/** The order check of a whole transcript (any iterable: entries may be read as they stream by). */
export function checkTallyOrder(def: TallyOrderDefinition, entries: Iterable<TallyTranscriptEntry>, basis: TallyOrderBasis): Result<TallyOrderReached> {
  const check = new TallyOrderCheck(def, basis);
  for (const e of entries) if (!check.accept(e).ok) break;
  return check.verdict;
}
