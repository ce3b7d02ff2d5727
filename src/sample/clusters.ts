/**
 * The clusters table (clusters.parquet). The SOT only runs its same_entity strategy: all alerts of
 * one address in a window, when there are at least two, form the cluster
 * `cluster_same_entity_{address}_{date}`. Its volume is the first alert's (not a sum: every alert
 * of the address reports the same activity), severity_max the highest severity, confidence_avg
 * the mean of the computed confidences.
 */
import type { Table } from 'apache-arrow';
import type { Alert } from './alerts.ts';
import * as col from './columns.ts';
import type { FeatureSet } from './features.ts';
import type { Population } from './population.ts';

const SEVERITY_RANK: Readonly<Record<string, number>> = { low: 1, medium: 2, high: 3, critical: 4 };
export const MIN_ALERTS_PER_CLUSTER = 2;

export interface Cluster {
  id: string;
  address: number;
  row: number;
  /** Alerts in detection order (typology order), the first being the primary alert. */
  alerts: Alert[];
}

export function buildClusters(alerts: readonly Alert[], fs: FeatureSet, pop: Population): Cluster[] {
  const byAddress = new Map<number, Alert[]>();
  for (const a of alerts) {
    let list = byAddress.get(a.address);
    if (!list) byAddress.set(a.address, (list = []));
    list.push(a);
  }
  const clusters: Cluster[] = [];
  for (const [address, list] of byAddress) {
    if (list.length < MIN_ALERTS_PER_CLUSTER) continue;
    list.sort((x, y) => x.typology - y.typology);
    clusters.push({
      id: `cluster_same_entity_${pop.address[address]!}_${fs.window.snapshot.date}`,
      address,
      row: list[0]!.row,
      alerts: list,
    });
  }
  return clusters.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

export function clustersTable(clusters: readonly Cluster[], fs: FeatureSet, pop: Population): Table {
  const s = fs.window.snapshot;
  const n = clusters.length;
  const first = fs.num['first_activity_timestamp']!;
  const last = fs.num['last_activity_timestamp']!;
  return col.tableOf({
    window_days: col.u16(new Uint16Array(n).fill(s.window)),
    processing_date: col.date32(new Int32Array(n).fill(s.day)),
    cluster_id: col.utf8(clusters.map((c) => c.id)),
    cluster_type: col.utf8(new Array<string>(n).fill('same_entity')),
    primary_address: col.utf8(clusters.map((c) => pop.address[c.address]!)),
    pattern_id: col.utf8(new Array<string>(n).fill('')),
    primary_alert_id: col.utf8(clusters.map((c) => c.alerts[0]!.id)),
    related_alert_ids: col.listUtf8(clusters.map((c) => c.alerts.map((a) => a.id))),
    addresses_involved: col.listUtf8(clusters.map((c) => [pop.address[c.address]!])),
    total_alerts: col.u32(Uint32Array.from(clusters, (c) => c.alerts.length)),
    total_volume_usd: col.decimal(
      clusters.map((c) => c.alerts[0]!.volume),
      18,
      2,
    ),
    severity_max: col.utf8(
      clusters.map((c) =>
        c.alerts.reduce((m, a) => (SEVERITY_RANK[a.severity]! > SEVERITY_RANK[m]! ? a.severity : m), 'low'),
      ),
    ),
    confidence_avg: col.f32(
      Float32Array.from(clusters, (c) => c.alerts.reduce((sum, a) => sum + a.confidence, 0) / c.alerts.length),
    ),
    // The alerted behaviour spans the address's activity in the window.
    earliest_alert_timestamp: col.u64(clusters.map((c) => first[c.row]!)),
    latest_alert_timestamp: col.u64(clusters.map((c) => last[c.row]!)),
  });
}
