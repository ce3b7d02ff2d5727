/**
 * The cube answers exactly what rescanning the alerts with the SQL rule answers: for random
 * thresholds (random doubles, thresholds equal to data values, 0 and 1), random severity lists
 * and every conflict resolution; overall, per severity with the truth and explicit-label splits,
 * and per typology, date and window.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { CONFLICT_RESOLUTIONS, parseConfig, type ProxyLabelConfig, type Severity } from '../src/labels/config.ts';
import { BREAKDOWNS, LabelCube, lowerBound, type Key, type Tally } from '../src/labels/cube.ts';
import { PROXY_SOURCE, proxyCountsQuery, ruleBuilder } from '../src/labels/proxy-sql.ts';
import { SqlValues } from '../src/labels/sql-values.ts';
import type { Lab } from '../src/sot/lab.ts';
import { addRandomLabelEvents, labWith, randomAlertsSql, truthSql } from './labels-fixtures.ts';

let rt: Runtime;
let lab: Lab;
let cube: LabelCube;
const ALERTS = randomAlertsSql(4000, 7);

beforeAll(async () => {
  rt = await openNodeRuntime();
  lab = await labWith(rt, ALERTS, { truthSql: truthSql(ALERTS, 7) });
  await addRandomLabelEvents(lab, ALERTS, 7);
  cube = await LabelCube.build(lab.db);
});

/** A small seeded generator, so a failure repeats. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLASSES = {
  positive: 'label = 1',
  negative: 'label = 0',
  uncertain: 'label IS NULL',
  votesPositive: 'vp',
  votesNegative: 'vn',
  overlap: 'vp AND vn',
} as const;
const MEASURES = {
  n: 'true',
  truthPos: 'truth IS TRUE',
  truthNeg: 'truth IS FALSE',
  explicitPos: 'explicit = 1',
  explicitNeg: 'explicit = 0',
} as const;

/** Per severity, the tally the cube should give, by rescanning with the SQL rule. */
async function sqlTallies(config: ProxyLabelConfig): Promise<Map<Key, Tally>> {
  const v = new SqlValues('duckdb');
  const rule = ruleBuilder(config, v);
  const s = 'a.severity';
  const c = 'a.alert_confidence_score';
  const source = v.ref(PROXY_SOURCE);
  const counts = Object.entries(CLASSES).flatMap(([cls, when]) =>
    Object.entries(MEASURES).map(
      ([m, also]) => `CAST(count(*) FILTER (WHERE (${when}) AND (${also})) AS DOUBLE) AS "${cls}.${m}"`,
    ),
  );
  const sql = `SELECT severity, ${counts.join(', ')} FROM (
      SELECT a.severity, ${rule.votesPositive(s, c)} AS vp, ${rule.votesNegative(s, c)} AS vn,
        ${rule.label(rule.votesPositive(s, c), rule.votesNegative(s, c))} AS label,
        t.truth, x.label AS explicit
      FROM alerts a
      LEFT JOIN (SELECT alert_id, processing_date, bool_or(is_illicit) AS truth FROM ground_truth GROUP BY ALL) t
        ON t.alert_id = a.alert_id AND t.processing_date = a.processing_date
      LEFT JOIN (SELECT * FROM effective_labels WHERE label IS NOT NULL AND label_source != ${source}) x
        ON x.alert_id = a.alert_id AND x.window_days = a.window_days AND x.processing_date = a.processing_date
    ) GROUP BY severity`;
  const out = new Map<Key, Tally>();
  for (const r of rows<Record<string, number | string | null>>(await lab.db.query(sql, v.params))) {
    const tally = {} as Record<string, Record<string, number>>;
    for (const cls of Object.keys(CLASSES)) {
      tally[cls] = Object.fromEntries(Object.keys(MEASURES).map((m) => [m, r[`${cls}.${m}`] as number]));
    }
    out.set(r.severity as Key, tally as unknown as Tally);
  }
  return out;
}

/** Per breakdown value, {positive, negative, uncertain} by rescanning. */
async function sqlCounts(config: ProxyLabelConfig, by: 'typology' | 'date' | 'window') {
  const { sql, params } = proxyCountsQuery(config, by);
  const out = new Map<string | null, { positive: number; negative: number; uncertain: number }>();
  for (const r of rows<{ key: unknown; label: number | null; n: number }>(
    await lab.db.query(`SELECT CAST(key AS VARCHAR) AS key, label, n FROM (${sql})`, params),
  )) {
    const key = r.key as string | null;
    const entry = out.get(key) ?? { positive: 0, negative: 0, uncertain: 0 };
    entry[r.label === 1 ? 'positive' : r.label === 0 ? 'negative' : 'uncertain'] += r.n;
    out.set(key, entry);
  }
  return out;
}

function randomConfig(next: () => number, dataValues: number[]): ProxyLabelConfig {
  const threshold = () => {
    const pick = next();
    if (pick < 0.3) return dataValues[Math.floor(next() * dataValues.length)]!; // exactly a data value
    if (pick < 0.4) return [0, 1, 0.3, 0.7][Math.floor(next() * 4)]!;
    if (pick < 0.7) return Math.round(next() * 1000) / 1000;
    return next(); // a full-precision double
  };
  const severities: Severity[] = ['low', 'medium', 'high', 'critical', 'info'];
  const positive: Severity[] = [];
  const negative: Severity[] = [];
  for (const s of severities) {
    const r = next();
    if (r < 0.4) positive.push(s);
    else if (r < 0.75) negative.push(s);
  }
  if (positive.length === 0) positive.push('critical');
  return parseConfig({
    positive: { severities: positive, min_confidence: threshold() },
    negative: { severities: negative.filter((s) => !positive.includes(s)), max_confidence: threshold() },
    on_conflict: CONFLICT_RESOLUTIONS[Math.floor(next() * 3)],
  });
}

describe('the label cube', () => {
  it('knows the data: alerts, severities, breakdown values, references', () => {
    expect(cube.alerts).toBe(4000);
    expect(cube.severities).toEqual(['low', 'medium', 'high', 'critical', 'info', null]);
    expect(cube.keys.window).toEqual(['7', '30', '90']);
    expect(cube.keys.date).toEqual(['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26']);
    expect(cube.keys.typology.at(-1)).toBeNull();
    expect(cube.hasTruth).toBe(true);
    expect(cube.hasExplicit).toBe(true);
    expect(cube.rowCount).toBeLessThan(4000);
  });

  it('gives exactly the SQL rule counts for random thresholds, severity lists and conflict handling', async () => {
    const dataValues = rows<{ c: number }>(
      await lab.db.query(`SELECT DISTINCT alert_confidence_score AS c FROM alerts WHERE c IS NOT NULL`),
    ).map((r) => r.c);
    const next = random(20261124);
    let conflicts = 0;
    for (let i = 0; i < 30; i++) {
      const config = randomConfig(next, dataValues);
      const ev = cube.evaluate(config);
      const expected = await sqlTallies(config);
      const context = JSON.stringify({
        i,
        positive: config.positive,
        negative: config.negative,
        on_conflict: config.on_conflict,
      });
      for (const { key, tally } of ev.bySeverity) {
        expect({ context, key, tally }).toEqual({ context, key, tally: expected.get(key) });
      }
      if (ev.overall.overlap.n > 0) conflicts++;
      expect(cube.tally(config)).toEqual(ev.overall);
      for (const b of BREAKDOWNS) {
        const sql = await sqlCounts(config, b);
        for (const { key, counts } of ev.by[b])
          expect({ context, b, key, counts }).toEqual({ context, b, key, counts: sql.get(key) });
      }
    }
    // The random configs did exercise conflicts (negative threshold above the positive one).
    expect(conflicts).toBeGreaterThan(3);
  });

  it('handles thresholds at the ends of the range', async () => {
    for (const [p, q] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ] as const) {
      const config = parseConfig({ positive: { min_confidence: p }, negative: { max_confidence: q } });
      const expected = await sqlTallies(config);
      for (const { key, tally } of cube.evaluate(config).bySeverity) expect(tally).toEqual(expected.get(key));
    }
  });

  it('bins the confidence histogram over every alert with a confidence', async () => {
    const bins = cube.histogram(0.1);
    const perSeverity = rows<{ severity: string | null; n: number }>(
      await lab.db.query(
        `SELECT severity, CAST(count(alert_confidence_score) AS DOUBLE) AS n FROM alerts GROUP BY ALL`,
      ),
    );
    for (const { severity, n } of perSeverity) {
      expect(bins.filter((b) => b.severity === severity).reduce((a, b) => a + b.count, 0)).toBe(n);
    }
    // confidence 1 lands in the last bin, 0.7 in [0.7, 0.8).
    expect(Math.max(...bins.map((b) => b.x1))).toBeCloseTo(1);
    const ranges = cube.severityRanges();
    expect(ranges.map((r) => r.n + r.nulls).reduce((a, b) => a + b, 0)).toBe(4000);
  });

  it('finds thresholds by the same comparison as SQL (lowerBound)', () => {
    const values = new Float64Array([0.1, 0.3, 0.3, 0.7, 0.9]);
    expect([0, 0.1, 0.2, 0.3, 0.30000000000000004, 0.7, 1].map((t) => lowerBound(values, t))).toEqual([
      0, 0, 1, 1, 3, 3, 5,
    ]);
  });

  // Last: it replaces the shared lab's tables with its own.
  it('has no references on data without truth or explicit labels', async () => {
    const plain = await labWith(rt, randomAlertsSql(300, 9));
    const c = await LabelCube.build(plain.db);
    expect([c.hasTruth, c.hasExplicit]).toEqual([false, false]);
    const t = c.evaluate(parseConfig({})).overall;
    expect(t.positive.truthPos + t.negative.explicitNeg).toBe(0);
  });
});
