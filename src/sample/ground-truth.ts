/**
 * ground_truth.parquet: the planted truth per alert, which no exported column reveals directly.
 *
 * One row per distinct alert (alert_id already encodes the date; the 7- and 30-day windows of a
 * date share ids). is_illicit is the latent truth of the alert's address. Positives carry the date
 * their confirmation arrived, 7 to 30 days after the processing date (the validator's T+7, T+14,
 * T+30 horizons); negatives have confirmed_at NULL: nothing was ever confirmed about them, which
 * is also what a validator would see for a benign alert.
 */
import type { Table } from 'apache-arrow';
import * as col from './columns.ts';
import type { Population } from './population.ts';
import { hash01 } from './prng.ts';

export interface TruthRow {
  id: string;
  address: number;
  day: number;
  illicit: boolean;
}

export function confirmationMs(seed: number, row: TruthRow): number {
  const days = 7 + Math.floor(hash01(seed, 'confirmed-days', row.id) * 24);
  const within = Math.floor(hash01(seed, 'confirmed-time', row.id) * col.DAY_MS);
  return (row.day + days) * col.DAY_MS + within;
}

/** Rows ordered by (processing_date, alert_id). */
export function sortTruth(rows: TruthRow[]): TruthRow[] {
  return rows.sort((x, y) => x.day - y.day || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

export function groundTruthTable(rows: readonly TruthRow[], pop: Population, seed: number): Table {
  return col.tableOf({
    alert_id: col.utf8(rows.map((r) => r.id)),
    address: col.utf8(rows.map((r) => pop.address[r.address]!)),
    processing_date: col.date32(Int32Array.from(rows, (r) => r.day)),
    is_illicit: col.bool(Uint8Array.from(rows, (r) => (r.illicit ? 1 : 0))),
    confirmed_at: col.timestampFromMs(
      rows.map((r) => (r.illicit ? confirmationMs(seed, r) : 0)),
      Uint8Array.from(rows, (r) => (r.illicit ? 0 : 1)),
    ),
  });
}
