/**
 * A station's step crosses the API (IPC, loopback HTTP) checked by its validator: every action a station
 * offers (`StationAction`, docs/stations.md) must pass it, the board's two visits (step 7b) included —
 * the board's signature is required to close a tally with a board key, and members with stations make
 * both visits there. An action no station offers is refused, in French and English.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/common/result.js';
import { API_VALIDATORS } from '../../src/core/service/validators.js';

const step = { packet: '/media/cle/paquet', member: 2, drive: '/media/jeton-2', passphrase: '482916' };

describe('the action of a station step', () => {
  it("passes the tally's member actions, the board's first and second visits included", () => {
    for (const action of ['mix', 'decrypt', 'sign', 'board-commit', 'board-share']) {
      expect(API_VALIDATORS.stationStep({ ...step, action }, 'arg'), action).toMatchObject({ action });
    }
  });

  it('refuses an action no station offers, naming the field, in French and English', () => {
    for (const action of ['board-sign', 'close', '', 7]) {
      let thrown: unknown;
      try {
        API_VALIDATORS.stationStep({ ...step, action }, 'arg');
      } catch (e) {
        thrown = e;
      }
      expect(thrown, JSON.stringify(action)).toBeInstanceOf(InputError);
      const failure = (thrown as InputError).failure;
      expect(failure.where).toBe('arg.action');
      expect(failure.message.fr.length).toBeGreaterThan(10);
      expect(failure.message.en.length).toBeGreaterThan(10);
    }
  });
});
