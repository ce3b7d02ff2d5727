/**
 * The proxy-label rule has two implementations: the SQL one (src/labels/proxy-sql.ts), which
 * labels alert rows, and the cube's arithmetic (src/labels/cube-rule.ts over the prefix index),
 * which the interactive views count with. Side by side on one fixture, for a grid of thresholds
 * (both ends of the range, thresholds that cross, thresholds equal to data values), every conflict
 * resolution and two pairs of severity lists, they give the same label counts overall and per
 * severity, typology, date and window.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import { CONFLICT_RESOLUTIONS, parseConfig, type ProxyLabelConfig } from '../src/labels/config.ts';
import { BREAKDOWNS, LabelCube, type Key, type LabelCounts } from '../src/labels/cube.ts';
import { proxyCountsQuery, proxyLabelsQuery, type CountDimension } from '../src/labels/proxy-sql.ts';
import type { Lab } from '../src/sot/lab.ts';
import { labWith, randomAlertsSql } from './labels-fixtures.ts';

let lab: Lab;
let cube: LabelCube;
const ALERTS = randomAlertsSql(1500, 11);

beforeAll(async () => {
  lab = await labWith(await openNodeRuntime(), ALERTS);
  cube = await LabelCube.build(lab.db);
});

/** Thresholds on a grid: 0, 1, crossing pairs, and a confidence the data holds. */
const THRESHOLDS = [0, 0.3, 0.5, 0.7, 1];
const SEVERITY_LISTS = [
  { positive: ['high', 'critical'], negative: ['low', 'medium'] },
  { positive: ['critical'], negative: [] },
] as const;

function configs(): ProxyLabelConfig[] {
  const out: ProxyLabelConfig[] = [];
  for (const lists of SEVERITY_LISTS)
    for (const onConflict of CONFLICT_RESOLUTIONS)
      for (const minConfidence of THRESHOLDS)
        for (const maxConfidence of THRESHOLDS)
          out.push(
            parseConfig({
              positive: { severities: lists.positive, min_confidence: minConfidence },
              negative: { severities: lists.negative, max_confidence: maxConfidence },
              on_conflict: onConflict,
            }),
          );
  return out;
}

/** The SQL rule's counts by rescanning the alerts: per key of `by` (one key, null, without). */
async function sqlCounts(config: ProxyLabelConfig, by?: CountDimension): Promise<Map<Key, LabelCounts>> {
  const { sql, params } = proxyCountsQuery(config, by);
  const keyed = by ? 'CAST(key AS VARCHAR)' : 'NULL';
  const out = new Map<Key, LabelCounts>();
  for (const r of rows<{ key: Key; label: number | null; n: number }>(
    await lab.db.query(`SELECT ${keyed} AS key, label, n FROM (${sql})`, params),
  )) {
    const entry = out.get(r.key) ?? { positive: 0, negative: 0, uncertain: 0 };
    entry[r.label === 1 ? 'positive' : r.label === 0 ? 'negative' : 'uncertain'] += r.n;
    out.set(r.key, entry);
  }
  return out;
}

/** The cube's counts, keyed like `sqlCounts`, leaving out keys where it counts no alert. */
function cubeCounts(config: ProxyLabelConfig, by?: CountDimension): Map<Key, LabelCounts> {
  const ev = cube.evaluate(config);
  const entries: [Key, LabelCounts][] =
    by === undefined
      ? [[null, countsOf(ev.overall)]]
      : by === 'severity'
        ? ev.bySeverity.map((s) => [s.key, countsOf(s.tally)])
        : ev.by[by].map((b) => [b.key, b.counts]);
  return new Map(entries.filter(([, c]) => c.positive + c.negative + c.uncertain > 0));
}

const countsOf = (t: { positive: { n: number }; negative: { n: number }; uncertain: { n: number } }): LabelCounts => ({
  positive: t.positive.n,
  negative: t.negative.n,
  uncertain: t.uncertain.n,
});

describe('the SQL rule and the cube rule', () => {
  it('count the same labels for every threshold pair of the grid, overall and per dimension', async () => {
    const grid = configs();
    expect(grid).toHaveLength(2 * 3 * THRESHOLDS.length ** 2);
    let conflicts = 0;
    for (const config of grid) {
      for (const by of [undefined, 'severity', ...BREAKDOWNS] as const) {
        expect(cubeCounts(config, by), `${JSON.stringify(config)} by ${by ?? 'nothing'}`).toEqual(
          await sqlCounts(config, by),
        );
      }
      if (cube.evaluate(config).overall.overlap.n > 0) conflicts++;
    }
    // The grid reaches the conflict zone (maxConfidence > minConfidence), where on_conflict decides.
    expect(conflicts).toBeGreaterThan(10);
  });

  it('count what the labels query writes: the rows it labels 1 and 0, and the uncertain ones it keeps', async () => {
    for (const config of [configs()[0]!, configs()[100]!, configs().at(-1)!]) {
      const { sql, params } = proxyLabelsQuery(config, { explicit: false, keepUncertain: true });
      const labelled = rows<{ positive: number; negative: number; uncertain: number }>(
        await lab.db.query(
          `SELECT CAST(count(*) FILTER (WHERE label = 1) AS DOUBLE) AS positive,
             CAST(count(*) FILTER (WHERE label = 0) AS DOUBLE) AS negative,
             CAST(count(*) FILTER (WHERE label IS NULL) AS DOUBLE) AS uncertain
           FROM (${sql})`,
          params,
        ),
      )[0];
      expect(labelled).toEqual(countsOf(cube.evaluate(config).overall));
    }
  });
});
