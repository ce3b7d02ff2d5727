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
 * It reads the columns from the feature matrix, so they are standardised on the training rows
 * (a NULL is the training mean): one column ranks exactly as its raw values do, and the mean
 * is of z-scores, which weighs each score by its own spread rather than by its raw range. The
 * leakage guard does not tag these columns (they are not the proxy rule's inputs), so the other
 * strategies see them as features too; `leakage.exclude` can take them away, and then this
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
  prepareLabels: async () => undefined,
  async fit(input) {
    const present = SOT_ANOMALY_COLUMNS.filter((c) => input.names.includes(featureName(c)));
    const chosen = sotAnomalyColumns(input.config.sotAnomaly.score, present);
    const index = chosen.map((c) => input.names.indexOf(featureName(c)));
    const columns = input.columns;
    const how = chosen.length === 1 ? chosen[0]! : `the mean of the standardised ${chosen.join(', ')}`;
    return {
      score: (x, rows) => {
        const out = new Float64Array(rows);
        for (let r = 0; r < rows; r++) {
          let sum = 0;
          for (const j of index) sum += x[r * columns + j]!;
          out[r] = sum / index.length;
        }
        return out;
      },
      training: [],
      notes: [`ranks by ${how} (sotAnomaly.score: ${input.config.sotAnomaly.score})`],
      artefacts: async () => [
        {
          name: 'sot-anomaly.json',
          bytes: new TextEncoder().encode(
            JSON.stringify(
              { features: chosen.map(featureName), combine: 'mean of the standardised values (preprocessing.json)' },
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
