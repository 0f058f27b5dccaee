/**
 * The workstation's ceremony key. Each run of the app (a "session") makes a fresh Ed25519 key, held in
 * memory only, and announces it in every ceremony folder it touches with a `workstation.session` entry
 * that records the software measurement and the offline check. Steps the president conducts are signed
 * with it. Nothing secret of it is ever written: a crash simply starts a new session (docs/key-ceremony.md §3).
 */
import { generateIdentityKey } from '../crypto/signature.js';
import { toHex } from '../common/bytes.js';
import { ok, type Result } from '../common/result.js';
import type { SoftwareMeasurement } from '../workstation/measurement.js';
import type { NetworkStatus } from '../workstation/network/types.js';
import type { RehearsalOverride } from '../workstation/offline-guard.js';

/** How the app is driven: Electron's window, `sceau serve`'s loopback page, or a command (`sceau demo`'s simulated ceremonies). */
export type Transport = 'electron' | 'loopback' | 'cli';

export interface WorkstationSession {
  readonly actor: string;
  readonly publicKey: Uint8Array;
  /** Hazardous: the session's signing key; in memory only. */
  readonly secretKey: Uint8Array;
  readonly version: string;
  readonly transport: Transport;
}

/** What a ceremony needs of the workstation to announce its session and check it is offline. */
export interface SessionContext {
  readonly session: WorkstationSession;
  readonly measure: () => Promise<Result<SoftwareMeasurement>>;
  readonly network: () => Promise<NetworkStatus>;
  /** A rehearsal's explicit override of the offline check; recorded in the session entry. */
  readonly override?: RehearsalOverride;
}

export interface SessionPayload {
  readonly publicKey: string;
  readonly version: string;
  readonly transport: Transport;
  readonly platform: string;
  readonly software: { readonly algorithm: 'SHA-256'; readonly digest: string; readonly fileCount: number };
  readonly network: { readonly offline: boolean; readonly source: string; readonly connected: readonly string[]; readonly checkedAt: string };
  readonly override: RehearsalOverride | null;
}

/** `workstation:` and the first 16 hex digits of the session's public key. */
export function workstationActor(publicKey: Uint8Array): string {
  return `workstation:${toHex(publicKey).slice(0, 16)}`;
}

export function newWorkstationSession(version: string, transport: Transport): WorkstationSession {
  const { secretKey, publicKey } = generateIdentityKey();
  return { actor: workstationActor(publicKey), publicKey, secretKey, version, transport };
}

export function sessionPayload(
  session: WorkstationSession,
  software: SoftwareMeasurement,
  network: NetworkStatus,
  override: RehearsalOverride | undefined,
  platform: string = process.platform,
): SessionPayload {
  return {
    publicKey: toHex(session.publicKey),
    version: session.version,
    transport: session.transport,
    platform,
    software: { algorithm: software.algorithm, digest: software.digest, fileCount: software.fileCount },
    network: {
      offline: network.offline,
      source: network.source,
      connected: network.interfaces.filter((i) => i.connected).map((i) => i.name),
      checkedAt: network.checkedAt,
    },
    override: override ?? null,
  };
}

/**
 * The payload of the session's `workstation.session` entry: the software measured and the network checked
 * now. The override is recorded only when the check finds the workstation online (it is then what lets
 * key operations run); offline, there is nothing to override.
 */
export async function sessionAnnouncement(ctx: SessionContext): Promise<Result<SessionPayload>> {
  const software = await ctx.measure();
  if (!software.ok) return software;
  const network = await ctx.network();
  return ok(sessionPayload(ctx.session, software.value, network, network.offline ? undefined : ctx.override));
}
