/**
 * The money-flows table (money_flows.parquet): one row per (from, to) pair with transfers in the
 * window, with the SOT view's columns. reciprocity_ratio is min/max of the USD sums of the two
 * directions (0 when one-way); active_days is the SOT's span formula
 * max(1, (last_seen - first_seen) / 1 day), not a count of days with transfers.
 *
 * Only flows between exported addresses are written (see export-selection.ts); both directions of
 * a pair are always exported together.
 *
 * The exporter adds processing_date (as a string: the real quirk) and window_days (a Python int,
 * so Int64) to each row after the SOT's columns, so they come last here too.
 */
import type { Table } from 'apache-arrow';
import * as col from './columns.ts';
import type { Population } from './population.ts';
import type { Relationships } from './relationships.ts';
import { ASSETS } from './roles.ts';
import { ASSET_COUNT, type WindowData } from './window.ts';

export function moneyFlowsTable(d: WindowData, pop: Population, rels: Relationships, flows: Int32Array): Table {
  const E = flows.length;
  const uniqueAssets = new Uint32Array(E);
  const dominant = new Array<string>(E);
  const reciprocity = new Float32Array(E);
  const bidirectional = new Uint8Array(E);
  const activeDays = new Uint32Array(E);
  const avgSize = new Float64Array(E);
  const tx = new Float64Array(E);
  const usd = new Float64Array(E);
  const native = new Float64Array(E);
  const first = new Float64Array(E);
  const last = new Float64Array(E);
  const hourly = new Uint16Array(E * 24);
  const weekly = new Uint16Array(E * 7);
  for (let i = 0; i < E; i++) {
    const f = flows[i]!;
    tx[i] = d.fTx[f]!;
    usd[i] = d.fUsd[f]!;
    native[i] = d.fNative[f]!;
    first[i] = d.fFirstMs[f]!;
    last[i] = d.fLastMs[f]!;
    hourly.set(d.fHourly.subarray(f * 24, f * 24 + 24), i * 24);
    weekly.set(d.fWeekly.subarray(f * 7, f * 7 + 7), i * 7);
    let best = 0;
    for (let s = 0; s < ASSET_COUNT; s++) {
      const assetUsd = d.fAssetUsd[f * ASSET_COUNT + s]!;
      if (assetUsd > 0) uniqueAssets[i]!++;
      if (assetUsd > d.fAssetUsd[f * ASSET_COUNT + best]!) best = s;
    }
    dominant[i] = ASSETS[best]!;
    const rev = rels.reverse[d.flowRel[f]!]!;
    const revFlow = rev >= 0 ? d.flowOf[rev]! : -1;
    if (revFlow >= 0) {
      bidirectional[i] = 1;
      const a = d.fUsd[f]!;
      const b = d.fUsd[revFlow]!;
      reciprocity[i] = Math.round((Math.min(a, b) / Math.max(a, b)) * 10000) / 10000;
    }
    activeDays[i] = Math.max(1, Math.floor((d.fLastMs[f]! - d.fFirstMs[f]!) / col.DAY_MS));
    avgSize[i] = d.fUsd[f]! / d.fTx[f]!;
  }
  return col.tableOf({
    from_address: col.utf8(Array.from(flows, (f) => pop.address[rels.from[d.flowRel[f]!]!]!)),
    to_address: col.utf8(Array.from(flows, (f) => pop.address[rels.to[d.flowRel[f]!]!]!)),
    tx_count: col.u64(tx),
    amount_sum: col.decimal(native, 38, 6, 6),
    amount_usd_sum: col.decimal(usd, 18, 2),
    first_seen_timestamp: col.u64(first),
    last_seen_timestamp: col.u64(last),
    active_days: col.u32(activeDays),
    avg_tx_size_usd: col.decimal(avgSize, 18, 2),
    unique_assets: col.u32(uniqueAssets),
    dominant_asset: col.utf8(dominant),
    hourly_pattern: col.listU16(hourly, 24),
    weekly_pattern: col.listU16(weekly, 7),
    reciprocity_ratio: col.f32(reciprocity),
    is_bidirectional: col.bool(bidirectional),
    processing_date: col.utf8(new Array<string>(E).fill(d.snapshot.date)),
    window_days: col.i64(new Array<number>(E).fill(d.snapshot.window)),
  });
}
