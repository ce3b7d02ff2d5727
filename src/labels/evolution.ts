/**
 * Evolution labels: how each alerted address changed over the following `horizon` days (30, as
 * the validator's Tier 3B reads it), as SQL defined once and rendered for DuckDB (bound
 * parameters, over the normalised `alerts` and `features` views) or ClickHouse (literals, over
 * raw_alerts and raw_features, the SOT's tables, with the views' casts written inline).
 *
 * Per alert row whose address has a feature row at the alert's date and at date + horizon, in the
 * same window (an alert without the later snapshot has no row):
 *   degree_delta_pct = (degree_total later - degree_total) / degree_total x 100, 0 when the base is
 *                      not positive (tier3b_evolution.py's rule); volume_delta_pct the same on
 *                      total_volume_usd, in doubles (the loader casts decimals to DOUBLE);
 *   is_mixer_like, behavioral_anomaly_score, velocity_score from the later snapshot;
 *   pattern          the validator's classification (src/validator/config.ts): the first of
 *                    expanding_illicit, benign_indicators, dormant, ambiguous that matches, with
 *                    its expected score range;
 *   label            1 for expanding_illicit, 0 for benign_indicators, NULL otherwise. As a label
 *                    source the other two patterns say nothing (the validator labels them by the
 *                    miner's own score, which rewards whatever the miner said).
 * A NULL number fails every comparison it is in (SQL's CASE treats NULL as not true, as NaN does
 * in the validator's Python); a NULL mixer flag counts as not a mixer.
 */
import { DEFAULT_VALIDATOR_CONFIG, patternParams, type PatternThresholds } from '../validator/config.ts';
import { rows, type Database } from '../db/database.ts';
import type { Dialect } from '../migrations/index.ts';
import { SQL_TYPES, SqlValues, type SqlWithParams } from './sql-values.ts';

/** The columns of an evolution-label row, in order (the validator preview and the exports read them by name). */
export const EVOLUTION_COLUMNS = [
  'alert_id',
  'processing_date',
  'window_days',
  'address',
  'later_date',
  'degree_delta_pct',
  'volume_delta_pct',
  'is_mixer_like',
  'behavioral_anomaly_score',
  'velocity_score',
  'pattern',
  'expected_min',
  'expected_max',
  'label',
] as const;

/** One evolution-label row as rows() returns it from DuckDB. */
export interface EvolutionRow {
  alert_id: string;
  processing_date: Date | string;
  window_days: number;
  address: string;
  later_date: Date | string;
  degree_delta_pct: number;
  volume_delta_pct: number;
  is_mixer_like: boolean | null;
  behavioral_anomaly_score: number | null;
  velocity_score: number | null;
  pattern: string;
  expected_min: number;
  expected_max: number;
  label: number | null;
}

/** The feature columns the rule reads; an export without them can give no evolution labels. */
export const EVOLUTION_FEATURE_COLUMNS = [
  'degree_total',
  'total_volume_usd',
  'is_mixer_like',
  'behavioral_anomaly_score',
  'velocity_score',
] as const;

/** The columns of EVOLUTION_FEATURE_COLUMNS the loaded `features` view lacks (none: evolution can be computed). */
export async function missingEvolutionColumns(db: Database): Promise<string[]> {
  const present = new Set(rows<{ column_name: string }>(await db.query('DESCRIBE features')).map((c) => c.column_name));
  return EVOLUTION_FEATURE_COLUMNS.filter((c) => !present.has(c));
}

export const DEFAULT_HORIZON_DAYS = DEFAULT_VALIDATOR_CONFIG.tier3_accuracy.tier3b_evolution.horizon_days;

export interface EvolutionOptions {
  /** Days between the alert's snapshot and the later one (default the validator's 30). */
  horizonDays?: number;
  /** The pattern thresholds and ranges (default the validator's shipped ones). */
  patterns?: PatternThresholds;
  dialect?: Dialect;
}

/** Where the query reads, and how it turns a feature column into the number the rule compares. */
interface Source {
  alerts: string;
  features: string;
  /** A count or USD column as DOUBLE. */
  number(column: string): string;
  /**
   * A Float32 score as DOUBLE, widened, not rounded: the validator reads it with float() from
   * ClickHouse, so a stored 0.8 is 0.800000011920929 and passes `> 0.8` there. The features view
   * leaves these columns as exported (src/sot/views.ts rounds only the contract's 0..1 columns).
   */
  score(column: string): string;
  addDays(date: string, days: string): string;
}

const SOURCES: Record<Dialect, Source> = {
  duckdb: {
    alerts: 'alerts',
    features: 'features',
    number: (c) => `CAST(${c} AS DOUBLE)`,
    score: (c) => `CAST(${c} AS DOUBLE)`,
    addDays: (d, n) => `CAST(${d} + CAST(${n} AS INTEGER) AS DATE)`,
  },
  clickhouse: {
    alerts: 'raw_alerts',
    features: 'raw_features',
    number: (c) => `toFloat64(${c})`,
    score: (c) => `toFloat64(${c})`,
    addDays: (d, n) => `addDays(${d}, ${n})`,
  },
};

/** Every alert row with both snapshots: its deltas, later flags, pattern, expected range and label. */
export function evolutionLabelsQuery(opts: EvolutionOptions = {}): SqlWithParams {
  const dialect = opts.dialect ?? 'duckdb';
  const horizon = opts.horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (!Number.isInteger(horizon) || horizon < 0)
    throw new Error(`evolution horizon must be a whole number of days >= 0 (got ${horizon})`);
  const src = SOURCES[dialect];
  const types = SQL_TYPES[dialect];
  const v = new SqlValues(dialect);
  const p = patternParams(opts.patterns);
  const n = (x: number) => v.double(x);
  const name = (x: string) => v.ref(x);

  const delta = (column: string) => {
    const base = src.number(`b.${column}`);
    return `CASE WHEN ${base} > 0 THEN (${src.number(`l.${column}`)} - ${base}) / ${base} * 100 ELSE 0 END`;
  };
  const mixer = 'coalesce(is_mixer_like, false)';
  const pattern = `CASE
        WHEN degree_delta_pct > ${n(p.expanding_degree_above)} AND volume_delta_pct > ${n(p.expanding_volume_above)}
          AND (${mixer} OR behavioral_anomaly_score > ${n(p.expanding_anomaly_above)} OR velocity_score > ${n(p.expanding_velocity_above)})
          THEN ${name('expanding_illicit')}
        WHEN degree_delta_pct < ${n(p.benign_degree_below)} AND volume_delta_pct < ${n(p.benign_volume_below)}
          AND behavioral_anomaly_score < ${n(p.benign_anomaly_below)} AND NOT ${mixer}
          THEN ${name('benign_indicators')}
        WHEN degree_delta_pct < ${n(p.dormant_degree_below)} AND volume_delta_pct < ${n(p.dormant_volume_below)}
          AND velocity_score < ${n(p.dormant_velocity_below)}
          THEN ${name('dormant')}
        ELSE ${name('ambiguous')} END`;
  const range = (bound: 'min' | 'max') =>
    `CASE pattern
      WHEN ${name('expanding_illicit')} THEN ${n(p[`expanding_illicit_${bound}`])}
      WHEN ${name('benign_indicators')} THEN ${n(p[`benign_indicators_${bound}`])}
      WHEN ${name('dormant')} THEN ${n(p[`dormant_${bound}`])}
      ELSE ${n(p[`ambiguous_${bound}`])} END`;

  const sql = `SELECT alert_id, processing_date, window_days, address, later_date,
  degree_delta_pct, volume_delta_pct, is_mixer_like, behavioral_anomaly_score, velocity_score, pattern,
  ${range('min')} AS expected_min,
  ${range('max')} AS expected_max,
  CAST(CASE pattern WHEN ${name('expanding_illicit')} THEN 1 WHEN ${name('benign_indicators')} THEN 0 ELSE NULL END AS ${types.int8}) AS label
FROM (
  SELECT *, ${pattern} AS pattern
  FROM (
    SELECT a.alert_id AS alert_id, a.processing_date AS processing_date, a.window_days AS window_days,
      a.address AS address, a.later_date AS later_date,
      ${delta('degree_total')} AS degree_delta_pct,
      ${delta('total_volume_usd')} AS volume_delta_pct,
      l.is_mixer_like AS is_mixer_like,
      ${src.score('l.behavioral_anomaly_score')} AS behavioral_anomaly_score,
      ${src.score('l.velocity_score')} AS velocity_score
    FROM (
      SELECT alert_id, processing_date, window_days, address,
        ${src.addDays('processing_date', v.ref(horizon))} AS later_date
      FROM ${src.alerts}
    ) AS a
    JOIN ${src.features} AS b
      ON b.address = a.address AND b.processing_date = a.processing_date AND b.window_days = a.window_days
    JOIN ${src.features} AS l
      ON l.address = a.address AND l.processing_date = a.later_date AND l.window_days = a.window_days
  ) AS d
) AS c`;
  return v.finish(sql);
}
