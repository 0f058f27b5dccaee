/**
 * The offline guard: key operations (DKG contributions, sealing or using key shares) refuse to start
 * while a network interface is connected. A rehearsal may override it, but only explicitly, with a
 * reason and a person's name, and the override is returned so the ceremony records it in its transcript.
 */
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import type { NetworkStatus } from './network/types.js';

export interface RehearsalOverride {
  readonly reason: string;
  readonly authorisedBy: string;
}

interface OfflineClearance {
  readonly status: NetworkStatus;
  /** Present when the check failed and a rehearsal override let the operation go on: record it. */
  readonly override?: RehearsalOverride;
}

export function clearForKeyOperation(status: NetworkStatus, override?: RehearsalOverride): Result<OfflineClearance> {
  if (status.offline) return ok({ status });
  if (override && override.reason.trim() !== '' && override.authorisedBy.trim() !== '') return ok({ status, override });
  const names = status.interfaces
    .filter((i) => i.connected)
    .map((i) => i.name)
    .join(', ');
  return fail(
    'offline.connected',
    `Opération refusée\u00a0: la machine est connectée à un réseau (${names}). Débranchez le câble, coupez le Wi-Fi, puis vérifiez à nouveau. Une répétition peut passer outre, avec une raison et le nom de qui l'autorise\u00a0; ce sera consigné.`,
    `Operation refused: this machine is connected to a network (${names}). Unplug the cable, turn Wi-Fi off, then check again. A rehearsal may override this, with a reason and the name of who authorises it; it will be recorded.`,
    names,
  );
}
