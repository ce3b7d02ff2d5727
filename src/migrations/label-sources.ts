/**
 * Where a label came from, in precedence order: a later entry beats an earlier one.
 *
 * The order is the design's: a proxy rule's guess loses to a miner's own label, which loses to a
 * community label, which loses to a validated (confirmed) one. Everything that ranks labels (the
 * effective-label view in both dialects, the ClickHouse Enum8 codes, the DuckDB ENUM) is
 * generated from this one list, so adding or reordering a source happens here only.
 */
export const LABEL_SOURCES = ['proxy', 'miner', 'community', 'validated'] as const;

export type LabelSource = (typeof LABEL_SOURCES)[number];

/** The DuckDB ENUM type of `label_source` columns. Named apart from the columns that use it. */
export const LABEL_SOURCE_TYPE = 'label_source_type';

/** Rank of a source: 1 for the weakest (proxy) up to LABEL_SOURCES.length (validated). */
export function labelSourceRank(source: LabelSource): number {
  return LABEL_SOURCES.indexOf(source) + 1;
}

/**
 * SQL that maps a label_source expression to its rank (NULL, or an unknown source, gives NULL);
 * valid in both dialects. The searched form (`CASE WHEN x = 'proxy'`) is deliberate: ClickHouse
 * answers NULL for every row of `CASE x WHEN 'proxy' ...` when x is Nullable(Enum8) (seen in 26.7).
 */
export function labelSourceRankSql(expr: string): string {
  const arms = LABEL_SOURCES.map((s) => `WHEN ${expr} = '${s}' THEN ${labelSourceRank(s)}`).join(' ');
  return `CASE ${arms} END`;
}

/** `ENUM ('proxy', ...)`: the body of DuckDB's `CREATE TYPE`. */
export function duckdbLabelSourceEnum(): string {
  return `ENUM (${LABEL_SOURCES.map((s) => `'${s}'`).join(', ')})`;
}

/**
 * `Enum8('proxy' = 1, ...)`: the codes equal the ranks, so in ClickHouse `toInt8(label_source)`
 * orders sources the same way the rest of the code does.
 */
export function clickhouseLabelSourceEnum(): string {
  return `Enum8(${LABEL_SOURCES.map((s) => `'${s}' = ${labelSourceRank(s)}`).join(', ')})`;
}
