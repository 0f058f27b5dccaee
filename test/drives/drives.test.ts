import { readFileSync } from 'node:fs';
import { mkdtemp as mkdtempAsync, rm as rmAsync, mkdir as mkdirAsync } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchInput } from '../../src/core/common/result.js';
import { formatSize, listDrives, parseDiskutilInfo, parseDiskutilList, parseGetVolume, parseLsblk, parsePlist, withInfo, type CommandRunner, type Drive } from '../../src/core/drives/index.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/drives', name), 'utf8');
const summary = (d: Drive) => `${d.id} ${d.label ?? '-'} ${d.size.en} ${d.mountPoint ?? '-'} ${d.usable ? 'usable' : d.unusable!.code}`;

describe('formatSize', () => {
  it('prints decimal units, French with a comma and "o", English with a point and "B"', () => {
    expect(formatSize(16_008_609_792)).toEqual({ fr: '16,0 Go', en: '16.0 GB' });
    expect(formatSize(14_900_000_000)).toEqual({ fr: '14,9 Go', en: '14.9 GB' });
    expect(formatSize(500_107_862_016)).toEqual({ fr: '500 Go', en: '500 GB' });
    expect(formatSize(2_000_000_000_000)).toEqual({ fr: '2,0 To', en: '2.0 TB' });
    expect(formatSize(512)).toEqual({ fr: '512 o', en: '512 B' });
    expect(formatSize(-1)).toEqual({ fr: 'taille inconnue', en: 'unknown size' });
  });
});

describe('Linux: lsblk', () => {
  it('lists removable partitions (USB stick, USB SSD, SD card), not the system disk, the DVD drive or zram', () => {
    const drives = parseLsblk(fixture('linux-lsblk.json'));
    expect(drives.map(summary)).toEqual([
      '/dev/sda1 SCEAU-CLAIRE 8.0 GB /media/claire/SCEAU-CLAIRE usable',
      '/dev/sda2 ARCHIVES 8.0 GB - drive.not-mounted',
      '/dev/sdb1 JEAN 32.0 GB - drive.not-mounted',
      '/dev/sdc1 T7 500 GB /media/claire/T7 usable',
      '/dev/sdd - 8.1 GB - drive.no-filesystem',
      '/dev/mmcblk0p1 PHOTOS 31.9 GB /media/claire/PHOTOS drive.read-only',
    ]);
    const claire = drives[0]!;
    expect(claire.model).toBe('Cruzer Blade');
    expect(claire.title).toEqual({ fr: 'SCEAU-CLAIRE — Cruzer Blade — 8,0 Go', en: 'SCEAU-CLAIRE — Cruzer Blade — 8.0 GB' });
    expect(claire.test).toBe(false);
    expect(drives[5]!.unusable!.message.en).toMatch(/write-protect/);
  });

  it('reads the older util-linux shape (mountpoint string, values as strings, a stick without partitions)', () => {
    expect(parseLsblk(fixture('linux-lsblk-2.34.json')).map(summary)).toEqual(['/dev/sdb SCEAU-PAUL 4.0 GB /media/paul/SCEAU-PAUL usable', '/dev/sdc1 ELISE 15.7 GB - drive.not-mounted']);
  });

  it('refuses output of another shape with drives.parse', () => {
    for (const bad of ['not json', '{}', '[]']) {
      const r = catchInput(() => parseLsblk(bad));
      expect(r.ok ? 'ok' : r.error.code).toBe('drives.parse');
    }
    expect(parseLsblk('{"blockdevices": []}')).toEqual([]);
  });
});

describe('macOS: diskutil', () => {
  it('reads the plist subset, with entities', () => {
    expect(parsePlist('<plist version="1.0"><dict><key>a</key><array><integer>1</integer><true/><string>x &amp; y</string></array><key>b</key><dict/></dict></plist>')).toEqual({
      a: [1, true, 'x & y'],
      b: {},
    });
    for (const bad of ['<dict></dict>', '<plist><dict><string>x</string></dict></plist>', '<plist><dict><key>a</key>', '<plist><integer>x</integer></plist>']) {
      const r = catchInput(() => parsePlist(bad));
      expect(r.ok ? 'ok' : r.error.code, bad).toBe('drives.parse');
    }
  });

  it('lists external partitions (not EFI), completed by diskutil info', () => {
    const volumes = parseDiskutilList(fixture('macos-diskutil-list.plist'));
    expect(volumes.map((v) => v.id)).toEqual(['disk4s1', 'disk5s2', 'disk6s1']);
    const drives = volumes.map((v) => withInfo(v, parseDiskutilInfo(fixture(`macos-diskutil-info-${v.id}.plist`))));
    expect(drives.map(summary)).toEqual([
      'disk4s1 SCEAU-CLAIRE 16.0 GB /Volumes/SCEAU-CLAIRE usable',
      'disk5s2 JEAN & CO 31.8 GB - drive.not-mounted',
      'disk6s1 PHOTOS 31.9 GB /Volumes/PHOTOS drive.read-only',
    ]);
    expect(drives[0]!.model).toBe('Cruzer Blade');
    expect(drives[0]!.filesystem).toBe('MS-DOS FAT32');
    // without info, the list alone still describes the volume
    expect(summary(withInfo(volumes[0]!, undefined))).toBe('disk4s1 SCEAU-CLAIRE 16.0 GB /Volumes/SCEAU-CLAIRE usable');
  });

  it('refuses a plist without the disk list', () => {
    const r = catchInput(() => parseDiskutilList('<plist><dict><key>WholeDisks</key><array/></dict></plist>'));
    expect(r.ok ? 'ok' : r.error.code).toBe('drives.parse');
  });
});

describe('Windows: Get-Volume', () => {
  it('reads PowerShell 5.1 output (array, letters as char codes) and PowerShell 7 output (one object, letter string)', () => {
    expect(parseGetVolume(fixture('windows-get-volume.json')).map(summary)).toEqual([
      'E: SCEAU-CLAIRE 16.0 GB E:\\ usable',
      'F: - 32.0 GB F:\\ usable',
      'volume-3 ARCHIVES 8.0 GB - drive.not-mounted',
      'volume-4 - 0 B - drive.no-filesystem',
    ]);
    expect(parseGetVolume(fixture('windows-get-volume-one.json')).map(summary)).toEqual(['G: SCEAU-PAUL 4.0 GB G:\\ usable']);
    expect(parseGetVolume('')).toEqual([]);
    const r = catchInput(() => parseGetVolume('{oops'));
    expect(r.ok ? 'ok' : r.error.code).toBe('drives.parse');
  });
});

describe('listDrives (probe)', () => {
  const writable = async () => true;
  const fixtures: Record<string, string> = {
    'lsblk -J': fixture('linux-lsblk.json'),
    'diskutil list': fixture('macos-diskutil-list.plist'),
    'diskutil info disk4s1': fixture('macos-diskutil-info-disk4s1.plist'),
    'diskutil info disk6s1': fixture('macos-diskutil-info-disk6s1.plist'),
    'powershell.exe -NoProfile': fixture('windows-get-volume.json'),
  };
  const run: CommandRunner = async (command, args) => {
    const key = Object.keys(fixtures).find((k) => `${command} ${args.filter((a) => a !== '-plist').join(' ')}`.startsWith(k));
    if (key === undefined) throw new Error(`spawn ${command} ENOENT`);
    return fixtures[key]!;
  };

  it('runs the right command per platform', async () => {
    const linux = await listDrives({ platform: 'linux', env: {}, run, writable });
    expect(linux.ok && linux.value.drives.length).toBe(6);
    expect(linux.ok && linux.value.source).toMatch(/^lsblk -J -b -o NAME,PATH/);
    const mac = await listDrives({ platform: 'darwin', env: {}, run, writable });
    expect(mac.ok && mac.value.drives.map((d) => d.id)).toEqual(['disk4s1', 'disk5s2', 'disk6s1']);
    const win = await listDrives({ platform: 'win32', env: {}, run, writable });
    expect(win.ok && win.value.drives[0]!.id).toBe('E:');
    expect(win.ok && win.value.testMode).toBe(false);
  });

  it('falls back to the older lsblk columns when MOUNTPOINTS is unknown', async () => {
    const calls: string[] = [];
    const old: CommandRunner = async (_command, args) => {
      calls.push(args.join(' '));
      if (args.join(' ').includes('MOUNTPOINTS')) throw new Error('lsblk: unknown column: MOUNTPOINTS');
      return fixture('linux-lsblk-2.34.json');
    };
    const r = await listDrives({ platform: 'linux', env: {}, run: old, writable });
    expect(r.ok && r.value.drives.length).toBe(2);
    expect(calls).toHaveLength(2);
  });

  it('marks a mounted drive that refuses writes as read-only', async () => {
    const r = await listDrives({ platform: 'linux', env: {}, run, writable: async (m) => m !== '/media/claire/T7' });
    expect(r.ok && r.value.drives.find((d) => d.id === '/dev/sdc1')!.unusable?.code).toBe('drive.read-only');
  });

  it('fails clearly when the tool is missing or the platform unsupported', async () => {
    const missing: CommandRunner = async () => {
      throw new Error('spawn lsblk ENOENT');
    };
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const r = await listDrives({ platform, env: {}, run: missing, writable });
      expect(r.ok ? 'ok' : r.error.code).toBe('drives.probe');
      if (!r.ok) expect(r.error.message.en).toContain('ENOENT');
    }
    const garbled = await listDrives({ platform: 'linux', env: {}, run: async () => 'garbage', writable });
    expect(garbled.ok ? 'ok' : garbled.error.code).toBe('drives.parse');
    const aix = await listDrives({ platform: 'aix', env: {}, run, writable });
    expect(aix.ok ? 'ok' : aix.error.code).toBe('drives.unsupported');
  });
});

describe('test drives (SCEAU_TEST_DRIVES)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtempAsync(join(tmpdir(), 'sceau-drives-'));
    await mkdirAsync(join(root, 'alice'));
    await mkdirAsync(join(root, 'bob'));
  });
  afterAll(async () => rmAsync(root, { recursive: true, force: true }));

  it('lists only the named folders, visibly labelled TEST, with testMode set', async () => {
    const spec = [join(root, 'alice'), join(root, 'bob'), join(root, 'missing')].join(delimiter);
    const r = await listDrives({ env: { SCEAU_TEST_DRIVES: spec }, run: async () => Promise.reject(new Error('must not run')) });
    if (!r.ok) throw new Error(r.error.message.en);
    expect(r.value.testMode).toBe(true);
    expect(r.value.source).toBe('SCEAU_TEST_DRIVES');
    expect(r.value.drives.map((d) => [d.label, d.test, d.usable, d.unusable?.code])).toEqual([
      ['TEST alice', true, true, undefined],
      ['TEST bob', true, true, undefined],
      ['TEST missing', true, false, 'drive.not-mounted'],
    ]);
    expect(r.value.drives[0]!.title.en).toMatch(/^TEST — TEST alice — TEST folder — /);
    expect(r.value.drives[0]!.mountPoint).toBe(join(root, 'alice'));
    expect(r.value.drives[0]!.sizeBytes).toBeGreaterThan(0);
  });

  it('is ignored when empty: the OS tool is used', async () => {
    const r = await listDrives({ platform: 'linux', env: { SCEAU_TEST_DRIVES: ' ' }, run: async () => '{"blockdevices": []}', writable: async () => true });
    expect(r.ok && r.value.testMode).toBe(false);
  });
});
