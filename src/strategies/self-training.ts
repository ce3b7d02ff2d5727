/**
 * self-training: semi-supervised. It starts from the labels it can trust: the explicit labels,
 * and the most confident share of each class of proxy labels (selfTraining.seedShare, by
 * label_confidence). It trains the classifier, pseudo-labels the unlabelled training rows it is
 * sure of (p >= threshold or p <= 1 - threshold, weighted by pseudoWeight), and trains again, for
 * a few rounds or until no row is added. Each round adds at most addShare of the unlabelled rows,
 * split between the classes in the seed's proportion and most confident first: without that
 * balance a model leaning to one class feeds itself only that class and drifts. Validation rows
 * keep their seed labels only, so early stopping is never judged on the model's own guesses.
 *
 * With selfTraining.useAnomalyScores, an isolation forest fitted on the training rows adds its
 * score as one more input, so rows the rule never labels can still be told apart by how unusual
 * they are.
 */
import { IsolationForest } from '../ml/isolation-forest.ts';
import { mlpArtefacts } from '../ml/artefacts.ts';
import type { Mlp } from '../ml/mlp.ts';
import { ORIGIN, proxyRowLabels } from '../experiment/row-labels.ts';
import { countPositives, fitDense, labelledRows, requireLabels } from './classifier.ts';
import type { RowLabels } from '../experiment/row-labels.ts';
import type { TrainingConfig } from '../experiment/config.ts';
import type { FitInput, Strategy, TrainingSummary } from './strategy.ts';
import { StrategyError } from './strategy.ts';

export const selfTrainingStrategy: Strategy = {
  name: 'self-training',
  summary: 'semi-supervised: explicit and confident proxy labels, then rounds of confident pseudo-labels',
  kind: 'semi-supervised',
  scoreKind: 'probability',
  target: () => 'proxy',
  prepareLabels: ({ db, config, rows }) => proxyRowLabels(db, rows, config.labels, true),
  async fit(input, hooks) {
    const labels = input.labels;
    if (!labels) throw new StrategyError('self-training: no labels were prepared');
    const st = input.config.selfTraining;
    const anomaly = st.useAnomalyScores ? anomalyColumn(input) : undefined;
    const fitInput: FitInput = anomaly
      ? {
          ...input,
          x: anomaly.augment(input.x, input.rows),
          columns: input.columns + 1,
          names: [...input.names, 'isolation-forest score'],
        }
      : input;

    const { y, w } = seedLabels(input, labels, st.seedShare);
    const seeded = labelledRows(input.train, y);
    requireLabels('self-training', 'explicit or confident proxy labels', seeded, y, 2);
    const positiveShare = countPositives(seeded, y) / seeded.length;

    const training: TrainingSummary[] = [];
    const notes: string[] = [
      `seed: ${seeded.length} training rows (explicit labels, and the most confident ${Math.round(st.seedShare * 100)}% of each proxy class), ${Math.round(positiveShare * 100)}% positive`,
    ];
    let model: Mlp | undefined;
    try {
      for (let round = 0; round <= st.rounds; round++) {
        const fitted = await fitDense(fitInput, y, w, `self-training round ${round}`, hooks);
        model?.dispose();
        model = fitted.model;
        training.push(fitted.summary);
        if (round === st.rounds) break;
        const added = pseudoLabel(input.train, model.predict(fitInput.x, fitInput.rows), y, w, st, positiveShare);
        notes.push(
          `round ${round + 1}: pseudo-labelled ${added.positives} positive and ${added.negatives} negative training rows`,
        );
        if (added.positives + added.negatives === 0) break;
      }
    } catch (e) {
      model?.dispose();
      throw e;
    }
    const final = model!;
    return {
      score: (x, rows) => final.predictProbability(anomaly ? anomaly.augment(x, rows) : x, rows),
      training,
      notes,
      artefacts: async () => [
        ...(await mlpArtefacts(final, 'self-training')),
        ...(anomaly
          ? [
              {
                name: 'isolation-forest.json',
                bytes: new TextEncoder().encode(JSON.stringify({ ...anomaly.forest.toJSON(), scale: anomaly.scale })),
              },
            ]
          : []),
      ],
      dispose: () => final.dispose(),
    };
  },
};

/**
 * Seed labels on the training and validation rows: explicit labels, plus per class the `share` of
 * proxy labels with the highest label_confidence.
 */
function seedLabels(input: FitInput, labels: RowLabels, share: number): { y: Float32Array; w: Float32Array } {
  const y = new Float32Array(input.rows).fill(NaN);
  const w = new Float32Array(input.rows);
  for (const rows of [input.train, input.validation]) {
    const proxy: [number[], number[]] = [[], []];
    for (const r of rows) {
      const label = labels.y[r];
      if (label !== 0 && label !== 1) continue;
      if (labels.origin[r] === ORIGIN.explicit) {
        y[r] = label;
        w[r] = labels.w[r]!;
      } else if (labels.origin[r] === ORIGIN.proxy) proxy[label].push(r);
    }
    for (const list of proxy) {
      list.sort((a, b) => labels.w[b]! - labels.w[a]! || a - b);
      for (const r of list.slice(0, Math.ceil(list.length * share))) {
        y[r] = labels.y[r]!;
        w[r] = labels.w[r]!;
      }
    }
  }
  return { y, w };
}

/** Add confident pseudo-labels to unlabelled training rows (see the file comment); returns how many per class. */
function pseudoLabel(
  train: Int32Array,
  p: Float32Array,
  y: Float32Array,
  w: Float32Array,
  st: TrainingConfig['selfTraining'],
  positiveShare: number,
): { positives: number; negatives: number } {
  const unlabelled = train.filter((r) => y[r] !== 0 && y[r] !== 1);
  const budget = Math.round(unlabelled.length * st.addShare);
  const positives = unlabelled.filter((r) => p[r]! >= st.threshold).sort((a, b) => p[b]! - p[a]! || a - b);
  const negatives = unlabelled.filter((r) => p[r]! <= 1 - st.threshold).sort((a, b) => p[a]! - p[b]! || a - b);
  const addPositive = positives.slice(0, Math.round(budget * positiveShare));
  const addNegative = negatives.slice(0, Math.round(budget * (1 - positiveShare)));
  for (const r of addPositive) {
    y[r] = 1;
    w[r] = st.pseudoWeight * p[r]!;
  }
  for (const r of addNegative) {
    y[r] = 0;
    w[r] = st.pseudoWeight * (1 - p[r]!);
  }
  return { positives: addPositive.length, negatives: addNegative.length };
}

/** An isolation forest on the training rows, and a function appending its standardised score as a column. */
function anomalyColumn(input: FitInput) {
  const { isolationForest } = input.config;
  const forest = IsolationForest.fit(input.x, input.columns, input.train, isolationForest, input.seed ^ 0x1b873593);
  const all = forest.score(input.x, input.rows);
  let sum = 0;
  let sq = 0;
  for (const r of input.train) sum += all[r]!;
  const mean = sum / input.train.length;
  for (const r of input.train) sq += (all[r]! - mean) ** 2;
  const scale = { mean, std: Math.sqrt(sq / input.train.length) || 1 };
  const augment = (x: Float32Array, rows: number): Float32Array => {
    const columns = input.columns;
    const scores = x === input.x ? all : forest.score(x, rows);
    const out = new Float32Array(rows * (columns + 1));
    for (let r = 0; r < rows; r++) {
      out.set(x.subarray(r * columns, (r + 1) * columns), r * (columns + 1));
      out[r * (columns + 1) + columns] = (scores[r]! - scale.mean) / scale.std;
    }
    return out;
  };
  return { forest, scale, augment };
}
