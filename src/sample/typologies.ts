/**
 * Alert candidates of one window: which typologies fire for which address, with what confidence.
 *
 * The six rule typologies use the SOT typology detector's own gates and confidence formulas
 * (PEEL_CHAIN, STRUCTURING, PING_PONG, RAPID_FANOUT, VELOCITY_ANOMALY over the address's features;
 * FRESH_TO_EXCHANGE fixed at 0.9 for new addresses paying labelled exchanges), emitted above 0.6
 * (0.7 for PING_PONG and VELOCITY_ANOMALY). The six structural typologies come from graph
 * patterns (cycles, pass-through chains, fan-in/fan-out motifs, smurfing, proximity to critical
 * labels) whose risk score is at least 0.5, so they give the rare `low` alerts.
 *
 * Every confidence gets Gaussian noise (sd 0.05) on top of its formula: the detector sees more
 * than the exported features (pattern context, exact amounts), so the exported confidence is a
 * noisy, not an exact, function of the feature row.
 */
import type { AddressLabels } from './address-labels.ts';
import type { FeatureSet } from './features.ts';
import { rng, type Rng } from './prng.ts';
import type { Relationships } from './relationships.ts';

/** The 12 active typologies, in the order the SOT detector runs them. */
export const TYPOLOGIES = [
  'PEEL_CHAIN',
  'STRUCTURING',
  'PING_PONG',
  'RAPID_FANOUT',
  'VELOCITY_ANOMALY',
  'FRESH_TO_EXCHANGE',
  'CYCLE_DETECTION',
  'LAYERING_PATH',
  'SMURFING_NETWORK',
  'PROXIMITY_RISK',
  'MOTIF_FANIN',
  'MOTIF_FANOUT',
] as const;
export type Typology = (typeof TYPOLOGIES)[number];
/** Typology index by name: T.PEEL_CHAIN === 0, the order of TYPOLOGIES. */
export const T = Object.fromEntries(TYPOLOGIES.map((t, i) => [t, i])) as Record<Typology, number>;

/** Structural typologies come from pattern detectors (risk score >= 0.5). */
export const STRUCTURAL_FROM = T.CYCLE_DETECTION;
export const PATTERN_TYPES = [
  'cycle',
  'layering_path',
  'smurfing_network',
  'proximity_risk',
  'motif_fanin',
  'motif_fanout',
] as const;

/**
 * How strongly an address's alerts of each typology count when the export picks which alerted
 * addresses to keep (export-selection.ts). Benign traders and bots set off PING_PONG and
 * VELOCITY_ANOMALY (always emitted at 0.7 or more, so nearly always high) in bulk; weighting them
 * down keeps the typology mix uneven but not swamped by them. No confidence is changed.
 */
export const TYPOLOGY_WEIGHTS: Readonly<Record<Typology, number>> = {
  PEEL_CHAIN: 0.6,
  STRUCTURING: 1.3,
  PING_PONG: 0.4,
  RAPID_FANOUT: 1.2,
  VELOCITY_ANOMALY: 0.5,
  FRESH_TO_EXCHANGE: 1,
  CYCLE_DETECTION: 2,
  LAYERING_PATH: 1.5,
  SMURFING_NETWORK: 1.2,
  PROXIMITY_RISK: 1,
  MOTIF_FANIN: 1.2,
  MOTIF_FANOUT: 1.2,
};

export const FRESH_CONFIDENCE = 0.9;
const NOISE_SD = 0.05;
const MIN_STRUCTURAL_RISK = 0.5;

export interface Candidates {
  count: number;
  row: Int32Array;
  typology: Uint8Array;
  /** Confidence as the SOT computed it (before any export-side NULL). */
  confidence: Float32Array;
  /** Typology-specific evidence numbers (cycle length, path depth, hop distance, USD...). */
  aux1: Float64Array;
  aux2: Float64Array;
  /** Per FRESH_TO_EXCHANGE candidate: the labelled exchanges paid, with USD. */
  exchanges: Map<number, { address: number; label: string; usd: number }[]>;
}

class CandidateList {
  row: number[] = [];
  typology: number[] = [];
  confidence: number[] = [];
  aux1: number[] = [];
  aux2: number[] = [];
  exchanges = new Map<number, { address: number; label: string; usd: number }[]>();
  push(row: number, typology: number, confidence: number, aux1 = 0, aux2 = 0): number {
    this.row.push(row);
    this.typology.push(typology);
    this.confidence.push(Math.fround(confidence));
    this.aux1.push(aux1);
    this.aux2.push(aux2);
    return this.row.length - 1;
  }
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Rows lying on a directed cycle of 3 or 4 low-degree addresses: [length, cycle USD]. */
function findCycles(fs: FeatureSet): { length: Uint8Array; usd: Float64Array } {
  const d = fs.window;
  const F = d.rows;
  const degree = fs.num['degree_total']!;
  const outStart = new Int32Array(F + 1);
  for (let f = 0; f < d.flows; f++) outStart[d.flowFromRow[f]! + 1]!++;
  for (let v = 0; v < F; v++) outStart[v + 1]! += outStart[v]!;
  // Flows are ordered by sender row, so flow f of row v is at outStart[v] + k.
  const length = new Uint8Array(F);
  const usd = new Float64Array(F);
  const small = (v: number) => degree[v]! <= 30;
  const mark = (path: number[], flows: number[]) => {
    let total = 0;
    for (const f of flows) total += d.fUsd[f]!;
    for (const v of path) {
      if (length[v] === 0 || path.length < length[v]!) {
        length[v] = path.length;
        usd[v] = total;
      }
    }
  };
  for (let s = 0; s < F; s++) {
    if (!small(s)) continue;
    // Each cycle is found once, from its lowest row.
    for (let i = outStart[s]!; i < outStart[s + 1]!; i++) {
      const b = d.flowToRow[i]!;
      if (b <= s || !small(b)) continue;
      for (let j = outStart[b]!; j < outStart[b + 1]!; j++) {
        const c = d.flowToRow[j]!;
        if (c <= s || c === b || !small(c)) continue;
        for (let k = outStart[c]!; k < outStart[c + 1]!; k++) {
          const e = d.flowToRow[k]!;
          if (e === s) mark([s, b, c], [i, j, k]);
          else if (e > s && e !== b && small(e)) {
            for (let m = outStart[e]!; m < outStart[e + 1]!; m++)
              if (d.flowToRow[m] === s) mark([s, b, c, e], [i, j, k, m]);
          }
        }
      }
    }
  }
  return { length, usd };
}

/** Pass-through chains: number of consecutive pass-through addresses through each row. */
function layeringDepth(fs: FeatureSet): Uint8Array {
  const d = fs.window;
  const F = d.rows;
  const n = fs.num;
  const pass = new Uint8Array(F);
  for (let v = 0; v < F; v++) {
    const vol = n['total_volume_usd']![v]!;
    pass[v] =
      n['degree_in']![v]! >= 1 &&
      n['degree_in']![v]! <= 4 &&
      n['degree_out']![v]! >= 1 &&
      n['degree_out']![v]! <= 4 &&
      vol >= 2000 &&
      Math.abs(n['net_flow_usd']![v]!) <= 0.2 * vol
        ? 1
        : 0;
  }
  const down = new Uint8Array(F);
  const up = new Uint8Array(F);
  // A few relaxation sweeps give chain lengths up to the cap without recursion.
  for (let sweep = 0; sweep < 6; sweep++) {
    for (let f = 0; f < d.flows; f++) {
      const a = d.flowFromRow[f]!;
      const b = d.flowToRow[f]!;
      if (!pass[a] || !pass[b]) continue;
      down[a] = Math.max(down[a]!, Math.min(7, down[b]! + 1));
      up[b] = Math.max(up[b]!, Math.min(7, up[a]! + 1));
    }
  }
  const depth = new Uint8Array(F);
  for (let v = 0; v < F; v++) if (pass[v]) depth[v] = 1 + down[v]! + up[v]!;
  return depth;
}

/** Hop distance (1 or 2) to an address with a critical label, and the USD exchanged at 1 hop. */
function proximity(fs: FeatureSet, labels: AddressLabels): { distance: Uint8Array; exposure: Float64Array } {
  const d = fs.window;
  const F = d.rows;
  const degree = fs.num['degree_total']!;
  const distance = new Uint8Array(F);
  const exposure = new Float64Array(F);
  const source = new Uint8Array(F);
  for (let v = 0; v < F; v++) source[v] = labels.riskSource[d.addr[v]!]!;
  for (let f = 0; f < d.flows; f++) {
    const a = d.flowFromRow[f]!;
    const b = d.flowToRow[f]!;
    if (source[b]) {
      distance[a] = 1;
      exposure[a]! += d.fUsd[f]!;
    }
    if (source[a]) {
      distance[b] = 1;
      exposure[b]! += d.fUsd[f]!;
    }
  }
  // Two hops only through small intermediaries (everyone is two hops from everyone via a hub).
  for (let f = 0; f < d.flows; f++) {
    const a = d.flowFromRow[f]!;
    const b = d.flowToRow[f]!;
    if (distance[b] === 1 && !source[b] && degree[b]! <= 10 && distance[a] === 0) distance[a] = 2;
    if (distance[a] === 1 && !source[a] && degree[a]! <= 10 && distance[b] === 0) distance[b] = 2;
  }
  return { distance, exposure };
}

/** Money paid by each new address to labelled exchanges in the window. */
function freshToExchange(
  fs: FeatureSet,
  rels: Relationships,
  labels: AddressLabels,
): Map<number, { address: number; label: string; usd: number }[]> {
  const d = fs.window;
  const isNew = fs.num['is_new_address']!;
  const out = new Map<number, { address: number; label: string; usd: number }[]>();
  for (let f = 0; f < d.flows; f++) {
    const v = d.flowFromRow[f]!;
    if (!isNew[v]) continue;
    const to = rels.to[d.flowRel[f]!]!;
    const label = labels.exchangeLabel[to];
    if (label === undefined) continue;
    let list = out.get(v);
    if (!list) out.set(v, (list = []));
    list.push({ address: to, label, usd: d.fUsd[f]! });
  }
  return out;
}

export function findCandidates(fs: FeatureSet, rels: Relationships, labels: AddressLabels, seed: number): Candidates {
  const d = fs.window;
  const F = d.rows;
  const w = d.snapshot.window;
  const r: Rng = rng(seed, `typologies-${d.snapshot.date}-${w}`);
  const noisy = (x: number) => clamp01(x + NOISE_SD * r.normal());
  const n = fs.num;
  const list = new CandidateList();
  const cycles = findCycles(fs);
  const depth = layeringDepth(fs);
  const near = proximity(fs, labels);
  const fresh = freshToExchange(fs, rels, labels);

  for (let v = 0; v < F; v++) {
    const degIn = n['degree_in']![v]!;
    const degOut = n['degree_out']![v]!;
    const degTotal = n['degree_total']![v]!;
    const vol = n['total_volume_usd']![v]!;
    const burst = n['burst_factor']![v]!;
    const tx = n['tx_total_count']![v]!;

    // PEEL_CHAIN (the SOT reads degree_total as "degree_out" here).
    if (degTotal >= 5 && vol >= 1000 && burst < 0.3) {
      const c = noisy(Math.min((degTotal / 20) * 0.4 + Math.min(vol / 50000, 1) * 0.3 + (1 - burst) * 0.3, 1));
      if (c > 0.6) list.push(v, T.PEEL_CHAIN, c);
    }
    // STRUCTURING
    const structuring = n['structuring_score']![v]!;
    if (structuring > 0.3 && tx >= 10 && vol > 0) {
      const avg = vol / tx;
      if (avg < 9500) {
        const c = noisy(
          Math.min(structuring * 0.5 + Math.min(tx / 50, 1) * 0.3 + (1 - Math.min(avg / 10000, 1)) * 0.2, 1),
        );
        if (c > 0.6) list.push(v, T.STRUCTURING, c, avg);
      }
    }
    // PING_PONG
    const reciprocity = n['reciprocity_ratio']![v]!;
    if (reciprocity > 0.7 && degTotal < 10 && vol >= 1000) {
      const c = noisy(Math.min(reciprocity * 0.5 + (1 - degTotal / 20) * 0.3 + Math.min(vol / 10000, 1) * 0.2, 1));
      if (c > 0.7) list.push(v, T.PING_PONG, c);
    }
    // RAPID_FANOUT (degree_total again)
    if (degTotal >= 10 && burst > 0.5 && vol >= 5000) {
      const c = noisy(Math.min((degTotal / 50) * 0.4 + burst * 0.4 + Math.min(vol / 25000, 1) * 0.2, 1));
      if (c > 0.6) list.push(v, T.RAPID_FANOUT, c);
    }
    // VELOCITY_ANOMALY
    const velocity = n['velocity_score']![v]!;
    if (velocity > 0.7 && vol >= 5000 && burst > 0.7) {
      const daily = tx / w;
      const c = noisy(Math.min(velocity * 0.4 + burst * 0.3 + Math.min(daily / 20, 1) * 0.3, 1));
      if (c > 0.7) list.push(v, T.VELOCITY_ANOMALY, c, daily);
    }
    // FRESH_TO_EXCHANGE: fixed confidence, no noise.
    const paid = fresh.get(v);
    if (paid && n['total_out_usd']![v]! >= 500) {
      const usd = paid.reduce((s, x) => s + x.usd, 0);
      if (usd >= 500) list.exchanges.set(list.push(v, T.FRESH_TO_EXCHANGE, FRESH_CONFIDENCE, usd), paid);
    }

    // Structural patterns.
    if (cycles.length[v]) {
      const usd = cycles.usd[v]!;
      const c = noisy(0.5 + 0.3 * Math.min(Math.log10(1 + usd) / 6, 1) + 0.05 * (cycles.length[v]! - 3));
      if (c >= MIN_STRUCTURAL_RISK) list.push(v, T.CYCLE_DETECTION, c, cycles.length[v]!, usd);
    }
    if (depth[v]! >= 2) {
      const c = noisy(0.5 + 0.05 * Math.min(depth[v]!, 6) + 0.15 * Math.min(vol / 100000, 1));
      if (c >= MIN_STRUCTURAL_RISK) list.push(v, T.LAYERING_PATH, c, depth[v]! + 1, vol);
    }
    const avgIn = n['avg_tx_in_usd']![v]!;
    const small = n['small_transaction_ratio']![v]!;
    if (degIn >= 5 && degOut <= degIn && degTotal < 150 && avgIn <= 3000 && (structuring >= 0.2 || small >= 0.3)) {
      const c = noisy(0.52 + 0.25 * Math.min(degIn / 30, 1) + 0.25 * structuring + 0.1 * small);
      if (c >= MIN_STRUCTURAL_RISK) list.push(v, T.SMURFING_NETWORK, c, degIn + 1, n['clustering_coefficient']![v]!);
    }
    if (near.distance[v] && degTotal <= 100) {
      const exposure = near.exposure[v]!;
      const base =
        near.distance[v] === 1 ? 0.63 + 0.3 * Math.min(exposure / 10000, 1) : 0.58 + 0.1 * Math.min(vol / 20000, 1);
      const c = noisy(base);
      if (c >= MIN_STRUCTURAL_RISK) list.push(v, T.PROXIMITY_RISK, c, near.distance[v]!, exposure);
    }
    // Fan-in / fan-out motifs: one hub, many one-directional counterparties.
    if (degIn >= 5 && degIn >= 3 * degOut) {
      const c = noisy(0.56 + 0.3 * Math.min(degIn / 40, 1) + 0.1 * n['counterparty_concentration']![v]!);
      if (c >= MIN_STRUCTURAL_RISK) list.push(v, T.MOTIF_FANIN, c, degIn + degOut + 1);
    }
    if (degOut >= 5 && degOut >= 3 * degIn) {
      const c = noisy(0.56 + 0.3 * Math.min(degOut / 40, 1) + 0.1 * burst);
      if (c >= MIN_STRUCTURAL_RISK) list.push(v, T.MOTIF_FANOUT, c, degIn + degOut + 1);
    }
  }

  return {
    count: list.row.length,
    row: Int32Array.from(list.row),
    typology: Uint8Array.from(list.typology),
    confidence: Float32Array.from(list.confidence),
    aux1: Float64Array.from(list.aux1),
    aux2: Float64Array.from(list.aux2),
    exchanges: list.exchanges,
  };
}

/**
 * The SOT's bucketing of confidence into severity: >= 0.9 critical, >= 0.75 high, >= 0.6 medium,
 * else low. The confidence column is Float32, in which FRESH_TO_EXCHANGE's 0.9 reads back as
 * 0.89999998: thresholds are compared at Float32 precision too (as SQL does when it compares a
 * FLOAT column with 0.9), or every FRESH_TO_EXCHANGE alert would look mis-bucketed.
 */
export const SEVERITY_THRESHOLDS = {
  critical: Math.fround(0.9),
  high: Math.fround(0.75),
  medium: Math.fround(0.6),
} as const;

export function severityOf(confidence: number): 'critical' | 'high' | 'medium' | 'low' {
  const c = Math.fround(confidence);
  if (c >= SEVERITY_THRESHOLDS.critical) return 'critical';
  if (c >= SEVERITY_THRESHOLDS.high) return 'high';
  if (c >= SEVERITY_THRESHOLDS.medium) return 'medium';
  return 'low';
}
