/**
 * Which part of a simulated window goes into the export.
 *
 * The simulated chain is larger than the sample: a complete export with 20,000 alerts would not
 * fit the 15 MB budget of the committed sample, since every alerted address also brings feature
 * rows and money flows for all its counterparties. So each window exports:
 *
 * - alerts: all alerts of a sample of the alerted addresses, drawn without replacement with
 *   weights (the sum of their typologies' prevalence weights, so busy addresses with several
 *   typologies are likelier to be in), until the window's quota is met exactly;
 * - feature rows: those addresses plus about as many (NON_ALERTED_RATIO times) active addresses
 *   the detectors did not flag;
 * - money flows: the flows between exported addresses (so every flow endpoint has a feature row).
 *
 * The draws hash the address and the seed only, so the same addresses tend to be exported in
 * every window and date (a stable panel), and an alert kept in the 7-day window of a date is
 * usually kept in its 30-day window with the same alert_id.
 */
import type { FeatureSet } from './features.ts';
import type { Population } from './population.ts';
import { hash01 } from './prng.ts';
import { TYPOLOGIES, TYPOLOGY_WEIGHTS, type Candidates } from './typologies.ts';

/** Exported addresses without alerts, per exported address with alerts. */
export const NON_ALERTED_RATIO = 1.05;
/**
 * Selection weight = (sum of the address's typology weights) ^ SELECTION_POWER: addresses flagged
 * by several detectors are favoured, which keeps the sample's alerts per alerted address near the
 * SOT's busiest windows (about two) and the committed sample within its size budget.
 */
export const SELECTION_POWER = 4;

export interface ExportSelection {
  /** Candidate indexes that become alerts (exactly the quota when enough candidates exist). */
  alerts: number[];
  /** Exported feature rows, ascending (so in address order). */
  rows: Int32Array;
  /** Exported flows (both endpoints exported), ascending. */
  flows: Int32Array;
  alertedAddresses: number;
}

/** Split a date's alert quota between its windows in proportion to their candidates. */
export function splitQuota(total: number, available: readonly number[]): number[] {
  const sum = available.reduce((a, b) => a + b, 0);
  if (sum <= total) return [...available];
  const quota = available.map((c) => Math.floor((total * c) / sum));
  let left = total - quota.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % quota.length) {
    if (quota[i]! < available[i]!) {
      quota[i]!++;
      left--;
    }
  }
  return quota;
}

export function selectExport(
  fs: FeatureSet,
  c: Candidates,
  pop: Population,
  quota: number,
  seed: number,
): ExportSelection {
  const d = fs.window;
  // Candidates per row, in typology (detection) order.
  const byRow = new Map<number, number[]>();
  for (let i = 0; i < c.count; i++) {
    let list = byRow.get(c.row[i]!);
    if (!list) byRow.set(c.row[i]!, (list = []));
    list.push(i);
  }
  // Efraimidis-Spirakis: key -ln(u)/weight, smallest first, u from the address alone.
  const flagged = [...byRow.entries()].map(([row, list]) => {
    list.sort((x, y) => c.typology[x]! - c.typology[y]!);
    const weight = list.reduce((s, i) => s + TYPOLOGY_WEIGHTS[TYPOLOGIES[c.typology[i]!]!], 0) ** SELECTION_POWER;
    const u = hash01(seed, 'export', pop.address[d.addr[row]!]!);
    return { row, list, key: -Math.log(1 - u) / weight };
  });
  flagged.sort((x, y) => x.key - y.key || x.row - y.row);

  const alerts: number[] = [];
  const exported = new Uint8Array(d.rows);
  let alertedAddresses = 0;
  for (const f of flagged) {
    if (alerts.length >= quota) break;
    // The last address may contribute only part of its alerts, to hit the quota exactly.
    for (const i of f.list.slice(0, quota - alerts.length)) alerts.push(i);
    exported[f.row] = 1;
    alertedAddresses++;
  }

  // Addresses the detectors did not flag, in their own hash order.
  const quiet: { row: number; key: number }[] = [];
  for (let v = 0; v < d.rows; v++) {
    if (!byRow.has(v)) quiet.push({ row: v, key: hash01(seed, 'export-quiet', pop.address[d.addr[v]!]!) });
  }
  quiet.sort((x, y) => x.key - y.key || x.row - y.row);
  const wanted = Math.round(alertedAddresses * NON_ALERTED_RATIO);
  for (const q of quiet.slice(0, wanted)) exported[q.row] = 1;

  const rows: number[] = [];
  for (let v = 0; v < d.rows; v++) if (exported[v]) rows.push(v);
  const flows: number[] = [];
  for (let f = 0; f < d.flows; f++) if (exported[d.flowFromRow[f]!] && exported[d.flowToRow[f]!]) flows.push(f);
  return { alerts, rows: Int32Array.from(rows), flows: Int32Array.from(flows), alertedAddresses };
}
