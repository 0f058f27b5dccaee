/**
 * The simulated election as a board with members' stations runs it (`sceau demo --stations`,
 * docs/stations.md): the workstation never opens a token (its token ports refuse); each member's
 * secret steps run on that member's own station, which has its own session, its own token folder and a
 * stick of its own; only member packets and answers cross, as folders on the sticks. Members who act in
 * the same step work in parallel, against the same packet head; the workstation places their answers.
 * At the tally, the last round of shuffles runs on a member's station, so that privacy does not rest on
 * the workstation alone.
 */
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import type { IdentityKeyPair } from '../crypto/signature.js';
import type { ElectionDefinition } from '../election/definition.js';
import { KeyCeremony, type PublicKeyFile } from '../ceremony/key/ceremony.js';
import type { CeremonyContext, MemberStep, TokenPort } from '../ceremony/key/ports.js';
import { expectedMembers, MEMBER_STEP_OF_PHASE } from '../ceremony/key/state.js';
import type { TallyCeremony } from '../ceremony/tally/ceremony.js';
import type { TallyContext } from '../ceremony/tally/folder.js';
import type { JobControl, TallyTokenPort } from '../ceremony/tally/types.js';
import { answerOnStation, enrolmentCodesIn, importKeyAnswers, importTallyAnswers, writeKeyPacket, writeTallyPacket, type StationStepAction } from '../ceremony/station/exchange.js';
import type { AnswersImport } from '../ceremony/station/packet.js';
import { newWorkstationSession, type SessionContext } from '../ceremony/workstation.js';
import type { WorkerPool } from '../workers/pool.js';
import { demoKeyCeremonyTokens, demoTallyTokens } from './demo-ports.js';

const never = (): Result<never> =>
  fail(
    'workstation.token',
    'Le poste de la présidence ne doit ouvrir aucun jeton quand les membres ont leurs postes.',
    "The president's workstation must open no token when members have their stations.",
  );

/** Token ports that refuse: the workstation's, when members have their stations. */
export const NO_TOKENS: TokenPort & TallyTokenPort = { create: async () => never(), open: async () => never(), sealShare: async () => never(), keepBoardNonces: async () => never() };

/** A member's station: its own session (key), the member's token folder, its stick. */
interface Station {
  readonly member: number;
  readonly key: CeremonyContext;
  readonly tally: TallyContext;
  readonly token: { readonly drive: string; readonly label: string; readonly size: number };
  readonly stick: string;
}

interface StationsSetup {
  readonly tokensDir: string;
  /**
   * The member numbers to make stations for, 1 … max with none missing (stations are found by number);
   * default the definition's board. After a redistribution, the new board's numbers.
   */
  readonly members?: readonly number[];
  /** The folder of member j's token (default `tokensDir/member-j`; after a redistribution, the new token's). */
  readonly tokenDrive?: (j: number) => string;
  readonly sticksDir: string;
  readonly identities: readonly IdentityKeyPair[];
  /** How each station measures itself and checks the network (as the workstation, in a simulation). */
  readonly session: Omit<SessionContext, 'session'>;
  readonly pool: () => WorkerPool;
}

/** One station per member, each with a fresh session of its own. */
export async function makeStations(def: ElectionDefinition, o: StationsSetup): Promise<Station[]> {
  const stations: Station[] = [];
  for (const j of o.members ?? def.board.members.map((m) => m.index)) {
    const session = newWorkstationSession('simulation-station', 'cli');
    const drive = o.tokenDrive?.(j) ?? join(o.tokensDir, `member-${j}`);
    const token = { drive, label: basename(drive), size: 0 };
    const stick = join(o.sticksDir, `member-${j}`);
    await mkdir(token.drive, { recursive: true });
    await mkdir(stick, { recursive: true });
    const base = { ...o.session, session };
    stations.push({ member: j, key: { ...base, tokens: demoKeyCeremonyTokens(o.identities) }, tally: { ...base, tokens: demoTallyTokens(), pool: o.pool() }, token, stick });
  }
  return stations;
}

/** Every answer placed, or the first refusal as a failure naming its member. */
function allPlaced(imported: Result<AnswersImport>): Result<void> {
  if (!imported.ok) return imported;
  const r = imported.value.refused[0];
  return r === undefined ? ok(undefined) : { ok: false, error: r.failure };
}

/**
 * Hazardous (the stations open demo tokens): the members of `who` do `action` on their stations, in
 * parallel, from a packet each on their own stick; then the workstation places each answer.
 */
async function onStations(
  who: readonly number[],
  stations: readonly Station[],
  action: StationStepAction,
  write: (stick: string) => Promise<Result<{ path: string }>>,
  place: (packet: string) => Promise<Result<AnswersImport>>,
  job: JobControl = {},
  codes: (j: number) => Pick<MemberStep, 'memberCodes'> = () => ({}),
): Promise<Result<void>> {
  const packets: string[] = [];
  for (const j of who) {
    const written = await write(stations[j - 1]!.stick);
    if (!written.ok) return written;
    packets.push(written.value.path);
  }
  const answers = await Promise.all(
    who.map((j, i) =>
      answerOnStation(packets[i]!, { key: stations[j - 1]!.key, tally: stations[j - 1]!.tally }, action, { member: j, token: stations[j - 1]!.token, passphrase: '', ...codes(j) }, job),
    ),
  );
  const refused = answers.find((a) => !a.ok);
  if (refused !== undefined) return refused as Result<never>;
  for (const packet of packets) {
    const placed = allPlaced(await place(packet));
    if (!placed.ok) return placed;
  }
  return ok(undefined);
}

/** Hazardous: the key ceremony, every member's step on their station; the president's on the workstation. */
export async function keyCeremonyOnStations(def: ElectionDefinition, folder: string, workstation: SessionContext, stations: readonly Station[]): Promise<Result<PublicKeyFile>> {
  const created = await KeyCeremony.create(folder, def, { ...workstation, tokens: NO_TOKENS });
  if (!created.ok) return created;
  const c = created.value;
  const readAloud = new Map<number, string>();
  for (let guard = 0; guard < 20; guard++) {
    const phase = c.state.phase;
    if (phase === 'result') {
      const r = await c.publishResult();
      if (!r.ok) return r;
      continue;
    }
    if (phase === 'closing') return c.close();
    const action = MEMBER_STEP_OF_PHASE[phase];
    if (action === undefined) return fail('demo.phase', `Étape inattendue\u00a0: ${phase}.`, `Unexpected step: ${phase}.`);
    // The president types the enrolment codes the members read from their stations' screens; each member
    // notes the others', and types them on their own station before contributing and checking.
    const done = await onStations(
      expectedMembers(c.state),
      stations,
      action,
      (stick) => writeKeyPacket(c, stick),
      async (packet) => {
        const codes = await enrolmentCodesIn(packet);
        for (const code of codes) readAloud.set(code.member, code.code);
        return importKeyAnswers(c, packet, codes);
      },
      {},
      (j) => (action === 'contribute' || action === 'check' ? { memberCodes: [...readAloud].filter(([m]) => m !== j).map(([member, code]) => ({ member, code })) } : {}),
    );
    if (!done.ok) return done;
  }
  return fail('demo.stuck', 'La cérémonie des clés ne progresse plus.', 'The key ceremony no longer moves on.');
}

/**
 * Hazardous: the tally's member steps on stations: the last round of shuffles on `mixer`'s station (the
 * rounds before it on the workstation), then the quorum's decryptions in parallel; after the count, their
 * signatures, then (with a board key) the board's signature in two trips. `c` is the workstation's tally, its
 * urn imported and its receipts published.
 */
export async function tallyOnStations(
  c: TallyCeremony,
  stations: readonly Station[],
  quorum: readonly number[],
  mixer: number,
  job: (phase: string) => JobControl,
  timed: <T>(phase: string, work: () => Promise<Result<T>>) => Promise<Result<T>>,
): Promise<Result<void>> {
  const k = c.state.shuffles;
  const steps: (() => Promise<Result<unknown>>)[] = [
    ...(k > 1 ? [() => timed('shuffles (workstation)', () => c.shuffle(job('shuffles'), { upTo: k - 1 }))] : []),
    () =>
      timed(`shuffle ${k} (station ${mixer})`, () =>
        onStations(
          [mixer],
          stations,
          'mix',
          (stick) => writeTallyPacket(c, stick),
          (packet) => importTallyAnswers(c, packet, job('mix')),
          job('mix'),
        ),
      ),
    () =>
      timed('decryptions (stations)', () =>
        onStations(
          quorum,
          stations,
          'decrypt',
          (stick) => writeTallyPacket(c, stick),
          (packet) => importTallyAnswers(c, packet),
          job('decryption'),
        ),
      ),
    () => timed('counting', () => c.count(job('counting'))),
    () =>
      onStations(
        quorum,
        stations,
        'sign',
        (stick) => writeTallyPacket(c, stick),
        (packet) => importTallyAnswers(c, packet),
      ),
    // The board's FROST signature (tally-ceremony.md step 7b) when the key ceremony made a board key: two packet
    // trips, the first visits (nonces sealed in each token, commitments answered), then the second (shares).
    ...(c.boardKey === null
      ? []
      : (['board-commit', 'board-share'] as const).map(
          (action) => () =>
            timed(`board signature, ${action === 'board-commit' ? 'first' : 'second'} visits (stations)`, () =>
              onStations(
                quorum,
                stations,
                action,
                (stick) => writeTallyPacket(c, stick),
                (packet) => importTallyAnswers(c, packet),
              ),
            ),
        )),
  ];
  for (const s of steps) {
    const r = await s();
    if (!r.ok) return r;
  }
  return ok(undefined);
}
