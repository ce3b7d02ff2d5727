/**
 * proxy: the dense classifier trained on the proxy rule's labels (explicit labels win where
 * present), each weighted by its label_confidence. It cannot see severity or confidence (the
 * leakage guard), so it learns which address behaviour goes with the rule's verdicts, and may
 * generalise past the rule where the features carry the signal.
 */
import { proxyRowLabels } from '../experiment/row-labels.ts';
import { classifierModel, fitDense, labelledRows, requireLabels } from './classifier.ts';
import type { Strategy } from './strategy.ts';
import { StrategyError } from './strategy.ts';

export const proxyStrategy: Strategy = {
  name: 'proxy',
  summary: 'dense classifier on proxy labels (explicit labels win), weighted by label confidence',
  kind: 'supervised',
  scoreKind: 'probability',
  target: () => 'proxy',
  prepareLabels: ({ db, config, rows }) => proxyRowLabels(db, rows, config.labels, true),
  async fit(input, hooks) {
    const labels = input.labels;
    if (!labels) throw new StrategyError('proxy: no labels were prepared');
    requireLabels('proxy', 'proxy-labelled alerts', labelledRows(input.train, labels.y), labels.y, 2);
    const { model, summary } = await fitDense(input, labels.y, labels.w, 'proxy', hooks);
    return classifierModel(model, 'proxy', [summary]);
  },
};
