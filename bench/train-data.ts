/**
 * The rows bench:train trains on, in Node and in Chromium alike: standard-normal features (as a
 * classifier meets them after standardisation) with a non-linear label, the same for a seed.
 */
import { Random } from '../src/ml/random.ts';

export function syntheticTrainingData(rows: number, features: number): { x: Float32Array; y: Float32Array } {
  const rng = new Random(1);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const x = Float32Array.from({ length: rows * features }, normal);
  const y = Float32Array.from({ length: rows }, (_, r) =>
    x[r * features]! + x[r * features + 1]! * x[r * features + 2]! > 0.5 ? 1 : 0,
  );
  return { x, y };
}
