/**
 * A labels cell in the app: its import report in sentences, and while the import waits for the
 * user (opening a notebook never writes labels), a Confirm import button that appends it. Its
 * tables and plots are cells of their own.
 */
import type { LabelsResult } from '../notebook/cells/labels-import.ts';
import { labelsCellLines } from '../notebook/labels-text.ts';
import type { CellKindView } from './cell-kind-view.ts';
import { confirmButton, renderCellLines } from './cell-output.ts';
import { h, plural } from './dom.ts';

export const labelsCellView: CellKindView<LabelsResult> = {
  label: 'Import labels',
  language: 'yaml',
  // The community example set shipped with the sample; imported once, however often the notebook opens.
  add: { label: 'Import labels', stem: 'imported', body: () => 'file: labels/example-labels-v1.csv\n' },
  // Checked, not imported yet: the run did not do the cell's work.
  notDone: (value) => (value.pending > 0 ? 'not imported' : undefined),
  output: (host) => ({
    show: (value, _block, place) => {
      const out = renderCellLines(labelsCellLines(value), {
        'data-appended': value.appended?.events ?? 0,
        'data-accepted': value.report.accepted,
        'data-pending': value.pending,
      });
      if (value.pending > 0)
        out.append(
          confirmButton(host, 'confirm-import', `Confirm import: append ${plural(value.pending, 'label event')}`),
        );
      place(out);
    },
  }),
};
