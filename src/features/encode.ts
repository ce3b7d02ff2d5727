/**
 * How each discovered column becomes numbers, in two steps.
 *
 * 1. `columnCandidates`: per column kind, SQL expressions over the joined row (aliases `a` for
 *    the alert, `f` for its address's feature row): booleans as 0/1, severity as its order,
 *    text as one-hot over its discovered categories, lists summarised (sum, active entries, peak
 *    share for numbers; length and one-hot membership for text), timestamps as age in days at the
 *    processing date (absolute times say nothing about later dates), identifiers and free text
 *    left out with the reason.
 * 2. `finalise`: decisions that need the data's ranges (one stats query, no labels involved):
 *    constant and empty columns are dropped, money amounts get a signed log scale, wide
 *    non-negative counts a log1p scale, and columns with NULLs get a 0/1 `[missing]` indicator.
 *    The NULLs themselves are imputed later with the training rows' mean (standardise.ts).
 */
import { ident } from '../db/database.ts';
import type { DiscoveredColumn, Discovery, SourceTable } from './discover.ts';
import { NOT_FEATURES } from './discover.ts';

/** Which label a feature helps define, for the leakage guard's default exclusions. */
export type LeakTag = 'severity' | 'confidence' | 'address-label';

export type Transform =
  'value' | 'log1p' | 'signed-log1p' | 'boolean' | 'ordinal' | 'one-hot' | 'count' | 'share' | 'age-days' | 'missing';

/** One numeric expression before the data decides its scale. */
export interface Candidate {
  /** Feature name, `table.column` plus a qualifier: `alerts.typology_type=PEEL_CHAIN`, `features.hourly_activity[sum]`. */
  name: string;
  /** The source column, `table.column`: leakage overrides may name it to cover all its features. */
  column: string;
  /** SQL over the joined row; may be NULL. Values are bound: `params` fill its `?` in order. */
  sql: string;
  params: string[];
  transform: Transform;
  /** Integer-valued: a candidate for the log scale when wide. */
  integer: boolean;
  /** A USD amount (or its square): always log-scaled, keeping the sign. */
  money: boolean;
  tags: LeakTag[];
}

export interface FeatureSpec {
  name: string;
  column: string;
  /** The final FLOAT expression. */
  sql: string;
  params: string[];
  transform: Transform;
  tags: LeakTag[];
}

export interface SkippedColumn {
  column: string;
  reason: string;
}

export interface CandidateStats {
  min: number | null;
  max: number | null;
  /** Rows where the expression is not NULL. */
  present: number;
}

/** Money by name: USD amounts, and the amount spreads that grow with them. */
const MONEY = /usd|^amount_sum$|^amount_variance$|^volume_std$/;
/** An integer column above this is a count worth a log scale (degrees, tx counts, k-hop sizes). */
const WIDE_COUNT = 100;

const SEVERITY_ORDER = ['info', 'low', 'medium', 'high', 'critical'];

/** The ordinal of a severity expression: info 0, low 1 ... critical 4, NULL otherwise. */
export function severityOrdinal(expr: string): string {
  return `CASE lower(trim(CAST(${expr} AS VARCHAR))) ${SEVERITY_ORDER.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;
}

/** Label-defining columns of the alerts and feature tables (see sot-schema.md, "leakage"). */
const TAGS: Record<string, LeakTag[]> = {
  'alerts.severity': ['severity'],
  'alerts.alert_confidence_score': ['confidence'],
  'features.confidence_score': ['confidence'],
};

const ALIAS: Partial<Record<SourceTable, string>> = { alerts: 'a', features: 'f' };

/** Candidates for the alert and feature-table columns (aggregates live in aggregates.ts). */
export function columnCandidates(d: Discovery): { candidates: Candidate[]; skipped: SkippedColumn[] } {
  const candidates: Candidate[] = [];
  const skipped: SkippedColumn[] = [];
  for (const c of d.columns) {
    const alias = ALIAS[c.table];
    if (!alias || d.rows[c.table] === 0 || NOT_FEATURES[c.table].has(c.name)) continue;
    const out = encodeColumn(c, `${alias}.${ident(c.name)}`, d.categories.get(`${c.table}.${c.name}`));
    if ('reason' in out) skipped.push(out);
    else candidates.push(...out);
  }
  return { candidates, skipped };
}

function encodeColumn(
  c: DiscoveredColumn,
  ref: string,
  categories: string[] | null | undefined,
): Candidate[] | SkippedColumn {
  const column = `${c.table}.${c.name}`;
  const tags = TAGS[column] ?? [];
  const base = { column, params: [] as string[], integer: false, money: false, tags };
  if (column === 'alerts.severity') return [{ ...base, name: column, sql: severityOrdinal(ref), transform: 'ordinal' }];
  switch (c.kind) {
    case 'boolean':
      return [{ ...base, name: column, sql: `CAST(${ref} AS DOUBLE)`, transform: 'boolean' }];
    case 'integer':
    case 'number':
      if (/(^|_)id$/.test(c.name)) return { column, reason: 'an identifier, not a quantity' };
      return [
        {
          ...base,
          name: column,
          sql: `CAST(${ref} AS DOUBLE)`,
          transform: 'value',
          integer: c.kind === 'integer',
          money: MONEY.test(c.name),
        },
      ];
    case 'temporal':
      if (c.table !== 'features' || c.type === 'DATE')
        return { column, reason: 'an absolute time, which says nothing about later dates' };
      return [
        {
          ...base,
          name: `${column}[age_days]`,
          sql: `date_diff('second', CAST(${ref} AS TIMESTAMP), CAST(r.processing_date AS TIMESTAMP)) / 86400.0`,
          transform: 'age-days',
        },
      ];
    case 'text':
      if (categories === null)
        return { column, reason: 'too many distinct values for a category (an identifier or free text)' };
      if (!categories || categories.length < 2) return { column, reason: 'fewer than two distinct values' };
      return categories.map((v) => ({
        ...base,
        name: `${column}=${v}`,
        sql: `CAST(coalesce(trim(CAST(${ref} AS VARCHAR)) = ?, false) AS DOUBLE)`,
        params: [v],
        transform: 'one-hot' as const,
      }));
    case 'text-list': {
      const length: Candidate = {
        ...base,
        name: `${column}[count]`,
        sql: `CAST(coalesce(len(${ref}), 0) AS DOUBLE)`,
        transform: 'count',
        integer: true,
      };
      const members = (categories ?? []).map((v) => ({
        ...base,
        name: `${column}[has=${v}]`,
        sql: `CAST(coalesce(list_contains(list_transform(${ref}, lambda s: trim(s)), ?), false) AS DOUBLE)`,
        params: [v],
        transform: 'one-hot' as const,
      }));
      return [length, ...members];
    }
    case 'number-list': {
      const sum = `CAST(list_sum(list_transform(${ref}, lambda v: CAST(v AS DOUBLE))) AS DOUBLE)`;
      return [
        { ...base, name: `${column}[sum]`, sql: sum, transform: 'value', integer: true },
        {
          ...base,
          name: `${column}[active]`,
          sql: `CAST(len(list_filter(${ref}, lambda v: v > 0)) AS DOUBLE)`,
          transform: 'count',
        },
        {
          ...base,
          name: `${column}[peak_share]`,
          sql: `CASE WHEN ${sum} > 0 THEN CAST(list_max(${ref}) AS DOUBLE) / ${sum} END`,
          transform: 'share',
        },
      ];
    }
    default:
      return { column, reason: `type ${c.type} has no numeric encoding` };
  }
}

/**
 * Apply the data-driven decisions (see the file comment). `stats[i]` belongs to `candidates[i]`;
 * `rows` is the number of alert rows.
 */
export function finalise(
  candidates: Candidate[],
  stats: CandidateStats[],
  rows: number,
): { features: FeatureSpec[]; skipped: SkippedColumn[] } {
  const features: FeatureSpec[] = [];
  const skipped: SkippedColumn[] = [];
  candidates.forEach((c, i) => {
    const s = stats[i]!;
    if (s.present === 0) {
      skipped.push({ column: c.name, reason: 'empty (NULL in every row)' });
      return;
    }
    const hasNulls = s.present < rows;
    const constant = s.min === s.max;
    if (!constant) {
      const { sql, transform, uses } = scaled(c, s);
      const params = Array.from({ length: uses }, () => c.params).flat();
      features.push({ name: c.name, column: c.column, sql: `CAST(${sql} AS FLOAT)`, params, transform, tags: c.tags });
    }
    if (hasNulls) {
      features.push({
        name: `${c.name}[missing]`,
        column: c.column,
        sql: `CAST((${c.sql}) IS NULL AS FLOAT)`,
        params: c.params,
        transform: 'missing',
        tags: c.tags,
      });
    } else if (constant) {
      skipped.push({ column: c.name, reason: `constant (${s.min} in every row)` });
    }
  });
  return { features, skipped };
}

/** The scaled expression; `uses` says how often it repeats the candidate's SQL (and so its params). */
function scaled(c: Candidate, s: CandidateStats): { sql: string; transform: Transform; uses: number } {
  if (c.money) return { sql: `sign(${c.sql}) * ln(1 + abs(${c.sql}))`, transform: 'signed-log1p', uses: 2 };
  if (c.integer && (s.min ?? 0) >= 0 && (s.max ?? 0) >= WIDE_COUNT)
    return { sql: `ln(1 + ${c.sql})`, transform: 'log1p', uses: 1 };
  return { sql: c.sql, transform: c.transform, uses: 1 };
}
