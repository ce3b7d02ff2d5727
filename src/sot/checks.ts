/**
 * Check a staged file against its table's contract, before it is merged.
 *
 * The checks run as a few aggregate queries over the staging table, so a 1M-row file costs a
 * couple of scans, not a JS loop. Every message names the file and the column, says what was
 * expected and what was found, and gives the first offending row (1-based, in file order).
 */
import { ident, literal, rows, type Database } from '../db/database.ts';
import { WINDOW_DAYS, type ColumnSpec, type TableContract } from './contracts.ts';
import type { FileFormat } from './files.ts';
import type { Problem } from './problems.ts';
import type { StagedFile } from './stage.ts';
import { accepts, isInteger, isNumeric, isTemporal, KIND_WORDS, STORAGE_TYPE, widenedType } from './sql-types.ts';

/** How one staged column becomes a raw-table column. */
export interface ColumnPlan {
  name: string;
  /** SQL over the staging table giving the stored value (NULL where it cannot convert). */
  expr: string;
  /** Whether `expr` can turn a non-NULL value into NULL (text dates, narrowing casts): checked. */
  mayFail: boolean;
  storageType: string;
  spec?: ColumnSpec;
}

export interface CheckResult {
  problems: Problem[];
  plan: ColumnPlan[];
  rows: number;
  /** The one snapshot every row names, where step 4 checked them against the expected place. */
  at?: { processingDate: string; windowDays: number };
}

/** A staged column under the name the file gives it: its DuckDB type and the staging column holding it. */
interface StagedColumn {
  type: string;
  source: string;
}
type StagedColumns = Map<string, StagedColumn>;

/** The loader's own column in every raw table (schema.ts): a file may not bring one. */
const BOOKKEEPING = '_file_id';

/** Where a file's rows must say they belong: its snapshot folder, or its META.json. */
export interface ExpectedPlace {
  processingDate: string;
  windowDays: number;
  /** Says where the expectation comes from: "its folder snapshots/torus/2025-10-06/7". */
  from: string;
}

export interface CheckOptions {
  /** Staging columns renamed by stageFile, and the file's own names (stage.ts). */
  staged?: StagedFile;
  place?: ExpectedPlace;
  format?: FileFormat;
}

export async function stagedColumns(
  db: Database,
  stage: string,
  renamed = new Map<string, string>(),
): Promise<StagedColumns> {
  return describedColumns(
    rows<{ column_name: string; column_type: string }>(await db.query(`DESCRIBE ${ident(stage)}`)),
    renamed,
  );
}

/** The staged columns from a DESCRIBE of the staging table, under the names the file gives them. */
function describedColumns(
  described: readonly { column_name: string; column_type: string }[],
  renamed = new Map<string, string>(),
): StagedColumns {
  return new Map(
    described.map((c) => [renamed.get(c.column_name) ?? c.column_name, { type: c.column_type, source: c.column_name }]),
  );
}

/**
 * Check `stage` (a file already decoded into DuckDB) against `contract`.
 * `existing` holds the raw table's current column types, so a later file that cannot merge into
 * what is loaded is refused here rather than half-way through the merge.
 */
export async function checkStaged(
  db: Database,
  stage: string,
  file: string,
  contract: TableContract,
  existing: Map<string, string>,
  opts: CheckOptions = {},
): Promise<CheckResult> {
  const staged = opts.staged?.columns
    ? describedColumns(opts.staged.columns, opts.staged.renamed)
    : await stagedColumns(db, stage, opts.staged?.renamed);
  const problems: Problem[] = [];
  const error = (message: string, column?: string) => problems.push({ level: 'error', file, column, message });
  const warn = (message: string, column?: string) => problems.push({ level: 'warning', file, column, message });
  const name = fileLabel(file);
  // Counted on its own only when a check below stops early; otherwise the one query of step 2 counts.
  const countRows = async () =>
    Number((await db.query(`SELECT count(*) AS n FROM ${ident(stage)}`)).getChildAt(0)?.get(0) ?? 0);

  // 0. Names: stored names are lowercased, so two columns differing only in case would merge
  // into one (DuckDB stages the second as SEVERITY_1, and it would be kept as a stray column).
  const byLower = new Map<string, string[]>();
  for (const c of opts.staged?.fileColumns ?? [...staged.keys()]) {
    byLower.set(c.toLowerCase(), [...(byLower.get(c.toLowerCase()) ?? []), c]);
  }
  for (const [lowered, same] of byLower) {
    if (same.length > 1) {
      error(
        `${name}: columns ${same.join(' and ')} differ only in case; names are not case-sensitive, so keep one of them`,
        lowered,
      );
    }
  }
  for (const c of staged.keys()) {
    if (c.toLowerCase() === BOOKKEEPING) {
      error(
        `${name}: column ${c} has the name the loader gives its own column (the file each row came from): rename it in the file`,
        c,
      );
    }
  }
  if (problems.length > 0) return { problems, plan: [], rows: await countRows() };

  // 1. Columns: required ones present, each of a type that can hold its kind. A file with no
  // rows has no types worth checking (a header-only CSV reads as all text): it only says so.
  const lower = new Map([...staged].map(([c, t]) => [c.toLowerCase(), { column: c, type: t.type }]));
  const wrongTypes: (() => void)[] = [];
  for (const spec of contract.columns) {
    const found = lower.get(spec.name);
    if (!found) {
      if (spec.required)
        error(`${name}: missing required column ${spec.name} (expected ${KIND_WORDS[spec.kind]})`, spec.name);
      continue;
    }
    if (!accepts(spec.kind, found.type)) {
      wrongTypes.push(() =>
        error(`${name}: column ${spec.name} should be ${KIND_WORDS[spec.kind]}, found ${found.type}`, spec.name),
      );
    }
  }
  const noRows = (n: number) => {
    warn(`${name}: the file has no rows${opts.format === 'csv' ? ', only a header' : ''}: nothing to load`);
    return { problems, plan: [], rows: n };
  };
  if (problems.length > 0 || wrongTypes.length > 0) {
    const numRows = await countRows();
    if (problems.length > 0) return { problems, plan: [], rows: numRows };
    if (numRows === 0) return noRows(0);
    for (const report of wrongTypes) report();
    return { problems, plan: [], rows: numRows };
  }

  const plan = planColumns(contract, staged, existing);
  let numRows = 0; // from the query below, before any report that quotes it

  // 2. Every value check counted in one scan of the staging table (one round trip to DuckDB,
  // which in the browser is another worker): the row count; conversions that can fail (text
  // dates, text lists, 0/1 booleans); NULLs, ranges, known values, windows; the snapshot the rows
  // say they belong to; and whether any key repeats.
  const checks: { sql: string; report: (count: number, firstRow: number) => void }[] = [];
  for (const col of plan) {
    const src = ident(stagedName(staged, col.name));
    const spec = col.spec;
    // Only conversions that can fail are checked: a 95-column feature file would otherwise pay
    // for 95 pointless TRY_CASTs on every row.
    if (col.mayFail) {
      checks.push({
        sql: `(${src} IS NOT NULL AND ${col.expr} IS NULL)`,
        report: (n, r) =>
          error(
            `${name}: column ${col.name} has ${n} value${s(n)} that cannot be read as ${spec ? KIND_WORDS[spec.kind] : col.storageType} (first at row ${r})`,
            col.name,
          ),
      });
    }
    if (!spec) continue;
    if (spec.notNull) {
      // NULL in the file itself; values that failed to convert are reported just above.
      checks.push({
        sql: `(${src} IS NULL)`,
        report: (n, r) =>
          error(`${name}: column ${col.name} has ${n} empty (NULL) value${s(n)} (first at row ${r})`, col.name),
      });
    } else if (spec.reportNulls) {
      checks.push({
        sql: `(${src} IS NULL)`,
        report: (n, r) =>
          warn(
            `${name}: column ${col.name} has ${n} NULL value${s(n)} of ${numRows} (${pct(n, numRows)}, first at row ${r})${spec.note ? `; ${spec.note}` : ''}`,
            col.name,
          ),
      });
    }
    if (spec.range) {
      const [lo, hi] = spec.range;
      checks.push({
        sql: `(${col.expr} < ${lo} OR ${col.expr} > ${hi} OR isnan(${col.expr}::DOUBLE))`,
        report: (n, r) =>
          error(
            `${name}: column ${col.name} has ${n} value${s(n)} ${rangeWords(lo, hi)} (first at row ${r})`,
            col.name,
          ),
      });
    }
  }
  const from = ident(stage);
  // The scan counts; where a message quotes more (the first offending row, the offending values,
  // the odd windows, the first duplicate key), a second query looks it up, only for a file that
  // has something to report: a min(rowid) FILTER per check cost as much as all the counts.
  const aggregates = ['count(*) AS n_rows'];
  const details: { sql: string; needed: (r: Record<string, unknown>) => boolean }[] = [];
  checks.forEach((c, i) => {
    aggregates.push(`count(*) FILTER (WHERE ${c.sql}) AS n${i}`);
    details.push({
      sql: `(SELECT min(rowid) AS r${i} FROM ${from} WHERE ${c.sql})`,
      needed: (r) => Number(r[`n${i}`] ?? 0) > 0,
    });
  });

  // 3. Allowed values (severities, risk levels...), reported with the offending values.
  const valueChecks = plan.filter((c) => c.spec?.values);
  valueChecks.forEach((col, i) => {
    const list = col.spec!.values!.map(literal).join(', ');
    const cond = `${col.expr} IS NOT NULL AND lower(trim(${col.expr})) NOT IN (${list})`;
    aggregates.push(`count(*) FILTER (WHERE ${cond}) AS vn${i}`);
    // The first five offending values in the order they first appear; the first of them is the
    // first offending row.
    details.push({
      sql: `(SELECT list(v ORDER BY r) AS vv${i}, min(r) + 1 AS vr${i} FROM (SELECT ${col.expr} AS v, min(rowid) AS r FROM ${from} WHERE ${cond} GROUP BY 1 ORDER BY r LIMIT 5))`,
      needed: (r) => Number(r[`vn${i}`] ?? 0) > 0,
    });
  });
  const hasWindow = plan.some((c) => c.name === 'window_days');
  if (hasWindow) {
    const odd = `window_days NOT IN (${WINDOW_DAYS.join(', ')})`;
    aggregates.push(`count(*) FILTER (WHERE ${odd}) AS odd_n`);
    details.push({
      sql: `(SELECT list(w ORDER BY w) AS odd_windows FROM (SELECT DISTINCT window_days::INTEGER AS w FROM ${from} WHERE ${odd} ORDER BY 1 LIMIT 5))`,
      needed: (r) => Number(r.odd_n ?? 0) > 0,
    });
  }

  // 4. The snapshot the rows say they belong to must be the folder's (or META.json's).
  const place = opts.place && plan.some((c) => c.name === 'processing_date') && hasWindow ? opts.place : undefined;
  if (place) {
    const date = plan.find((c) => c.name === 'processing_date')!.expr;
    const win = plan.find((c) => c.name === 'window_days')!.expr;
    // The place comes from a folder name or a META.json: literals, quoted, in the one query.
    const cond = `(${date} IS DISTINCT FROM ${literal(place.processingDate)}::DATE OR ${win} IS DISTINCT FROM ${Number(place.windowDays)})`;
    aggregates.push(`count(*) FILTER (WHERE ${cond}) AS place_n`);
    details.push({
      sql: `(SELECT min(rowid) + 1 AS place_r, arg_min(${date}::VARCHAR, rowid) AS place_d, arg_min(${win}, rowid) AS place_w FROM ${from} WHERE ${cond})`,
      needed: (r) => Number(r.place_n ?? 0) > 0,
    });
  }

  // 5. Keys: unique within the file (loaded keys are checked at merge time, against the raw table).
  const keyed = contract.key && contract.key.every((k) => staged.has(k) || lower.has(k)) ? contract.key : undefined;
  if (keyed) {
    const keyCols = keyed.map((k) => ident(stagedName(staged, k))).join(', ');
    // As many distinct keys as rows means none repeats (DISTINCT, like GROUP BY, takes NULLs as
    // equal); only a file with fewer has its repeats counted, which a GROUP BY does at a cost.
    aggregates.push(`count(DISTINCT (${keyCols})) AS distinct_keys`);
    details.push({
      sql: `(SELECT count(*) AS dup_n, min(r) AS dup_r FROM (SELECT min(rowid) + 1 AS r FROM ${from} GROUP BY ${keyCols} HAVING count(*) > 1))`,
      needed: (r) => Number(r.distinct_keys ?? 0) < Number(r.n_rows ?? 0),
    });
  }

  const result = rows<Record<string, unknown>>(await db.query(`SELECT ${aggregates.join(', ')} FROM ${from}`))[0]!;
  numRows = Number(result.n_rows ?? 0);
  if (numRows === 0) return noRows(0);
  const wanted = details.filter((d) => d.needed(result));
  if (wanted.length > 0) {
    Object.assign(
      result,
      rows<Record<string, unknown>>(await db.query(`SELECT * FROM ${wanted.map((d) => d.sql).join(', ')}`))[0],
    );
  }
  checks.forEach((c, i) => {
    const n = Number(result[`n${i}`] ?? 0);
    if (n > 0) c.report(n, Number(result[`r${i}`]) + 1);
  });
  valueChecks.forEach((col, i) => {
    const total = Number(result[`vn${i}`] ?? 0);
    if (total === 0) return;
    const shown = ((result[`vv${i}`] as unknown[] | null) ?? []).map((v) => `'${String(v)}'`).join(', ');
    const allowed = col.spec!.values!;
    (col.spec!.valuesStrict ? error : warn)(
      `${name}: column ${col.name} has ${total} value${s(total)} outside the known set (${allowed.join(', ')}): found ${shown} (first at row ${Number(result[`vr${i}`])})`,
      col.name,
    );
  });
  const odd = (result.odd_windows as number[] | null | undefined) ?? [];
  if (odd.length > 0) {
    warn(
      `${name}: window_days ${odd.join(', ')} is not one of the SOT's windows (${WINDOW_DAYS.join(', ')})`,
      'window_days',
    );
  }
  if (place && Number(result.place_n ?? 0) > 0) {
    const n = Number(result.place_n);
    error(
      `${name}: ${n} row${s(n)} of ${numRows} say processing_date ${(result.place_d as string | null) ?? 'NULL'}, window_days ${(result.place_w as number | null) ?? 'NULL'} (first at row ${Number(result.place_r)}), but ${place.from} says ${place.processingDate}, ${place.windowDays}: the file is not this snapshot's`,
      'processing_date',
    );
  }
  if (keyed && Number(result.dup_n ?? 0) > 0) {
    const n = Number(result.dup_n);
    error(
      `${name}: ${n} key${s(n)} (${keyed.join(', ')}) appear more than once (first at row ${Number(result.dup_r)})`,
      keyed[0],
    );
  }
  const at =
    place && Number(result.place_n ?? 0) === 0
      ? { processingDate: place.processingDate, windowDays: Number(place.windowDays) }
      : undefined;
  return { problems, plan, rows: numRows, ...(at ? { at } : {}) };
}

/** Decide, for every staged column, its stored name, type and conversion expression. */
export function planColumns(
  contract: TableContract,
  staged: StagedColumns,
  existing: Map<string, string>,
): ColumnPlan[] {
  const specs = new Map(contract.columns.map((c) => [c.name, c]));
  const plan: ColumnPlan[] = [];
  for (const [column, { type, source }] of staged) {
    const target = column.toLowerCase() === column ? column : column.toLowerCase();
    const spec = specs.get(target);
    const src = ident(source);
    if (spec) {
      plan.push({ name: target, spec, storageType: STORAGE_TYPE[spec.kind], ...convert(spec, src, type) });
    } else {
      const storageType = existing.get(target) ?? widenedType(type);
      const safe = storageType === type || (storageType === widenedType(type) && isNumeric(type));
      plan.push({
        name: target,
        storageType,
        expr:
          storageType === type ? src : safe ? `CAST(${src} AS ${storageType})` : `TRY_CAST(${src} AS ${storageType})`,
        mayFail: !safe,
      });
    }
  }
  return plan;
}

/** SQL converting a staged value to the kind's storage type, and whether that can fail. */
function convert(spec: ColumnSpec, src: string, type: string): { expr: string; mayFail: boolean } {
  const exact = (expr: string) => ({ expr, mayFail: false });
  const tried = (expr: string) => ({ expr, mayFail: true });
  // UBIGINT and the 128-bit integers can overflow BIGINT; every smaller integer fits.
  const narrowing = /^(UBIGINT|HUGEINT|UHUGEINT)$/.test(type);
  switch (spec.kind) {
    case 'string':
      return exact(`CAST(${src} AS VARCHAR)`);
    case 'number':
      // SQL's DECIMAL -> DOUBLE cast is exact to the nearest double; Arrow's is not.
      return exact(`CAST(${src} AS DOUBLE)`);
    case 'integer':
      return narrowing ? tried(`TRY_CAST(${src} AS BIGINT)`) : exact(`CAST(${src} AS BIGINT)`);
    case 'boolean':
      if (type === 'BOOLEAN') return exact(src);
      if (isInteger(type)) return tried(`CASE WHEN ${src} IN (0, 1) THEN ${src} = 1 END`);
      return tried(`TRY_CAST(${src} AS BOOLEAN)`);
    case 'date':
      return type === 'VARCHAR' ? tried(`TRY_CAST(${src} AS DATE)`) : exact(`CAST(${src} AS DATE)`);
    case 'timestamp':
      return type === 'VARCHAR' ? tried(`TRY_CAST(${src} AS TIMESTAMP)`) : exact(`CAST(${src} AS TIMESTAMP)`);
    case 'epoch_ms':
      if (isTemporal(type)) return exact(`epoch_ms(${src}::TIMESTAMP)`);
      return narrowing ? tried(`TRY_CAST(${src} AS BIGINT)`) : exact(`CAST(${src} AS BIGINT)`);
    case 'string_list':
      return type === 'VARCHAR' ? tried(`TRY_CAST(${src} AS VARCHAR[])`) : exact(`CAST(${src} AS VARCHAR[])`);
  }
}

/** The staging column holding the file's column `name` (any case). */
function stagedName(staged: StagedColumns, name: string): string {
  for (const [c, { source }] of staged) if (c.toLowerCase() === name) return source;
  return name;
}

/** Messages name the file by the path the user gave, so two snapshots' alerts.parquet differ. */
function fileLabel(path: string): string {
  return path;
}

/** "outside 0..1", or "below 0" for a bound that only forbids negatives. */
function rangeWords(lo: number, hi: number): string {
  return hi >= Number.MAX_SAFE_INTEGER ? `below ${lo} (negative)` : `outside ${lo}..${hi}`;
}

const s = (n: number) => (Number(n) === 1 ? '' : 's');
const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(n / of < 0.01 ? 2 : 1)}%`;
