/**
 * `lab compare`: train every strategy (or the chosen ones) on the loaded data, evaluate them on
 * the same held-out alerts against every label source, print the leaderboard and write the run
 * bundle as the report. --labels imports label files (as `lab labels import` does) so the
 * supervised strategy and the board's "explicit" source have explicit labels; --truth FILE is
 * the ground truth in place of one found in the data. With --export DIR, also each strategy's
 * alert_scores.parquet (held-out alerts; score is the calibrated probability, raw_score the
 * strategy's own) and model files.
 *
 * Exit status: 1 when a strategy failed, or when one the user named (--strategies, or the
 * configuration's `strategies`) was skipped; a default strategy whose inputs the data lacks
 * (supervised without explicit labels) is skipped on the board and the run still succeeds.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alertScoresParquet } from '../export/alert-scores.ts';
import { modelFiles } from '../export/model-files.ts';
import { bundleJSON, runBundle } from '../export/run-bundle.ts';
import { renderLeaderboard } from '../metrics/leaderboard.ts';
import { initNodeBackend } from '../ml/backend-node.ts';
import { strategyNames } from '../strategies/registry.ts';
import { compareStrategies } from '../training/compare.ts';
import { renderValidatorPreview } from '../validator/render.ts';
import type { TrainingConfig } from '../experiment/config.ts';
import { defineCommand } from './command.ts';
import { readTrainingConfig } from './config-files.ts';
import { loadLab, DATA_OPTIONS, dataLimits } from './load-lab.ts';
import { CliError } from './output.ts';

export const compareCommand = defineCommand({
  name: 'compare',
  summary: 'train and compare strategies on held-out alerts; print the leaderboard, write the run bundle',
  usage:
    'lab compare --data DIR [--labels FILE] [--truth FILE] [--strategies a,b] [--config FILE] --out report.json [--export DIR]',
  options: {
    ...DATA_OPTIONS,
    labels: { type: 'list' },
    truth: { type: 'string' },
    strategies: { type: 'string' },
    config: { type: 'string' },
    out: { type: 'string' },
    export: { type: 'string' },
  },
  async run(options, positionals) {
    const data = [...options.data, ...positionals];
    if (data.length === 0) throw new CliError('compare: give --data DIR (a snapshot folder or files)');
    const out = options.out;
    if (!out) throw new CliError('compare: give --out report.json');
    const config = withStrategies(await readTrainingConfig(options.config), options.strategies);
    const strategies = config.strategies ?? strategyNames();

    const backend = await initNodeBackend(config.backend === 'webgl' ? 'auto' : config.backend);
    const { lab, rt, tables } = await loadLab(data, {
      ...dataLimits(options),
      truth: options.truth,
      labels: options.labels,
    });
    if (!tables.has('alerts')) throw new CliError('compare: no alerts were loaded');
    const t0 = performance.now();
    const stage = (m: string) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
    const result = await compareStrategies(lab.db, config, {
      strategies,
      onStage: stage,
      onEpoch: (name, p) => {
        if (p.epoch % 10 === 0)
          stage(
            `  ${p.stage} epoch ${p.epoch}/${p.epochs}: loss ${p.loss.toFixed(4)}, validation ${p.valLoss.toFixed(4)}`,
          );
      },
    });
    process.stdout.write(renderLeaderboard(result.board));
    if (result.board.validator) process.stdout.write(`\n${renderValidatorPreview(result.board.validator)}\n`);
    process.stdout.write(`backend: ${backend.description}\n`);

    const repeat = `npm run lab -- compare ${process.argv.slice(3).join(' ')}`;
    const bundle = runBundle(result, { backend: backend.name, runtime: `node ${process.version}`, repeat });
    await writeFile(out, bundleJSON(bundle));
    process.stderr.write(`wrote ${out}\n`);

    const exportDir = options.export;
    if (exportDir) {
      for (const run of result.runs) {
        if (!run.result) continue;
        const dir = join(exportDir, run.name);
        await mkdir(join(dir, 'model'), { recursive: true });
        const held = result.experiment.split.test;
        const parquet = await alertScoresParquet(rt, run.calibrated ?? run.result.scores, {
          ...(run.calibrated && { rawScores: run.result.scores }),
          modelVersion: run.entry.modelVersion,
          latencyMs: (run.result.seconds.score * 1000) / Math.max(1, run.result.scores.length),
          rows: held,
        });
        await writeFile(join(dir, 'alert_scores.parquet'), parquet);
        for (const f of modelFiles(run, result.experiment)) await writeFile(join(dir, 'model', f.name), f.bytes);
      }
      await writeFile(join(exportDir, 'run.json'), bundleJSON(bundle));
      process.stderr.write(`exported scores and models to ${exportDir}\n`);
    }
    const named = config.strategies !== undefined;
    const skipped = named ? result.runs.filter((r) => r.entry.skipped) : [];
    for (const r of skipped)
      process.stderr.write(`compare: ${r.name} was asked for by name but was skipped: ${r.entry.skipped}\n`);
    return skipped.length > 0 || result.runs.some((r) => r.entry.error) ? 1 : 0;
  },
});

/** The configuration with --strategies a,b (checked against the registry) in place of its own list. */
function withStrategies(config: TrainingConfig, list: string | undefined): TrainingConfig {
  if (!list) return config;
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !strategyNames().includes(n));
  if (unknown.length > 0)
    throw new CliError(
      `compare: unknown strateg${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}; choose from ${strategyNames().join(', ')}`,
    );
  return { ...config, strategies: names };
}
