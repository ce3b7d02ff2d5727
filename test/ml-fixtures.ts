/**
 * A small synthetic SOT export with a planted truth, for the feature and strategy tests: three
 * processing dates with 7- and 30-day windows (sharing alert ids), feature rows with every kind of
 * column (decimals, UInt64 timestamps, lists, booleans, text), clusters, money flows, address
 * labels and a ground-truth file. Illicit addresses have a high burst_factor and a low
 * regularity_score; the SOT confidence (and so the proxy label) follows the truth only loosely.
 * Written as Parquet through the real loader, so the views normalise it as in the app.
 */
import type { Runtime } from '../src/db/runtime.ts';
import { Lab } from '../src/sot/lab.ts';
import type { SourceFile } from '../src/sot/files.ts';
import { memFile, parquetOf, resetDatabase } from './fixtures/files.ts';

export const DATES = ['2026-01-05', '2026-01-12', '2026-01-19'] as const;

/** A uniform pseudo-random number in [0, 1) from integers, the same in every run. */
const h = (expr: string, salt: number) => `((hash(${expr} * 7919 + ${salt}) % 1000003) / 1000003.0)`;
const illicit = (a: string) => `(${h(a, 1)} < 0.3)`;

export interface FixtureOptions {
  addresses?: number;
  /** Leave this feature column out of the exports (exports differ). */
  dropFeature?: string;
  /** Add the SOT's anomaly scores to the feature table: behavioral follows the truth loosely, graph not at all. */
  anomalyScores?: boolean;
}

function alertsSql(date: string, d: number, window: number, n: number): string {
  const conf = `least(0.99, 0.55 + 0.25 * ${h('a', 40 + d)} + 0.15 * CAST(${illicit('a')} AS INTEGER))`;
  return `SELECT ${window}::USMALLINT AS window_days, DATE '${date}' AS processing_date,
    'al-' || a || '-${d}' AS alert_id, 'addr-' || a AS address,
    ['PEEL_CHAIN', 'STRUCTURING', 'PING_PONG'][1 + a % 3] AS typology_type,
    CASE WHEN ${conf} >= 0.9 THEN 'critical' WHEN ${conf} >= 0.75 THEN 'HIGH' WHEN ${conf} >= 0.6 THEN 'medium' ELSE 'low' END AS severity,
    CASE WHEN a % 37 = 5 THEN NULL ELSE ${conf} END::FLOAT AS alert_confidence_score,
    ['wallet', 'unknown'][1 + a % 2] AS suspected_address_type,
    (100 + 5000 * ${h('a', 50 + d)})::DECIMAL(18, 2) AS volume_usd,
    'free text ' || a AS description,
    CASE WHEN a % 4 = 0 THEN ['long_chain'] ELSE ['small_transactions', 'long_chain'] END AS risk_indicators
  FROM range(${n}) t(a) WHERE ${h('a', 10 + d)} < 0.7`;
}

function featuresSql(date: string, d: number, window: number, n: number, drop?: string, anomaly = false): string {
  const anomalyCols = [
    `(0.6 * ${h('a', 67 + d)} + 0.4 * CAST(${illicit('a')} AS INTEGER))::FLOAT AS behavioral_anomaly_score`,
    `${h('a', 68 + d)}::FLOAT AS graph_anomaly_score`,
  ];
  const cols = [
    `(${h('a', 60)} * 800)::UINTEGER AS degree_in`,
    `(1000 * ${h('a', 61 + d)} + 1)::DECIMAL(18, 2) AS total_in_usd`,
    `(CASE WHEN ${illicit('a')} THEN 2 + ${h('a', 62 + d)} ELSE ${h('a', 63 + d)} END)::FLOAT AS burst_factor`,
    `(CASE WHEN ${illicit('a')} THEN 0.2 ELSE 0.8 END * ${h('a', 64)} )::FLOAT AS regularity_score`,
    `[(${h('a', 65)} * 10)::USMALLINT, 0::USMALLINT, 3::USMALLINT]::USMALLINT[] AS hourly_activity`,
    `(a % 5 = 0) AS is_exchange_like`,
    `(1700000000000 + a * 86400000)::UBIGINT AS first_activity_timestamp`,
    `['USDT', 'TORUS'][1 + a % 2] AS dominant_asset_in`,
    `${h('a', 66)}::FLOAT AS confidence_score`,
    `(a % 9)::BIGINT AS community_id`,
    ...(anomaly ? anomalyCols : []),
  ].filter((c) => !drop || !c.endsWith(` AS ${drop}`));
  return `SELECT ${window}::USMALLINT AS window_days, DATE '${date}' AS processing_date, 'addr-' || a AS address, ${cols.join(', ')}
  FROM range(${n}) t(a) WHERE a % 23 <> 7`;
}

function clustersSql(date: string, window: number, n: number): string {
  return `SELECT ${window}::USMALLINT AS window_days, DATE '${date}' AS processing_date,
    'cluster_same_entity_addr-' || a || '_${date}' AS cluster_id, 'same_entity' AS cluster_type,
    'addr-' || a AS primary_address, ['addr-' || a] AS addresses_involved, 2::UINTEGER AS total_alerts,
    (10 * a)::DECIMAL(18, 2) AS total_volume_usd, 'high' AS severity_max, 0.8::FLOAT AS confidence_avg
  FROM range(${n}) t(a) WHERE a % 3 = 0`;
}

/** A ring a -> a+1, some flows back (a+1 -> a) and some longer hops (a -> a+5), so counts and reciprocity vary. */
function flowsSql(date: string, window: number, n: number): string {
  const pairs = `SELECT a, (a + 1) % ${n} AS b FROM range(${n}) t(a)
    UNION ALL SELECT (a + 1) % ${n}, a FROM range(${n}) t(a) WHERE a % 3 = 0
    UNION ALL SELECT a, (a + 5) % ${n} FROM range(${n}) t(a) WHERE a % 2 = 0`;
  return `SELECT ${window}::USMALLINT AS window_days, '${date}' AS processing_date, 'addr-' || a AS from_address, 'addr-' || b AS to_address,
    (1 + a % 4)::UBIGINT AS tx_count, (50 * (1 + (a + b) % 7))::DECIMAL(18, 2) AS amount_usd_sum, 0.5::FLOAT AS reciprocity_ratio
  FROM (${pairs})`;
}

function labelsSql(n: number): string {
  return `SELECT 'addr-' || a AS address, 'label ' || a AS label,
    CASE WHEN ${illicit('a')} THEN 'critical' ELSE 'low' END AS risk_level, 0.9::FLOAT AS confidence_score
  FROM range(${n}) t(a) WHERE a % 4 = 1`;
}

function truthSql(n: number): string {
  const rows = DATES.map(
    (
      date,
      d,
    ) => `SELECT 'al-' || a || '-${d}' AS alert_id, 'addr-' || a AS address, DATE '${date}' AS processing_date, ${illicit('a')} AS is_illicit
    FROM range(${n}) t(a) WHERE ${h('a', 10 + d)} < 0.7`,
  );
  return rows.join(' UNION ALL ');
}

/**
 * One loose file per table holding every date and window (the loader takes those as well as
 * snapshot folders, and six files load several times faster than twenty-six).
 */
export async function fixtureFiles(rt: Runtime, opts: FixtureOptions = {}): Promise<SourceFile[]> {
  const n = opts.addresses ?? 120;
  const snapshots = DATES.flatMap((date, d) => [7, 30].map((window) => ({ date, d, window })));
  const union = (sql: (s: (typeof snapshots)[number]) => string) =>
    snapshots.map((s) => `(${sql(s)})`).join(' UNION ALL ');
  return [
    memFile(
      'alerts.parquet',
      await parquetOf(
        rt,
        union((s) => alertsSql(s.date, s.d, s.window, n)),
      ),
    ),
    memFile(
      'features.parquet',
      await parquetOf(
        rt,
        union((s) => featuresSql(s.date, s.d, s.window, n, opts.dropFeature, opts.anomalyScores)),
      ),
    ),
    memFile(
      'clusters.parquet',
      await parquetOf(
        rt,
        union((s) => clustersSql(s.date, s.window, n)),
      ),
    ),
    memFile(
      'money_flows.parquet',
      await parquetOf(
        rt,
        union((s) => flowsSql(s.date, s.window, n)),
      ),
    ),
    memFile('address-labels/torus_address_labels.parquet', await parquetOf(rt, labelsSql(n))),
    memFile('ground_truth.parquet', await parquetOf(rt, truthSql(n))),
  ];
}

/** A fresh lab holding the fixture. */
export async function fixtureLab(rt: Runtime, opts: FixtureOptions = {}): Promise<Lab> {
  await resetDatabase(rt);
  const lab = await Lab.open(rt);
  const report = await lab.load(await fixtureFiles(rt, opts));
  const errors = report.problems.filter((p) => p.level === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  return lab;
}
