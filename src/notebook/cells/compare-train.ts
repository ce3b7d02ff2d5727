/**
 * The training half of a compare cell, loaded only when a cell trains (it brings the strategies
 * and TF.js): runs `compareStrategies` on the notebook's database with the notebook's runner,
 * turns its callbacks into the cell's progress, and keeps what the board, its plots and its
 * exports need once the experiment is gone (scores, model files, the run bundle).
 */
import { alertScoresTable } from '../../export/alert-scores.ts';
import { modelFiles } from '../../export/model-files.ts';
import { bundleJSON, runBundle } from '../../export/run-bundle.ts';
import type { BackendChoice } from '../../ml/backend.ts';
import { compareStrategies } from '../../training/compare.ts';
import type { TrainingConfig } from '../../experiment/config.ts';
import type { MemoryResult } from '../memory-results.ts';
import type { CompareProgress, StrategyProgress, TrainedComparison } from './compare.ts';
import { compareResults, headlineSource } from './compare-results.ts';
import type { RunContext, TrainingContext } from './context.ts';

/** Epoch progress is passed on at most this often; state changes at once. */
const PROGRESS_MS = 150;

export async function trainComparison(
  cell: string,
  config: TrainingConfig,
  ctx: RunContext,
  training: TrainingContext,
): Promise<{ trained: TrainedComparison; results: MemoryResult[] }> {
  const started = performance.now();
  const strategies = config.strategies!;
  const progress: CompareProgress = {
    kind: 'compare',
    stage: 'starting',
    strategies: strategies.map((strategy) => ({ strategy, state: 'queued' })),
    elapsedMs: 0,
  };
  const of = (name: string) => progress.strategies.find((s) => s.strategy === name)!;
  let lastSent = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const send = () => {
    clearTimeout(pending);
    pending = undefined;
    lastSent = performance.now();
    ctx.progress({
      ...progress,
      strategies: progress.strategies.map((s) => ({ ...s })),
      elapsedMs: lastSent - started,
    });
  };
  const emit = (now: boolean) => {
    if (now || performance.now() - lastSent >= PROGRESS_MS) send();
    else pending ??= setTimeout(send, PROGRESS_MS - (performance.now() - lastSent));
  };

  // The backend starts (a worker, a measured probe) while the feature matrix is built.
  const backend: Promise<BackendChoice> = training.runner.backend().then(
    (choice) => {
      progress.backend = choice.description;
      emit(true);
      return choice;
    },
    (e: Error) => ({ name: 'cpu', attempts: [], description: `no TF.js backend: ${e.message}` }) as BackendChoice,
  );
  try {
    const result = await compareStrategies(ctx.db, config, {
      signal: ctx.signal,
      runSignal: (name) => ctx.cancels.signal(name),
      runFit: (job, hooks) => training.runner.runFit(job, hooks),
      onStage: (message) => {
        progress.stage = message;
        emit(true);
      },
      onRun: (name, state, run) => {
        const s: StrategyProgress = of(name);
        s.state = state;
        if (run?.entry.error) s.message = run.entry.error;
        else if (run?.entry.cancelled) s.message = run.entry.cancelled;
        else if (run?.entry.skipped) s.message = `skipped: ${run.entry.skipped}`;
        else if (run) {
          const source = headlineSource(run.entry, null);
          const auc = source ? run.entry.metrics[source]?.rocAuc : null;
          s.message = auc != null ? `ROC-AUC ${auc.toFixed(3)} against ${source}` : 'done';
        }
        emit(true);
      },
      onEpoch: (name, p) => {
        Object.assign(of(name), {
          stage: p.stage,
          epoch: p.epoch,
          epochs: p.epochs,
          loss: p.loss,
          valLoss: p.valLoss,
          bestEpoch: p.bestEpoch,
        });
        emit(false);
      },
    });
    const choice = await backend;
    const { experiment } = result;
    const held = experiment.split.test;
    const runs = result.runs.map((run) => ({
      name: run.name,
      entry: run.entry,
      ...(run.result && { scores: run.result.scores }),
      training: run.result?.training ?? [],
      modelFiles: modelFiles(run, experiment),
    }));
    const bundle = bundleJSON(
      runBundle(result, {
        backend: choice.name,
        runtime: training.runtime,
        repeat: `notebook ${ctx.file}, compare cell ${cell}`,
      }),
    );
    const db = ctx.db;
    // The export submits the calibrated probability, with the raw score beside it.
    const calibratedOf = new Map(result.runs.map((r) => [r.name, r.calibrated]));
    const trained: TrainedComparison = {
      board: result.board,
      backend: choice.description,
      seconds: (performance.now() - started) / 1000,
      runs,
      bundle,
      alertScores: async (strategy) => {
        const run = runs.find((r) => r.name === strategy);
        if (!run?.scores)
          throw new Error(`${strategy} has no scores: it ${run ? 'did not finish' : 'was not in the comparison'}`);
        const calibrated = calibratedOf.get(strategy);
        return alertScoresTable(db, calibrated ?? run.scores, {
          ...(calibrated && { rawScores: run.scores }),
          modelVersion: run.entry.modelVersion,
          latencyMs: (run.entry.seconds.score * 1000) / Math.max(1, run.scores.length),
          rows: held,
        });
      },
    };
    const results = compareResults(cell, {
      board: result.board,
      runs,
      sources: experiment.sources,
      held: experiment.held,
    });
    return { trained, results };
  } finally {
    clearTimeout(pending);
  }
}
