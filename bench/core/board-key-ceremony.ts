/**
 * The board signing key's part of the key ceremony at board size (docs/key-ceremony.md §4.4): 15 members,
 * threshold 8, each member's step as the ceremony runs it (src/core/ceremony/key/board-key.ts) and what the
 * fold checks of it on arrival, every message crossing as JSON; a later reading of the boxes (cached), and one
 * complaint about a bad box, made at sealing and settled by the fold. Runs once per process (the board's size is
 * fixed; N is ignored). Alone: `npx tsx bench/core/board-key-ceremony.ts`.
 */
import { pathToFileURL } from 'node:url';
import {
  boardDealing,
  boardGroup,
  boardRound1,
  boardShareToSeal,
  initialBoardKey,
  readBoardBoxes,
  readBoardComplaints,
  readBoardPackage,
  type BoardStepInput,
} from '../../src/core/ceremony/key/board-key.js';
import { G, randomScalar, scalarToBytes } from '../../src/core/crypto/group.js';
import { sealBoardShares } from '../../src/core/crypto/frost/index.js';
import type { Result } from '../../src/core/common/result.js';
import type { Round1PackageJson, BoardShareBoxJson, GroupPublic } from '../../src/core/crypto/frost/index.js';
import { measure } from '../harness.js';

let done = false;

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
}

const viaJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export default function benchBoardKeyCeremony(_n: number): void {
  if (done) return;
  done = true;
  const n = 15;
  const t = 8;
  const fingerprint = new Uint8Array(32).fill(3);
  const members = Array.from({ length: n }, (_, i) => i + 1);
  const secrets = members.map(() => randomScalar());
  const input: BoardStepInput = { fingerprint, t, n, members, board: initialBoardKey(), encryptionKeys: secrets.map((e) => G.multiply(e)) };
  let packages: Round1PackageJson[] = [];
  measure(`board-key-contribution (board ${n}, t ${t}; per member: round-1 package from the token's key)`, n, () => {
    packages = members.map((j) => viaJson(boardRound1(fingerprint, t, n, j, secrets[j - 1]!, input.encryptionKeys)));
  });
  measure(`board-key-contribution-check (per package, as the fold checks it on arrival)`, n, () => {
    for (const j of members) input.board.round1.set(j, value(readBoardPackage(t, n, j, packages[j - 1])));
  });
  let dealt: BoardShareBoxJson[][] = [];
  measure(`board-key-checking (per member: state again, ${n - 1} shares dealt in boxes with proofs)`, n, () => {
    dealt = members.map((j) => viaJson(value(boardDealing(input, j, secrets[j - 1]!))));
  });
  measure(`board-key-checking-check (per member's ${n - 1} boxes, as the fold checks them on arrival)`, n, () => {
    for (const j of members) {
      const boxes = value(readBoardBoxes(input, j, dealt[j - 1]));
      input.board.boxes.set(j, boxes);
      for (const x of boxes) input.board.ephemerals.add(x.ephemeral.toHex());
    }
  });
  // Every step of the ceremony folds the whole transcript again: the second reading is what each later step pays.
  measure(`board-key-checking-check-again (per member's ${n - 1} boxes, as a later reading of the transcript checks them)`, n, () => {
    const seen = new Set<string>();
    for (const j of members) {
      const again = { ...input, board: { ...input.board, ephemerals: seen } };
      for (const x of value(readBoardBoxes(again, j, dealt[j - 1]))) seen.add(x.ephemeral.toHex());
    }
  });
  let group: GroupPublic | null = null;
  measure(`board-key-result (the board key from the ${n} packages)`, 1, () => {
    group = value(boardGroup(t, n, members, input.board));
  });
  measure(`board-key-sealing (per member, as step 3d runs it: state again, ${n - 1} boxes opened and checked, signing share)`, n, () => {
    for (const j of members) value(boardShareToSeal(input, group!, j, secrets[j - 1]!));
  });
  // Dealer 1's box to member 15 holds a wrong share: member 15's sealing complains, and the fold settles it.
  const binding = { fingerprint, params: { t, n, members }, dealer: input.board.round1.get(1)! };
  const [wrong] = sealBoardShares(binding, input.encryptionKeys, [{ from: 1, to: n, share: scalarToBytes(randomScalar()) }]);
  const tampered: BoardStepInput = {
    ...input,
    board: {
      ...input.board,
      boxes: new Map(input.board.boxes).set(
        1,
        input.board.boxes.get(1)!.map((x) => (x.recipient === n ? wrong! : x)),
      ),
    },
  };
  let sealing: unknown;
  measure(`board-key-complaint (member ${n}'s sealing: finish refused, ${n - 1} boxes checked again, one complaint)`, 1, () => {
    sealing = viaJson(value(boardShareToSeal(tampered, group!, n, secrets[n - 1]!)).entry);
  });
  measure(`board-key-complaint-check (the fold settles it: proof, box opened with S, share checked)`, 1, () => {
    const verdicts = value(readBoardComplaints(tampered, n, (sealing as { complaints: unknown[] }).complaints));
    if (verdicts[0]?.verdict !== 'upheld') throw new Error('the complaint should be upheld');
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) benchBoardKeyCeremony(0);
