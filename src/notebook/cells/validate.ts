/**
 * A validate cell: a submission scored as the network's validator scores it (src/validator/),
 * its scorecard out. The submission is either
 * - a scores file among the notebook's data files (`scores: scores/template.csv`), in the shape
 *   the miner template writes (alert_id, score, model_version, model_github_url), with other
 *   miners' files for Tier 2's consensus (`consensus: [...]`); or
 * - one strategy of a compare cell (`from: board`), whose validator preview already scored every
 *   strategy on the held-out snapshots: `strategy` names one, or, left out, the one the validator
 *   would pay most (the highest mean final score).
 *
 * Its scorecards are published for plot and table cells (`card.tiers`, `card.patterns`,
 * `card.failures`), one row per snapshot and figure, under the validator's key names.
 */
import type { PlainValue } from '../../db/values.ts';
import { evolutionLabelsQuery } from '../../labels/evolution.ts';
import { DEFAULT_VALIDATOR_CONFIG } from '../../validator/config.ts';
import { FIGURES } from '../../validator/figures.ts';
import { byFinalScore, type PreviewEntry } from '../../validator/preview.ts';
import { renderScorecard } from '../../validator/render.ts';
import type { Scorecard } from '../../validator/scorecard.ts';
import { readScoresFile, ScoresFileError, type ScoresFile } from '../../validator/scores-file.ts';
import type { SnapshotKey } from '../../validator/submission.ts';
import { validateScores } from '../../validator/validate.ts';
import { yamlBody, type CellKindModule } from '../cell-kind.ts';
import { ValidateSpec } from '../cell-schemas.ts';
import { memoryResultName, type MemoryColumn, type MemoryResult } from '../memory-results.ts';
import type { CompareResult } from './compare.ts';
import { throwIfStale, type RunContext } from './context.ts';

export interface ValidateCellSpec {
  kind: 'validate';
  validate: ValidateSpec;
}

/** One scored snapshot. */
export interface ValidateCard {
  key: SnapshotKey;
  card: Scorecard;
}

export interface ValidateResult {
  kind: 'validate';
  name: string;
  /** ready: nothing scored yet (the compare cell has not trained); done: `cards` holds the scorecards. */
  state: 'ready' | 'done';
  /** What was scored: "scores/template.csv (2,000 rows)", "gbm on compare cell board". */
  subject: string;
  /** How the snapshot was chosen, the consensus, the scoring day: one sentence each. */
  facts: string[];
  cards: ValidateCard[];
  /** Mean final score over the cards (null when any is undefined). */
  final: number | null;
  /** Why a ready cell has nothing to show. */
  message?: string;
  results: MemoryResult[];
}

/** Every result a validate cell publishes, with what one row is. */
export const VALIDATE_RESULTS = {
  tiers:
    'one row per scored snapshot and figure: processing_date, window_days, tier, figure, key (the validator’s name), value',
  patterns: 'the evolution patterns of the scored alerts: processing_date, window_days, pattern, alerts',
  failures: 'why Tier 1 failed, one row per check that failed: processing_date, window_days, check, message',
} as const;
export type ValidatePart = keyof typeof VALIDATE_RESULTS;
export const VALIDATE_PARTS = Object.keys(VALIDATE_RESULTS) as ValidatePart[];

export async function runValidateCell(name: string, spec: ValidateSpec, ctx: RunContext): Promise<ValidateResult> {
  if (spec.from !== undefined) return fromCompare(name, spec.from, spec.strategy, ctx);
  if (!ctx.files)
    throw new Error(
      `validate cell ${name}: this notebook was opened without access to data files, so ${spec.scores} cannot be read`,
    );
  const files = ctx.files;
  const read = async (path: string): Promise<ScoresFile> => readScoresFile(files.runtime, await files.read(path));
  try {
    const scores = await read(spec.scores!);
    const consensus: ScoresFile[] = [];
    for (const path of spec.consensus) consensus.push(await read(path));
    throwIfStale(ctx.signal);
    const r = await validateScores(ctx.db, scores, consensus, {
      ...(spec.date !== undefined && { date: spec.date }),
      ...(spec.window !== undefined && { window: spec.window }),
      ...(spec.as_of !== undefined && { asOf: spec.as_of }),
      config: DEFAULT_VALIDATOR_CONFIG,
      evolutionQuery: evolutionLabelsQuery,
    });
    const cards = [{ key: r.chosen.key, card: r.card }];
    return {
      kind: 'validate',
      name,
      state: 'done',
      subject: `${scores.path} (${scores.rows.length.toLocaleString('en-US')} rows)`,
      facts: [
        `snapshot ${r.chosen.key.processing_date}, ${r.chosen.key.window_days}-day window, ${r.chosen.how}; scored as of ${r.asOf}`,
        `consensus: ${
          r.consensus.length === 0
            ? 'no other miners, so Tier 2 compares the file with itself'
            : r.consensus.map((c) => `${c.miner} (${c.rows} rows)`).join(', ')
        }`,
      ],
      cards,
      final: r.card.final_score,
      results: validateResults(name, cards),
    };
  } catch (e) {
    // A file that cannot be scored at all: the message names it and the column.
    if (e instanceof ScoresFileError) throw new Error(`validate cell ${name}: ${e.message}`);
    throw e;
  }
}

function fromCompare(name: string, from: string, strategy: string | undefined, ctx: RunContext): ValidateResult {
  const compare = ctx.cells.get(from) as CompareResult | undefined;
  if (!compare || compare.kind !== 'compare') throw new Error(`validate cell ${name}: ${from} is not a compare cell`);
  const waiting = (message: string): ValidateResult => ({
    kind: 'validate',
    name,
    state: 'ready',
    subject: strategy ? `${strategy} on compare cell ${from}` : `the best strategy of compare cell ${from}`,
    facts: [],
    cards: [],
    final: null,
    message,
    results: validateResults(name, []),
  });
  if (compare.state !== 'done' || !compare.trained)
    return waiting(`waiting for compare cell ${from} to train (Run comparison)`);
  const preview = compare.trained.board.validator;
  if (!preview) return waiting(`compare cell ${from} has no validator preview`);
  if (preview.error) throw new Error(`validate cell ${name}: ${from}'s validator preview failed: ${preview.error}`);
  let entry: PreviewEntry | undefined;
  if (strategy !== undefined) {
    entry = preview.entries.find((e) => e.strategy === strategy);
    if (!entry)
      throw new Error(
        `validate cell ${name}: strategy ${strategy} is not on ${from}'s board: expected one of ${preview.entries.map((e) => e.strategy).join(', ')}`,
      );
    if (entry.cards.length === 0)
      throw new Error(`validate cell ${name}: ${strategy} was not scored on ${from}'s board (${entry.missing})`);
  } else {
    entry = byFinalScore(preview.entries).find((e) => e.cards.length > 0);
    if (!entry) return waiting(`no strategy of compare cell ${from} has scores to validate`);
  }
  const cards = entry.cards.map((c) => ({ key: c.key, card: c.card }));
  const ranked = byFinalScore(preview.entries).filter((e) => e.final !== null);
  const place = ranked.findIndex((e) => e.strategy === entry.strategy);
  return {
    kind: 'validate',
    name,
    state: 'done',
    subject: `${entry.strategy} on compare cell ${from}`,
    facts: [
      strategy === undefined
        ? `${entry.strategy} is the strategy the validator would pay most on this board`
        : place >= 0
          ? `${entry.strategy} is number ${place + 1} of ${ranked.length} on this board by mean final score`
          : `${entry.strategy} has no final score on every snapshot`,
      `${entry.calibrated ? 'calibrated probabilities' : 'its own scores (no calibration)'}, as its export submits them; scored as of ${preview.asOf}`,
      ...preview.notes.slice(0, 1),
    ],
    cards,
    final: entry.final,
    results: validateResults(name, cards),
  };
}

const col = (name: string, type: MemoryColumn['type']): MemoryColumn => ({ name, type });
const figureValue = (v: unknown): PlainValue =>
  typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' ? v : v === null || v === undefined ? null : String(v);

export function validateResults(cell: string, cards: readonly ValidateCard[]): MemoryResult[] {
  const snapshot = (k: SnapshotKey) => ({ processing_date: k.processing_date, window_days: k.window_days });
  const part = (p: ValidatePart, columns: MemoryColumn[], rows: Record<string, PlainValue>[]): MemoryResult => ({
    kind: 'memory',
    name: memoryResultName(cell, p),
    columns: [col('processing_date', 'VARCHAR'), col('window_days', 'BIGINT'), ...columns],
    rows,
  });
  return [
    part(
      'tiers',
      [col('tier', 'VARCHAR'), col('figure', 'VARCHAR'), col('key', 'VARCHAR'), col('value', 'DOUBLE')],
      cards.flatMap(({ key, card }) =>
        FIGURES.map((f) => ({
          ...snapshot(key),
          tier: f.tier,
          figure: f.label,
          key: f.key,
          value: figureValue(card[f.key]),
        })),
      ),
    ),
    part(
      'patterns',
      [col('pattern', 'VARCHAR'), col('alerts', 'BIGINT')],
      cards.flatMap(({ key, card }) =>
        Object.entries(card.pattern_counts).map(([pattern, alerts]) => ({ ...snapshot(key), pattern, alerts })),
      ),
    ),
    part(
      'failures',
      [col('check', 'VARCHAR'), col('message', 'VARCHAR')],
      cards.flatMap(({ key, card }) =>
        card.tier1_failures.map((f) => ({ ...snapshot(key), check: f.check, message: f.message })),
      ),
    ),
  ];
}

/** The cell as text lines: the report's and the app's headline. */
export function validateCellLines(value: ValidateResult): string[] {
  if (value.state === 'ready') return [`${value.subject}: ${value.message ?? 'nothing scored yet'}`];
  const final = value.final === null ? 'no final score' : `final score ${value.final.toFixed(4)}`;
  return [
    `${value.subject}: ${final}${value.cards.length > 1 ? ` (mean over ${value.cards.length} snapshots)` : ''}`,
    ...value.facts,
  ];
}

/**
 * The validate kind. With `from`, it reads the compare cell whole (its trained board), so it runs
 * after it and again whenever it trains.
 */
export const validateCell: CellKindModule<'validate', ValidateCellSpec, ValidateResult> = {
  kind: 'validate',
  expected:
    'a YAML submission to score ({scores: scores/template.csv, consensus: [scores/others.csv]} or {from: board, strategy: gbm})',
  parse: yamlBody(ValidateSpec, (validate) => ({ kind: 'validate', validate })),
  uses({ validate }, scope) {
    if (validate.from === undefined) return {};
    const kind = scope.kindOf(validate.from);
    if (kind === 'compare') return { after: [validate.from] };
    const known = scope.cellsOf('compare');
    return {
      after: kind === undefined ? [] : [validate.from],
      problem: `from: ${validate.from} is ${kind === undefined ? 'no cell' : `a ${kind} cell`} of this notebook: expected ${known.length ? `one of ${known.join(', ')}` : 'a compare cell'}`,
    };
  },
  publishes: { parts: VALIDATE_PARTS, example: 'tiers', results: (value) => value.results },
  run: (cell, ctx) => runValidateCell(cell.name, cell.spec.validate, ctx),
  report: (value, { el }) => [
    ...validateCellLines(value).map((line) => el('p', {}, line)),
    ...value.cards.map(({ card }) => el('pre', { class: 'scorecard' }, renderScorecard(card))),
  ],
};
