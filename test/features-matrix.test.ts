import { Float32, Float64, Table, vectorFromArray } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { buildFeatureMatrix, columnsToRowMajor, selectColumns, type FeatureMatrix } from '../src/features/matrix.ts';
import { ROWS_TABLE } from '../src/features/rows.ts';
import { contractFor } from '../src/sot/contracts.ts';
import { createView } from '../src/sot/views.ts';
import { fixtureLab } from './ml-fixtures.ts';

let rt: Runtime;
let m: FeatureMatrix;
beforeAll(async () => {
  rt = await openNodeRuntime();
  await fixtureLab(rt);
  m = await buildFeatureMatrix(rt.db);
});

const col = (name: string) => {
  const j = m.features.findIndex((f) => f.name === name);
  if (j < 0) throw new Error(`no feature ${name}: ${m.features.map((f) => f.name).join(', ')}`);
  return Float32Array.from({ length: m.rows }, (_, r) => m.x[r * m.columns + j]!);
};

/** One alert row's values by SQL, to compare matrix cells with. */
async function rowOf(r: number): Promise<Record<string, unknown>> {
  return rows(
    await rt.db.query(
      `SELECT a.*, f.burst_factor, f.total_in_usd, f.is_exchange_like, f.hourly_activity::VARCHAR AS hourly, f.address IS NULL AS no_features
       FROM ${ROWS_TABLE} r JOIN alerts a USING (alert_id, window_days, processing_date)
       LEFT JOIN features f ON f.address = r.address AND f.processing_date = r.processing_date AND f.window_days = r.window_days
       WHERE r.row_idx = ?`,
      [r],
    ),
  )[0]!;
}

describe('the feature matrix', () => {
  it('has one row per alert row, in (date, alert, window) order, with group and unit ids', async () => {
    const n = rows<{ n: number }>(await rt.db.query('SELECT count(*) AS n FROM alerts'))[0]!.n;
    expect(m.rows).toBe(n);
    expect(m.x.length).toBe(m.rows * m.columns);
    for (let r = 1; r < m.rows; r++) expect(m.rowInfo.day[r]).toBeGreaterThanOrEqual(m.rowInfo.day[r - 1]!);
    // The 7- and 30-day rows of an alert are adjacent, share the group and the unit.
    const keys = rows<{ alert_id: string; window_days: number }>(
      await rt.db.query(`SELECT alert_id, window_days FROM ${ROWS_TABLE} ORDER BY row_idx LIMIT 2`),
    );
    expect(keys[0]!.alert_id).toBe(keys[1]!.alert_id);
    expect(m.rowInfo.group[0]).toBe(m.rowInfo.group[1]);
    expect(m.rowInfo.unit[0]).toBe(m.rowInfo.unit[1]);
    expect(m.rowInfo.units).toBe(m.rows / 2);
  });

  it('discovers its columns from the data and encodes each kind', async () => {
    const names = m.features.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'alerts.window_days',
        'alerts.severity',
        'alerts.alert_confidence_score',
        'alerts.alert_confidence_score[missing]',
        'alerts.typology_type=PEEL_CHAIN',
        'alerts.suspected_address_type=wallet',
        'alerts.volume_usd',
        'alerts.risk_indicators[count]',
        'alerts.risk_indicators[has=small_transactions]',
        'features.degree_in',
        'features.burst_factor',
        'features.burst_factor[missing]',
        'features.hourly_activity[sum]',
        'features.hourly_activity[active]',
        'features.hourly_activity[peak_share]',
        'features.is_exchange_like',
        'features.first_activity_timestamp[age_days]',
        'features.dominant_asset_in=USDT',
        'clusters.count',
        'clusters.severity_max[max]',
        'money_flows.in_counterparties',
        'money_flows.usd_out',
        'money_flows.reciprocity[two_way_share]',
        'address_labels.risk_level[max]',
      ]),
    );
    // Identifiers, free text and label columns are not features.
    expect(names.some((n) => /alert_id|description|community_id|label_source|labeled_by|processing_date/.test(n))).toBe(
      false,
    );
    expect(m.skipped.map((s) => s.column)).toEqual(
      expect.arrayContaining(['features.community_id', 'alerts.risk_indicators[has=long_chain]']),
    );
    // Transforms: money signed-log, wide counts log1p, leakage tags where the label comes from.
    const spec = (name: string) => m.features.find((f) => f.name === name)!;
    expect(spec('alerts.volume_usd').transform).toBe('signed-log1p');
    expect(spec('features.degree_in').transform).toBe('log1p');
    expect(spec('alerts.severity').tags).toEqual(['severity']);
    expect(spec('features.confidence_score').tags).toEqual(['confidence']);
    expect(spec('address_labels.risk_level[max]').tags).toEqual(['address-label']);
  });

  it('puts the right values in the cells', async () => {
    const severity = col('alerts.severity');
    const burst = col('features.burst_factor');
    const burstMissing = col('features.burst_factor[missing]');
    const volume = col('alerts.volume_usd');
    const exchange = col('features.is_exchange_like');
    const hourlySum = col('features.hourly_activity[sum]');
    const peak = col('features.hourly_activity[peak_share]');
    for (const r of [0, 1, 7, 40, m.rows - 1]) {
      const a = await rowOf(r);
      expect(severity[r]).toBe({ low: 1, medium: 2, high: 3, critical: 4 }[a.severity as string]);
      expect(volume[r]).toBeCloseTo(Math.log1p(a.volume_usd as number), 4);
      if (a.no_features) {
        expect(burst[r]).toBeNaN();
        expect(burstMissing[r]).toBe(1);
      } else {
        expect(burst[r]).toBeCloseTo(a.burst_factor as number, 5);
        expect(burstMissing[r]).toBe(0);
        expect(exchange[r]).toBe(a.is_exchange_like ? 1 : 0);
        const hours = JSON.parse(a.hourly as string) as number[];
        const sum = hours.reduce((x, y) => x + y, 0);
        expect(hourlySum[r]).toBeCloseTo(sum, 5);
        if (sum > 0) expect(peak[r]).toBeCloseTo(Math.max(...hours) / sum, 5);
      }
    }
    expect([...burstMissing].some((v) => v === 1)).toBe(true);
    // The side column carries the raw confidence, NULL as NaN.
    expect([...m.side.confidence].some((v) => Number.isNaN(v))).toBe(true);
  });

  // Last: it changes the loaded table.
  it('follows the loaded columns: a dropped feature column is simply absent', async () => {
    await rt.db.exec('ALTER TABLE raw_features DROP COLUMN burst_factor');
    await createView(rt.db, contractFor('features'));
    const m2 = await buildFeatureMatrix(rt.db);
    expect(m2.features.some((f) => f.column === 'features.burst_factor')).toBe(false);
    expect(m2.columns).toBe(m.columns - 2);
  });
});

describe('Arrow columns to a row-major matrix', () => {
  it('reads every chunk, honours validity bits and slice offsets', () => {
    const t1 = new Table({
      a: vectorFromArray([1, null, 3, 4], new Float32()),
      b: vectorFromArray([10.5, 20.5, null, 40.5], new Float64()),
    });
    const t2 = new Table({ a: vectorFromArray([5, 6], new Float32()), b: vectorFromArray([50, 60], new Float64()) });
    const joined = t1.concat(t2).slice(1);
    expect(joined.getChild('a')!.data.length).toBeGreaterThan(1);
    const x = columnsToRowMajor(joined, ['a', 'b']);
    expect(Array.from(x)).toEqual([NaN, 20.5, 3, NaN, 4, 40.5, 5, 50, 6, 60]);
  });

  it('selects columns into a narrower matrix', () => {
    const x = Float32Array.of(1, 2, 3, 4, 5, 6);
    expect(Array.from(selectColumns(x, 2, 3, [2, 0]))).toEqual([3, 1, 6, 4]);
  });
});
