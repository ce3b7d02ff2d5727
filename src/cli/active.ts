/**
 * `lab active simulate`: the learning-curve simulation on data with a ground-truth file.
 *
 *   lab active simulate --data DIR [--batch 20] [--budget 300] [--initial 20] [--repeats 3]
 *     [--strategies uncertainty,margin,diversity,random] [--learner dense|logistic]
 *     [--targets 0.6,0.7] [--config FILE] [--out curves.json]
 *
 * Prints the median PR-AUC per strategy at each label count, and the labels each strategy needs
 * to reach each target PR-AUC; --out writes every point, the summary and the options as JSON.
 */
import { writeFile } from 'node:fs/promises';
import { labelsToReach, summariseCurves } from '../active/curves.ts';
import { QUERY_STRATEGIES, type QueryStrategy } from '../active/queue.ts';
import { simulateLearningCurves } from '../active/simulate.ts';
import { prepareSimulation } from '../active/simulation-data.ts';
import type { Command } from './commands.ts';
import { loadLab } from './commands.ts';
import { intOption, learnerFromOption, readTrainingConfig } from './learner-option.ts';
import { CliError, formatTable } from './output.ts';

type Values = Parameters<Command['run']>[0];

function strategiesOption(value: unknown): QueryStrategy[] {
  if (value === undefined) return [...QUERY_STRATEGIES];
  const names = String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(QUERY_STRATEGIES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0)
    throw new CliError(`active simulate: --strategies takes ${QUERY_STRATEGIES.join(', ')}`);
  return names as QueryStrategy[];
}

function targetsOption(value: unknown): number[] {
  const targets = String(value ?? '0.6,0.7')
    .split(',')
    .map(Number);
  if (targets.some((t) => !(t > 0 && t <= 1)))
    throw new CliError('active simulate: --targets are PR-AUC values in (0, 1], comma-separated');
  return targets;
}

async function runSimulate(values: Values, data: string[]): Promise<number> {
  const command = 'active simulate';
  const config = await readTrainingConfig(values.config as string | undefined);
  const batch = intOption(values.batch, 20, 'batch', command);
  const budget = intOption(values.budget, 300, 'budget', command);
  const repeats = intOption(values.repeats, 3, 'repeats', command);
  const initial = intOption(values.initial, batch, 'initial', command);
  const strategies = strategiesOption(values.strategies);
  const targets = targetsOption(values.targets);
  const learner = await learnerFromOption(values.learner as string | undefined, config, command);
  const { lab, errors } = await loadLab(data);
  const t0 = performance.now();
  const stage = (m: string) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
  const prepared = await prepareSimulation(lab.db, config, stage).catch((e: Error) => {
    throw new CliError(e.message);
  });
  stage(`${prepared.features.length} features; learner ${learner.name}`);
  const curves = await simulateLearningCurves(prepared.data, {
    strategies,
    batch,
    budget,
    initial,
    repeats,
    seed: config.seed,
    learner,
    onProgress: stage,
  });
  const summary = summariseCurves(curves);
  const reach = targets.flatMap((t) => labelsToReach(curves, t));

  const out = process.stdout;
  out.write(`split: ${prepared.split}\n`);
  out.write(
    `pool: ${curves.poolAlerts} alerts; test: ${curves.test.alerts} alerts, ${curves.test.positives} illicit (PR-AUC of a random ranking ~ ${(curves.test.positives / curves.test.alerts).toFixed(3)})\n`,
  );
  out.write(
    `${learner.name} on every pool label (${curves.fullPool.labels}): PR-AUC ${curves.fullPool.prAuc.toFixed(3)}, ROC-AUC ${curves.fullPool.rocAuc.toFixed(3)}\n\n`,
  );
  const labelCounts = [...new Set(summary.map((r) => r.labels))].sort((a, b) => a - b);
  out.write(
    formatTable(
      ['labels', ...strategies],
      labelCounts.map((n) => [
        n,
        ...strategies.map((s) => summary.find((r) => r.strategy === s && r.labels === n)?.prAucMedian.toFixed(3) ?? ''),
      ]),
    ),
  );
  out.write(
    `\nmedian PR-AUC over ${repeats} repeat${repeats === 1 ? '' : 's'}; labels needed to reach a PR-AUC (median; '>${budget}' = not within the budget):\n`,
  );
  out.write(
    formatTable(
      ['target', ...strategies],
      targets.map((t) => [
        t.toFixed(2),
        ...strategies.map((s) => {
          const r = reach.find((x) => x.strategy === s && x.target === t)!;
          return r.median === null ? `>${budget}` : String(r.median);
        }),
      ]),
    ),
  );
  const path = values.out as string | undefined;
  if (path) {
    await writeFile(
      path,
      `${JSON.stringify({ split: prepared.split, features: prepared.features, ...curves, summary, labelsToReach: reach }, null, 2)}\n`,
    );
    stage(`wrote ${path}`);
  }
  return errors > 0 ? 1 : 0;
}

export const activeCommand: Command = {
  name: 'active',
  summary: 'active learning: simulate learning curves per query strategy with the ground truth as the labeller',
  usage:
    'lab active simulate --data DIR [--batch 20 --budget 300 --repeats 3] [--learner dense|logistic] [--out curves.json]',
  options: {
    data: { type: 'string', multiple: true },
    batch: { type: 'string' },
    budget: { type: 'string' },
    initial: { type: 'string' },
    repeats: { type: 'string' },
    strategies: { type: 'string' },
    learner: { type: 'string' },
    targets: { type: 'string' },
    config: { type: 'string' },
    out: { type: 'string' },
  },
  async run(values, positionals) {
    const [sub, ...rest] = positionals;
    const data = [...((values.data as string[] | undefined) ?? []), ...rest];
    if (sub !== 'simulate') throw new CliError(`active: say simulate\n  ${activeCommand.usage}`);
    if (data.length === 0)
      throw new CliError('active simulate: give --data DIR (a snapshot with ground_truth.parquet)');
    return runSimulate(values, data);
  },
};
