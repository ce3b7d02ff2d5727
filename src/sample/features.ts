/**
 * The feature table (features.parquet): one row per active address of a window, 95 feature
 * columns in the SOT's groups and with its types (analyzers_features in the SOT pipeline: UInt32
 * degrees, Decimal USD amounts, UInt64 counts and millisecond timestamps, Float32 scores, UInt16
 * histograms, Boolean flags).
 *
 * Every value is computed from the window's transfers. Values are rounded to what they are
 * exported as (cents, 4 decimals for Float32 scores, 6 significant digits for the Float64
 * moments) before anything else reads them, so the alert formulas see exactly the exported
 * numbers.
 */
import type { Table, Vector } from 'apache-arrow';
import { HORIZON_START } from './calendar.ts';
import * as col from './columns.ts';
import { graphMeasures } from './graph.ts';
import type { Population } from './population.ts';
import type { Relationships } from './relationships.ts';
import { ASSETS } from './roles.ts';
import { ASSET_COUNT, type WindowData } from './window.ts';

export type FeatureKind = 'u8' | 'u32' | 'u64' | 'f32' | 'f64' | 'bool' | 'usd' | 'usd6' | 'utf8' | 'hourly' | 'daily';

/** Feature columns in export order (the three keys come first). */
export const FEATURE_COLUMNS: readonly (readonly [string, FeatureKind])[] = [
  // topology
  ['degree_in', 'u32'],
  ['degree_out', 'u32'],
  ['degree_total', 'u32'],
  ['unique_counterparties', 'u32'],
  // volume
  ['total_in_usd', 'usd'],
  ['total_out_usd', 'usd'],
  ['net_flow_usd', 'usd'],
  ['total_volume_usd', 'usd'],
  ['avg_tx_in_usd', 'usd'],
  ['avg_tx_out_usd', 'usd'],
  ['median_tx_in_usd', 'usd'],
  ['median_tx_out_usd', 'usd'],
  ['max_tx_usd', 'usd'],
  ['min_tx_usd', 'usd'],
  // distribution
  ['amount_variance', 'f64'],
  ['amount_skewness', 'f64'],
  ['amount_kurtosis', 'f64'],
  ['volume_std', 'f64'],
  ['volume_cv', 'f64'],
  ['flow_concentration', 'f64'],
  // counts
  ['tx_in_count', 'u64'],
  ['tx_out_count', 'u64'],
  ['tx_total_count', 'u64'],
  // temporal
  ['activity_days', 'u32'],
  ['activity_span_days', 'u32'],
  ['avg_daily_volume_usd', 'usd6'],
  ['peak_hour', 'u8'],
  ['peak_day', 'u8'],
  ['regularity_score', 'f32'],
  ['burst_factor', 'f32'],
  // flow
  ['reciprocity_ratio', 'f32'],
  ['flow_diversity', 'f32'],
  ['counterparty_concentration', 'f32'],
  ['concentration_ratio', 'f32'],
  ['velocity_score', 'f32'],
  ['structuring_score', 'f32'],
  // assets
  ['unique_assets_in', 'u32'],
  ['unique_assets_out', 'u32'],
  ['dominant_asset_in', 'utf8'],
  ['dominant_asset_out', 'utf8'],
  ['asset_diversity_score', 'f32'],
  // behaviour
  ['hourly_activity', 'hourly'],
  ['daily_activity', 'daily'],
  ['peak_activity_hour', 'u8'],
  ['peak_activity_day', 'u8'],
  ['hourly_entropy', 'f32'],
  ['daily_entropy', 'f32'],
  ['weekend_transaction_ratio', 'f32'],
  ['night_transaction_ratio', 'f32'],
  ['small_transaction_ratio', 'f32'],
  ['consistency_score', 'f32'],
  // graph
  ['pagerank', 'f32'],
  ['betweenness', 'f32'],
  ['closeness', 'f32'],
  ['clustering_coefficient', 'f32'],
  ['kcore', 'u32'],
  ['community_id', 'u32'],
  ['centrality_score', 'f32'],
  // k-hop
  ['khop1_count', 'u32'],
  ['khop2_count', 'u32'],
  ['khop3_count', 'u32'],
  ['khop1_volume_usd', 'usd6'],
  ['khop2_volume_usd', 'usd6'],
  ['khop3_volume_usd', 'usd6'],
  // advanced flow
  ['flow_reciprocity_entropy', 'f32'],
  ['counterparty_stability', 'f32'],
  ['flow_burstiness', 'f32'],
  ['transaction_regularity', 'f32'],
  ['amount_predictability', 'f32'],
  // anomaly
  ['behavioral_anomaly_score', 'f32'],
  ['graph_anomaly_score', 'f32'],
  ['neighborhood_anomaly_score', 'f32'],
  ['global_anomaly_score', 'f32'],
  ['outlier_transactions', 'u32'],
  ['suspicious_pattern_score', 'f32'],
  // flags
  ['is_exchange_like', 'bool'],
  ['is_whale', 'bool'],
  ['is_mixer_like', 'bool'],
  ['is_contract_like', 'bool'],
  ['is_new_address', 'bool'],
  ['is_dormant_reactivated', 'bool'],
  ['is_high_volume_trader', 'bool'],
  ['is_hub_address', 'bool'],
  ['is_retail_active', 'bool'],
  ['is_whale_inactive', 'bool'],
  ['is_retail_inactive', 'bool'],
  ['is_regular_user', 'bool'],
  // other
  ['unique_recipients_count', 'u32'],
  ['unique_senders_count', 'u32'],
  ['completeness_score', 'f32'],
  ['quality_score', 'f32'],
  ['outlier_score', 'f32'],
  ['confidence_score', 'f32'],
  ['first_activity_timestamp', 'u64'],
  ['last_activity_timestamp', 'u64'],
];

export interface FeatureSet {
  window: WindowData;
  /** Every numeric (and boolean, as 0/1) feature by column name, rounded as exported. */
  num: Record<string, Float64Array>;
  dominantIn: string[];
  dominantOut: string[];
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
/** What a Float32 score column holds: 4 decimals, then single precision. */
const score = (x: number): number => Math.fround(round(x, 3));
const cents = (x: number): number => (Math.sign(x) * Math.round(Math.abs(x) * 100)) / 100;
/** Round to `digits` significant digits (numerically: toPrecision is slow at a million rows). */
const significant = (x: number, digits: number): number => {
  if (!Number.isFinite(x) || x === 0) return 0;
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(Math.abs(x))));
  return Math.round(x * scale) / scale;
};
/** The Float64 distribution moments, to 4 significant digits. */
const sig4 = (x: number): number => significant(x, 4);

function entropyBits(counts: ArrayLike<number>, offset: number, length: number): number {
  let total = 0;
  for (let i = 0; i < length; i++) total += counts[offset + i]!;
  if (total <= 0) return 0;
  let h = 0;
  for (let i = 0; i < length; i++) {
    const c = counts[offset + i]!;
    if (c > 0) h -= (c / total) * Math.log2(c / total);
  }
  return h;
}

function argmax(values: ArrayLike<number>, offset: number, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (values[offset + i]! > values[offset + best]!) best = i;
  return best;
}

/**
 * Median and median absolute deviation of a column (for the anomaly scores' robust z), from an
 * evenly spaced subsample of at most 20,000 rows: exact enough, and no full sorts at scale.
 */
function robustScale(x: Float64Array): { median: number; mad: number } {
  const step = Math.max(1, Math.floor(x.length / 20_000));
  const s = new Float64Array(Math.ceil(x.length / step));
  for (let i = 0, j = 0; i < x.length; i += step, j++) s[j] = x[i]!;
  s.sort();
  const median = s.length ? s[s.length >> 1]! : 0;
  for (let i = 0; i < s.length; i++) s[i] = Math.abs(s[i]! - median);
  s.sort();
  const mad = s.length ? s[s.length >> 1]! : 0;
  return { median, mad: mad > 1e-9 ? mad : 1e-9 + Math.abs(median) * 0.05 + 1e-3 };
}

/** Isolation-style score in [0, 1): large when a row sits far out on any of the given columns. */
function anomalyScore(columns: Float64Array[], rows: number): Float64Array {
  const scales = columns.map(robustScale);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let top1 = 0;
    let top2 = 0;
    for (let c = 0; c < columns.length; c++) {
      const z = Math.abs(columns[c]![i]! - scales[c]!.median) / (1.4826 * scales[c]!.mad);
      if (z > top1) [top1, top2] = [z, top1];
      else if (z > top2) top2 = z;
    }
    out[i] = 1 - Math.exp(-(top1 + top2) / 12);
  }
  return out;
}

export function computeFeatures(d: WindowData, pop: Population, rels: Relationships, seed: number): FeatureSet {
  const F = d.rows;
  const w = d.snapshot.window;
  const num: Record<string, Float64Array> = {};
  for (const [name, kind] of FEATURE_COLUMNS)
    if (kind !== 'utf8' && kind !== 'hourly' && kind !== 'daily') num[name] = new Float64Array(F);
  const c = (name: string): Float64Array => num[name]!;
  const windowStartRel = d.snapshot.startDay - HORIZON_START;

  // Per-row flow lists (in and out), for degrees, concentration, reciprocity and stability.
  const incidentStart = new Int32Array(F + 1);
  for (let f = 0; f < d.flows; f++) {
    incidentStart[d.flowFromRow[f]! + 1]!++;
    incidentStart[d.flowToRow[f]! + 1]!++;
  }
  for (let v = 0; v < F; v++) incidentStart[v + 1]! += incidentStart[v]!;
  const fill = incidentStart.slice(0, F);
  const incidentUsd = new Float64Array(incidentStart[F]!);
  const degIn = new Float64Array(F);
  const degOut = new Float64Array(F);
  const stable = new Float64Array(F);
  const reciprocalMin = new Float64Array(F);
  const bidirectional = new Float64Array(F);
  for (let f = 0; f < d.flows; f++) {
    const a = d.flowFromRow[f]!;
    const b = d.flowToRow[f]!;
    const rel = d.flowRel[f]!;
    incidentUsd[fill[a]!++] = d.fUsd[f]!;
    incidentUsd[fill[b]!++] = d.fUsd[f]!;
    degOut[a]!++;
    degIn[b]!++;
    if (rels.start[rel]! < windowStartRel) {
      stable[a]!++;
      stable[b]!++;
    }
    const rev = rels.reverse[rel]!;
    const revFlow = rev >= 0 ? d.flowOf[rev]! : -1;
    if (revFlow >= 0) {
      reciprocalMin[a]! += Math.min(d.fUsd[f]!, d.fUsd[revFlow]!);
      bidirectional[a]!++;
    }
  }

  const volume = new Float64Array(F);
  for (let v = 0; v < F; v++) volume[v] = cents(d.usdIn[v]! + d.usdOut[v]!);
  const g = graphMeasures(d, rels, volume, seed);

  const dominantIn = new Array<string>(F);
  const dominantOut = new Array<string>(F);
  const maxPagerank = Math.max(1e-12, maxOf(g.pagerank));
  const maxBetweenness = Math.max(1e-12, maxOf(g.betweenness));

  const weekdayUsd = new Float64Array(7);
  const assetTotal = new Float64Array(ASSET_COUNT);
  // Column arrays bound once: looking them up by name per row was a measurable cost at scale.
  const activity_days = c('activity_days');
  const activity_span_days = c('activity_span_days');
  const amount_kurtosis = c('amount_kurtosis');
  const amount_predictability = c('amount_predictability');
  const amount_skewness = c('amount_skewness');
  const amount_variance = c('amount_variance');
  const asset_diversity_score = c('asset_diversity_score');
  const avg_daily_volume_usd = c('avg_daily_volume_usd');
  const avg_tx_in_usd = c('avg_tx_in_usd');
  const avg_tx_out_usd = c('avg_tx_out_usd');
  const betweenness = c('betweenness');
  const burst_factor = c('burst_factor');
  const centrality_score = c('centrality_score');
  const closeness = c('closeness');
  const clustering_coefficient = c('clustering_coefficient');
  const community_id = c('community_id');
  const completeness_score = c('completeness_score');
  const concentration_ratio = c('concentration_ratio');
  const confidence_score = c('confidence_score');
  const consistency_score = c('consistency_score');
  const counterparty_concentration = c('counterparty_concentration');
  const counterparty_stability = c('counterparty_stability');
  const daily_entropy = c('daily_entropy');
  const degree_in = c('degree_in');
  const degree_out = c('degree_out');
  const degree_total = c('degree_total');
  const first_activity_timestamp = c('first_activity_timestamp');
  const flow_burstiness = c('flow_burstiness');
  const flow_concentration = c('flow_concentration');
  const flow_diversity = c('flow_diversity');
  const flow_reciprocity_entropy = c('flow_reciprocity_entropy');
  const hourly_entropy = c('hourly_entropy');
  const is_dormant_reactivated = c('is_dormant_reactivated');
  const is_exchange_like = c('is_exchange_like');
  const is_high_volume_trader = c('is_high_volume_trader');
  const is_hub_address = c('is_hub_address');
  const is_new_address = c('is_new_address');
  const is_retail_active = c('is_retail_active');
  const is_retail_inactive = c('is_retail_inactive');
  const is_whale = c('is_whale');
  const is_whale_inactive = c('is_whale_inactive');
  const kcore = c('kcore');
  const khop1_count = c('khop1_count');
  const khop1_volume_usd = c('khop1_volume_usd');
  const khop2_count = c('khop2_count');
  const khop2_volume_usd = c('khop2_volume_usd');
  const khop3_count = c('khop3_count');
  const khop3_volume_usd = c('khop3_volume_usd');
  const last_activity_timestamp = c('last_activity_timestamp');
  const max_tx_usd = c('max_tx_usd');
  const median_tx_in_usd = c('median_tx_in_usd');
  const median_tx_out_usd = c('median_tx_out_usd');
  const min_tx_usd = c('min_tx_usd');
  const net_flow_usd = c('net_flow_usd');
  const night_transaction_ratio = c('night_transaction_ratio');
  const outlier_transactions = c('outlier_transactions');
  const pagerank = c('pagerank');
  const peak_activity_day = c('peak_activity_day');
  const peak_activity_hour = c('peak_activity_hour');
  const peak_day = c('peak_day');
  const peak_hour = c('peak_hour');
  const quality_score = c('quality_score');
  const reciprocity_ratio = c('reciprocity_ratio');
  const regularity_score = c('regularity_score');
  const small_transaction_ratio = c('small_transaction_ratio');
  const structuring_score = c('structuring_score');
  const total_in_usd = c('total_in_usd');
  const total_out_usd = c('total_out_usd');
  const total_volume_usd = c('total_volume_usd');
  const transaction_regularity = c('transaction_regularity');
  const tx_in_count = c('tx_in_count');
  const tx_out_count = c('tx_out_count');
  const tx_total_count = c('tx_total_count');
  const unique_assets_in = c('unique_assets_in');
  const unique_assets_out = c('unique_assets_out');
  const unique_counterparties = c('unique_counterparties');
  const unique_recipients_count = c('unique_recipients_count');
  const unique_senders_count = c('unique_senders_count');
  const velocity_score = c('velocity_score');
  const volume_cv = c('volume_cv');
  const volume_std = c('volume_std');
  const weekend_transaction_ratio = c('weekend_transaction_ratio');

  for (let v = 0; v < F; v++) {
    const a = d.addr[v]!;
    const nIn = d.txIn[v]!;
    const nOut = d.txOut[v]!;
    const n = nIn + nOut;
    const vol = volume[v]!;

    // topology
    degree_in[v] = degIn[v]!;
    degree_out[v] = degOut[v]!;
    degree_total[v] = degIn[v]! + degOut[v]!;
    unique_counterparties[v] = g.neighbours[v]!;

    // volume
    total_in_usd[v] = cents(d.usdIn[v]!);
    total_out_usd[v] = cents(d.usdOut[v]!);
    net_flow_usd[v] = cents(d.usdIn[v]! - d.usdOut[v]!);
    total_volume_usd[v] = vol;
    avg_tx_in_usd[v] = nIn ? cents(d.usdIn[v]! / nIn) : 0;
    avg_tx_out_usd[v] = nOut ? cents(d.usdOut[v]! / nOut) : 0;
    // Median of log-normal amounts = geometric mean; clamped to the observed range.
    const clampTx = (x: number) => Math.min(d.maxTx[v]!, Math.max(d.minTx[v]!, x));
    median_tx_in_usd[v] = nIn ? cents(clampTx(Math.exp(d.lnSumIn[v]! / nIn))) : 0;
    median_tx_out_usd[v] = nOut ? cents(clampTx(Math.exp(d.lnSumOut[v]! / nOut))) : 0;
    max_tx_usd[v] = cents(d.maxTx[v]!);
    min_tx_usd[v] = cents(d.minTx[v]!);

    // distribution
    const variance = d.m2[v]! / n;
    amount_variance[v] = sig4(variance);
    amount_skewness[v] = variance > 0 ? sig4(d.m3[v]! / n / variance ** 1.5) : 0;
    amount_kurtosis[v] = variance > 0 ? sig4(d.m4[v]! / n / (variance * variance) - 3) : 0;
    let daySum = 0;
    let daySq = 0;
    let dayCountSum = 0;
    let dayCountSq = 0;
    let activeDays = 0;
    let lastActive = -1;
    let gapSum = 0;
    let gapSq = 0;
    let gaps = 0;
    for (let k = 0; k < w; k++) {
      const u = d.dayUsd[v * w + k]!;
      const cnt = d.dayCount[v * w + k]!;
      daySum += u;
      daySq += u * u;
      dayCountSum += cnt;
      dayCountSq += cnt * cnt;
      if (cnt > 0) {
        activeDays++;
        if (lastActive >= 0) {
          const gap = k - lastActive;
          gapSum += gap;
          gapSq += gap * gap;
          gaps++;
        }
        lastActive = k;
      }
    }
    const dayMean = daySum / w;
    const dayStd = Math.sqrt(Math.max(0, daySq / w - dayMean * dayMean));
    volume_std[v] = sig4(dayStd);
    volume_cv[v] = dayMean > 0 ? sig4(dayStd / dayMean) : 0;

    // Concentration of the address's flows (Gini, HHI, top share, entropy).
    const seg = incidentUsd.subarray(incidentStart[v]!, incidentStart[v + 1]!).sort();
    const k = seg.length;
    let total = 0;
    let weighted = 0;
    let hhi = 0;
    let ent = 0;
    for (let i = 0; i < k; i++) {
      total += seg[i]!;
      weighted += (i + 1) * seg[i]!;
    }
    for (let i = 0; i < k && total > 0; i++) {
      const p = seg[i]! / total;
      hhi += p * p;
      if (p > 0) ent -= p * Math.log2(p);
    }
    const gini = k > 1 && total > 0 ? (2 * weighted) / (k * total) - (k + 1) / k : 0;
    flow_concentration[v] = sig4(Math.max(0, gini));

    // counts
    tx_in_count[v] = nIn;
    tx_out_count[v] = nOut;
    tx_total_count[v] = n;

    // temporal
    activity_days[v] = activeDays;
    activity_span_days[v] = Math.floor((d.lastMs[v]! - d.firstMs[v]!) / col.DAY_MS);
    avg_daily_volume_usd[v] = cents(vol / Math.max(1, activeDays));
    // Peak hour by volume; peak day by volume over the window's weekdays.
    peak_hour[v] = argmax(d.hourlyUsd, v * 24, 24);
    weekdayUsd.fill(0);
    for (let kd = 0; kd < w; kd++) weekdayUsd[(((d.snapshot.startDay + kd + 3) % 7) + 7) % 7]! += d.dayUsd[v * w + kd]!;
    peak_day[v] = argmax(weekdayUsd, 0, 7);
    const countMean = dayCountSum / w;
    const countStd = Math.sqrt(Math.max(0, dayCountSq / w - countMean * countMean));
    regularity_score[v] = score(1 / (1 + countStd / Math.max(countMean, 1e-9)));
    // Excess dispersion of daily activity: 1 - 1/(variance/mean) of the daily counts. Steady or
    // Poisson-like activity gives 0, a single transfer is no burst, many transfers crammed into
    // a few days approach 1.
    const dispersion = countMean > 0 ? (countStd * countStd) / countMean : 0;
    burst_factor[v] = score(dispersion > 1 ? 1 - 1 / dispersion : 0);

    // flow
    reciprocity_ratio[v] = score(vol > 0 ? Math.min(1, (2 * reciprocalMin[v]!) / vol) : 0);
    flow_diversity[v] = score(k > 1 ? ent / Math.log2(k) : 0);
    counterparty_concentration[v] = score(k > 0 && total > 0 ? seg[k - 1]! / total : 1);
    concentration_ratio[v] = score(k > 1 ? (hhi - 1 / k) / (1 - 1 / k) : 1);
    // Transfers per active day, squashed: 1 a day scores 0.33, 3 a day 0.7, 10 a day 0.98.
    velocity_score[v] = score(1 - Math.exp(-n / Math.max(1, activeDays) / 2.5));
    structuring_score[v] = score(n > 0 ? d.band[v]! / n : 0);

    // assets
    let assetsIn = 0;
    let assetsOut = 0;
    assetTotal.fill(0);
    for (let s = 0; s < ASSET_COUNT; s++) {
      if (d.assetUsdIn[v * ASSET_COUNT + s]! > 0) assetsIn++;
      if (d.assetUsdOut[v * ASSET_COUNT + s]! > 0) assetsOut++;
      assetTotal[s] = d.assetUsdIn[v * ASSET_COUNT + s]! + d.assetUsdOut[v * ASSET_COUNT + s]!;
    }
    unique_assets_in[v] = assetsIn;
    unique_assets_out[v] = assetsOut;
    dominantIn[v] = assetsIn ? ASSETS[argmax(d.assetUsdIn, v * ASSET_COUNT, ASSET_COUNT)]! : '';
    dominantOut[v] = assetsOut ? ASSETS[argmax(d.assetUsdOut, v * ASSET_COUNT, ASSET_COUNT)]! : '';
    asset_diversity_score[v] = score(entropyBits(assetTotal, 0, ASSET_COUNT) / Math.log2(ASSET_COUNT));

    // behaviour
    const peakHour = argmax(d.hourly, v * 24, 24);
    peak_activity_hour[v] = peakHour;
    peak_activity_day[v] = argmax(d.weekday, v * 7, 7);
    hourly_entropy[v] = score(entropyBits(d.hourly, v * 24, 24));
    daily_entropy[v] = score(entropyBits(d.weekday, v * 7, 7));
    weekend_transaction_ratio[v] = score(d.weekend[v]! / n);
    night_transaction_ratio[v] = score(d.night[v]! / n);
    small_transaction_ratio[v] = score(d.small[v]! / n);
    let nearPeak = 0;
    for (let h = -2; h <= 2; h++) nearPeak += d.hourly[v * 24 + ((peakHour + h + 24) % 24)]!;
    consistency_score[v] = score(nearPeak / n);

    // graph
    pagerank[v] = Math.fround(significant(g.pagerank[v]!, 4));
    betweenness[v] = Math.fround(significant(g.betweenness[v]!, 4));
    closeness[v] = score(g.closeness[v]!);
    clustering_coefficient[v] = score(g.clustering[v]!);
    kcore[v] = g.kcore[v]!;
    community_id[v] = pop.community[a]!;
    centrality_score[v] = score(
      (g.pagerank[v]! / maxPagerank + g.betweenness[v]! / maxBetweenness + g.closeness[v]!) / 3,
    );

    // k-hop
    khop1_count[v] = g.khop1[v]!;
    khop2_count[v] = g.khop2[v]!;
    khop3_count[v] = g.khop3[v]!;
    khop1_volume_usd[v] = cents(g.khop1Volume[v]!);
    khop2_volume_usd[v] = cents(g.khop2Volume[v]!);
    khop3_volume_usd[v] = cents(g.khop3Volume[v]!);

    // advanced flow
    const share = k > 0 ? bidirectional[v]! / (degIn[v]! + degOut[v]!) : 0;
    flow_reciprocity_entropy[v] = score(
      share > 0 && share < 1 ? -(share * Math.log2(share) + (1 - share) * Math.log2(1 - share)) : 0,
    );
    counterparty_stability[v] = score(k > 0 ? stable[v]! / k : 0);
    flow_burstiness[v] = score(countStd + countMean > 0 ? (countStd - countMean) / (countStd + countMean) : 0);
    const gapMean = gaps ? gapSum / gaps : 0;
    const gapStd = gaps ? Math.sqrt(Math.max(0, gapSq / gaps - gapMean * gapMean)) : 0;
    transaction_regularity[v] = score(gaps ? 1 / (1 + gapStd / gapMean) : 0);
    const mean = vol / n;
    amount_predictability[v] = score(1 / (1 + Math.sqrt(Math.max(0, variance)) / mean));

    // other (flags and anomaly scores follow below, they need whole-column statistics)
    unique_recipients_count[v] = degOut[v]!;
    unique_senders_count[v] = degIn[v]!;
    const completeness = (nIn > 0 && nOut > 0 ? 1 : 0.85) - (n < 3 ? 0.1 : 0);
    const confidence = 1 - Math.exp(-n / 10);
    completeness_score[v] = score(completeness);
    confidence_score[v] = score(confidence);
    quality_score[v] = score(0.6 * completeness + 0.4 * confidence);
    first_activity_timestamp[v] = d.firstMs[v]!;
    last_activity_timestamp[v] = d.lastMs[v]!;
    outlier_transactions[v] = d.outliers[v]!;

    // flags
    const birthRel = pop.birth[a]!;
    is_new_address[v] = birthRel >= windowStartRel ? 1 : 0;
    is_dormant_reactivated[v] = pop.dormant[a] && birthRel >= windowStartRel ? 1 : 0;
    is_exchange_like[v] = degIn[v]! >= 30 && degOut[v]! >= 30 ? 1 : 0;
    is_whale[v] = vol >= 1_000_000 ? 1 : 0;
    is_hub_address[v] = degIn[v]! + degOut[v]! >= 100 ? 1 : 0;
    is_retail_active[v] = vol < 10_000 && n >= 5 ? 1 : 0;
    is_retail_inactive[v] = vol < 10_000 && n < 5 ? 1 : 0;
    is_whale_inactive[v] = vol >= 1_000_000 && n <= 3 ? 1 : 0;
    is_high_volume_trader[v] = n >= 50 && vol >= 100_000 && reciprocity_ratio[v]! > 0.2 ? 1 : 0;
  }

  // Columns that need statistics over the whole window.
  const log1p = (name: string) => c(name).map((x) => Math.log1p(Math.max(0, x)));
  const behavioral = anomalyScore(
    [
      'night_transaction_ratio',
      'weekend_transaction_ratio',
      'small_transaction_ratio',
      'structuring_score',
      'velocity_score',
      'burst_factor',
      'hourly_entropy',
    ].map(c),
    F,
  );
  const graphScore = anomalyScore(
    [log1p('degree_total'), log1p('tx_total_count'), c('clustering_coefficient'), c('reciprocity_ratio'), c('kcore')],
    F,
  );
  const ratio2 = new Float64Array(F);
  for (let v = 0; v < F; v++) ratio2[v] = Math.log1p(c('khop2_volume_usd')[v]!) - Math.log1p(c('khop1_volume_usd')[v]!);
  const neighbourhood = anomalyScore(
    [ratio2, log1p('khop2_count'), c('counterparty_stability'), log1p('khop1_volume_usd')],
    F,
  );
  for (let v = 0; v < F; v++) {
    const globalScore = 0.4 * behavioral[v]! + 0.35 * graphScore[v]! + 0.25 * neighbourhood[v]!;
    c('behavioral_anomaly_score')[v] = score(behavioral[v]!);
    c('graph_anomaly_score')[v] = score(graphScore[v]!);
    c('neighborhood_anomaly_score')[v] = score(neighbourhood[v]!);
    c('global_anomaly_score')[v] = score(globalScore);
    c('outlier_score')[v] = score(0.9 * globalScore + 0.1 * Math.min(1, c('outlier_transactions')[v]! / 5));
    c('suspicious_pattern_score')[v] = score(
      0.35 * c('structuring_score')[v]! + 0.35 * c('burst_factor')[v]! + 0.3 * c('velocity_score')[v]!,
    );
    const degTotal = c('degree_total')[v]!;
    const vol = c('total_volume_usd')[v]!;
    c('is_mixer_like')[v] =
      c('degree_in')[v]! >= 10 &&
      c('degree_out')[v]! >= 10 &&
      c('amount_predictability')[v]! > 0.8 &&
      Math.abs(c('net_flow_usd')[v]!) < 0.2 * vol
        ? 1
        : 0;
    c('is_contract_like')[v] = c('hourly_entropy')[v]! > 4.2 && degTotal >= 20 ? 1 : 0;
    c('is_regular_user')[v] =
      c('activity_days')[v]! >= Math.max(3, w / 4) && c('transaction_regularity')[v]! >= 0.5 ? 1 : 0;
  }

  return { window: d, num, dominantIn, dominantOut };
}

/** Maximum of a large array (spreading it into Math.max would overflow the stack). */
function maxOf(x: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i]! > m) m = x[i]!;
  return m;
}

/** The features.parquet table of one window: the given rows (ascending, so in address order). */
export function featureTable(fs: FeatureSet, pop: Population, rows: Int32Array): Table {
  const d = fs.window;
  const n = rows.length;
  const pick = (x: Float64Array) => Float64Array.from(rows, (v) => x[v]!);
  const lists = (src: Uint16Array, width: number) => {
    const out = new Uint16Array(n * width);
    rows.forEach((v, i) => out.set(src.subarray(v * width, (v + 1) * width), i * width));
    return out;
  };
  const columns: Record<string, Vector> = {
    window_days: col.u16(new Uint16Array(n).fill(d.snapshot.window)),
    processing_date: col.date32(new Int32Array(n).fill(d.snapshot.day)),
    address: col.utf8(Array.from(rows, (v) => pop.address[d.addr[v]!]!)),
  };
  for (const [name, kind] of FEATURE_COLUMNS) {
    const x = kind === 'utf8' || kind === 'hourly' || kind === 'daily' ? undefined : pick(fs.num[name]!);
    switch (kind) {
      case 'u8':
        columns[name] = col.u8(Uint8Array.from(x!));
        break;
      case 'u32':
        columns[name] = col.u32(Uint32Array.from(x!));
        break;
      case 'u64':
        columns[name] = col.u64(x!);
        break;
      case 'f32':
        columns[name] = col.f32(Float32Array.from(x!));
        break;
      case 'f64':
        columns[name] = col.f64(x!);
        break;
      case 'bool':
        columns[name] = col.bool(Uint8Array.from(x!));
        break;
      case 'usd':
        columns[name] = col.decimal(x!, 18, 2);
        break;
      case 'usd6':
        columns[name] = col.decimal(x!, 38, 6);
        break;
      case 'utf8': {
        const src = name === 'dominant_asset_in' ? fs.dominantIn : fs.dominantOut;
        columns[name] = col.utf8(Array.from(rows, (v) => src[v]!));
        break;
      }
      case 'hourly':
        columns[name] = col.listU16(lists(d.hourly, 24), 24);
        break;
      case 'daily':
        columns[name] = col.listU16(lists(d.weekday, 7), 7);
        break;
    }
  }
  return col.tableOf(columns);
}
