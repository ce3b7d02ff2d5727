import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { appendLabelEvents } from '../src/ingest/index.ts';
import {
  kappaMatrix,
  labelAgreement,
  labelCoverage,
  labelQuality,
  sourceLabelsSql,
  type PairAgreement,
} from '../src/quality/index.ts';
import { alertsLab } from './ingest-fixtures.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

/**
 * The hand-made set (alert i is on addr-(i % 7)):
 *
 *   alert   proxy  miner  community      validated  truth  -> effective
 *   0       1      1                     1          1         1 validated
 *   1       1      1                     0          0         0 validated
 *   2       1      0                     0          0         0 validated
 *   3       1      0                     0          0         0 validated
 *   4       1      1                                1         1 miner
 *   5       0      1                                1         1 miner
 *   6       0             1 (addr-6)                0         1 community
 *   7..9    0                                       0         0 proxy
 *   10, 11  uncertain (proxy, label NULL)
 *   13                    1 (addr-6)                          1 community
 */
async function handLab(): Promise<void> {
  const truth = `SELECT 'alert-' || i AS alert_id, DATE '2026-01-05' AS processing_date, i IN (0, 4, 5) AS is_illicit FROM range(10) t(i)`;
  await alertsLab(rt, { truthSql: truth });
  await rt.db.exec(
    `UPDATE raw_alerts SET label = CASE WHEN n < 5 THEN 1 WHEN n < 10 THEN 0 END, label_source = 'proxy', labeled_by = 'rule'
     FROM (SELECT alert_id AS id, CAST(substr(alert_id, 7) AS INTEGER) AS n FROM raw_alerts) AS k
     WHERE raw_alerts.alert_id = k.id AND k.n < 12`,
  );
  const miner = [1, 1, 0, 0, 1, 1] as const;
  const validated = [1, 0, 0, 0] as const;
  await appendLabelEvents(
    rt.db,
    [
      // An older miner label for alert-0 that the newer one replaces: only the newest counts.
      { alertId: 'alert-0', label: 0, source: 'miner', labeledAt: '2026-01-01T00:00:00Z' },
      ...miner.map((label, i) => ({
        alertId: `alert-${i}`,
        label,
        source: 'miner' as const,
        labeledAt: '2026-01-10T00:00:00Z',
      })),
      ...validated.map((label, i) => ({
        alertId: `alert-${i}`,
        label,
        source: 'validated' as const,
        labeledAt: '2026-01-08T00:00:00Z',
      })),
      { address: 'addr-6', label: 1, source: 'community', labeledAt: '2026-01-09T00:00:00Z' },
    ],
    'label:test',
  );
}

const pair = (pairs: PairAgreement[], a: string, b: string) => pairs.find((p) => p.a === a && p.b === b)!;

describe('coverage and class balance by source', () => {
  it('counts labelled alert rows, positives and negatives per rater', async () => {
    await handLab();
    const c = await labelCoverage(rt.db);
    expect(c).toMatchObject({ alertRows: 20, alerts: 20, truthLoaded: true });
    expect(c.raters.map((r) => [r.rater, r.labelled, r.positive, r.negative, r.uncertain])).toEqual([
      ['proxy', 10, 5, 5, 2],
      ['miner', 6, 4, 2, 0],
      ['community', 2, 2, 0, 0],
      ['validated', 4, 1, 3, 0],
      ['effective', 11, 5, 6, 0],
      ['truth', 10, 3, 7, 0],
    ]);
    expect(c.raters[0]!.share).toBeCloseTo(0.5, 12);
    expect(c.raters[3]!.positiveRate).toBeCloseTo(0.25, 12);
    expect(c.effectiveBySource).toEqual({ proxy: 3, miner: 2, community: 2, validated: 4 });
    expect(c.events).toEqual([
      { source: 'proxy', alertLevel: 0, addressLevel: 0 },
      { source: 'miner', alertLevel: 7, addressLevel: 0 },
      { source: 'community', alertLevel: 0, addressLevel: 1 },
      { source: 'validated', alertLevel: 4, addressLevel: 0 },
    ]);
  });

  it('leaves the truth out when none is loaded, and reports empty raters without dividing by zero', async () => {
    await alertsLab(rt);
    const c = await labelCoverage(rt.db);
    expect(c.truthLoaded).toBe(false);
    expect(c.raters.map((r) => r.rater)).toEqual(['proxy', 'miner', 'community', 'validated', 'effective']);
    expect(c.raters.every((r) => r.labelled === 0 && r.positiveRate === null && r.share === 0)).toBe(true);
    const a = await labelAgreement(rt.db);
    expect(a).toEqual({ raters: [], pairs: [] });
  });
});

describe('agreement between every pair of sources', () => {
  it('gives the hand-worked confusion matrices and kappas', async () => {
    await handLab();
    const a = await labelAgreement(rt.db);
    expect(a.raters).toEqual(['proxy', 'miner', 'community', 'validated', 'effective', 'truth']);
    expect(a.pairs).toHaveLength(15);

    // proxy x miner over alerts 0..5: (1,1) x3, (1,0) x2, (0,1) x1.
    // p_o = 3/6, p_e = (5/6)(4/6) + (1/6)(2/6) = 22/36, kappa = (18 - 22) / (36 - 22) = -2/7.
    const pm = pair(a.pairs, 'proxy', 'miner');
    expect(pm.matrix).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(pm.kappa).toBeCloseTo(-2 / 7, 12);

    // proxy x truth over 0..9: n11 2, n10 3, n01 1, n00 4; p_o 0.6, p_e 0.5, kappa 0.2.
    expect(pair(a.pairs, 'proxy', 'truth').matrix).toEqual([
      [4, 1],
      [3, 2],
    ]);
    expect(pair(a.pairs, 'proxy', 'truth').kappa).toBeCloseTo(0.2, 12);

    // miner x validated over 0..3: n11 1, n10 1, n00 2; p_o 0.75, p_e 0.5, kappa 0.5.
    expect(pair(a.pairs, 'miner', 'validated').kappa).toBeCloseTo(0.5, 12);
    // miner x truth over 0..5 (the newest miner label of alert-0 counts): kappa 2/3.
    expect(pair(a.pairs, 'miner', 'truth')).toMatchObject({
      n: 6,
      matrix: [
        [2, 0],
        [1, 3],
      ],
    });
    expect(pair(a.pairs, 'miner', 'truth').kappa).toBeCloseTo(2 / 3, 12);
    // effective x truth over 0..9: n11 3, n10 1, n00 6; p_o 0.9, p_e 0.54, kappa 0.36/0.46.
    expect(pair(a.pairs, 'effective', 'truth').kappa).toBeCloseTo(0.36 / 0.46, 12);
    // No overlap: n 0 and no kappa. One shared class only: kappa undefined.
    expect(pair(a.pairs, 'miner', 'community')).toMatchObject({ n: 0, kappa: null, observed: null });
    expect(pair(a.pairs, 'community', 'effective')).toMatchObject({ n: 2, observed: 1, kappa: null });
    expect(pair(a.pairs, 'validated', 'truth').kappa).toBeCloseTo(1, 12);
  });

  it('builds a symmetric kappa matrix with 1 on the diagonal', async () => {
    await handLab();
    const { agreement } = await labelQuality(rt.db);
    const m = kappaMatrix(agreement);
    expect(m).toHaveLength(6);
    for (let i = 0; i < 6; i++) {
      expect(m[i]![i]).toBe(1);
      for (let j = 0; j < 6; j++) expect(m[i]![j]).toEqual(m[j]![i]);
    }
    expect(m[0]![1]).toBeCloseTo(-2 / 7, 12);
  });
});

describe('per-source labels', () => {
  it("agree with effective_labels: a row's effective label is its winning source's own label", async () => {
    await alertsLab(rt);
    // Overlapping events of every source, alert- and address-level, with tied times; alerts on
    // addr-4..6 beyond alert-11 have no events, so row labels win there.
    await rt.db.exec(
      `INSERT INTO label_events (alert_id, address, label, label_source, labeled_at, labeled_by)
       SELECT CASE WHEN i % 3 = 0 THEN NULL ELSE 'alert-' || (i % 12) END,
         'addr-' || (i % 4),
         CAST(hash(i, 'label') % 2 AS TINYINT),
         ['proxy', 'miner', 'community', 'validated'][1 + CAST(hash(i, 'source') % 4 AS INTEGER)],
         TIMESTAMP '2026-01-01' + INTERVAL (CAST(hash(i, 'day') % 5 AS INTEGER)) DAY,
         'gen'
       FROM range(60) t(i)`,
    );
    await rt.db.exec(
      `UPDATE raw_alerts SET label = CAST(hash(alert_id) % 2 AS TINYINT), label_source = 'proxy', labeled_at = TIMESTAMP '2026-01-03'
       WHERE hash(alert_id, 'p') % 3 > 0`,
    );
    const mismatches = rows(
      await rt.db.query(
        `SELECT * FROM (${sourceLabelsSql()}) WHERE effective IS DISTINCT FROM CASE effective_source
           WHEN 'proxy' THEN proxy WHEN 'miner' THEN miner WHEN 'community' THEN community WHEN 'validated' THEN validated END`,
      ),
    );
    expect(mismatches).toEqual([]);
    const scopes = rows<{ label_scope: string }>(
      await rt.db.query(`SELECT DISTINCT label_scope FROM effective_labels WHERE label IS NOT NULL ORDER BY 1`),
    );
    expect(scopes.map((s) => s.label_scope)).toEqual(['address', 'alert', 'row']);
  });
});
