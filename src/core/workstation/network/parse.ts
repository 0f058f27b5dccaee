/**
 * Parsers of each OS's own report of its network interfaces, kept pure so they are tested on
 * fixtures (test/fixtures/network/). The rule is conservative: when in doubt an interface counts as
 * connected, because a false "offline" is the dangerous error.
 */
import type { NetworkInterfaceState } from './types.js';

interface IpAddrEntry {
  ifname?: unknown;
  flags?: unknown;
  operstate?: unknown;
  link_type?: unknown;
  addr_info?: unknown;
}

/** Linux, `ip -j addr show`: connected = not loopback, flag UP, and a carrier (LOWER_UP) or operstate UP. */
export function parseIpJson(text: string): NetworkInterfaceState[] {
  const entries = JSON.parse(text) as unknown;
  if (!Array.isArray(entries)) throw new TypeError('ip -j addr: expected a JSON array');
  return entries.map((raw: IpAddrEntry) => {
    const name = String(raw.ifname ?? '?');
    const flags = Array.isArray(raw.flags) ? raw.flags.map(String) : [];
    const operstate = String(raw.operstate ?? 'UNKNOWN');
    const loopback = flags.includes('LOOPBACK') || raw.link_type === 'loopback';
    const addresses = Array.isArray(raw.addr_info) ? raw.addr_info.map((a: { local?: unknown; prefixlen?: unknown }) => `${String(a.local)}/${String(a.prefixlen)}`) : [];
    const connected = !loopback && flags.includes('UP') && (flags.includes('LOWER_UP') || operstate === 'UP');
    return { name, connected, addresses, detail: `flags=${flags.join(',')} operstate=${operstate}` };
  });
}

/** macOS, `ifconfig -a`: connected = not loopback, flags UP and RUNNING, and `status: active` when a status is given. */
export function parseIfconfig(text: string): NetworkInterfaceState[] {
  const blocks = text.split(/\n(?=\S)/).filter((b) => b.trim() !== '');
  return blocks.map((block) => {
    const header = /^([^:\s]+):\s+flags=\w+<([^>]*)>/.exec(block);
    const name = header?.[1] ?? block.split(':')[0]!.trim();
    const flags = header?.[2]?.split(',') ?? [];
    const status = /^\s*status:\s*(\w+)/m.exec(block)?.[1];
    const addresses = [...block.matchAll(/^\s*inet6?\s+(\S+)/gm)].map((m) => m[1]!);
    const loopback = flags.includes('LOOPBACK');
    const connected = !loopback && flags.includes('UP') && flags.includes('RUNNING') && (status === undefined || status === 'active');
    return { name, connected, addresses, detail: `flags=${flags.join(',')}${status ? ` status=${status}` : ''}` };
  });
}

interface NetAdapter {
  Name?: unknown;
  InterfaceDescription?: unknown;
  Status?: unknown;
}

/** Windows, `Get-NetAdapter | ConvertTo-Json`: connected = Status "Up" (one object or an array). */
export function parseGetNetAdapterJson(text: string): NetworkInterfaceState[] {
  if (text.trim() === '') return [];
  const parsed = JSON.parse(text) as unknown;
  const adapters = (Array.isArray(parsed) ? parsed : [parsed]) as NetAdapter[];
  return adapters.map((a) => {
    const status = String(a.Status ?? 'Unknown');
    return {
      name: String(a.Name ?? '?'),
      connected: status.toLowerCase() === 'up',
      addresses: [],
      detail: `status=${status}${a.InterfaceDescription ? ` (${String(a.InterfaceDescription)})` : ''}`,
    };
  });
}

/** Node's own view, when the OS tool is missing: any interface with a non-internal address counts as connected. */
export function fromNodeInterfaces(interfaces: Record<string, readonly { address: string; internal: boolean; cidr: string | null }[] | undefined>): NetworkInterfaceState[] {
  return Object.entries(interfaces).map(([name, addrs]) => {
    const external = (addrs ?? []).filter((a) => !a.internal);
    return {
      name,
      connected: external.length > 0,
      addresses: external.map((a) => a.cidr ?? a.address),
      detail: external.length > 0 ? 'has a non-internal address' : 'internal only',
    };
  });
}
