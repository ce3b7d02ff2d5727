/**
 * The validator preview of a leaderboard: every strategy's scores on the held-out snapshots, scored
 * as the network's validator would score them if each strategy were a miner.
 *
 * - Snapshots: every (processing_date, window_days) with held-out rows. A submission holds a score
 *   for every alert of its snapshot (Tier 1 asks for all of them); when a split holds out only some
 *   of a snapshot's alerts, the others are training rows and a note says how many.
 * - Scores: the calibrated probability where the strategy has one (what the exports submit), else
 *   its own score.
 * - Tier 2's consensus: the validator's median over all submissions of the snapshot, the miner's
 *   own included; here the miners are the strategies on the board, so each strategy's consensus is
 *   the per-alert median over every strategy, itself included.
 * - Tier 2's consistency: against the same strategy's submission on the latest earlier held-out
 *   date of the window, when there are several held-out dates.
 * - Age: days from the snapshot to the data's latest loaded date (as if the validator scored it
 *   then), so 3B counts only when the snapshot 30 days later is loaded.
 * - model_github_url: a strategy has none until a miner publishes it; the preview fills it so Tier 1
 *   judges the scores, and says so.
 */
import { rows, type Database } from '../db/database.ts';
import { ROWS_TABLE } from '../features/rows.ts';
import type { StrategyRun } from '../training/compare.ts';
import type { ValidatorConfig } from './config.ts';
import { latestDate, type EvolutionQuery } from './data.ts';
import type { Scorecard } from './scorecard.ts';
import type { SnapshotKey, SubmissionRow } from './submission.ts';
import { loadSnapshotData, scoreWithData, type SnapshotData } from './validate.ts';

/** One strategy's scores, one per matrix row (null when it has none: failed, cancelled, skipped). */
export interface PreviewRun {
  strategy: string;
  modelVersion: string;
  scores: ArrayLike<number> | null;
  /** Whether `scores` are calibrated probabilities. */
  calibrated: boolean;
  /** Why there are no scores. */
  missing?: string;
}

/** The alert keys of the matrix rows, in row order. */
export interface RowKeys {
  alert_id: string[];
  processing_date: string[];
  window_days: number[];
}

export interface PreviewCard {
  key: SnapshotKey;
  card: Scorecard;
}

export interface PreviewEntry {
  strategy: string;
  modelVersion: string;
  calibrated: boolean;
  cards: PreviewCard[];
  /** Mean final score over the snapshots (null when any is undefined or there are none). */
  final: number | null;
  missing?: string;
}

export interface ValidatorPreview {
  snapshots: SnapshotKey[];
  asOf: string;
  entries: PreviewEntry[];
  notes: string[];
  /** Set when the preview could not be computed; the board stands without it. */
  error?: string;
}

/** Placeholder for the repository a miner names when submitting. */
export const PREVIEW_GITHUB_URL = 'https://github.com/<your-model>';

const snapshotId = (k: SnapshotKey) => `${k.processing_date}/${k.window_days}`;

/** The matrix rows' keys from the rows table the feature matrix was built on. */
export async function matrixRowKeys(db: Database, rowsTable: string): Promise<RowKeys> {
  const r = rows<{ alert_id: string; processing_date: string; window_days: number }>(
    await db.query(
      `SELECT alert_id, strftime(processing_date, '%Y-%m-%d') AS processing_date, CAST(window_days AS INTEGER) AS window_days
       FROM ${rowsTable} ORDER BY row_idx`,
    ),
  );
  return {
    alert_id: r.map((x) => x.alert_id),
    processing_date: r.map((x) => x.processing_date),
    window_days: r.map((x) => x.window_days),
  };
}

export async function validatorPreview(
  db: Database,
  runs: readonly PreviewRun[],
  keys: RowKeys,
  test: ArrayLike<number>,
  config: ValidatorConfig,
  evolutionQuery: EvolutionQuery,
): Promise<ValidatorPreview> {
  // Matrix rows per snapshot, and which snapshots have held-out rows.
  const rowsBySnapshot = new Map<string, { key: SnapshotKey; rows: number[] }>();
  for (let r = 0; r < keys.alert_id.length; r++) {
    const key = { processing_date: keys.processing_date[r]!, window_days: keys.window_days[r]! };
    const id = snapshotId(key);
    let s = rowsBySnapshot.get(id);
    if (!s) rowsBySnapshot.set(id, (s = { key, rows: [] }));
    s.rows.push(r);
  }
  const heldBySnapshot = new Map<string, number>();
  for (let i = 0; i < test.length; i++) {
    const r = test[i]!;
    const id = snapshotId({ processing_date: keys.processing_date[r]!, window_days: keys.window_days[r]! });
    heldBySnapshot.set(id, (heldBySnapshot.get(id) ?? 0) + 1);
  }
  const snapshots = [...heldBySnapshot.keys()]
    .map((id) => rowsBySnapshot.get(id)!.key)
    .sort((a, b) =>
      a.processing_date === b.processing_date
        ? a.window_days - b.window_days
        : a.processing_date < b.processing_date
          ? -1
          : 1,
    );
  const asOf = (await latestDate(db)) ?? snapshots[snapshots.length - 1]?.processing_date ?? '';
  const notes = [
    "Tier 2's consensus is the median per alert over every strategy on this board, the strategy itself included (the validator's median includes the miner's own submission).",
    `Scored as of ${asOf}, the latest date loaded: a snapshot's age is the days from its date to then.`,
    `model_github_url is filled with ${PREVIEW_GITHUB_URL} for Tier 1; name your repository when you submit.`,
  ];
  for (const k of snapshots) {
    const all = rowsBySnapshot.get(snapshotId(k))!.rows.length;
    const held = heldBySnapshot.get(snapshotId(k))!;
    if (held < all)
      notes.push(
        `${snapshotId(k)}: ${all - held} of its ${all} alerts are training rows; the validator needs every alert, so their scores are submitted too (flattering Tier 3 a little).`,
      );
  }

  const submission = (run: PreviewRun, k: SnapshotKey): SubmissionRow[] =>
    rowsBySnapshot.get(snapshotId(k))!.rows.map((r, i) => ({
      row: i + 1,
      alert_id: keys.alert_id[r]!,
      score: run.scores![r]!,
      model_version: run.modelVersion,
      model_github_url: PREVIEW_GITHUB_URL,
    }));
  const scored = runs.filter((r) => r.scores !== null);
  const data = new Map<string, SnapshotData>();
  for (const k of snapshots) data.set(snapshotId(k), await loadSnapshotData(db, k, config, evolutionQuery));
  const entries: PreviewEntry[] = [];
  for (const run of runs) {
    if (run.scores === null) {
      entries.push({
        strategy: run.strategy,
        modelVersion: run.modelVersion,
        calibrated: false,
        cards: [],
        final: null,
        missing: run.missing ?? 'no scores',
      });
      continue;
    }
    const cards: PreviewCard[] = [];
    for (const k of snapshots) {
      const earlier = snapshots.filter((s) => s.window_days === k.window_days && s.processing_date < k.processing_date);
      const prev = earlier[earlier.length - 1];
      const card = scoreWithData(
        data.get(snapshotId(k))!,
        {
          key: k,
          rows: submission(run, k),
          others: scored.filter((o) => o !== run).map((o) => submission(o, k)),
          previous: prev ? { processing_date: prev.processing_date, rows: submission(run, prev) } : null,
          asOf,
        },
        config,
      );
      cards.push({ key: k, card });
    }
    const finals = cards.map((c) => c.card.final_score);
    entries.push({
      strategy: run.strategy,
      modelVersion: run.modelVersion,
      calibrated: run.calibrated,
      cards,
      final:
        finals.length > 0 && finals.every((f) => f !== null)
          ? finals.reduce((a, b) => a! + b!, 0)! / finals.length
          : null,
    });
  }
  return { snapshots, asOf, entries, notes };
}

/** Entries by mean final score, highest first; strategies without one last, in board order. */
export function byFinalScore(entries: readonly PreviewEntry[]): PreviewEntry[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (b.e.final ?? -Infinity) - (a.e.final ?? -Infinity) || a.i - b.i)
    .map(({ e }) => e);
}

/** A comparison's runs as preview submissions: the calibrated probability where there is one. */
export function previewRunsOf(runs: readonly StrategyRun[]): PreviewRun[] {
  return runs.map((r) => {
    const e = r.entry;
    const scores = r.calibrated ?? r.result?.scores ?? null;
    return {
      strategy: r.name,
      modelVersion: e.modelVersion,
      scores,
      calibrated: r.calibrated !== undefined,
      ...(scores === null && {
        missing: e.error ? `failed: ${e.error}` : (e.cancelled ?? (e.skipped ? `skipped: ${e.skipped}` : 'no scores')),
      }),
    };
  });
}

/**
 * The preview of a comparison's board, over the feature matrix's rows table and held-out rows. It
 * never fails the comparison: an error comes back in `error`, and the board stands without it.
 */
export async function comparisonPreview(
  db: Database,
  runs: readonly StrategyRun[],
  test: ArrayLike<number>,
  config: ValidatorConfig,
  evolutionQuery: EvolutionQuery,
): Promise<ValidatorPreview> {
  try {
    const keys = await matrixRowKeys(db, ROWS_TABLE);
    return await validatorPreview(db, previewRunsOf(runs), keys, test, config, evolutionQuery);
  } catch (e) {
    return { snapshots: [], asOf: '', entries: [], notes: [], error: (e as Error).message };
  }
}
