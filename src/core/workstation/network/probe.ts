/** Reads the interfaces with the OS's own tool, falling back to Node's view (see ./parse.ts). */
import { execFile } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';
import type { NetworkInterfaceState, NetworkStatus } from './types.js';
import { fromNodeInterfaces, parseGetNetAdapterJson, parseIfconfig, parseIpJson } from './parse.js';

const run = promisify(execFile);

interface Probe {
  readonly source: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly parse: (stdout: string) => NetworkInterfaceState[];
}

const PROBES: Partial<Record<NodeJS.Platform, Probe>> = {
  linux: { source: 'ip -j addr show', command: 'ip', args: ['-j', 'addr', 'show'], parse: parseIpJson },
  darwin: { source: 'ifconfig -a', command: '/sbin/ifconfig', args: ['-a'], parse: parseIfconfig },
  win32: {
    source: 'Get-NetAdapter',
    command: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-Command', 'Get-NetAdapter | Select-Object Name,InterfaceDescription,Status | ConvertTo-Json'],
    parse: parseGetNetAdapterJson,
  },
};

export function summarize(interfaces: NetworkInterfaceState[], source: string, now: Date): NetworkStatus {
  return { offline: interfaces.every((i) => !i.connected), interfaces, source, checkedAt: now.toISOString() };
}

export async function probeNetwork(platform: NodeJS.Platform = process.platform, now = new Date()): Promise<NetworkStatus> {
  const probe = PROBES[platform];
  if (probe) {
    try {
      const { stdout } = await run(probe.command, [...probe.args], { timeout: 10_000, windowsHide: true });
      return summarize(probe.parse(stdout), probe.source, now);
    } catch {
      // The tool is missing or its output changed: Node's view is coarser but errs towards "connected".
    }
  }
  return summarize(fromNodeInterfaces(networkInterfaces()), 'os.networkInterfaces()', now);
}
