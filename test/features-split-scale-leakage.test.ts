import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../src/features/encode.ts';
import { checkSeparation, guardFeatures, type LeakageOptions } from '../src/features/leakage.ts';
import type { RowInfo } from '../src/features/matrix.ts';
import { splitRows, type SplitOptions } from '../src/features/split.ts';
import { applyStandardiser, fitStandardiser } from '../src/features/standardise.ts';
import { Random } from '../src/ml/random.ts';

/**
 * Rows like the matrix's: `alerts` alert ids per date over `dates` dates; each alert has a 7- and
 * a 30-day row (same group and unit); a few alert ids recur on two dates (same group, two units).
 */
function rowInfo(dates: number, alerts: number): RowInfo {
  const day: number[] = [];
  const group: number[] = [];
  const unit: number[] = [];
  let units = 0;
  for (let d = 0; d < dates; d++) {
    for (let a = 0; a < alerts; a++) {
      // Alert ids a < 5 recur on every date: one group spanning dates.
      const g = a < 5 ? a : d * alerts + a;
      for (let w = 0; w < 2; w++) {
        day.push(20000 + 7 * d);
        group.push(g);
        unit.push(units);
      }
      units++;
    }
  }
  // Ten addresses, each with alerts on every date.
  const address = Int32Array.from(group, (g, r) => (g + Math.floor(r / 2)) % 10);
  return { day: Int32Array.from(day), group: Int32Array.from(group), unit: Int32Array.from(unit), units, address };
}

const opts = (o: Partial<SplitOptions> = {}): SplitOptions => ({
  method: 'time',
  testFraction: 0.2,
  validationFraction: 0.2,
  seed: 1,
  groupBy: 'alert',
  ...o,
});

describe('splits', () => {
  const info = rowInfo(4, 50);
  const strata = Float32Array.from(info.group, (g) => (g % 3 === 0 ? 1 : 0));

  it('time: tests on the latest date, never splitting an alert id between train and test', () => {
    const s = splitRows(info, strata, opts());
    const latest = 20000 + 21;
    expect(s.testDays).toEqual([latest]);
    // Test is exactly the latest date; the earlier rows of the recurring alert ids go nowhere.
    const test = new Set(s.test);
    info.day.forEach((d, r) => expect(test.has(r)).toBe(d === latest));
    expect(s.train.length + s.validation.length + s.test.length).toBe(info.day.length - 5 * 2 * 3);
    expect(s.description).toMatch(/30 earlier rows of alert ids that recur on the test date left out/);
    const groupsOf = (rows: Int32Array) => new Set(Array.from(rows, (r) => info.group[r]!));
    const testGroups = groupsOf(s.test);
    for (const g of groupsOf(s.train)) expect(testGroups.has(g)).toBe(false);
    for (const g of groupsOf(s.validation)) expect(testGroups.has(g)).toBe(false);
    expect([...groupsOf(s.train)].filter((g) => groupsOf(s.validation).has(g))).toEqual([]);
    expect(s.description).toMatch(/^time: test = 2024-/);
  });

  it('stratified: holds out the share within each stratum, repeatably by seed', () => {
    const s = splitRows(info, strata, opts({ method: 'stratified', testFraction: 0.25 }));
    const positivesIn = (rows: Int32Array) =>
      new Set(Array.from(rows, (r) => info.group[r]!).filter((g) => g % 3 === 0)).size;
    const groupsIn = (rows: Int32Array) => new Set(Array.from(rows, (r) => info.group[r]!)).size;
    const allGroups = groupsIn(Int32Array.from(info.group, (_, i) => i));
    expect(groupsIn(s.test) / allGroups).toBeCloseTo(0.25, 1);
    expect(positivesIn(s.test) / groupsIn(s.test)).toBeCloseTo(1 / 3, 1);
    expect(splitRows(info, strata, opts({ method: 'stratified', testFraction: 0.25 })).test).toEqual(s.test);
    expect(splitRows(info, strata, opts({ method: 'stratified', testFraction: 0.25, seed: 2 })).test).not.toEqual(
      s.test,
    );
  });

  it('can keep whole addresses apart', () => {
    const s = splitRows(info, strata, opts({ method: 'stratified', testFraction: 0.3, groupBy: 'address' }));
    const addressesOf = (rows: Int32Array) => new Set(Array.from(rows, (r) => info.address[r]!));
    const test = addressesOf(s.test);
    expect(test.size).toBeGreaterThan(0);
    expect(test.size).toBeLessThan(10);
    for (const a of addressesOf(s.train)) expect(test.has(a)).toBe(false);
    expect(s.description).toMatch(/addresses kept apart$/);
  });

  it('falls back to stratified, and says so, when there is one date', () => {
    const one = rowInfo(1, 40);
    const s = splitRows(one, new Float32Array(one.day.length), opts());
    expect(s.method).toBe('stratified');
    expect(s.description).toMatch(/only one processing date/);
    expect(s.test.length).toBeGreaterThan(0);
  });
});

describe('standardisation', () => {
  it('uses the training rows only, imputes NULL with the training mean and clips', () => {
    // Column 0: train rows 0..2 = 1, 2, 3 (mean 2, sd sqrt(2/3)); row 3 is test with 1000.
    // Column 1: constant on training rows. Column 2: a NULL on a training row.
    const x = Float32Array.of(1, 5, 0, 2, 5, NaN, 3, 5, 4, 1000, 7, 2);
    const s = fitStandardiser(x, 3, [0, 1, 2], 10);
    expect(s.mean[0]).toBeCloseTo(2);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(2 / 3));
    expect(s.std[1]).toBe(1);
    expect(s.mean[2]).toBeCloseTo(2);
    applyStandardiser(s, x, 3);
    expect(x[0]).toBeCloseTo(-1 / Math.sqrt(2 / 3), 5);
    expect(x[9]).toBe(10); // the test row's 1000 is clipped, and did not move the mean
    expect(x[4]).toBe(0); // constant column
    expect(x[10]).toBe(2); // 7 - 5 with std 1
    expect(x[5]).toBe(0); // NULL -> training mean
  });
});

describe('leakage guard', () => {
  const spec = (name: string, tags: FeatureSpec['tags'] = [], column = name.replace(/\[.*$/, '')): FeatureSpec => ({
    name,
    column,
    sql: '',
    params: [],
    transform: 'value',
    tags,
  });
  const features = [
    spec('alerts.severity', ['severity']),
    spec('alerts.alert_confidence_score', ['confidence']),
    spec('alerts.alert_confidence_score[missing]', ['confidence']),
    spec('features.confidence_score', ['confidence']),
    spec('features.burst_factor'),
    spec('address_labels.risk_level[max]', ['address-label']),
  ];
  const defaults: LeakageOptions = { allow: [], exclude: [], separationAuc: 0.99, dropSeparating: false };
  const kept = (keep: number[]) => keep.map((i) => features[i]!.name);

  it('leaves out what defines the label being learned', () => {
    expect(kept(guardFeatures(features, 'proxy', defaults).keep)).toEqual([
      'features.burst_factor',
      'address_labels.risk_level[max]',
    ]);
    expect(kept(guardFeatures(features, 'address-labels', defaults).keep)).toEqual(
      features.slice(0, 5).map((f) => f.name),
    );
    expect(kept(guardFeatures(features, 'alert-labels', defaults).keep)).toEqual(features.map((f) => f.name));
  });

  it('lets the user override, and says so', () => {
    const { keep, report } = guardFeatures(features, 'proxy', {
      ...defaults,
      allow: ['alerts.alert_confidence_score'],
      exclude: ['features.burst_factor', 'features.typo'],
    });
    expect(kept(keep)).toEqual([
      'alerts.alert_confidence_score',
      'alerts.alert_confidence_score[missing]',
      'address_labels.risk_level[max]',
    ]);
    expect(report.allowed).toEqual(['alerts.alert_confidence_score', 'alerts.alert_confidence_score[missing]']);
    expect(report.unmatched).toEqual(['features.typo']);
    expect(report.notes.join('\n')).toMatch(/leakage override: kept alerts.alert_confidence_score.*proxy label/);
    expect(report.notes.join('\n')).toMatch(/matching no feature: features.typo/);
  });

  it('reports a feature that alone separates the training labels', () => {
    const rng = new Random(5);
    const rows = 400;
    const y = Float32Array.from({ length: rows }, () => (rng.next() < 0.3 ? 1 : 0));
    const x = new Float32Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      x[r * 2] = y[r]! + rng.uniform(-0.4, 0.4); // leaks the label
      x[r * 2 + 1] = rng.next(); // noise
    }
    const two = [spec('features.leaky'), spec('features.noise')];
    const labelled = { rows: Int32Array.from({ length: rows }, (_, i) => i), y };
    const report = guardFeatures(two, 'proxy', defaults).report;
    expect(checkSeparation(x, 2, two, [0, 1], labelled, defaults, report, 1)).toEqual([0, 1]);
    expect(report.separating).toEqual([{ feature: 'features.leaky', auc: 1, dropped: false }]);
    expect(report.notes.at(-1)).toMatch(/features.leaky alone separates the training labels \(ROC-AUC 1.000\): kept/);
    const dropping = { ...defaults, dropSeparating: true };
    expect(
      checkSeparation(x, 2, two, [0, 1], labelled, dropping, guardFeatures(two, 'proxy', dropping).report, 1),
    ).toEqual([1]);
  });
});
