/**
 * The rows bench:gbm and the scikit-learn parity test boost on: raw features as the SOT's come
 * (unscaled, heavy-tailed amounts, small counts, one-hot categories, some columns missing in a
 * share of rows), a non-linear label with noise, and label-confidence weights, the same for a seed.
 */
import { Random } from '../src/ml/random.ts';

export interface GbmBenchData {
  x: Float32Array;
  rows: number;
  columns: number;
  names: string[];
  y: Float32Array;
  w: Float32Array;
}

export function syntheticGbmData(rows: number, seed = 1): GbmBenchData {
  const rng = new Random(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const names = [
    ...Array.from({ length: 12 }, (_, i) => `signal_${i}`),
    ...Array.from({ length: 6 }, (_, i) => `volume_usd_${i}`),
    ...Array.from({ length: 6 }, (_, i) => `count_${i}`),
    ...Array.from({ length: 8 }, (_, i) => `typology=${i}`),
    ...Array.from({ length: 8 }, (_, i) => `noise_${i}`),
  ];
  const columns = names.length;
  const x = new Float32Array(rows * columns);
  const y = new Float32Array(rows);
  const w = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const b = r * columns;
    for (let j = 0; j < 12; j++) x[b + j] = normal();
    for (let j = 12; j < 18; j++) x[b + j] = Math.exp(2 + 1.5 * normal());
    for (let j = 18; j < 24; j++) x[b + j] = Math.floor(-Math.log(1 - rng.next()) * 3);
    const typology = rng.int(8);
    x[b + 24 + typology] = 1;
    for (let j = 32; j < 40; j++) x[b + j] = normal();
    // Missing values: a feature the label reads, and an amount.
    if (rng.next() < 0.15) x[b + 1] = NaN;
    if (rng.next() < 0.3) x[b + 13] = NaN;
    const s1 = x[b + 1]!;
    const logit =
      1.2 * x[b]! +
      (s1 === s1 ? 0.8 * s1 * x[b + 2]! : 0.9) +
      0.6 * Math.log1p(x[b + 12]!) -
      2.4 +
      (typology === 3 ? 1.2 : 0) +
      0.4 * Math.min(x[b + 18]!, 5) -
      (x[b + 3]! > 1 ? 1 : 0) +
      0.8 * normal();
    y[r] = logit > 0 ? 1 : 0;
    w[r] = 0.5 + 0.5 * rng.next();
  }
  return { x, rows, columns, names, y, w };
}
