/**
 * Who may sign what in a ceremony transcript (docs/key-ceremony.md §3). Keys are learned from the
 * transcript itself, in order: a `workstation.session` entry registers its workstation's key and a
 * `member.enrolled` entry registers the member's identity key; each is signed by the key it registers
 * (proof of possession). A member registers once; the definition may also fix a member's key in advance.
 */
import { fromHex } from '../../common/bytes.js';
import type { ElectionDefinition } from '../../election/definition.js';
import type { ActorKeys, TranscriptEntry } from '../../transcript/transcript.js';
import { workstationActor } from '../workstation.js';
import { ENTRY } from './entries.js';

const HEX64 = /^[0-9a-f]{64}$/;

function registeredKey(entry: TranscriptEntry): string | undefined {
  const key = (entry.payload as { publicKey?: unknown; identityKey?: unknown } | null) ?? {};
  const hex = entry.type === ENTRY.session ? key.publicKey : entry.type === ENTRY.enrolled ? key.identityKey : undefined;
  return typeof hex === 'string' && HEX64.test(hex) ? hex : undefined;
}

/** A stateful resolver for one pass over one transcript. */
export function ceremonyActorKeys(def: ElectionDefinition): ActorKeys {
  const keys = new Map<string, Uint8Array>();
  def.board.members.forEach((m) => {
    if (m.identityKey !== undefined) keys.set(`member:${m.index}`, fromHex(m.identityKey));
  });
  return (actor, entry) => {
    const offered = registeredKey(entry);
    if (offered !== undefined && !keys.has(actor)) {
      const bytes = fromHex(offered);
      const consistent = entry.type === ENTRY.session ? actor === workstationActor(bytes) : /^member:[1-9][0-9]{0,2}$/.test(actor);
      if (consistent) keys.set(actor, bytes);
    }
    return keys.get(actor);
  };
}
