/**
 * The versioned label migrations, in the order they apply. Versions only ever grow: a database
 * records the versions it has applied, so an entry must never be edited or removed once shipped;
 * change the schema with a new entry instead.
 *
 * Each migration renders its statements for either dialect from the column data, so the DuckDB
 * the runner applies and the ClickHouse the CLI prints cannot drift apart. The effective-labels
 * view is not in this list: it is derived, so `migrate()` re-creates it on every run (see
 * runner.ts), the way views are "repeatable" migrations elsewhere.
 */
import { addColumnsSql, createTableSql, type Dialect } from './ddl.ts';
import {
  ALERTS_TABLE,
  LABEL_COLUMNS,
  LABEL_EVENTS,
  LABEL_EVENTS_TABLE,
  LABEL_EVENT_BATCH_COLUMN,
  LABEL_EVENT_RETRACTS_COLUMN,
} from './label-columns.ts';
import { LABEL_SOURCE_TYPE, duckdbLabelSourceEnum } from './label-sources.ts';

export interface Migration {
  /** Position in the order of application; recorded in `_migrations`. */
  readonly version: number;
  /** snake_case name, recorded beside the version and checked on every run. */
  readonly name: string;
  /** One line on what the migration does, printed above its statements. */
  readonly description: string;
  /** The statements, without trailing semicolons, run in order inside one transaction. */
  statements(dialect: Dialect): string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'label_columns',
    description: `add the design's label columns to ${ALERTS_TABLE}`,
    statements: (dialect) => [
      // ClickHouse spells the enum inline in the column type; DuckDB needs a named type first.
      ...(dialect === 'duckdb' ? [`CREATE TYPE ${LABEL_SOURCE_TYPE} AS ${duckdbLabelSourceEnum()}`] : []),
      ...addColumnsSql(dialect, ALERTS_TABLE, LABEL_COLUMNS),
    ],
  },
  {
    version: 2,
    name: 'label_events',
    description: 'create the append-only table of explicit alert- and address-level labels',
    statements: (dialect) => createTableSql(dialect, LABEL_EVENTS),
  },
  {
    version: 3,
    name: 'label_event_batches',
    description: 'record on each label event the import or action (batch) that appended it',
    statements: (dialect) => addColumnsSql(dialect, LABEL_EVENTS_TABLE, [LABEL_EVENT_BATCH_COLUMN]),
  },
  {
    version: 4,
    name: 'label_event_retractions',
    description: 'let an event withdraw an earlier one (undo), so label_events stays append-only',
    statements: (dialect) => addColumnsSql(dialect, LABEL_EVENTS_TABLE, [LABEL_EVENT_RETRACTS_COLUMN]),
  },
];

/** `001_label_columns`: how a migration is named in results, errors and printed scripts. */
export function migrationId(migration: Pick<Migration, 'version' | 'name'>): string {
  return `${String(migration.version).padStart(3, '0')}_${migration.name}`;
}
