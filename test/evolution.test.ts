/**
 * Evolution labels (src/labels/evolution.ts) on hand-computed fixtures, loaded through the real
 * loader so the SQL runs on the normalised views as in the app: every pattern, the base-0 rule,
 * values exactly at each threshold (strict comparisons; Float32 scores widened as the
 * validator's float() does), a NULL mixer flag, alerts without a later or a base snapshot, the
 * same window only, a configurable horizon and thresholds, and bound parameters.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { EVOLUTION_COLUMNS, evolutionLabelsQuery, type EvolutionOptions } from '../src/labels/evolution.ts';
import type { Lab } from '../src/sot/lab.ts';
import { PatternThresholdsSchema } from '../src/validator/config.ts';
import { memFile, parquetOf } from './fixtures/files.ts';
import { freshLab } from './labels-fixtures.ts';

const BASE = '2026-01-05';
const LATER = '2026-02-04'; // BASE + 30 days
const W = 30;

interface Snap {
  degree: number;
  volume: number;
  mixer?: boolean | null;
  anomaly?: number;
  velocity?: number;
}

/** One alert's address, its base and later feature rows (either may be missing), and what must come out. */
interface Case {
  id: string;
  base?: Snap;
  later?: Snap;
  /** Where the later row is, when not at LATER in window W. */
  laterDate?: string;
  laterWindow?: number;
  expect: {
    degree: number;
    volume: number;
    pattern: string;
    range: [number, number];
    label: 0 | 1 | null;
  } | null;
}

const quiet = { anomaly: 0.1, velocity: 0.1, mixer: false };

const CASES: Case[] = [
  // expanding_illicit through each of its three alternatives
  {
    id: 'expand-velocity',
    base: { degree: 10, volume: 100 },
    later: { degree: 31, volume: 401, anomaly: 0.5, velocity: 0.9, mixer: false },
    expect: { degree: 210, volume: 301, pattern: 'expanding_illicit', range: [0.7, 1], label: 1 },
  },
  {
    id: 'expand-mixer',
    base: { degree: 10, volume: 100 },
    later: { degree: 40, volume: 500, ...quiet, mixer: true },
    expect: { degree: 300, volume: 400, pattern: 'expanding_illicit', range: [0.7, 1], label: 1 },
  },
  {
    id: 'expand-anomaly',
    base: { degree: 4, volume: 250 },
    later: { degree: 16, volume: 1250, anomaly: 0.75, velocity: 0.1, mixer: false },
    expect: { degree: 300, volume: 400, pattern: 'expanding_illicit', range: [0.7, 1], label: 1 },
  },
  // Exactly at the growth thresholds: the rule is strict (> 200, > 300), so these are not expanding.
  {
    id: 'degree-exactly-200',
    base: { degree: 10, volume: 100 },
    later: { degree: 30, volume: 600, ...quiet, velocity: 0.9 },
    expect: { degree: 200, volume: 500, pattern: 'ambiguous', range: [0.3, 0.7], label: null },
  },
  {
    id: 'volume-exactly-300',
    base: { degree: 10, volume: 100 },
    later: { degree: 40, volume: 400, ...quiet, velocity: 0.9 },
    expect: { degree: 300, volume: 300, pattern: 'ambiguous', range: [0.3, 0.7], label: null },
  },
  // A Float32 0.8 is 0.800000011920929, above 0.8, as in the validator's Python.
  {
    id: 'velocity-float32-0.8',
    base: { degree: 10, volume: 100 },
    later: { degree: 40, volume: 500, anomaly: 0.1, velocity: 0.8, mixer: false },
    expect: { degree: 300, volume: 400, pattern: 'expanding_illicit', range: [0.7, 1], label: 1 },
  },
  // A Float32 0.7 anomaly is 0.699999988, not above 0.7: with velocity low, not expanding.
  {
    id: 'anomaly-float32-0.7',
    base: { degree: 10, volume: 100 },
    later: { degree: 40, volume: 500, anomaly: 0.7, velocity: 0.1, mixer: false },
    expect: { degree: 300, volume: 400, pattern: 'ambiguous', range: [0.3, 0.7], label: null },
  },
  // benign_indicators, and its strict boundaries
  {
    id: 'benign',
    base: { degree: 10, volume: 100 },
    later: { degree: 12, volume: 150, anomaly: 0.2, velocity: 0.9, mixer: false },
    expect: { degree: 20, volume: 50, pattern: 'benign_indicators', range: [0, 0.3], label: 0 },
  },
  {
    id: 'benign-degree-exactly-50',
    base: { degree: 10, volume: 100 },
    later: { degree: 15, volume: 150, anomaly: 0.2, velocity: 0.9, mixer: false },
    expect: { degree: 50, volume: 50, pattern: 'ambiguous', range: [0.3, 0.7], label: null },
  },
  {
    id: 'benign-volume-exactly-100',
    base: { degree: 10, volume: 100 },
    later: { degree: 10, volume: 200, anomaly: 0.2, velocity: 0.9, mixer: false },
    expect: { degree: 0, volume: 100, pattern: 'ambiguous', range: [0.3, 0.7], label: null },
  },
  // Float32 0.3 is 0.300000012, not below 0.3: not benign; small growth and low velocity: dormant.
  {
    id: 'anomaly-float32-0.3',
    base: { degree: 10, volume: 100 },
    later: { degree: 10, volume: 100, anomaly: 0.3, velocity: 0.1, mixer: false },
    expect: { degree: 0, volume: 0, pattern: 'dormant', range: [0.15, 0.25], label: null },
  },
  {
    id: 'mixer-not-benign',
    base: { degree: 10, volume: 100 },
    later: { degree: 10, volume: 100, anomaly: 0.1, velocity: 0.9, mixer: true },
    expect: { degree: 0, volume: 0, pattern: 'ambiguous', range: [0.3, 0.7], label: null },
  },
  {
    id: 'mixer-null-counts-as-not',
    base: { degree: 10, volume: 100 },
    later: { degree: 10, volume: 100, anomaly: 0.1, velocity: 0.9, mixer: null },
    expect: { degree: 0, volume: 0, pattern: 'benign_indicators', range: [0, 0.3], label: 0 },
  },
  // The base-0 rule: growth from nothing is 0%, so a new address that grows looks benign.
  {
    id: 'base-zero',
    base: { degree: 0, volume: 0 },
    later: { degree: 50, volume: 1000, anomaly: 0.1, velocity: 0.9, mixer: false },
    expect: { degree: 0, volume: 0, pattern: 'benign_indicators', range: [0, 0.3], label: 0 },
  },
  {
    id: 'base-zero-volume-only',
    base: { degree: 10, volume: 0 },
    later: { degree: 40, volume: 1000, anomaly: 0.1, velocity: 0.9, mixer: false },
    expect: { degree: 300, volume: 0, pattern: 'ambiguous', range: [0.3, 0.7], label: null },
  },
  // dormant (and its strict velocity bound), ambiguous, shrinking
  {
    id: 'dormant',
    base: { degree: 10, volume: 100 },
    later: { degree: 11, volume: 110, anomaly: 0.5, velocity: 0.2, mixer: false },
    expect: { degree: 10, volume: 10, pattern: 'dormant', range: [0.15, 0.25], label: null },
  },
  {
    id: 'dormant-degree-exactly-20',
    base: { degree: 10, volume: 100 },
    later: { degree: 12, volume: 110, anomaly: 0.5, velocity: 0.2, mixer: false },
    expect: { degree: 20, volume: 10, pattern: 'ambiguous', range: [0.3, 0.7], label: null },
  },
  {
    id: 'shrinking',
    base: { degree: 10, volume: 100 },
    later: { degree: 5, volume: 10, anomaly: 0.5, velocity: 0.1, mixer: false },
    expect: { degree: -50, volume: -90, pattern: 'dormant', range: [0.15, 0.25], label: null },
  },
  {
    id: 'ambiguous',
    base: { degree: 10, volume: 100 },
    later: { degree: 20, volume: 150, anomaly: 0.5, velocity: 0.5, mixer: false },
    expect: { degree: 100, volume: 50, pattern: 'ambiguous', range: [0.3, 0.7], label: null },
  },
  // No row without both snapshots of the same window 30 days apart.
  { id: 'no-later', base: { degree: 10, volume: 100 }, expect: null },
  { id: 'no-base', later: { degree: 10, volume: 100, ...quiet }, expect: null },
  {
    id: 'later-other-window',
    base: { degree: 10, volume: 100 },
    later: { degree: 10, volume: 100, ...quiet },
    laterWindow: 7,
    expect: null,
  },
  {
    id: 'later-at-29-days',
    base: { degree: 10, volume: 100 },
    later: { degree: 12, volume: 150, anomaly: 0.2, velocity: 0.9, mixer: false },
    laterDate: '2026-02-03',
    expect: null,
  },
];

const sqlBool = (b: boolean | null | undefined) => (b === null || b === undefined ? 'NULL' : String(b));

function alertsSql(): string {
  const values = CASES.map((c) => `('${c.id}', 'addr-${c.id}')`).join(', ');
  return `SELECT CAST(${W} AS USMALLINT) AS window_days, DATE '${BASE}' AS processing_date, id AS alert_id, addr AS address,
    'PEEL_CHAIN' AS typology_type, 'high' AS severity, CAST(0.8 AS FLOAT) AS alert_confidence_score
  FROM (VALUES ${values}) AS v(id, addr)`;
}

function featuresSql(): string {
  const row = (c: Case, date: string, window: number, s: Snap) =>
    `('addr-${c.id}', DATE '${date}', ${window}, ${s.degree}, ${s.volume}, ${sqlBool(s.mixer === undefined ? false : s.mixer)}, ${s.anomaly ?? 0.1}, ${s.velocity ?? 0.1})`;
  const values = CASES.flatMap((c) => [
    ...(c.base ? [row(c, BASE, W, c.base)] : []),
    ...(c.later ? [row(c, c.laterDate ?? LATER, c.laterWindow ?? W, c.later)] : []),
  ]).join(',\n');
  return `SELECT CAST(w AS USMALLINT) AS window_days, d AS processing_date, addr AS address,
    CAST(deg AS UINTEGER) AS degree_total, CAST(vol AS DECIMAL(18,2)) AS total_volume_usd,
    CAST(mix AS BOOLEAN) AS is_mixer_like, CAST(an AS FLOAT) AS behavioral_anomaly_score, CAST(vel AS FLOAT) AS velocity_score
  FROM (VALUES ${values}) AS v(addr, d, w, deg, vol, mix, an, vel)`;
}

let rt: Runtime;
let lab: Lab;

beforeAll(async () => {
  rt = await openNodeRuntime();
  lab = await freshLab(rt);
  const report = await lab.load([
    memFile('alerts.parquet', await parquetOf(rt, alertsSql())),
    memFile('features.parquet', await parquetOf(rt, featuresSql())),
  ]);
  const errors = report.problems.filter((p) => p.level === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
}, 60_000);

interface Out {
  alert_id: string;
  processing_date: number;
  window_days: number;
  address: string;
  later_date: number;
  degree_delta_pct: number;
  volume_delta_pct: number;
  is_mixer_like: boolean | null;
  behavioral_anomaly_score: number;
  velocity_score: number;
  pattern: string;
  expected_min: number;
  expected_max: number;
  label: number | null;
}

async function evolution(opts: EvolutionOptions = {}): Promise<Map<string, Out>> {
  const q = evolutionLabelsQuery(opts);
  const table = await lab.db.query(q.sql, q.params);
  expect(table.schema.fields.map((f) => f.name)).toEqual([...EVOLUTION_COLUMNS]);
  return new Map(rows<Out>(table).map((r) => [r.alert_id, r]));
}

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('evolution labels', () => {
  it('classify every hand-computed case as the validator does', async () => {
    const out = await evolution();
    for (const c of CASES) {
      const r = out.get(c.id);
      if (c.expect === null) {
        expect(r, c.id).toBeUndefined();
        continue;
      }
      expect(r, c.id).toBeDefined();
      expect(
        {
          id: c.id,
          degree: r!.degree_delta_pct,
          volume: r!.volume_delta_pct,
          pattern: r!.pattern,
          range: [r!.expected_min, r!.expected_max],
          label: r!.label,
        },
        c.id,
      ).toEqual({
        id: c.id,
        degree: expect.closeTo(c.expect.degree, 9),
        volume: expect.closeTo(c.expect.volume, 9),
        pattern: c.expect.pattern,
        range: c.expect.range,
        label: c.expect.label,
      });
      expect(r!.processing_date, c.id).toBe(day(BASE));
      expect(r!.later_date, c.id).toBe(day(LATER));
      expect(r!.window_days, c.id).toBe(W);
      expect(r!.address, c.id).toBe(`addr-${c.id}`);
      // The later snapshot's flags, Float32 widened as exported.
      expect(r!.velocity_score, c.id).toBe(Math.fround(c.later!.velocity ?? 0.1));
      expect(r!.behavioral_anomaly_score, c.id).toBe(Math.fround(c.later!.anomaly ?? 0.1));
      expect(r!.is_mixer_like, c.id).toBe(c.later!.mixer === undefined ? false : c.later!.mixer);
    }
    expect(out.size).toBe(CASES.filter((c) => c.expect !== null).length);
  });

  it('reads the later snapshot at the configured horizon', async () => {
    const out = await evolution({ horizonDays: 29 });
    expect([...out.keys()]).toEqual(['later-at-29-days']);
    const r = out.get('later-at-29-days')!;
    expect(r.later_date).toBe(day('2026-02-03'));
    expect([r.pattern, r.label]).toEqual(['benign_indicators', 0]);
    expect(() => evolutionLabelsQuery({ horizonDays: -1 })).toThrow(/horizon/);
    expect(() => evolutionLabelsQuery({ horizonDays: 1.5 })).toThrow(/horizon/);
  });

  it('follows the configured thresholds and ranges, bound as parameters', async () => {
    const patterns = PatternThresholdsSchema.parse({
      expanding_illicit: { degree_delta_pct_above: 99, volume_delta_pct_above: 49, expected_range: [0.65, 0.95] },
      ambiguous: { expected_range: [0.4, 0.6] },
    });
    const out = await evolution({ patterns });
    // 100% and 50% growth with velocity 0.5: ambiguous by default, expanding with lower bars.
    expect(out.get('ambiguous')).toMatchObject({
      pattern: 'ambiguous',
      expected_min: 0.4,
      expected_max: 0.6,
      label: null,
    });
    expect(out.get('expand-velocity')).toMatchObject({ pattern: 'expanding_illicit', expected_min: 0.65 });
    expect(out.get('degree-exactly-200')).toMatchObject({ pattern: 'expanding_illicit', expected_max: 0.95 });

    const q = evolutionLabelsQuery({ patterns });
    for (const value of [99, 49, 0.65, 0.95, 0.4, 0.6]) expect(q.params).toContain(value);
    expect(q.sql).not.toMatch(/\b(99|49|0\.65|0\.95)\b/);
    expect(q.sql).not.toMatch(/'expanding_illicit'/);
  });

  it('renders for ClickHouse with literals over raw_alerts and raw_features', () => {
    const q = evolutionLabelsQuery({ dialect: 'clickhouse' });
    expect(q.params).toEqual([]);
    expect(q.sql).not.toMatch(/\$\d/);
    expect(q.sql).toMatch(/FROM raw_alerts/);
    expect(q.sql).toMatch(/JOIN raw_features AS l/);
    expect(q.sql).toMatch(/addDays\(processing_date, 30\)/);
    expect(q.sql).toMatch(/toFloat64\(200\)/);
    expect(q.sql).toMatch(/'expanding_illicit'/);
  });
});
