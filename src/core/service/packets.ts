/** What the screens show of a member packet once written (docs/stations.md §2). */
import type { PacketFile } from '../ceremony/station/packet.js';
import type { PacketView } from './api.js';

export function packetView(path: string, p: PacketFile): PacketView {
  return { path, ceremony: p.ceremony, head: p.head, files: p.files.length, bytes: p.files.reduce((n, f) => n + f.size, 0) };
}
