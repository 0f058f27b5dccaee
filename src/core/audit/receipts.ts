/**
 * A voter's receipt looked up in an election record (docs/audit.md §5, docs/record.md §5, formats.md
 * §4.3). Every file is streamed line by line: `accepted.jsonl` and `urn.jsonl` hold a line per ballot
 * (1.3 million for a whole election) and are never read as one string.
 *
 *   accepted  the code is in `accepted.jsonl`: the ballot is in the urn and was accepted
 *   rejected  the code is the receipt of an urn line listed in `rejected.jsonl` (recomputed from
 *             the urn line, formats.md §4.3, since rejected lines carry no receipt), with the reason
 *   unknown   in neither
 *
 * `counted`: accepted, AND the record's tally for the ballot's constituency is consistent with the
 * accepted list: `tally/<c>.json` takes exactly the accepted ballots of c and `results.json`'s PV of c
 * counts them as votants, for this election. This is the part of the verifier that concerns one
 * ballot; that every proof of the shuffles and decryptions holds is `sceau verify`'s (and the app's
 * Verify screen's) to say, and the answer says so.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { toHex } from '../common/bytes.js';
import { countEn, countFr } from '../common/plural.js';
import { catchInput, ok, type Bilingual, type Result } from '../common/result.js';
import { definitionFingerprint, parseDefinitionText } from '../election/definition.js';
import { RECORD_FILES, tallyFile } from '../election/record.js';
import { ballotLineShape, groupReceipt, RECEIPT_BYTES, receiptCode } from '../election/urn.js';
import { fail } from './failures.js';
import type { ReceiptAnswer } from './types.js';

export type { ReceiptAnswer, ReceiptStatus } from './types.js';

const RECEIPT = new RegExp(`^[0-9a-f]{${2 * RECEIPT_BYTES}}$`);
/** The first version's receipts: 10 bytes (80 bits), too short to stop two ballots sharing one. */
const OLD_RECEIPT = /^[0-9a-f]{20}$/;
const EXAMPLE = '3f2a-09bc-77d1-e045-a9c2-5b18-c04e-91d7';

/** Accepts what people type or paste: any case, spaces, dashes; returns the canonical form or undefined. */
export function normaliseReceipt(input: string): string | undefined {
  const hex = input.toLowerCase().replace(/[\s-]/g, '');
  return RECEIPT.test(hex) ? groupReceipt(hex) : undefined;
}

/** Why a typed code is no receipt: `receipt.old-format` for a first-version (20-digit) code, `receipt.format` otherwise. */
function receiptFormatFailure(input: string): Result<never> {
  if (OLD_RECEIPT.test(input.toLowerCase().replace(/[\s-]/g, ''))) {
    return fail(
      'receipt.old-format',
      `Ce code a 20 chiffres hexadécimaux\u00a0: c'est un reçu de l'ancien format (80 bits), qui n'est plus accepté. Un reçu compte 32 chiffres hexadécimaux en huit groupes de quatre (par ex. ${EXAMPLE})\u00a0: vérifiez le reçu et l'élection.`,
      `This code has 20 hexadecimal digits: it is a receipt of the old format (80 bits), which is no longer accepted. A receipt has 32 hexadecimal digits in eight groups of four (e.g. ${EXAMPLE}): check the receipt and the election.`,
    );
  }
  return fail(
    'receipt.format',
    `Code de reçu invalide\u00a0: 32 chiffres hexadécimaux sont attendus (par ex. ${EXAMPLE}).`,
    `Invalid receipt code: 32 hexadecimal digits are expected (e.g. ${EXAMPLE}).`,
  );
}

async function* lines(path: string): AsyncGenerator<{ line: number; text: string }> {
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    yield { line, text };
  }
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const unreadable = (file: string): Result<never> => fail('receipt.record', `Registre illisible\u00a0: ${file} manque ou est mal formé.`, `Unreadable record: ${file} is missing or malformed.`, file);

/** Looks a receipt code up in the record folder `dir`. */
export async function lookUpReceipt(dir: string, input: string): Promise<Result<ReceiptAnswer>> {
  const receipt = normaliseReceipt(input);
  if (receipt === undefined) return receiptFormatFailure(input);
  const defText = await readFile(join(dir, RECORD_FILES.definition), 'utf8').catch(() => undefined);
  if (defText === undefined) return unreadable(RECORD_FILES.definition);
  const def = parseDefinitionText(defText);
  if (!def.ok) return def;
  const fp = definitionFingerprint(def.value);
  const election = { id: def.value.id, fingerprint: toHex(fp) };

  // 1. The accepted list, streamed; the count per constituency is kept for the `counted` check.
  const acceptedPerConstituency = new Map<string, number>();
  let found: { line: number; constituency: string } | undefined;
  try {
    for await (const { text } of lines(join(dir, RECORD_FILES.accepted))) {
      if (text === '') continue;
      const hit = text.includes(receipt);
      // Only the matching line and the constituency field are needed; a cheap parse of each line keeps memory flat.
      const v = parse(text);
      if (v === undefined) return unreadable(RECORD_FILES.accepted);
      const c = String(v['constituency']);
      acceptedPerConstituency.set(c, (acceptedPerConstituency.get(c) ?? 0) + 1);
      if (hit && found === undefined && v['receipt'] === receipt && typeof v['line'] === 'number') found = { line: v['line'], constituency: c };
    }
  } catch {
    return unreadable(RECORD_FILES.accepted);
  }
  if (found !== undefined) {
    const counted = await countedIn(dir, election.fingerprint, found.constituency, acceptedPerConstituency.get(found.constituency) ?? 0);
    return ok({
      receipt,
      status: 'accepted',
      line: found.line,
      constituency: found.constituency,
      reason: null,
      counted: counted.counted,
      countedBecause: counted.because,
      election,
      verification: null,
    });
  }

  // 2. The rejected lines: their receipts are recomputed from the urn's lines.
  const rejected = new Map<number, { code: string; message: Bilingual }>();
  try {
    for await (const { text } of lines(join(dir, RECORD_FILES.rejected))) {
      if (text === '') continue;
      const v = parse(text);
      const reason = v?.['reason'] as Partial<Bilingual> | undefined;
      if (v === undefined || typeof v['line'] !== 'number') return unreadable(RECORD_FILES.rejected);
      rejected.set(v['line'], { code: String(v['code']), message: { fr: String(reason?.fr ?? ''), en: String(reason?.en ?? '') } });
    }
  } catch {
    return unreadable(RECORD_FILES.rejected);
  }
  if (rejected.size > 0) {
    try {
      for await (const { line, text } of lines(join(dir, RECORD_FILES.urn))) {
        const why = rejected.get(line);
        if (why === undefined) continue;
        const b = ballotLineShape(parse(text));
        if (b === undefined) continue; // a line too malformed to have had a receipt
        const code = catchInput(() => receiptCode(fp, b.id, b.constituency, b.ballot));
        if (code.ok && code.value === receipt) {
          return ok({
            receipt,
            status: 'rejected',
            line,
            constituency: b.constituency,
            reason: why,
            counted: false,
            countedBecause: { fr: "Le bulletin a été écarté à l'import de l'urne.", en: 'The ballot was set aside when the urn was imported.' },
            election,
            verification: null,
          });
        }
      }
    } catch {
      return unreadable(RECORD_FILES.urn);
    }
  }
  return ok({
    receipt,
    status: 'unknown',
    line: null,
    constituency: null,
    reason: null,
    counted: false,
    countedBecause: { fr: "Ce code n'est pas dans l'urne de ce registre (vérifiez la saisie et l'élection).", en: "This code is not in this record's urn (check what was typed and the election)." },
    election,
    verification: null,
  });
}

/** Whether the record's tally of `constituency` takes exactly its accepted ballots and its PV counts them. */
async function countedIn(dir: string, fingerprint: string, constituency: string, accepted: number): Promise<{ counted: boolean; because: Bilingual }> {
  const json = async (name: string) => parse((await readFile(join(dir, ...name.split('/')), 'utf8').catch(() => '')) || 'null');
  const tally = await json(tallyFile(constituency));
  if (tally === undefined || tally['constituency'] !== constituency || tally['ballots'] !== accepted) {
    return {
      counted: false,
      because: {
        fr: `Le dépouillement de ${constituency} (${tallyFile(constituency)}) manque ou ne prend pas tous les bulletins acceptés (${countFr(accepted, 'bulletin', 'bulletins')}).`,
        en: `The tally of ${constituency} (${tallyFile(constituency)}) is missing or does not take all the accepted ballots (${countEn(accepted, 'ballot', 'ballots')}).`,
      },
    };
  }
  const results = await json(RECORD_FILES.results);
  const pv = Array.isArray(results?.['constituencies']) ? (results['constituencies'] as Record<string, unknown>[]).find((c) => c?.['constituency'] === constituency) : undefined;
  if (results === undefined || results['election'] !== fingerprint || pv === undefined || pv['votants'] !== accepted) {
    return {
      counted: false,
      because: {
        fr: `Le procès-verbal de ${constituency} dans ${RECORD_FILES.results} manque ou ne compte pas ces votants (${countFr(accepted, 'votant', 'votants')}).`,
        en: `The PV of ${constituency} in ${RECORD_FILES.results} is missing or does not count these voters (${countEn(accepted, 'voter', 'voters')}).`,
      },
    };
  }
  return {
    counted: true,
    because: {
      fr: `Le dépouillement de ${constituency} prend tous les bulletins acceptés (${countFr(accepted, 'bulletin', 'bulletins')}) et le procès-verbal les compte. Que chaque preuve du mélange et du déchiffrement tienne, c'est la vérification complète du registre qui le dit.`,
      en: `The tally of ${constituency} takes all the accepted ballots (${countEn(accepted, 'ballot', 'ballots')}) and the PV counts them. That every proof of the shuffles and decryptions holds is for the full verification of the record to say.`,
    },
  };
}
