/**
 * A labels file (CSV, Parquet, Arrow IPC or JSON) into a staging table, untouched: mapping and
 * checks run on the staged columns afterwards, in SQL. CSV, Parquet and Arrow go through the
 * loader's own `stageFile`, so a labels file is read exactly as an SOT file would be; JSON is
 * parsed in TypeScript (json.ts).
 *
 * Row numbers in every later message are the staging table's rowid + 1: the record's position
 * in the file, counted from 1 (a CSV header is not a record). A file column named `rowid` would
 * hide that, so stageFile stages it under another name (its `renamed`), which the mapping shows.
 *
 * A CSV is staged as text, every column: its cells are what the file wrote, and the mapping
 * reads each field from text (normalise.ts), so no sniffed type can turn '2' into '2.0'.
 *
 * A file with no rows is refused here, with its reason: there is nothing to map or import.
 */
import { rows, ident, type Database } from '../db/database.ts';
import type { Runtime } from '../db/runtime.ts';
import { baseName, type FileFormat, type SourceFile } from '../sot/files.ts';
import { LoadError } from '../sot/problems.ts';
import { stageFile } from '../sot/stage.ts';
import { jsonRecordsToIPC, parseJsonRecords } from './json.ts';

export type LabelFileFormat = FileFormat | 'json';

const EXTENSIONS: Record<string, LabelFileFormat> = {
  csv: 'csv',
  parquet: 'parquet',
  arrow: 'arrow',
  arrows: 'arrow',
  feather: 'arrow',
  ipc: 'arrow',
  json: 'json',
  jsonl: 'json',
  ndjson: 'json',
};

/** The format a labels file's extension names, or undefined for an extension we cannot read. */
export function labelFileFormat(path: string): LabelFileFormat | undefined {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[name.slice(dot + 1).toLowerCase()];
}

export interface StagedLabels {
  format: LabelFileFormat;
  /** The file's columns and their DuckDB types, in file order. */
  columns: Map<string, string>;
  rows: number;
}

/** Read `file` into table `stage`. Throws LoadError, naming the file, when it cannot be read. */
export async function stageLabelsFile(rt: Runtime, stage: string, file: SourceFile): Promise<StagedLabels> {
  const format = labelFileFormat(file.path);
  if (!format) {
    throw new LoadError(
      file.path,
      `${file.path}: not a labels file we can read (expected .csv, .parquet, .arrow/.feather, .json or .jsonl)`,
    );
  }
  const bytes = await file.read();
  if (format === 'json') {
    const text = new TextDecoder().decode(bytes);
    await rt.db.insertIPC(stage, jsonRecordsToIPC(parseJsonRecords(text, file.path), file.path), { create: true });
  } else {
    await stageFile(rt, stage, file.path, format, bytes, { csvAsText: true });
  }
  const columns = await describe(rt.db, stage);
  const count = Number(rows<{ n: number }>(await rt.db.query(`SELECT count(*) AS n FROM ${ident(stage)}`))[0]!.n);
  if (count === 0) {
    const what = format === 'csv' ? 'it has a header but no rows' : 'it has no rows';
    throw new LoadError(file.path, `${file.path}: refused, ${what}: there are no labels to import`);
  }
  return { format, columns, rows: count };
}

async function describe(db: Database, table: string): Promise<Map<string, string>> {
  const described = rows<{ column_name: string; column_type: string }>(await db.query(`DESCRIBE ${ident(table)}`));
  return new Map(described.map((c) => [c.column_name, c.column_type]));
}
