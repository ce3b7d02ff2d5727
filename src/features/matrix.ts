/**
 * The feature matrix: Arrow columns from DuckDB turned into one row-major Float32Array (the layout
 * tensors and the isolation forest read), with NULL as NaN. The copy goes column by column
 * straight from each Arrow chunk's value buffer and validity bitmap; no JS object is built per
 * row, so 100k alerts by 150 features convert in a few tens of milliseconds.
 */
import type { Data, Table, Vector } from 'apache-arrow';
import { rows as tableRows, type Database } from '../db/database.ts';
import { discover, type DiscoverOptions } from './discover.ts';
import { finalise, type CandidateStats, type FeatureSpec, type SkippedColumn } from './encode.ts';
import {
  featurePlan,
  matrixQuery,
  rowInfoSql,
  rowsTableSql,
  sideAlias,
  SIDE_COLUMNS,
  statsQuery,
  type SideName,
} from './feature-sql.ts';

export interface RowInfo {
  /** Processing date as days since 1970-01-01. */
  day: Int32Array;
  /** One id per alert_id: rows of a group never straddle train and test. */
  group: Int32Array;
  /** One id per (alert_id, processing_date): the unit evaluated and exported. */
  unit: Int32Array;
  units: number;
  /** One id per address. */
  address: Int32Array;
}

export interface FeatureMatrix {
  /** rows x columns, row-major; NaN where the SQL gave NULL. */
  x: Float32Array;
  rows: number;
  columns: number;
  features: FeatureSpec[];
  /** Per-row values that are not features (see feature-sql.ts). */
  side: Record<SideName, Float32Array>;
  rowInfo: RowInfo;
  /** Columns left out, with the reason, for the UI and the run bundle. */
  skipped: SkippedColumn[];
}

/** Build the rows table and the matrix over whatever is loaded. */
export async function buildFeatureMatrix(db: Database, opts: DiscoverOptions = {}): Promise<FeatureMatrix> {
  await db.exec(rowsTableSql());
  const discovery = await discover(db, opts);
  const plan = featurePlan(discovery);
  for (const statement of plan.prepare) await db.exec(statement);
  const sq = statsQuery(plan);
  const stats = await db.query(sq.sql, sq.params);
  const n = Number(tableRows<{ rows: number }>(stats)[0]!.rows);
  const candidateStats = plan.candidates.map((_, i): CandidateStats => {
    const num = (name: string) => {
      const v = stats.getChild(name)?.get(0) as number | bigint | null | undefined;
      return v === null || v === undefined ? null : Number(v);
    };
    return { min: num(`min_${i}`), max: num(`max_${i}`), present: num(`n_${i}`) ?? 0 };
  });
  const { features, skipped } = finalise(plan.candidates, candidateStats, n);
  if (features.length === 0) throw new Error('no usable feature columns in the loaded data');
  const q = matrixQuery(plan, features);
  const table = await db.query(q.sql, q.params);
  const x = columnsToRowMajor(
    table,
    features.map((_, i) => `f${i}`),
  );
  const side = {} as Record<SideName, Float32Array>;
  for (const name of Object.keys(SIDE_COLUMNS) as SideName[])
    side[name] = columnToFloat32(table.getChild(sideAlias(name))!);
  const info = await db.query(rowInfoSql());
  const unit = info.getChild('unit_idx')!.toArray() as Int32Array;
  let units = 0;
  for (let i = 0; i < unit.length; i++) units = Math.max(units, unit[i]! + 1);
  return {
    x,
    rows: table.numRows,
    columns: features.length,
    features,
    side,
    rowInfo: {
      day: info.getChild('day')!.toArray() as Int32Array,
      group: info.getChild('group_idx')!.toArray() as Int32Array,
      unit,
      units,
      address: info.getChild('address_idx')!.toArray() as Int32Array,
    },
    skipped: [...plan.skipped, ...skipped],
  };
}

/** Named numeric columns of `table` as one row-major matrix, NULL as NaN. */
export function columnsToRowMajor(table: Table, names: string[]): Float32Array {
  const columns = names.length;
  const out = new Float32Array(table.numRows * columns);
  names.forEach((name, j) => {
    const vector = table.getChild(name);
    if (!vector) throw new Error(`no column ${name} in the result`);
    let row = 0;
    for (const chunk of vector.data) {
      copyChunk(chunk, (i, v) => (out[(row + i) * columns + j] = v));
      row += chunk.length;
    }
  });
  return out;
}

/** One numeric column as a Float32Array, NULL as NaN. */
export function columnToFloat32(vector: Vector): Float32Array {
  const out = new Float32Array(vector.length);
  let row = 0;
  for (const chunk of vector.data) {
    copyChunk(chunk, (i, v) => (out[row + i] = v));
    row += chunk.length;
  }
  return out;
}

/**
 * Visit every value of a numeric Arrow chunk. The value buffer is already sliced to the chunk;
 * the validity bitmap is not (its bits start at `offset`).
 */
function copyChunk(chunk: Data, put: (i: number, v: number) => void): void {
  const values = chunk.values as ArrayLike<number | bigint>;
  const bitmap = chunk.nullCount > 0 ? chunk.nullBitmap : undefined;
  const offset = chunk.offset;
  for (let i = 0; i < chunk.length; i++) {
    if (bitmap && ((bitmap[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) === 0) put(i, NaN);
    else put(i, Number(values[i]));
  }
}

/** A new row-major matrix holding only the columns `keep` (in that order). */
export function selectColumns(x: Float32Array, rows: number, columns: number, keep: readonly number[]): Float32Array {
  const width = keep.length;
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const from = r * columns;
    const to = r * width;
    for (let j = 0; j < width; j++) out[to + j] = x[from + keep[j]!]!;
  }
  return out;
}
