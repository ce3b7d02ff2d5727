/**
 * The raw tables the loaded files are merged into, and the book of loaded files.
 *
 * A raw table starts with its contract's required columns (typed for storage) and grows a
 * column whenever a file brings a new one; `_file_id` ties every row to the file it came from.
 */
import { ident, literal, rows, type Database } from '../db/database.ts';
import { CONTRACTS, type TableContract } from './contracts.ts';
import { STORAGE_TYPE } from './sql-types.ts';

export const LOADED_FILES = '_loaded_files';

export async function createRawTables(db: Database): Promise<void> {
  const ddl = CONTRACTS.map((c) => {
    const cols = c.columns.filter((col) => col.required).map((col) => `${ident(col.name)} ${STORAGE_TYPE[col.kind]}`);
    return `CREATE TABLE IF NOT EXISTS ${ident(c.raw)} (${[...cols, '_file_id INTEGER'].join(', ')});`;
  });
  await db.exec(
    [
      ...ddl,
      `CREATE SEQUENCE IF NOT EXISTS _loaded_files_seq START 1;`,
      `CREATE TABLE IF NOT EXISTS ${LOADED_FILES} (
        file_id INTEGER PRIMARY KEY DEFAULT nextval('_loaded_files_seq'),
        path VARCHAR NOT NULL,
        table_name VARCHAR NOT NULL,
        rows BIGINT NOT NULL,
        sha256 VARCHAR NOT NULL,
        network VARCHAR,
        processing_date DATE,
        window_days INTEGER,
        loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
      );`,
    ].join('\n'),
  );
}

/** A table's columns and their types, in table order (its DESCRIBE). */
export async function tableColumns(db: Database, table: string): Promise<Map<string, string>> {
  const described = rows<{ column_name: string; column_type: string }>(await db.query(`DESCRIBE ${ident(table)}`));
  return new Map(described.map((c) => [c.column_name, c.column_type]));
}

/** The raw table's columns and their types, in table order. */
export function rawColumns(db: Database, contract: TableContract): Promise<Map<string, string>> {
  return tableColumns(db, contract.raw);
}

/** Every raw table's columns and their types, in table order, in one query (rawColumns per table). */
export async function allRawColumns(db: Database): Promise<Map<string, Map<string, string>>> {
  const described = rows<{ table_name: string; column_name: string; data_type: string }>(
    await db.query(
      `SELECT table_name, column_name, data_type FROM duckdb_columns()
       WHERE database_name = current_database() AND schema_name = 'main' AND table_name IN (${CONTRACTS.map((c) => literal(c.raw)).join(', ')})
       ORDER BY table_name, column_index`,
    ),
  );
  const out = new Map<string, Map<string, string>>(CONTRACTS.map((c) => [c.raw, new Map()]));
  for (const c of described) out.get(c.table_name)?.set(c.column_name, c.data_type);
  return out;
}
