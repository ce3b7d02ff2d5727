/**
 * Every validator formula on small cases computed by hand (the arithmetic is in the comments);
 * the histogram edges and entropy were also checked against numpy 2.4 / scipy 1.17.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_VALIDATOR_CONFIG as C, type ValidatorConfig } from '../src/validator/config.ts';
import { finalScore } from '../src/validator/final.ts';
import type { SubmissionRow } from '../src/validator/submission.ts';
import { tier1 } from '../src/validator/tier1.ts';
import {
  averageRanks,
  consensusMedians,
  consistency,
  distributionEntropy,
  histogram01,
  median,
  rankCorrelation,
  spearman,
  tier2,
} from '../src/validator/tier2.ts';
import { tier3a } from '../src/validator/tier3a.ts';
import { consistencyPenalty, populationStd, rangeScore, tier3b } from '../src/validator/tier3b.ts';

const T2 = C.tier2_behavioral;
const close = (actual: number | null | undefined, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThan(1e-6);
};
const sub = (scores: Record<string, number>): SubmissionRow[] =>
  Object.entries(scores).map(([alert_id, score], i) => ({
    row: i + 2,
    alert_id,
    score,
    model_version: 'v1',
    model_github_url: 'https://github.com/x/y',
  }));
const map = (o: Record<string, number>) => new Map(Object.entries(o));

describe('Tier 1', () => {
  it('passes a complete, clean submission', () => {
    const r = tier1(sub({ a: 0, b: 1, c: 0.5 }), ['a', 'b', 'c'], 'd');
    expect(r.tier1_passed).toBe(true);
    expect(r.failures).toEqual([]);
    close(r.tier1_integrity_score, 1);
  });

  it('names every failure with its first rows, and computes the validator fractions', () => {
    const rows = sub({ a: 1.2, b: NaN, c: 0.5, z: 0.1 });
    rows.push({ ...rows[2]!, row: 6 });
    rows[0]!.model_github_url = '';
    const r = tier1(rows, ['a', 'b', 'c', 'd'], '2026-11-10, 7-day window');
    expect(r.tier1_passed).toBe(false);
    expect(r).toMatchObject({
      tier1_has_all_alerts: 0,
      tier1_alerts_known: 0,
      tier1_score_range_valid: 0,
      tier1_no_duplicates: 0,
      tier1_metadata_valid: 0,
    });
    const by = Object.fromEntries(r.failures.map((f) => [f.check, f]));
    expect(by.tier1_has_all_alerts).toMatchObject({ count: 1, first: [{ row: null, alert_id: 'd' }] });
    expect(by.tier1_has_all_alerts!.message).toBe('1 of the 4 alerts of 2026-11-10, 7-day window are not scored');
    expect(by.tier1_alerts_known).toMatchObject({ count: 1, first: [{ row: 5, alert_id: 'z' }] });
    expect(by.tier1_score_range_valid).toMatchObject({
      count: 2,
      first: [
        { row: 2, alert_id: 'a', value: '1.2' },
        { row: 3, alert_id: 'b', value: 'NaN' },
      ],
    });
    expect(by.tier1_no_duplicates).toMatchObject({ count: 1, first: [{ row: 6, alert_id: 'c' }] });
    expect(by.tier1_metadata_valid).toMatchObject({ count: 1, first: [{ row: 2, value: 'model_github_url empty' }] });
    // 5 rows, 4 distinct of 4 expected: 0.25 x (min(4/4,1) + (1 - 2/5) + 4/5 + (1 - 1/5)) = 0.25 x 3.2
    close(r.tier1_integrity_score, 0.8);
  });

  it('lists at most five rows per failure but counts them all', () => {
    const r = tier1(sub({ a: 2, b: 2, c: 2, d: 2, e: 2, f: 2, g: 2 }), ['a', 'b', 'c', 'd', 'e', 'f', 'g'], 'd');
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.count).toBe(7);
    expect(r.failures[0]!.first).toHaveLength(5);
  });

  it('fails an empty submission and a date without alerts', () => {
    const empty = tier1([], ['a'], 'd');
    expect(empty.tier1_passed).toBe(false);
    expect(empty.tier1_integrity_score).toBe(0);
    expect(empty.tier1_score_range_valid).toBe(0);
    const none = tier1(sub({ a: 0.5 }), [], 'd');
    expect(none.failures.map((f) => f.message)).toContain('the data has no alerts for d');
  });
});

describe('Tier 2: distribution entropy', () => {
  it('bins as numpy.histogram does, edges i/10 from linspace', () => {
    // 0.3 x 10 = 3 but the edge 3 x 0.1 = 0.30000000000000004 > 0.3, so 0.3 falls in bin 2 (likewise 0.6, 0.7).
    const bins = (v: number) => histogram01([v], 10).indexOf(1);
    expect([0, 0.1, 0.2, 0.3, 0.6, 0.7, 0.9, 1].map(bins)).toEqual([0, 1, 2, 2, 5, 6, 9, 9]);
    expect(histogram01([-0.1, 1.2, NaN], 10)).toEqual(new Array(10).fill(0));
  });

  it('is 1 for one score per bin, about 0 for one bin, 0 for no scores', () => {
    close(distributionEntropy([0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95], T2), 1);
    // hist [1, 0 x 9] + 1e-10: the nine empty bins carry q = 1e-10 / (1 + 1e-9) each.
    const q = 1e-10 / (1 + 1e-9);
    const p = 1 - 9 * q;
    close(distributionEntropy([0.5, 0.5, 0.5], T2), -(p * Math.log(p) + 9 * q * Math.log(q)) / Math.log(10));
    expect(distributionEntropy([], T2)).toBe(0);
    // two halves: ln 2 / ln 10
    close(distributionEntropy([0.01, 0.99], T2), Math.log(2) / Math.log(10));
  });

  it('divides by every score, those outside 0..1 included (scipy then renormalises)', () => {
    // 9 scores, 7 in bins (1.2 and -0.1 in none; 0.3 in bin 2): counts bin0 1, bin1 2, bin2 1, bin3 1, bin9 2,
    // each /9; scipy rescales them to sum 1: p = 1/7, 2/7, 1/7, 1/7, 2/7
    const s = [0.05, 0.15, 0.15, 0.3, 0.35, 0.99, 1.0, 1.2, -0.1];
    const H = -(3 * (1 / 7) * Math.log(1 / 7) + 2 * (2 / 7) * Math.log(2 / 7));
    close(distributionEntropy(s, T2), H / Math.log(10));
    // scipy: 0.6730809058729151
    close(distributionEntropy(s, T2), 0.6730809058729151);
  });
});

describe('Tier 2: rank correlation', () => {
  it('gives ties their average rank', () => {
    expect([...averageRanks([3, 1, 2, 2])]).toEqual([4, 1, 2.5, 2.5]);
    // ranks x = 1, 2.5, 2.5, 4 and y = 1, 3, 2, 4: sxy = 4.5, sxx = 4.5, syy = 5 -> 4.5 / sqrt(22.5)
    close(spearman([1, 2, 2, 3], [1, 3, 2, 4]), 4.5 / Math.sqrt(22.5));
    close(spearman([1, 2, 2, 3], [1, 3, 2, 4]), 0.9486832980505139);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
  });

  it('takes the median over every submission, the miner included', () => {
    expect(median([0.1, 0.9, 0.2])).toBe(0.2);
    close(median([0.1, 0.2]), 0.15);
    const mine = { a: 0.1, b: 0.5, c: 0.9, d: 0.3 };
    const med = consensusMedians(
      [sub(mine), sub({ a: 0.2, b: 0.4, c: 0.8, d: 0.3 }), sub({ a: 0.9, b: 0.1, c: 0.7, d: 0.3 })].flat(),
    );
    expect(Object.fromEntries(med)).toEqual({ a: 0.2, b: 0.4, c: 0.8, d: 0.3 });
    // mine 0.1 0.5 0.9 0.3 -> ranks 1 3 4 2; medians 0.2 0.4 0.8 0.3 -> ranks 1 3 4 2: rho = 1
    close(rankCorrelation(map(mine), med), 1);
  });

  it('is 0 below two alerts and (rho + 1) / 2 otherwise', () => {
    expect(rankCorrelation(map({ a: 0.4 }), map({ a: 0.4 }))).toBe(0);
    expect(rankCorrelation(new Map(), new Map())).toBe(0);
    // reversed order: rho = -1 -> 0
    close(rankCorrelation(map({ a: 0.1, b: 0.2, c: 0.3 }), map({ a: 0.3, b: 0.2, c: 0.1 })), 0);
    close(
      rankCorrelation(map({ a: 1, b: 2, c: 2, d: 3 }), map({ a: 1, b: 3, c: 2, d: 4 })),
      (0.9486832980505139 + 1) / 2,
    );
    expect(rankCorrelation(map({ a: 0.5, b: 0.5 }), map({ a: 0.1, b: 0.2 }))).toBeNull();
  });
});

describe('Tier 2: consistency and the behaviour score', () => {
  it('compares with the latest earlier date over shared ids', () => {
    // shared a, b: |0.1 - 0.3| and |0.5 - 0.5| -> mean 0.1 -> 0.9
    close(consistency(map({ a: 0.1, b: 0.5, c: 0.9 }), map({ a: 0.3, b: 0.5, z: 0.1 }), T2).score, 0.9);
    expect(consistency(map({ a: 0.1, b: 0.5 }), map({ a: 0.3, z: 0.5 }), T2)).toEqual({ score: 0.7, shared: 1 });
    expect(consistency(map({ a: 0.1 }), null, T2).score).toBe(0.7);
    // mean difference above 1 is impossible for 0..1 scores; min(., 1) still caps it
    expect(consistency(map({ a: 3, b: 3 }), map({ a: 0, b: 0 }), T2).score).toBe(0);
  });

  it('weights 0.33 / 0.33 / 0.34', () => {
    const rows = sub({ a: 0.05, b: 0.15, c: 0.25, d: 0.35, e: 0.45, f: 0.55, g: 0.65, h: 0.75, i: 0.85, j: 0.95 });
    const reversed = rows.map((r) => ({ alert_id: r.alert_id, score: 1 - r.score }));
    // entropy 1; consensus with one reversed submission: medians are 0.5 for every alert (two values
    // averaging to 0.5), constant -> rank correlation undefined
    const undef = tier2({ rows, others: [reversed], previous: null }, C);
    expect(undef.tier2_rank_correlation).toBeNull();
    expect(undef.tier2_behavior_score).toBeNull();
    // alone: rank correlation 1, consistency 0.7 -> 0.33 + 0.33 + 0.34 x 0.7 = 0.898
    const alone = tier2({ rows, others: [], previous: null }, C);
    close(alone.tier2_behavior_score, 0.898);
    expect(alone.consensus_submissions).toBe(1);
    // two reversed and the miner: medians = reversed -> rho -1 -> 0; previous equal on all -> 1
    const r = tier2({ rows, others: [reversed, reversed], previous: { processing_date: '2026-11-03', rows } }, C);
    close(r.tier2_rank_correlation, 0);
    close(r.tier2_consistency_score, 1);
    close(r.tier2_behavior_score, 0.33 + 0 + 0.34);
    expect(r.consistency_date).toBe('2026-11-03');
  });
});

describe('Tier 3A', () => {
  const alerts = new Map([
    ['a', 'A'],
    ['b', 'B'],
    ['c', 'C'],
    ['d', 'D'],
    ['e', 'E'],
  ]);
  it('joins on address, counts ties as one half, and covers joined rows over distinct alerts', () => {
    const rows = sub({ a: 0.5, b: 0.5, c: 0.9, d: 0.1, e: 0.3 });
    const labels = [
      { address: 'A', risk_level: 'high' },
      { address: 'B', risk_level: 'low' },
      { address: 'C', risk_level: 'critical' },
      { address: 'D', risk_level: 'medium' },
      { address: 'E', risk_level: 'unknown' },
    ];
    const r = tier3a(rows, alerts, labels, C);
    // positives 0.5, 0.9; negatives 0.5, 0.1: pairs 0.5 + 1 + 1 + 1 = 3.5 of 4
    close(r.tier3_gt_auc, 0.875);
    close(r.tier3_gt_score, 0.875);
    // (0.5)^2 + (0.5)^2 + (0.1)^2 + (0.1)^2 = 0.52 over 4
    close(r.tier3_gt_brier, 0.13);
    close(r.tier3_gt_coverage, 4 / 5);
    // an address labelled twice joins twice
    const twice = tier3a(rows, alerts, [...labels, { address: 'A', risk_level: 'low' }], C);
    expect(twice.labelled).toBe(5);
    close(twice.tier3_gt_coverage, 1);
  });

  it('has no score without labels, and none with one class', () => {
    const rows = sub({ a: 0.5, b: 0.2 });
    expect(tier3a(rows, alerts, [], C)).toMatchObject({ tier3_gt_score: null, tier3_gt_coverage: 0 });
    const one = tier3a(rows, alerts, [{ address: 'A', risk_level: 'high' }], C);
    expect(one.tier3_gt_score).toBeNull();
    close(one.tier3_gt_brier, 0.25);
    close(one.tier3_gt_coverage, 0.5);
    expect(one.notes[0]).toMatch(/only positive labels .* roc_auc_score raises/);
  });
});

describe('Tier 3B', () => {
  it('scores ranges, labels, AUC, Brier, accuracy, coverage and address consistency', () => {
    const rows = sub({ a: 0.8, b: 0.5, c: 0.2, d: 0.6, e: 0.95, f: 0.4 });
    const alerts = new Map([
      ['a', 'X'],
      ['b', 'X'],
      ['c', 'Y'],
      ['d', 'Z'],
      ['e', 'Z'],
      ['f', 'W'],
    ]);
    const evolution = [
      { alert_id: 'a', pattern: 'expanding_illicit' as const },
      { alert_id: 'b', pattern: 'benign_indicators' as const },
      { alert_id: 'c', pattern: 'dormant' as const },
      { alert_id: 'd', pattern: 'ambiguous' as const },
      { alert_id: 'e', pattern: 'ambiguous' as const },
    ];
    const r = tier3b(rows, alerts, evolution, C);
    // validation 1, 0.6 (0.2 above 0.3), 1, 1, 0.5 (0.25 above 0.7); matches 1 0 1 1 0
    // labels 1 0 0 (0.2 < 0.5) 1 1 (0.6, 0.95 >= 0.5): positives .8 .6 .95 all above .5 .2 -> AUC 1
    close(r.tier3_auc_score, 1);
    // 0.2^2 + 0.5^2 + 0.2^2 + 0.4^2 + 0.05^2 = 0.4925 over 5
    close(r.tier3_brier_score, 0.0985);
    close(r.tier3_pattern_accuracy, 0.6);
    close(r.tier3_evolution_score, 0.4 * 1 + 0.3 * (1 - 0.0985) + 0.3 * 0.6);
    close(r.tier3_evolution_coverage, 5 / 6);
    // X: std(1, 0.6) = 0.2 -> -0.10; Y: one alert, std 0 -> 0; Z: std(1, 0.5) = 0.25 -> -0.15
    close(r.tier3b_address_consistency, 1 - 0.25 / 3);
    expect(r.pattern_counts).toEqual({ expanding_illicit: 1, benign_indicators: 1, dormant: 1, ambiguous: 2 });
  });

  it('sets AUC 0.5 with one class, and nulls without evolution rows', () => {
    const rows = sub({ a: 0.6, b: 0.9 });
    const alerts = new Map([
      ['a', 'A'],
      ['b', 'B'],
    ]);
    const ev = [
      { alert_id: 'a', pattern: 'ambiguous' as const },
      { alert_id: 'b', pattern: 'dormant' as const },
    ];
    const r = tier3b(rows, alerts, ev, C);
    close(r.tier3_auc_score, 0.5);
    // labels 1, 1: (0.4^2 + 0.1^2) / 2 = 0.085; matches 1, 0
    close(r.tier3_brier_score, 0.085);
    close(r.tier3_evolution_score, 0.2 + 0.3 * 0.915 + 0.3 * 0.5);
    // one alert per address: std 0 everywhere
    close(r.tier3b_address_consistency, 1);
    expect(tier3b(rows, alerts, [], C)).toMatchObject({
      tier3_evolution_score: null,
      tier3_auc_score: null,
      tier3_evolution_coverage: 0,
    });
    // an alert the data does not have takes no part
    expect(tier3b(rows, new Map(), ev, C).evaluated).toBe(0);
  });

  it('scores a range, including an empty-width one, and steps the penalty', () => {
    expect(rangeScore(0.2, [0.15, 0.25], 2)).toBe(1);
    close(rangeScore(0.05, [0.15, 0.25], 2), 0.8);
    expect(rangeScore(0.9, [0.15, 0.25], 2)).toBe(0);
    expect(rangeScore(0.5, [0.5, 0.5], 2)).toBe(1);
    close(rangeScore(0.6, [0.5, 0.5], 2), 0.8);
    expect(populationStd([1])).toBe(0);
    close(populationStd([1, 0.6]), 0.2);
    expect([0, 0.0999, 0.1, 0.1499, 0.15, 0.2499, 0.25, 1].map((s) => consistencyPenalty(s, C))).toEqual([
      0, 0, -0.05, -0.05, -0.1, -0.1, -0.15, -0.15,
    ]);
  });
});

describe('final score and status words', () => {
  const some = { score: 0.8, coverage: 0.5 };
  const none = { score: null, coverage: 0 };
  const run = (over: Partial<Parameters<typeof finalScore>[0]>, config: ValidatorConfig = C) =>
    finalScore({ tier1Passed: true, tier2: 0.6, tier3a: some, tier3b: some, ageDays: 30, ...over }, config);

  it('is complete with both tiers: 0.1 tier2 + 0.9 (3A x cov x 0.5 + 3B x cov x 0.5)', () => {
    const r = run({ tier3a: { score: 0.7, coverage: 0.2 }, tier3b: { score: 0.9, coverage: 0.8 } });
    close(r.tier3_score, 0.7 * 0.2 * 0.5 + 0.9 * 0.8 * 0.5);
    close(r.final_score, 0.1 * 0.6 + 0.9 * (0.07 + 0.36));
    expect(r.validation_status).toBe('complete');
  });

  it('says which tier is missing', () => {
    expect(run({ tier3b: none }).validation_status).toBe('tier3a_only');
    close(run({ tier3b: none }).final_score, 0.06 + 0.9 * 0.2);
    expect(run({ tier3a: none }).validation_status).toBe('tier3b_only');
    expect(run({ tier3a: none, tier3b: none }).validation_status).toBe('no_tier3');
    close(run({ tier3a: none, tier3b: none }).final_score, 0.06);
    // 29 days: past the flat period, but too young for 3B, which is then ignored
    const young = run({ ageDays: 29 });
    expect(young.validation_status).toBe('tier3a_only');
    expect(young.tier3b_counted).toBe(false);
    expect(run({ ageDays: 29, tier3a: none }).validation_status).toBe('awaiting_evolution_data');
  });

  it('pays the flat reward before 29 days and rejects a failed Tier 1', () => {
    expect(run({ ageDays: 28 })).toMatchObject({
      validation_status: 'flat_period',
      final_score: 0.1,
      tier3_score: null,
    });
    expect(run({ tier1Passed: false })).toMatchObject({
      status: 'rejected',
      reason: 'tier1_failed',
      validation_status: 'rejected',
      final_score: 0,
    });
    expect(run({ tier2: null }).final_score).toBeNull();
  });

  it('follows the configuration', () => {
    const gate = structuredClone(C);
    gate.tier2_behavioral.is_gate = true;
    expect(run({ tier2: 0.4 }, gate)).toMatchObject({ reason: 'tier2_below_minimum', final_score: 0 });
    const off = structuredClone(C);
    off.tier3_accuracy.enabled = false;
    expect(run({}, off).validation_status).toBe('tier3_disabled');
    const noGate = structuredClone(C);
    noGate.tier1_integrity.is_gate = false;
    expect(run({ tier1Passed: false }, noGate).status).toBe('accepted');
  });
});
