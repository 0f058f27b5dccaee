/** `sceau measure`: prints the software measurement, to compare with the published build's. */
import { manifestText, measureSoftware } from '../../core/workstation/measurement.js';
import { fromHex, groupedHex } from '../../core/common/bytes.js';
import { findAppRoot } from '../app-root.js';
import { defineCommand } from '../command-line.js';

export const MEASURE = defineCommand(
  {
    name: 'measure',
    synopsis: '[--manifest] [--root DIR]',
    summary: { fr: 'la mesure du logiciel, à comparer avec celle publiée', en: 'the software measurement, to compare with the published one' },
    description: {
      fr: "Affiche l'empreinte SHA-256 des fichiers livrés (docs/software-measurement.md), à comparer avec celle publiée pour cette version avant d'ouvrir une cérémonie.",
      en: 'Prints the SHA-256 measurement of the shipped files (docs/software-measurement.md), to compare with the one published for this version before opening a ceremony.',
    },
    options: {
      manifest: { type: 'boolean', fr: 'affiche aussi la liste des fichiers mesurés', en: 'also prints the list of the measured files' },
      root: { type: 'string', value: 'DIR', fr: 'mesure une autre installation (défaut\u00a0: celle-ci)', en: 'measures another installation (default: this one)' },
    },
    examples: ['sceau measure', 'sceau measure --manifest --root /media/usb/sceau'],
  },
  async ({ values }) => {
    const m = await measureSoftware(values.root ?? findAppRoot());
    if (values.manifest) process.stdout.write(manifestText(m.files));
    console.log(`${m.digest}  (${m.fileCount} fichiers/files, ${m.totalBytes} octets/bytes)`);
    console.log(groupedHex(fromHex(m.digest)));
    return 0;
  },
);
