/**
 * What applying the proxy rule (apply.ts) would write, without writing it: a notebook opened in
 * the app shows this and waits for the user's confirmation, since the rule's labels then show in
 * the Labels and Review tabs. Counts the same rows the UPDATE would touch (every row no other
 * source labelled), by the label the rule gives them, and how many rows hold the rule's labels
 * already (an earlier application).
 */
import { rows, type Database } from '../db/database.ts';
import { ALERTS_TABLE } from '../migrations/index.ts';
import type { ProxyLabelConfig } from './config.ts';
import { inlineRule, PROXY_SOURCE, rawAlertsSource, ruleBuilder } from './proxy-sql.ts';
import { SqlValues } from './sql-values.ts';

export interface ApplyPreview {
  /** Rows the UPDATE would write, by the label it would give them. */
  positive: number;
  negative: number;
  uncertain: number;
  /** Rows whose label columns hold the rule's labels now (label_source 'proxy'). */
  applied: number;
}

export async function previewProxyLabels(db: Database, config: ProxyLabelConfig): Promise<ApplyPreview> {
  const v = new SqlValues('duckdb');
  const { label } = inlineRule(ruleBuilder(config, v), rawAlertsSource('duckdb'));
  const proxy = v.ref(PROXY_SOURCE);
  const { sql, params } = v.finish(
    `SELECT
  CAST(count(*) FILTER (WHERE ours AND rule = 1) AS DOUBLE) AS positive,
  CAST(count(*) FILTER (WHERE ours AND rule = 0) AS DOUBLE) AS negative,
  CAST(count(*) FILTER (WHERE ours AND rule IS NULL) AS DOUBLE) AS uncertain,
  CAST(count(*) FILTER (WHERE applied) AS DOUBLE) AS applied
FROM (
  SELECT ${label} AS rule,
    (label_source IS NULL AND label IS NULL) OR label_source = ${proxy} AS ours,
    coalesce(label_source = ${proxy}, false) AS applied
  FROM ${ALERTS_TABLE}
) AS r`,
  );
  const found = rows<ApplyPreview>(await db.query(sql, params))[0]!;
  return {
    positive: Number(found.positive),
    negative: Number(found.negative),
    uncertain: Number(found.uncertain),
    applied: Number(found.applied),
  };
}
