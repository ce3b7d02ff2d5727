/**
 * Per-address aggregates of the tables that are not one row per alert: clusters, money flows and
 * address labels. Each is a small temporary table keyed like the join it feeds (address,
 * processing_date, window_days; address labels by address alone, since the SOT ships one current
 * file), plus the candidates that read it. They are materialised once because two queries (the
 * stats and the matrix) read them: as CTEs the flow aggregation ran twice, a second per 100k alerts. Only addresses that have alerts are aggregated (those in the rows
 * table), which keeps the flow aggregation small on large exports.
 *
 * An address without clusters, flows or labels gets 0 (no cluster, no counterparty), not NULL:
 * absence is the information.
 */
import { ident } from '../db/database.ts';
import type { Discovery, SourceTable } from './discover.ts';
import { ROWS_TABLE } from './rows.ts';
import { severityOrdinal, type Candidate, type LeakTag } from './encode.ts';

export interface Aggregate {
  /** The alias the matrix query joins it under. */
  alias: string;
  /** The temporary table. */
  table: string;
  /** `CREATE OR REPLACE TEMP TABLE table AS ...`. */
  create: string;
  /** Join condition against the rows table `r`. */
  on: string;
  candidates: Candidate[];
}

const aggregateTable = (alias: string) => `_ml_agg_${alias}`;

const SNAPSHOT_KEYS = (alias: string) =>
  `${alias}.address = r.address AND ${alias}.processing_date = r.processing_date AND ${alias}.window_days = r.window_days`;

function has(d: Discovery, table: SourceTable, column: string): boolean {
  return d.columns.some((c) => c.table === table && c.name === column);
}

interface CandidateOptions {
  money?: boolean;
  integer?: boolean;
  tags?: LeakTag[];
}

function candidate(
  table: SourceTable,
  alias: string,
  output: string,
  name: string,
  opts: CandidateOptions = {},
): Candidate {
  return {
    name: `${table}.${name}`,
    column: `${table}.${name.replace(/\[.*$/, '')}`,
    sql: `CAST(coalesce(${alias}.${output}, 0) AS DOUBLE)`,
    params: [],
    transform: 'value',
    integer: opts.integer ?? false,
    money: opts.money ?? false,
    tags: opts.tags ?? [],
  };
}

/** Every aggregate the loaded data supports. */
export function aggregates(d: Discovery): Aggregate[] {
  return [clusterAggregate(d), flowAggregate(d), labelAggregate(d)].filter((a): a is Aggregate => a !== undefined);
}

/**
 * Clusters an address belongs to (listed in addresses_involved, or its primary address): how
 * many, their alerts and volume, and their worst severity and confidence. The last two summarise
 * the alerts' own severity and confidence, so they carry the same leakage tags.
 */
function clusterAggregate(d: Discovery): Aggregate | undefined {
  if (d.rows.clusters === 0) return undefined;
  const involved = has(d, 'clusters', 'addresses_involved');
  const primary = has(d, 'clusters', 'primary_address');
  if (!involved && !primary) return undefined;
  const members =
    involved && primary
      ? `CASE WHEN len(addresses_involved) > 0 THEN list_distinct(addresses_involved) ELSE [primary_address] END`
      : involved
        ? 'list_distinct(addresses_involved)'
        : '[primary_address]';
  const known: { column: string; select: string; name: string; opts: CandidateOptions }[] = [
    { column: 'total_alerts', select: 'sum(total_alerts)', name: 'total_alerts[sum]', opts: { integer: true } },
    {
      column: 'total_volume_usd',
      select: 'sum(total_volume_usd)',
      name: 'total_volume_usd[sum]',
      opts: { money: true },
    },
    {
      column: 'severity_max',
      select: `max(${severityOrdinal('severity_max')})`,
      name: 'severity_max[max]',
      opts: { tags: ['severity'] },
    },
    {
      column: 'confidence_avg',
      select: 'max(confidence_avg)',
      name: 'confidence_avg[max]',
      opts: { tags: ['confidence'] },
    },
  ];
  const optional = known.filter((o) => has(d, 'clusters', o.column));
  const cols = optional.map((o) => ident(o.column));
  const table = aggregateTable('c');
  const create = `CREATE OR REPLACE TEMP TABLE ${table} AS
  SELECT address, processing_date, window_days, count(*) AS clusters${optional.map((o) => `, ${o.select} AS ${ident(o.column)}`).join('')}
  FROM (SELECT unnest(${members}) AS address, processing_date, window_days${cols.map((c) => `, ${c}`).join('')} FROM clusters)
  WHERE address IN (SELECT address FROM ${ROWS_TABLE})
  GROUP BY address, processing_date, window_days`;
  return {
    alias: 'c',
    table,
    create,
    on: SNAPSHOT_KEYS('c'),
    candidates: [
      candidate('clusters', 'c', 'clusters', 'count', { integer: true }),
      ...optional.map((o) => candidate('clusters', 'c', ident(o.column), o.name, o.opts)),
    ],
  };
}

/**
 * Money flows of an address in the snapshot's window: counterparties and USD in and out,
 * transactions in and out, and reciprocity two ways: the share of its counterparties it trades
 * with in both directions, and min/max of its USD in and out (1 when balanced, as in
 * round-tripping; 0 when one-way).
 */
function flowAggregate(d: Discovery): Aggregate | undefined {
  if (d.rows.money_flows === 0) return undefined;
  const ratio = has(d, 'money_flows', 'reciprocity_ratio');
  const edge = (self: string, peer: string, incoming: number) =>
    `SELECT ${self} AS address, ${peer} AS peer, processing_date, window_days, ${incoming} AS incoming, amount_usd_sum AS usd, tx_count AS tx${ratio ? ', reciprocity_ratio AS ratio' : ''}
    FROM money_flows WHERE ${self} IN (SELECT address FROM ${ROWS_TABLE})`;
  const table = aggregateTable('m');
  const create = `CREATE OR REPLACE TEMP TABLE ${table} AS
WITH m_edges AS (
  ${edge('from_address', 'to_address', 0)}
  UNION ALL
  ${edge('to_address', 'from_address', 1)}
),
m_peers AS (
  SELECT address, peer, processing_date, window_days,
    max(incoming) AS has_in, max(1 - incoming) AS has_out,
    sum(CASE WHEN incoming = 1 THEN usd ELSE 0 END) AS usd_in, sum(CASE WHEN incoming = 0 THEN usd ELSE 0 END) AS usd_out,
    sum(CASE WHEN incoming = 1 THEN tx ELSE 0 END) AS tx_in, sum(CASE WHEN incoming = 0 THEN tx ELSE 0 END) AS tx_out${ratio ? ', avg(ratio) AS ratio' : ''}
  FROM m_edges GROUP BY address, peer, processing_date, window_days
)
SELECT address, processing_date, window_days,
    sum(has_in) AS in_counterparties, sum(has_out) AS out_counterparties,
    sum(usd_in) AS usd_in, sum(usd_out) AS usd_out, sum(tx_in) AS tx_in, sum(tx_out) AS tx_out,
    sum(has_in * has_out) / count(*) AS two_way_share,
    CASE WHEN greatest(sum(usd_in), sum(usd_out)) > 0 THEN least(sum(usd_in), sum(usd_out)) / greatest(sum(usd_in), sum(usd_out)) ELSE 0 END AS usd_balance${ratio ? ', avg(ratio) AS ratio' : ''}
FROM m_peers GROUP BY address, processing_date, window_days`;
  const candidates = [
    candidate('money_flows', 'm', 'in_counterparties', 'in_counterparties', { integer: true }),
    candidate('money_flows', 'm', 'out_counterparties', 'out_counterparties', { integer: true }),
    candidate('money_flows', 'm', 'usd_in', 'usd_in', { money: true }),
    candidate('money_flows', 'm', 'usd_out', 'usd_out', { money: true }),
    candidate('money_flows', 'm', 'tx_in', 'tx_in', { integer: true }),
    candidate('money_flows', 'm', 'tx_out', 'tx_out', { integer: true }),
    candidate('money_flows', 'm', 'two_way_share', 'reciprocity[two_way_share]'),
    candidate('money_flows', 'm', 'usd_balance', 'reciprocity[usd_balance]'),
  ];
  if (ratio) candidates.push(candidate('money_flows', 'm', 'ratio', 'reciprocity_ratio[avg]'));
  return { alias: 'm', table, create, on: SNAPSHOT_KEYS('m'), candidates };
}

/**
 * Known labels of the address: how many, the highest risk level (0 none, 1 low ... 4 critical)
 * and the highest label confidence. These define address-label targets (risk high or critical
 * means positive), so they carry the address-label leakage tag.
 */
function labelAggregate(d: Discovery): Aggregate | undefined {
  if (d.rows.address_labels === 0) return undefined;
  const confidence = has(d, 'address_labels', 'confidence_score');
  const table = aggregateTable('l');
  const create = `CREATE OR REPLACE TEMP TABLE ${table} AS
  SELECT address, count(*) AS labels, max(${severityOrdinal('risk_level')}) AS risk${confidence ? ', max(confidence_score) AS confidence' : ''}
  FROM address_labels WHERE address IN (SELECT address FROM ${ROWS_TABLE}) GROUP BY address`;
  const tags: LeakTag[] = ['address-label'];
  const candidates = [
    candidate('address_labels', 'l', 'labels', 'count', { integer: true, tags }),
    candidate('address_labels', 'l', 'risk', 'risk_level[max]', { tags }),
  ];
  if (confidence) candidates.push(candidate('address_labels', 'l', 'confidence', 'confidence_score[max]', { tags }));
  return { alias: 'l', table, create, on: 'l.address = r.address', candidates };
}
