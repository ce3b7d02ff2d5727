/**
 * The threshold-independent precomputation behind the interactive views: after one pass over
 * the alerts, the label counts for ANY pair of thresholds come from arithmetic on prefix sums,
 * with no rescan. Exact always (not only at round thresholds):
 *
 * 1. DuckDB groups the alerts into a fine cube, the temp table `_label_cube`: one row per
 *    (severity, typology, processing_date, window_days, exact confidence) with the number of
 *    alerts and how many of them ground truth calls illicit / licit and explicit labels call
 *    positive / negative. SOT confidences have few distinct values, so this is usually far
 *    smaller than the alerts; with continuous confidences it is at worst one row per alert.
 * 2. Its rows come to JavaScript sorted by confidence, as typed arrays. Every `block` rows a
 *    checkpoint stores the running count of each group (severity x one breakdown value).
 * 3. "How many alerts of each group have confidence < t" is then: binary-search t among the
 *    sorted confidences (the same double comparison SQL makes, hence exact), copy the checkpoint
 *    before that row and add the few rows after it. O(groups + block) per threshold.
 *
 * The rule needs nothing else: per severity the positive test is `c >= min` (total - below(min)),
 * the negative test `c < max` (below(max)) unless the severity is negative outright, and
 * alerts voting both ways are those in [min, max) of positive severities.
 */
import { literal, rows, type Database } from '../db/database.ts';
import { ALERTS_TABLE, EFFECTIVE_LABELS_VIEW, LABEL_EVENTS_TABLE } from '../migrations/index.ts';
import { KNOWN_SEVERITIES } from '../sot/contracts.ts';
import type { ProxyLabelConfig } from './config.ts';
import { PROXY_SOURCE } from './proxy-sql.ts';

export const CUBE_TABLE = '_label_cube';

/** The breakdowns the counts come in besides severity. */
export const BREAKDOWNS = ['typology', 'date', 'window'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

const BREAKDOWN_COLUMN: Record<Breakdown, string> = {
  typology: 'typology_type',
  date: 'processing_date',
  window: 'window_days',
};

/** Per-alert measures kept per severity: the reference labels the rule is compared with. */
export const REFERENCE_MEASURES = ['truthPos', 'truthNeg', 'explicitPos', 'explicitNeg'] as const;
type ReferenceMeasure = (typeof REFERENCE_MEASURES)[number];
const MEASURE_COLUMN: Record<ReferenceMeasure, string> = {
  truthPos: 'truth_pos',
  truthNeg: 'truth_neg',
  explicitPos: 'explicit_pos',
  explicitNeg: 'explicit_neg',
};

/** Alert counts with how the reference labels split them. */
export interface Measures {
  n: number;
  truthPos: number;
  truthNeg: number;
  explicitPos: number;
  explicitNeg: number;
}

/** What the rule does to a set of alerts. Votes are before `on_conflict`; labels after it. */
export interface Tally {
  positive: Measures;
  negative: Measures;
  uncertain: Measures;
  votesPositive: Measures;
  votesNegative: Measures;
  /** Alerts both tests vote for (they conflict: one says 1, the other 0). */
  overlap: Measures;
}

export interface LabelCounts {
  positive: number;
  negative: number;
  uncertain: number;
}

/** Keys are SQL values as text ('PEEL_CHAIN', '2026-01-05', '7'); null for a NULL value. */
export type Key = string | null;

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

/** Number of measures stored per severity group: n plus the reference measures. */
const M = 1 + REFERENCE_MEASURES.length;

/**
 * The fine cube's rows with a confidence, sorted by it, as columns. `cell` numbers the row's
 * (severity, typology, date, window) combination; a reference column is null when it is zero
 * everywhere (no truth file, no explicit labels), so nothing is stored or added for it.
 */
interface CubeRows {
  conf: Float64Array;
  cell: Uint32Array;
  n: Uint32Array;
  ref: (Uint32Array | null)[];
}

/** Per cell: its severity, and the group of each breakdown it counts in. */
interface Cells {
  sev: Uint16Array;
  groups: Int32Array;
}

export class LabelCube {
  /** Total alerts, with and without a confidence. */
  readonly alerts: number;
  readonly hasTruth: boolean;
  readonly hasExplicit: boolean;
  /** Rows of the fine cube with a confidence: distinct (cell, confidence) pairs, at most one per alert. */
  readonly rowCount: number;
  private histograms = new Map<number, HistogramBin[]>();
  private ranges: SeverityRange[] | null = null;

  private constructor(
    readonly severities: Key[],
    readonly keys: Record<Breakdown, Key[]>,
    private readonly rows: CubeRows,
    private readonly cells: Cells,
    /** Group offsets: severity groups [0, S) hold M measures each, then one count per breakdown group. */
    private readonly layout: Layout,
    private readonly block: number,
    private readonly checkpoints: Float64Array,
    /** Measures of alerts with a NULL confidence, in the group layout. */
    private readonly nulls: Float64Array,
    /** Measures of all alerts with a confidence, in the group layout. */
    private readonly totals: Float64Array,
  ) {
    this.rowCount = rows.conf.length;
    let alerts = 0;
    let truth = 0;
    let explicit = 0;
    for (let s = 0; s < severities.length; s++) {
      const both = (m: number) => totals[s * M + m]! + nulls[s * M + m]!;
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
   * explicit labels of `effective_labels`, then the prefix structure in JavaScript. Run it again
   * after loading more data or labels.
   */
  static async build(db: Database): Promise<LabelCube> {
    // Codes first: each dimension's distinct values, numbered in display order, in a small table.
    await db.exec(dictionarySql('severity', 'severity', severityOrder('value')));
    for (const b of BREAKDOWNS) await db.exec(dictionarySql(b, BREAKDOWN_COLUMN[b], 'value NULLS LAST'));
    const severities = await dictionary(db, 'severity');
    const keys = {} as Record<Breakdown, Key[]>;
    for (const b of BREAKDOWNS) keys[b] = await dictionary(db, b);
    const sizes = BREAKDOWNS.map((b) => keys[b].length);

    const present = { truth: await hasTruth(db), explicit: await hasExplicitLabels(db) };
    await db.exec(cubeTableSql(present.explicit, sizes), [PROXY_SOURCE]);
    // Only the columns the JavaScript side needs, and no reference that is absent: the transfer
    // out of DuckDB is the costliest step of the build.
    const wanted = REFERENCE_MEASURES.map((m) => (m.startsWith('truth') ? present.truth : present.explicit));
    const measures = REFERENCE_MEASURES.filter((_, i) => wanted[i])
      .map((m) => `, ${MEASURE_COLUMN[m]}`)
      .join('');
    const sorted = await db.query(
      `SELECT confidence, cell, n${measures} FROM ${CUBE_TABLE} ORDER BY confidence NULLS FIRST`,
    );
    // Rows [0, nullRows) have no confidence; the rest ascend.
    const nullRows = sorted.getChild('confidence')!.nullCount;
    type Numbers = ArrayLike<number> & { subarray(from: number, to?: number): ArrayLike<number> };
    const values = (name: string) => sorted.getChild(name)!.toArray() as Numbers;
    const tail = (name: string) => values(name).subarray(nullRows);
    const head = (name: string) => Uint32Array.from(values(name).subarray(0, nullRows));
    const refColumn = (m: ReferenceMeasure, i: number, part: (name: string) => ArrayLike<number>) => {
      if (!wanted[i]) return null;
      const column = Uint32Array.from(part(MEASURE_COLUMN[m]));
      return column.some((x) => x > 0) ? column : null;
    };
    const rows: CubeRows = {
      conf: Float64Array.from(tail('confidence')),
      cell: Uint32Array.from(tail('cell')),
      n: Uint32Array.from(tail('n')),
      ref: REFERENCE_MEASURES.map((m, i) => refColumn(m, i, tail)),
    };
    const nullPart: CubeRows = {
      conf: new Float64Array(nullRows),
      cell: head('cell'),
      n: head('n'),
      ref: REFERENCE_MEASURES.map((m, i) => refColumn(m, i, head)),
    };

    const layout = new Layout(severities.length, keys);
    const cells = cellTable(severities.length, sizes, layout);
    const block = blockSize(rows.conf.length, layout.width);
    const count = rows.conf.length;
    const checkpoints = new Float64Array((Math.floor(count / block) + 1) * layout.width);
    const running = new Float64Array(layout.width);
    for (let r = 0; r < count; r++) {
      if (r % block === 0) checkpoints.set(running, (r / block) * layout.width);
      addRow(running, r, rows, cells);
    }
    if (count % block === 0) checkpoints.set(running, (count / block) * layout.width);
    const nulls = new Float64Array(layout.width);
    for (let r = 0; r < nullRows; r++) addRow(nulls, r, nullPart, cells);
    return new LabelCube(severities, keys, rows, cells, layout, block, checkpoints, nulls, running);
  }

  /**
   * Counts of alerts with confidence < t, per group, in the group layout. With `severityOnly`
   * the breakdown groups are left at zero (the sweep needs only the per-severity measures).
   */
  below(t: number, severityOnly = false): Float64Array {
    const width = this.layout.width;
    const i = lowerBound(this.rows.conf, t);
    const j = Math.floor(i / this.block);
    const out = new Float64Array(width);
    const copy = severityOnly ? this.layout.severityWidth : width;
    out.set(this.checkpoints.subarray(j * width, j * width + copy));
    for (let r = j * this.block; r < i; r++) {
      if (severityOnly) addSeverityRow(out, r, this.rows, this.cells);
      else addRow(out, r, this.rows, this.cells);
    }
    return out;
  }

  /** What the rule does, overall, per severity and per breakdown value. */
  evaluate(config: ProxyLabelConfig): Evaluation {
    const bp = this.below(config.positive.min_confidence);
    const bq = this.below(config.negative.max_confidence);
    const cls = this.severityClasses(config);
    const bySeverity = this.severities.map((key, s) => ({
      key,
      tally: this.severityTally(s, cls[s]!, bp, bq, config),
    }));
    const by = {} as Evaluation['by'];
    for (const b of BREAKDOWNS) {
      by[b] = this.keys[b].map((key, k) => {
        const counts: LabelCounts = { positive: 0, negative: 0, uncertain: 0 };
        for (let s = 0; s < this.severities.length; s++) {
          const g = this.layout.group(b, s, k);
          const c = labelCounts(cls[s]!, this.totals[g]!, this.nulls[g]!, bp[g]!, bq[g]!, config);
          counts.positive += c.positive;
          counts.negative += c.negative;
          counts.uncertain += c.uncertain;
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

  /** The overall tally from precomputed `below(..., true)` vectors (a sweep reuses them). */
  tallyFrom(config: ProxyLabelConfig, bp: Float64Array, bq: Float64Array): Tally {
    const cls = this.severityClasses(config);
    return sumTallies(this.severities.map((_, s) => this.severityTally(s, cls[s]!, bp, bq, config)));
  }

  /** Per severity: alerts with and without a confidence, and the confidence range (computed once). */
  severityRanges(): SeverityRange[] {
    if (this.ranges) return this.ranges.map((r) => ({ ...r }));
    const out: SeverityRange[] = this.severities.map((severity, s) => ({
      severity,
      n: this.totals[s * M]!,
      nulls: this.nulls[s * M]!,
      min: null,
      max: null,
    }));
    const { conf, cell } = this.rows;
    for (let r = 0; r < conf.length; r++) {
      const range = out[this.cells.sev[cell[r]!]!]!;
      if (range.min === null) range.min = conf[r]!;
      range.max = conf[r]!;
    }
    this.ranges = out;
    return out.map((r) => ({ ...r }));
  }

  /** Alerts per severity with confidence < t (NULL confidences excluded), in `severities` order. */
  countBelowBySeverity(t: number): number[] {
    const b = this.below(t, true);
    return this.severities.map((_, s) => b[s * M]!);
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
    const { conf, cell, n } = this.rows;
    for (let r = 0; r < conf.length; r++) {
      const bin = Math.min(bins - 1, Math.max(0, Math.floor(conf[r]! / width)));
      const at = this.cells.sev[cell[r]!]! * bins + bin;
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

  private severityClasses(config: ProxyLabelConfig): SeverityClass[] {
    const pos = new Set<Key>(config.positive.severities);
    const neg = new Set<Key>(config.negative.severities);
    return this.severities.map((s) => (pos.has(s) ? 'positive' : neg.has(s) ? 'negative' : 'other'));
  }

  private severityTally(
    s: number,
    cls: SeverityClass,
    bp: Float64Array,
    bq: Float64Array,
    config: ProxyLabelConfig,
  ): Tally {
    const at = (v: Float64Array, m: number) => v[s * M + m]!;
    const parts = Array.from({ length: M }, (_, m) =>
      classSplit(cls, at(this.totals, m), at(this.nulls, m), at(bp, m), at(bq, m), config),
    );
    const pick = (f: (x: ClassSplit) => number): Measures => ({
      n: f(parts[0]!),
      truthPos: f(parts[1]!),
      truthNeg: f(parts[2]!),
      explicitPos: f(parts[3]!),
      explicitNeg: f(parts[4]!),
    });
    return {
      positive: pick((x) => x.positive),
      negative: pick((x) => x.negative),
      uncertain: pick((x) => x.uncertain),
      votesPositive: pick((x) => x.votesPositive),
      votesNegative: pick((x) => x.votesNegative),
      overlap: pick((x) => x.overlap),
    };
  }
}

type SeverityClass = 'positive' | 'negative' | 'other';

interface ClassSplit extends LabelCounts {
  votesPositive: number;
  votesNegative: number;
  overlap: number;
}

/**
 * One measure of one group split by the rule, from: alerts with a confidence (`total`), with
 * none (`nulls`), and with confidence below the positive (`bp`) and negative (`bq`) thresholds.
 * NULL confidences fail both confidence tests, as in the SQL.
 */
function classSplit(
  cls: SeverityClass,
  total: number,
  nulls: number,
  bp: number,
  bq: number,
  config: ProxyLabelConfig,
): ClassSplit {
  let votesPositive = 0;
  let votesNegative: number;
  let overlap = 0;
  if (cls === 'positive') {
    votesPositive = total - bp;
    votesNegative = bq;
    overlap = Math.max(0, bq - bp);
  } else if (cls === 'negative') {
    votesNegative = total + nulls;
  } else {
    votesNegative = bq;
  }
  const positive = votesPositive - overlap + (config.on_conflict === 'positive' ? overlap : 0);
  const negative = votesNegative - overlap + (config.on_conflict === 'negative' ? overlap : 0);
  return { positive, negative, uncertain: total + nulls - positive - negative, votesPositive, votesNegative, overlap };
}

function labelCounts(
  cls: SeverityClass,
  total: number,
  nulls: number,
  bp: number,
  bq: number,
  config: ProxyLabelConfig,
): LabelCounts {
  const { positive, negative, uncertain } = classSplit(cls, total, nulls, bp, bq, config);
  return { positive, negative, uncertain };
}

const zeroMeasures = (): Measures => ({ n: 0, truthPos: 0, truthNeg: 0, explicitPos: 0, explicitNeg: 0 });

export function addMeasures(a: Measures, b: Measures): Measures {
  return {
    n: a.n + b.n,
    truthPos: a.truthPos + b.truthPos,
    truthNeg: a.truthNeg + b.truthNeg,
    explicitPos: a.explicitPos + b.explicitPos,
    explicitNeg: a.explicitNeg + b.explicitNeg,
  };
}

function sumTallies(tallies: Tally[]): Tally {
  const out: Tally = {
    positive: zeroMeasures(),
    negative: zeroMeasures(),
    uncertain: zeroMeasures(),
    votesPositive: zeroMeasures(),
    votesNegative: zeroMeasures(),
    overlap: zeroMeasures(),
  };
  for (const t of tallies) {
    for (const k of Object.keys(out) as (keyof Tally)[]) out[k] = addMeasures(out[k], t[k]);
  }
  return out;
}

/**
 * Where each group's running values sit in one Float64Array: first M measures per severity,
 * then, per breakdown, one alert count per (severity, value).
 */
class Layout {
  readonly severityWidth: number;
  readonly width: number;
  private readonly offset: Record<Breakdown, number>;
  private readonly size: Record<Breakdown, number>;

  constructor(
    readonly severities: number,
    keys: Record<Breakdown, Key[]>,
  ) {
    this.severityWidth = severities * M;
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

  group(b: Breakdown, severity: number, key: number): number {
    return this.offset[b] + severity * this.size[b] + key;
  }
}

function addSeverityRow(out: Float64Array, r: number, rows: CubeRows, cells: Cells): void {
  const base = cells.sev[rows.cell[r]!]! * M;
  out[base] = out[base]! + rows.n[r]!;
  for (let m = 0; m < rows.ref.length; m++) {
    const values = rows.ref[m];
    if (values) out[base + 1 + m] = out[base + 1 + m]! + values[r]!;
  }
}

function addRow(out: Float64Array, r: number, rows: CubeRows, cells: Cells): void {
  addSeverityRow(out, r, rows, cells);
  const c = rows.cell[r]! * BREAKDOWNS.length;
  const n = rows.n[r]!;
  for (let b = 0; b < BREAKDOWNS.length; b++) {
    const g = cells.groups[c + b]!;
    out[g] = out[g]! + n;
  }
}

/**
 * Every cell the SQL can number: cell = ((severity * typologies + typology) * dates + date) *
 * windows + window, each code from its dictionary. Mapped once to its severity and groups.
 */
function cellTable(severities: number, sizes: number[], layout: Layout): Cells {
  const [typologies, dates, windows] = sizes as [number, number, number];
  const total = severities * typologies * dates * windows;
  const sev = new Uint16Array(total);
  const groups = new Int32Array(total * BREAKDOWNS.length);
  for (let c = 0; c < total; c++) {
    const w = c % windows;
    const d = Math.floor(c / windows) % dates;
    const t = Math.floor(c / (windows * dates)) % typologies;
    const s = Math.floor(c / (windows * dates * typologies));
    sev[c] = s;
    const codes: Record<Breakdown, number> = { typology: t, date: d, window: w };
    BREAKDOWNS.forEach((b, i) => (groups[c * BREAKDOWNS.length + i] = layout.group(b, s, codes[b])));
  }
  return { sev, groups };
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

/** Known severities in their natural order, then anything else alphabetically, NULL last. */
function severityOrder(column: string): string {
  const known = `[${KNOWN_SEVERITIES.map(literal).join(', ')}]`;
  return `coalesce(list_position(${known}, ${column}), ${KNOWN_SEVERITIES.length + 1}), ${column} NULLS LAST`;
}

/** The table numbering one dimension's values: `value` (as in alerts) and `code` from 0. */
function dictionaryTable(name: string): string {
  return `${CUBE_TABLE}_${name}`;
}

function dictionarySql(name: string, column: string, orderBy: string): string {
  return `CREATE OR REPLACE TEMP TABLE ${dictionaryTable(name)} AS
SELECT value, CAST(row_number() OVER (ORDER BY ${orderBy}) - 1 AS USMALLINT) AS code
FROM (SELECT DISTINCT ${column} AS value FROM alerts)`;
}

/** A dimension's values as text, in code order. */
async function dictionary(db: Database, name: string): Promise<Key[]> {
  const values = rows<{ v: string | null }>(
    await db.query(`SELECT CAST(value AS VARCHAR) AS v FROM ${dictionaryTable(name)} ORDER BY code`),
  );
  return values.map((r) => r.v);
}

/** Whether ground truth was loaded: without it, its columns are not transferred. */
async function hasTruth(db: Database): Promise<boolean> {
  return (
    (rows<{ n: number }>(await db.query(`SELECT count(*) AS n FROM (SELECT 1 FROM ground_truth LIMIT 1)`))[0]?.n ?? 0) >
    0
  );
}

/**
 * Whether any label from a source other than the rule exists (as a label event or in a row):
 * without one, the cube skips joining effective_labels, the costliest part of the build.
 */
async function hasExplicitLabels(db: Database): Promise<boolean> {
  const found = rows<{ n: number }>(
    await db.query(
      `SELECT (SELECT count(*) FROM ${LABEL_EVENTS_TABLE} WHERE label_source != $1)
        + (SELECT count(*) FROM (SELECT 1 FROM ${ALERTS_TABLE} WHERE label IS NOT NULL AND label_source != $1 LIMIT 1)) AS n`,
      [PROXY_SOURCE],
    ),
  );
  return (found[0]?.n ?? 0) > 0;
}

/**
 * The fine cube: alerts grouped by their dimension codes and exact confidence. Ground truth may
 * list an alert more than once (several confirmations): any illicit confirmation makes it
 * illicit. Explicit labels are effective_labels' winners from any source but proxy, so the
 * rule's own earlier output never counts as a reference. The readable values stay beside the
 * codes, so notebooks can query the table too.
 */
function cubeTableSql(explicit: boolean, sizes: number[]): string {
  const m = MEASURE_COLUMN;
  const join = (name: string, column: string, alias: string) =>
    `JOIN ${dictionaryTable(name)} AS ${alias} ON ${alias}.value IS NOT DISTINCT FROM g.${column}`;
  const explicitJoin = explicit
    ? `LEFT JOIN (
    SELECT alert_id, window_days, processing_date, label
    FROM ${EFFECTIVE_LABELS_VIEW}
    WHERE label IS NOT NULL AND label_source != $1
  ) AS x ON x.alert_id = a.alert_id AND x.window_days = a.window_days AND x.processing_date = a.processing_date`
    : // Keeps $1 bound either way; matches nothing.
      `LEFT JOIN (SELECT NULL::TINYINT AS label WHERE $1 IS NULL) AS x ON false`;
  return `CREATE OR REPLACE TEMP TABLE ${CUBE_TABLE} AS
WITH truth AS (
  SELECT alert_id, processing_date, bool_or(is_illicit) AS is_illicit
  FROM ground_truth
  GROUP BY alert_id, processing_date
), grouped AS (
  SELECT a.severity, a.typology_type, a.processing_date, a.window_days, a.alert_confidence_score AS confidence,
    CAST(count(*) AS UINTEGER) AS n,
    CAST(count(*) FILTER (WHERE t.is_illicit) AS UINTEGER) AS ${m.truthPos},
    CAST(count(*) FILTER (WHERE NOT t.is_illicit) AS UINTEGER) AS ${m.truthNeg},
    CAST(count(*) FILTER (WHERE x.label = 1) AS UINTEGER) AS ${m.explicitPos},
    CAST(count(*) FILTER (WHERE x.label = 0) AS UINTEGER) AS ${m.explicitNeg}
  FROM alerts AS a
  LEFT JOIN truth AS t ON t.alert_id = a.alert_id AND t.processing_date = a.processing_date
  ${explicitJoin}
  GROUP BY ALL
)
SELECT g.*,
  CAST(((s.code * ${sizes[0]} + t.code) * ${sizes[1]} + d.code) * ${sizes[2]} + w.code AS UINTEGER) AS cell
FROM grouped AS g
${join('severity', 'severity', 's')}
${BREAKDOWNS.map((b) => join(b, BREAKDOWN_COLUMN[b], b[0]!)).join('\n')}`;
}
