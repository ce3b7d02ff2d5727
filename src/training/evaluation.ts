/**
 * Scoring strategies on the held-out rows the same way for every strategy.
 *
 * The unit evaluated is an alert on a processing date (alert_id, processing_date): its 7- and
 * 30-day windows are two matrix rows but one alert for a reviewer and for the truth file, so the
 * alert's score is the highest of its rows' scores (its most suspicious view), and its label the
 * highest of its rows' labels. The same reduction gives the exported alert_scores.
 */
import type { RowInfo } from '../features/matrix.ts';
import { evaluateRanking, type SourceMetrics } from '../metrics/evaluate.ts';
import type { SourceInfo, SourceName } from '../metrics/leaderboard.ts';
import type { TrainingConfig } from '../experiment/config.ts';

/** Per-unit scores (and optionally labels) of the rows in `rows`. */
export interface UnitValues {
  scores: Float64Array;
  labels: Float64Array;
  days: number;
}

export function reduceToUnits(
  rows: Int32Array,
  info: RowInfo,
  scores: ArrayLike<number>,
  labels?: ArrayLike<number>,
): UnitValues {
  const index = new Map<number, number>();
  const dayOfUnit: number[] = [];
  for (const r of rows) {
    const u = info.unit[r]!;
    if (!index.has(u)) {
      index.set(u, index.size);
      dayOfUnit.push(info.day[r]!);
    }
  }
  const s = new Float64Array(index.size).fill(-Infinity);
  const y = new Float64Array(index.size).fill(NaN);
  for (const r of rows) {
    const k = index.get(info.unit[r]!)!;
    if (scores[r]! > s[k]!) s[k] = scores[r]!;
    if (labels) {
      const l = labels[r]!;
      if ((l === 0 || l === 1) && !(y[k]! >= l)) y[k] = l;
    }
  }
  return { scores: s, labels: y, days: new Set(dayOfUnit).size };
}

export interface EvaluationSource {
  info: SourceInfo;
  /** Label per matrix row, NaN where none. */
  y: Float32Array;
}

export interface HeldOut {
  test: Int32Array;
  /** Rows where the capacity threshold is fitted (train and validation). */
  fit: Int32Array;
  info: RowInfo;
  /** Alerts (units) per processing date in the whole data. */
  alertsPerDay: number;
}

export function sourceSummary(name: SourceName, description: string, y: Float32Array, held: HeldOut): SourceInfo {
  const units = reduceToUnits(held.test, held.info, new Float32Array(y.length), y);
  let labelled = 0;
  let positives = 0;
  for (const l of units.labels) {
    if (l === 0 || l === 1) {
      labelled++;
      positives += l;
    }
  }
  return { name, description, labelled, positives };
}

/** A strategy's metrics against every source, on the held-out alerts. */
export function evaluateAgainstSources(
  scores: ArrayLike<number>,
  probability: boolean,
  sources: EvaluationSource[],
  held: HeldOut,
  config: TrainingConfig,
): Partial<Record<SourceName, SourceMetrics>> {
  const fitUnits = reduceToUnits(held.fit, held.info, scores);
  const out: Partial<Record<SourceName, SourceMetrics>> = {};
  for (const source of sources) {
    const test = reduceToUnits(held.test, held.info, scores, source.y);
    out[source.info.name] = evaluateRanking(test.scores, test.labels, {
      k: config.evaluation.k,
      kShare: config.evaluation.kShare,
      probability,
      capacity: {
        fitScores: fitUnits.scores,
        heldOutDays: test.days,
        alertsPerDay: held.alertsPerDay,
        capacityPerDay: config.evaluation.capacityPerDay,
      },
    });
  }
  return out;
}
