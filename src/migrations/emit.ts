/**
 * The migrations as SQL scripts, for `lab migrations --dialect duckdb|clickhouse`: a reviewer
 * reads exactly what the runner applies locally, and an operator gets the same change for the
 * upstream ClickHouse. Both scripts come from the same migration list and column data.
 *
 * The ClickHouse script is idempotent on its own (IF NOT EXISTS, OR REPLACE): ClickHouse keeps
 * no `_migrations` record of ours, so it must be safe to run again. The DuckDB script is the
 * runner's statements verbatim; it relies on the runner's `_migrations` bookkeeping for reruns.
 */
import type { Dialect } from './ddl.ts';
import { effectiveLabelsViewSql } from './effective-labels.ts';
import { MIGRATIONS, migrationId, type Migration } from './list.ts';

export function migrationsAsScript(dialect: Dialect, migrations: readonly Migration[] = MIGRATIONS): string {
  const header = [
    `-- Label Lab label migrations, ${dialect === 'clickhouse' ? 'ClickHouse' : 'DuckDB'} dialect.`,
    '-- Generated from src/migrations; do not edit by hand.',
  ];
  const sections = migrations.map((m) =>
    [`-- ${migrationId(m)}: ${m.description}`, ...m.statements(dialect).map((s) => `${s};`)].join('\n'),
  );
  const view = [
    '-- effective_labels: every alert with its winning label (re-created on every run)',
    `${effectiveLabelsViewSql(dialect)};`,
  ].join('\n');
  return `${[header.join('\n'), ...sections, view].join('\n\n')}\n`;
}

export function migrationsAsClickHouse(): string {
  return migrationsAsScript('clickhouse');
}

export function migrationsAsDuckDB(): string {
  return migrationsAsScript('duckdb');
}
