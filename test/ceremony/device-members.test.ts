/**
 * Members whose tokens are protected by their smart card or security key (docs/token.md §3.2), on
 * SoftHSM2 devices: the key ceremony through the service as the screens call it (the device chosen from
 * the list, a wrong PIN refused and recorded, then the right one), and a tally whose quorum decrypts with
 * two device members and a passphrase member, a wrong PIN and an unplugged device recorded on the way.
 * Without the PKCS#11 module the passphrase tokens still work, and choosing a device says why it cannot.
 *
 * Not shown: the PIN locked after the device's limit (SoftHSM2 has no retry counter; a card's
 * CKR_PIN_LOCKED is mapped to `device.pin-locked`, test/token/pkcs11.test.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveTokens } from '../../src/core/ceremony/key/drive-tokens.js';
import { tallyDriveTokens } from '../../src/core/ceremony/tally/drive-tokens.js';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import type { Result } from '../../src/core/common/result.js';
import type { KeyCeremonyMemberAction, SceauApi } from '../../src/core/service/api.js';
import { simulateCeremonyUrn } from '../../src/core/simulation/simulate-ceremony.js';
import { memberDevices, parseToken, tokenPath, type MemberDevices } from '../../src/core/token/index.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { closedKeyCeremony, type ClosedKeyCeremonyFixture } from '../helpers/closed-key-ceremony.js';
import { folderService } from '../helpers/folder-service.js';
import { boardDefinition } from '../helpers/key-ceremony.js';
import { DEVICE_PIN, SOFTHSM_MODULE, softHsm, softHsmRuns, type SoftHsm } from '../helpers/softhsm.js';
import { boardSignIfAny, expectTruth, memberStep, must, tallyContext } from '../helpers/tally.js';

const FAST = { policy: TEST_POLICY } as const;
const pass = (j: number) => `une phrase assez longue numéro ${j} !`;

let hsm: SoftHsm;
let devices: MemberDevices;
const pool = new WorkerPool(0);

describe.skipIf(!softHsmRuns)('members on smart cards or security keys (SoftHSM2)', () => {
  beforeAll(() => {
    hsm = softHsm(['Carte 1', 'Carte 3', 'Carte 5', 'Carte A', 'Carte S']);
    devices = memberDevices(() => SOFTHSM_MODULE);
  });
  afterAll(async () => {
    await pool.close();
  });

  describe('key ceremony through the service', () => {
    const root = mkdtempSync(join(tmpdir(), 'sceau-device-kc-'));
    const drives = [1, 2, 3].map((j) => join(root, `jeton-${j}`));
    for (const d of drives) mkdirSync(d);
    const folder = join(root, 'ceremonie');
    let api: SceauApi;
    const secret = (j: number) => (j === 1 ? DEVICE_PIN : pass(j));
    const stepAll = async (action: KeyCeremonyMemberAction) => {
      for (const j of [1, 2, 3]) must(await api.keyCeremonyMemberStep({ folder, member: j, drive: drives[j - 1]!, passphrase: secret(j), action }));
    };

    it('lists the devices plugged in, then enrols member 1 on one; later steps take its PIN, a wrong one recorded', async () => {
      api = folderService(root, drives, { tokens: driveTokens(FAST, devices), devices });
      const listed = must(await api.listMemberDevices({}));
      expect(listed.modulePath).toBe(SOFTHSM_MODULE);
      expect(listed.devices.map((d) => d.label).sort()).toEqual(['Carte 1', 'Carte 3', 'Carte 5', 'Carte A', 'Carte S']);
      expect(listed.devices.every((d) => !d.hasKey && !d.pinLocked && !d.pinFinalTry)).toBe(true);
      // What the device wants of a PIN, for the screen to say (SoftHSM2: 4 to 255 characters).
      expect(listed.devices.map((d) => [d.minPinLength, d.maxPinLength])).toContainEqual([4, 255]);
      must(await api.keyCeremonyCreate({ folder, definition: boardDefinition(3, 2) }));
      const device = { serial: hsm.serial('Carte A') };

      // A wrong PIN at enrolment: refused by the device, recorded, and no token written.
      const wrong = await api.keyCeremonyMemberStep({ folder, member: 1, drive: drives[0]!, passphrase: '000000', device, action: 'enrol' });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'device.pin' } });
      // A device not plugged in is named by its serial.
      expect(await api.keyCeremonyMemberStep({ folder, member: 1, drive: drives[0]!, passphrase: DEVICE_PIN, device: { serial: '0123456789abcdef' }, action: 'enrol' })).toMatchObject({
        ok: false,
        error: { code: 'device.not-found' },
      });
      // No passphrase policy for a PIN: the device judges it.
      must(await api.keyCeremonyMemberStep({ folder, member: 1, drive: drives[0]!, passphrase: DEVICE_PIN, device, action: 'enrol' }));
      for (const j of [2, 3]) must(await api.keyCeremonyMemberStep({ folder, member: j, drive: drives[j - 1]!, passphrase: pass(j), confirmation: pass(j), action: 'enrol' }));

      // The drive list says the token is the device's: the screens ask its PIN.
      const onDrive = must(await api.listDrives({})).find((d) => d.mount === drives[0])!;
      expect(onDrive.tokens).toEqual([expect.objectContaining({ member: 1, device: { label: 'Carte A', serial: device.serial } })]);
      expect(must(await api.listDrives({})).find((d) => d.mount === drives[1])!.tokens![0]!.device).toBeUndefined();
      expect(must(await api.listMemberDevices({})).devices.find((d) => d.serial === device.serial)!.hasKey).toBe(true);

      const refused = await api.keyCeremonyMemberStep({ folder, member: 1, drive: drives[0]!, passphrase: '999999', action: 'contribute' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'device.pin' } });
      // The passphrase of another member is no PIN either.
      expect(await api.keyCeremonyMemberStep({ folder, member: 1, drive: drives[0]!, passphrase: pass(1), action: 'contribute' })).toMatchObject({ ok: false, error: { code: 'device.pin' } });
      await stepAll('contribute');
      await stepAll('check');
      must(await api.keyCeremonyPublishResult({ folder }));
      await stepAll('seal');
      await stepAll('confirm');
      const view = must(await api.keyCeremonyClose({ folder }));
      expect(view.phase).toBe('closed');
      // Each wrong PIN is in the transcript, as a wrong passphrase is: a deviation naming the member, code device.pin.
      const deviations = readFileSync(join(folder, 'transcript.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.includes('"deviation"') || l.includes('.deviation"'))
        .map((l) => (JSON.parse(l) as { payload: { kind: string; member: number; code: string } }).payload);
      expect(deviations.map((d) => [d.kind, d.member, d.code])).toEqual([
        ['token-refused', 1, 'device.pin'],
        ['token-refused', 1, 'device.not-found'],
        ['token-refused', 1, 'device.pin'],
        ['token-refused', 1, 'device.pin'],
      ]);
      expect(JSON.stringify(view)).not.toContain(DEVICE_PIN);
      // The sealed token is still the device's, with its key share.
      const id = JSON.parse(readFileSync(join(folder, 'election.json'), 'utf8')).id as string;
      const sealed = must(parseToken(readFileSync(tokenPath(drives[0]!, id, 1), 'utf8')));
      expect(sealed.kdf.algorithm).toBe('pkcs11-ecdh-p256');
      expect(sealed.public.keyShare).toBeDefined();
    });
  });

  it('at enrolment, a key id picks the card’s existing Sceau key; one it does not hold, or not hex, is named missing', () => {
    const serial = hsm.serial('Carte A');
    const made = devices.enrol({ serial }, DEVICE_PIN);
    if (!made.ok) throw new Error(made.error.message.en);
    const keyId = Buffer.from(made.value.ref.keyId).toString('hex');
    const picked = devices.enrol({ serial, keyId }, DEVICE_PIN);
    expect(picked.ok && Buffer.from(picked.value.publicKey).equals(Buffer.from(made.value.publicKey))).toBe(true);
    expect(devices.enrol({ serial, keyId: 'ab' }, DEVICE_PIN)).toMatchObject({ ok: false, error: { code: 'device.key-missing' } });
    expect(devices.enrol({ serial, keyId: 'zz' }, DEVICE_PIN)).toMatchObject({ ok: false, error: { code: 'device.key-missing' } });
  });

  describe('on a member’s station', () => {
    it('member 1 enrols on their card on their station, and contributes there with its PIN', async () => {
      const root = mkdtempSync(join(tmpdir(), 'sceau-device-station-'));
      const [token1, token2, stick] = ['jeton-1', 'jeton-2', 'cle-1'].map((d) => join(root, d)) as [string, string, string];
      for (const d of [token1, token2, stick]) mkdirSync(d);
      const folder = join(root, 'ceremonie');
      const W = folderService(root, [token2, stick], { tokens: driveTokens(FAST, devices), devices });
      const station = folderService(root, [token1, stick], { tokens: driveTokens(FAST, devices), devices });
      must(await W.keyCeremonyCreate({ folder, definition: boardDefinition(2, 2) }));
      let packet = must(await W.keyCeremonyPreparePacket({ folder, drive: stick })).path;
      const device = { serial: hsm.serial('Carte S') };
      expect(await station.stationStep({ packet, member: 1, drive: token1, passphrase: '000000', device, action: 'enrol' })).toMatchObject({ ok: false, error: { code: 'device.pin' } });
      const shown = must(await station.stationStep({ packet, member: 1, drive: token1, passphrase: DEVICE_PIN, device, action: 'enrol' }));
      expect(must(await W.keyCeremonyImportAnswers({ folder, packet, enrolmentCodes: shown.enrolmentCodes })).import.placed).toHaveLength(1);
      must(await W.keyCeremonyMemberStep({ folder, member: 2, drive: token2, passphrase: pass(2), confirmation: pass(2), action: 'enrol' }));
      packet = must(await W.keyCeremonyPreparePacket({ folder, drive: stick })).path;
      // The station's drive list says the token is the card's; a wrong PIN is said on the station, the right one answers.
      expect(must(await station.listDrives({})).find((d) => d.mount === token1)!.tokens![0]!.device).toEqual({ label: 'Carte S', serial: device.serial });
      // Member 2 reads aloud the enrolment code shown where they enrolled (here the workstation).
      const memberCodes = [{ member: 2, code: must(await W.keyCeremonyOpen({ folder })).members[1]!.identityKey!.slice(0, 16) }];
      expect(await station.stationStep({ packet, member: 1, drive: token1, passphrase: '111111', action: 'contribute', memberCodes })).toMatchObject({ ok: false, error: { code: 'device.pin' } });
      must(await station.stationStep({ packet, member: 1, drive: token1, passphrase: DEVICE_PIN, action: 'contribute', memberCodes }));
      const view = must(await W.keyCeremonyImportAnswers({ folder, packet }));
      expect(view.import.placed.map((p) => p.type)).toEqual(['dkg.round1']);
    });
  });

  describe('a tally whose quorum opens device-protected tokens', () => {
    let kc: ClosedKeyCeremonyFixture;
    let urn: { urnPath: string; truth: Parameters<typeof expectTruth>[1] };
    beforeAll(async () => {
      const root = mkdtempSync(join(tmpdir(), 'sceau-device-tally-'));
      const members = { 1: { serial: hsm.serial('Carte 1') }, 3: { serial: hsm.serial('Carte 3') }, 5: { serial: hsm.serial('Carte 5') } };
      kc = await closedKeyCeremony({ root: join(root, 'kc'), policy: TEST_POLICY, devices: { of: devices, members, pin: DEVICE_PIN } });
      urn = must(await simulateCeremonyUrn({ keyCeremony: kc.folder, platformKey: kc.platformKeyPath, out: join(root, 'urn-drive'), privateDir: join(root, 'private'), voters: 12, seed: 3 }));
    }, 120_000);

    it('decrypts with members 1 and 3 (devices) and 2 (passphrase); a wrong PIN and an unplugged card are recorded', async () => {
      const fx = { kc, urnPath: urn.urnPath, truth: urn.truth, root: kc.root };
      const folder = join(kc.root, 'depouillement');
      const c = must(await TallyCeremony.create({ keyCeremonyFolder: kc.folder, folder }, tallyContext(pool, tallyDriveTokens(FAST, devices))));
      must(await c.importUrn(urn.urnPath));
      must(await c.publishReceipts());
      must(await c.shuffle());

      // Pulled out after the last listing: the step sees it gone (the module is opened afresh for each step).
      hsm.unplug('Carte 5');
      const absent = await c.decrypt(memberStep(fx, 5));
      expect(absent).toMatchObject({ ok: false, error: { code: 'device.not-found' } });
      expect(absent.ok || absent.error.message.fr).toMatch(/^Membre 5\u00a0: La carte ou clé de sécurité n° [0-9a-f]{16} n'est pas branchée/);
      const wrong = await c.decrypt(memberStep(fx, 1, { passphrase: '111111' }));
      expect(wrong).toMatchObject({ ok: false, error: { code: 'device.pin' } });
      expect(c.state.deviations.map((d) => d.payload)).toEqual([
        expect.objectContaining({ kind: 'token-refused', member: 5, code: 'device.not-found' }),
        expect.objectContaining({ kind: 'token-refused', member: 1, code: 'device.pin' }),
      ]);
      for (const j of [1, 2, 3]) must(await c.decrypt(memberStep(fx, j)));
      expectTruth(must(await c.count()), urn.truth);
      for (const j of [1, 2, 3]) must(await c.sign(memberStep(fx, j)));
      // The board's signature (step 7b), required to close: members 1 and 3 on their devices.
      await boardSignIfAny(
        c,
        [1, 2, 3].map((j) => memberStep(fx, j)),
      );
      must(await c.close());
      const verdict = await verifyRecord(folder, { pool });
      expect(verdict.failures).toEqual([]);
      expect(verdict.ok).toBe(true);
    });
  });
});

describe('without the PKCS#11 module', () => {
  const absent = memberDevices(() => '/nonexistent/libpkcs11-absent.so');
  const root = mkdtempSync(join(tmpdir(), 'sceau-device-absent-'));
  const drives = [1, 2].map((j) => join(root, `jeton-${j}`));
  for (const d of drives) mkdirSync(d);
  const folder = join(root, 'ceremonie');

  it('says so when the devices are listed or one is chosen, and the passphrase tokens still work', async () => {
    const api = folderService(root, drives, { tokens: driveTokens(FAST, absent), devices: absent });
    const listed = await api.listMemberDevices({});
    expect(listed).toMatchObject({ ok: false, error: { code: 'device.library' } });
    expect(listed.ok || listed.error.message.fr).toMatch(/phrase de passe restent disponibles/);
    expect(listed.ok || listed.error.message.en).toMatch(/Passphrase-protected tokens remain available/);
    must(await api.keyCeremonyCreate({ folder, definition: boardDefinition(2, 2) }));
    const chosen: Result<unknown> = await api.keyCeremonyMemberStep({ folder, member: 1, drive: drives[0]!, passphrase: DEVICE_PIN, device: { serial: '0123456789abcdef' }, action: 'enrol' });
    expect(chosen).toMatchObject({ ok: false, error: { code: 'device.library' } });
    for (const j of [1, 2]) must(await api.keyCeremonyMemberStep({ folder, member: j, drive: drives[j - 1]!, passphrase: pass(j), confirmation: pass(j), action: 'enrol' }));
    must(await api.keyCeremonyMemberStep({ folder, member: 1, drive: drives[0]!, passphrase: pass(1), action: 'contribute' }));
  });

  it('says so when no module is installed nor named (SCEAU_PKCS11_MODULE), and when the service was given no devices', async () => {
    const none = memberDevices(() => null).list();
    expect(none).toMatchObject({ ok: false, error: { code: 'device.library' } });
    expect(none.ok || none.error.message.fr).toMatch(/aucun module PKCS#11 installé ni désigné par SCEAU_PKCS11_MODULE/);
    const bare = driveTokens(FAST);
    const refused = await bare.create(
      { drive: drives[1]!, label: 'jeton-2', size: 1 },
      DEVICE_PIN,
      { fingerprint: new Uint8Array(32), election: 'e-2026', member: 2, name: 'Membre 2' },
      { serial: 'x' },
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'device.library' } });
  });
});
