/**
 * Applies the label migrations to a DuckDB database and records them in `_migrations`.
 *
 * Each pending migration runs in its own transaction together with the row that records it, so
 * a migration is either fully applied and recorded or not there at all: a failure rolls back
 * its partial DDL and the error names the migration. Already-recorded migrations are skipped,
 * which makes a second run a no-op.
 *
 * migrate() issues BEGIN/COMMIT on the connection it is given: run it before anything else
 * shares that connection, not concurrently with other queries.
 */
import { literal, rows, type Database } from '../db/database.ts';
import { createEffectiveLabelsView } from './effective-labels.ts';
import { ALERTS_TABLE } from './label-columns.ts';
import { MIGRATIONS, migrationId, type Migration } from './list.ts';

export const MIGRATIONS_TABLE = '_migrations';

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  /** When it was applied (UTC), as epoch milliseconds, the way DuckDB-WASM returns TIMESTAMP. */
  readonly appliedAt: number;
}

/** Raised when a migration fails; its partial effects have been rolled back. */
export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  version INTEGER PRIMARY KEY,
  name VARCHAR NOT NULL,
  applied_at TIMESTAMP NOT NULL
)`;

/**
 * Apply every migration not yet recorded, in version order, then (re)create the
 * effective_labels view. Returns the ids (`001_label_columns`) of the migrations applied now.
 * `migrations` is for tests; the app always uses the shipped list.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<{ applied: string[] }> {
  checkOrder(migrations);
  await requireAlertsTable(db);
  await db.exec(CREATE_MIGRATIONS_TABLE);
  const done = await appliedMigrations(db);
  checkRecorded(done, migrations);

  const doneVersions = new Set(done.map((m) => m.version));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (doneVersions.has(migration.version)) continue;
    await applyOne(db, migration);
    applied.push(migrationId(migration));
  }
  // The view is derived data, so it is re-created every run rather than versioned: it then
  // always matches this build's definition and raw_alerts' current column types.
  try {
    await createEffectiveLabelsView(db);
  } catch (cause) {
    throw new MigrationError('effective_labels', `creating the effective_labels view failed: ${message(cause)}`, {
      cause,
    });
  }
  return { applied };
}

/** The migrations recorded in this database, in version order (empty before the first run). */
export async function appliedMigrations(db: Database): Promise<AppliedMigration[]> {
  const exists = await db.query(tableExistsSql(MIGRATIONS_TABLE));
  if (Number(rows<{ n: number | bigint }>(exists)[0]?.n ?? 0) === 0) return [];
  const recorded = await db.query(`SELECT version, name, applied_at FROM ${MIGRATIONS_TABLE} ORDER BY version`);
  return rows<{ version: number; name: string; applied_at: number }>(recorded).map((r) => ({
    version: r.version,
    name: r.name,
    appliedAt: Number(r.applied_at),
  }));
}

/**
 * One migration and the row recording it, in one transaction. Its statements go to DuckDB in one
 * round trip: the app applies every migration on each start, on the first screen's path, where
 * four dozen trips to DuckDB's worker cost more than the statements. If that fails, the
 * migration is rolled back and run again a statement at a time, which names the one that fails.
 */
async function applyOne(db: Database, migration: Migration): Promise<void> {
  const statements = [...migration.statements('duckdb'), recordSql(migration)];
  try {
    await db.exec('BEGIN TRANSACTION');
    await db.exec(statements.map((sql) => `${sql};`).join('\n'));
    await db.exec('COMMIT');
    return;
  } catch {
    await rollbackQuietly(db);
  }
  await applyOneByOne(db, migration, statements);
}

async function applyOneByOne(db: Database, migration: Migration, statements: readonly string[]): Promise<void> {
  const id = migrationId(migration);
  let statement = 'BEGIN TRANSACTION';
  try {
    await db.exec(statement);
    for (statement of statements) await db.exec(statement);
    statement = 'COMMIT';
    await db.exec(statement);
  } catch (cause) {
    await rollbackQuietly(db);
    throw new MigrationError(
      id,
      `migration ${id} failed, nothing of it was applied: ${message(cause)}\n  in: ${brief(statement)}`,
      {
        cause,
      },
    );
  }
}

/**
 * The row that records `migration`. Quoted literals rather than parameters, so it joins the
 * migration's one round trip; applied_at is written in JS so that it is UTC whatever DuckDB's
 * time-zone setting (the WASM build has no ICU time zones), and DuckDB reads the trailing Z.
 */
function recordSql(migration: Migration): string {
  return `INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (${Number(migration.version)}, ${literal(migration.name)}, ${literal(new Date().toISOString())}::TIMESTAMP)`;
}

/** Roll back if a transaction is still open; DuckDB may already have aborted it. */
async function rollbackQuietly(db: Database): Promise<void> {
  try {
    await db.exec('ROLLBACK');
  } catch {
    // "no transaction is active": the failure happened before BEGIN or DuckDB ended it itself.
  }
}

async function requireAlertsTable(db: Database): Promise<void> {
  const found = await db.query(tableExistsSql(ALERTS_TABLE));
  if (Number(rows<{ n: number | bigint }>(found)[0]?.n ?? 0) === 0) {
    throw new MigrationError(
      'preconditions',
      `the label migrations need the ${ALERTS_TABLE} table: load a snapshot before running them`,
    );
  }
}

/** A list that is out of order or repeats a version is a programming error: refuse it. */
function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const prev = migrations[i - 1];
    if (prev && m.version <= prev.version) {
      throw new Error(`migration list out of order: ${migrationId(m)} comes after ${migrationId(prev)}`);
    }
  });
}

/**
 * Every recorded migration must be one this build knows under the same name. Otherwise the
 * database was migrated by another (newer or diverging) build, and applying the rest of this
 * list on top of an unknown schema could corrupt it.
 */
function checkRecorded(done: readonly AppliedMigration[], migrations: readonly Migration[]): void {
  for (const rec of done) {
    const known = migrations.find((m) => m.version === rec.version);
    if (!known) {
      throw new MigrationError(
        migrationId(rec),
        `the database records migration ${migrationId(rec)}, which this build does not know (migrated by a newer version?)`,
      );
    }
    if (known.name !== rec.name) {
      throw new MigrationError(
        migrationId(rec),
        `the database records migration ${migrationId(rec)} where this build has ${migrationId(known)}`,
      );
    }
  }
}

/** Whether `table` exists, as a count: a literal, not a parameter (one round trip, not three). */
function tableExistsSql(table: string): string {
  return `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ${literal(table)} AND schema_name = current_schema()`;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function brief(sql: string): string {
  const oneLine = sql.replace(/\s+/g, ' ').trim();
  return oneLine.length > 160 ? `${oneLine.slice(0, 157)}...` : oneLine;
}
