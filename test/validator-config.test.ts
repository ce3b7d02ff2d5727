import { describe, expect, it } from 'vitest';
import {
  classifyPattern,
  DEFAULT_VALIDATOR_CONFIG,
  deltaPct,
  expectedRange,
  flatReward,
  loadValidatorConfig,
  patternParams,
  ValidatorConfigError,
  type PatternInputs,
} from '../src/validator/config.ts';

const row = (over: Partial<PatternInputs>): PatternInputs => ({
  degree_delta_pct: 0,
  volume_delta_pct: 0,
  is_mixer_like: false,
  behavioral_anomaly_score: 0,
  velocity_score: 0,
  ...over,
});

describe('validator configuration', () => {
  it('defaults to the shipped weights and thresholds', () => {
    const c = DEFAULT_VALIDATOR_CONFIG;
    expect(c.tier2_behavioral).toMatchObject({
      weight: 0.1,
      entropy_weight: 0.33,
      rank_correlation_weight: 0.33,
      consistency_weight: 0.34,
      entropy_bins: 10,
      default_consistency: 0.7,
    });
    expect(c.tier3_accuracy.weight).toBe(0.9);
    expect(c.tier3_accuracy.tier3a_ground_truth.coverage_weight).toBe(0.5);
    expect(c.tier3_accuracy.tier3b_evolution).toMatchObject({
      coverage_weight: 0.5,
      required_days: 30,
      horizon_days: 30,
    });
    expect(c.reward_schedule.flat_period_days).toBe(29);
    expect(flatReward(c)).toBe(0.1);
    expect(patternParams()).toMatchObject({
      expanding_degree_above: 200,
      expanding_volume_above: 300,
      expanding_anomaly_above: 0.7,
      expanding_velocity_above: 0.8,
      benign_degree_below: 50,
      benign_volume_below: 100,
      benign_anomaly_below: 0.3,
      dormant_degree_below: 20,
      dormant_volume_below: 30,
      dormant_velocity_below: 0.3,
      dormant_min: 0.15,
      dormant_max: 0.25,
    });
  });

  it("loads the validator's own validation_config.json and names a bad field", () => {
    const shipped = JSON.stringify({
      tier1_integrity: { enabled: true, is_gate: true, weight: 0.0 },
      tier2_behavioral: { enabled: true, is_gate: false, weight: 0.2, minimum_score: 0.5, flat_reward: 0.1 },
      tier3_accuracy: {
        enabled: true,
        is_gate: false,
        weight: 0.8,
        tier3a_ground_truth: { weight: 0.1, coverage_weight: 0.5 },
        tier3b_evolution: { weight: 0.8, coverage_weight: 0.5, required_days: 30 },
      },
      reward_schedule: { flat_period_days: 29, flat_reward: 0.1 },
    });
    const c = loadValidatorConfig(shipped, 'validation_config.json');
    expect(c.tier2_behavioral.weight).toBe(0.2);
    expect(c.tier3_accuracy.weight).toBe(0.8);
    expect(c.tier3_accuracy.tier3b_evolution.patterns.dormant.expected_range).toEqual([0.15, 0.25]);
    expect(() => loadValidatorConfig('{"tier2_behavioral": {"weigth": 1}}', 'v.json')).toThrow(
      /tier2_behavioral: unknown field 'weigth'/,
    );
    expect(() => loadValidatorConfig('tier3_accuracy: {tier3b_evolution: {required_days: 1.5}}', 'v.yaml')).toThrow(
      ValidatorConfigError,
    );
    expect(() => loadValidatorConfig('{', 'v.json')).toThrow(
      /v.json: invalid validator configuration:\n {2}- not valid JSON/,
    );
  });
});

describe('classifyPattern', () => {
  it('applies the rules in order, strictly', () => {
    expect(classifyPattern(row({ degree_delta_pct: 201, volume_delta_pct: 301, is_mixer_like: true }))).toBe(
      'expanding_illicit',
    );
    expect(classifyPattern(row({ degree_delta_pct: 201, volume_delta_pct: 301, behavioral_anomaly_score: 0.71 }))).toBe(
      'expanding_illicit',
    );
    expect(classifyPattern(row({ degree_delta_pct: 201, volume_delta_pct: 301, velocity_score: 0.81 }))).toBe(
      'expanding_illicit',
    );
    // 200 is not > 200; growth without a flag is ambiguous.
    expect(classifyPattern(row({ degree_delta_pct: 200, volume_delta_pct: 301, is_mixer_like: true }))).toBe(
      'ambiguous',
    );
    expect(classifyPattern(row({ degree_delta_pct: 201, volume_delta_pct: 301, velocity_score: 0.8 }))).toBe(
      'ambiguous',
    );
    // benign comes before dormant, so a quiet address with low anomaly is benign.
    expect(classifyPattern(row({}))).toBe('benign_indicators');
    expect(classifyPattern(row({ behavioral_anomaly_score: 0.3 }))).toBe('dormant');
    expect(classifyPattern(row({ is_mixer_like: 1 }))).toBe('dormant');
    expect(classifyPattern(row({ is_mixer_like: 1, velocity_score: 0.3 }))).toBe('ambiguous');
    expect(
      classifyPattern(row({ degree_delta_pct: 49.9, volume_delta_pct: 99.9, behavioral_anomaly_score: 0.29 })),
    ).toBe('benign_indicators');
    expect(classifyPattern(row({ degree_delta_pct: 50, behavioral_anomaly_score: 0.5 }))).toBe('ambiguous');
    expect(classifyPattern(row({ degree_delta_pct: 19, volume_delta_pct: 29, behavioral_anomaly_score: 0.5 }))).toBe(
      'dormant',
    );
  });

  it('treats a missing number as failing every comparison and a missing mixer flag as false', () => {
    expect(classifyPattern(row({ behavioral_anomaly_score: null }))).toBe('dormant');
    expect(classifyPattern(row({ behavioral_anomaly_score: NaN, velocity_score: NaN }))).toBe('ambiguous');
    expect(classifyPattern(row({ is_mixer_like: null }))).toBe('benign_indicators');
  });

  it('follows changed thresholds and reports each range', () => {
    const t = structuredClone(DEFAULT_VALIDATOR_CONFIG.tier3_accuracy.tier3b_evolution.patterns);
    t.benign_indicators.behavioral_anomaly_below = 0;
    expect(classifyPattern(row({}), t)).toBe('dormant');
    expect(expectedRange('expanding_illicit')).toEqual([0.7, 1]);
    expect(expectedRange('ambiguous')).toEqual([0.3, 0.7]);
  });

  it('computes growth as the validator does', () => {
    expect(deltaPct(10, 35)).toBeCloseTo(250, 9);
    expect(deltaPct(4, 1)).toBeCloseTo(-75, 9);
    expect(deltaPct(0, 100)).toBe(0);
  });
});
