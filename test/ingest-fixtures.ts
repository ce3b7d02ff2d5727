/**
 * Shared setup for the label-ingestion and label-quality tests: a lab with 20 hand-made alerts
 * (alert-0 .. alert-19 on addresses addr-0 .. addr-6, alert i on addr-(i % 7), one snapshot,
 * window 7) loaded through the real loader, and helpers to import a labels file and read back
 * what was written.
 */
import { rows } from '../src/db/database.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { prepareLabelImport, type ImportOptions, type PreparedImport } from '../src/ingest/index.ts';
import { Lab } from '../src/sot/lab.ts';
import { alertsSql, memFile, parquetOf, resetDatabase } from './fixtures/files.ts';

/** A fresh lab holding `alertsSql(opts)` (and ground truth when given as SQL). */
export async function alertsLab(rt: Runtime, opts: { truthSql?: string; window?: number } = {}): Promise<Lab> {
  await resetDatabase(rt);
  const lab = await Lab.open(rt);
  const files = [memFile('alerts.parquet', await parquetOf(rt, alertsSql({ window: opts.window ?? 7 })))];
  if (opts.truthSql) files.push(memFile('ground_truth.parquet', await parquetOf(rt, opts.truthSql)));
  const report = await lab.load(files);
  const errors = report.problems.filter((p) => p.level === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  return lab;
}

/** Prepare an import of `content` under the file name `name`, at a fixed "now". */
export function prepare(
  rt: Runtime,
  name: string,
  content: Uint8Array | string,
  opts: ImportOptions = {},
): Promise<PreparedImport> {
  return prepareLabelImport(rt, memFile(name, content), { now: new Date('2026-03-01T00:00:00Z'), ...opts });
}

export interface StoredEvent {
  event_id: number;
  alert_id: string | null;
  address: string | null;
  label: number;
  label_source: string;
  label_confidence: number | null;
  labeled_at: string;
  labeled_by: string | null;
  note: string | null;
  batch_id: string | null;
}

/** label_events in id order, timestamps as ISO text, confidences rounded back from FLOAT. */
export async function storedEvents(rt: Runtime): Promise<StoredEvent[]> {
  return rows<StoredEvent>(
    await rt.db.query(
      `SELECT event_id, alert_id, address, label, CAST(label_source AS VARCHAR) AS label_source,
         round(CAST(label_confidence AS DOUBLE), 6) AS label_confidence, strftime(labeled_at, '%Y-%m-%dT%H:%M:%S') AS labeled_at,
         labeled_by, note, batch_id
       FROM label_events ORDER BY event_id`,
    ),
  );
}

/** effective_labels as comparable rows. */
export async function effective(rt: Runtime): Promise<Record<string, unknown>[]> {
  return rows(
    await rt.db.query(
      `SELECT alert_id, window_days, label, CAST(label_source AS VARCHAR) AS label_source, round(CAST(label_confidence AS DOUBLE), 6) AS label_confidence,
         strftime(labeled_at, '%Y-%m-%dT%H:%M:%S') AS labeled_at, labeled_by, label_scope, candidate_count
       FROM effective_labels ORDER BY alert_id, window_days`,
    ),
  );
}

export const codes = (p: PreparedImport) => p.report.issues.map((i) => `${i.level}:${i.code}`);
