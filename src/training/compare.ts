/**
 * Run several strategies on one experiment and put them on one leaderboard: the core of
 * `lab compare` and of the browser's leaderboard view. The fit step is pluggable (`runFit`):
 * inline by default, a training worker in the browser.
 */
import type { Database } from '../db/database.ts';
import { sha256Hex } from '../db/runtime.ts';
import type { LeakageReport } from '../features/leakage.ts';
import { buildLeaderboard, type BoardEntry, type Leaderboard } from '../metrics/leaderboard.ts';
import type { TrainProgress } from '../ml/train-loop.ts';
import { strategyNames } from '../strategies/registry.ts';
import type { FitHooks } from '../strategies/strategy.ts';
import type { TrainingConfig } from './config.ts';
import { evaluateAgainstSources } from './evaluation.ts';
import { prepareExperiment, prepareStrategy, type Experiment } from './experiment.ts';
import { runFitJob, type FitJob, type FitJobResult } from './job.ts';

export interface CompareOptions {
  /** Strategy names; default: config.strategies, else every registered strategy. */
  strategies?: string[];
  onStage?: (message: string) => void;
  onEpoch?: (strategy: string, progress: TrainProgress) => void;
  signal?: AbortSignal;
  /** How a fit job runs: inline here, in a worker in the browser. */
  runFit?: (job: FitJob, hooks: FitHooks) => Promise<FitJobResult>;
}

export interface StrategyRun {
  name: string;
  entry: BoardEntry;
  /** Absent when the strategy failed. */
  result?: FitJobResult;
  keep: number[];
  leakage?: LeakageReport;
}

export interface CompareResult {
  experiment: Experiment;
  board: Leaderboard;
  runs: StrategyRun[];
}

export async function compareStrategies(db: Database, config: TrainingConfig, opts: CompareOptions = {}): Promise<CompareResult> {
  const names = opts.strategies ?? config.strategies ?? strategyNames();
  const onStage = opts.onStage ?? (() => {});
  const experiment = await prepareExperiment(db, config, onStage);
  const runs: StrategyRun[] = [];
  for (const name of names) {
    if (opts.signal?.aborted) throw new DOMException('comparison was cancelled', 'AbortError');
    onStage(`training ${name}`);
    runs.push(await runStrategy(db, experiment, name, opts));
  }
  return { experiment, board: buildLeaderboard(experiment.sources.map((s) => s.info), runs.map((r) => r.entry), boardNotes(experiment)), runs };
}

/**
 * What the board should say about the evaluation itself: the split, and how many held-out alerts
 * belong to addresses the models also saw in training. Labels and truth often belong to the
 * address, so that share is how much a score can owe to remembering addresses.
 */
function boardNotes(experiment: Experiment): string[] {
  const { split, matrix } = experiment;
  const seen = new Set<number>();
  for (const rows of [split.train, split.validation]) for (const r of rows) seen.add(matrix.rowInfo.address[r]!);
  let overlap = 0;
  for (const r of split.test) if (seen.has(matrix.rowInfo.address[r]!)) overlap++;
  const notes = [`split: ${split.description}`];
  if (overlap > 0) {
    notes.push(
      `${Math.round((100 * overlap) / split.test.length)}% of the held-out alert rows belong to addresses that also have training alerts; set split.groupBy to 'address' to test on unseen addresses only`,
    );
  }
  return notes;
}

/** Train the strategy the configuration names (`strategy`) on its own board: the single-model path. */
export async function trainConfigured(db: Database, config: TrainingConfig, opts: Omit<CompareOptions, 'strategies'> = {}): Promise<CompareResult> {
  return compareStrategies(db, config, { ...opts, strategies: [config.strategy] });
}

/** Prepare, fit, score and evaluate one strategy. A strategy that fails becomes an entry with its error. */
export async function runStrategy(db: Database, experiment: Experiment, name: string, opts: CompareOptions = {}): Promise<StrategyRun> {
  const modelVersion = await modelVersionOf(experiment, name);
  try {
    const prepared = await prepareStrategy(db, experiment, name);
    const runFit = opts.runFit ?? runFitJob;
    const result = await runFit(prepared.job, { signal: opts.signal, onEpoch: (p) => opts.onEpoch?.(name, p) });
    const { strategy } = prepared;
    const entry: BoardEntry = {
      strategy: name,
      kind: strategy.kind,
      scoreKind: strategy.scoreKind,
      modelVersion,
      features: prepared.keep.length,
      metrics: evaluateAgainstSources(result.scores, strategy.scoreKind === 'probability', experiment.sources, experiment.held, experiment.config),
      notes: [...(prepared.leakage?.notes ?? []), ...result.notes],
      seconds: result.seconds,
    };
    return { name, entry, result, keep: prepared.keep, leakage: prepared.leakage };
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    const entry: BoardEntry = { strategy: name, kind: '', scoreKind: 'probability', modelVersion, features: 0, metrics: {}, notes: [], error: (e as Error).message, seconds: { fit: 0, score: 0 } };
    return { name, entry, keep: [] };
  }
}

/**
 * `label-lab/<strategy>@<hash>`: the hash covers the configuration and the data files, so two
 * runs share a version exactly when they would train the same model.
 */
export async function modelVersionOf(experiment: Experiment, name: string): Promise<string> {
  const basis = JSON.stringify({ name, config: experiment.config, files: experiment.files.map((f) => f.sha256).sort() });
  return `label-lab/${name}@${(await sha256Hex(new TextEncoder().encode(basis))).slice(0, 12)}`;
}
