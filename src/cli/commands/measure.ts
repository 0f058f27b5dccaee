/** `sceau measure`: prints the software measurement, to compare with the published build's. */
import { parseArgs } from 'node:util';
import { manifestText, measureSoftware } from '../../core/workstation/measurement.js';
import { fromHex, groupedHex } from '../../core/common/bytes.js';
import { findAppRoot } from '../app-root.js';

export const MEASURE_HELP = `sceau measure [--manifest] [--root DIR]
  Affiche l'empreinte SHA-256 des fichiers livrés (docs/software-measurement.md).
  Prints the SHA-256 measurement of the shipped files (docs/software-measurement.md).
  --manifest  affiche aussi la liste des fichiers / also print the manifest
  --root DIR  mesure une autre installation / measure another installation`;

export async function measure(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { manifest: { type: 'boolean' }, root: { type: 'string' } }, strict: true });
  const m = await measureSoftware(values.root ?? findAppRoot());
  if (values.manifest) process.stdout.write(manifestText(m.files));
  console.log(`${m.digest}  (${m.fileCount} fichiers/files, ${m.totalBytes} octets/bytes)`);
  console.log(groupedHex(fromHex(m.digest)));
  return 0;
}
