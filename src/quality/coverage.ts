/**
 * Coverage and class balance per source: how many alert rows each source labels, what share of
 * all alert rows that is, and how its labels split into positives and negatives. Beside the
 * sources: the effective label (what training gets, and which source it comes from) and the
 * ground truth where one is loaded. The event counts say how the explicit labels were given
 * (alert-level or address-level), since one address event can label many alert rows.
 */
import { ident, rows, type Database } from '../db/database.ts';
import {
  ALERTS_TABLE,
  LABEL_EVENTS_TABLE,
  LABEL_SOURCES,
  liveLabelEventSql,
  type LabelSource,
} from '../migrations/index.ts';
import { hasTruth, reportedRaters, withSourceLabels, type Rater } from './source-labels.ts';

export interface RaterCoverage {
  rater: Rater;
  /** Alert rows it labels. */
  labelled: number;
  /** labelled / all alert rows (null when no alerts are loaded). */
  share: number | null;
  positive: number;
  negative: number;
  /** positive / labelled: the class balance (null when it labels nothing). */
  positiveRate: number | null;
  /** proxy only: rows the rule looked at but left uncertain (label NULL). */
  uncertain: number;
}

export interface EventCounts {
  source: LabelSource;
  alertLevel: number;
  addressLevel: number;
}

export interface CoverageReport {
  /** All alert rows (alert_id x window_days x processing_date). */
  alertRows: number;
  /** Distinct alert ids. */
  alerts: number;
  /** One entry per rater, in RATERS order; truth only when ground truth is loaded, evolution only when it labels. */
  raters: RaterCoverage[];
  /** How many effective labels each source supplies. */
  effectiveBySource: Record<LabelSource, number>;
  /** Explicit label events in force per source and scope (labels taken back are not counted). */
  events: EventCounts[];
  truthLoaded: boolean;
}

/** Coverage over a source-labels table (source-labels.ts), or a fresh one when none is given. */
export async function labelCoverage(db: Database, sourceLabels?: string): Promise<CoverageReport> {
  if (!sourceLabels) return withSourceLabels(db, (t) => labelCoverage(db, t));
  const truthLoaded = await hasTruth(db);
  const raters = await reportedRaters(db, sourceLabels);
  const t = ident(sourceLabels);
  const select = raters
    .map((r) => `count(${r}) AS ${r}_n, count(*) FILTER (WHERE ${r} = 1) AS ${r}_pos`)
    .concat(LABEL_SOURCES.map((s) => `count(*) FILTER (WHERE effective_source = '${s}') AS from_${s}`))
    .join(', ');
  const c = rows<Record<string, number>>(
    await db.query(`SELECT count(*) AS total, count(DISTINCT alert_id) AS alerts, ${select} FROM ${t}`),
  )[0]!;
  const uncertain = Number(
    rows<{ n: number }>(
      await db.query(`SELECT count(*) AS n FROM ${ALERTS_TABLE} WHERE label_source = 'proxy' AND label IS NULL`),
    )[0]!.n,
  );
  const total = Number(c.total);
  const coverage: RaterCoverage[] = raters.map((rater) => {
    const labelled = Number(c[`${rater}_n`]);
    const positive = Number(c[`${rater}_pos`]);
    return {
      rater,
      labelled,
      share: total === 0 ? null : labelled / total,
      positive,
      negative: labelled - positive,
      positiveRate: labelled === 0 ? null : positive / labelled,
      uncertain: rater === 'proxy' ? uncertain : 0,
    };
  });
  const effectiveBySource = Object.fromEntries(LABEL_SOURCES.map((s) => [s, Number(c[`from_${s}`])])) as Record<
    LabelSource,
    number
  >;
  const eventRows = rows<{ source: LabelSource; alert_level: number; address_level: number }>(
    await db.query(
      `SELECT CAST(label_source AS VARCHAR) AS source,
         count(*) FILTER (WHERE alert_id IS NOT NULL) AS alert_level,
         count(*) FILTER (WHERE alert_id IS NULL) AS address_level
       FROM ${LABEL_EVENTS_TABLE} WHERE ${liveLabelEventSql()} GROUP BY 1`,
    ),
  );
  const events = LABEL_SOURCES.map((source) => {
    const e = eventRows.find((r) => r.source === source);
    return { source, alertLevel: Number(e?.alert_level ?? 0), addressLevel: Number(e?.address_level ?? 0) };
  });
  return { alertRows: total, alerts: Number(c.alerts), raters: coverage, effectiveBySource, events, truthLoaded };
}
