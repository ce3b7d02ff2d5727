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
import { commandGroup, defineCommand } from './command.ts';
import { readTrainingConfig } from './config-files.ts';
import { learnerFromOption } from './learner-option.ts';
import { loadLab, DATA_OPTIONS, dataLimits } from './load-lab.ts';
import { CliError, formatTable } from './output.ts';

function strategiesOption(value: string | undefined): QueryStrategy[] {
  if (value === undefined) return [...QUERY_STRATEGIES];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(QUERY_STRATEGIES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0)
    throw new CliError(`active simulate: --strategies takes ${QUERY_STRATEGIES.join(', ')}`);
  return names as QueryStrategy[];
}

function targetsOption(value: string): number[] {
  const targets = value.split(',').map(Number);
  if (targets.some((t) => !(t > 0 && t <= 1)))
    throw new CliError('active simulate: --targets are PR-AUC values in (0, 1], comma-separated');
  return targets;
}

const simulateCommand = defineCommand({
  name: 'active simulate',
  summary: 'learning curves per query strategy, with the ground truth as the labeller',
  usage:
    'lab active simulate --data DIR [--batch 20 --budget 300 --repeats 3] [--learner dense|logistic] [--out curves.json]',
  options: {
    ...DATA_OPTIONS,
    batch: { type: 'integer', default: 20 },
    budget: { type: 'integer', default: 300 },
    initial: { type: 'integer' },
    repeats: { type: 'integer', default: 3 },
    strategies: { type: 'string' },
    learner: { type: 'string' },
    targets: { type: 'string', default: '0.6,0.7' },
    config: { type: 'string' },
    out: { type: 'string' },
  },
  async run(options, positionals) {
    const data = [...options.data, ...positionals];
    if (data.length === 0)
      throw new CliError('active simulate: give --data DIR (a snapshot with ground_truth.parquet)');
    const { batch, budget, repeats } = options;
    const initial = options.initial ?? batch;
    const config = await readTrainingConfig(options.config);
    const strategies = strategiesOption(options.strategies);
    const targets = targetsOption(options.targets);
    const learner = await learnerFromOption(options.learner, config, 'active simulate');
    const { lab, errors } = await loadLab(data, dataLimits(options));
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
          ...strategies.map(
            (s) => summary.find((r) => r.strategy === s && r.labels === n)?.prAucMedian.toFixed(3) ?? '',
          ),
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
    const path = options.out;
    if (path) {
      await writeFile(
        path,
        `${JSON.stringify({ split: prepared.split, features: prepared.features, ...curves, summary, labelsToReach: reach }, null, 2)}\n`,
      );
      stage(`wrote ${path}`);
    }
    return errors > 0 ? 1 : 0;
  },
});

export const activeCommand = commandGroup({
  name: 'active',
  summary: 'active learning: simulate learning curves per query strategy with the ground truth as the labeller',
  subcommands: [simulateCommand],
});
