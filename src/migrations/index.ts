/**
 * Public API of the label migrations: the runner, the effective-labels view, the emitted
 * scripts, and the data later modules (proxy labels, ingestion) build on.
 */
export { migrate, appliedMigrations, MigrationError, MIGRATIONS_TABLE, type AppliedMigration } from './runner.ts';
export { MIGRATIONS, migrationId, type Migration } from './list.ts';
export {
  createEffectiveLabelsView,
  effectiveLabelsQuery,
  effectiveLabelsViewSql,
  EFFECTIVE_LABELS_VIEW,
  LABEL_SCOPES,
  type LabelScope,
} from './effective-labels.ts';
export { migrationsAsClickHouse, migrationsAsDuckDB, migrationsAsScript } from './emit.ts';
export { LABEL_SOURCES, LABEL_SOURCE_TYPE, labelSourceRank, type LabelSource } from './label-sources.ts';
export {
  ALERTS_TABLE,
  LABEL_COLUMNS,
  LABEL_EVENTS,
  LABEL_EVENTS_TABLE,
  LABEL_EVENT_COLUMNS,
  LABEL_EVENT_BATCH_COLUMN,
  LABEL_EVENT_RETRACTS_COLUMN,
  liveLabelEventSql,
  LABEL_EVENTS_SEQUENCE,
  type ColumnSpec,
  type CheckSpec,
  type TableSpec,
} from './label-columns.ts';
export type { Dialect } from './ddl.ts';
