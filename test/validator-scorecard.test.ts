import { describe, expect, it } from 'vitest';
import { DEFAULT_VALIDATOR_CONFIG as C } from '../src/validator/config.ts';
import { scorecard, type ScorecardInput } from '../src/validator/scorecard.ts';
import type { SubmissionRow } from '../src/validator/submission.ts';

const close = (actual: number | null | undefined, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThan(1e-6);
};
const rows = (scores: Record<string, number>): SubmissionRow[] =>
  Object.entries(scores).map(([alert_id, score], i) => ({
    row: i + 2,
    alert_id,
    score,
    model_version: 'v1',
    model_github_url: 'https://github.com/x/y',
  }));

const input = (over: Partial<ScorecardInput> = {}): ScorecardInput => ({
  processing_date: '2026-11-03',
  window_days: 7,
  rows: rows({ a: 0.8, b: 0.2, c: 0.5, d: 0.1 }),
  alerts: new Map([
    ['a', 'A'],
    ['b', 'B'],
    ['c', 'C'],
    ['d', 'D'],
  ]),
  addressLabels: [
    { address: 'A', risk_level: 'high' },
    { address: 'B', risk_level: 'low' },
  ],
  evolution: [
    { alert_id: 'a', pattern: 'expanding_illicit' },
    { alert_id: 'b', pattern: 'benign_indicators' },
  ],
  others: [],
  previous: null,
  ageDays: 30,
  ...over,
});

describe('scorecard', () => {
  it('puts every tier under the validator key names', () => {
    const card = scorecard(input(), C);
    // entropy: bins 1 (0.1), 2 (0.2), 5 (0.5), 8 (0.8): one each of 4 -> ln 4 / ln 10 (epsilon below 1e-8)
    close(card.tier2_distribution_entropy, Math.log(4) / Math.log(10));
    close(card.tier2_rank_correlation, 1);
    close(card.tier2_consistency_score, 0.7);
    const t2 = 0.33 * (Math.log(4) / Math.log(10)) + 0.33 + 0.34 * 0.7;
    close(card.tier2_behavior_score, t2);
    // 3A: a (0.8, 1) and b (0.2, 0): AUC 1, Brier (0.04 + 0.04) / 2, coverage 2 / 4
    close(card.tier3_gt_score, 1);
    close(card.tier3_gt_brier, 0.04);
    close(card.tier3_gt_coverage, 0.5);
    // 3B: a in [0.7, 1], b 0.2 in [0, 0.3]: AUC 1, Brier 0.04, accuracy 1 -> 0.4 + 0.3 x 0.96 + 0.3
    close(card.tier3_evolution_score, 0.4 + 0.288 + 0.3);
    close(card.tier3_evolution_coverage, 0.5);
    close(card.tier3_score, 1 * 0.5 * 0.5 + 0.988 * 0.5 * 0.5);
    close(card.final_score, 0.1 * t2 + 0.9 * (0.25 + 0.247));
    expect(card).toMatchObject({
      status: 'accepted',
      validation_status: 'complete',
      tier1_passed: true,
      tier_status: { tier1: 'passed', tier2: 'scored', tier3a: 'scored', tier3b: 'scored' },
      pattern_counts: { expanding_illicit: 1, benign_indicators: 1, dormant: 0, ambiguous: 0 },
      counts: { alerts: 4, scored: 4, labelled: 2, labelled_positive: 1, evolved: 2 },
    });
  });

  it('rejects a failed Tier 1 and runs nothing else', () => {
    const card = scorecard(input({ rows: rows({ a: 1.5, b: 0.2, c: 0.5 }) }), C);
    expect(card).toMatchObject({
      status: 'rejected',
      reason: 'tier1_failed',
      validation_status: 'rejected',
      final_score: 0,
      tier2_behavior_score: null,
      tier_status: { tier1: 'failed', tier2: 'not_run', tier3a: 'not_run', tier3b: 'not_run' },
    });
    expect(card.tier1_failures.map((f) => f.check)).toEqual(['tier1_has_all_alerts', 'tier1_score_range_valid']);
  });

  it('says what is missing: no later snapshot, too recent, flat period', () => {
    const noLater = scorecard(input({ evolution: null }), C);
    expect(noLater.validation_status).toBe('tier3a_only');
    expect(noLater.tier_status.tier3b).toBe('no_evolution_data');
    expect(noLater.notes).toContain('Tier 3B: the snapshot 30 days after 2026-11-03 is not loaded');
    const young = scorecard(input({ ageDays: 29, addressLabels: [] }), C);
    expect(young.validation_status).toBe('awaiting_evolution_data');
    expect(young.tier_status).toMatchObject({ tier3a: 'no_labels', tier3b: 'too_recent' });
    // 3B's figures are still shown, but the final score ignores them
    expect(young.tier3_evolution_score).not.toBeNull();
    close(young.tier3_score, 0);
    const flat = scorecard(input({ ageDays: 0 }), C);
    expect(flat).toMatchObject({ validation_status: 'flat_period', final_score: 0.1 });
  });
});
