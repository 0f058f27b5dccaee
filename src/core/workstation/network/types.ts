/** The network interfaces as the workstation reads them (./probe.ts), and whether it is offline (docs/architecture.md "Offline guard"). */
export interface NetworkInterfaceState {
  readonly name: string;
  /** Counts as a connection: administratively up and with a carrier/link, not loopback. */
  readonly connected: boolean;
  readonly addresses: readonly string[];
  readonly detail: string;
}

export interface NetworkStatus {
  /** True when no interface but loopback is connected. */
  readonly offline: boolean;
  readonly interfaces: readonly NetworkInterfaceState[];
  /** How the state was read: `ip -j addr`, `ifconfig -a`, `Get-NetAdapter`, or Node's view as a last resort. */
  readonly source: string;
  readonly checkedAt: string;
}
