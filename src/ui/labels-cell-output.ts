/** A labels cell in the app: its import report in sentences; its tables and plots are cells of their own. */
import type { LabelsResult } from '../notebook/cells/labels-import.ts';
import { labelsCellLines } from '../notebook/labels-text.ts';
import type { CellKindView } from './cell-kind-view.ts';
import { renderCellLines } from './cell-output.ts';

export const labelsCellView: CellKindView<LabelsResult> = {
  label: 'Import labels',
  language: 'yaml',
  // The community example set shipped with the sample; imported once, however often the notebook opens.
  add: { label: 'Import labels', stem: 'imported', body: () => 'file: labels/example-labels-v1.csv\n' },
  output: () => ({
    show: (value, _block, place) =>
      place(
        renderCellLines(labelsCellLines(value), {
          'data-appended': value.appended?.events ?? 0,
          'data-accepted': value.report.accepted,
        }),
      ),
  }),
};
