/**
 * Every method of the API, called with a valid argument over both transports, reaches the service with
 * exactly that argument and brings back the service's answer. A method without a sample here fails this
 * test (and the typecheck): a route or a channel that silently refuses a method name cannot go unseen.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from '../../src/cli/loopback-server.js';
import { registerIpc, type InvokeEvent } from '../../src/main/ipc.js';
import type { Result } from '../../src/core/common/result.js';
import type { ApiArgument, ApiMethod } from '../../src/core/service/api.js';
import { API_METHODS, CHANNEL_PREFIX } from '../../src/core/service/methods.js';
import { API_VALIDATORS } from '../../src/core/service/validators.js';
import { recordedValue, recordingService } from '../helpers/fake-service.js';

const member = { folder: '/ceremonies/2026-legislatives', member: 3, drive: '/media/cle-membre-3', passphrase: 'cheval correct pile agrafe' };
const job = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** One valid argument per method, checked by TypeScript against the method's own argument type. */
const SAMPLES: { readonly [M in ApiMethod]: ApiArgument<M> } = {
  appInfo: {},
  softwareMeasurement: {},
  networkStatus: {},
  setRehearsalOverride: { override: { reason: 'Répétition du 12 novembre', authorisedBy: 'La présidente' } },
  listDrives: {},
  passphraseStrength: { passphrase: 'cheval correct pile agrafe' },
  listMemberDevices: {},
  keyCeremonyCreate: { folder: '/ceremonies/2026-legislatives', definition: { id: 'leg-2026', constituencies: [{ id: 'c1' }] } },
  keyCeremonyOpen: { folder: '/ceremonies/2026-legislatives' },
  keyCeremonyMemberStep: { ...member, confirmation: 'cheval correct pile agrafe', action: 'enrol' },
  keyCeremonyCloseRound1: { folder: '/ceremonies/2026-legislatives', reason: 'Le membre 4 est absent.' },
  keyCeremonyPublishResult: { folder: '/ceremonies/2026-legislatives' },
  keyCeremonyClose: { folder: '/ceremonies/2026-legislatives' },
  keyCeremonyReport: { folder: 'C:\\ceremonies\\2026-legislatives' },
  keyCeremonyTokenSheet: { folder: 'C:\\ceremonies\\2026-legislatives' },
  ceremonyScript: { folder: 'C:\\ceremonies\\2026-legislatives', kind: 'tally' },
  keyCeremonyPreparePacket: { folder: '/ceremonies/2026-legislatives', drive: '/media/cle-membre-2' },
  keyCeremonyImportAnswers: { folder: '/ceremonies/2026-legislatives', packet: '/media/cle-membre-2/SCEAU-leg-2026-paquet-cles' },
  redistributionPreparePacket: { folder: '/ceremonies/2026-redistribution-1', drive: '/media/cle-membre-6' },
  redistributionImportAnswers: {
    folder: '/ceremonies/2026-redistribution-1',
    packet: '/media/cle-membre-6/SCEAU-leg-2026-paquet-redistribution',
    enrolmentCodes: [{ member: 6, code: '4f1a 09c2 77de b013' }],
  },
  stationOpen: { packet: '/media/cle-membre-2/SCEAU-leg-2026-paquet-cles' },
  stationStep: {
    packet: '/media/cle-membre-2/SCEAU-leg-2026-paquet-cles',
    member: 2,
    drive: '/media/jeton-2',
    passphrase: '482916',
    device: { serial: '5c1a9e0b7d3f2a61', keyId: '0a1b' },
    action: 'enrol',
  },
  stationProgress: {},
  tokenBackupToDrive: { folder: '/ceremonies/2026-legislatives', member: 2, drive: '/media/cle-membre-2', backupDrive: '/media/secours' },
  tokenPaperBackup: { folder: '/ceremonies/2026-legislatives', member: 2, drive: '/media/cle-membre-2' },
  tokenSplitBackup: { folder: '/ceremonies/2026-legislatives', member: 2, drive: '/media/cle-membre-2', k: 2, m: 3 },
  tokenRestore: { folder: '/ceremonies/2026-legislatives', member: 2, drive: '/media/vide', lines: ['SCEAU-1 abcd', 'SCEAU-2 efgh'] },
  auditCurrentCeremony: {},
  auditReplay: { folder: '/records/2026-legislatives', transcript: 'tally' },
  auditReceipt: { folder: '/records/2026-legislatives', receipt: 'K7QX-2M9P-4TRW' },
  auditPaper: { seal: 'sceau:results:2:…', boardKey: '/media/usb/public-key.json', pvs: ['sceau:pv:2:…', '0f8f'] },
  verifyStart: { folder: '/records/2026-legislatives' },
  verifyStatus: { job },
  verifyReportPdf: { job },
  openProjector: {},
  recentCeremonies: {},
  chooseFolder: {},
  folderPlaces: {},
  folderList: { folder: '/media/cle-bureau', files: 'json' },
  chooseFile: { kind: 'json' },
  platformKeyFromFile: { path: '/media/cle-plateforme/plateforme-cle-publique.json' },
  folderCreate: { parent: '/media/cle-bureau', name: 'Cérémonie des clés 2026' },
  tallyCreate: { keyCeremonyFolder: '/ceremonies/2026-legislatives', folder: '/tallies/2026-legislatives', shuffles: 3 },
  tallyOpen: { folder: '/tallies/2026-legislatives' },
  tallyView: { folder: '/tallies/2026-legislatives' },
  tallyListUrns: { drive: '/media/urne' },
  tallyImport: { folder: '/tallies/2026-legislatives', drive: '/media/urne', file: 'SCEAU/urne-2026.jsonl' },
  tallyCancel: { folder: '/tallies/2026-legislatives' },
  tallyPublishReceipts: { folder: '/tallies/2026-legislatives', drive: '/media/site-public' },
  tallyReceipt: { folder: '/tallies/2026-legislatives', receipt: 'K7QX-2M9P-4TRW' },
  tallyShuffle: { folder: '/tallies/2026-legislatives', upTo: 1 },
  tallyPreparePacket: { folder: '/tallies/2026-legislatives', drive: '/media/cle-membre-3' },
  tallyImportAnswers: { folder: '/tallies/2026-legislatives', packet: '/media/cle-membre-3/SCEAU-leg-2026-paquet-depouillement' },
  tallyDecrypt: { ...member, folder: '/tallies/2026-legislatives' },
  tallyCount: { folder: '/tallies/2026-legislatives' },
  tallySign: { ...member, folder: '/tallies/2026-legislatives' },
  tallyBoardCommit: { ...member, folder: '/tallies/2026-legislatives' },
  tallyBoardShare: { ...member, folder: '/tallies/2026-legislatives' },
  tallyBoardRestart: { folder: '/tallies/2026-legislatives', member: 2 },
  tallyAbandonBoardSignature: { folder: '/tallies/2026-legislatives', reason: 'Le membre 4 a perdu son jeton.' },
  tallyClose: { folder: '/tallies/2026-legislatives' },
  tallyPdf: { folder: '/tallies/2026-legislatives', document: 'c1' },
  tallyExport: { folder: '/tallies/2026-legislatives', drive: '/media/export' },
  printPdf: { folder: '/tallies/2026-legislatives', document: 'summary' },
  redistributionSource: { from: '/ceremonies/2026-legislatives' },
  redistributionCreate: {
    folder: '/ceremonies/2026-remplacement',
    from: '/ceremonies/2026-legislatives',
    dealers: [1, 3, 4],
    members: [1, 3, 4, 5, 6].map((index) => ({ index, name: `Membre ${index}`, role: 'AFE', president: index === 1 })),
    threshold: 3,
    reason: 'Démission du membre 2.',
  },
  redistributionOpen: { folder: '/ceremonies/2026-remplacement' },
  redistributionMemberStep: { ...member, folder: '/ceremonies/2026-remplacement', action: 'deal' },
  redistributionCloseDealing: { folder: '/ceremonies/2026-remplacement', reason: 'Le membre 5 est absent.' },
  redistributionPublishResult: { folder: '/ceremonies/2026-remplacement' },
  redistributionClose: { folder: '/ceremonies/2026-remplacement' },
  redistributionReport: { folder: '/ceremonies/2026-remplacement' },
};

/** The sample of `method`, failing the test (not the typecheck only) when there is none. */
function sampleOf(method: ApiMethod): unknown {
  expect(Object.hasOwn(SAMPLES, method), `no sample argument for ${method}`).toBe(true);
  return SAMPLES[method];
}

const fake = recordingService();
beforeEach(() => void fake.calls.splice(0));

describe('the sample arguments', () => {
  it('cover exactly the methods of the API', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...API_METHODS].sort());
  });

  it('are those the validators check, no more, no fewer', () => {
    expect(Object.keys(API_VALIDATORS).sort()).toEqual([...API_METHODS].sort());
  });

  it.each(API_METHODS)('are valid for %s', (method) => {
    const sample = sampleOf(method);
    expect(() => API_VALIDATORS[method](sample, method)).not.toThrow();
  });
});

describe('every method over loopback HTTP', () => {
  let server: LoopbackServer;
  const bugs: unknown[] = [];

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'sceau-ui-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Sceau</title>');
    server = await startLoopbackServer({ service: fake.service, staticRoot: root, onBug: (e) => bugs.push(e) });
  });
  afterAll(() => server.close());

  function post(method: string, body: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` };
      const req = request({ host: '127.0.0.1', port: server.port, path: `/api/${method}`, method: 'POST', headers }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it.each(API_METHODS)('%s reaches the service with its argument', async (method) => {
    const argument = sampleOf(method);
    const reply = await post(method, JSON.stringify(argument));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual(recordedValue(method));
    expect(fake.calls).toEqual([{ method, argument }]);
    expect(bugs).toEqual([]);
  });
});

describe('every method over Electron IPC', () => {
  type Handler = (event: InvokeEvent, argument: unknown) => Promise<Result<unknown>>;
  const handlers = new Map<string, Handler>();
  const bugs: unknown[] = [];
  registerIpc({ handle: (channel, listener) => void handlers.set(channel, listener) }, fake.service, (e) => bugs.push(e));
  const fromApp: InvokeEvent = { senderFrame: { url: 'app://sceau/index.html', parent: null } };

  it.each(API_METHODS)('%s reaches the service with its argument', async (method) => {
    const argument = sampleOf(method);
    const handler = handlers.get(CHANNEL_PREFIX + method);
    expect(handler, `no handler for ${method}`).toBeDefined();
    expect(await handler!(fromApp, argument)).toEqual(recordedValue(method));
    expect(fake.calls).toEqual([{ method, argument }]);
    expect(bugs).toEqual([]);
  });
});
