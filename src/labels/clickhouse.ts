/**
 * The proxy-label configuration as a ClickHouse script, so thresholds found in the lab carry over
 * to the real pipeline, which runs ClickHouse:
 *   1. the label migrations (label columns on raw_alerts, label_events, effective_labels), taken
 *      from src/migrations so the columns are exactly the local ones;
 *   2. the rule applied to raw_alerts as an ALTER TABLE ... UPDATE mutation, sparing rows that
 *      another source labelled;
 *   3. (or instead) a SELECT that returns every alert's label with explicit labels winning.
 * The rule's expressions come from proxy-sql.ts, the same builder DuckDB runs; only the dialect
 * differs. Every statement is safe to run twice.
 */
import { effectiveLabelsViewSql, migrationId, MIGRATIONS } from '../migrations/index.ts';
import { ruleSignature, saveConfig, type ProxyLabelConfig } from './config.ts';
import { proxyLabelsQuery, proxyUpdateStatement } from './proxy-sql.ts';

export type ClickHouseMode = 'update' | 'select' | 'both';

export interface ClickHouseOptions {
  /** What to emit after the migrations: the UPDATE (default), the SELECT, or both. */
  mode?: ClickHouseMode;
  /** A fixed labeled_at (UTC, whole seconds); default now() on the server. */
  labeledAt?: Date;
}

export interface ClickHouseStatement {
  /** One line saying what the statement does. */
  title: string;
  sql: string;
}

/** The script's statements, in order, without trailing semicolons. */
export function proxyLabelsClickHouseStatements(
  config: ProxyLabelConfig,
  opts: ClickHouseOptions = {},
): ClickHouseStatement[] {
  const mode = opts.mode ?? 'update';
  const out: ClickHouseStatement[] = [];
  for (const m of MIGRATIONS) {
    for (const sql of m.statements('clickhouse'))
      out.push({ title: `migration ${migrationId(m)}: ${m.description}`, sql });
  }
  out.push({
    title: 'effective_labels: every alert with its winning label',
    sql: effectiveLabelsViewSql('clickhouse'),
  });
  if (mode !== 'select') {
    out.push({
      title: 'write the proxy labels into raw_alerts; rows labelled by another source are left alone',
      sql: proxyUpdateStatement(config, 'clickhouse', opts.labeledAt).sql,
    });
  }
  if (mode !== 'update') {
    const keep = config.uncertain === 'keep';
    out.push({
      title: `every alert's label, explicit labels first${keep ? ', uncertain rows kept (label NULL)' : ', uncertain rows dropped'}`,
      sql: proxyLabelsQuery(config, { dialect: 'clickhouse', labeledAt: opts.labeledAt }).sql,
    });
  }
  return out;
}

/** The whole script, with the configuration it came from as a comment header. */
export function proxyLabelsClickHouse(config: ProxyLabelConfig, opts: ClickHouseOptions = {}): string {
  const header = [
    '-- Label Lab: proxy labels for ClickHouse. Generated; edit the configuration, not this file.',
    `-- rule: ${ruleSignature(config)}`,
    '-- configuration:',
    ...saveConfig(config, 'yaml')
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .map((l) => `--   ${l}`),
    '-- Run with: clickhouse-client --multiquery < this-file.sql (every statement is idempotent).',
  ];
  const body = proxyLabelsClickHouseStatements(config, opts).map((s) => `-- ${s.title}\n${s.sql};`);
  return `${[header.join('\n'), ...body].join('\n\n')}\n`;
}
