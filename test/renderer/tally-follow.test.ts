/** The tally page's pure rules: where focus goes as the ceremony moves on, and the time left in words. */
import { describe, expect, it } from 'vitest';
import { announcedPercent, focusAfter, percentDone, timeLeft, type FocusState } from '../../src/renderer/screens/tally/follow.js';

const at = (over: Partial<FocusState> = {}): FocusState => ({ phase: 'decryption', running: false, failure: null, cancelled: false, decrypted: 0, signed: 0, ...over });

describe('focusAfter', () => {
  it('goes to the current step when the ceremony is opened or its phase moves on (closed: the closing step)', () => {
    expect(focusAfter(null, at({ phase: 'import' }))).toEqual({ to: 'step', step: 'import' });
    expect(focusAfter(at({ phase: 'import', running: true }), at({ phase: 'receipts' }))).toEqual({ to: 'step', step: 'receipts' });
    expect(focusAfter(at({ phase: 'closing' }), at({ phase: 'closed' }))).toEqual({ to: 'step', step: 'closing' });
  });
  it('goes to the progress when a background step starts, and to how it ended when it fails or is cancelled', () => {
    expect(focusAfter(at(), at({ running: true }))).toEqual({ to: 'progress' });
    expect(focusAfter(at({ running: true }), at({ failure: 't1 token.passphrase' }))).toEqual({ to: 'failure' });
    expect(focusAfter(at({ running: true }), at({ failure: 't1 cancelled', cancelled: true }))).toEqual({ to: 'cancelled' });
  });
  it('does not move for the same failure seen again at the next poll, nor while nothing changed', () => {
    expect(focusAfter(at({ failure: 't1 x' }), at({ failure: 't1 x' }))).toBeNull();
    expect(focusAfter(at(), at())).toBeNull();
    // A failure while a step still runs is not the end of it.
    expect(focusAfter(at({ running: true }), at({ running: true, failure: 't2 x' }))).toBeNull();
  });
  it('goes back to the step (the next member) when a decryption or a signature is recorded and the phase stays', () => {
    expect(focusAfter(at({ running: true, decrypted: 1 }), at({ decrypted: 2 }))).toEqual({ to: 'step', step: 'decryption' });
    expect(focusAfter(at({ phase: 'signing', signed: 0 }), at({ phase: 'signing', signed: 1 }))).toEqual({ to: 'step', step: 'signing' });
  });
});

describe('progress in words', () => {
  it('says seconds under two minutes, whole minutes rounded up above', () => {
    expect(timeLeft(0)).toEqual({ key: 'seconds', seconds: 0 });
    expect(timeLeft(119.4)).toEqual({ key: 'seconds', seconds: 119 });
    expect(timeLeft(120)).toEqual({ key: 'aboutMinutes', minutes: 2 });
    expect(timeLeft(121)).toEqual({ key: 'aboutMinutes', minutes: 3 });
    expect(timeLeft(-5)).toEqual({ key: 'seconds', seconds: 0 });
  });
  it('floors the percentage, knows none without a total, and announces it by tenths', () => {
    expect(percentDone({ done: 1, total: 3 })).toBe(33);
    expect(percentDone({ done: 5, total: 3 })).toBe(100);
    expect(percentDone({ done: null, total: 3 })).toBeNull();
    expect(percentDone({ done: 0, total: 0 })).toBeNull();
    expect([null, 0, 9, 10, 99, 100].map(announcedPercent)).toEqual([null, 0, 0, 10, 90, 100]);
  });
});
