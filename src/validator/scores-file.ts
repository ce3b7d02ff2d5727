/**
 * A scores file in the submission shape (alert_id, score, model_version, model_github_url; optional
 * processing_date and window_days; for a consensus file optionally a miner column naming whose
 * row it is), read with the loader's own file reader (CSV, Parquet, Arrow IPC or JSON, as a labels
 * file is). The columns a submission needs are checked by name; values are not: a score that is
 * not a number or outside 0..1, a duplicate or an unknown alert is Tier 1's to report, with rows.
 *
 * A row number is the record's position in the file, counted from 1 (a CSV header is no record).
 */
import { ident, rows } from '../db/database.ts';
import type { Runtime } from '../db/runtime.ts';
import { stageLabelsFile } from '../ingest/read.ts';
import type { SourceFile } from '../sot/files.ts';
import type { SnapshotKey, SubmissionRow } from './submission.ts';

/** Column names a consensus file may use to say which miner a row belongs to. */
export const MINER_COLUMNS = ['miner', 'miner_id', 'submitter_id', 'hotkey', 'miner_hotkey'] as const;

export interface ScoresFileRow extends SubmissionRow {
  processing_date: string | null;
  window_days: number | null;
  miner: string | null;
}

export interface ScoresFile {
  path: string;
  rows: ScoresFileRow[];
  /** Which optional columns it has. */
  dated: boolean;
  windowed: boolean;
  minerColumn: string | null;
}

/** A scores file that cannot be used at all (unreadable, a needed column missing); names the file and column. */
export class ScoresFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScoresFileError';
  }
}

let staged = 0;

export async function readScoresFile(rt: Runtime, file: SourceFile): Promise<ScoresFile> {
  const stage = `_validator_scores_${++staged}`;
  let columns: Map<string, string>;
  try {
    ({ columns } = await stageLabelsFile(rt, stage, file));
  } catch (e) {
    throw new ScoresFileError((e as Error).message);
  }
  try {
    const byLower = new Map([...columns.keys()].map((c) => [c.toLowerCase(), c]));
    const col = (name: string) => byLower.get(name);
    for (const needed of ['alert_id', 'score'])
      if (!col(needed))
        throw new ScoresFileError(
          `${file.path}: missing column ${needed} (a scores file has alert_id, score, model_version, model_github_url; found ${[...columns.keys()].join(', ')})`,
        );
    const text = (name: string) => (col(name) ? `CAST(${ident(col(name)!)} AS VARCHAR)` : 'NULL');
    const minerColumn = MINER_COLUMNS.map(col).find((c) => c !== undefined) ?? null;
    const date = col('processing_date');
    const window = col('window_days');
    const t = ident(stage);
    for (const [name, cast, what] of [
      [date, 'DATE', 'dates (YYYY-MM-DD)'],
      [window, 'INTEGER', 'whole numbers of days'],
    ] as const) {
      if (!name) continue;
      const bad = rows<{ n: number | bigint; first: number | bigint | null }>(
        await rt.db.query(
          `SELECT count(*) AS n, min(rowid) + 1 AS first FROM ${t}
           WHERE ${ident(name)} IS NOT NULL AND TRY_CAST(${ident(name)} AS ${cast}) IS NULL`,
        ),
      )[0]!;
      if (Number(bad.n) > 0)
        throw new ScoresFileError(
          `${file.path}: column ${name} has ${Number(bad.n)} values that are not ${what} (first at row ${Number(bad.first)})`,
        );
    }
    const r = rows<{
      row: number | bigint;
      alert_id: string | null;
      score: number | null;
      model_version: string | null;
      model_github_url: string | null;
      processing_date: string | null;
      window_days: number | null;
      miner: string | null;
    }>(
      await rt.db.query(
        `SELECT rowid + 1 AS row, ${text('alert_id')} AS alert_id, TRY_CAST(${ident(col('score')!)} AS DOUBLE) AS score,
           ${text('model_version')} AS model_version, ${text('model_github_url')} AS model_github_url,
           ${date ? `strftime(TRY_CAST(${ident(date)} AS DATE), '%Y-%m-%d')` : 'NULL'} AS processing_date,
           ${window ? `TRY_CAST(${ident(window)} AS INTEGER)` : 'NULL'} AS window_days,
           ${minerColumn ? `CAST(${ident(minerColumn)} AS VARCHAR)` : 'NULL'} AS miner
         FROM ${t} ORDER BY rowid`,
      ),
    );
    return {
      path: file.path,
      rows: r.map((x) => ({
        ...x,
        row: Number(x.row),
        alert_id: x.alert_id ?? '',
        // A missing or unreadable score is not a number: Tier 1 reports it.
        score: x.score ?? NaN,
      })),
      dated: date !== undefined,
      windowed: window !== undefined,
      minerColumn,
    };
  } finally {
    await rt.db.exec(`DROP TABLE IF EXISTS ${ident(stage)}`);
  }
}

/** The rows of one snapshot; rows without a date or window belong to every one. */
export function rowsOf(file: ScoresFile, key: SnapshotKey): ScoresFileRow[] {
  return file.rows.filter(
    (r) =>
      (r.processing_date === null || r.processing_date === key.processing_date) &&
      (r.window_days === null || r.window_days === key.window_days),
  );
}

/** The file's latest date before `key` in the same window, with its rows (for Tier 2's consistency). */
export function previousOf(
  file: ScoresFile,
  key: SnapshotKey,
): { processing_date: string; rows: ScoresFileRow[] } | null {
  const earlier = file.rows
    .filter((r) => r.processing_date !== null && r.processing_date < key.processing_date)
    .filter((r) => r.window_days === null || r.window_days === key.window_days)
    .map((r) => r.processing_date!);
  if (earlier.length === 0) return null;
  const date = earlier.reduce((a, b) => (a > b ? a : b));
  return { processing_date: date, rows: rowsOf(file, { processing_date: date, window_days: key.window_days }) };
}

/** A consensus file's submissions, one per miner (the whole file is one miner without a miner column). */
export function submissionsOf(file: ScoresFile, key: SnapshotKey): { miner: string; rows: ScoresFileRow[] }[] {
  const byMiner = new Map<string, ScoresFileRow[]>();
  for (const r of rowsOf(file, key)) {
    const m = r.miner ?? file.path;
    let list = byMiner.get(m);
    if (!list) byMiner.set(m, (list = []));
    list.push(r);
  }
  return [...byMiner].map(([miner, rows]) => ({ miner, rows }));
}
