/**
 * The cube's prefix-sum index: "how many alerts of each group have confidence < t", for any t,
 * without a rescan.
 *
 * The cube's rows with a confidence come sorted by it, as typed arrays. Every `block` rows a
 * checkpoint stores the running count of each group (the per-severity measures, then severity x
 * one breakdown value). A query binary-searches t among the sorted confidences (the same double
 * comparison SQL makes, hence exact), copies the checkpoint before that row and adds the few
 * rows after it: O(groups + block) per threshold.
 */
import { BREAKDOWNS, type Breakdown } from './cube-sql.ts';
import { REFERENCE_MEASURES, type Key } from './cube-rule.ts';

/** Values stored per severity group: the alert count, then each reference measure. */
export const MEASURES_PER_SEVERITY = 1 + REFERENCE_MEASURES.length;

/**
 * Cube rows as columns. `cell` numbers the row's (severity, typology, date, window) combination;
 * a reference column is null when it is zero everywhere (no truth file, no explicit labels), so
 * nothing is stored or added for it.
 */
export interface CubeRows {
  confidence: Float64Array;
  cell: Uint32Array;
  n: Uint32Array;
  /** In REFERENCE_MEASURES order. */
  reference: (Uint32Array | null)[];
}

/** Per cell: its severity, and the group of each breakdown it counts in. */
export interface CellGroups {
  severity: Uint16Array;
  groups: Int32Array;
}

/**
 * Where each group's running values sit in one Float64Array: first MEASURES_PER_SEVERITY
 * values per severity, then, per breakdown, one alert count per (severity, value).
 */
export class GroupLayout {
  readonly severityWidth: number;
  readonly width: number;
  private readonly offset: Record<Breakdown, number>;
  private readonly size: Record<Breakdown, number>;

  constructor(
    readonly severities: number,
    keys: Record<Breakdown, Key[]>,
  ) {
    this.severityWidth = severities * MEASURES_PER_SEVERITY;
    let at = this.severityWidth;
    this.offset = {} as Record<Breakdown, number>;
    this.size = {} as Record<Breakdown, number>;
    for (const b of BREAKDOWNS) {
      this.offset[b] = at;
      this.size[b] = keys[b].length;
      at += severities * keys[b].length;
    }
    this.width = at;
  }

  /** Where measure `measure` (0: the count) of severity `severity` sits. */
  measure(severity: number, measure: number): number {
    return severity * MEASURES_PER_SEVERITY + measure;
  }

  group(b: Breakdown, severity: number, key: number): number {
    return this.offset[b] + severity * this.size[b] + key;
  }

  /**
   * Every cell the SQL can number: cell = ((severity * typologies + typology) * dates + date) *
   * windows + window, each code from its dictionary. Mapped once to its severity and groups.
   */
  cellGroups(sizes: readonly number[]): CellGroups {
    const [typologies, dates, windows] = sizes as [number, number, number];
    const total = this.severities * typologies * dates * windows;
    const severity = new Uint16Array(total);
    const groups = new Int32Array(total * BREAKDOWNS.length);
    for (let c = 0; c < total; c++) {
      const w = c % windows;
      const d = Math.floor(c / windows) % dates;
      const t = Math.floor(c / (windows * dates)) % typologies;
      const s = Math.floor(c / (windows * dates * typologies));
      severity[c] = s;
      const codes: Record<Breakdown, number> = { typology: t, date: d, window: w };
      BREAKDOWNS.forEach((b, i) => (groups[c * BREAKDOWNS.length + i] = this.group(b, s, codes[b])));
    }
    return { severity, groups };
  }
}

/** Add row `r` to the running values: its severity's measures and, unless `severityOnly`, its breakdown groups. */
export function addRow(out: Float64Array, r: number, rows: CubeRows, cells: CellGroups, severityOnly = false): void {
  const base = cells.severity[rows.cell[r]!]! * MEASURES_PER_SEVERITY;
  out[base] = out[base]! + rows.n[r]!;
  for (let m = 0; m < rows.reference.length; m++) {
    const values = rows.reference[m];
    if (values) out[base + 1 + m] = out[base + 1 + m]! + values[r]!;
  }
  if (severityOnly) return;
  const c = rows.cell[r]! * BREAKDOWNS.length;
  const n = rows.n[r]!;
  for (let b = 0; b < BREAKDOWNS.length; b++) {
    const g = cells.groups[c + b]!;
    out[g] = out[g]! + n;
  }
}

/** First index whose value is >= t: the number of values < t, as SQL's `c < t` counts them. */
export function lowerBound(values: Float64Array, t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Rows between checkpoints: a query costs copying `width` values plus adding up to `block`
 * rows, and memory is (rows / block) * width values; the square root balances the two.
 */
function blockSize(rowCount: number, width: number): number {
  const balanced = Math.sqrt(Math.max(1, rowCount) * width);
  return Math.min(8192, Math.max(256, 2 ** Math.round(Math.log2(balanced))));
}

/** The checkpoints over sorted rows, and the totals of all of them. */
export class PrefixIndex {
  private readonly block: number;
  private readonly checkpoints: Float64Array;
  /** Measures of every row, in the group layout. */
  readonly totals: Float64Array;

  constructor(
    private readonly rows: CubeRows,
    private readonly cells: CellGroups,
    private readonly layout: GroupLayout,
  ) {
    const width = layout.width;
    const count = rows.confidence.length;
    this.block = blockSize(count, width);
    this.checkpoints = new Float64Array((Math.floor(count / this.block) + 1) * width);
    const running = new Float64Array(width);
    for (let r = 0; r < count; r++) {
      if (r % this.block === 0) this.checkpoints.set(running, (r / this.block) * width);
      addRow(running, r, rows, cells);
    }
    if (count % this.block === 0) this.checkpoints.set(running, (count / this.block) * width);
    this.totals = running;
  }

  /**
   * Counts of rows with confidence < t, per group, in the group layout. With `severityOnly` the
   * breakdown groups are left at zero (the sweep needs only the per-severity measures).
   */
  below(t: number, severityOnly = false): Float64Array {
    const width = this.layout.width;
    const i = lowerBound(this.rows.confidence, t);
    const j = Math.floor(i / this.block);
    const out = new Float64Array(width);
    const copy = severityOnly ? this.layout.severityWidth : width;
    out.set(this.checkpoints.subarray(j * width, j * width + copy));
    for (let r = j * this.block; r < i; r++) addRow(out, r, this.rows, this.cells, severityOnly);
    return out;
  }
}

/** The measures of unsorted rows (those without a confidence), in the group layout. */
export function sumRows(rows: CubeRows, cells: CellGroups, layout: GroupLayout): Float64Array {
  const out = new Float64Array(layout.width);
  for (let r = 0; r < rows.n.length; r++) addRow(out, r, rows, cells);
  return out;
}
