/**
 * The normalising views: one per SOT table, named after it (`alerts` over `raw_alerts`). All
 * later SQL (proxy labels, features, notebooks) reads these, never the raw tables.
 *
 * What they normalise, and why:
 * - categorical text (severity, risk levels) is lowercased and trimmed: older exports wrote
 *   'HIGH' (an Enum8) and some 'info';
 * - scores in 0..1 are rounded to 6 decimals: Float32 confidences arrive as 0.699999988 for 0.7,
 *   which would silently fail a `>= 0.7` threshold that the SOT itself meant to pass;
 * - UInt64 millisecond timestamps become TIMESTAMPs;
 * - decimals and dates were already cast to DOUBLE and DATE when merged (see sql-types.ts).
 *
 * A DuckDB view breaks when its table gains a column, so the views are rebuilt after each merge.
 */
import { ident, type Database } from '../db/database.ts';
import { CONTRACTS, type ColumnSpec, type TableContract } from './contracts.ts';
import { allRawColumns, rawColumns } from './schema.ts';

export function normalisedExpr(column: string, spec: ColumnSpec | undefined): string {
  const c = ident(column);
  if (!spec) return c;
  if (spec.kind === 'string' && spec.values) return `lower(trim(${c})) AS ${c}`;
  if (spec.kind === 'number' && spec.range?.[0] === 0 && spec.range[1] === 1) return `round(${c}, 6) AS ${c}`;
  if (spec.kind === 'epoch_ms') return `epoch_ms(${c}) AS ${c}`;
  return c;
}

/** The view over `contract`'s raw table, whose columns (in table order, `_file_id` among them) are `columns`. */
export function viewSql(contract: TableContract, columns: Iterable<string>): string {
  const specs = new Map(contract.columns.map((c) => [c.name, c]));
  const select = [...columns]
    .filter((c) => c !== '_file_id')
    .map((c) => normalisedExpr(c, specs.get(c)))
    .join(',\n  ');
  return `CREATE OR REPLACE VIEW ${ident(contract.name)} AS SELECT\n  ${select}\nFROM ${ident(contract.raw)}`;
}

export async function createView(db: Database, contract: TableContract): Promise<void> {
  await db.exec(viewSql(contract, (await rawColumns(db, contract)).keys()));
}

/**
 * Every view, in two round trips (one for the raw tables' columns, one for the views): the app
 * builds them as it opens and after each restore, on the first screen's path, where a dozen
 * trips to DuckDB's worker cost more than the statements.
 */
export async function createViews(db: Database): Promise<void> {
  const columns = await allRawColumns(db);
  await db.exec(CONTRACTS.map((c) => `${viewSql(c, columns.get(c.raw)?.keys() ?? [])};`).join('\n'));
}
