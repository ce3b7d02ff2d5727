/**
 * The validator against loaded data: the snapshot's alerts, address labels and evolution rows read
 * through the views and the evolution-label SQL, and every tier figure on the hand-made snapshot
 * of validator-fixtures.ts, computed by hand below, to 1e-6.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { evolutionLabelsQuery as Q } from '../src/labels/evolution.ts';
import { DEFAULT_VALIDATOR_CONFIG as C } from '../src/validator/config.ts';
import { addressLabels, alertAddresses, evolutionPatterns, latestDate } from '../src/validator/data.ts';
import { readScoresFile, ScoresFileError } from '../src/validator/scores-file.ts';
import { validateScores } from '../src/validator/validate.ts';
import { memFile } from './fixtures/files.ts';
import { freshLab } from './labels-fixtures.ts';
import { DATE, SCORES, scoresCsv, validatorDataFiles } from './validator-fixtures.ts';
import type { Lab } from '../src/sot/lab.ts';

const close = (actual: number | null | undefined, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThan(1e-6);
};

let rt: Runtime;
let lab: Lab;
beforeAll(async () => {
  rt = await openNodeRuntime();
  lab = await freshLab(rt);
  const report = await lab.load(await validatorDataFiles(rt));
  expect(report.problems.filter((p) => p.level === 'error')).toEqual([]);
});
afterAll(async () => {
  await rt.db.close();
});

const key = { processing_date: DATE, window_days: 7 };
const file = async (text: string, name = 'scores.csv') => readScoresFile(rt, memFile(name, text));

describe('what the validator reads', () => {
  it('reads alerts, labels, the latest date and the evolution patterns', async () => {
    expect(Object.fromEntries(await alertAddresses(lab.db, key))).toMatchObject({ a1: 'A1', a6: 'A5', a7: 'A6' });
    const labels = await addressLabels(lab.db, key);
    expect(labels.dated).toBe(true);
    expect(labels.labels).toHaveLength(4);
    expect(await latestDate(lab.db)).toBe('2026-02-04');
    const ev = await evolutionPatterns(lab.db, key, C, Q);
    expect(Object.fromEntries(ev!.map((e) => [e.alert_id, e.pattern]))).toEqual({
      a1: 'expanding_illicit',
      a2: 'benign_indicators',
      a3: 'dormant',
      a4: 'ambiguous',
      a5: 'benign_indicators',
      a6: 'benign_indicators',
    });
    // no snapshot 30 days after the later date
    expect(await evolutionPatterns(lab.db, { processing_date: '2026-02-04', window_days: 7 }, C, Q)).toBeNull();
  });
});

describe('a scores file scored against the data', () => {
  it('reproduces the hand-computed tiers', async () => {
    const { card, chosen, asOf } = await validateScores(lab.db, await file(scoresCsv(SCORES)), [], {
      config: C,
      evolutionQuery: Q,
    });
    expect(chosen.key).toEqual(key);
    expect(asOf).toBe('2026-02-04');
    expect(card.days_since_submission).toBe(30);
    expect(card.tier1_passed).toBe(true);
    // bins: 0.1 -> 1, 0.2 x2 -> 2, 0.42 -> 4, 0.5 and 0.6 -> 5 (numpy's edges), 0.9 -> 9: p = 1,2,1,2,1 / 7
    const H = -(3 * (1 / 7) * Math.log(1 / 7) + 2 * (2 / 7) * Math.log(2 / 7)) / Math.log(10);
    close(card.tier2_distribution_entropy, H);
    close(card.tier2_rank_correlation, 1);
    close(card.tier2_consistency_score, 0.7);
    const t2 = 0.33 * H + 0.33 + 0.34 * 0.7;
    close(card.tier2_behavior_score, t2);
    // 3A: a1 0.9 (1), a2 0.1 (0), a3 0.2 (1), a7 0.6 (0); A4 and A5 have no label.
    // pairs: 0.9 beats 0.1 and 0.6, 0.2 beats 0.1 only -> 3/4
    close(card.tier3_gt_auc, 0.75);
    close(card.tier3_gt_brier, (0.01 + 0.01 + 0.64 + 0.36) / 4);
    close(card.tier3_gt_coverage, 4 / 7);
    // 3B: labels 1 0 0 1 0 0 for scores 0.9 0.1 0.2 0.5 0.42 0.2: AUC 1
    close(card.tier3_auc_score, 1);
    const brier = (0.01 + 0.01 + 0.04 + 0.25 + 0.42 * 0.42 + 0.04) / 6;
    close(card.tier3_brier_score, brier);
    // every score in range but a5 (0.42 in benign's [0, 0.3])
    close(card.tier3_pattern_accuracy, 5 / 6);
    const s3b = 0.4 + 0.3 * (1 - brier) + 0.3 * (5 / 6);
    close(card.tier3_evolution_score, s3b);
    close(card.tier3_evolution_coverage, 6 / 7);
    // A5: validation scores 1 - 2 x 0.12 = 0.76 and 1: std 0.12 -> -0.05; four other addresses 0
    close(card.tier3b_address_consistency, 1 - 0.05 / 5);
    const t3 = 0.75 * (4 / 7) * 0.5 + s3b * (6 / 7) * 0.5;
    close(card.tier3_score, t3);
    close(card.final_score, 0.1 * t2 + 0.9 * t3);
    expect(card.validation_status).toBe('complete');
    expect(card.pattern_counts).toEqual({ expanding_illicit: 1, benign_indicators: 3, dormant: 1, ambiguous: 1 });
  });

  it('takes the consensus median over other miners and this file', async () => {
    const others = await file(
      `miner,alert_id,score\n` +
        Object.keys(SCORES)
          .map((id, i) => `m1,${id},${(7 - i) / 10}\nm2,${id},${(7 - i) / 10}`)
          .join('\n'),
      'others.csv',
    );
    const { card, consensus } = await validateScores(lab.db, await file(scoresCsv(SCORES)), [others], {
      config: C,
      evolutionQuery: Q,
    });
    expect(consensus).toEqual([
      { miner: 'm1', rows: 7 },
      { miner: 'm2', rows: 7 },
    ]);
    // Two miners agreeing (0.7 down to 0.1 for a1..a7) outvote this file: the median of three is their
    // score. File ranks a1..a7: 0.9 7, 0.1 1, 0.2 2.5, 0.5 5, 0.42 4, 0.2 2.5, 0.6 6; median ranks 7..1.
    const rx = [7, 1, 2.5, 5, 4, 2.5, 6];
    const ry = [7, 6, 5, 4, 3, 2, 1];
    const m = 4;
    const sxy = rx.reduce((a, x, i) => a + (x - m) * (ry[i]! - m), 0);
    const sxx = rx.reduce((a, x) => a + (x - m) ** 2, 0);
    const syy = ry.reduce((a, y) => a + (y - m) ** 2, 0);
    close(card.tier2_rank_correlation, (sxy / Math.sqrt(sxx * syy) + 1) / 2);
    expect(card.consensus_submissions).toBe(3);
  });

  it('is flat before 29 days and awaits evolution data when asked as of an earlier day', async () => {
    const s = await file(scoresCsv(SCORES));
    const flat = await validateScores(lab.db, s, [], { config: C, evolutionQuery: Q, asOf: '2026-01-20' });
    expect(flat.card).toMatchObject({ validation_status: 'flat_period', final_score: 0.1, days_since_submission: 15 });
    const at29 = await validateScores(lab.db, s, [], { config: C, evolutionQuery: Q, asOf: '2026-02-03' });
    expect(at29.card.validation_status).toBe('tier3a_only');
    expect(at29.card.tier_status.tier3b).toBe('too_recent');
  });

  it('fails Tier 1 with every reason for a bad file', async () => {
    const bad = await file(
      'alert_id,score,model_version,model_github_url\na1,1.5,v1,u\na2,abc,v1,u\na3,0.2,v1,u\na3,0.3,v1,u\nzz,0.1,v1,u\na4,0.4,,u\n',
    );
    const { card } = await validateScores(lab.db, bad, [], { config: C, evolutionQuery: Q, date: DATE, window: 7 });
    expect(card.status).toBe('rejected');
    expect(card.final_score).toBe(0);
    const by = Object.fromEntries(card.tier1_failures.map((f) => [f.check, f]));
    expect(by.tier1_has_all_alerts!.first.map((x) => x.alert_id)).toEqual(['a5', 'a6', 'a7']);
    expect(by.tier1_alerts_known!.first).toEqual([{ row: 5, alert_id: 'zz' }]);
    expect(by.tier1_score_range_valid!.first).toEqual([
      { row: 1, alert_id: 'a1', value: '1.5' },
      { row: 2, alert_id: 'a2', value: 'NaN' },
    ]);
    expect(by.tier1_no_duplicates!.first).toEqual([{ row: 4, alert_id: 'a3' }]);
    expect(by.tier1_metadata_valid!.first).toEqual([{ row: 6, alert_id: 'a4', value: 'model_version empty' }]);
  });

  it('refuses a file it cannot use, naming file and column', async () => {
    await expect(file('alert_id,value\na1,0.5\n')).rejects.toThrow(/scores.csv: missing column score/);
    await expect(file('alert_id,score,processing_date\na1,0.5,yesterday\n')).rejects.toThrow(
      /column processing_date has 1 values that are not dates .*first at row 1/,
    );
    const elsewhere = await file(scoresCsv({ x1: 0.5 }));
    await expect(
      validateScores(lab.db, elsewhere, [], { config: C, evolutionQuery: Q, date: '2027-01-01' }),
    ).rejects.toThrow(ScoresFileError);
  });
});
