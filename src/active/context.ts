/**
 * What a labeller sees next to one alert: the alert itself (per processing date and window),
 * the address's key features in the same snapshots, the clusters it belongs to, its largest
 * money flows in and out, the evidence JSON, and the label it carries now. All reads are bound
 * SQL over the normalising views; columns an export lacks are left out rather than failing
 * (exports differ in which columns they carry).
 */
import { rows as tableRows, type Database, type SqlValue } from '../db/database.ts';
import { EFFECTIVE_LABELS_VIEW } from '../migrations/index.ts';

/** Feature columns shown beside an alert, when the export has them: activity, money, the SOT's detectors and flags. */
export const KEY_FEATURES = [
  'degree_in',
  'degree_out',
  'unique_counterparties',
  'tx_total_count',
  'total_in_usd',
  'total_out_usd',
  'total_volume_usd',
  'max_tx_usd',
  'activity_days',
  'burst_factor',
  'regularity_score',
  'structuring_score',
  'reciprocity_ratio',
  'velocity_score',
  'small_transaction_ratio',
  'night_transaction_ratio',
  'pagerank',
  'kcore',
  'khop2_count',
  'behavioral_anomaly_score',
  'global_anomaly_score',
  'is_exchange_like',
  'is_mixer_like',
  'is_new_address',
  'is_dormant_reactivated',
] as const;

export interface AlertWindow {
  processingDate: string;
  windowDays: number;
  typology: string | null;
  severity: string | null;
  confidence: number | null;
  volumeUsd: number | null;
  description: string | null;
  riskIndicators: string[];
  /** The evidence JSON parsed; the text as given when it does not parse; null when absent. */
  evidence: unknown;
  /** The effective label of this row, if any. */
  label: { label: 0 | 1; source: string; labeledBy: string | null; labeledAt: string | null } | null;
}

export interface AddressFeatures {
  processingDate: string;
  windowDays: number;
  values: { name: string; value: number | boolean | null }[];
}

export interface ClusterSummary {
  clusterId: string;
  clusterType: string | null;
  processingDate: string;
  windowDays: number;
  totalAlerts: number | null;
  totalVolumeUsd: number | null;
  severityMax: string | null;
  addresses: number | null;
}

export interface MoneyFlow {
  direction: 'in' | 'out';
  counterparty: string;
  processingDate: string;
  windowDays: number;
  txCount: number | null;
  amountUsd: number | null;
  bidirectional: boolean | null;
}

export interface AlertContext {
  alertId: string;
  address: string;
  /** Newest processing date first, then by window. */
  windows: AlertWindow[];
  features: AddressFeatures[];
  clusters: ClusterSummary[];
  /** The largest flows by USD per direction, date and window. */
  flows: MoneyFlow[];
}

export interface ContextOptions {
  /** Money flows per direction, date and window (default 5). */
  flowsPerDirection?: number;
}

/** The context of `alertId`, or null when no loaded alert has that id. */
export async function alertContext(
  db: Database,
  alertId: string,
  opts: ContextOptions = {},
): Promise<AlertContext | null> {
  const alertCols = await columnsOf(db, 'alerts');
  if (alertCols.size === 0) return null;
  const col = (name: string, as: string, cast = '') =>
    (alertCols.has(name) ? (cast ? `CAST(a.${name} AS ${cast})` : `a.${name}`) : 'NULL') + ` AS ${as}`;
  const windows = tableRows<{
    processing_date: string;
    window_days: number;
    address: string;
    typology: string | null;
    severity: string | null;
    confidence: number | null;
    volume_usd: number | null;
    description: string | null;
    risk_indicators: string | null;
    evidence_json: string | null;
    label: number | null;
    label_source: string | null;
    labeled_by: string | null;
    labeled_at: string | null;
  }>(
    await db.query(
      `SELECT strftime(a.processing_date, '%Y-%m-%d') AS processing_date, CAST(a.window_days AS INTEGER) AS window_days, a.address,
  ${col('typology_type', 'typology')}, ${col('severity', 'severity')}, ${col('alert_confidence_score', 'confidence', 'DOUBLE')},
  ${col('volume_usd', 'volume_usd', 'DOUBLE')}, ${col('description', 'description')},
  ${alertCols.has('risk_indicators') ? "array_to_string(a.risk_indicators, '\u001f')" : 'NULL'} AS risk_indicators,
  ${col('evidence_json', 'evidence_json', 'VARCHAR')},
  CAST(e.label AS INTEGER) AS label, CAST(e.label_source AS VARCHAR) AS label_source, e.labeled_by,
  strftime(e.labeled_at, '%Y-%m-%dT%H:%M:%SZ') AS labeled_at
FROM alerts AS a LEFT JOIN ${EFFECTIVE_LABELS_VIEW} AS e
  ON e.alert_id = a.alert_id AND e.window_days = a.window_days AND e.processing_date = a.processing_date
WHERE a.alert_id = ?
ORDER BY a.processing_date DESC, a.window_days`,
      [alertId],
    ),
  );
  if (windows.length === 0) return null;
  const address = windows[0]!.address;
  const snapshots = windows.map((w) => ({ date: w.processing_date, window: Number(w.window_days) }));
  return {
    alertId,
    address,
    windows: windows.map((w) => ({
      processingDate: w.processing_date,
      windowDays: Number(w.window_days),
      typology: w.typology,
      severity: w.severity,
      confidence: w.confidence,
      volumeUsd: w.volume_usd,
      description: w.description,
      riskIndicators: w.risk_indicators ? w.risk_indicators.split('\u001f') : [],
      evidence: parseEvidence(w.evidence_json),
      label:
        w.label === null || w.label_source === null
          ? null
          : { label: w.label > 0 ? 1 : 0, source: w.label_source, labeledBy: w.labeled_by, labeledAt: w.labeled_at },
    })),
    features: await addressFeatures(db, address, snapshots),
    clusters: await clustersOf(db, alertId, address, snapshots),
    flows: await topFlows(db, address, snapshots, opts.flowsPerDirection ?? 5),
  };
}

interface Snapshot {
  date: string;
  window: number;
}

/** `(processing_date = ? AND window_days = ?) OR ...` with its bound values. */
function snapshotFilter(alias: string, snapshots: Snapshot[]): { sql: string; params: SqlValue[] } {
  return {
    sql: `(${snapshots.map(() => `(${alias}.processing_date = CAST(? AS DATE) AND ${alias}.window_days = ?)`).join(' OR ')})`,
    params: snapshots.flatMap((s) => [s.date, s.window]),
  };
}

async function addressFeatures(db: Database, address: string, snapshots: Snapshot[]): Promise<AddressFeatures[]> {
  const present = await columnsOf(db, 'features');
  const names = KEY_FEATURES.filter((n) => present.has(n));
  if (names.length === 0) return [];
  const filter = snapshotFilter('f', snapshots);
  const values = names.map((n) =>
    n.startsWith('is_') ? `CAST(f.${n} AS BOOLEAN) AS ${n}` : `CAST(f.${n} AS DOUBLE) AS ${n}`,
  );
  const result = tableRows<Record<string, unknown>>(
    await db.query(
      `SELECT strftime(f.processing_date, '%Y-%m-%d') AS processing_date, CAST(f.window_days AS INTEGER) AS window_days, ${values.join(', ')}
FROM features AS f WHERE f.address = ? AND ${filter.sql}
ORDER BY f.processing_date DESC, f.window_days`,
      [address, ...filter.params],
    ),
  );
  return result.map((r) => ({
    processingDate: String(r.processing_date),
    windowDays: Number(r.window_days),
    values: names.map((name) => ({ name, value: (r[name] ?? null) as number | boolean | null })),
  }));
}

async function clustersOf(
  db: Database,
  alertId: string,
  address: string,
  snapshots: Snapshot[],
): Promise<ClusterSummary[]> {
  const present = await columnsOf(db, 'clusters');
  if (!present.has('cluster_id')) return [];
  const member: string[] = [];
  const params: SqlValue[] = [];
  if (present.has('primary_address')) {
    member.push('c.primary_address = ?');
    params.push(address);
  }
  if (present.has('addresses_involved')) {
    member.push('list_contains(c.addresses_involved, ?)');
    params.push(address);
  }
  if (present.has('related_alert_ids')) {
    member.push('list_contains(c.related_alert_ids, ?)');
    params.push(alertId);
  }
  if (present.has('primary_alert_id')) {
    member.push('c.primary_alert_id = ?');
    params.push(alertId);
  }
  if (member.length === 0) return [];
  const filter = snapshotFilter('c', snapshots);
  const opt = (name: string, as: string, cast: string) =>
    (present.has(name) ? `CAST(c.${name} AS ${cast})` : 'NULL') + ` AS ${as}`;
  const result = tableRows<{
    cluster_id: string;
    cluster_type: string | null;
    processing_date: string;
    window_days: number;
    total_alerts: number | null;
    total_volume_usd: number | null;
    severity_max: string | null;
    addresses: number | null;
  }>(
    await db.query(
      `SELECT c.cluster_id, ${opt('cluster_type', 'cluster_type', 'VARCHAR')}, strftime(c.processing_date, '%Y-%m-%d') AS processing_date,
  CAST(c.window_days AS INTEGER) AS window_days, ${opt('total_alerts', 'total_alerts', 'DOUBLE')}, ${opt('total_volume_usd', 'total_volume_usd', 'DOUBLE')},
  ${opt('severity_max', 'severity_max', 'VARCHAR')}, ${present.has('addresses_involved') ? 'CAST(len(c.addresses_involved) AS INTEGER)' : 'NULL'} AS addresses
FROM clusters AS c WHERE (${member.join(' OR ')}) AND ${filter.sql}
ORDER BY c.processing_date DESC, c.window_days, c.cluster_id`,
      [...params, ...filter.params],
    ),
  );
  return result.map((r) => ({
    clusterId: r.cluster_id,
    clusterType: r.cluster_type,
    processingDate: r.processing_date,
    windowDays: Number(r.window_days),
    totalAlerts: r.total_alerts,
    totalVolumeUsd: r.total_volume_usd,
    severityMax: r.severity_max,
    addresses: r.addresses,
  }));
}

async function topFlows(db: Database, address: string, snapshots: Snapshot[], limit: number): Promise<MoneyFlow[]> {
  const present = await columnsOf(db, 'money_flows');
  if (!present.has('from_address') || !present.has('to_address')) return [];
  const amount = present.has('amount_usd_sum') ? 'CAST(m.amount_usd_sum AS DOUBLE)' : 'NULL';
  const filter = snapshotFilter('m', snapshots);
  const result = tableRows<{
    direction: 'in' | 'out';
    counterparty: string;
    processing_date: string;
    window_days: number;
    tx_count: number | null;
    amount_usd: number | null;
    bidirectional: boolean | null;
  }>(
    await db.query(
      `SELECT direction, counterparty, processing_date, window_days, tx_count, amount_usd, bidirectional FROM (
  SELECT CASE WHEN m.to_address = ? THEN 'in' ELSE 'out' END AS direction,
    CASE WHEN m.to_address = ? THEN m.from_address ELSE m.to_address END AS counterparty,
    strftime(m.processing_date, '%Y-%m-%d') AS processing_date, CAST(m.window_days AS INTEGER) AS window_days,
    ${present.has('tx_count') ? 'CAST(m.tx_count AS DOUBLE)' : 'NULL'} AS tx_count, ${amount} AS amount_usd,
    ${present.has('is_bidirectional') ? 'CAST(m.is_bidirectional AS BOOLEAN)' : 'NULL'} AS bidirectional,
    row_number() OVER (PARTITION BY m.processing_date, m.window_days, m.to_address = ? ORDER BY ${amount} DESC NULLS LAST, counterparty) AS pick
  FROM money_flows AS m
  WHERE (m.from_address = ? OR m.to_address = ?) AND ${filter.sql}
) WHERE pick <= ?
ORDER BY processing_date DESC, window_days, direction, amount_usd DESC NULLS LAST, counterparty`,
      [address, address, address, address, address, ...filter.params, limit],
    ),
  );
  return result
    .map((r) => ({
      ...r,
      processingDate: r.processing_date,
      windowDays: Number(r.window_days),
      txCount: r.tx_count,
      amountUsd: r.amount_usd,
    }))
    .map(({ direction, counterparty, processingDate, windowDays, txCount, amountUsd, bidirectional }) => ({
      direction,
      counterparty,
      processingDate,
      windowDays,
      txCount,
      amountUsd,
      bidirectional,
    }));
}

/** Column names of a view or table (empty when it does not exist). */
async function columnsOf(db: Database, table: string): Promise<Set<string>> {
  const result = tableRows<{ column_name: string }>(
    await db.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main'`,
      [table],
    ),
  );
  return new Set(result.map((r) => r.column_name));
}

function parseEvidence(text: string | null): unknown {
  if (text === null || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
