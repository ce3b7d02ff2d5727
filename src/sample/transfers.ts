/**
 * Individual transfers over the whole horizon. Features, money flows and alerts are all
 * aggregates of these transfers, which keeps them consistent with each other (degree_out equals
 * the number of flow rows from the address, tx counts and USD totals add up), and the 7-day
 * window of a date is exactly contained in its 30-day window.
 *
 * Storage is relationship-major: the transfers of relationship r are [start[r], start[r+1]),
 * sorted by time. A window then visits each relationship's slice in turn, so the sender and
 * receiver rows it updates stay in cache (a time-sorted layout touched random rows on every
 * transfer and was five times slower at a million alerts).
 */
import { HORIZON_DAYS, HORIZON_START, weekdayMon0 } from './calendar.ts';
import { BURST_DAYS, type Population } from './population.ts';
import { rng, type Rng } from './prng.ts';
import type { Relationships } from './relationships.ts';
import { ASSET_WEIGHTS, Role, ROLES, THRESHOLDS } from './roles.ts';

export interface Transfers {
  count: number;
  /** Transfers of relationship r: [start[r], start[r + 1]). */
  start: Int32Array;
  /** Seconds since the horizon start (UTC midnight of its first day). */
  second: Uint32Array;
  usd: Float64Array;
  asset: Uint8Array;
  /** Derived once here rather than in every window: UTC hour, weekday (Monday 0), ln(usd), flags. */
  hour: Uint8Array;
  weekday: Uint8Array;
  ln: Float32Array;
  flags: Uint8Array;
}

/** UTC hours 00-05 count as night, as the SOT's night_transaction_ratio does. */
export const NIGHT_END_HOUR = 6;
export const SMALL_TX_USD = 100;
/** Bits of Transfers.flags. */
export const NIGHT = 1;
export const WEEKEND = 2;
export const SMALL = 4;
/** Amount in [85%, 100%) of a reporting threshold: what structuring_score counts. */
export const BELOW_THRESHOLD = 8;

function newTransfers(count: number, start: Int32Array): Transfers {
  return {
    count,
    start,
    second: new Uint32Array(count),
    usd: new Float64Array(count),
    asset: new Uint8Array(count),
    hour: new Uint8Array(count),
    weekday: new Uint8Array(count),
    ln: new Float32Array(count),
    flags: new Uint8Array(count),
  };
}

const MIXER_DENOMINATIONS = [100, 1000, 10000];
const DAY_S = 86_400;

function dayWithin(r: Rng, lo: number, hi: number, weekendWeight: number): number {
  // Uniform over [lo, hi), thinned on weekends by the address's weekend weight.
  for (let tries = 0; tries < 4; tries++) {
    const d = lo + r.int(hi - lo);
    const wd = weekdayMon0(HORIZON_START + d);
    if (wd < 5 || r.next() < weekendWeight) return d;
  }
  return lo + r.int(hi - lo);
}

function burstDayWithin(pop: Population, a: number, r: Rng, lo: number, hi: number): number {
  const first = r.int(BURST_DAYS);
  for (let k = 0; k < BURST_DAYS; k++) {
    const d = pop.burstDay[a * BURST_DAYS + ((first + k) % BURST_DAYS)]!;
    if (d >= lo && d < hi) return d;
  }
  return -1;
}

export function simulateTransfers(seed: number, pop: Population, rels: Relationships): Transfers {
  const r = rng(seed, 'transfers');

  // Transfer counts first, so the arrays are allocated once.
  const counts = new Uint32Array(rels.count);
  let total = 0;
  for (let i = 0; i < rels.count; i++) {
    // Nothing moves before either side exists.
    const lo = Math.max(0, rels.start[i]!, pop.birth[rels.from[i]!]!, pop.birth[rels.to[i]!]!);
    const hi = Math.min(HORIZON_DAYS, rels.end[i]!);
    if (hi <= lo) continue;
    let c = r.poisson(rels.rate[i]! * (hi - lo));
    if (c === 0 && rels.start[i]! >= 0) c = 1; // a relationship opened in the horizon shows once
    counts[i] = c;
    total += c;
  }

  const start = new Int32Array(rels.count + 1);
  for (let i = 0; i < rels.count; i++) start[i + 1] = start[i]! + counts[i]!;
  const t = newTransfers(total, start);

  const seconds = new Uint32Array(64);
  for (let i = 0; i < rels.count; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    const from = rels.from[i]!;
    const to = rels.to[i]!;
    const role = pop.role[from]!;
    const lo = Math.max(0, rels.start[i]!, pop.birth[from]!, pop.birth[to]!);
    const hi = Math.min(HORIZON_DAYS, rels.end[i]!);
    const receiverPassThrough = ROLES[pop.role[to]!]!.passThrough;
    // Times first, sorted, so the relationship's slice is in time order.
    const times = c <= seconds.length ? seconds.subarray(0, c) : new Uint32Array(c);
    for (let j = 0; j < c; j++) {
      let day = -1;
      if (r.next() < pop.burst[from]!) day = burstDayWithin(pop, from, r, lo, hi);
      // Money into a pass-through address arrives on the days it moves money on.
      if (day < 0 && receiverPassThrough && r.next() < 0.5) day = burstDayWithin(pop, to, r, lo, hi);
      if (day < 0) day = dayWithin(r, lo, hi, pop.weekend[from]!);
      const hour = ((Math.round(pop.peakHour[from]! + pop.hourSpread[from]! * r.normal()) % 24) + 24) % 24;
      times[j] = day * DAY_S + hour * 3600 + r.int(3600);
    }
    times.sort();
    for (let j = 0, k = start[i]!; j < c; j++, k++) {
      t.second[k] = times[j]!;
      let usd: number;
      if (rels.price[i]! > 0) usd = rels.price[i]!;
      else if (role === Role.Mixer) usd = MIXER_DENOMINATIONS[r.int(3)]! * (1 - r.uniform(0.001, 0.01));
      else if (r.next() < pop.structuring[from]!) usd = THRESHOLDS[pop.threshold[from]!]! * r.uniform(0.86, 0.995);
      else usd = r.lognormal(rels.mu[i]!, rels.sigma[i]!);
      t.usd[k] = Math.max(0.01, Math.round(usd * 100) / 100);
      t.asset[k] = r.next() < 0.92 ? rels.asset[i]! : r.pick(ASSET_WEIGHTS);
    }
  }

  passMoneyThrough(pop, rels, t, r);
  deriveAttributes(t);
  return t;
}

/**
 * Pass-through addresses (mules, layerers, bridges, ...) send on about what they receive. Their
 * outgoing amounts are rescaled to 85-98% of their inflow; two sweeps let chains settle.
 */
function passMoneyThrough(pop: Population, rels: Relationships, t: Transfers, r: Rng): void {
  const target = new Float64Array(pop.size);
  for (let a = 0; a < pop.size; a++) target[a] = r.uniform(0.85, 0.98);
  for (let sweep = 0; sweep < 2; sweep++) {
    const inflow = new Float64Array(pop.size);
    const outflow = new Float64Array(pop.size);
    for (let i = 0; i < rels.count; i++) {
      let usd = 0;
      for (let k = t.start[i]!; k < t.start[i + 1]!; k++) usd += t.usd[k]!;
      inflow[rels.to[i]!]! += usd;
      outflow[rels.from[i]!]! += usd;
    }
    for (let i = 0; i < rels.count; i++) {
      const from = rels.from[i]!;
      if (!ROLES[pop.role[from]!]!.passThrough || rels.price[i]! > 0) continue;
      if (inflow[from]! <= 0 || outflow[from]! <= 0) continue;
      const scale = (inflow[from]! * target[from]!) / outflow[from]!;
      for (let k = t.start[i]!; k < t.start[i + 1]!; k++)
        t.usd[k] = Math.max(0.01, Math.round(t.usd[k]! * scale * 100) / 100);
    }
  }
}

/** Per-transfer attributes every window needs, computed once. */
function deriveAttributes(t: Transfers): void {
  for (let i = 0; i < t.count; i++) {
    const sec = t.second[i]!;
    const usd = t.usd[i]!;
    const hour = Math.floor((sec % DAY_S) / 3600);
    const weekday = weekdayMon0(HORIZON_START + Math.floor(sec / DAY_S));
    t.hour[i] = hour;
    t.weekday[i] = weekday;
    t.ln[i] = Math.log(usd);
    let flags = 0;
    if (hour < NIGHT_END_HOUR) flags |= NIGHT;
    if (weekday >= 5) flags |= WEEKEND;
    if (usd < SMALL_TX_USD) flags |= SMALL;
    for (const th of THRESHOLDS) {
      if (usd >= 0.85 * th && usd < th) flags |= BELOW_THRESHOLD;
    }
    t.flags[i] = flags;
  }
}

/** First transfer of relationship `rel` at or after horizon second `sec` (binary search). */
export function firstAtOrAfter(t: Transfers, rel: number, sec: number): number {
  let lo = t.start[rel]!;
  let hi = t.start[rel + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.second[mid]! < sec) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
