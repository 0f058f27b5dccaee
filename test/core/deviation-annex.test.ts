/**
 * The deviation annex's words (src/core/report/deviation-annex.ts, docs/results.md §1 "The annex"): each
 * kind of irregularity as a sentence a president reads aloud, French and English, naming the member from
 * the definition, dated as a PV writes it (across the Paris clock changes), its reason in words; the code
 * only on the details line.
 */
import { describe, expect, it } from 'vitest';
import { annexPointer, recordAnnex } from '../../src/core/report/annex-pdf.js';
import { chainNames, deviationAnnex, NO_DEVIATION, type AnnexItem } from '../../src/core/report/deviation-annex.js';
import type { TranscriptEntry } from '../../src/core/transcript/transcript.js';

const BOARD = [
  { index: 1, name: 'Claire Dupont' },
  { index: 2, name: 'Marc Leroy' },
  { index: 5, name: 'Léa Moreau' },
];
const WS = 'workstation:0123456789abcdef';
/** 20:03 UTC on 4 December 2026: 21 h 03 in Paris (winter time). */
const AT = '2026-12-04T20:03:00.000Z';
const MESSAGE = { fr: 'Phrase de passe erronée ou jeton endommagé (membre 5)', en: 'Wrong passphrase or damaged token (member 5)' };

let seq = 0;
function entry(type: string, payload: unknown, o: { time?: string; actor?: string } = {}): TranscriptEntry {
  return { seq: seq++, prev: '00'.repeat(32), time: o.time ?? AT, actor: o.actor ?? WS, type, payload, signature: '00'.repeat(64) };
}
const deviation = (kind: string, member: number | null, code = 'token.passphrase', type = 'tally.deviation', time = AT): TranscriptEntry =>
  entry(type, { kind, member, code, message: MESSAGE }, { time });
const only = (e: TranscriptEntry): AnnexItem => {
  const items = deviationAnnex([e], BOARD);
  expect(items).toHaveLength(1);
  return items[0]!;
};

describe('a deviation in words', () => {
  it('a refused token: when, who by name and number, what, and the reason, in French and in English', () => {
    const item = only(deviation('token-refused', 5));
    expect(item.sentence.fr).toBe(
      'Le 4 décembre 2026 à 21 h 03, heure de Paris, le jeton présenté pour Léa Moreau (membre n° 5) a été refusé. Motif\u00a0: Phrase de passe erronée ou jeton endommagé (membre 5).',
    );
    expect(item.sentence.en).toBe('On 4 December 2026 at 21:03, Paris time, the token presented for Léa Moreau (member no. 5) was refused. Reason: Wrong passphrase or damaged token (member 5).');
    expect(item.details).toContain('token.passphrase');
    expect(item.details).toContain('token-refused');
  });

  const kinds: [string, number | null, RegExp, RegExp][] = [
    ['token-refused', null, /, un jeton a été refusé\./, /, a token was refused\./],
    ['decryption-refused', 2, /le déchiffrement demandé pour Marc Leroy \(membre n° 2\) a été refusé\./, /the decryption asked for Marc Leroy \(member no\. 2\) was refused\./],
    ['decryption-refused', null, /un déchiffrement a été refusé\./, /a decryption was refused\./],
    [
      'signature-refused',
      1,
      /la signature des procès-verbaux demandée pour Claire Dupont \(membre n° 1\) a été refusée\./,
      /the signing of the PVs asked for Claire Dupont \(member no\. 1\) was refused\./,
    ],
    ['signature-refused', null, /une signature des procès-verbaux a été refusée\./, /a signing of the PVs was refused\./],
    ['operation-refused', 2, /l’étape demandée pour Marc Leroy \(membre n° 2\) a été refusée\./, /the step asked for Marc Leroy \(member no\. 2\) was refused\./],
    ['operation-refused', null, /une étape touchant aux clés a été refusée\./, /a step touching the keys was refused\./],
    [
      'answer-refused',
      5,
      /une réponse signée par Léa Moreau \(membre n° 5\), apportée de son poste, a été refusée\./,
      /an answer signed by Léa Moreau \(member no\. 5\), brought from their station, was refused\./,
    ],
    [
      'answer-refused',
      null,
      /une réponse apportée d’un poste de membre, sans signature valable d’un membre, a été refusée\./,
      /an answer brought from a member’s station, with no valid member’s signature, was refused\./,
    ],
    ['import-refused', null, /l’urne a été refusée en entier et aucun bulletin n’a été importé\./, /the urn was refused as a whole and no ballot was imported\./],
    ['a-kind-to-come', 1, /un écart a été consigné pour Claire Dupont \(membre n° 1\)\./, /a deviation was recorded for Claire Dupont \(member no\. 1\)\./],
    ['a-kind-to-come', null, /, un écart a été consigné\./, /, a deviation was recorded\./],
  ];
  it.each(kinds)('%s, member %s', (kind, member, fr, en) => {
    const item = only(deviation(kind, member, 'some.code'));
    expect(item.sentence.fr).toMatch(fr);
    expect(item.sentence.en).toMatch(en);
    expect(item.sentence.fr).toMatch(/^Le 4 décembre 2026 à 21 h 03, heure de Paris, /);
    expect(item.sentence.en).toMatch(/^On 4 December 2026 at 21:03, Paris time, /);
  });

  it('a board share that could not be made (nonces lost, restart) blames no one; a share that failed its check is refused', () => {
    const lost = only(deviation('board-share-refused', 5, 'tally.board-nonces'));
    expect(lost.sentence.fr).toMatch(
      /, la part de signature du bureau de Léa Moreau \(membre n° 5\) n’a pas pu être faite \(ses nonces, scellés dans son jeton, sont perdus\)\u00a0; la signature reprend avec ce membre\./,
    );
    expect(lost.sentence.en).toMatch(
      /, the share of the board signature of Léa Moreau \(member no\. 5\) could not be made \(their nonces, sealed in their token, are lost\); the signature starts again with this member\./,
    );
    for (const s of [lost.sentence.fr, lost.sentence.en]) expect(s).not.toMatch(/refusée|refused|sans ce membre|without this member/);
    expect(only(deviation('board-share-refused', null, 'tally.board-nonces')).sentence.fr).toMatch(
      /une part de signature du bureau n’a pas pu être faite \(nonces perdus\)\u00a0; la signature reprend à sa première étape\./,
    );
    const bad = only(deviation('board-share-refused', 5, 'tally.board-share'));
    expect(bad.sentence.fr).toMatch(
      /la part de la signature du bureau donnée par Léa Moreau \(membre n° 5\) a été refusée \(elle ne passe pas la vérification\u00a0; le journal la garde, signée par ce membre\)\u00a0; la signature a repris sans ce membre\./,
    );
    expect(bad.sentence.en).toMatch(
      /the share of the board signature given by Léa Moreau \(member no\. 5\) was refused \(it fails its check; the transcript keeps it, signed by this member\); the signature started again without this member\./,
    );
  });

  it("the key ceremony's deviations read the same", () => {
    const item = only(deviation('token-refused', 2, 'ceremony.token-mismatch', 'deviation'));
    expect(item.sentence.fr).toMatch(/le jeton présenté pour Marc Leroy \(membre n° 2\) a été refusé\. Motif/);
  });

  it('a member the board does not have is named by number; a malformed payload says less but never fails', () => {
    expect(only(deviation('token-refused', 7)).sentence.fr).toMatch(/le jeton présenté pour le membre n° 7 a été refusé/);
    expect(only(deviation('token-refused', 7)).sentence.en).toMatch(/the token presented for member no\. 7 was refused/);
    const odd = only(entry('tally.deviation', { kind: 3, member: 'deux', message: 'non' }));
    expect(odd.sentence.fr).toBe('Le 4 décembre 2026 à 21 h 03, heure de Paris, un écart a été consigné.');
    expect(only(entry('deviation', null)).sentence.en).toBe('On 4 December 2026 at 21:03, Paris time, a deviation was recorded.');
  });

  it('never puts the code in the sentence, only on the details line', () => {
    const codes = ['token.passphrase', 'tally.member-twice', 'offline.connected', 'station.answer', 'urn.signature'];
    for (const code of codes) {
      for (const kind of ['token-refused', 'decryption-refused', 'signature-refused', 'operation-refused', 'answer-refused', 'import-refused']) {
        const item = only(deviation(kind, 5, code));
        expect(item.sentence.fr).not.toContain(code);
        expect(item.sentence.en).not.toContain(code);
        expect(item.sentence.fr).not.toContain(kind);
        expect(item.details).toContain(code);
      }
    }
  });

  it('dates each sentence in Paris time across the clock changes, saying which 2 h 30 in October', () => {
    const at = (time: string) => only(deviation('token-refused', 1, 'x', 'tally.deviation', time)).sentence;
    // 29 March 2026: 1 h 59 winter time, then the clock jumps to 3 h summer time.
    expect(at('2026-03-29T00:59:00.000Z').fr).toMatch(/^Le 29 mars 2026 à 1 h 59, heure de Paris, /);
    expect(at('2026-03-29T01:00:00.000Z').fr).toMatch(/^Le 29 mars 2026 à 3 h, heure de Paris, /);
    expect(at('2026-03-29T01:00:00.000Z').en).toMatch(/^On 29 March 2026 at 03:00, Paris time, /);
    // 25 October 2026: 2 h 30 happens twice.
    expect(at('2026-10-25T00:30:00.000Z').fr).toMatch(/^Le 25 octobre 2026 à 2 h 30, heure d’été de Paris \(UTC\+2\), /);
    expect(at('2026-10-25T01:30:00.000Z').fr).toMatch(/^Le 25 octobre 2026 à 2 h 30, heure d’hiver de Paris \(UTC\+1\), /);
    expect(at('2026-10-25T01:30:00.000Z').en).toMatch(/^On 25 October 2026 at 02:30, Paris winter time \(UTC\+1\), /);
    // The first of the month is "1er"; an unreadable time says so, never "Invalid Date".
    expect(at('2026-11-30T23:05:00.000Z').fr).toMatch(/^Le 1er décembre 2026 à 0 h 05, heure de Paris, /);
    expect(at('pas une date').fr).toMatch(/^À une date illisible \(«\u00a0pas une date\u00a0»\), /);
  });
});

describe('sessions run connected or under the rehearsal override', () => {
  const session = (network: { offline: boolean; connected: string[] }, override: { reason: string; authorisedBy: string } | null) =>
    entry('workstation.session', { publicKey: 'ab'.repeat(32), version: '1', transport: 'electron', platform: 'linux', software: {}, network: { source: 'x', checkedAt: AT, ...network }, override });

  it('a session offline is no irregularity', () => {
    expect(deviationAnnex([session({ offline: true, connected: [] }, null)], BOARD)).toEqual([]);
  });

  it('a session connected without override, and one under the override, are said in words', () => {
    const connected = only(session({ offline: false, connected: ['eth0', 'wlan0'] }, null));
    expect(connected.sentence.fr).toBe(
      'Le 4 décembre 2026 à 21 h 03, heure de Paris, un poste de travail a ouvert une session, alors qu’il était connecté à un réseau (eth0, wlan0), sans dérogation de répétition.',
    );
    expect(connected.sentence.en).toBe('On 4 December 2026 at 21:03, Paris time, a workstation opened a session, while connected to a network (eth0, wlan0), without a rehearsal override.');
    const rehearsal = only(session({ offline: false, connected: ['eth0'] }, { reason: 'répétition du 3 décembre', authorisedBy: 'la présidente' }));
    expect(rehearsal.sentence.fr).toContain('sous la dérogation de répétition du contrôle hors ligne («\u00a0répétition du 3 décembre\u00a0», autorisée par la présidente)');
    expect(rehearsal.sentence.en).toContain('under the rehearsal override of the offline check ("répétition du 3 décembre", authorised by la présidente)');
    expect(rehearsal.details).toContain(WS);
  });

  it("a member's station that ran connected is named once, whatever the number of its entries", () => {
    const station = { basis: '00'.repeat(32), session: { publicKey: 'cd'.repeat(32), network: { offline: false, connected: ['wlan0'] }, override: { reason: 'essai', authorisedBy: 'M. Roy' } } };
    const step = (type: string) => entry(type, { member: 2, station }, { actor: 'member:2' });
    const items = deviationAnnex([step('tally.decryption'), step('tally.signature')], BOARD);
    expect(items).toHaveLength(1);
    expect(items[0]!.sentence.fr).toMatch(/Marc Leroy \(membre n° 2\) a fait une étape sur son propre poste, alors que ce poste était connecté à un réseau \(wlan0\), sous la dérogation/);
    expect(items[0]!.sentence.en).toMatch(/Marc Leroy \(member no\. 2\) did a step on their own station, while that station was connected to a network \(wlan0\), under the rehearsal override/);
    expect(items[0]!.details).toContain('station:cdcdcdcdcdcdcdcd');
    // A shuffle mixed on a station names its member by its actor only.
    const mixed = deviationAnnex(
      [entry('tally.shuffle', { constituency: 'c001', round: 1, digest: '', station: { ...station, session: { ...station.session, publicKey: 'ef'.repeat(32) } } }, { actor: 'member:5' })],
      BOARD,
    );
    expect(mixed.map((i) => i.sentence.fr)).toEqual([expect.stringContaining('Léa Moreau (membre n° 5) a fait une étape sur son propre poste')]);
    // An offline station without override is no irregularity.
    const offline = { basis: station.basis, session: { publicKey: '12'.repeat(32), network: { offline: true, connected: [] }, override: null } };
    expect(deviationAnnex([entry('tally.decryption', { member: 2, station: offline }, { actor: 'member:2' })], BOARD)).toEqual([]);
  });
});

describe("the key generation's irregularities", () => {
  it('round 1 closed early names the absent and quotes the reason', () => {
    const one = only(entry('dkg.round1-closed', { absent: [5], reason: 'Membre 5 excusé' }));
    expect(one.sentence.fr).toBe(
      'Le 4 décembre 2026 à 21 h 03, heure de Paris, la présidence a clos le premier tour avant son terme, sans la contribution du membre absent\u00a0: Léa Moreau (membre n° 5). Motif\u00a0: «\u00a0Membre 5 excusé\u00a0».',
    );
    const two = only(entry('dkg.round1-closed', { absent: [1, 2], reason: 'grève' }));
    expect(two.sentence.fr).toContain('des membres absents\u00a0: Claire Dupont (membre n° 1) et Marc Leroy (membre n° 2)');
    expect(two.sentence.en).toContain('without the contribution of the absent members: Claire Dupont (member no. 1) and Marc Leroy (member no. 2). Reason: "grève".');
  });

  it('a complaint filed, its verdict and the disqualification, each in words', () => {
    const checked = entry('dkg.checked', { member: 1, findings: [{ dealer: 2, status: 'invalid' }], complaints: [{ complainant: 1, accused: 2, dh: '', proof: {} }] }, { actor: 'member:1' });
    const filed = only(checked);
    expect(filed.sentence.fr).toMatch(/Claire Dupont \(membre n° 1\) a déposé une plainte contre Marc Leroy \(membre n° 2\)\u00a0: la part de clé que ce membre lui a transmise est fausse\.$/);
    expect(filed.sentence.en).toMatch(/Claire Dupont \(member no\. 1\) filed a complaint against Marc Leroy \(member no\. 2\): the key share that member dealt them is wrong\.$/);
    const upheld = { fr: 'La plainte du membre 1 contre le membre 2 est fondée.', en: "Member 1's complaint against member 2 is upheld." };
    const result = entry('dkg.result', {
      result: {
        complaints: [{ complainant: 1, accused: 2, verdict: 'upheld', code: 'dkg.complaint.upheld', message: upheld }],
        disqualified: [{ member: 2, reasons: [{ code: 'dkg.complaint.upheld', message: upheld }] }],
      },
    });
    const [verdict, out] = deviationAnnex([result], BOARD);
    expect(verdict!.sentence.fr).toMatch(
      /le résultat de la génération de la clé juge la plainte déposée par Claire Dupont \(membre n° 1\) contre Marc Leroy \(membre n° 2\)\u00a0: retenue\. Motif\u00a0: La plainte/,
    );
    expect(verdict!.sentence.en).toMatch(
      /the result of the key generation rules on the complaint filed by Claire Dupont \(member no\. 1\) against Marc Leroy \(member no\. 2\): upheld\. Reason: Member 1/,
    );
    expect(out!.sentence.fr).toMatch(/le résultat de la génération de la clé disqualifie Marc Leroy \(membre n° 2\), qui ne détient aucune part de la clé\. Motif/);
    expect(out!.sentence.en).toMatch(/the result of the key generation disqualifies Marc Leroy \(member no\. 2\), who holds no share of the key\. Reason/);
    for (const item of [filed, verdict!, out!]) expect(`${item.sentence.fr} ${item.sentence.en}`).not.toMatch(/dkg\./);
    expect(out!.details).toContain('dkg.complaint.upheld');
  });

  it('a clean key generation (no complaint, nobody disqualified) adds nothing', () => {
    const checked = entry('dkg.checked', { member: 1, findings: [{ dealer: 2, status: 'valid' }], complaints: [] });
    const result = entry('dkg.result', { result: { complaints: [], disqualified: [] } });
    expect(deviationAnnex([checked, result, entry('member.enrolled', { member: 1 })], BOARD)).toEqual([]);
  });
});

describe('the annex of a record', () => {
  it('"Aucun écart." when nothing was recorded, and the pointer says so', () => {
    const clean = recordAnnex({ keyCeremony: [], tally: [], board: BOARD });
    expect(clean.map((s) => [s.title?.fr, s.items.length])).toEqual([
      ['Au dépouillement', 0],
      ['À la cérémonie des clés', 0],
    ]);
    expect(NO_DEVIATION).toEqual({ fr: 'Aucun écart.', en: 'No deviation.' });
    expect(annexPointer(clean)).toEqual({ fr: 'Annexe, page suivante\u00a0: aucun écart consigné.', en: 'Annex, next page: no recorded deviation.' });
  });

  it('counts one deviation and several without "(s)"', () => {
    const one = recordAnnex({ keyCeremony: [], tally: [deviation('token-refused', 1)], board: BOARD });
    expect(annexPointer(one)).toEqual({ fr: 'Annexe, page suivante\u00a0: 1 écart consigné.', en: 'Annex, next page: 1 recorded deviation.' });
    const three = recordAnnex({ keyCeremony: [deviation('token-refused', 2, 'x', 'deviation')], tally: [deviation('token-refused', 1), deviation('import-refused', null)], board: BOARD });
    expect(three[0]!.items).toHaveLength(2);
    expect(three[1]!.items).toHaveLength(1);
    expect(annexPointer(three)).toEqual({ fr: 'Annexe, page suivante\u00a0: 3 écarts consignés.', en: 'Annex, next page: 3 recorded deviations.' });
  });

  it('each redistribution’s deviations under its own heading, after the tally’s and before the key ceremony’s, the last redistribution first', () => {
    const first = [deviation('token-refused', 6, 'token.passphrase', 'deviation')];
    const second = [deviation('operation-refused', 1, 'x', 'deviation'), deviation('answer-refused', null, 'y', 'deviation')];
    const sections = recordAnnex({ keyCeremony: [], redistributions: [first, second], tally: [deviation('token-refused', 1)], board: BOARD });
    expect(sections.map((x) => [x.title?.fr, x.title?.en, x.items.length])).toEqual([
      ['Au dépouillement', 'At the tally', 1],
      ['Redistribution n° 2', 'Redistribution no. 2', 2],
      ['Redistribution n° 1', 'Redistribution no. 1', 1],
      ['À la cérémonie des clés', 'At the key ceremony', 0],
    ]);
    expect(annexPointer(sections)).toEqual({ fr: 'Annexe, page suivante\u00a0: 4 écarts consignés.', en: 'Annex, next page: 4 recorded deviations.' });
    // A board never redistributed: no such heading.
    const plain = recordAnnex({ keyCeremony: [], redistributions: [], tally: [], board: BOARD });
    expect(plain.map((x) => x.title?.fr)).toEqual(['Au dépouillement', 'À la cérémonie des clés']);
  });

  it('names a member who joined at a redistribution as its opening entry does; a number no board names is still said by number', () => {
    const opened = entry('redistribution.opened', {
      members: [
        { index: 1, name: 'Claire Dupont', role: 'ANSSI', president: true },
        { index: 6, name: 'Hugo Petit', role: 'CNIL', president: false },
        { index: 'sept', name: 'Mal formé' },
      ],
    });
    const names = chainNames([BOARD], [[opened]]);
    expect(names).toEqual([...BOARD, { index: 6, name: 'Hugo Petit' }]);
    const refused = deviation('token-refused', 6, 'token.passphrase', 'deviation');
    expect(deviationAnnex([refused], names)[0]!.sentence.fr).toContain('le jeton présenté pour Hugo Petit (membre n° 6) a été refusé');
    expect(deviationAnnex([refused], names)[0]!.sentence.en).toContain('the token presented for Hugo Petit (member no. 6) was refused');
    // The definition's board alone does not know member 6.
    expect(deviationAnnex([refused], BOARD)[0]!.sentence.fr).toContain('le jeton présenté pour le membre n° 6 a été refusé');
    expect(deviationAnnex([deviation('token-refused', 9, 'x', 'deviation')], names)[0]!.sentence.en).toContain('member no. 9');
    // The boards given first win: the current board, then the definition's.
    expect(chainNames([[{ index: 6, name: 'H. Petit' }], BOARD], [[opened]]).find((m) => m.index === 6)?.name).toBe('H. Petit');
  });
});
