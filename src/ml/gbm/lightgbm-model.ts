/**
 * A fitted booster (ml/gbm/) as a LightGBM text model, the file `lightgbm.Booster(model_file=...)`
 * loads and the miner template stores its models as.
 *
 * The mapping is one to one: each internal node's split_feature and threshold (the bin's upper
 * edge, written with every digit a double needs, so LightGBM's `x <= threshold` sends each value
 * where Label Lab's bins did), decision_type with missing_type NaN (bits 2-3 = 2) and default_left
 * (bit 1) for where a missing value goes, children as LightGBM numbers them (leaf k as ~k = -k-1),
 * and leaf values with the learning rate applied. The init score (the training log-odds) is added
 * to every leaf of the first tree, as LightGBM's own boost_from_average does, so the file's raw
 * score is Label Lab's and `objective=binary sigmoid:1` turns it into the same probability. A
 * split that sends every value left (and only missing ones right) has no upper edge: its threshold
 * is the largest double.
 *
 * Feature names go in as LightGBM accepts them (no spaces or JSON punctuation, unique); the JSON
 * written beside the model (model-files.ts) maps them back to Label Lab's names.
 */
import type { GbmModel } from './booster.ts';
import type { Tree } from './tree.ts';

export const LIGHTGBM_MODEL = 'model.txt';

const MISSING_NAN = 2 << 2;
const DEFAULT_LEFT = 1 << 1;

/** Names LightGBM accepts: runs of anything but letters, digits, '_', '.', '-' become '_'; duplicates get a suffix. */
export function lightgbmFeatureNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name, j) => {
    const base = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '') || `feature_${j}`;
    let out = base;
    for (let k = 2; seen.has(out); k++) out = `${base}_${k}`;
    seen.add(out);
    return out;
  });
}

/** Shortest text that reads back as exactly this double (JavaScript's own rule), never Infinity. */
function num(v: number): string {
  if (v === Infinity) return '1.7976931348623157e+308';
  if (v === -Infinity) return '-1.7976931348623157e+308';
  return String(v);
}

function treeText(tree: Tree, index: number, shift: number, learningRate: number): string {
  const internal = tree.feature.length;
  const leaves = tree.leafValue.length;
  const join = (a: ArrayLike<number>, f: (v: number, i: number) => string = (v) => num(v)) =>
    Array.from(a, f).join(' ');
  const lines = [
    `Tree=${index}`,
    `num_leaves=${leaves}`,
    'num_cat=0',
    `split_feature=${join(tree.feature, String)}`,
    `split_gain=${join(tree.gain)}`,
    `threshold=${join(tree.threshold)}`,
    `decision_type=${join(tree.missingLeft, (m) => String(MISSING_NAN | (m ? DEFAULT_LEFT : 0)))}`,
    `left_child=${join(tree.left, String)}`,
    `right_child=${join(tree.right, String)}`,
    `leaf_value=${join(tree.leafValue, (v) => num(v + shift))}`,
    `leaf_weight=${join(tree.leafHessian)}`,
    `leaf_count=${join(tree.leafCount, String)}`,
    `internal_value=${join(new Float64Array(internal))}`,
    `internal_weight=${join(tree.internalHessian)}`,
    `internal_count=${join(tree.internalCount, String)}`,
    'is_linear=0',
    // The first tree also carries the init score, which no learning rate scaled.
    `shrinkage=${index === 0 ? 1 : num(learningRate)}`,
  ];
  return lines.join('\n') + '\n\n';
}

/** The model file's text. `names` are Label Lab's feature names in input order. */
export function lightgbmModelText(model: GbmModel, names: readonly string[], learningRate: number): string {
  const features = lightgbmFeatureNames(names);
  const { bins } = model;
  const infos = features.map((_, j) => {
    const lo = bins.min[j]!;
    const hi = bins.max[j]!;
    return lo === lo ? `[${num(lo)}:${num(hi)}]` : 'none';
  });
  // With no tree at all the model is its init score: one single-leaf tree carries it.
  const trees: Tree[] = model.trees.length > 0 ? model.trees : [singleLeaf()];
  const blocks = trees.map((t, i) => treeText(t, i, i === 0 ? model.init : 0, learningRate));
  const encoder = new TextEncoder();
  const importance = features
    .map((name, j) => ({ name, splits: countSplits(trees, j) }))
    .filter((f) => f.splits > 0)
    .sort((a, b) => b.splits - a.splits);
  return [
    'tree',
    'version=v4',
    'num_class=1',
    'num_tree_per_iteration=1',
    'label_index=0',
    `max_feature_idx=${names.length - 1}`,
    'objective=binary sigmoid:1',
    `feature_names=${features.join(' ')}`,
    `feature_infos=${infos.join(' ')}`,
    `tree_sizes=${blocks.map((b) => encoder.encode(b).length).join(' ')}`,
    '',
    blocks.join(''),
    'end of trees',
    '',
    'feature_importances:',
    ...importance.map((f) => `${f.name}=${f.splits}`),
    '',
    'parameters:',
    '[boosting: gbdt]',
    '[objective: binary]',
    `[learning_rate: ${num(learningRate)}]`,
    `[num_iterations: ${model.trees.length}]`,
    'end of parameters',
    '',
    'pandas_categorical:null',
    '',
  ].join('\n');
}

function countSplits(trees: Tree[], feature: number): number {
  let n = 0;
  for (const t of trees) for (const f of t.feature) if (f === feature) n++;
  return n;
}

function singleLeaf(): Tree {
  const none = () => new Float64Array(0);
  return {
    feature: new Int32Array(0),
    bin: new Int32Array(0),
    threshold: none(),
    missingLeft: new Uint8Array(0),
    left: new Int32Array(0),
    right: new Int32Array(0),
    gain: none(),
    internalCount: none(),
    internalHessian: none(),
    leafValue: new Float64Array(1),
    leafCount: new Float64Array(1),
    leafHessian: new Float64Array(1),
  };
}
