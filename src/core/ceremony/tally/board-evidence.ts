/**
 * The evidence of a refused board share (docs/record.md §7, docs/tally-ceremony.md §4, docs/protocol.md
 * §12.8). A `board-share-refused` deviation that leaves its member out of the next attempt (any code but
 * `tally.board-nonces`) carries, as `evidence`, the member's `tally.board-share` entry exactly as they signed
 * it, and the fold holds it to be:
 *
 *   theirs      by `member:<j>`, of type `tally.board-share` and of its form; made at the workstation (with
 *               `seq` and `prev`, the deviation's own) or on their station (`station` in its payload, neither);
 *               signed by member j's enrolled identity key (the basis's `identityKeys`);
 *   this one's  for this attempt: member j, its round and `commitmentsSha256`, one item per message on the fixed
 *               lists' hashes and, with the PVs, on the messages' hashes;
 *   bad         failing the check a share gets on arrival (with the board key and the PVs): a share that
 *               passes it was good, and its member may not be left out.
 *
 * Without it, a workstation could write a made-up refusal and leave honest signers out until fewer than t
 * remain. The verifier checks the same from the docs (src/core/verifier/tally-order-evidence.ts, board-check.ts).
 */
import { fromHex } from '../../common/bytes.js';
import type { ElectionDefinition } from '../../election/definition.js';
import { boardMessages } from '../../election/board-messages.js';
import { entrySignatureValid, memberActor, stationOf, type TranscriptEntry } from '../../transcript/transcript.js';
import { listSha256, messageHashes } from './board-hashes.js';
import { checkShares, fixedLists } from './board-rounds.js';
import type { GroupPublic } from '../../crypto/frost/index.js';
import type { Pv } from '../../election/results.js';
import { TALLY_ENTRY, type BoardCommitmentJson, type TallyBoardSharePayload, type TallyDeviationPayload } from './types.js';

/** The attempt the deviation ends, as the fold holds it (board-state.ts BoardRound), its signers fixed. */
interface EndedAttempt {
  readonly round: number;
  readonly committed: ReadonlyMap<number, { readonly commitments: readonly BoardCommitmentJson[] }>;
  readonly fixed?: { readonly signers: readonly number[]; readonly commitmentsSha256: string };
}

/** What the checks read of the fold's basis (board-state.ts BoardBasis). */
interface EvidenceBasis {
  readonly board?: GroupPublic | null;
  readonly pvs?: readonly Pv[];
  readonly identityKeys?: ReadonlyMap<number, string>;
}

/** Why the evidence does not hold: `tally.entry` (not theirs, not this attempt's) or `tally.board-signature` (not for these messages, or a good share). */
export interface EvidenceRefusal {
  readonly code: 'tally.entry' | 'tally.board-signature';
  readonly fr: string;
  readonly en: string;
}

const notTheirs = (j: number, fr: string, en: string): EvidenceRefusal => ({
  code: 'tally.entry',
  fr: `la preuve de la part refusée du membre ${j} ${fr}`,
  en: `the evidence of member ${j}'s refused share ${en}`,
});

/** The refused share's evidence checked (see the module's comment); undefined when it holds. `r` is the attempt it ends, its signers fixed. */
export function evidenceRefusal(fingerprint: string, e: TranscriptEntry, p: TallyDeviationPayload, r: EndedAttempt, def: ElectionDefinition, basis: EvidenceBasis): EvidenceRefusal | undefined {
  const j = p.member!;
  // The evidence as written (the form's copy has the same canonical JSON): what the member's signature covers.
  const raw = (e.payload as { evidence?: Omit<TranscriptEntry, 'seq' | 'prev'> }).evidence;
  if (p.evidence === undefined || raw === undefined) {
    return notTheirs(
      j,
      'manque\u00a0: seule une part qui n’a pas pu être faite (tally.board-nonces) est refusée sans l’entrée signée du membre.',
      'is missing: only a share that could not be made (tally.board-nonces) is refused without the member’s signed entry.',
    );
  }
  const ev = p.evidence;
  const atWorkstation = ev.seq !== undefined;
  const placed = atWorkstation ? ev.seq === e.seq && ev.prev === e.prev && stationOf(ev) === undefined : stationOf(ev) !== undefined;
  if (ev.actor !== memberActor(j) || ev.type !== TALLY_ENTRY.boardShare || !placed) {
    return notTheirs(
      j,
      'n’est pas son entrée tally.board-share (faite au poste à la place de l’écart, ou sur son poste de membre).',
      'is not their tally.board-share entry (made at the workstation in the deviation’s place, or on their member station).',
    );
  }
  const key = basis.identityKeys?.get(j);
  const signed = key !== undefined && entrySignatureValid(fromHex(fingerprint), { ...raw, seq: ev.seq ?? 0, prev: ev.prev ?? e.prev }, fromHex(key));
  if (basis.identityKeys !== undefined && !signed) {
    return notTheirs(j, 'n’est pas signée par sa clé d’identité enrôlée.', 'is not signed by their enrolled identity key.');
  }
  // Its form is the deviation's (payloads.ts): a tally.board-share payload.
  return attemptRefusal(fingerprint, ev.payload as TallyBoardSharePayload, r, def, basis, j);
}

/** The evidence's payload for attempt `r` (its member, round, lists and messages) and a share that fails its check. */
function attemptRefusal(fingerprint: string, p: TallyBoardSharePayload, r: EndedAttempt, def: ElectionDefinition, basis: EvidenceBasis, j: number): EvidenceRefusal | undefined {
  const fixed = fixedLists(r.fixed!.signers, new Map([...r.committed].map(([m, c]) => [m, c.commitments])), def.constituencies.length + 1);
  const forLists = p.shares.length === fixed.json.length && p.shares.every((s, k) => s.list === listSha256(fixed.json[k]!));
  if (p.member !== j || p.round !== r.round || p.commitmentsSha256 !== r.fixed!.commitmentsSha256 || !forLists) {
    return notTheirs(j, 'n’est pas une part de cette tentative (membre, tentative, listes d’engagements fixées).', 'is not a share of this attempt (member, attempt, fixed commitment lists).');
  }
  if (basis.pvs === undefined) return undefined;
  const messages = boardMessages(fromHex(fingerprint), basis.pvs);
  const hashes = messageHashes(messages);
  if (p.shares.some((s, k) => s.message !== hashes[k])) {
    return {
      code: 'tally.board-signature',
      fr: `la preuve de la part refusée du membre ${j} ne porte pas sur les messages que le bureau signe.`,
      en: `the evidence of member ${j}'s refused share is not for the messages the board signs.`,
    };
  }
  if (basis.board === undefined || basis.board === null) return undefined;
  return checkShares(basis.board, messages, fixed, j, p.shares).ok
    ? {
        code: 'tally.board-signature',
        fr: `la part du membre ${j} donnée comme preuve passe sa vérification\u00a0: elle n'avait pas à être refusée, ni ce membre écarté.`,
        en: `member ${j}'s share given as evidence passes its check: it was not to be refused, nor this member left out.`,
      }
    : undefined;
}
