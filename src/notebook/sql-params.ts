/**
 * Parameters into SQL as bound values: `$name` becomes a `?` placeholder and the value travels
 * beside the text, so no value is ever spliced into SQL, whatever it contains.
 *
 * Lists (checkbox groups): DuckDB-WASM's prepared statements bind scalars only (a JS array fails
 * with "Invalid column type encountered for argument 0"), and the json extension that would read
 * a bound JSON text is not built into DuckDB-WASM (and extensions cannot be downloaded here). So
 * a list becomes a list constructor with one placeholder per element, `([?, ?, ?]::VARCHAR[])`,
 * each element bound as its own value; the empty list is `([]::VARCHAR[])`. The element type
 * comes from the param's options, never from the values. Use it as a list:
 * `list_contains($types, typology_type)` or `typology_type = ANY($types)`.
 */
import type { SqlValue } from '../db/database.ts';
import type { ParamSpec } from './cell-schemas.ts';
import { optionType } from './cell-schemas.ts';
import type { ParamValue } from './params.ts';
import { scanSql, type SqlScan } from '../db/sql-lexer.ts';

export interface BoundSql {
  sql: string;
  params: SqlValue[];
}

const LIST_TYPES = { string: 'VARCHAR', number: 'DOUBLE', boolean: 'BOOLEAN' } as const;

/**
 * Rewrite `sql`'s parameter references to placeholders and collect their values in order.
 * A trailing `;` is dropped (the query is wrapped by the caller). Throws on a reference to
 * an unknown parameter; `scan` may be passed when the caller already has it.
 */
export function bindSql(
  sql: string,
  values: ReadonlyMap<string, { spec: ParamSpec; value: ParamValue }>,
  scan: SqlScan = scanSql(sql),
): BoundSql {
  if (scan.problems.length > 0) throw new Error(scan.problems[0]!.message);
  const params: SqlValue[] = [];
  let out = '';
  let at = 0;
  for (const ref of scan.params) {
    const param = values.get(ref.name);
    if (!param) throw new Error(`unknown parameter $${ref.name}`);
    out += sql.slice(at, ref.start);
    if (Array.isArray(param.value)) {
      const type = param.spec.input === 'checkbox' ? LIST_TYPES[optionType(param.spec.options)] : 'VARCHAR';
      out += `([${param.value.map(() => '?').join(', ')}]::${type}[])`;
      params.push(...param.value);
    } else {
      out += '?';
      params.push(param.value);
    }
    at = ref.end;
  }
  out += sql.slice(at, scan.end);
  return { sql: out, params };
}
