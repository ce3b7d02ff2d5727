/**
 * One snapshot window's view of the transfers: the active addresses (feature rows, in address
 * order), the active relationships (money-flow rows, in (from, to) order) and the per-row and
 * per-flow sums every exported column is computed from.
 */
import { HORIZON_START, type Snapshot } from './calendar.ts';
import { DAY_MS } from './columns.ts';
import type { Population } from './population.ts';
import type { Relationships } from './relationships.ts';
import { ASSET_PRICES, ASSETS } from './roles.ts';
import { BELOW_THRESHOLD, firstAtOrAfter, NIGHT, SMALL, WEEKEND, type Transfers } from './transfers.ts';

export const ASSET_COUNT = ASSETS.length;
const HORIZON_START_MS = HORIZON_START * DAY_MS;

export interface WindowData {
  snapshot: Snapshot;
  /** Feature rows: population index of each row, and row of each address (-1: inactive). */
  rows: number;
  addr: Int32Array;
  rowOf: Int32Array;
  /** Flow rows: relationship of each flow, and flow of each relationship (-1: none). */
  flows: number;
  flowRel: Int32Array;
  flowOf: Int32Array;
  flowFromRow: Int32Array;
  flowToRow: Int32Array;

  // Per flow.
  fTx: Uint32Array;
  fUsd: Float64Array;
  fNative: Float64Array;
  fFirstMs: Float64Array;
  fLastMs: Float64Array;
  fHourly: Uint16Array;
  fWeekly: Uint16Array;
  fAssetUsd: Float64Array;

  // Per row.
  txIn: Uint32Array;
  txOut: Uint32Array;
  usdIn: Float64Array;
  usdOut: Float64Array;
  minTx: Float64Array;
  maxTx: Float64Array;
  lnSumIn: Float64Array;
  lnSumOut: Float64Array;
  lnSum: Float64Array;
  lnSq: Float64Array;
  /** Central moments 2-4 of USD amounts (sums, not yet divided by n). */
  m2: Float64Array;
  m3: Float64Array;
  m4: Float64Array;
  outliers: Uint32Array;
  hourly: Uint16Array;
  hourlyUsd: Float64Array;
  weekday: Uint16Array;
  dayCount: Uint16Array;
  dayUsd: Float64Array;
  night: Uint32Array;
  weekend: Uint32Array;
  small: Uint32Array;
  band: Uint32Array;
  firstMs: Float64Array;
  lastMs: Float64Array;
  assetUsdIn: Float64Array;
  assetUsdOut: Float64Array;
}

/** Out-relationships of each address, sorted by the receiver's address order (built once). */
export interface OutIndex {
  start: Int32Array;
  rels: Int32Array;
}

/** Increment a UInt16 histogram cell, saturating at 65535 like a clamped UInt16 column. */
function bump(histogram: Uint16Array, i: number): void {
  if (histogram[i]! < 65535) histogram[i]!++;
}

/** Per-address sums for one end (sender or receiver) of a transfer; `day` indexes dayCount. */
function addEnd(
  d: WindowData,
  row: number,
  usd: number,
  ms: number,
  hour: number,
  wd: number,
  day: number,
  ln: number,
  flags: number,
): void {
  if (usd < d.minTx[row]!) d.minTx[row] = usd;
  if (usd > d.maxTx[row]!) d.maxTx[row] = usd;
  d.lnSum[row]! += ln;
  d.lnSq[row]! += ln * ln;
  bump(d.hourly, row * 24 + hour);
  d.hourlyUsd[row * 24 + hour]! += usd;
  bump(d.weekday, row * 7 + wd);
  bump(d.dayCount, day);
  d.dayUsd[day]! += usd;
  if (flags & NIGHT) d.night[row]!++;
  if (flags & WEEKEND) d.weekend[row]!++;
  if (flags & SMALL) d.small[row]!++;
  if (flags & BELOW_THRESHOLD) d.band[row]!++;
  if (ms < d.firstMs[row]!) d.firstMs[row] = ms;
  if (ms > d.lastMs[row]!) d.lastMs[row] = ms;
}

function moments(d: WindowData, row: number, usd: number, ln: number, mean: Float64Array, lnCut: Float64Array): void {
  const dev = usd - mean[row]!;
  const dev2 = dev * dev;
  d.m2[row]! += dev2;
  d.m3[row]! += dev2 * dev;
  d.m4[row]! += dev2 * dev2;
  if (ln > lnCut[row]!) d.outliers[row]!++;
}

export function buildOutIndex(pop: Population, rels: Relationships): OutIndex {
  const start = new Int32Array(pop.size + 1);
  for (let i = 0; i < rels.count; i++) start[rels.from[i]! + 1]!++;
  for (let a = 0; a < pop.size; a++) start[a + 1]! += start[a]!;
  const fill = start.slice(0, pop.size);
  const list = new Int32Array(rels.count);
  for (let i = 0; i < rels.count; i++) list[fill[rels.from[i]!]!++] = i;
  for (let a = 0; a < pop.size; a++) {
    const seg = list.subarray(start[a]!, start[a + 1]!);
    if (seg.length > 1) seg.set(Array.from(seg).sort((x, y) => pop.rank[rels.to[x]!]! - pop.rank[rels.to[y]!]!));
  }
  return { start, rels: list };
}

export function sliceWindow(
  snapshot: Snapshot,
  pop: Population,
  rels: Relationships,
  out: OutIndex,
  t: Transfers,
): WindowData {
  const w = snapshot.window;
  const startSecond = (snapshot.startDay - HORIZON_START) * 86_400;
  const endSecond = (snapshot.endDay - HORIZON_START) * 86_400;

  // Pass 1: which relationships (and so addresses) have transfers in the window, and where.
  const rowOf = new Int32Array(pop.size).fill(-1);
  const flowOf = new Int32Array(rels.count).fill(-1);
  const relLo = new Int32Array(rels.count);
  const relHi = new Int32Array(rels.count);
  for (let r = 0; r < rels.count; r++) {
    if (t.start[r] === t.start[r + 1]) continue;
    const lo = firstAtOrAfter(t, r, startSecond);
    const hi = firstAtOrAfter(t, r, endSecond);
    if (hi <= lo) continue;
    relLo[r] = lo;
    relHi[r] = hi;
    flowOf[r] = 0;
    rowOf[rels.from[r]!] = 0;
    rowOf[rels.to[r]!] = 0;
  }
  // Rows in address order; flows in (from, to) address order.
  const addrList: number[] = [];
  for (let i = 0; i < pop.size; i++) {
    const a = pop.byRank[i]!;
    if (rowOf[a] === 0) {
      rowOf[a] = addrList.length;
      addrList.push(a);
    }
  }
  const flowList: number[] = [];
  for (const a of addrList) {
    for (let j = out.start[a]!; j < out.start[a + 1]!; j++) {
      const r = out.rels[j]!;
      if (flowOf[r] === 0) {
        flowOf[r] = flowList.length;
        flowList.push(r);
      }
    }
  }
  const F = addrList.length;
  const E = flowList.length;
  const flowRel = Int32Array.from(flowList);
  const flowFromRow = new Int32Array(E);
  const flowToRow = new Int32Array(E);
  for (let f = 0; f < E; f++) {
    flowFromRow[f] = rowOf[rels.from[flowRel[f]!]!]!;
    flowToRow[f] = rowOf[rels.to[flowRel[f]!]!]!;
  }

  const d: WindowData = {
    snapshot,
    rows: F,
    addr: Int32Array.from(addrList),
    rowOf,
    flows: E,
    flowRel,
    flowOf,
    flowFromRow,
    flowToRow,
    fTx: new Uint32Array(E),
    fUsd: new Float64Array(E),
    fNative: new Float64Array(E),
    fFirstMs: new Float64Array(E).fill(Infinity),
    fLastMs: new Float64Array(E),
    fHourly: new Uint16Array(E * 24),
    fWeekly: new Uint16Array(E * 7),
    fAssetUsd: new Float64Array(E * ASSET_COUNT),
    txIn: new Uint32Array(F),
    txOut: new Uint32Array(F),
    usdIn: new Float64Array(F),
    usdOut: new Float64Array(F),
    minTx: new Float64Array(F).fill(Infinity),
    maxTx: new Float64Array(F),
    lnSumIn: new Float64Array(F),
    lnSumOut: new Float64Array(F),
    lnSum: new Float64Array(F),
    lnSq: new Float64Array(F),
    m2: new Float64Array(F),
    m3: new Float64Array(F),
    m4: new Float64Array(F),
    outliers: new Uint32Array(F),
    hourly: new Uint16Array(F * 24),
    hourlyUsd: new Float64Array(F * 24),
    weekday: new Uint16Array(F * 7),
    dayCount: new Uint16Array(F * w),
    dayUsd: new Float64Array(F * w),
    night: new Uint32Array(F),
    weekend: new Uint32Array(F),
    small: new Uint32Array(F),
    band: new Uint32Array(F),
    firstMs: new Float64Array(F).fill(Infinity),
    lastMs: new Float64Array(F),
    assetUsdIn: new Float64Array(F * ASSET_COUNT),
    assetUsdOut: new Float64Array(F * ASSET_COUNT),
  };

  // Pass 2: sums, per flow and for both ends of each transfer. Flows are visited in sender
  // order, each flow's transfers together, so the rows touched stay in cache.
  for (let f = 0; f < E; f++) {
    const r = flowRel[f]!;
    const from = flowFromRow[f]!;
    const to = flowToRow[f]!;
    for (let k = relLo[r]!; k < relHi[r]!; k++) {
      const usd = t.usd[k]!;
      const asset = t.asset[k]!;
      const sec = t.second[k]!;
      const ms = HORIZON_START_MS + sec * 1000;
      const hour = t.hour[k]!;
      const wd = t.weekday[k]!;
      const dayIdx = Math.floor((sec - startSecond) / 86_400);
      const ln = t.ln[k]!;
      const flags = t.flags[k]!;

      d.fTx[f]!++;
      d.fUsd[f]! += usd;
      d.fNative[f]! += usd / ASSET_PRICES[asset]!;
      if (ms < d.fFirstMs[f]!) d.fFirstMs[f] = ms;
      if (ms > d.fLastMs[f]!) d.fLastMs[f] = ms;
      bump(d.fHourly, f * 24 + hour);
      bump(d.fWeekly, f * 7 + wd);
      d.fAssetUsd[f * ASSET_COUNT + asset]! += usd;

      d.txOut[from]!++;
      d.usdOut[from]! += usd;
      d.lnSumOut[from]! += ln;
      d.assetUsdOut[from * ASSET_COUNT + asset]! += usd;
      addEnd(d, from, usd, ms, hour, wd, from * w + dayIdx, ln, flags);

      d.txIn[to]!++;
      d.usdIn[to]! += usd;
      d.lnSumIn[to]! += ln;
      d.assetUsdIn[to * ASSET_COUNT + asset]! += usd;
      addEnd(d, to, usd, ms, hour, wd, to * w + dayIdx, ln, flags);
    }
  }

  // Pass 3: central moments and outliers (amounts more than 3 sd above the mean in log terms).
  const mean = new Float64Array(F);
  const lnCut = new Float64Array(F).fill(Infinity);
  for (let v = 0; v < F; v++) {
    const n = d.txIn[v]! + d.txOut[v]!;
    mean[v] = (d.usdIn[v]! + d.usdOut[v]!) / n;
    const lnMean = d.lnSum[v]! / n;
    if (n >= 5) lnCut[v] = lnMean + 3 * Math.sqrt(Math.max(0, d.lnSq[v]! / n - lnMean * lnMean));
  }
  for (let f = 0; f < E; f++) {
    const r = flowRel[f]!;
    for (let k = relLo[r]!; k < relHi[r]!; k++) {
      const usd = t.usd[k]!;
      const ln = t.ln[k]!;
      moments(d, flowFromRow[f]!, usd, ln, mean, lnCut);
      moments(d, flowToRow[f]!, usd, ln, mean, lnCut);
    }
  }
  return d;
}
