/**
 * A validate cell in the app: what was scored and how (in sentences), then the scorecard of each
 * scored snapshot (scorecard-view.ts), their figures side by side. Its tables and plots are cells of their own (`card.tiers`).
 */
import type { ValidateResult } from '../notebook/cells/validate.ts';
import { validateCellLines } from '../notebook/cells/validate.ts';
import type { CellKindView } from './cell-kind-view.ts';
import { h } from './dom.ts';
import { scorecardsView } from './scorecard-view.ts';

export const validateCellView: CellKindView<ValidateResult> = {
  label: 'Validator scorecard',
  language: 'yaml',
  add: {
    label: 'Validator scorecard',
    stem: 'scorecard',
    // A compare cell's best strategy runs as it is wherever the notebook has a compare cell named board.
    body: () =>
      'from: board\n# strategy: gbm\n# or a scores file among the data files:\n# scores: scores/my-model.csv\n',
  },
  notDone: (value) => (value.state === 'ready' ? 'waiting' : undefined),
  output: () => ({
    show: (value, _block, place) =>
      place(
        h(
          'div',
          { class: 'nb-result nb-lines validate-output', 'data-state': value.state, 'data-final': value.final ?? '' },
          ...validateCellLines(value).map((line) => h('p', {}, line)),
          value.cards.length > 0 ? scorecardsView(value.cards.map((c) => c.card)) : null,
        ),
      ),
  }),
};
