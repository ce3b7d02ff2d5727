/**
 * A compare cell: a training configuration (params filled in), the strategies it names trained
 * on one experiment and put on one leaderboard, its results published in memory for plot and
 * table cells (`board.entries`, `board.roc`, ...; see compare-results.ts).
 *
 * A comparison takes minutes, so whether a run trains is the notebook's call (runtime.ts,
 * `NotebookTraining.start`): headless reports train whenever the cell runs; the app trains only
 * when asked (its Run comparison button), and a run it did not ask for resolves and shows the
 * configuration, publishing empty results that say they wait for a run. While it trains the
 * cell reports progress per strategy, each strategy can be cancelled on its own (CancelScope:
 * it becomes a cancelled entry and the others go on), and a stale run (an input changed, the
 * notebook closed) stops training at once.
 *
 * The training code (and TF.js with it) is loaded on first use, so opening a notebook never
 * pays for it.
 */
import type { Table } from 'apache-arrow';
import type { Leaderboard, BoardEntry } from '../../metrics/leaderboard.ts';
import type { ArtefactFile } from '../../ml/artefacts.ts';
import type { TrainingSummary } from '../../strategies/strategy.ts';
import type { RunState } from '../../training/compare.ts';
import { TrainingConfigSchema, type TrainingConfig } from '../../experiment/config.ts';
import { yamlBody, type CellKindModule } from '../cell-kind.ts';
import { CompareSpec, PARAM_REF_PATTERN } from '../cell-schemas.ts';
import { formatPath, issueMessage } from '../diagnostics.ts';
import type { MemoryResult } from '../memory-results.ts';
import { paramRefsIn } from '../param-refs.ts';
import type { ParamValue } from '../params.ts';
import { renderCompareReport } from '../report-compare.ts';
import type { RunContext } from './context.ts';
import { COMPARE_PARTS, waitingResults } from './compare-results.ts';

export interface CompareCellSpec {
  kind: 'compare';
  compare: CompareSpec;
}

export interface StrategyProgress {
  strategy: string;
  state: 'queued' | RunState;
  /** Which network is training ("self-training round 2"), and its last epoch. */
  stage?: string;
  epoch?: number;
  epochs?: number;
  loss?: number;
  valLoss?: number;
  bestEpoch?: number;
  /** Done: its headline metric; failed or cancelled: why. */
  message?: string;
}

export interface CompareProgress {
  kind: 'compare';
  /** What the comparison is doing now: "building the feature matrix", "training proxy". */
  stage: string;
  /** The TF.js backend, once the runner has started it. */
  backend?: string;
  strategies: StrategyProgress[];
  elapsedMs: number;
}

export interface TrainedRun {
  name: string;
  entry: BoardEntry;
  /** One per matrix row; absent for a failed or cancelled strategy. */
  scores?: Float64Array;
  training: TrainingSummary[];
  /** model.json + weights.bin (or the forest/rule JSON) and preprocessing.json; empty when it did not finish. */
  modelFiles: ArtefactFile[];
}

export interface TrainedComparison {
  board: Leaderboard;
  /** The backend's description ("wasm (fastest of ...)"). */
  backend: string;
  seconds: number;
  runs: TrainedRun[];
  /** The run bundle (run.json) as text: configuration, seeds, data hashes, features, split, board. */
  bundle: string;
  /** The strategy's held-out scores as the template's alert_scores table (a query on the notebook's database). */
  alertScores(strategy: string): Promise<Table>;
}

export interface CompareResult {
  kind: 'compare';
  name: string;
  /** ready: resolved but not trained (see the file comment); done: trained, `trained` holds it. */
  state: 'ready' | 'done';
  /** Why a ready cell has not trained. */
  message?: string;
  /** The configuration as it runs: params filled in, defaults applied, `strategies` listed. */
  config: TrainingConfig;
  strategies: string[];
  /** The param each field path (`split.groupBy`) was taken from. */
  bindings: Record<string, string>;
  trained?: TrainedComparison;
  /** The in-memory results plot and table cells draw (`board.roc`); empty, and saying so, until trained. */
  results: MemoryResult[];
}

export async function runCompareCell(name: string, spec: CompareSpec, ctx: RunContext): Promise<CompareResult> {
  const { config, bindings } = compareConfig(spec, ctx.params);
  const { strategyNames } = await import('../../strategies/registry.ts');
  const known = strategyNames();
  const strategies = config.strategies ?? known;
  const where = fieldLabel('strategies', bindings, ctx.params);
  const unknown = strategies.filter((s) => !known.includes(s));
  if (unknown.length > 0)
    throw new Error(
      `${where}unknown strateg${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}: choose from ${known.join(', ')}`,
    );
  const twice = strategies.filter((s, i) => strategies.indexOf(s) !== i);
  if (twice.length > 0) throw new Error(`${where}${twice[0]} is listed twice: expected each strategy once`);
  if (strategies.length === 0)
    throw new Error(`${where}no strategies to compare: expected at least one of ${known.join(', ')}`);

  const base = { kind: 'compare' as const, name, config: { ...config, strategies }, strategies, bindings };
  if (!ctx.training?.train) {
    const message = ctx.training
      ? 'Not trained yet: training every strategy takes a while, so it starts only when asked (Run comparison).'
      : 'Not trained: this notebook was opened without a training runner.';
    return {
      ...base,
      state: 'ready',
      message,
      results: waitingResults(name, `waiting for compare cell ${name} to train (Run comparison)`),
    };
  }
  const { trainComparison } = await import('./compare-train.ts');
  const { trained, results } = await trainComparison(name, base.config, ctx, ctx.training);
  return { ...base, state: 'done', trained, results };
}

/**
 * The cell's body with the params' values filled in, checked as a whole by the training schema.
 * A problem names the field and, when a param set it, the param and its value:
 * "dense.epochs ($epochs = 0): expected at least 1, got number 0".
 */
export function compareConfig(
  spec: CompareSpec,
  params: RunContext['params'],
): { config: TrainingConfig; bindings: Record<string, string> } {
  const bindings: Record<string, string> = {};
  const fill = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      const ref = PARAM_REF_PATTERN.exec(value);
      if (!ref) return value;
      const param = params.get(ref[1]!);
      if (!param) throw new Error(`${formatPath(path)}: unknown parameter $${ref[1]}`);
      bindings[formatPath(path)] = ref[1]!;
      return param.value;
    }
    if (Array.isArray(value)) return value.map((v, i) => fill(v, [...path, i]));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, [...path, k])]));
    return value;
  };
  const input = fill(spec, []);
  const parsed = TrainingConfigSchema.safeParse(input);
  if (parsed.success) return { config: parsed.data, bindings };
  throw new Error(
    parsed.error.issues
      .map((issue) => {
        const path = formatPath(issue.path);
        const message = issueMessage(issue, input);
        const bound = Object.keys(bindings)
          .filter((b) => path === b || path.startsWith(`${b}.`) || path.startsWith(`${b}[`))
          .sort((a, b) => b.length - a.length)[0];
        if (bound === undefined) return message;
        return `${fieldLabel(bound, bindings, params)}${message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message}`;
      })
      .join('; '),
  );
}

/** `split.groupBy ($group_by = address): ` for a bound field, `strategies: ` otherwise. */
function fieldLabel(path: string, bindings: Record<string, string>, params: RunContext['params']): string {
  const param = bindings[path];
  if (param === undefined) return `${path}: `;
  const v: ParamValue | undefined = params.get(param)?.value;
  return `${path} ($${param} = ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}): `;
}

/**
 * The compare kind: it reads every `$name` in its training configuration, trains on the
 * notebook's runner when asked, reports progress while it trains, and publishes its board.
 */
export const compareCell: CellKindModule<'compare', CompareCellSpec, CompareResult, CompareProgress> = {
  kind: 'compare',
  expected: 'a YAML training configuration ({strategies: [proxy, rule], split: {groupBy: $group_by}, ...})',
  parse: yamlBody(CompareSpec, (compare) => ({ kind: 'compare', compare })),
  uses: ({ compare }) => ({ params: paramRefsIn(compare) }),
  publishes: { parts: COMPARE_PARTS, example: 'entries', results: (value) => value.results },
  trains: true,
  run: (cell, ctx) => runCompareCell(cell.name, cell.spec.compare, ctx),
  report: (value, { el }) => [renderCompareReport(el, value)],
};
