/**
 * `lab labels <import|quality|export|suspects>`: label ingestion and quality, headless.
 * Each subcommand is its own module (labels-*.ts); see each for its options.
 */
import { commandGroup } from './command.ts';
import { labelsExportCommand } from './labels-export.ts';
import { labelsImportCommand } from './labels-import.ts';
import { labelsQualityCommand } from './labels-quality.ts';
import { labelsSuspectsCommand } from './labels-suspects.ts';

export const labelsCommand = commandGroup({
  name: 'labels',
  summary:
    'import labels (check, confirm, append), report label quality, export labels as Parquet; list suspected mislabels',
  subcommands: [labelsImportCommand, labelsQualityCommand, labelsExportCommand, labelsSuspectsCommand],
  ask: 'import, quality or export to bring labels in and out, or suspects to list suspected mislabels',
});
