/**
 * `lab compare`: train every strategy (or the chosen ones) on the loaded data, evaluate them on
 * the same held-out alerts against every label source, print the leaderboard and write the run
 * bundle as the report. --labels imports label files (as `lab labels import` does) so the
 * supervised strategy and the board's "explicit" source have explicit labels. With --export DIR, also each strategy's alert_scores.parquet (held-out
 * alerts) and model files.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openNodeRuntime } from '../db/node.ts';
import type { Runtime } from '../db/runtime.ts';
import { alertScoresParquet } from '../export/alert-scores.ts';
import { importLabels } from '../ingest/index.ts';
import { modelFiles } from '../export/model-files.ts';
import { bundleJSON, runBundle } from '../export/run-bundle.ts';
import { renderLeaderboard } from '../metrics/leaderboard.ts';
import { initNodeBackend } from '../ml/backend-node.ts';
import { filesFromPaths } from '../node/files.ts';
import { strategyNames } from '../strategies/registry.ts';
import { classify, type SourceFile } from '../sot/files.ts';
import { Lab } from '../sot/lab.ts';
import { compareStrategies } from '../training/compare.ts';
import { loadTrainingConfig, parseTrainingConfig, type TrainingConfig } from '../experiment/config.ts';
import type { Command } from './commands.ts';
import { CliError } from './output.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

export const compareCommand: Command = {
  name: 'compare',
  summary: 'train and compare strategies on held-out alerts; print the leaderboard, write the run bundle',
  usage:
    'lab compare --data DIR [--labels FILE] [--truth FILE] [--strategies a,b] [--config FILE] --out report.json [--export DIR]',
  options: {
    data: { type: 'string', multiple: true },
    labels: { type: 'string', multiple: true },
    truth: { type: 'string' },
    strategies: { type: 'string' },
    config: { type: 'string' },
    out: { type: 'string' },
    export: { type: 'string' },
  },
  async run(values, positionals) {
    const data = [...((values.data as string[] | undefined) ?? []), ...positionals];
    if (data.length === 0) throw new CliError('compare: give --data DIR (a snapshot folder or files)');
    const out = values.out as string | undefined;
    if (!out) throw new CliError('compare: give --out report.json');
    const config = await readConfig(values);
    const strategies = config.strategies ?? strategyNames();

    const backend = await initNodeBackend(config.backend === 'webgl' ? 'auto' : config.backend);
    const rt = await openNodeRuntime();
    const lab = await loadFiles(
      rt,
      data,
      values.truth as string | undefined,
      (values.labels as string[] | undefined) ?? [],
    );
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
    process.stdout.write(`backend: ${backend.description}\n`);

    const repeat = `npm run lab -- compare ${process.argv.slice(3).join(' ')}`;
    const bundle = runBundle(result, { backend: backend.name, runtime: `node ${process.version}`, repeat });
    await writeFile(out, bundleJSON(bundle));
    process.stderr.write(`wrote ${out}\n`);

    const exportDir = values.export as string | undefined;
    if (exportDir) {
      for (const run of result.runs) {
        if (!run.result) continue;
        const dir = join(exportDir, run.name);
        await mkdir(join(dir, 'model'), { recursive: true });
        const held = result.experiment.split.test;
        const parquet = await alertScoresParquet(rt, run.result.scores, {
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
    return result.runs.some((r) => r.entry.error) ? 1 : 0;
  },
};

async function readConfig(values: Values): Promise<TrainingConfig> {
  const path = values.config as string | undefined;
  let config: TrainingConfig;
  try {
    config = path ? loadTrainingConfig(await readFile(path, 'utf8'), path) : parseTrainingConfig({});
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const list = values.strategies as string | undefined;
  if (list) {
    const names = list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = names.filter((n) => !strategyNames().includes(n));
    if (unknown.length > 0)
      throw new CliError(
        `compare: unknown strateg${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}; choose from ${strategyNames().join(', ')}`,
      );
    config = { ...config, strategies: names };
  }
  return config;
}

/**
 * Load the data, with `truth` (any file name) as the ground truth in place of a ground_truth file
 * found in the data folders, then import `labels` files as explicit labels (label events).
 */
async function loadFiles(rt: Runtime, paths: string[], truth: string | undefined, labels: string[]): Promise<Lab> {
  const read = (p: string[]) =>
    filesFromPaths(p).catch((e: Error) => {
      throw new CliError(e.message);
    });
  let files: SourceFile[] = await read(paths);
  if (truth) {
    const isTruth = (f: SourceFile) => {
      const c = classify(f);
      return c.kind === 'table' && c.contract.name === 'ground_truth';
    };
    const [file] = await read([truth]);
    const ext = file!.path.slice(file!.path.lastIndexOf('.'));
    files = [...files.filter((f) => !isTruth(f)), { ...file!, path: `ground_truth${ext}` }];
  }
  const lab = await Lab.open(rt);
  const report = await lab.load(files);
  for (const p of report.problems) process.stderr.write(`${p.level}: ${p.message}\n`);
  if (!report.loaded.some((l) => l.table === 'alerts')) throw new CliError('compare: no alerts were loaded');
  if (truth && !report.loaded.some((l) => l.table === 'ground_truth'))
    throw new CliError(`compare: the truth file ${truth} did not load (see the errors above)`);
  for (const file of await read(labels)) {
    const { report: imported, appended } = await importLabels(rt, file);
    for (const i of imported.issues) process.stderr.write(`${i.level}: ${i.message}\n`);
    process.stderr.write(`labels: ${appended?.events ?? 0} label events from ${file.path}\n`);
  }
  return lab;
}
