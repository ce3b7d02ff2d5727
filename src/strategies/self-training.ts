/**
 * self-training: semi-supervised. It starts from the labels it can trust: the explicit labels,
 * and the most confident share of each class of proxy labels (selfTraining.seedShare, by
 * label_confidence). It trains the learner (selfTraining.learner: gradient-boosted trees by
 * default, the board's strongest learner of proxy labels, or the dense network), pseudo-labels
 * some unlabelled training rows with its own predictions, and trains again, for a few rounds.
 *
 * Every round both classes get their quota (addShare of the unlabelled rows, split in the seed's
 * proportion), each filled with the rows the model ranks most surely in that class: the highest
 * probabilities become positives, the lowest negatives, never a row on the other side of the
 * seed's positive rate (where the model's average prediction sits). A single global threshold
 * fails here: a model trained on a skewed rule rarely gives a positive a probability past 0.9, so
 * rounds added negatives only and the model drifted to "everything is negative". Validation rows
 * keep their seed labels only, so early stopping is never judged on the model's own guesses.
 * The notes give each round's additions per class and the validation loss, and say why a round
 * added nothing.
 *
 * What the learner reads (selfTraining.view): by default the address's behaviour only, not the
 * alert's own detector output. The proxy label is the rule applied to the alert: which detector
 * fired and how confident it was. The leakage guard hides severity and confidence, but the other
 * columns of the alerts table (typology, pattern, the address type the detector inferred, the
 * amount it flagged, its risk indicators) still let a learner rebuild the rule detector by
 * detector from the features each detector's formula reads, mistakes included; self-training then
 * pseudo-labels with the rule again and cannot move away from it. (On the sample the seed model
 * with those columns ranks the held-out rows by the rule almost perfectly, PR-AUC 0.85 against
 * the proxy labels, and below the rule against the truth.) Without them the model must explain
 * the rule's labels by how the address behaves. The rule's mistakes are mostly about detectors
 * (benign traders set off PING_PONG confidently, half the illicit alerts are only medium), so
 * from the behaviour's side they are label noise that hardly depends on what the model reads,
 * and a classifier trained on labels with such noise still ranks like the clean labels:
 * P(proxy | x) = a + b P(illicit | x) with b > 0. Its most certain rows, pseudo-labelled, then
 * carry the behaviour's view into the next round rather than the rule's. `view: all` keeps the
 * detector columns. window_days stays: it is the span the features are aggregated over, not
 * something a detector said.
 *
 * With selfTraining.useAnomalyScores, an isolation forest fitted on the training rows (the same
 * view) adds its score as one more input, so rows the rule never labels can still be told apart
 * by how unusual they are.
 */
import { applyStandardiser, fitStandardiser } from '../features/standardise.ts';
import { IsolationForest } from '../ml/isolation-forest.ts';
import { mlpArtefacts } from '../ml/artefacts.ts';
import type { GbmModel } from '../ml/gbm/booster.ts';
import type { Mlp } from '../ml/mlp.ts';
import { ORIGIN, proxyRowLabels } from '../experiment/row-labels.ts';
import { countPositives, fitDense, labelledRows, requireLabels } from './classifier.ts';
import { fitGbmRows, gbmFittedModel } from './gbm.ts';
import type { RowLabels } from '../experiment/row-labels.ts';
import type { TrainingConfig } from '../experiment/config.ts';
import type { FitHooks, FitInput, FittedModel, Strategy, TrainingSummary } from './strategy.ts';
import { StrategyError } from './strategy.ts';

export const selfTrainingStrategy: Strategy = {
  name: 'self-training',
  summary: 'semi-supervised: explicit and confident proxy labels, then rounds of pseudo-labels with a quota per class',
  kind: 'semi-supervised',
  scoreKind: 'probability',
  target: () => 'proxy',
  input: (config) => (config.selfTraining.learner === 'gbm' ? 'raw' : 'standardised'),
  prepareLabels: ({ db, config, rows }) => proxyRowLabels(db, rows, config.labels, true),
  async fit(input, hooks) {
    const labels = input.labels;
    if (!labels) throw new StrategyError('self-training: no labels were prepared');
    const st = input.config.selfTraining;
    const hidden = st.view === 'behaviour' ? detectorColumns(input.names) : [];
    // Trees read a column that is missing everywhere as nothing to split; the network reads a
    // standardised 0 (the training mean), and its scores then get the same 0 (see `prepare`).
    const fill = input.input === 'raw' ? NaN : 0;
    const hide = (x: Float32Array, rows: number) =>
      hidden.length > 0 ? maskColumns(x, rows, input.columns, hidden, fill) : x;
    const viewInput: FitInput = hidden.length > 0 ? { ...input, x: hide(input.x, input.rows) } : input;
    const anomaly = st.useAnomalyScores ? anomalyColumn(viewInput) : undefined;
    const fitInput: FitInput = anomaly
      ? {
          ...viewInput,
          x: anomaly.augment(viewInput.x, input.rows),
          columns: input.columns + 1,
          names: [...input.names, 'isolation-forest score'],
        }
      : viewInput;
    const prepare = (x: Float32Array, rows: number) => (anomaly ? anomaly.augment(hide(x, rows), rows) : hide(x, rows));

    const { y, w } = seedLabels(input, labels, st.seedShare);
    const seeded = labelledRows(input.train, y);
    requireLabels('self-training', 'explicit or confident proxy labels', seeded, y, 2);
    const positiveShare = countPositives(seeded, y) / seeded.length;

    const training: TrainingSummary[] = [];
    const notes: string[] = [
      `seed: ${seeded.length} training rows (explicit labels, and the most confident ${Math.round(st.seedShare * 100)}% of each proxy class), ${Math.round(positiveShare * 100)}% positive; learner: ${st.learner}`,
      viewNote(st.view, hidden, input.names),
    ];
    let model: RoundModel | undefined;
    try {
      for (let round = 0; round <= st.rounds; round++) {
        const fitted = await fitRound(st.learner, fitInput, y, w, `self-training round ${round}`, hooks);
        model?.dispose();
        model = fitted;
        training.push(fitted.summary);
        notes.push(`round ${round} model: validation log-loss ${validationLoss(fitted.summary)}`);
        if (round === st.rounds) break;
        const added = pseudoLabel(input.train, model.predict(fitInput.x, fitInput.rows), y, w, st, positiveShare);
        notes.push(
          `round ${round + 1}: pseudo-labelled ${added.positives} positive and ${added.negatives} negative training rows` +
            (added.why ? ` (${added.why})` : ''),
        );
        if (added.positives + added.negatives === 0) break;
      }
    } catch (e) {
      model?.dispose();
      throw e;
    }
    return model!.fitted(training, notes, { prepare, anomaly });
  },
};

type Anomaly = ReturnType<typeof anomalyColumn>;

/** How the last round's model reads a matrix to score: the view's mask, then the anomaly column if any. */
interface Scoring {
  prepare(x: Float32Array, rows: number): Float32Array;
  anomaly: Anomaly | undefined;
}

/** One round's trained learner: its probabilities, and the FittedModel it becomes when it is the last. */
interface RoundModel {
  summary: TrainingSummary;
  predict(x: Float32Array, rows: number): Float64Array;
  fitted(training: TrainingSummary[], notes: string[], scoring: Scoring): FittedModel;
  dispose(): void;
}

async function fitRound(
  learner: TrainingConfig['selfTraining']['learner'],
  input: FitInput,
  y: Float32Array,
  w: Float32Array,
  stage: string,
  hooks: FitHooks,
): Promise<RoundModel> {
  if (learner === 'gbm') {
    const { model, summary } = await fitGbmRows(input, y, w, stage, hooks);
    return gbmRound(model, summary, input);
  }
  const { model, summary } = await fitDense(input, y, w, stage, hooks);
  return denseRound(model, summary);
}

function gbmRound(model: GbmModel, summary: TrainingSummary, input: FitInput): RoundModel {
  return {
    summary,
    predict: (x, rows) => model.predictProbability(x, rows),
    fitted(training, notes, { prepare, anomaly }) {
      // Hidden columns were missing on every training row, so no tree splits on them: the model
      // scores the full matrix as it is, and so does its LightGBM file.
      const base = gbmFittedModel(model, input, training, notes);
      if (!anomaly) return base;
      return {
        ...base,
        score: (x, rows) => model.predictProbability(prepare(x, rows), rows),
        artefacts: async () => [...(await base.artefacts()), anomaly.artefact()],
      };
    },
    dispose: () => {},
  };
}

function denseRound(model: Mlp, summary: TrainingSummary): RoundModel {
  return {
    summary,
    predict: (x, rows) => model.predictProbability(x, rows),
    fitted: (training, notes, { prepare, anomaly }) => ({
      // The network has a weight for every input, hidden ones too: they must read 0 here as well.
      score: (x, rows) => model.predictProbability(prepare(x, rows), rows),
      training,
      notes,
      artefacts: async () => [
        ...(await mlpArtefacts(model, 'self-training')),
        ...(anomaly ? [anomaly.artefact()] : []),
      ],
      dispose: () => model.dispose(),
    }),
    dispose: () => model.dispose(),
  };
}

/**
 * The columns of the alert's own detector output (see the file comment): every column of the
 * alerts table but window_days.
 */
export function detectorColumns(names: readonly string[]): number[] {
  return names.flatMap((name, j) => (name.startsWith('alerts.') && name !== 'alerts.window_days' ? [j] : []));
}

/** A copy of `x` with the `hidden` columns set to `fill`. */
function maskColumns(x: Float32Array, rows: number, columns: number, hidden: number[], fill: number): Float32Array {
  const out = x.slice(0, rows * columns);
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    for (const j of hidden) out[base + j] = fill;
  }
  return out;
}

function viewNote(view: TrainingConfig['selfTraining']['view'], hidden: number[], names: readonly string[]): string {
  if (view === 'all') return "view: all columns, the alert's detector output included (selfTraining.view: all)";
  if (hidden.length === 0) return 'view: behaviour; the matrix has no detector output columns to leave out';
  const columns = [...new Set(hidden.map((j) => names[j]!.replace(/[=[].*$/, '')))];
  return `view: behaviour; the alert's detector output is left out (${hidden.length} columns of ${columns.join(', ')}), so the model explains the rule's labels by the address's behaviour instead of re-learning the rule per detector (selfTraining.view: all keeps them)`;
}

function validationLoss(s: TrainingSummary): string {
  const best = s.history[Math.max(0, s.bestEpoch - 1)];
  return best && best.valLoss === best.valLoss ? best.valLoss.toFixed(4) : 'n/a (no validation rows)';
}

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

/**
 * Add pseudo-labels to unlabelled training rows, a quota per class (see the file comment).
 * Returns how many per class, and why a class got fewer than its quota.
 */
export function pseudoLabel(
  train: Int32Array,
  p: Float64Array,
  y: Float32Array,
  w: Float32Array,
  st: Pick<TrainingConfig['selfTraining'], 'addShare' | 'pseudoWeight'>,
  positiveShare: number,
): { positives: number; negatives: number; why?: string } {
  const unlabelled = train.filter((r) => y[r] !== 0 && y[r] !== 1);
  if (unlabelled.length === 0) return { positives: 0, negatives: 0, why: 'every training row is labelled already' };
  const budget = Math.round(unlabelled.length * st.addShare);
  if (budget === 0)
    return {
      positives: 0,
      negatives: 0,
      why: `addShare ${st.addShare} of the ${unlabelled.length} unlabelled rows rounds to none`,
    };
  // Both classes get at least one row when the budget allows two.
  const quota =
    budget < 2
      ? Math.round(budget * positiveShare)
      : Math.min(budget - 1, Math.max(1, Math.round(budget * positiveShare)));
  const byP = unlabelled.sort((a, b) => p[b]! - p[a]! || a - b);
  const positives: number[] = [];
  for (const r of byP) {
    if (positives.length >= quota || !(p[r]! > positiveShare)) break;
    positives.push(r);
  }
  const negatives: number[] = [];
  for (let i = byP.length - 1; i >= 0 && negatives.length < budget - quota; i--) {
    const r = byP[i]!;
    if (!(p[r]! < positiveShare)) break;
    negatives.push(r);
  }
  for (const r of positives) {
    y[r] = 1;
    w[r] = st.pseudoWeight * p[r]!;
  }
  for (const r of negatives) {
    y[r] = 0;
    w[r] = st.pseudoWeight * (1 - p[r]!);
  }
  const short: string[] = [];
  const side = (n: number, of: number, what: string) =>
    n < of
      ? `${of - n} of the ${what} quota of ${of} unfilled: only ${n} unlabelled rows score ${what === 'positive' ? 'above' : 'below'} the seed's positive rate ${positiveShare.toFixed(3)}`
      : '';
  const a = side(positives.length, quota, 'positive');
  const b = side(negatives.length, budget - quota, 'negative');
  if (a) short.push(a);
  if (b) short.push(b);
  return { positives: positives.length, negatives: negatives.length, why: short.length ? short.join('; ') : undefined };
}

/**
 * An isolation forest on the training rows, and a function appending its standardised score as a
 * column. The forest reads standardised inputs; a raw matrix (a tree learner's) is standardised
 * for it on the same training rows first.
 */
function anomalyColumn(input: FitInput) {
  const { isolationForest } = input.config;
  const standardiser =
    input.input === 'raw'
      ? fitStandardiser(input.x, input.columns, input.train, input.config.features.clip)
      : undefined;
  const forestInput = (x: Float32Array): Float32Array => {
    if (!standardiser) return x;
    const copy = x.slice();
    applyStandardiser(standardiser, copy, input.columns);
    return copy;
  };
  const own = forestInput(input.x);
  const forest = IsolationForest.fit(own, input.columns, input.train, isolationForest, input.seed ^ 0x1b873593);
  const all = forest.score(own, input.rows);
  let sum = 0;
  let sq = 0;
  for (const r of input.train) sum += all[r]!;
  const mean = sum / input.train.length;
  for (const r of input.train) sq += (all[r]! - mean) ** 2;
  const scale = { mean, std: Math.sqrt(sq / input.train.length) || 1 };
  const augment = (x: Float32Array, rows: number): Float32Array => {
    const columns = input.columns;
    const scores = x === input.x ? all : forest.score(forestInput(x), rows);
    const out = new Float32Array(rows * (columns + 1));
    for (let r = 0; r < rows; r++) {
      out.set(x.subarray(r * columns, (r + 1) * columns), r * (columns + 1));
      out[r * (columns + 1) + columns] = (scores[r]! - scale.mean) / scale.std;
    }
    return out;
  };
  const artefact = () => ({
    name: 'isolation-forest.json',
    bytes: new TextEncoder().encode(JSON.stringify({ ...forest.toJSON(), scale })),
  });
  return { forest, scale, augment, artefact };
}
