/**
 * The threshold-independent precomputation behind the interactive views: after one pass over
 * the alerts, the label counts for ANY pair of thresholds come from arithmetic on prefix sums,
 * with no rescan. Exact always (not only at round thresholds). Three parts:
 *
 * 1. cube-sql.ts: DuckDB groups the alerts into a fine cube (one row per severity, typology,
 *    date, window and exact confidence, with the reference labels' counts) and hands its rows
 *    over sorted by confidence.
 * 2. cube-index.ts: a prefix-sum index over those rows answers "how many alerts of each group
 *    have confidence < t" in O(groups + block).
 * 3. cube-rule.ts: the rule as arithmetic on those counts, per severity: the positive test is
 *    `c >= minConfidence` (total - below(minConfidence)), the negative test `c < maxConfidence`
 *    (below(maxConfidence)) unless the severity is negative outright, and alerts voting both
 *    ways are those in [minConfidence, maxConfidence) of positive severities.
 */
import type { Database } from '../db/database.ts';
import type { ProxyLabelConfig } from './config.ts';
import {
  GroupLayout,
  MEASURES_PER_SEVERITY,
  PrefixIndex,
  sumRows,
  type CellGroups,
  type CubeRows,
} from './cube-index.ts';
import {
  severityClasses,
  splitByRule,
  sumTallies,
  tallyOf,
  type Key,
  type LabelCounts,
  type SeverityClass,
  type Tally,
} from './cube-rule.ts';
import { BREAKDOWNS, readCube, type Breakdown } from './cube-sql.ts';

export { lowerBound } from './cube-index.ts';
export { addMeasures, REFERENCE_MEASURES } from './cube-rule.ts';
export type { Key, LabelCounts, Measures, Tally } from './cube-rule.ts';
export { BREAKDOWNS, CUBE_TABLE } from './cube-sql.ts';
export type { Breakdown } from './cube-sql.ts';

export interface Evaluation {
  overall: Tally;
  bySeverity: { key: Key; tally: Tally }[];
  by: Record<Breakdown, { key: Key; counts: LabelCounts }[]>;
}

export interface SeverityRange {
  severity: Key;
  /** Alerts with a confidence, and with none. */
  n: number;
  nulls: number;
  min: number | null;
  max: number | null;
}

export interface HistogramBin {
  severity: Key;
  x0: number;
  x1: number;
  count: number;
}

/** What a cube is made of; `LabelCube.build` assembles it. */
export interface LabelCubeParts {
  severities: Key[];
  keys: Record<Breakdown, Key[]>;
  /** The rows with a confidence, sorted by it. */
  rows: CubeRows;
  cells: CellGroups;
  layout: GroupLayout;
  index: PrefixIndex;
  /** Measures of alerts with a NULL confidence, in the group layout. */
  nulls: Float64Array;
}

export class LabelCube {
  readonly severities: Key[];
  readonly keys: Record<Breakdown, Key[]>;
  /** Total alerts, with and without a confidence. */
  readonly alerts: number;
  readonly hasTruth: boolean;
  readonly hasExplicit: boolean;
  /** Rows of the fine cube with a confidence: distinct (cell, confidence) pairs, at most one per alert. */
  readonly rowCount: number;
  private readonly rows: CubeRows;
  private readonly cells: CellGroups;
  private readonly layout: GroupLayout;
  private readonly index: PrefixIndex;
  private readonly nulls: Float64Array;
  /** Measures of all alerts with a confidence, in the group layout. */
  private readonly totals: Float64Array;
  private histograms = new Map<number, HistogramBin[]>();
  private ranges: SeverityRange[] | null = null;

  constructor(parts: LabelCubeParts) {
    this.severities = parts.severities;
    this.keys = parts.keys;
    this.rows = parts.rows;
    this.cells = parts.cells;
    this.layout = parts.layout;
    this.index = parts.index;
    this.nulls = parts.nulls;
    this.totals = parts.index.totals;
    this.rowCount = this.rows.confidence.length;
    let alerts = 0;
    let truth = 0;
    let explicit = 0;
    for (let s = 0; s < this.severities.length; s++) {
      const both = (m: number) => this.totals[this.layout.measure(s, m)]! + this.nulls[this.layout.measure(s, m)]!;
      alerts += both(0);
      truth += both(1) + both(2);
      explicit += both(3) + both(4);
    }
    this.alerts = alerts;
    this.hasTruth = truth > 0;
    this.hasExplicit = explicit > 0;
  }

  /**
   * Build the fine cube in DuckDB from the normalised `alerts` view, `ground_truth` and the
   * explicit labels of `effective_labels`, then the prefix index in JavaScript. Run it again
   * after loading more data or labels.
   */
  static async build(db: Database): Promise<LabelCube> {
    const { severities, keys, rows, nullRows } = await readCube(db);
    const layout = new GroupLayout(severities.length, keys);
    const cells = layout.cellGroups(BREAKDOWNS.map((b) => keys[b].length));
    const index = new PrefixIndex(rows, cells, layout);
    const nulls = sumRows(nullRows, cells, layout);
    return new LabelCube({ severities, keys, rows, cells, layout, index, nulls });
  }

  /**
   * Counts of alerts with confidence < t, per group, in the group layout. With `severityOnly`
   * the breakdown groups are left at zero (the sweep needs only the per-severity measures).
   */
  below(t: number, severityOnly = false): Float64Array {
    return this.index.below(t, severityOnly);
  }

  /** What the rule does, overall, per severity and per breakdown value. */
  evaluate(config: ProxyLabelConfig): Evaluation {
    const belowMin = this.below(config.positive.min_confidence);
    const belowMax = this.below(config.negative.max_confidence);
    const classes = severityClasses(config, this.severities);
    const bySeverity = this.severities.map((key, s) => ({
      key,
      tally: this.severityTally(s, classes[s]!, belowMin, belowMax, config),
    }));
    const by = {} as Evaluation['by'];
    for (const b of BREAKDOWNS) {
      by[b] = this.keys[b].map((key, k) => {
        const counts: LabelCounts = { positive: 0, negative: 0, uncertain: 0 };
        for (let s = 0; s < this.severities.length; s++) {
          const g = this.layout.group(b, s, k);
          const split = splitByRule(
            classes[s]!,
            { total: this.totals[g]!, nulls: this.nulls[g]!, belowMin: belowMin[g]!, belowMax: belowMax[g]! },
            config.on_conflict,
          );
          counts.positive += split.positive;
          counts.negative += split.negative;
          counts.uncertain += split.uncertain;
        }
        return { key, counts };
      });
    }
    return { overall: sumTallies(bySeverity.map((x) => x.tally)), bySeverity, by };
  }

  /** The overall tally only: what a sweep cell needs. */
  tally(config: ProxyLabelConfig): Tally {
    return this.tallyFrom(
      config,
      this.below(config.positive.min_confidence, true),
      this.below(config.negative.max_confidence, true),
    );
  }

  /** The overall tally from precomputed `below(minConfidence, true)` and `below(maxConfidence, true)` (a sweep reuses them). */
  tallyFrom(config: ProxyLabelConfig, belowMin: Float64Array, belowMax: Float64Array): Tally {
    const classes = severityClasses(config, this.severities);
    return sumTallies(this.severities.map((_, s) => this.severityTally(s, classes[s]!, belowMin, belowMax, config)));
  }

  /** Per severity: alerts with and without a confidence, and the confidence range (computed once). */
  severityRanges(): SeverityRange[] {
    if (this.ranges) return this.ranges.map((r) => ({ ...r }));
    const out: SeverityRange[] = this.severities.map((severity, s) => ({
      severity,
      n: this.totals[this.layout.measure(s, 0)]!,
      nulls: this.nulls[this.layout.measure(s, 0)]!,
      min: null,
      max: null,
    }));
    const { confidence, cell } = this.rows;
    for (let r = 0; r < confidence.length; r++) {
      const range = out[this.cells.severity[cell[r]!]!]!;
      if (range.min === null) range.min = confidence[r]!;
      range.max = confidence[r]!;
    }
    this.ranges = out;
    return out.map((r) => ({ ...r }));
  }

  /** Alerts per severity with confidence < t (NULL confidences excluded), in `severities` order. */
  countBelowBySeverity(t: number): number[] {
    const below = this.below(t, true);
    return this.severities.map((_, s) => below[this.layout.measure(s, 0)]!);
  }

  /**
   * Confidence histogram per severity, bins of `width` over 0..1 (the last bin includes 1).
   * Threshold-independent, so computed once per width.
   */
  histogram(width = 0.02): HistogramBin[] {
    const cached = this.histograms.get(width);
    if (cached) return cached;
    const bins = Math.round(1 / width);
    const counts = new Float64Array(this.severities.length * bins);
    const { confidence, cell, n } = this.rows;
    for (let r = 0; r < confidence.length; r++) {
      const bin = Math.min(bins - 1, Math.max(0, Math.floor(confidence[r]! / width)));
      const at = this.cells.severity[cell[r]!]! * bins + bin;
      counts[at] = counts[at]! + n[r]!;
    }
    const out: HistogramBin[] = [];
    this.severities.forEach((severity, s) => {
      for (let b = 0; b < bins; b++) {
        const count = counts[s * bins + b]!;
        if (count > 0) out.push({ severity, x0: b * width, x1: (b + 1) * width, count });
      }
    });
    this.histograms.set(width, out);
    return out;
  }

  private severityTally(
    s: number,
    severityClass: SeverityClass,
    belowMin: Float64Array,
    belowMax: Float64Array,
    config: ProxyLabelConfig,
  ): Tally {
    const splits = Array.from({ length: MEASURES_PER_SEVERITY }, (_, m) => {
      const at = this.layout.measure(s, m);
      return splitByRule(
        severityClass,
        { total: this.totals[at]!, nulls: this.nulls[at]!, belowMin: belowMin[at]!, belowMax: belowMax[at]! },
        config.on_conflict,
      );
    });
    return tallyOf(splits);
  }
}
