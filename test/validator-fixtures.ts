/**
 * A hand-made snapshot for the validator tests: seven alerts of 2026-01-05 (7-day window), their
 * addresses' features then and 30 days later, and address labels; every tier figure on it is
 * computed by hand in test/validator-data.test.ts. Written with the SOT's own types.
 *
 *   address  base deg/vol  later deg/vol  later mixer/anomaly/velocity  pattern            label
 *   A1       10 / 100      40 / 500       true  / 0.9 / 0.9             expanding_illicit  high
 *   A2       10 / 100      12 / 120       false / 0.1 / 0.1             benign_indicators  low
 *   A3       10 / 100      11 / 110       false / 0.5 / 0.1             dormant            critical
 *   A4       10 / 100      30 / 150       false / 0.5 / 0.5             ambiguous          -
 *   A5        0 /   0      50 /  50       false / 0.2 / 0.5             benign (base 0)    -
 *   A6       10 / 100      (no later row)                                -                  medium
 *
 * Alerts: a1 A1, a2 A2, a3 A3, a4 A4, a5 A5, a6 A5, a7 A6.
 */
import type { Runtime } from '../src/db/runtime.ts';
import type { SourceFile } from '../src/sot/files.ts';
import { memFile, parquetOf } from './fixtures/files.ts';

export const DATE = '2026-01-05';
export const LATER = '2026-02-04';

export const ALERT_ADDRESSES: Record<string, string> = {
  a1: 'A1',
  a2: 'A2',
  a3: 'A3',
  a4: 'A4',
  a5: 'A5',
  a6: 'A5',
  a7: 'A6',
};

/** The submission every hand computation uses. */
export const SCORES: Record<string, number> = { a1: 0.9, a2: 0.1, a3: 0.2, a4: 0.5, a5: 0.42, a6: 0.2, a7: 0.6 };

const alertsSql = () => {
  const values = Object.entries(ALERT_ADDRESSES)
    .map(([id, address]) => `('${id}', '${address}')`)
    .join(', ');
  return `SELECT 7::USMALLINT AS window_days, DATE '${DATE}' AS processing_date, id AS alert_id, address,
      'PEEL_CHAIN' AS typology_type, 'high' AS severity, 0.8::FLOAT AS alert_confidence_score
    FROM (VALUES ${values}) AS v(id, address)`;
};

const featuresSql = () => {
  const rows = [
    // address, date, degree, volume, mixer, anomaly, velocity
    ['A1', DATE, 10, 100, false, 0.2, 0.2],
    ['A2', DATE, 10, 100, false, 0.2, 0.2],
    ['A3', DATE, 10, 100, false, 0.2, 0.2],
    ['A4', DATE, 10, 100, false, 0.2, 0.2],
    ['A5', DATE, 0, 0, false, 0.2, 0.2],
    ['A6', DATE, 10, 100, false, 0.2, 0.2],
    ['A1', LATER, 40, 500, true, 0.9, 0.9],
    ['A2', LATER, 12, 120, false, 0.1, 0.1],
    ['A3', LATER, 11, 110, false, 0.5, 0.1],
    ['A4', LATER, 30, 150, false, 0.5, 0.5],
    ['A5', LATER, 50, 50, false, 0.2, 0.5],
  ] as const;
  const values = rows.map((r) => `('${r[0]}', DATE '${r[1]}', ${r[2]}, ${r[3]}, ${r[4]}, ${r[5]}, ${r[6]})`).join(', ');
  return `SELECT 7::USMALLINT AS window_days, d AS processing_date, a AS address, deg::UINTEGER AS degree_total,
      vol::DECIMAL(18,2) AS total_volume_usd, mixer AS is_mixer_like, anomaly::FLOAT AS behavioral_anomaly_score,
      velocity::FLOAT AS velocity_score
    FROM (VALUES ${values}) AS v(a, d, deg, vol, mixer, anomaly, velocity)`;
};

const labelsSql = () =>
  `SELECT DATE '${DATE}' AS processing_date, 7::USMALLINT AS window_days, 'torus' AS network, a AS address,
      'label' AS label, r AS risk_level
    FROM (VALUES ('A1', 'high'), ('A2', 'low'), ('A3', 'critical'), ('A6', 'medium')) AS v(a, r)`;

/** The snapshot's files, as loose files named after their tables. */
export async function validatorDataFiles(rt: Runtime): Promise<SourceFile[]> {
  return [
    memFile('alerts.parquet', await parquetOf(rt, alertsSql())),
    memFile('features.parquet', await parquetOf(rt, featuresSql())),
    memFile('address_labels.parquet', await parquetOf(rt, labelsSql())),
  ];
}

/** A scores CSV in the submission shape. */
export function scoresCsv(scores: Record<string, number | string>, extra: { date?: string } = {}): string {
  const head = `alert_id,score,model_version,model_github_url${extra.date ? ',processing_date' : ''}`;
  const lines = Object.entries(scores).map(
    ([id, s]) => `${id},${s},v1,https://github.com/miner/model${extra.date ? `,${extra.date}` : ''}`,
  );
  return `${[head, ...lines].join('\n')}\n`;
}

/**
 * The figures of SCORES on this snapshot, computed by hand (test/validator-data.test.ts derives
 * each): 7 alerts, entropy over 10 bins, no other miners (rank correlation 1), no earlier date
 * (consistency 0.7), four labelled addresses, six alerts with evolution.
 */
const entropy = -(3 * (1 / 7) * Math.log(1 / 7) + 2 * (2 / 7) * Math.log(2 / 7)) / Math.log(10);
const tier2 = 0.33 * entropy + 0.33 + 0.34 * 0.7;
const brier = (0.01 + 0.01 + 0.04 + 0.25 + 0.42 * 0.42 + 0.04) / 6;
const evolution = 0.4 + 0.3 * (1 - brier) + 0.3 * (5 / 6);
const tier3 = 0.75 * (4 / 7) * 0.5 + evolution * (6 / 7) * 0.5;
export const HAND = { entropy, tier2, brier, evolution, tier3 };

export const HAND_FIGURES: Record<string, number> = {
  tier2_distribution_entropy: entropy,
  tier2_rank_correlation: 1,
  tier2_consistency_score: 0.7,
  tier2_behavior_score: tier2,
  tier3_gt_auc: 0.75,
  tier3_gt_brier: 0.255,
  tier3_gt_coverage: 4 / 7,
  tier3_gt_score: 0.75,
  tier3_auc_score: 1,
  tier3_brier_score: brier,
  tier3_pattern_accuracy: 5 / 6,
  tier3_evolution_score: evolution,
  tier3_evolution_coverage: 6 / 7,
  tier3_score: tier3,
  final_score: 0.1 * tier2 + 0.9 * tier3,
};
