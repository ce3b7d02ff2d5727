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
  const described = rows<{ column_name: string; column_type: string }>(await db.query(`DESCRIBE ${ident(stage)}`));
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
  const staged = await stagedColumns(db, stage, opts.staged?.renamed);
  const problems: Problem[] = [];
  const error = (message: string, column?: string) => problems.push({ level: 'error', file, column, message });
  const warn = (message: string, column?: string) => problems.push({ level: 'warning', file, column, message });
  const name = fileLabel(file);
  const numRows = Number((await db.query(`SELECT count(*) AS n FROM ${ident(stage)}`)).getChildAt(0)?.get(0) ?? 0);

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
  if (problems.length > 0) return { problems, plan: [], rows: numRows };

  // 1. Columns: required ones present, each of a type that can hold its kind. A file with no
  // rows has no types worth checking (a header-only CSV reads as all text): it only says so.
  const lower = new Map([...staged].map(([c, t]) => [c.toLowerCase(), { column: c, type: t.type }]));
  for (const spec of contract.columns) {
    const found = lower.get(spec.name);
    if (!found) {
      if (spec.required)
        error(`${name}: missing required column ${spec.name} (expected ${KIND_WORDS[spec.kind]})`, spec.name);
      continue;
    }
    if (numRows > 0 && !accepts(spec.kind, found.type)) {
      error(`${name}: column ${spec.name} should be ${KIND_WORDS[spec.kind]}, found ${found.type}`, spec.name);
    }
  }
  if (problems.some((p) => p.level === 'error')) return { problems, plan: [], rows: numRows };
  if (numRows === 0) {
    warn(`${name}: the file has no rows${opts.format === 'csv' ? ', only a header' : ''}: nothing to load`);
    return { problems, plan: [], rows: 0 };
  }

  const plan = planColumns(contract, staged, existing);

  // 2. Conversions that can fail (text dates, text lists, 0/1 booleans), then value checks.
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
  if (checks.length > 0) {
    const select = checks
      .map((c, i) => `count(*) FILTER (WHERE ${c.sql}) AS n${i}, min(rowid) FILTER (WHERE ${c.sql}) AS r${i}`)
      .join(', ');
    const result = rows<Record<string, number | null>>(await db.query(`SELECT ${select} FROM ${ident(stage)}`))[0]!;
    checks.forEach((c, i) => {
      const n = Number(result[`n${i}`] ?? 0);
      if (n > 0) c.report(n, Number(result[`r${i}`]) + 1);
    });
  }

  // 3. Allowed values (severities, risk levels...), reported with the offending values.
  for (const col of plan) {
    if (!col.spec?.values) continue;
    await checkValues(db, stage, name, col, col.spec.values, col.spec.valuesStrict ? error : warn);
  }
  if (plan.some((c) => c.name === 'window_days')) {
    const odd = rows<{ w: number }>(
      await db.query(
        `SELECT DISTINCT window_days::INTEGER AS w FROM ${ident(stage)} WHERE window_days NOT IN (${WINDOW_DAYS.join(', ')}) ORDER BY 1 LIMIT 5`,
      ),
    );
    if (odd.length > 0) {
      warn(
        `${name}: window_days ${odd.map((o) => o.w).join(', ')} is not one of the SOT's windows (${WINDOW_DAYS.join(', ')})`,
        'window_days',
      );
    }
  }

  // 4. The snapshot the rows say they belong to must be the folder's (or META.json's).
  if (opts.place && plan.some((c) => c.name === 'processing_date') && plan.some((c) => c.name === 'window_days')) {
    const date = plan.find((c) => c.name === 'processing_date')!.expr;
    const win = plan.find((c) => c.name === 'window_days')!.expr;
    const cond = `(${date} IS DISTINCT FROM ?::DATE OR ${win} IS DISTINCT FROM ?)`;
    const [other] = rows<{ n: number; r: number | null; d: string | null; w: number | null }>(
      await db.query(
        `SELECT count(*) FILTER (WHERE ${cond}) AS n, min(rowid) FILTER (WHERE ${cond}) + 1 AS r,
           arg_min(${date}::VARCHAR, rowid) FILTER (WHERE ${cond}) AS d, arg_min(${win}, rowid) FILTER (WHERE ${cond}) AS w
         FROM ${ident(stage)}`,
        [
          opts.place.processingDate,
          opts.place.windowDays,
          opts.place.processingDate,
          opts.place.windowDays,
          opts.place.processingDate,
          opts.place.windowDays,
          opts.place.processingDate,
          opts.place.windowDays,
        ],
      ),
    );
    if (other && Number(other.n) > 0) {
      const n = Number(other.n);
      error(
        `${name}: ${n} row${s(n)} of ${numRows} say processing_date ${other.d ?? 'NULL'}, window_days ${other.w ?? 'NULL'} (first at row ${other.r}), but ${opts.place.from} says ${opts.place.processingDate}, ${opts.place.windowDays}: the file is not this snapshot's`,
        'processing_date',
      );
    }
  }

  // 5. Keys: unique within the file (loaded keys are checked at merge time, against the raw table).
  if (contract.key && contract.key.every((k) => staged.has(k) || lower.has(k))) {
    const keyCols = contract.key.map((k) => ident(stagedName(staged, k))).join(', ');
    const dup = rows<{ n: number; r: number }>(
      await db.query(
        `SELECT count(*) AS n, min(r) AS r FROM (SELECT min(rowid) + 1 AS r FROM ${ident(stage)} GROUP BY ${keyCols} HAVING count(*) > 1)`,
      ),
    )[0]!;
    if (Number(dup.n) > 0) {
      error(
        `${name}: ${dup.n} key${s(dup.n)} (${contract.key.join(', ')}) appear more than once (first at row ${dup.r})`,
        contract.key[0],
      );
    }
  }
  return { problems, plan, rows: numRows };
}

async function checkValues(
  db: Database,
  stage: string,
  name: string,
  col: ColumnPlan,
  allowed: string[],
  report: (message: string, column?: string) => void,
): Promise<void> {
  const list = allowed.map(literal).join(', ');
  const cond = `${col.expr} IS NOT NULL AND lower(trim(${col.expr})) NOT IN (${list})`;
  const found = rows<{ v: string; n: number; r: number }>(
    await db.query(
      `SELECT ${col.expr} AS v, count(*) AS n, min(rowid) + 1 AS r FROM ${ident(stage)} WHERE ${cond} GROUP BY 1 ORDER BY r LIMIT 5`,
    ),
  );
  if (found.length === 0) return;
  const total = rows<{ n: number }>(await db.query(`SELECT count(*) AS n FROM ${ident(stage)} WHERE ${cond}`))[0]!.n;
  const shown = found.map((f) => `'${f.v}'`).join(', ');
  report(
    `${name}: column ${col.name} has ${total} value${s(total)} outside the known set (${allowed.join(', ')}): found ${shown} (first at row ${found[0]!.r})`,
    col.name,
  );
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
