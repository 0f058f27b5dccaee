/**
 * The device a member chooses at enrolment crosses the API as `device: {serial, keyId?}` (docs/token.md
 * §3.2, docs/architecture.md): checked like every argument before the service sees it, so that a key id
 * that is not hex, an unknown field or an endless serial never reaches the PKCS#11 module.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/common/result.js';
import { API_VALIDATORS } from '../../src/core/service/validators.js';

const step = { folder: '/ceremonies/2026', member: 1, drive: '/media/jeton-1', passphrase: '482916', action: 'enrol' as const };

describe('the device argument of a member’s step', () => {
  it('passes a serial, with or without a key id in hex, on the workstation and on a station', () => {
    const check = API_VALIDATORS.keyCeremonyMemberStep;
    expect(check({ ...step, device: { serial: '8f0c5a2e41d7b390' } }, 'arg')).toMatchObject({ device: { serial: '8f0c5a2e41d7b390' } });
    expect(check({ ...step, device: { serial: '8f0c5a2e41d7b390', keyId: '0A1b' } }, 'arg')).toMatchObject({ device: { keyId: '0A1b' } });
    const station = { packet: '/media/cle/paquet', member: 1, drive: '/media/jeton-1', passphrase: '482916', action: 'enrol' as const, device: { serial: 'x' } };
    expect(API_VALIDATORS.stationStep(station, 'arg')).toMatchObject({ device: { serial: 'x' } });
  });

  it('refuses a key id not in hex bytes, an unknown field, a serial too long or not a string, in French and English', () => {
    const check = API_VALIDATORS.keyCeremonyMemberStep;
    for (const device of [{ serial: 'x', keyId: 'zz' }, { serial: 'x', keyId: 'abc' }, { serial: 'x', pin: '1234' }, { serial: 'x'.repeat(65) }, { serial: 7 }, 'x']) {
      let thrown: unknown;
      try {
        check({ ...step, device }, 'arg');
      } catch (e) {
        thrown = e;
      }
      expect(thrown, JSON.stringify(device)).toBeInstanceOf(InputError);
      const { message, where } = (thrown as InputError).failure;
      expect(message.fr.length > 0 && message.en.length > 0, JSON.stringify(device)).toBe(true);
      expect(where, JSON.stringify(device)).toMatch(/^arg\.device/);
    }
  });
});
