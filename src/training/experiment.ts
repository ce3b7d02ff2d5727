/**
 * An experiment: the part of a run shared by every strategy, built once next to the database.
 * The feature matrix (standardised on the training rows), the split, and the labels of every
 * source the board evaluates against. Then, per strategy, `prepareStrategy` gathers its labels,
 * applies the leakage guard and packs a self-contained fit job.
 */
import { rows as tableRows, type Database } from '../db/database.ts';
import { checkSeparation, guardFeatures, type LeakageReport } from '../features/leakage.ts';
import { buildFeatureMatrix, selectColumns, type FeatureMatrix } from '../features/matrix.ts';
import { splitRows, type Split } from '../features/split.ts';
import { applyStandardiser, fitStandardiser, type Standardiser } from '../features/standardise.ts';
import { derivedSeed } from '../ml/random.ts';
import { labelledRows } from '../strategies/classifier.ts';
import { getStrategy } from '../strategies/registry.ts';
import type { Strategy } from '../strategies/strategy.ts';
import type { TrainingConfig } from '../experiment/config.ts';
import { sourceSummary, type EvaluationSource, type HeldOut } from './evaluation.ts';
import type { FitJob } from './job.ts';
import { missingEvolutionColumns } from '../labels/evolution.ts';
import {
  addressRowLabels,
  evolutionRowLabels,
  explicitRowLabels,
  hasRows,
  proxyRowLabels,
  truthRowLabels,
  type RowLabels,
} from '../experiment/row-labels.ts';

export interface LoadedFile {
  path: string;
  table: string;
  rows: number;
  sha256: string;
}

export interface Experiment {
  config: TrainingConfig;
  matrix: FeatureMatrix;
  /** The matrix before standardisation (NULL as NaN), for strategies that read raw values (trees). */
  raw: Float32Array;
  standardiser: Standardiser;
  split: Split;
  held: HeldOut;
  sources: EvaluationSource[];
  /** Every loaded file with its hash: what the run bundle records to make the run repeatable. */
  files: LoadedFile[];
  /** With `target: evolution`: the labels every strategy learns, and what the board says about them. */
  target?: { labels: RowLabels; note: string };
}

export async function prepareExperiment(
  db: Database,
  config: TrainingConfig,
  onStage: (message: string) => void = () => {},
): Promise<Experiment> {
  onStage('building the feature matrix');
  const matrix = await buildFeatureMatrix(db, { maxCategories: config.features.maxCategories });
  onStage(`feature matrix: ${matrix.rows} alert rows x ${matrix.columns} features`);
  const proxy = await proxyRowLabels(db, matrix.rows, config.labels, false);
  // The proxy label stratifies the stratified split: it exists for every alert, whatever else is loaded.
  const split = splitRows(matrix.rowInfo, proxy.y, { ...config.split, seed: derivedSeed(config.seed, 'split') });
  if (split.train.length === 0) throw new Error(`no training rows: ${split.description}`);
  if (split.test.length === 0) throw new Error(`no held-out rows: ${split.description}`);
  onStage(`split: ${split.description}`);
  const standardiser = fitStandardiser(matrix.x, matrix.columns, split.train, config.features.clip);
  const raw = matrix.x.slice();
  applyStandardiser(standardiser, matrix.x, matrix.columns);

  const days = new Set(matrix.rowInfo.day).size;
  const held: HeldOut = {
    test: split.test,
    fit: Int32Array.from([...split.train, ...split.validation]).sort(),
    info: matrix.rowInfo,
    alertsPerDay: matrix.rowInfo.units / Math.max(1, days),
  };
  const sources: EvaluationSource[] = [];
  const add = (name: EvaluationSource['info']['name'], description: string, y: Float32Array) =>
    sources.push({ info: sourceSummary(name, description, y, held), y });
  add('proxy', 'the proxy rule alone', proxy.y);
  const explicit = await explicitRowLabels(db, matrix.rows);
  if (explicit.positives + explicit.negatives > 0)
    add('explicit', 'explicit alert labels (miner, community, validated)', explicit.y);
  if (await hasRows(db, 'address_labels'))
    add(
      'address-labels',
      'address labels (risk high or critical = positive)',
      (await addressRowLabels(db, matrix.rows)).y,
    );
  if (await hasRows(db, 'ground_truth'))
    add('truth', 'the ground-truth file', (await truthRowLabels(db, matrix.rows)).y);
  const horizonDays = config.evolution.horizonDays;
  const evolution = await evolutionRowLabels(db, matrix.rows, { horizonDays });
  if (evolution.positives + evolution.negatives > 0)
    add(
      'evolution',
      `evolution over ${horizonDays} days (expanding_illicit = positive, benign_indicators = negative)`,
      evolution.y,
    );
  const target =
    config.target === 'evolution' ? await evolutionTarget(db, matrix.rows, split, horizonDays, evolution) : undefined;

  const files = tableRows<{ path: string; table: string; rows: number; sha256: string }>(
    await db.query(`SELECT path, table_name AS "table", rows, sha256 FROM _loaded_files ORDER BY file_id`),
  );
  return { config, matrix, raw, standardiser, split, held, sources, files, ...(target ? { target } : {}) };
}

/**
 * The evolution labels a miner on the first test date would know: those whose later snapshot is
 * on or before it. A label from a later snapshot is the future of the test date, so training on
 * it would let the model learn what the board then tests.
 */
async function evolutionTarget(
  db: Database,
  rows: number,
  split: Split,
  horizonDays: number,
  all: RowLabels,
): Promise<{ labels: RowLabels; note: string }> {
  const knownBy = split.testDays[0];
  if (knownBy === undefined) throw new Error('target evolution: no test date to train up to');
  const missing = await missingEvolutionColumns(db);
  if (missing.length > 0)
    throw new Error(`target evolution: the loaded features have no ${missing.join(', ')}, which evolution labels read`);
  const labels = await evolutionRowLabels(db, rows, { horizonDays, knownBy });
  const trainRows = [...split.train, ...split.validation];
  const count = (y: Float32Array) => trainRows.filter((r) => y[r] === 0 || y[r] === 1).length;
  const known = count(labels.y);
  const later = count(all.y) - known;
  const day = new Date(knownBy * 86_400_000).toISOString().slice(0, 10);
  return {
    labels,
    note:
      `target: evolution labels over ${horizonDays} days whose later snapshot is not after ${day}: ` +
      `${known} of the ${trainRows.length} training and validation rows` +
      (later > 0 ? ` (${later} more have one from a later snapshot, left out)` : ''),
  };
}

export interface PreparedStrategy {
  strategy: Strategy;
  job: FitJob;
  /** Matrix columns the model sees. */
  keep: number[];
  leakage?: LeakageReport;
}

/** The strategy's labels, its feature columns after the leakage guard, and its fit job. */
export async function prepareStrategy(db: Database, experiment: Experiment, name: string): Promise<PreparedStrategy> {
  const { matrix, split, config } = experiment;
  const strategy = getStrategy(name);
  // With target evolution every strategy that learns labels learns these (a copy: a worker takes the buffers).
  const evolution = experiment.target && strategy.target(config) !== 'none' ? experiment.target.labels : undefined;
  const labels = evolution
    ? { ...evolution, y: evolution.y.slice(), w: evolution.w.slice(), origin: evolution.origin.slice() }
    : await strategy.prepareLabels({ db, config, rows: matrix.rows });
  let keep: number[] = [];
  let leakage: LeakageReport | undefined;
  // The rule reads no features, so there is nothing to guard.
  if (strategy.kind !== 'rule') {
    const guarded = guardFeatures(matrix.features, evolution ? 'evolution' : strategy.target(config), config.leakage);
    leakage = guarded.report;
    keep = labels
      ? checkSeparation(
          matrix.x,
          matrix.columns,
          matrix.features,
          guarded.keep,
          { rows: labelledRows(split.train, labels.y), y: labels.y },
          config.leakage,
          leakage,
          derivedSeed(config.seed, 'separation'),
        )
      : guarded.keep;
    if (keep.length === 0) throw new Error(`${name}: the leakage guard left no feature columns`);
  }
  const input = strategy.input?.(config) ?? 'standardised';
  const job: FitJob = {
    strategy: name,
    input: {
      x: selectColumns(input === 'raw' ? experiment.raw : matrix.x, matrix.rows, matrix.columns, keep),
      input,
      rows: matrix.rows,
      columns: keep.length,
      names: keep.map((j) => matrix.features[j]!.name),
      // Copies: a worker may take ownership of the job's buffers.
      train: split.train.slice(),
      validation: split.validation.slice(),
      labels,
      side: { confidence: matrix.side.confidence.slice() },
      config,
      seed: derivedSeed(config.seed, name),
    },
  };
  return { strategy, job, keep, leakage };
}
