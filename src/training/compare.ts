/**
 * Run several strategies on one experiment and put them on one leaderboard: the core of
 * `lab compare` and of the browser's leaderboard view. The fit step is pluggable (`runFit`):
 * inline by default, a training worker in the browser.
 *
 * Two ways to stop: `signal` cancels the whole comparison (it rejects with an AbortError and
 * nothing is kept), `runSignal(name)` cancels one strategy's run, which then stands on the board
 * as a cancelled entry while the others go on: someone watching a slow autoencoder should not
 * have to throw away the models that already finished.
 */
import type { Database } from '../db/database.ts';
import { sha256Hex } from '../db/runtime.ts';
import type { LeakageReport } from '../features/leakage.ts';
import { buildLeaderboard, type BoardEntry, type Leaderboard } from '../metrics/leaderboard.ts';
import type { TrainProgress } from '../ml/train-loop.ts';
import { strategyNames } from '../strategies/registry.ts';
import { isSkipped, type FitHooks } from '../strategies/strategy.ts';
import type { TrainingConfig } from '../experiment/config.ts';
import { evolutionLabelsQuery } from '../labels/evolution.ts';
import { DEFAULT_VALIDATOR_CONFIG } from '../validator/config.ts';
import { comparisonPreview } from '../validator/preview.ts';
import { calibrateRun } from './calibration.ts';
import { evaluateAgainstSources } from './evaluation.ts';
import { prepareExperiment, prepareStrategy, type Experiment } from './experiment.ts';
import { runFitJob, type FitJob, type FitJobResult } from './job.ts';

export interface CompareOptions {
  /** Strategy names; default: config.strategies, else every registered strategy. */
  strategies?: string[];
  onStage?: (message: string) => void;
  onEpoch?: (strategy: string, progress: TrainProgress) => void;
  signal?: AbortSignal;
  /** Cancels one strategy's run (before or while it trains): it becomes a cancelled entry. */
  runSignal?: (name: string) => AbortSignal | undefined;
  /** Each strategy's run as it moves: preparing its labels and job, fitting, then how it ended. */
  onRun?: (name: string, state: RunState, run?: StrategyRun) => void;
  /** How a fit job runs: inline here, in a worker in the browser. */
  runFit?: (job: FitJob, hooks: FitHooks) => Promise<FitJobResult>;
}

/** skipped: the data lacks the strategy's inputs (no explicit labels...): not a failure. */
export type RunState = 'preparing' | 'fitting' | 'done' | 'failed' | 'cancelled' | 'skipped';

export interface StrategyRun {
  name: string;
  entry: BoardEntry;
  /** Absent when the strategy failed. */
  result?: FitJobResult;
  /**
   * The scores as probabilities, per matrix row like `result.scores` (the raw ones), mapped as
   * `entry.calibration` says: what the exports submit and the validator preview scores.
   */
  calibrated?: Float64Array;
  keep: number[];
  leakage?: LeakageReport;
}

export interface CompareResult {
  experiment: Experiment;
  board: Leaderboard;
  runs: StrategyRun[];
}

export async function compareStrategies(
  db: Database,
  config: TrainingConfig,
  opts: CompareOptions = {},
): Promise<CompareResult> {
  const names = opts.strategies ?? config.strategies ?? strategyNames();
  const onStage = opts.onStage ?? (() => {});
  const experiment = await prepareExperiment(db, config, onStage);
  const runs: StrategyRun[] = [];
  for (const name of names) {
    if (opts.signal?.aborted) throw comparisonCancelled();
    onStage(`training ${name}`);
    runs.push(await runStrategy(db, experiment, name, opts));
  }
  const board = buildLeaderboard(
    experiment.sources.map((s) => s.info),
    runs.map((r) => r.entry),
    boardNotes(experiment),
  );
  onStage('validator preview');
  board.validator = await comparisonPreview(
    db,
    runs,
    experiment.split.test,
    DEFAULT_VALIDATOR_CONFIG,
    evolutionLabelsQuery,
  );
  return { experiment, board, runs };
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
  const notes = [`split: ${split.description}`, ...(experiment.target ? [experiment.target.note] : [])];
  if (overlap > 0) {
    notes.push(
      `${Math.round((100 * overlap) / split.test.length)}% of the held-out alert rows belong to addresses that also have training alerts; set split.groupBy to 'address' to test on unseen addresses only`,
    );
  }
  return notes;
}

/** Train the strategy the configuration names (`strategy`) on its own board: the single-model path. */
export async function trainConfigured(
  db: Database,
  config: TrainingConfig,
  opts: Omit<CompareOptions, 'strategies'> = {},
): Promise<CompareResult> {
  return compareStrategies(db, config, { ...opts, strategies: [config.strategy] });
}

/**
 * Prepare, fit, score and evaluate one strategy. A strategy that fails becomes an entry with its
 * error, one whose `runSignal` fires an entry saying it was cancelled; only the comparison's own
 * `signal` rejects.
 */
export async function runStrategy(
  db: Database,
  experiment: Experiment,
  name: string,
  opts: CompareOptions = {},
): Promise<StrategyRun> {
  const modelVersion = await modelVersionOf(experiment, name);
  const own = opts.runSignal?.(name);
  const signals = [opts.signal, own].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  let last: TrainProgress | undefined;
  const ended = (run: StrategyRun, state: RunState) => {
    opts.onRun?.(name, state, run);
    return run;
  };
  const empty = (fields: Pick<BoardEntry, 'error' | 'cancelled' | 'skipped'>): StrategyRun => ({
    name,
    entry: {
      strategy: name,
      kind: '',
      scoreKind: 'probability',
      modelVersion,
      features: 0,
      metrics: {},
      notes: [],
      ...fields,
      seconds: { fit: 0, score: 0 },
    },
    keep: [],
  });
  const cancelled = () =>
    ended(
      empty({
        cancelled: last
          ? `cancelled at epoch ${last.epoch} of ${last.epochs} (${last.stage})`
          : 'cancelled before it trained',
      }),
      'cancelled',
    );
  if (opts.signal?.aborted) throw comparisonCancelled();
  if (own?.aborted) return cancelled();
  try {
    opts.onRun?.(name, 'preparing');
    const prepared = await prepareStrategy(db, experiment, name);
    if (signal?.aborted) throw comparisonCancelled();
    opts.onRun?.(name, 'fitting');
    // A copy: a worker takes the job's buffers.
    const ownLabels = prepared.job.input.labels?.y.slice();
    const runFit = opts.runFit ?? runFitJob;
    const onEpoch = (p: TrainProgress) => {
      last = p;
      opts.onEpoch?.(name, p);
    };
    const result = await runFit(prepared.job, { signal, onEpoch });
    // A fit that ignored the signal and finished anyway is still cancelled: the user said so.
    if (signal?.aborted) throw comparisonCancelled();
    const { strategy } = prepared;
    const probability = strategy.scoreKind === 'probability';
    const calibration = await calibrateRun(db, experiment, name, result.scores, probability, ownLabels);
    const entry: BoardEntry = {
      strategy: name,
      kind: strategy.kind,
      scoreKind: strategy.scoreKind,
      modelVersion,
      features: prepared.keep.length,
      metrics: evaluateAgainstSources(
        result.scores,
        probability,
        experiment.sources,
        experiment.held,
        experiment.config,
      ),
      notes: [...(prepared.leakage?.notes ?? []), ...result.notes, `calibration: ${calibration.summary.note}`],
      ...(result.importance ? { importance: result.importance } : {}),
      calibration: calibration.summary,
      seconds: result.seconds,
    };
    return ended(
      { name, entry, result, calibrated: calibration.calibrated, keep: prepared.keep, leakage: prepared.leakage },
      'done',
    );
  } catch (e) {
    if (opts.signal?.aborted) throw comparisonCancelled();
    if (own?.aborted) return cancelled();
    if (isSkipped(e)) return ended(empty({ skipped: e.message }), 'skipped');
    return ended(empty({ error: (e as Error).message }), 'failed');
  }
}

function comparisonCancelled(): DOMException {
  return new DOMException('comparison was cancelled', 'AbortError');
}

/**
 * `label-lab/<strategy>@<hash>`: the hash covers the configuration and the data files, so two
 * runs share a version exactly when they would train the same model.
 */
export async function modelVersionOf(experiment: Experiment, name: string): Promise<string> {
  const basis = JSON.stringify({
    name,
    config: experiment.config,
    files: experiment.files.map((f) => f.sha256).sort(),
  });
  return `label-lab/${name}@${(await sha256Hex(new TextEncoder().encode(basis))).slice(0, 12)}`;
}
