import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromNodeInterfaces, parseGetNetAdapterJson, parseIfconfig, parseIpJson } from '../../src/core/workstation/network/parse.js';
import { summarize } from '../../src/core/workstation/network/probe.js';
import { clearForKeyOperation } from '../../src/core/workstation/offline-guard.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/network/${name}`, import.meta.url), 'utf8');
const connectedNames = (list: { name: string; connected: boolean }[]) => list.filter((i) => i.connected).map((i) => i.name);
const now = new Date('2026-11-23T10:00:00Z');

describe('Linux: ip -j addr show', () => {
  it('counts an interface with a carrier as connected, not one without, never loopback', () => {
    expect(connectedNames(parseIpJson(fixture('linux-ip-online.json')))).toEqual(['wlp2s0']);
    expect(connectedNames(parseIpJson(fixture('linux-ip-offline.json')))).toEqual([]);
  });
  it('counts a VPN tunnel (operstate UNKNOWN, LOWER_UP) as connected', () => {
    expect(connectedNames(parseIpJson(fixture('linux-ip-vpn.json')))).toEqual(['tun0']);
  });
  it('keeps the addresses for the report', () => {
    const wifi = parseIpJson(fixture('linux-ip-online.json')).find((i) => i.name === 'wlp2s0');
    expect(wifi?.addresses).toContain('192.168.1.23/24');
  });
});

describe('macOS: ifconfig -a', () => {
  it('needs UP, RUNNING and status active', () => {
    expect(connectedNames(parseIfconfig(fixture('macos-ifconfig-online.txt')))).toEqual(['en0']);
    expect(connectedNames(parseIfconfig(fixture('macos-ifconfig-offline.txt')))).toEqual([]);
  });
  it('lists every interface block', () => {
    expect(parseIfconfig(fixture('macos-ifconfig-online.txt')).map((i) => i.name)).toEqual(['lo0', 'gif0', 'stf0', 'en0', 'en1']);
  });
});

describe('Windows: Get-NetAdapter | ConvertTo-Json', () => {
  it('reads an array and a single object', () => {
    expect(connectedNames(parseGetNetAdapterJson(fixture('windows-get-netadapter-online.json')))).toEqual(['Wi-Fi']);
    expect(connectedNames(parseGetNetAdapterJson(fixture('windows-get-netadapter-offline.json')))).toEqual([]);
    expect(parseGetNetAdapterJson('')).toEqual([]);
  });
});

describe("Node's view, the fallback", () => {
  it('treats any non-internal address as connected', () => {
    const list = fromNodeInterfaces({
      lo: [{ address: '127.0.0.1', internal: true, cidr: '127.0.0.1/8' }],
      eth0: [{ address: '10.0.0.5', internal: false, cidr: '10.0.0.5/24' }],
    });
    expect(connectedNames(list)).toEqual(['eth0']);
  });
});

describe('offline guard', () => {
  const online = summarize(parseIpJson(fixture('linux-ip-online.json')), 'ip -j addr show', now);
  const offline = summarize(parseIpJson(fixture('linux-ip-offline.json')), 'ip -j addr show', now);

  it('clears a key operation when offline', () => {
    const r = clearForKeyOperation(offline);
    expect(r.ok && r.value.override).toBe(undefined);
    expect(r.ok).toBe(true);
  });
  it('refuses when connected, naming the interface in both languages', () => {
    const r = clearForKeyOperation(online);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('offline.connected');
      expect(r.error.message.fr).toContain('wlp2s0');
      expect(r.error.message.en).toContain('wlp2s0');
    }
  });
  it('accepts an explicit rehearsal override and returns it to be recorded', () => {
    const r = clearForKeyOperation(online, { reason: 'Répétition du 20 mai', authorisedBy: 'La présidente' });
    expect(r.ok && r.value.override?.authorisedBy).toBe('La présidente');
  });
  it('refuses an override without a reason or a name', () => {
    expect(clearForKeyOperation(online, { reason: ' ', authorisedBy: 'X' }).ok).toBe(false);
    expect(clearForKeyOperation(online, { reason: 'R', authorisedBy: '' }).ok).toBe(false);
  });
});
