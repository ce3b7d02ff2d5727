/**
 * Labels written as JSON (an array of objects) or JSON lines (one object per line), turned into
 * an Arrow IPC stream for DuckDB.
 *
 * Parsed here rather than by DuckDB's read_json: that is an extension, and extensions cannot be
 * fetched offline (db/session.ts turns autoloading off). Each column gets one Arrow type from
 * all its values: integers -> Int64 (so an id 123 stays '123', not '123.0'), other numbers ->
 * Float64, booleans -> Bool, anything else or a mix -> text (objects as their JSON), so a
 * column that is 1 in one record and "illicit" in the next keeps both spellings for the mapping.
 */
import { Bool, Float64, Int64, Table, Utf8, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { LoadError } from '../sot/problems.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Parse `text` into records; errors name the file and the record (or line) at fault. */
export function parseJsonRecords(text: string, fileName: string): JsonObject[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new LoadError(fileName, `${fileName}: the file is empty`);
  if (trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      throw new LoadError(fileName, `${fileName}: cannot read it as JSON (${(e as Error).message})`);
    }
    const list = value as unknown[];
    list.forEach((r, i) => requireObject(r, fileName, `record ${i + 1}`));
    return list as JsonObject[];
  }
  const records: JsonObject[] = [];
  trimmed.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new LoadError(
        fileName,
        `${fileName}: line ${i + 1} is not JSON (${(e as Error).message}); expected an array of objects or one object per line`,
      );
    }
    requireObject(value, fileName, `line ${i + 1}`);
    records.push(value as JsonObject);
  });
  return records;
}

function requireObject(value: unknown, fileName: string, where: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LoadError(
      fileName,
      `${fileName}: ${where} is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, expected an object of column: value`,
    );
  }
}

/** Records as an Arrow IPC stream with the union of their keys as columns, in first-seen order. */
export function jsonRecordsToIPC(records: readonly JsonObject[], fileName: string): Uint8Array {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    for (const k of Object.keys(r)) {
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
    }
  }
  if (records.length === 0 || names.length === 0)
    throw new LoadError(fileName, `${fileName}: the file has no records with columns`);
  // No prototype: a column named __proto__ (or toString) is a column like any other.
  const columns: Record<string, Vector> = Object.create(null) as Record<string, Vector>;
  for (const name of names) {
    try {
      columns[name] = columnVector(records.map((r) => (Object.hasOwn(r, name) ? (r[name] ?? null) : null)));
    } catch (e) {
      // JSON.parse reads any depth, but turning a deep value back into text overflows the stack.
      if (!(e instanceof RangeError && /call stack/i.test(e.message))) throw e;
      throw new LoadError(fileName, `${fileName}: column ${name} holds a value nested too deeply to read`, name);
    }
  }
  return tableToIPC(new Table(columns), 'stream');
}

function columnVector(values: Json[]): Vector {
  const present = values.filter((v) => v !== null);
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) {
    return vectorFromArray(values as (boolean | null)[], new Bool());
  }
  if (present.length > 0 && present.every((v) => typeof v === 'number')) {
    if (present.every((v) => Number.isSafeInteger(v))) {
      return vectorFromArray(
        values.map((v) => (v === null ? null : BigInt(v as number))),
        new Int64(),
      );
    }
    return vectorFromArray(values as (number | null)[], new Float64());
  }
  return vectorFromArray(
    values.map((v) =>
      v === null ? null : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v),
    ),
    new Utf8(),
  );
}
