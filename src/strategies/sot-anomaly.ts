/**
 * sot-anomaly: the SOT's own IsolationForest scores, ranked as they are (no fitting): the
 * baseline every unsupervised strategy on the board is read against. If an isolation forest or
 * an autoencoder of ours does not beat what the SOT already computed, it adds nothing.
 *
 * The scores are the feature table's behavioral_anomaly_score, graph_anomaly_score,
 * neighborhood_anomaly_score and global_anomaly_score (higher = more anomalous), those the export
 * has. `sotAnomaly.score` picks one, or `mean`; the default `auto` is behavioral_anomaly_score
 * when present, since it is the one the network's validator reads (tier 3B classifies an
 * alert's evolution by it: above 0.7 expanding illicit, below 0.3 benign), else the mean of
 * those present.
 *
 * It reads the matrix's raw values, so scores stay in the SOT's own units (standardising would
 * also clip a skewed tail at 10 standard deviations, where the first alerts to review are); a NULL (an alert
 * without a feature row) counts as the column's mean on the training rows, as everywhere else in
 * the matrix, and `mean` averages the scores in their own 0..1 units.
 *
 * One score alone can tie in large groups (the SOT saturates it: on the sample a third of the
 * rows score exactly 1), and a tie larger than a review queue flags nothing at the capacity
 * threshold; so ties are broken by the mean of the other scores present, weighted 1e-12: below
 * the float32 spacing of any score above 2e-5, so it never reorders distinct values.
 *
 * The leakage guard does not tag these columns (they are not the proxy rule's inputs), so the
 * other strategies see them as features too; `leakage.exclude` can take them away, and then this
 * strategy is skipped.
 */
import type { Strategy } from './strategy.ts';
import { StrategySkipped } from './strategy.ts';

export const SOT_ANOMALY_COLUMNS = [
  'behavioral_anomaly_score',
  'graph_anomaly_score',
  'neighborhood_anomaly_score',
  'global_anomaly_score',
] as const;

const featureName = (column: string) => `features.${column}`;

/** Weight of the tie-breaking scores (see above). */
const TIE_WEIGHT = 1e-12;

/** The columns a setting ranks by, among those present; throws StrategySkipped when there are none. */
export function sotAnomalyColumns(setting: string, present: readonly string[]): string[] {
  if (present.length === 0) {
    throw new StrategySkipped(
      `sot-anomaly: the feature matrix has none of the SOT's anomaly scores (${SOT_ANOMALY_COLUMNS.join(', ')}); the export lacks them, or they are constant or excluded by leakage.exclude`,
    );
  }
  if (setting === 'mean') return [...present];
  if (setting === 'auto')
    return present.includes('behavioral_anomaly_score') ? ['behavioral_anomaly_score'] : [...present];
  if (!present.includes(setting)) {
    throw new StrategySkipped(
      `sot-anomaly: sotAnomaly.score asks for ${setting}, which the feature matrix lacks (it has ${present.join(', ')})`,
    );
  }
  return [setting];
}

export const sotAnomalyStrategy: Strategy = {
  name: 'sot-anomaly',
  summary: "the SOT's own IsolationForest anomaly scores as a ranking: the baseline of the unsupervised strategies",
  kind: 'unsupervised',
  scoreKind: 'anomaly',
  target: () => 'none',
  input: () => 'raw',
  prepareLabels: async () => undefined,
  async fit(input) {
    const present = SOT_ANOMALY_COLUMNS.filter((c) => input.names.includes(featureName(c)));
    const chosen = sotAnomalyColumns(input.config.sotAnomaly.score, present);
    const others = chosen.length === 1 ? present.filter((c) => c !== chosen[0]) : [];
    const columns = input.columns;
    const reader = (names: readonly string[]) => {
      const index = names.map((c) => input.names.indexOf(featureName(c)));
      const fill = index.map((j) => {
        let sum = 0;
        let n = 0;
        for (const r of input.train) {
          const v = input.x[r * columns + j]!;
          if (v === v) {
            sum += v;
            n++;
          }
        }
        return n > 0 ? sum / n : 0;
      });
      const mean = (x: Float32Array, r: number) => {
        let sum = 0;
        index.forEach((j, k) => {
          const v = x[r * columns + j]!;
          sum += v === v ? v : fill[k]!;
        });
        return sum / index.length;
      };
      return { mean, fill: Object.fromEntries(names.map((c, k) => [featureName(c), fill[k]!])) };
    };
    const main = reader(chosen);
    const ties = others.length > 0 ? reader(others) : undefined;
    const how = chosen.length === 1 ? chosen[0]! : `the mean of ${chosen.join(', ')}`;
    const tieNote = ties ? `, ties broken by the mean of ${others.join(', ')}` : '';
    return {
      score: (x, rows) => {
        const out = new Float64Array(rows);
        for (let r = 0; r < rows; r++) out[r] = main.mean(x, r) + (ties ? TIE_WEIGHT * ties.mean(x, r) : 0);
        return out;
      },
      training: [],
      notes: [`ranks by ${how}${tieNote} (sotAnomaly.score: ${input.config.sotAnomaly.score})`],
      artefacts: async () => [
        {
          name: 'sot-anomaly.json',
          bytes: new TextEncoder().encode(
            JSON.stringify(
              {
                features: chosen.map(featureName),
                combine: 'mean of the raw values',
                ...(ties && { tieBreak: { features: others.map(featureName), weight: TIE_WEIGHT } }),
                missing: { ...main.fill, ...ties?.fill },
              },
              null,
              2,
            ),
          ),
        },
      ],
      dispose: () => {},
    };
  },
};
