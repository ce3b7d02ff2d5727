/** A quality cell in the app: coverage, agreement and suspects in sentences; its tables and plots are cells of their own. */
import type { QualityResult } from '../notebook/cells/quality.ts';
import { qualityCellLines } from '../notebook/labels-text.ts';
import type { CellKindView } from './cell-kind-view.ts';
import { renderCellLines } from './cell-output.ts';

export const qualityCellView: CellKindView<QualityResult> = {
  label: 'Label quality',
  language: 'yaml',
  add: {
    label: 'Label quality',
    stem: 'quality',
    body: () => 'after: []\nsuspects: {labels: explicit, folds: 5, limit: 25}\n',
  },
  output: () => ({
    show: (value, _block, place) =>
      place(renderCellLines(qualityCellLines(value), { 'data-suspects': value.suspects?.suspects.length ?? 0 })),
  }),
};
