/**
 * Scoring a submission against the loaded data: which snapshot it is for, what the validator would
 * read for it (data.ts), and its scorecard. Used by `lab validate`, the validate cell and the app's
 * drop of a scores file; the leaderboard preview (preview.ts) calls scoreSnapshot directly.
 */
import type { Database } from '../db/database.ts';
import type { ValidatorConfig } from './config.ts';
import {
  addressLabels,
  alertAddresses,
  alertSnapshots,
  daysBetween,
  evolutionPatterns,
  latestDate,
  type EvolutionQuery,
  type SnapshotKey,
} from './data.ts';
import { scorecard, type Scorecard } from './scorecard.ts';
import { previousOf, rowsOf, ScoresFileError, submissionsOf, type ScoresFile } from './scores-file.ts';
import type { SubmissionRow } from './submission.ts';
import type { AddressLabelRow } from './tier3a.ts';
import type { EvolutionPatternRow } from './tier3b.ts';
import type { Tier2Input } from './tier2.ts';

export interface SnapshotInput {
  key: SnapshotKey;
  rows: readonly SubmissionRow[];
  others: Tier2Input['others'];
  previous: Tier2Input['previous'];
  /** The day it is scored ('YYYY-MM-DD'): the submission's age is the days from its date to this. */
  asOf: string;
}

/** What the validator reads for one snapshot: alert addresses, address labels, evolution rows. */
export interface SnapshotData {
  alerts: Map<string, string>;
  labels: { labels: AddressLabelRow[]; dated: boolean };
  evolution: EvolutionPatternRow[] | null;
}

export async function loadSnapshotData(
  db: Database,
  key: SnapshotKey,
  config: ValidatorConfig,
  evolutionQuery: EvolutionQuery,
): Promise<SnapshotData> {
  const [alerts, labels, evolution] = await Promise.all([
    alertAddresses(db, key),
    addressLabels(db, key),
    evolutionPatterns(db, key, config, evolutionQuery),
  ]);
  return { alerts, labels, evolution };
}

/** One submission's scorecard over a snapshot's data (read once, scored for many submissions). */
export function scoreWithData(data: SnapshotData, input: SnapshotInput, config: ValidatorConfig): Scorecard {
  const card = scorecard(
    {
      processing_date: input.key.processing_date,
      window_days: input.key.window_days,
      rows: input.rows,
      alerts: data.alerts,
      addressLabels: data.labels.labels,
      evolution: data.evolution,
      others: input.others,
      previous: input.previous,
      ageDays: Math.max(0, daysBetween(input.key.processing_date, input.asOf)),
    },
    config,
  );
  if (!data.labels.dated)
    card.notes.push(
      'Tier 3A: the address labels have no processing_date/window_days, so they were joined on address alone',
    );
  return card;
}

/** One submission's scorecard, reading the snapshot's alerts, address labels and evolution from `db`. */
export async function scoreSnapshot(
  db: Database,
  input: SnapshotInput,
  config: ValidatorConfig,
  evolutionQuery: EvolutionQuery,
): Promise<Scorecard> {
  return scoreWithData(await loadSnapshotData(db, input.key, config, evolutionQuery), input, config);
}

/** How to name the snapshot, wherever the scores come from. */
const NAME_THE_SNAPSHOT =
  'name the snapshot: processing_date and window_days columns in the file, --date and --window (lab validate), or date and window (a validate cell)';

export interface ChosenSnapshot {
  key: SnapshotKey;
  /** How it was chosen, for the user. */
  how: string;
}

/**
 * The snapshot a scores file is for: --date/--window where given, else the file's own
 * processing_date/window_days (its latest date), else the loaded snapshot whose alert ids the file
 * matches best (alert ids are unique per snapshot). Throws ScoresFileError when nothing fits.
 */
export async function chooseSnapshot(
  db: Database,
  file: ScoresFile,
  opts: { date?: string; window?: number },
): Promise<ChosenSnapshot> {
  const all = await alertSnapshots(db);
  if (all.length === 0) throw new ScoresFileError('the data has no alerts to score against');
  const fileDates = [...new Set(file.rows.map((r) => r.processing_date).filter((d): d is string => d !== null))];
  const fileWindows = new Set(file.rows.map((r) => r.window_days).filter((w): w is number => w !== null));
  const date = opts.date ?? (fileDates.length > 0 ? fileDates.reduce((a, b) => (a > b ? a : b)) : undefined);
  const candidates = all.filter(
    (s) =>
      (date === undefined || s.processing_date === date) &&
      (opts.window !== undefined
        ? s.window_days === opts.window
        : fileWindows.size === 0 || fileWindows.has(s.window_days)),
  );
  const asked = [
    date !== undefined ? `date ${date}` : '',
    opts.window !== undefined
      ? `window ${opts.window}`
      : fileWindows.size > 0
        ? `windows ${[...fileWindows].join(', ')}`
        : '',
  ]
    .filter(Boolean)
    .join(' and ');
  if (candidates.length === 0)
    throw new ScoresFileError(
      `${file.path}: the data has no alerts for ${asked}; it has ${all.map((s) => `${s.processing_date}/${s.window_days}`).join(', ')}`,
    );
  const source = opts.date !== undefined ? '--date' : date !== undefined ? "the file's processing_date" : '';
  if (candidates.length === 1) {
    const key = { processing_date: candidates[0]!.processing_date, window_days: candidates[0]!.window_days };
    return { key, how: source ? `chosen by ${source}` : 'the only snapshot loaded' };
  }
  // Several: the one the file's alert ids fit best (Jaccard), since alert ids are unique per snapshot.
  const ids = new Set(file.rows.map((r) => r.alert_id));
  const fits = await Promise.all(
    candidates.map(async (s) => {
      const alerts = await alertAddresses(db, s);
      let shared = 0;
      for (const id of ids) if (alerts.has(id)) shared++;
      return { s, shared, fit: shared / (ids.size + alerts.size - shared) };
    }),
  );
  fits.sort((a, b) => b.fit - a.fit);
  const best = fits[0]!;
  if (best.shared === 0)
    throw new ScoresFileError(
      `${file.path}: none of its alert ids is in the data's snapshots${asked ? ` for ${asked}` : ''}; ${NAME_THE_SNAPSHOT}`,
    );
  if (fits[1] && fits[1].fit === best.fit)
    throw new ScoresFileError(
      `${file.path}: its alert ids fit ${best.s.processing_date}/${best.s.window_days} and ${fits[1].s.processing_date}/${fits[1].s.window_days} equally; ${NAME_THE_SNAPSHOT}`,
    );
  return {
    key: { processing_date: best.s.processing_date, window_days: best.s.window_days },
    how: `chosen by alert ids (${best.shared} of the file's ${ids.size} ids are in it)`,
  };
}

export interface ValidateResult {
  card: Scorecard;
  chosen: ChosenSnapshot;
  asOf: string;
  /** The consensus submissions, by miner, with their row counts. */
  consensus: { miner: string; rows: number }[];
}

/** A scores file (and other miners' consensus files) scored as the validator would on `asOf` (default: the data's latest date). */
export async function validateScores(
  db: Database,
  scores: ScoresFile,
  consensus: readonly ScoresFile[],
  opts: { date?: string; window?: number; asOf?: string; config: ValidatorConfig; evolutionQuery: EvolutionQuery },
): Promise<ValidateResult> {
  const chosen = await chooseSnapshot(db, scores, opts);
  const asOf = opts.asOf ?? (await latestDate(db)) ?? chosen.key.processing_date;
  const others = consensus.flatMap((f) => submissionsOf(f, chosen.key));
  const card = await scoreSnapshot(
    db,
    {
      key: chosen.key,
      rows: rowsOf(scores, chosen.key),
      others: others.map((o) => o.rows),
      previous: previousOf(scores, chosen.key),
      asOf,
    },
    opts.config,
    opts.evolutionQuery,
  );
  return { card, chosen, asOf, consensus: others.map((o) => ({ miner: o.miner, rows: o.rows.length })) };
}
