/**
 * `sceau demo --device-members`: the named members hold their tokens on SoftHSM2 devices the demo makes
 * (docs/token.md §3.2), real token files sealed for them, opened with the device and its PIN at the key
 * ceremony and at the tally; the record verifies. Without SCEAU_PKCS11_MODULE, or with --stations, or with
 * a member the board does not have, it refuses and says why.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { tempDir } from '../helpers/pipeline.js';
import { capture } from '../helpers/console.js';
import { SOFTHSM_MODULE, softHsmRuns } from '../helpers/softhsm.js';

const saved = process.env['SCEAU_PKCS11_MODULE'];
afterEach(() => {
  vi.restoreAllMocks();
  if (saved === undefined) delete process.env['SCEAU_PKCS11_MODULE'];
  else process.env['SCEAU_PKCS11_MODULE'] = saved;
});

const size = ['--voters', '8', '--constituencies', '1', '--members', '3', '--threshold', '2', '--workers', '1'];

describe.skipIf(!softHsmRuns)('sceau demo --device-members', () => {
  it('enrols members 1 and 3 on SoftHSM2 devices; the quorum 2, 3 decrypts with member 3’s device, and the record verifies', async () => {
    process.env['SCEAU_PKCS11_MODULE'] = SOFTHSM_MODULE;
    const out = join(tempDir(), 'rec');
    let io = capture();
    expect(await main(['demo', '--out', out, ...size, '--device-members', '1,3'])).toBe(0);
    expect(io.out()).toMatch(/Quorum\u00a0: membres \/ members 2, 3/);
    expect(io.out()).toMatch(/members on SoftHSM2 devices: 1, 3 \(PIN 123456, /);
    for (const j of [1, 3]) {
      const token = JSON.parse(readFileSync(join(`${out}-private`, 'tokens', `member-${j}`, 'SCEAU', 'demo-2021', `member-${j}.sceau-token.json`), 'utf8'));
      expect(token.kdf.algorithm).toBe('pkcs11-ecdh-p256');
      expect(token.kdf.device.label).toBe(`Sceau demo membre ${j}`);
    }
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['verify', out, '--json', '--workers', '1'])).toBe(0);
    expect(JSON.parse(io.out()).ok).toBe(true);
  });
});

describe('sceau demo --device-members, refused', () => {
  it('without SCEAU_PKCS11_MODULE exits 1 saying so; with --stations or a member out of the board, 2', async () => {
    delete process.env['SCEAU_PKCS11_MODULE'];
    const io = capture();
    expect(await main(['demo', '--out', join(tempDir(), 'rec'), ...size, '--device-members', '2'])).toBe(1);
    expect(io.err()).toMatch(/SCEAU_PKCS11_MODULE doit désigner le module PKCS#11/);
    expect(io.err()).toMatch(/SCEAU_PKCS11_MODULE must name/);
    expect(await main(['demo', '--out', join(tempDir(), 'rec'), ...size, '--device-members', '2', '--stations'])).toBe(2);
    expect(io.err()).toMatch(/--device-members does not go with --stations/);
    expect(await main(['demo', '--out', join(tempDir(), 'rec'), ...size, '--device-members', '2,4'])).toBe(2);
    expect(await main(['demo', '--out', join(tempDir(), 'rec'), ...size, '--device-members', '2,2'])).toBe(2);
    expect(io.err()).toMatch(/distinct member numbers 1 to 3/);
  });
});
