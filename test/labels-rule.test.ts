/**
 * The proxy rule in DuckDB against hand-computed expectations: boundary values, NULLs, export
 * quirks, the three label_confidence derivations, conflicts, explicit-label precedence, the
 * UPDATE into raw_alerts, and values that look like SQL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { applyProxyLabels } from '../src/labels/apply.ts';
import { DEFAULT_CONFIG, parseConfig, ruleSignature, type ProxyLabelConfig } from '../src/labels/config.ts';
import { proxyCountsQuery, proxyLabelsQuery, proxyUpdateStatement } from '../src/labels/proxy-sql.ts';
import type { Lab } from '../src/sot/lab.ts';
import { addLabelEvents, handAlertsSql, labWith, type AlertRow } from './labels-fixtures.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

/** Each alert with the label the design's rule gives it, worked out by hand. */
const CASES: (AlertRow & { expected: 1 | 0 | null; why: string })[] = [
  {
    id: 'a01',
    severity: 'high',
    confidence: 0.7,
    expected: 1,
    why: 'exactly 0.7 passes >= 0.7 (Float32 0.699999988 is normalised)',
  },
  { id: 'a02', severity: 'critical', confidence: 0.95, expected: 1, why: 'critical above 0.7' },
  { id: 'a03', severity: 'high', confidence: 0.699999, expected: null, why: 'just below 0.7, above 0.3' },
  {
    id: 'a04',
    severity: 'critical',
    confidence: 0.6,
    expected: null,
    why: 'positive severity, confidence in the grey zone',
  },
  { id: 'a05', severity: 'medium', confidence: 0.9, expected: 0, why: 'negative severity whatever the confidence' },
  { id: 'a06', severity: 'low', confidence: 0.65, expected: 0, why: 'negative severity' },
  { id: 'a07', severity: 'high', confidence: 0.29, expected: 0, why: 'confidence < 0.3 is negative even for high' },
  { id: 'a08', severity: 'high', confidence: 0.3, expected: null, why: 'exactly 0.3 is not < 0.3' },
  { id: 'a09', severity: 'high', confidence: null, expected: null, why: 'NULL confidence fails both confidence tests' },
  { id: 'a10', severity: 'medium', confidence: null, expected: 0, why: 'NULL confidence, negative by severity' },
  { id: 'a11', severity: 'HIGH', confidence: 0.8, expected: 1, why: 'uppercase severity of older exports' },
  { id: 'a12', severity: ' Critical ', confidence: 0.75, expected: 1, why: 'padded, mixed-case severity' },
  { id: 'a13', severity: 'MEDIUM', confidence: 0.8, expected: 0, why: 'uppercase negative severity' },
  {
    id: 'a14',
    severity: 'info',
    confidence: 0.2,
    expected: 0,
    why: "'info' is in neither list: negative only by confidence",
  },
  { id: 'a15', severity: 'info', confidence: 0.9, expected: null, why: "'info' is never positive" },
  { id: 'a16', severity: null, confidence: 0.1, expected: 0, why: 'NULL severity, low confidence' },
  { id: 'a17', severity: null, confidence: 0.9, expected: null, why: 'NULL severity is never positive' },
  { id: 'a18', severity: 'critical', confidence: 0, expected: 0, why: 'confidence 0' },
  { id: 'a19', severity: 'critical', confidence: 1, expected: 1, why: 'confidence 1' },
];

const labelsOf = async (lab: Lab, config: ProxyLabelConfig, opts: Parameters<typeof proxyLabelsQuery>[1] = {}) => {
  const { sql, params } = proxyLabelsQuery(config, { keepUncertain: true, ...opts });
  return rows<Record<string, unknown>>(await lab.db.query(`${sql} ORDER BY alert_id, window_days`, params));
};

describe('the proxy rule in DuckDB', () => {
  it('labels hand-written alerts as worked out by hand', async () => {
    const lab = await labWith(rt, handAlertsSql(CASES));
    const got = await labelsOf(lab, DEFAULT_CONFIG);
    expect(got.map((r) => [r.alert_id, r.label])).toEqual(CASES.map((c) => [c.id, c.expected]));
    expect(new Set(got.map((r) => r.label_source))).toEqual(new Set(['proxy']));
    expect(new Set(got.map((r) => r.labeled_by))).toEqual(new Set([ruleSignature(DEFAULT_CONFIG)]));
    // The counts query (the cube's reference) agrees with the labels query.
    const { sql, params } = proxyCountsQuery(DEFAULT_CONFIG);
    const counts = rows<{ label: number | null; n: number }>(await lab.db.query(sql, params));
    const expected = (v: 1 | 0 | null) => CASES.filter((c) => c.expected === v).length;
    expect(counts).toEqual([
      { label: 0, n: expected(0) },
      { label: 1, n: expected(1) },
      { label: null, n: expected(null) },
    ]);
  });

  it("drops uncertain rows unless asked to keep them (or the config's uncertain is 'keep')", async () => {
    const lab = await labWith(rt, handAlertsSql(CASES));
    const labelled = CASES.filter((c) => c.expected !== null).length;
    const run = async (config: ProxyLabelConfig, keepUncertain?: boolean) => {
      const { sql, params } = proxyLabelsQuery(config, { keepUncertain });
      return rows(await lab.db.query(sql, params)).length;
    };
    expect(await run(DEFAULT_CONFIG)).toBe(labelled);
    expect(await run(DEFAULT_CONFIG, true)).toBe(CASES.length);
    expect(await run(parseConfig({ uncertain: 'keep' }))).toBe(CASES.length);
  });

  it('derives label_confidence from the confidence, a constant, or the distance past the threshold', async () => {
    const lab = await labWith(rt, handAlertsSql(CASES));
    const conf = (config: ProxyLabelConfig) =>
      labelsOf(lab, config).then((rs) =>
        Object.fromEntries(
          rs.map((r) => [r.alert_id, r.label_confidence === null ? null : Number(r.label_confidence)]),
        ),
      );
    const f = Math.fround;

    const byConfidence = await conf(DEFAULT_CONFIG);
    expect(byConfidence.a02).toBe(f(0.95)); // positive: c
    expect(byConfidence.a05).toBe(f(1 - 0.9)); // negative: 1 - c
    expect(byConfidence.a07).toBe(f(1 - 0.29));
    expect(byConfidence.a10).toBeNull(); // negative with NULL confidence: unknown
    expect(byConfidence.a03).toBeNull(); // uncertain

    const constant = await conf(parseConfig({ label_confidence: { method: 'constant', value: 0.8 } }));
    expect([constant.a01, constant.a05, constant.a10, constant.a03]).toEqual([f(0.8), f(0.8), f(0.8), null]);

    const distance = await conf(parseConfig({ label_confidence: { method: 'distance', floor: 0.5 } }));
    // positives: 0.5 + 0.5 * (c - 0.7) / 0.3; negatives below 0.3: 0.5 + 0.5 * (0.3 - c) / 0.3; else the floor.
    expect(distance.a01).toBe(f(0.5));
    expect(distance.a02).toBe(f(0.5 + (0.5 / 0.3) * (0.95 - 0.7)));
    expect(distance.a19).toBe(f(1));
    expect(distance.a07).toBe(f(0.5 + (0.5 / 0.3) * (0.3 - 0.29)));
    expect(distance.a18).toBe(f(1));
    expect(distance.a05).toBe(f(0.5)); // negative by severity alone
    expect(distance.a10).toBe(f(0.5)); // NULL confidence, negative by severity
    expect(distance.a03).toBeNull();
  });

  it('resolves alerts that both tests vote for as on_conflict says', async () => {
    // With max_confidence 0.8 > min_confidence 0.5, a high alert at 0.6 votes both ways.
    const alerts: AlertRow[] = [
      { id: 'b1', severity: 'high', confidence: 0.6 },
      { id: 'b2', severity: 'high', confidence: 0.8 },
      { id: 'b3', severity: 'high', confidence: 0.4 }, // below 0.5: negative only, no conflict
      { id: 'b4', severity: 'medium', confidence: 0.6 },
    ];
    const lab = await labWith(rt, handAlertsSql(alerts));
    const base = { positive: { min_confidence: 0.5 }, negative: { max_confidence: 0.8 } };
    const labels = async (on_conflict: string) =>
      (await labelsOf(lab, parseConfig({ ...base, on_conflict }))).map((r) => r.label);
    expect(await labels('negative')).toEqual([0, 1, 0, 0]); // the design's order: negative wins
    expect(await labels('positive')).toEqual([1, 1, 0, 0]);
    expect(await labels('uncertain')).toEqual([null, 1, 0, 0]);
  });

  it('keeps values values: quotes and SQL in the rule name are bound, never spliced', async () => {
    const lab = await labWith(rt, handAlertsSql(CASES.slice(0, 3)));
    const evil = `x'); DROP TABLE raw_alerts; -- "quoted" \\ $1 ?`;
    const config = parseConfig({ strategy: evil });
    const { sql, params } = proxyLabelsQuery(config);
    expect(sql).not.toContain('DROP TABLE');
    expect(sql).not.toContain("'high'");
    expect(params).toContain(ruleSignature(config));
    const got = await labelsOf(lab, config);
    expect(got.map((r) => r.labeled_by)).toEqual([ruleSignature(config), ruleSignature(config), ruleSignature(config)]);
    await applyProxyLabels(lab.db, config);
    expect(rows(await lab.db.query(`SELECT DISTINCT labeled_by FROM raw_alerts`))).toEqual([
      { labeled_by: ruleSignature(config) },
    ]);
    const update = proxyUpdateStatement(config, 'duckdb');
    expect(update.sql).not.toContain('DROP TABLE');
  });

  it('lets explicit labels win by the precedence of the migrations, and says which source labelled each row', async () => {
    const alerts: AlertRow[] = [
      { id: 'c1', severity: 'high', confidence: 0.9, address: 'A' },
      { id: 'c2', severity: 'medium', confidence: 0.7, address: 'B' },
      { id: 'c3', severity: 'critical', confidence: 0.65, address: 'C' },
      { id: 'c4', severity: 'high', confidence: 0.8, address: 'D' },
      { id: 'c5', severity: 'low', confidence: 0.5, address: 'E' },
    ];
    const lab = await labWith(rt, handAlertsSql(alerts));
    await addLabelEvents(lab, [
      { alertId: 'c1', label: 0, source: 'miner' }, // overrides the rule's 1
      { address: 'B', label: 1, source: 'community' }, // address-level: labels c2
      { alertId: 'c3', label: 1, source: 'miner', labeledAt: '2026-02-01T00:00:00Z' },
      { alertId: 'c3', label: 0, source: 'validated', labeledAt: '2026-01-01T00:00:00Z' }, // validated beats a newer miner label
      { alertId: 'c4', label: 0, source: 'proxy' }, // a proxy event is not an explicit label
    ]);
    const got = await labelsOf(lab, DEFAULT_CONFIG);
    expect(got.map((r) => [r.alert_id, r.label, r.label_source, r.proxy_label])).toEqual([
      ['c1', 0, 'miner', 1],
      ['c2', 1, 'community', 0],
      ['c3', 0, 'validated', null],
      ['c4', 1, 'proxy', 1],
      ['c5', 0, 'proxy', 0],
    ]);
    expect(got[0]!.labeled_by).toBe('test');
    const withoutExplicit = await labelsOf(lab, DEFAULT_CONFIG, { explicit: false });
    expect(withoutExplicit.map((r) => r.label)).toEqual([1, 0, null, 1, 0]);
  });
});

describe('writing proxy labels into raw_alerts', () => {
  it('updates every row it owns, spares rows another source labelled, and relabels on a rerun', async () => {
    const lab = await labWith(rt, handAlertsSql(CASES));
    // a05 carries a miner label in its own row (as if loaded from ClickHouse): the rule must not touch it.
    await lab.db.exec(
      `UPDATE raw_alerts SET label = 1, label_source = 'miner', label_confidence = 0.9, labeled_by = 'hotkey-1' WHERE alert_id = 'a05'`,
    );
    const at = new Date('2026-03-01T12:00:00Z');
    const first = await applyProxyLabels(lab.db, DEFAULT_CONFIG, at);
    const expected = (v: 1 | 0 | null) => CASES.filter((c) => c.id !== 'a05' && c.expected === v).length;
    expect(first).toEqual({
      updated: CASES.length - 1,
      positive: expected(1),
      negative: expected(0),
      uncertain: expected(null),
      keptExplicit: 1,
    });

    const stored = rows<Record<string, unknown>>(
      await lab.db.query(
        `SELECT alert_id, label, CAST(label_source AS VARCHAR) AS source, label_confidence, labeled_at, labeled_by FROM raw_alerts ORDER BY alert_id`,
      ),
    );
    const a05 = stored.find((r) => r.alert_id === 'a05')!;
    expect([a05.label, a05.source, a05.labeled_by]).toEqual([1, 'miner', 'hotkey-1']);
    for (const c of CASES.filter((c) => c.id !== 'a05')) {
      const r = stored.find((s) => s.alert_id === c.id)!;
      expect([c.id, r.label, r.source]).toEqual([c.id, c.expected, 'proxy']);
      expect(r.labeled_at).toBe(at.getTime());
      expect(r.labeled_by).toBe(ruleSignature(DEFAULT_CONFIG));
    }

    // A stricter positive threshold: a01 (0.7) and a12 (0.75) drop to uncertain, a02 (0.95) stays.
    const stricter = parseConfig({ positive: { min_confidence: 0.9 } });
    await applyProxyLabels(lab.db, stricter, at);
    const relabelled = rows<{ alert_id: string; label: number | null }>(
      await lab.db.query(
        `SELECT alert_id, label FROM raw_alerts WHERE alert_id IN ('a01', 'a02', 'a12', 'a05') ORDER BY alert_id`,
      ),
    );
    expect(relabelled).toEqual([
      { alert_id: 'a01', label: null },
      { alert_id: 'a02', label: 1 },
      { alert_id: 'a05', label: 1 },
      { alert_id: 'a12', label: null },
    ]);

    // effective_labels sees the rule's row labels, and the miner's row label for a05.
    const effective = rows<{ alert_id: string; label: number; source: string }>(
      await lab.db.query(
        `SELECT alert_id, label, CAST(label_source AS VARCHAR) AS source FROM effective_labels WHERE alert_id IN ('a02', 'a05') ORDER BY 1`,
      ),
    );
    expect(effective).toEqual([
      { alert_id: 'a02', label: 1, source: 'proxy' },
      { alert_id: 'a05', label: 1, source: 'miner' },
    ]);
    // The labels query ignores the rule's stored row labels as references: a02 is still 'proxy'.
    const got = await labelsOf(lab, DEFAULT_CONFIG);
    expect(got.find((r) => r.alert_id === 'a05')!.label_source).toBe('miner');
    expect(got.find((r) => r.alert_id === 'a01')!.label_source).toBe('proxy');
  });
});
