/**
 * The label columns and the label-events table, as data. Both dialects' DDL (DuckDB, applied
 * locally; ClickHouse, printed for the upstream database) is rendered from these definitions by
 * `ddl.ts`, so a column's type, default or comment is written exactly once.
 */
import { LABEL_SOURCE_TYPE, clickhouseLabelSourceEnum } from './label-sources.ts';

export interface ColumnSpec {
  readonly name: string;
  /** DuckDB type, without nullability. */
  readonly duckdb: string;
  /** ClickHouse type, without the `Nullable(...)` wrapper: nullability comes from `nullable`. */
  readonly clickhouse: string;
  readonly nullable: boolean;
  /** Default value as an SQL literal that both dialects accept. */
  readonly default?: string;
  readonly comment: string;
}

/** The table the SOT loader creates and the label columns are added to. */
export const ALERTS_TABLE = 'raw_alerts';

/**
 * The design's label columns on raw_alerts (sot-schema.md, "The label columns the design adds").
 * On raw_alerts they are all optional except `labeled_by`, which mirrors ClickHouse's
 * `String DEFAULT ''`: an alert without a label has `labeled_by = ''`, not NULL.
 */
export const LABEL_COLUMNS: readonly ColumnSpec[] = [
  {
    name: 'label',
    duckdb: 'TINYINT',
    clickhouse: 'Int8',
    nullable: true,
    comment: '1 = illicit (positive), 0 = licit',
  },
  {
    name: 'label_source',
    duckdb: LABEL_SOURCE_TYPE,
    clickhouse: clickhouseLabelSourceEnum(),
    nullable: true,
    comment: 'who set the label; precedence validated > community > miner > proxy',
  },
  {
    name: 'label_confidence',
    duckdb: 'FLOAT',
    clickhouse: 'Float32',
    nullable: true,
    comment: 'confidence of the labeller in the label, 0..1',
  },
  {
    name: 'labeled_at',
    duckdb: 'TIMESTAMP',
    clickhouse: 'DateTime',
    nullable: true,
    comment: 'when the label was set (UTC)',
  },
  {
    name: 'labeled_by',
    duckdb: 'VARCHAR',
    clickhouse: 'String',
    nullable: false,
    default: "''",
    comment: 'who set the label: rule name, miner hotkey, reviewer',
  },
];

function labelColumn(name: string): ColumnSpec {
  const col = LABEL_COLUMNS.find((c) => c.name === name);
  if (!col) throw new Error(`no label column named ${name}`);
  return col;
}

/** Append-only log of explicit labels; a later issue builds history and restore on it. */
export const LABEL_EVENTS_TABLE = 'label_events';

/** DuckDB sequence that numbers label events (ClickHouse has none: the writer supplies ids). */
export const LABEL_EVENTS_SEQUENCE = 'label_events_event_id_seq';

/** The identity column: DuckDB fills it from the sequence, ClickHouse expects it supplied. */
export const EVENT_ID_COLUMN: ColumnSpec = {
  name: 'event_id',
  duckdb: 'BIGINT',
  clickhouse: 'UInt64',
  nullable: false,
  comment: 'increasing id; breaks ties between otherwise equal labels (highest wins)',
};

/**
 * label_events columns. The label columns are reused with stricter nullability: an event always
 * says which label, from which source, when. An event targets one alert (alert_id) or every
 * alert of an address (address, with alert_id NULL); when both are set the event is
 * alert-scoped and `address` is informational.
 */
export const LABEL_EVENT_COLUMNS: readonly ColumnSpec[] = [
  EVENT_ID_COLUMN,
  {
    name: 'alert_id',
    duckdb: 'VARCHAR',
    clickhouse: 'String',
    nullable: true,
    comment: 'the labelled alert; NULL for an address-level label',
  },
  {
    name: 'address',
    duckdb: 'VARCHAR',
    clickhouse: 'String',
    nullable: true,
    comment: 'the labelled address; with alert_id NULL the label applies to all its alerts',
  },
  { ...labelColumn('label'), nullable: false },
  { ...labelColumn('label_source'), nullable: false },
  labelColumn('label_confidence'),
  { ...labelColumn('labeled_at'), nullable: false },
  labelColumn('labeled_by'),
  {
    name: 'note',
    duckdb: 'VARCHAR',
    clickhouse: 'String',
    nullable: true,
    comment: 'free text from the labeller',
  },
];

/**
 * Added by migration 003, after label_events was first shipped (so not in LABEL_EVENT_COLUMNS,
 * which migration 002 renders): the batch an event was appended in, so an import can be traced
 * back to its file and a restore to the event it repeats.
 */
export const LABEL_EVENT_BATCH_COLUMN: ColumnSpec = {
  name: 'batch_id',
  duckdb: 'VARCHAR',
  clickhouse: 'String',
  nullable: true,
  comment:
    "the import or action that appended the event ('import:FILE@TIME#ID', 'restore:...'); NULL when written directly",
};

/**
 * Added by migration 004: undo without deleting. An event with `retracts` set withdraws the
 * event it names (a mistaken key press taken back in the Review view). It repeats that event's
 * target, label and source, so the table's NOT NULL columns and checks hold and the log reads
 * plainly, but neither it nor the event it withdraws is a candidate label any more: whatever was
 * in effect before the withdrawn event is in effect again, down to "no label".
 */
export const LABEL_EVENT_RETRACTS_COLUMN: ColumnSpec = {
  name: 'retracts',
  duckdb: 'BIGINT',
  clickhouse: 'UInt64',
  nullable: true,
  comment:
    'the event_id this event withdraws (an undo); NULL for a label. Neither this event nor the withdrawn one counts as a label',
};

/**
 * SQL that is true for a label_events row that counts as a label: neither a retraction nor
 * withdrawn by one. Every reader of "the labels in force" filters with it; the log itself (its
 * export and its saved copy) keeps every event. Valid in both dialects.
 */
export function liveLabelEventSql(alias?: string): string {
  const col = (name: string) => (alias ? `${alias}.${name}` : name);
  const retracts = LABEL_EVENT_RETRACTS_COLUMN.name;
  return `(${col(retracts)} IS NULL AND ${col(EVENT_ID_COLUMN.name)} NOT IN (SELECT ${retracts} FROM ${LABEL_EVENTS_TABLE} WHERE ${retracts} IS NOT NULL))`;
}

export interface CheckSpec {
  /** Constraint name (ClickHouse requires one; DuckDB ignores names and shows the expression). */
  readonly name: string;
  /** Boolean SQL valid in both dialects. Written so NULL columns pass only where NULL is allowed. */
  readonly expr: string;
}

export const LABEL_EVENT_CHECKS: readonly CheckSpec[] = [
  { name: 'label_is_binary', expr: 'label IN (0, 1)' },
  {
    name: 'label_confidence_in_unit_range',
    expr: 'label_confidence IS NULL OR (label_confidence >= 0 AND label_confidence <= 1)',
  },
  { name: 'has_target', expr: 'alert_id IS NOT NULL OR address IS NOT NULL' },
  // An empty id would pass `has_target` yet match no alert: reject it instead of losing the label.
  { name: 'alert_id_not_empty', expr: "alert_id IS NULL OR alert_id != ''" },
  { name: 'address_not_empty', expr: "address IS NULL OR address != ''" },
];

export interface TableSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly checks: readonly CheckSpec[];
  /** DuckDB fills this primary-key column from `sequence`; ClickHouse has no sequences. */
  readonly identity: { readonly column: string; readonly sequence: string };
  /** ClickHouse MergeTree sorting key (ClickHouse only: DuckDB has no such clause). */
  readonly clickhouseOrderBy: string;
  readonly comment: string;
}

export const LABEL_EVENTS: TableSpec = {
  name: LABEL_EVENTS_TABLE,
  columns: LABEL_EVENT_COLUMNS,
  checks: LABEL_EVENT_CHECKS,
  identity: { column: EVENT_ID_COLUMN.name, sequence: LABEL_EVENTS_SEQUENCE },
  // Lookups are "events of this alert" and "address-level events of this address": alert-scoped
  // events sort by alert_id, and address-scoped ones (alert_id NULL, so '') form one run sorted
  // by address, so both are prefix scans. ifNull keeps the key non-Nullable, which MergeTree
  // requires unless allow_nullable_key is set.
  clickhouseOrderBy: "(ifNull(alert_id, ''), ifNull(address, ''), labeled_at, event_id)",
  comment: 'append-only label events (alert- or address-level) with provenance; never updated',
};
