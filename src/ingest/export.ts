/**
 * Labels out as Parquet, in the label schema of the migrations (label Int8, label_source as
 * text, label_confidence Float32, labeled_at TIMESTAMP, labeled_by), keyed like the community
 * example set (alert_id, address, processing_date), so an export can be imported again here,
 * shared, or loaded into ClickHouse.
 *
 * - events:    every label event in force, with its provenance (event_id, note, batch_id), for
 *              archiving and moving a label history between machines. Labels taken back
 *              (retract.ts) and their retractions are left out: an importer reads each row as
 *              a label, so importing the file elsewhere would bring a withdrawn label back.
 *              (The saved event log, event-log.ts, keeps them.)
 * - effective: the winning label of each labelled alert row (what training sees), with the
 *              scope it came from; proxy labels only when asked for, since they are derived.
 *
 * label_source leaves as text rather than DuckDB's ENUM (an Arrow dictionary): every Parquet
 * reader understands text, and the importer maps it back.
 */
import type { Table } from 'apache-arrow';
import type { Database } from '../db/database.ts';
import { tableToParquet, type Runtime } from '../db/runtime.ts';
import { ALERTS_TABLE, EFFECTIVE_LABELS_VIEW, LABEL_EVENTS_TABLE, liveLabelEventSql } from '../migrations/index.ts';

export type LabelExportKind = 'events' | 'effective';

export interface LabelExportOptions {
  /** effective only: include rows whose winning label is the proxy rule's (default false). */
  includeProxy?: boolean;
}

/** processing_date of an alert id (unique per snapshot date in the SOT), for alert-level events. */
const ALERT_DATES = `(SELECT alert_id, min(processing_date) AS processing_date FROM ${ALERTS_TABLE} GROUP BY alert_id)`;

export function labelEventsTable(db: Database): Promise<Table> {
  return db.query(
    `SELECT e.event_id, e.alert_id, e.address, d.processing_date,
       e.label, CAST(e.label_source AS VARCHAR) AS label_source, e.label_confidence, e.labeled_at, e.labeled_by,
       e.note, e.batch_id
     FROM ${LABEL_EVENTS_TABLE} AS e LEFT JOIN ${ALERT_DATES} AS d ON d.alert_id = e.alert_id
     WHERE ${liveLabelEventSql('e')}
     ORDER BY e.event_id`,
  );
}

export function effectiveLabelsTable(db: Database, opts: LabelExportOptions = {}): Promise<Table> {
  return db.query(
    `SELECT alert_id, address, processing_date, window_days,
       label, CAST(label_source AS VARCHAR) AS label_source, label_confidence, labeled_at, labeled_by, label_scope
     FROM ${EFFECTIVE_LABELS_VIEW}
     WHERE label IS NOT NULL AND (? OR label_source <> 'proxy')
     ORDER BY processing_date, alert_id, window_days`,
    [opts.includeProxy ?? false],
  );
}

/** The labels of `kind` as snappy Parquet bytes. */
export async function exportLabels(
  rt: Runtime,
  kind: LabelExportKind,
  opts: LabelExportOptions = {},
): Promise<Uint8Array> {
  const table = kind === 'events' ? await labelEventsTable(rt.db) : await effectiveLabelsTable(rt.db, opts);
  return tableToParquet(rt.parquet, table);
}
