/**
 * Who may sign what in a tally transcript (docs/tally-ceremony.md §4): `workstation:<16 hex>` is registered
 * by its own `workstation.session` entry in `tally.jsonl` (signed by the key it registers, as in the key
 * ceremony), and `member:<j>` signs with the identity key enrolled in the key ceremony (`member.enrolled`
 * of `keyceremony.jsonl`, or the definition's `identityKey` when it fixes one). A member never registers
 * a key in the tally: a token whose identity key was not enrolled cannot sign there.
 */
import { fromHex } from '../../common/bytes.js';
import type { ElectionDefinition } from '../../election/definition.js';
import { memberOfActor, type ActorKeys, type TranscriptEntry } from '../../transcript/transcript.js';
import { ENTRY as KEY_ENTRY } from '../key/entries.js';
import { workstationActor } from '../workstation.js';
import { TALLY_ENTRY } from './types.js';

const HEX64 = /^[0-9a-f]{64}$/;

/** Member j's identity key as the key ceremony enrolled it (hex), from the definition or the first `member.enrolled`. */
export function enrolledIdentityKeys(def: ElectionDefinition, keyCeremonyEntries: readonly TranscriptEntry[]): Map<number, string> {
  const keys = new Map<number, string>();
  for (const m of def.board.members) if (m.identityKey !== undefined) keys.set(m.index, m.identityKey);
  for (const e of keyCeremonyEntries) {
    if (e.type !== KEY_ENTRY.enrolled) continue;
    const p = (e.payload ?? {}) as { member?: unknown; identityKey?: unknown };
    const j = memberOfActor(e.actor);
    if (j === undefined || p.member !== j || typeof p.identityKey !== 'string' || !HEX64.test(p.identityKey)) continue;
    if (!keys.has(p.member)) keys.set(p.member, p.identityKey);
  }
  return keys;
}

/**
 * A stateful resolver for one pass over one `tally.jsonl`: members from the (already verified) key
 * ceremony's entries, workstations from their session entries as they come.
 */
export function tallyActorKeys(def: ElectionDefinition, keyCeremonyEntries: readonly TranscriptEntry[], current?: ReadonlyMap<number, string>): ActorKeys {
  const keys = new Map<string, Uint8Array>();
  // After redistributions, the current board's members sign with their new tokens' keys (docs/tally-ceremony.md §1.2).
  for (const [j, hex] of current ?? enrolledIdentityKeys(def, keyCeremonyEntries)) keys.set(`member:${j}`, fromHex(hex));
  return (actor, entry) => {
    if (entry.type === TALLY_ENTRY.session && !keys.has(actor)) {
      const offered = (entry.payload as { publicKey?: unknown } | null)?.publicKey;
      if (typeof offered === 'string' && HEX64.test(offered)) {
        const bytes = fromHex(offered);
        if (actor === workstationActor(bytes)) keys.set(actor, bytes);
      }
    }
    return keys.get(actor);
  };
}
