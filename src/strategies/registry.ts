/**
 * Every strategy by name. A new strategy is one file and one line here. The order is the board's
 * default order of running (the rule last: it is the reference).
 */
import { autoencoderStrategy } from './autoencoder.ts';
import { gbmStrategy } from './gbm.ts';
import { isolationForestStrategy } from './isolation-forest.ts';
import { proxyStrategy } from './proxy.ts';
import { ruleStrategy } from './rule.ts';
import { selfTrainingStrategy } from './self-training.ts';
import { sotAnomalyStrategy } from './sot-anomaly.ts';
import type { Strategy } from './strategy.ts';
import { supervisedStrategy } from './supervised.ts';

export const STRATEGIES: readonly Strategy[] = [
  proxyStrategy,
  gbmStrategy,
  supervisedStrategy,
  selfTrainingStrategy,
  autoencoderStrategy,
  isolationForestStrategy,
  sotAnomalyStrategy,
  ruleStrategy,
];

export function strategyNames(): string[] {
  return STRATEGIES.map((s) => s.name);
}

export function getStrategy(name: string): Strategy {
  const s = STRATEGIES.find((x) => x.name === name);
  if (!s) throw new Error(`unknown strategy '${name}': choose one of ${strategyNames().join(', ')}`);
  return s;
}
