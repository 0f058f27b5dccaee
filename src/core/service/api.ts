/**
 * The one typed API between the UI and everything privileged (VxSuite's pattern): a plain object of
 * async methods, each taking one object argument and returning a Result. The renderer imports this
 * file's TYPES only; two transports carry it (Electron IPC through the preload, loopback HTTP for
 * `sceau serve`). Secrets never cross it: no method returns a key share or a passphrase.
 */
import type { Result } from '../common/result.js';

export type Transport = 'electron' | 'loopback';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly transport: Transport;
  readonly platform: string;
}

/** One shipped file and its SHA-256, as listed in the measurement's manifest. */
export interface MeasuredFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/**
 * The software measurement (docs/software-measurement.md): SHA-256 of the manifest, the manifest being
 * one line `sha256 ␠␠ path \n` per shipped file, sorted by path.
 */
export interface SoftwareMeasurement {
  readonly algorithm: 'SHA-256';
  readonly digest: string;
  readonly fileCount: number;
  readonly totalBytes: number;
  readonly files: readonly MeasuredFile[];
}

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

export interface SceauApi {
  appInfo(arg: Record<string, never>): Promise<Result<AppInfo>>;
  softwareMeasurement(arg: Record<string, never>): Promise<Result<SoftwareMeasurement>>;
  networkStatus(arg: Record<string, never>): Promise<Result<NetworkStatus>>;
}

export type ApiMethod = keyof SceauApi;
export type ApiArgument<M extends ApiMethod> = Parameters<SceauApi[M]>[0];
export type ApiValue<M extends ApiMethod> = Awaited<ReturnType<SceauApi[M]>> extends Result<infer V> ? V : never;
