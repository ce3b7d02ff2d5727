/**
 * A quality cell in the app: coverage, agreement and suspects in sentences, and while its proxy
 * rule waits for the user (opening a notebook never writes label columns), an Apply button.
 * Its tables and plots are cells of their own.
 */
import type { QualityResult } from '../notebook/cells/quality.ts';
import { qualityCellLines } from '../notebook/labels-text.ts';
import type { CellKindView } from './cell-kind-view.ts';
import { confirmButton, renderCellLines } from './cell-output.ts';
import { h } from './dom.ts';

export const qualityCellView: CellKindView<QualityResult> = {
  label: 'Label quality',
  language: 'yaml',
  add: {
    label: 'Label quality',
    stem: 'quality',
    body: () => 'after: []\nsuspects: {labels: explicit, folds: 5, limit: 25}\n',
  },
  output: (host) => ({
    show: (value, _block, place) => {
      const out = renderCellLines(qualityCellLines(value), {
        'data-suspects': value.suspects?.suspects.length ?? 0,
        'data-trusted': value.suspects?.trusted.rows ?? 0,
        'data-proxy-rule': value.proxyRule?.state ?? 'none',
      });
      if (value.proxyRule?.state === 'pending')
        out.append(confirmButton(host, 'apply-proxy-rule', 'Apply the proxy rule'));
      place(out);
    },
  }),
};
