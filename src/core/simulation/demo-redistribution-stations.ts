/**
 * `sceau demo --stations --redistribute` (docs/stations.md §7): the demo's redistribution
 * (./demo-redistribution.ts: member 2 leaves, member n + 1 joins) with every member's step on a station of
 * their own. The workstation opens no token (its token port refuses); each station reaches only its
 * member's tokens (the old one to deal and confirm its destruction, the new one to enrol, check and seal)
 * and a stick of its own; only packets and answers cross. Members who act in the same step work in
 * parallel against the same packet head; the workstation places their answers, typing the enrolment codes
 * their stations show.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ok, type Result } from '../common/result.js';
import type { ElectionDefinition } from '../election/definition.js';
import { RedistributionCeremony } from '../ceremony/redistribution/ceremony.js';
import type { RedistributionTokenPort } from '../ceremony/redistribution/ports.js';
import type { TokenLocation } from '../ceremony/key/ports.js';
import { enrolmentCode } from '../ceremony/enrolment-codes.js';
import { enrolmentCodesIn } from '../ceremony/station/exchange.js';
import {
  answerRedistributionOnStation,
  dueOnRedistributionStation,
  importRedistributionAnswers,
  writeRedistributionPacket,
  type RedistributionStationAction,
} from '../ceremony/station/redistribution-exchange.js';
import { newWorkstationSession, type SessionContext } from '../ceremony/workstation.js';
import { demoBoardChange, demoRedistributionTokens, newMemberToken } from './demo-redistribution.js';
import { NO_TOKENS } from './demo-stations.js';
import { fail } from './failures.js';

const refused = (): Result<never> =>
  fail(
    'workstation.token',
    'Le poste de la présidence ne doit ouvrir aucun jeton quand les membres ont leurs postes.',
    "The president's workstation must open no token when members have their stations.",
  );

/** The workstation's token port when members have their stations: it opens, makes and erases nothing. */
const NO_REDISTRIBUTION_TOKENS: RedistributionTokenPort = { ...NO_TOKENS, openOld: async () => refused(), erase: async () => refused() };

/** A station's token port reaches its own member's token folders only (their old token and their new one). */
function ownTokensOnly(port: RedistributionTokenPort, drives: readonly string[]): RedistributionTokenPort {
  const guard =
    <A extends unknown[], T>(f: (at: TokenLocation, ...rest: A) => Promise<Result<T>>) =>
    (at: TokenLocation, ...rest: A): Promise<Result<T>> =>
      drives.includes(at.drive) ? f(at, ...rest) : Promise.resolve(fail('token.member', `Ce poste n'atteint pas ${at.drive}.`, `This station does not reach ${at.drive}.`, at.drive));
  return { create: guard(port.create), open: guard(port.open), sealShare: guard(port.sealShare), openOld: guard(port.openOld), erase: guard(port.erase) };
}

interface RedistributionStation {
  readonly ctx: Parameters<typeof answerRedistributionOnStation>[1];
  readonly old: TokenLocation;
  readonly fresh: TokenLocation;
  readonly stick: string;
}

/** Hazardous (demo tokens): one station per member number of either board. */
async function redistributionStations(def: ElectionDefinition, tokensDir: string, sticksDir: string, session: Omit<SessionContext, 'session'>): Promise<Map<number, RedistributionStation>> {
  const n = def.board.members.length;
  const stations = new Map<number, RedistributionStation>();
  for (let j = 1; j <= n + 1; j++) {
    const old = { drive: join(tokensDir, `member-${j}`), label: `member-${j}`, size: 0 };
    const fresh = newMemberToken(tokensDir, j);
    const stick = join(sticksDir, `member-${j}`);
    await mkdir(fresh.drive, { recursive: true });
    await mkdir(stick, { recursive: true });
    const tokens = ownTokensOnly(demoRedistributionTokens(n), [old.drive, fresh.drive]);
    stations.set(j, { ctx: { ...session, session: newWorkstationSession('simulation-station', 'cli'), tokens }, old, fresh, stick });
  }
  return stations;
}

/** Hazardous: the members of `who` do `action` on their stations in parallel, each from a packet on their own stick; the workstation places each answer. */
async function stepOnStations(c: RedistributionCeremony, who: readonly number[], action: RedistributionStationAction, stations: Map<number, RedistributionStation>): Promise<Result<void>> {
  const packets: string[] = [];
  for (const j of who) {
    const written = await writeRedistributionPacket(c, stations.get(j)!.stick);
    if (!written.ok) return written;
    packets.push(written.value.path);
  }
  const usesOld = action === 'deal' || action === 'destroy';
  const answers = await Promise.all(
    who.map((j, k) => {
      const st = stations.get(j)!;
      // A dealer confirms the codes the new members read aloud from their own stations (here, from the keys placed).
      const codes = action === 'deal' ? { newMemberCodes: c.state.members.map((m) => ({ member: m.index, code: enrolmentCode(m.identityKey ?? '') })) } : {};
      return answerRedistributionOnStation(packets[k]!, st.ctx, action, { member: j, token: usesOld ? st.old : st.fresh, passphrase: '', ...codes });
    }),
  );
  const failed = answers.find((a) => !a.ok);
  if (failed !== undefined) return failed as Result<never>;
  for (const packet of packets) {
    // The president types the enrolment codes the members read from their stations' screens.
    const imported = await importRedistributionAnswers(c, packet, await enrolmentCodesIn(packet));
    if (!imported.ok) return imported;
    const r = imported.value.refused[0];
    if (r !== undefined) return { ok: false, error: r.failure };
  }
  return ok(undefined);
}

/** Hazardous: the demo's redistribution with members' stations, into `folder`; its folder once closed. */
export async function redistributionOnStations(
  def: ElectionDefinition,
  keyCeremonyFolder: string,
  folder: string,
  dirs: { readonly tokens: string; readonly sticks: string },
  workstation: SessionContext,
): Promise<Result<string>> {
  const created = await RedistributionCeremony.create(folder, keyCeremonyFolder, demoBoardChange(def), { ...workstation, tokens: NO_REDISTRIBUTION_TOKENS });
  if (!created.ok) return created;
  const c = created.value;
  const { session: _workstationSession, ...session } = workstation;
  const stations = await redistributionStations(def, dirs.tokens, dirs.sticks, session);
  for (let guard = 0; guard < 20; guard++) {
    const phase = c.state.phase;
    if (phase === 'result') {
      const r = await c.publishResult();
      if (!r.ok) return r;
      continue;
    }
    if (phase === 'closing') {
      const closed = await c.close();
      return closed.ok ? ok(folder) : closed;
    }
    const due = dueOnRedistributionStation(c.state);
    if (due.length === 0) return fail('demo.phase', `Étape inattendue\u00a0: ${phase}.`, `Unexpected step: ${phase}.`);
    const done = await stepOnStations(
      c,
      due.map((d) => d.member),
      due[0]!.actions[0]!,
      stations,
    );
    if (!done.ok) return done;
  }
  return fail('demo.stuck', 'La redistribution ne progresse plus.', 'The redistribution no longer moves on.');
}
