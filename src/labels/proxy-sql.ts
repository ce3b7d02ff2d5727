/**
 * The proxy-label rule as SQL: the one definition every consumer renders (the labels query and
 * the counts query in DuckDB, the UPDATE that writes raw_alerts' label columns, the ClickHouse
 * script). Each function returns `{sql, params}`; in DuckDB every user value is a bound
 * parameter, in ClickHouse an escaped literal (see sql-values.ts).
 *
 * The rule (config.ts) on a normalised severity `s` and confidence `c`:
 *   votes_positive = s IN positive.severities AND c >= positive.min_confidence
 *   votes_negative = s IN negative.severities OR  c <  negative.max_confidence
 *   label          = both: on_conflict; positive only: 1; negative only: 0; neither: NULL
 * A NULL severity or confidence fails the test it appears in (as NaN does in the design's pandas
 * function): an alert with a NULL confidence is negative only through its severity.
 *
 * One scan: the rule is row-wise expressions over the alerts, no joins, no grouping. Only the
 * query that also applies explicit labels joins the effective_labels view.
 */
import {
  ALERTS_TABLE,
  EFFECTIVE_LABELS_VIEW,
  LABEL_SOURCES,
  LABEL_SOURCE_TYPE,
  type Dialect,
} from '../migrations/index.ts';
import { ruleSignature, type ProxyLabelConfig } from './config.ts';
import { SQL_TYPES, SqlValues, type SqlWithParams } from './sql-values.ts';

/** label_source of every row the rule writes. */
export const PROXY_SOURCE = LABEL_SOURCES[0];

/** The columns that identify one alert row (alert_id recurs across window_days). */
export const ALERT_KEY = ['alert_id', 'window_days', 'processing_date'] as const;

/** Where the rule reads alerts, and the SQL for their normalised severity and confidence. */
export interface AlertSource {
  table: string;
  severity: string;
  confidence: string;
}

/** DuckDB's normalised view (src/sot/views.ts): severity already lowercased, confidence rounded. */
export const NORMALISED_ALERTS: AlertSource = {
  table: 'alerts',
  severity: 'severity',
  confidence: 'alert_confidence_score',
};

/**
 * raw_alerts with the view's normalisation written inline, for statements that must name the
 * table itself (UPDATE). Same meaning as views.ts: lowercased, trimmed severity (older exports
 * wrote 'HIGH'); confidence rounded to 6 decimals so a Float32 0.7 (0.699999988) passes `>= 0.7`.
 * ClickHouse's round() breaks ties to even on floats, DuckDB's away from zero: ClickHouse spells
 * DuckDB's `round(x * 1e6) / 1e6` as floor(x * 1e6 + 0.5) / 1e6, exact for 0 <= x <= 1.
 */
export function rawAlertsSource(dialect: Dialect): AlertSource {
  return dialect === 'duckdb'
    ? { table: ALERTS_TABLE, severity: 'lower(trim(severity))', confidence: 'round(alert_confidence_score, 6)' }
    : {
        table: ALERTS_TABLE,
        severity: 'lower(trimBoth(toString(severity)))',
        confidence: 'floor(toFloat64(alert_confidence_score) * 1000000 + 0.5) / 1000000',
      };
}

/**
 * The rule as expression builders over column (or expression) names, so one definition serves
 * both shapes: layered subqueries (readable, each step named) for SELECTs, and the same pieces
 * nested inline for UPDATEs, where ClickHouse allows no subqueries.
 */
export interface Rule {
  votesPositive(severity: string, confidence: string): string;
  votesNegative(severity: string, confidence: string): string;
  /** 1, 0 or NULL from the two votes, typed like the label column. */
  label(votesPositive: string, votesNegative: string): string;
  /** label_confidence per config.label_confidence, NULL for uncertain rows; typed FLOAT. */
  labelConfidence(label: string, confidence: string): string;
}

export function ruleBuilder(config: ProxyLabelConfig, v: SqlValues): Rule {
  const types = SQL_TYPES[v.dialect];
  const minConfidence = v.double(config.positive.min_confidence);
  const maxConfidence = v.double(config.negative.max_confidence);
  const inList = (s: string, list: readonly string[]) =>
    list.length === 0 ? 'false' : `${s} IN (${list.map((x) => v.ref(x)).join(', ')})`;
  const onConflict = { negative: '0', positive: '1', uncertain: 'NULL' }[config.on_conflict];
  return {
    votesPositive: (s, c) => `coalesce(${inList(s, config.positive.severities)} AND ${c} >= ${minConfidence}, false)`,
    votesNegative: (s, c) =>
      `(coalesce(${inList(s, config.negative.severities)}, false) OR coalesce(${c} < ${maxConfidence}, false))`,
    label: (vp, vn) =>
      `CAST(CASE WHEN ${vp} AND ${vn} THEN ${onConflict} WHEN ${vp} THEN 1 WHEN ${vn} THEN 0 ELSE NULL END AS ${types.int8})`,
    labelConfidence: (label, c) => labelConfidenceExpr(config, v, label, c),
  };
}

/** The rule nested into single expressions over a source's severity and confidence. */
export function inlineRule(rule: Rule, src: AlertSource): { label: string; labelConfidence: string } {
  const label = rule.label(
    rule.votesPositive(src.severity, src.confidence),
    rule.votesNegative(src.severity, src.confidence),
  );
  return { label, labelConfidence: rule.labelConfidence(label, src.confidence) };
}

/**
 * The rule as layered subqueries: `keys..., severity, confidence, proxy_label,
 * proxy_label_confidence` for every alert row of the source, plus `extra` columns passed through.
 */
export function ruleSubquery(rule: Rule, src: AlertSource, extra: readonly string[] = []): string {
  const cols = [...ALERT_KEY, ...extra].join(', ');
  return `SELECT ${cols}, severity, confidence, proxy_label,
      ${rule.labelConfidence('proxy_label', 'confidence')} AS proxy_label_confidence
    FROM (
      SELECT ${cols}, severity, confidence,
        ${rule.label('votes_positive', 'votes_negative')} AS proxy_label
      FROM (
        SELECT ${cols}, severity, confidence,
          ${rule.votesPositive('severity', 'confidence')} AS votes_positive,
          ${rule.votesNegative('severity', 'confidence')} AS votes_negative
        FROM (
          SELECT ${cols}, ${src.severity} AS severity, ${src.confidence} AS confidence
          FROM ${src.table}
        ) AS normalised
      ) AS voted
    ) AS labelled`;
}

/** See config.ts (LabelConfidenceSchema) for the three derivations. */
function labelConfidenceExpr(config: ProxyLabelConfig, v: SqlValues, label: string, c: string): string {
  const float = SQL_TYPES[v.dialect].float32;
  const lc = config.label_confidence;
  let expr: string;
  if (lc.method === 'confidence') {
    expr = `CASE ${label} WHEN 1 THEN ${c} WHEN 0 THEN 1 - ${c} ELSE NULL END`;
  } else if (lc.method === 'constant') {
    expr = `CASE WHEN ${label} IS NOT NULL THEN ${v.double(lc.value)} ELSE NULL END`;
  } else {
    // Slopes are computed here once, so both engines use the same doubles; a threshold at the
    // end of the range (min 1, max 0) leaves no room to be past it: every label gets the floor.
    const minConfidence = config.positive.min_confidence;
    const maxConfidence = config.negative.max_confidence;
    const floor = v.double(lc.floor);
    const up = v.double(minConfidence < 1 ? (1 - lc.floor) / (1 - minConfidence) : 0);
    const down = v.double(maxConfidence > 0 ? (1 - lc.floor) / maxConfidence : 0);
    // Plain CASE, not greatest(): DuckDB's greatest() skips NULLs, ClickHouse's returns NULL.
    expr =
      `CASE ${label} WHEN 1 THEN least(1.0, ${floor} + ${up} * (${c} - ${v.double(minConfidence)})) ` +
      `WHEN 0 THEN CASE WHEN ${c} < ${v.double(maxConfidence)} THEN least(1.0, ${floor} + ${down} * (${v.double(maxConfidence)} - ${c})) ELSE ${floor} END ` +
      `ELSE NULL END`;
  }
  return `CAST(${expr} AS ${float})`;
}

function labeledAtExpr(v: SqlValues, labeledAt: Date | undefined): string {
  if (v.dialect === 'clickhouse') {
    return labeledAt ? `toDateTime(${v.ref(labeledAt.toISOString().slice(0, 19).replace('T', ' '))}, 'UTC')` : 'now()';
  }
  // Bound as ISO text with its Z, so it is UTC whatever the session's time zone.
  return `CAST(${v.ref((labeledAt ?? new Date()).toISOString())} AS TIMESTAMP)`;
}

export interface LabelsQueryOptions {
  dialect?: Dialect;
  /** Defaults: DuckDB's normalised `alerts` view; ClickHouse's raw_alerts, normalised inline. */
  source?: AlertSource;
  /** Let explicit labels (effective_labels, any source but proxy) win over the rule. Default true. */
  explicit?: boolean;
  /** Keep rows nobody labels (label NULL). Default: the config's `uncertain` ('keep' keeps them). */
  keepUncertain?: boolean;
  /** labeled_at of the proxy rows; default now. */
  labeledAt?: Date;
}

/**
 * Every alert row with its label. Columns: alert_id, window_days, processing_date, address,
 * typology_type, severity, confidence (normalised), label, label_source (text), label_confidence,
 * labeled_at, labeled_by, proxy_label (the rule's own verdict, whoever won).
 */
export function proxyLabelsQuery(config: ProxyLabelConfig, opts: LabelsQueryOptions = {}): SqlWithParams {
  const dialect = opts.dialect ?? 'duckdb';
  const v = new SqlValues(dialect);
  const src = opts.source ?? (dialect === 'duckdb' ? NORMALISED_ALERTS : rawAlertsSource(dialect));
  const inner = ruleSubquery(ruleBuilder(config, v), src, ['address', 'typology_type']);
  const text = SQL_TYPES[dialect].text;
  const proxy = v.ref(PROXY_SOURCE);
  const labeledAt = labeledAtExpr(v, opts.labeledAt);
  const labeledBy = v.ref(ruleSignature(config));
  const keys = ALERT_KEY.join(', ');
  const keepUncertain = opts.keepUncertain ?? config.uncertain === 'keep';
  const where = keepUncertain ? '' : '\nWHERE label IS NOT NULL';

  if (opts.explicit === false) {
    return v.finish(`SELECT * FROM (
  SELECT ${keys}, address, typology_type, severity, confidence,
    proxy_label AS label, CAST(${proxy} AS ${text}) AS label_source, proxy_label_confidence AS label_confidence,
    ${labeledAt} AS labeled_at, CAST(${labeledBy} AS ${text}) AS labeled_by, proxy_label
  FROM (${inner}) AS r
) AS labelled${where}`);
  }
  // effective_labels holds each row's winning label by the migration's precedence; a winner from
  // any source but proxy is an explicit label and beats the rule. (The rule's own earlier output,
  // written into raw_alerts by apply.ts, shows up there as source 'proxy' and is ignored.)
  const on = ALERT_KEY.map((k) => `e.${k} = r.${k}`).join(' AND ');
  const explicit = `e.label IS NOT NULL`;
  return v.finish(`SELECT * FROM (
  SELECT r.alert_id AS alert_id, r.window_days AS window_days, r.processing_date AS processing_date,
    r.address AS address, r.typology_type AS typology_type, r.severity AS severity, r.confidence AS confidence,
    CASE WHEN ${explicit} THEN e.label ELSE r.proxy_label END AS label,
    CASE WHEN ${explicit} THEN CAST(e.label_source AS ${text}) ELSE CAST(${proxy} AS ${text}) END AS label_source,
    CASE WHEN ${explicit} THEN e.label_confidence ELSE r.proxy_label_confidence END AS label_confidence,
    CASE WHEN ${explicit} THEN e.labeled_at ELSE ${labeledAt} END AS labeled_at,
    CASE WHEN ${explicit} THEN CAST(e.labeled_by AS ${text}) ELSE CAST(${labeledBy} AS ${text}) END AS labeled_by,
    r.proxy_label AS proxy_label
  FROM (${inner}) AS r
  LEFT JOIN (
    SELECT ${keys}, label, label_source, label_confidence, labeled_at, labeled_by
    FROM ${EFFECTIVE_LABELS_VIEW}
    WHERE label IS NOT NULL AND label_source != ${proxy}
  ) AS e ON ${on}
) AS labelled${where}`);
}

/** Dimensions the counts break down by, as alert columns. */
export const COUNT_DIMENSIONS = {
  severity: 'severity',
  typology: 'typology_type',
  date: 'processing_date',
  window: 'window_days',
} as const;
export type CountDimension = keyof typeof COUNT_DIMENSIONS;

/**
 * The rule's label counts by rescanning every alert: `label` (1, 0, NULL) and `n`, plus `key`
 * when broken down by a dimension. The cube (cube.ts) answers the same question without a scan;
 * this query is its reference in tests and its rival in the benchmark.
 */
export function proxyCountsQuery(
  config: ProxyLabelConfig,
  by?: CountDimension,
  source: AlertSource = NORMALISED_ALERTS,
): SqlWithParams {
  const v = new SqlValues('duckdb');
  const { label } = inlineRule(ruleBuilder(config, v), source);
  const key = by ? `${COUNT_DIMENSIONS[by]} AS key, ` : '';
  return v.finish(
    `SELECT ${key}${label} AS label, CAST(count(*) AS DOUBLE) AS n FROM ${source.table} GROUP BY ALL ORDER BY ALL`,
  );
}

/**
 * The statement that writes the rule's labels into raw_alerts' label columns: DuckDB's UPDATE,
 * or ClickHouse's ALTER TABLE ... UPDATE mutation (waiting for it to finish). Rows whose label
 * came from any other source (miner, community, validated, or a label with no source) are left
 * untouched; rows the rule labelled before are relabelled, and uncertain rows get label NULL
 * with label_source 'proxy', recording that the rule looked and abstained.
 */
export function proxyUpdateStatement(config: ProxyLabelConfig, dialect: Dialect, labeledAt?: Date): SqlWithParams {
  const v = new SqlValues(dialect);
  const rule = inlineRule(ruleBuilder(config, v), rawAlertsSource(dialect));
  const proxy = v.ref(PROXY_SOURCE);
  const source = dialect === 'duckdb' ? `CAST(${proxy} AS ${LABEL_SOURCE_TYPE})` : proxy;
  const set = [
    `label = ${rule.label}`,
    `label_source = ${source}`,
    `label_confidence = ${rule.labelConfidence}`,
    `labeled_at = ${labeledAtExpr(v, labeledAt)}`,
    `labeled_by = ${v.ref(ruleSignature(config))}`,
  ].join(',\n  ');
  const ours = `(label_source IS NULL AND label IS NULL) OR label_source = ${proxy}`;
  return v.finish(
    dialect === 'duckdb'
      ? `UPDATE ${ALERTS_TABLE} SET\n  ${set}\nWHERE ${ours}`
      : `ALTER TABLE ${ALERTS_TABLE} UPDATE\n  ${set}\nWHERE ${ours}\nSETTINGS mutations_sync = 2`,
  );
}
