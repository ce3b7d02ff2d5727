/**
 * supervised: the same classifier on explicit labels only, either alert labels (miner,
 * community, validated) or address labels (risk high or critical means positive). With too few
 * labelled training rows, or one class only, it refuses with a message saying so rather than
 * fitting noise.
 */
import { addressRowLabels, explicitRowLabels } from '../experiment/row-labels.ts';
import { classifierModel, fitDense, labelledRows, requireLabels } from './classifier.ts';
import type { Strategy } from './strategy.ts';
import { StrategyError } from './strategy.ts';

export const supervisedStrategy: Strategy = {
  name: 'supervised',
  summary: 'dense classifier on explicit labels only (alert labels, or address risk levels)',
  kind: 'supervised',
  scoreKind: 'probability',
  target: (config) => config.supervised.target,
  prepareLabels: ({ db, config, rows }) =>
    config.supervised.target === 'address-labels' ? addressRowLabels(db, rows) : explicitRowLabels(db, rows),
  async fit(input, hooks) {
    const labels = input.labels;
    if (!labels) throw new StrategyError('supervised: no labels were prepared');
    const what =
      input.config.supervised.target === 'address-labels'
        ? 'alerts of addresses with a label'
        : 'explicitly labelled alerts';
    requireLabels('supervised', what, labelledRows(input.train, labels.y), labels.y, input.config.supervised.minLabels);
    const { model, summary } = await fitDense(input, labels.y, labels.w, 'supervised', hooks);
    const notes =
      input.config.supervised.target === 'address-labels' && input.config.split.groupBy === 'alert'
        ? [
            "address labels belong to addresses, and the split keeps only alerts apart: held-out alerts of addresses labelled in training flatter this model (set split.groupBy to 'address' to test on unseen addresses)",
          ]
        : [];
    return classifierModel(model, 'supervised', [summary], notes);
  },
};
