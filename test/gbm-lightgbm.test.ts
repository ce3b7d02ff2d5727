/**
 * The exported LightGBM text model, read by LightGBM itself (`lightgbm.Booster(model_file=...)`),
 * predicts what Label Lab's booster predicts, within 1e-6, on 1,000 rows with missing values
 * (also in a feature that had none in training) and values beyond the training range. Outside CI
 * it is skipped, saying why, when LightGBM cannot be installed; with CI set it is required.
 */
import { describe, expect, it } from 'vitest';
import { syntheticGbmData } from '../bench/gbm-data.ts';
import { lightgbmModelText } from '../src/ml/gbm/lightgbm-model.ts';
import { DEFAULT_GBM, fitGbm, type GbmParams } from '../src/ml/gbm/booster.ts';
import { ensureLightgbm, lightgbmPredict } from './gbm-lightgbm-peer.ts';

const missing = ensureLightgbm();
if (missing) {
  if (process.env.CI) throw new Error(`gbm-lightgbm: LightGBM is required in CI: ${missing}`);
  console.warn(`gbm-lightgbm: skipped: ${missing}`);
}

function fitted(params: Partial<GbmParams>, y?: (r: number) => number) {
  const data = syntheticGbmData(6_000, 11);
  if (y) data.y.forEach((_, r) => (data.y[r] = y(r)));
  const train = Int32Array.from({ length: 5_000 }, (_, i) => i);
  const validation = Int32Array.from({ length: 1_000 }, (_, i) => 5_000 + i);
  // The scored rows: the held-out 1,000 with missing values where training had none (column 0)
  // and amounts far above anything seen.
  const scored = data.x.slice(5_000 * data.columns);
  for (let r = 0; r < 1_000; r++) {
    if (r % 9 === 0) scored[r * data.columns] = NaN;
    if (r % 13 === 0) scored[r * data.columns + 12] = 1e12;
  }
  return fitGbm(
    { x: data.x, columns: data.columns, train, validation, y: data.y, w: data.w },
    { ...DEFAULT_GBM, ...params },
    1,
  ).then((fit) => ({ ...fit, data, scored }));
}

describe.skipIf(missing !== null)('the LightGBM text model', () => {
  it('LightGBM reads it and predicts Label Lab probabilities within 1e-6 on 1,000 rows with NaNs', async () => {
    const { model, data, scored } = await fitted({ maxIter: 60, learningRate: 0.15 });
    expect(model.trees.length).toBeGreaterThan(10);
    let nan = 0;
    for (const v of scored) if (v !== v) nan++;
    expect(nan).toBeGreaterThan(200);
    const ours = model.predictProbability(scored, 1_000);
    const theirs = lightgbmPredict(lightgbmModelText(model, data.names, 0.15), scored, 1_000, data.columns);
    expect(theirs.length).toBe(1_000);
    let worst = 0;
    for (let i = 0; i < 1_000; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
    console.log(`gbm-lightgbm: ${model.trees.length} trees, largest difference ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-6);
  }, 120_000);

  it('a model with no split (labels independent of every feature) still carries its init score', async () => {
    const { model, data, scored } = await fitted({ maxIter: 5, minSamplesLeaf: 4_000 }, (r) => (r % 4 === 0 ? 1 : 0));
    expect(model.trees.length).toBe(0);
    const theirs = lightgbmPredict(lightgbmModelText(model, data.names, 0.1), scored, 1_000, data.columns);
    const ours = model.predictProbability(scored, 1_000);
    // The init score alone: the weighted share of positives, near a quarter.
    expect(ours[0]!).toBeGreaterThan(0.2);
    expect(ours[0]!).toBeLessThan(0.3);
    for (let i = 0; i < 1_000; i++) expect(Math.abs(ours[i]! - theirs[i]!)).toBeLessThan(1e-6);
  }, 120_000);
});
