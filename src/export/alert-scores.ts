/**
 * Scores in the shape of the miner template's alert_scores table:
 *   processing_date Date, network String, alert_id String, score Float64, model_version String,
 *   latency_ms Float64, explain_json String, created_at DateTime
 * one row per alert and processing date (an alert's 7- and 30-day windows share its id: its score
 * is the higher of the two, as on the board), then raw_score when given: `score` is what a miner
 * submits (the calibrated probability), raw_score the strategy's own score it was mapped from.
 * The scores travel into DuckDB as Arrow IPC and the
 * table comes out as Parquet through the runtime's codec, so this runs in Node and the browser.
 */
import { tableFromArrays, tableToIPC, type Table } from 'apache-arrow';
import { ident, rows, type Database } from '../db/database.ts';
import { tableToParquet, type Runtime } from '../db/runtime.ts';
import { ROWS_TABLE } from '../features/rows.ts';

const SCORES_TABLE = '_ml_scores';

export interface AlertScoresOptions {
  modelVersion: string;
  /** Scoring time per alert, in milliseconds. */
  latencyMs: number;
  /** Matrix rows to export (e.g. the held-out rows); default every row. */
  rows?: Int32Array;
  createdAt?: Date;
  /** The strategy's scores before calibration (one per matrix row), written as raw_score after the template's columns. */
  rawScores?: ArrayLike<number>;
}

/** The alert_scores rows for `scores` (one per matrix row), ordered like the template's sort key. */
export async function alertScoresTable(
  db: Database,
  scores: ArrayLike<number>,
  opts: AlertScoresOptions,
): Promise<Table> {
  const picked = opts.rows ?? Int32Array.from({ length: scores.length }, (_, i) => i);
  const raw = opts.rawScores;
  const ipc = tableToIPC(
    tableFromArrays({
      row_idx: picked,
      score: Float64Array.from(picked, (r) => scores[r]!),
      ...(raw && { raw_score: Float64Array.from(picked, (r) => raw[r]!) }),
    }),
    'stream',
  );
  await db.exec(`DROP TABLE IF EXISTS ${SCORES_TABLE}`);
  await db.insertIPC(SCORES_TABLE, ipc, { create: true });
  try {
    // Older exports carry the network per alert; otherwise the loaded file's snapshot names it.
    const rawColumns = rows<{ column_name: string }>(await db.query(`DESCRIBE raw_alerts`)).map((c) => c.column_name);
    const network = rawColumns.includes('network')
      ? `coalesce(NULLIF(ra.${ident('network')}, ''), lf.network, '')`
      : `coalesce(lf.network, '')`;
    return await db.query(
      `SELECT r.processing_date, any_value(${network}) AS network, r.alert_id,
  CAST(max(s.score) AS DOUBLE) AS score, CAST(? AS VARCHAR) AS model_version, CAST(? AS DOUBLE) AS latency_ms,
  '' AS explain_json, CAST(CAST(? AS TIMESTAMPTZ) AS TIMESTAMP) AS created_at${raw ? ', CAST(max(s.raw_score) AS DOUBLE) AS raw_score' : ''}
FROM ${SCORES_TABLE} AS s
JOIN ${ROWS_TABLE} AS r ON r.row_idx = s.row_idx
LEFT JOIN raw_alerts AS ra ON ra.alert_id = r.alert_id AND ra.window_days = r.window_days AND ra.processing_date = r.processing_date
LEFT JOIN _loaded_files AS lf ON lf.file_id = ra._file_id
GROUP BY r.processing_date, r.alert_id
ORDER BY r.processing_date, network, r.alert_id`,
      [opts.modelVersion, opts.latencyMs, (opts.createdAt ?? new Date()).toISOString()],
    );
  } finally {
    await db.exec(`DROP TABLE IF EXISTS ${SCORES_TABLE}`);
  }
}

export async function alertScoresParquet(
  rt: Runtime,
  scores: ArrayLike<number>,
  opts: AlertScoresOptions,
): Promise<Uint8Array> {
  const table = await alertScoresTable(rt.db, scores, opts);
  return tableToParquet(rt.parquet, table);
}
