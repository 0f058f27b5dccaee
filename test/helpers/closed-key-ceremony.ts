/**
 * A closed key ceremony made by the real KeyCeremony class (src/core/ceremony/key/ceremony.ts) onto
 * folder drives, for the tests of what comes after it (`sceau simulate --key-ceremony`, the tally):
 * root/jeton-1..n hold the members' tokens, root/ceremonie the ceremony folder, root/platform-key.json
 * the platform's demo key pair whose public key the definition names.
 *
 * The workstation is given an offline network status (a fixture), as on the ceremony's real machine;
 * the tokens are written with the policy given: TEST_POLICY for unit tests, TEST_POLICY_WRITING_PRODUCTION
 * for a test against `sceau serve`, which only opens production-profile tokens (~1.5 s per token
 * operation: the script below does each member's steps once, nothing more).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyCeremony } from '../../src/core/ceremony/key/ceremony.js';
import type { MemberStep } from '../../src/core/ceremony/key/ports.js';
import { driveTokens } from '../../src/core/ceremony/key/drive-tokens.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import type { Result } from '../../src/core/common/result.js';
import { toHex } from '../../src/core/common/bytes.js';
import { DEFINITION_FORMAT, definitionFingerprint, type ElectionDefinition } from '../../src/core/election/definition.js';
import { platformKeyText } from '../../src/core/simulation/simulate-ceremony.js';
import type { TokenPolicy } from '../../src/core/token/kdf.js';
import type { DeviceChoice, MemberDevices } from '../../src/core/token/devices.js';
import { context } from './key-ceremony.js';
import { checkedWithBadBoardBox } from './board-complaint.js';

export const MEMBER_NAMES = ['Claire Dupont', 'Marc Leroy', 'Inès Benali', 'Paul Martin', 'Léa Moreau', 'Hugo Petit', 'Nina Roux'];

/** The election the fixture's ceremony is for: three constituencies, one of them without a blank vote. */
export function fixtureDefinition(n: number, t: number, platformKey: string, id = 'cfe-2021'): ElectionDefinition {
  return {
    format: DEFINITION_FORMAT,
    id,
    title: 'Élection des conseillers des Français de l’étranger 2021',
    votingPeriod: { opens: '2021-05-21T10:00:00Z', closes: '2021-05-26T10:00:00Z' },
    constituencies: [
      { id: 'c001', name: 'Canada', kind: 'list', registeredVoters: 420, blankVote: true, candidates: [{ name: 'Liste A' }, { name: 'Liste B' }, { name: 'Liste C' }] },
      {
        id: 'c002',
        name: 'Allemagne',
        kind: 'single-member',
        registeredVoters: 310,
        blankVote: false,
        candidates: [
          { name: 'Ana Roy', substitute: 'Luc Roy' },
          { name: 'Eva Lin', substitute: 'Tom Lin' },
        ],
      },
      { id: 'c003', name: 'Maroc', kind: 'list', registeredVoters: 250, blankVote: true, candidates: [{ name: 'Liste D' }, { name: 'Liste E' }] },
    ],
    board: {
      threshold: t,
      members: Array.from({ length: n }, (_, i) => ({
        index: i + 1,
        name: MEMBER_NAMES[i] ?? `Membre ${i + 1}`,
        role: i === 0 ? 'Conseil d’État' : 'AFE',
        president: i === 0,
      })),
    },
    platform: { name: 'Plateforme du MEAE (simulée)', signingKey: platformKey },
  };
}

export interface ClosedKeyCeremonyOptions {
  /** An empty folder (created if missing). */
  readonly root: string;
  readonly members?: number;
  readonly t?: number;
  readonly policy: TokenPolicy;
  readonly electionId?: string;
  /** Members enrolled on a device (docs/token.md §3.2) instead of a passphrase: their device, and its PIN. */
  readonly devices?: { readonly of: MemberDevices; readonly members: Readonly<Record<number, DeviceChoice>>; readonly pin: string };
  /**
   * A dishonest dealer (docs/key-ceremony.md §4.4): `dealer` deals `recipient` a bad board-key box; the recipient
   * complains at sealing, the complaint is upheld, and the dealer, whose token still holds a valid share, is no holder.
   */
  readonly boardDealerAtFault?: { readonly dealer: number; readonly recipient: number };
}

export interface ClosedKeyCeremonyFixture {
  readonly root: string;
  /** The closed ceremony folder: election.json, transcript.jsonl, public-key.json (and the report). */
  readonly folder: string;
  /** drives[j − 1] is member j's (folder) drive. */
  readonly drives: readonly string[];
  readonly passphrase: (member: number) => string;
  readonly definition: ElectionDefinition;
  /** Hex. */
  readonly fingerprint: string;
  /** root/platform-key.json: {warning, secretKey, publicKey}. */
  readonly platformKeyPath: string;
  readonly publicKey: string;
}

/** A strong passphrase (the served app's policy accepts it), one per member. */
export const fixturePassphrase = (j: number): string => `cheval agrafe pile correcte ${j} ${'*'.repeat(j)}`;

function must<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`closedKeyCeremony, ${what}: ${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

/** Runs the key ceremony's whole script, every member present, to a closed folder. */
export async function closedKeyCeremony(o: ClosedKeyCeremonyOptions): Promise<ClosedKeyCeremonyFixture> {
  const n = o.members ?? 5;
  const t = o.t ?? 3;
  mkdirSync(o.root, { recursive: true });
  const drives = Array.from({ length: n }, (_, i) => join(o.root, `jeton-${i + 1}`));
  for (const d of drives) mkdirSync(d);
  const platform = generateIdentityKey();
  const platformKeyPath = join(o.root, 'platform-key.json');
  writeFileSync(platformKeyPath, platformKeyText(platform), { mode: 0o600 });
  const definition = fixtureDefinition(n, t, toHex(platform.publicKey), o.electionId);
  platform.secretKey.fill(0);

  const folder = join(o.root, 'ceremonie');
  const ctx = context(driveTokens({ policy: o.policy }, o.devices?.of));
  let c = must(await KeyCeremony.create(folder, definition, ctx), 'create');
  const all = drives.map((_, i) => i + 1);
  const device = (j: number) => o.devices?.members[j];
  const secret = (j: number) => (device(j) === undefined ? fixturePassphrase(j) : o.devices!.pin);
  const step = (j: number): MemberStep => ({
    member: j,
    token: { drive: drives[j - 1]!, label: `JETON${j}`, size: 1_000_000_000 },
    passphrase: secret(j),
    ...(device(j) === undefined ? {} : { device: device(j)! }),
  });
  const atFault = o.boardDealerAtFault;
  for (const act of ['enrol', 'contribute', 'checkShares'] as const) {
    for (const j of all) {
      if (act === 'checkShares' && j === atFault?.dealer) {
        const secrets = must(await ctx.tokens.open(step(j).token, secret(j), { fingerprint: c.fingerprint, election: definition.id, member: j }), `open ${j}`);
        c = await checkedWithBadBoardBox(c, j, atFault.recipient, secrets, ctx);
      } else must(await c[act](step(j)), `${act} ${j}`);
    }
  }
  must(await c.publishResult(), 'result');
  for (const act of ['seal', 'confirm'] as const) for (const j of all) must(await c[act](step(j)), `${act} ${j}`);
  const file = must(await c.close(), 'close');
  return {
    root: o.root,
    folder,
    drives,
    passphrase: secret,
    definition,
    fingerprint: toHex(definitionFingerprint(definition)),
    platformKeyPath,
    publicKey: file.publicKey,
  };
}
