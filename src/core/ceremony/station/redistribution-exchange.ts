/**
 * The redistribution on members' stations (docs/stations.md §7): the workstation writes the
 * redistribution's packet on a stick (the chain's public files and the redistribution's transcript) and
 * later places the answers found in it; a member's station opens the packet and does that member's step
 * with their own token: a new member's enrolment, checking and sealing on their NEW token, an old member's
 * dealing and confirmation of destruction with their OLD token. The workstation never opens a token.
 */
import { ok, type Bilingual, type Failure, type Result } from '../../common/result.js';
import type { StationEntry } from '../../transcript/transcript.js';
import { RedistributionCeremony } from '../redistribution/ceremony.js';
import { RFILES } from '../redistribution/chain.js';
import { RENTRY } from '../redistribution/payloads.js';
import type { DealStep, RedistributionContext } from '../redistribution/ports.js';
import { expectedMembers, type RedistributionState } from '../redistribution/state.js';
import { enrolmentCode, normalisedCode, type EnrolmentCode } from './exchange.js';
import { fail, failure } from './failures.js';
import { listFiles, markImported, packetFolder, readAnswers, readPacket, sameEntry, writeAnswer, writePacket, type AnswersImport, type PacketFile } from './packet.js';

/** A member's steps at a redistribution: `enrol`, `check`, `seal` as at the key ceremony (on the new token); `deal` and `destroy` with the old token. */
export type RedistributionStationAction = 'enrol' | 'deal' | 'check' | 'seal' | 'destroy';

export const REDISTRIBUTION_ACTIONS: readonly RedistributionStationAction[] = ['enrol', 'deal', 'check', 'seal', 'destroy'];

/** The public files a redistribution's packet carries: the definition, the chain's transcripts and this redistribution's. */
const inPacket = (rel: string): boolean => rel === RFILES.definition || rel === RFILES.transcript || /^chain[\\/][a-z0-9-]+\.jsonl$/.test(rel);

/** Writes the redistribution's packet on `drive` (docs/stations.md §7): election.json, chain/…, transcript.jsonl. */
export async function writeRedistributionPacket(c: RedistributionCeremony, drive: string): Promise<Result<{ path: string; packet: PacketFile }>> {
  const s = c.state;
  const path = packetFolder(drive, s.election, 'redistribution');
  const files = (await listFiles(c.folder)).filter(inPacket);
  const meta = { ceremony: 'redistribution' as const, election: s.election, title: c.definition.title, fingerprint: s.fingerprint, head: c.head };
  const written = await writePacket(c.folder, path, meta, files, (e) => c.entries.some((x) => sameEntry(x, e)));
  return written.ok ? ok({ path, packet: written.value }) : written;
}

/** Who may do what now on a station: what the redistribution's phase expects of each member. */
export function dueOnRedistributionStation(s: Readonly<RedistributionState>): { member: number; actions: RedistributionStationAction[] }[] {
  const action: Partial<Record<RedistributionState['phase'], RedistributionStationAction>> = { enrolment: 'enrol', dealing: 'deal', checking: 'check', sealing: 'seal', destruction: 'destroy' };
  const a = action[s.phase];
  if (a !== undefined) return expectedMembers(s).map((member) => ({ member, actions: [a] }));
  // At the closing, an old member who did not deal may still confirm the destruction of their token (§15.4, 8).
  if (s.phase === 'closing') return s.previous.members.filter((m) => !s.destroyed.includes(m.index)).map((m) => ({ member: m.index, actions: ['destroy'] }));
  // Nothing otherwise: at the result nor once failed is a destruction due (the old tokens still hold the key).
  return [];
}

/** Why a new member's enrolment answer is not placed: its code was not given, or is not the one its key gives (docs/stations.md §3). */
function enrolmentCodeRefusal(e: StationEntry, codes: readonly EnrolmentCode[]): Failure | undefined {
  if (e.type !== RENTRY.enrolled) return undefined;
  const p = e.payload as { member?: unknown; identityKey?: unknown };
  const given = codes.find((x) => x.member === p.member);
  const expected = typeof p.identityKey === 'string' ? enrolmentCode(p.identityKey) : '';
  if (given !== undefined && expected !== '' && normalisedCode(given.code) === normalisedCode(expected)) return undefined;
  const j = typeof p.member === 'number' ? p.member : '?';
  return given === undefined
    ? failure(
        'station.enrolment-code-missing',
        `Enrôlement du membre ${j} non placé\u00a0: saisissez le code d'enrôlement que son poste affiche, lu à voix haute par le membre.`,
        `Member ${j}'s enrolment not placed: type the enrolment code their station shows, read aloud by the member.`,
        `member ${j}`,
      )
    : failure(
        'station.enrolment-code',
        `Enrôlement du membre ${j} refusé\u00a0: le code saisi n'est pas celui de la clé de ce paquet. La réponse a pu être remplacée sur la clé USB\u00a0: le membre refait son enrôlement sur son poste.`,
        `Member ${j}'s enrolment refused: the code typed is not that of the key in this packet. The answer may have been replaced on the stick: the member enrols again on their station.`,
        `member ${j}`,
      );
}

/**
 * Places the answers of a redistribution packet, in file order; an answer refused (recorded as a deviation)
 * leaves the others going on. A new member's enrolment is placed only with their enrolment code (`codes`):
 * the new board's keys are never fixed in advance. A write that fails stops it all.
 */
export async function importRedistributionAnswers(c: RedistributionCeremony, packet: string, codes: readonly EnrolmentCode[] = []): Promise<Result<AnswersImport>> {
  const p = await readPacket(packet);
  if (!p.ok) return p;
  if (p.value.ceremony !== 'redistribution' || p.value.fingerprint !== c.state.fingerprint)
    return fail(
      'packet.other',
      "Ce paquet n'est pas celui de cette redistribution (autre élection, ou paquet d'une autre cérémonie).",
      "This packet is not this redistribution's (another election, or another ceremony's packet).",
      packet,
    );
  if (c.state.phase === 'closed')
    return fail(
      'packet.closed',
      "Cette redistribution est close\u00a0: plus aucune réponse n'y est placée. Le paquet est laissé tel quel.",
      'This redistribution is closed: no answer is placed in it any more. The packet is left as it is.',
      packet,
    );
  // A packet made from another transcript (another redistribution of the election, a fork): refused whole, nothing recorded.
  if (!c.hasHad(p.value.head))
    return fail(
      'packet.other',
      "Ce paquet n'a pas été préparé à partir de cette redistribution (une autre redistribution de la même élection, ou un paquet modifié)\u00a0: aucune de ses réponses n'est placée.",
      'This packet was not prepared from this redistribution (another redistribution of the same election, or an altered packet): none of its answers is placed.',
      packet,
    );
  const found = await readAnswers(packet);
  const placed: AnswersImport['placed'][number][] = [];
  const refused: AnswersImport['refused'][number][] = found.unreadable.map(({ member, file, failure }) => ({ member, file, failure }));
  let already = 0;
  for (const { file, answer } of found.answers) {
    for (const e of answer.entries) {
      const uncoded = c.entries.some((x) => x.signature === e.signature) ? undefined : enrolmentCodeRefusal(e, codes);
      if (uncoded !== undefined) {
        refused.push({ member: answer.member, file, failure: uncoded });
        break;
      }
      const r = await c.placeStationEntry(e);
      if (r.ok && r.value === 'already') already++;
      else if (r.ok) placed.push({ member: answer.member, type: e.type, file });
      else {
        if (r.error.code !== 'station.answer') return r;
        refused.push({ member: answer.member, file, failure: r.error });
        break;
      }
    }
  }
  const marked = await markImported(packet, found);
  return marked.ok ? ok({ placed, already, refused }) : marked;
}

/** On a member's station: the redistribution packet's files checked, its ceremony opened as a station; its members' entries go to `outbox`. */
export async function openRedistributionPacket(
  packet: string,
  ctx: RedistributionContext,
  outbox: (e: StationEntry) => Promise<Result<void>>,
): Promise<Result<{ file: PacketFile; redistribution: RedistributionCeremony }>> {
  const file = await readPacket(packet);
  if (!file.ok) return file;
  if (file.value.ceremony !== 'redistribution') return fail('station.packet', "Ce paquet n'est pas celui d'une redistribution.", 'This packet is not a redistribution’s.', packet);
  const opened = await RedistributionCeremony.openAsStation(packet, ctx, outbox);
  if (!opened.ok) return opened;
  if (opened.value.head !== file.value.head)
    return fail(
      'packet.invalid',
      'Le journal du paquet ne finit pas à la tête annoncée\u00a0: paquet modifié. Préparez-le de nouveau sur le poste de la présidence.',
      "The packet's transcript does not end at the head it announces: altered packet. Prepare it again on the president's workstation.",
      packet,
    );
  return ok({ file: file.value, redistribution: opened.value });
}

/**
 * On a member's station: the member's step on the redistribution packet, with their token. Its one signed
 * entry is written into the packet (`answers/member-<j>-<action>.json`) as soon as it is made, so that a
 * confirmation of destruction is on the stick before the old token's file is erased.
 */
export async function answerRedistributionOnStation(
  packet: string,
  ctx: RedistributionContext,
  action: RedistributionStationAction,
  step: DealStep,
): Promise<Result<{ path: string; entry: StationEntry; warning?: Bilingual; opened: { file: PacketFile; redistribution: RedistributionCeremony } }>> {
  if (!REDISTRIBUTION_ACTIONS.includes(action)) return fail('station.packet', "Cette étape n'est pas une étape de la redistribution.", 'This step is not a redistribution step.', packet);
  let answered: { path: string; entry: StationEntry } | undefined;
  const opened = await openRedistributionPacket(packet, ctx, async (e) => {
    const written = await writeAnswer(packet, step.member, action, [e]);
    if (!written.ok) return written;
    answered = { path: written.value, entry: e };
    return ok(undefined);
  });
  if (!opened.ok) return opened;
  const c = opened.value.redistribution;
  const act = { enrol: () => c.enrol(step), deal: () => c.deal(step), check: () => c.check(step), seal: () => c.seal(step), destroy: () => c.confirmDestruction(step) }[action];
  const done = await act();
  if (!done.ok) return done;
  if (answered === undefined) return fail('station.packet', 'Aucune réponse écrite.', 'No answer written.', packet);
  const notErased = c.notErased;
  return ok({ ...answered, opened: opened.value, ...(notErased === undefined ? {} : { warning: notErasedWarning(notErased) }) });
}

/** The confirmation of destruction is on the stick, but the old token's file is still on its drive: said as such (docs/stations.md §7). */
function notErasedWarning(f: Failure): Bilingual {
  return {
    fr: `La confirmation de destruction est écrite sur la clé USB, mais le fichier de l'ancien jeton n'a pas pu être effacé (${f.message.fr}). Détruisez le support du jeton et toute copie.`,
    en: `The confirmation of destruction is written on the stick, but the old token's file could not be erased (${f.message.en}). Destroy the token's drive and every copy.`,
  };
}
