/**
 * Writes the proxy rule's labels into raw_alerts' label columns, the way the design does it in
 * ClickHouse (an UPDATE on raw_alerts; clickhouse.ts emits the same statement as a mutation).
 *
 * Precedence is kept in two places: the UPDATE never touches a row whose label came from another
 * source, and the effective_labels view ranks the rule's row labels (source 'proxy') below every
 * label event. Re-running with other thresholds relabels exactly the rows the rule owns.
 */
import { rows, type Database } from '../db/database.ts';
import { ALERTS_TABLE } from '../migrations/index.ts';
import type { ProxyLabelConfig } from './config.ts';
import { PROXY_SOURCE, proxyUpdateStatement } from './proxy-sql.ts';

export interface ApplyResult {
  /** Rows the UPDATE wrote (every row not labelled by another source). */
  updated: number;
  positive: number;
  negative: number;
  uncertain: number;
  /** Rows left alone because another source labelled them. */
  keptExplicit: number;
}

export async function applyProxyLabels(
  db: Database,
  config: ProxyLabelConfig,
  labeledAt: Date = new Date(),
): Promise<ApplyResult> {
  const { sql, params } = proxyUpdateStatement(config, 'duckdb', labeledAt);
  const result = await db.query(sql, params);
  // DuckDB answers an UPDATE with one row: the number of rows changed.
  const updated = Number(rows<Record<string, number>>(result)[0]?.Count ?? 0);
  const tally = rows<{ positive: number; negative: number; uncertain: number; kept: number }>(
    await db.query(
      `SELECT
        CAST(count(*) FILTER (WHERE label_source = $1 AND label = 1) AS DOUBLE) AS positive,
        CAST(count(*) FILTER (WHERE label_source = $1 AND label = 0) AS DOUBLE) AS negative,
        CAST(count(*) FILTER (WHERE label_source = $1 AND label IS NULL) AS DOUBLE) AS uncertain,
        CAST(count(*) FILTER (WHERE NOT ((label_source IS NULL AND label IS NULL) OR label_source = $1)) AS DOUBLE) AS kept
      FROM ${ALERTS_TABLE}`,
      [PROXY_SOURCE],
    ),
  )[0]!;
  return {
    updated,
    positive: tally.positive,
    negative: tally.negative,
    uncertain: tally.uncertain,
    keptExplicit: tally.kept,
  };
}
