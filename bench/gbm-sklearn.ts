/**
 * scikit-learn's HistGradientBoostingClassifier as a peer, for bench:gbm and the parity test:
 * the matrix goes to a temporary folder as raw typed arrays, bench/gbm-sklearn.py fits on it with
 * the same settings (early stopping off: both sides grow the same number of trees) and writes
 * its fit times and probabilities back. Debian's python3-sklearn is visible to /usr/bin/python3
 * only, so that interpreter is the one asked.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GbmParams } from '../src/ml/gbm/booster.ts';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./gbm-sklearn.py', import.meta.url));

/** The scikit-learn version, or null with why it is unavailable. */
export function sklearnVersion(): { version: string } | { missing: string } {
  const r = spawnSync(PYTHON, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
  if (r.error) return { missing: `${PYTHON} cannot run (${r.error.message})` };
  if (r.status !== 0)
    return { missing: `scikit-learn is not importable by ${PYTHON} (apt-get install python3-sklearn)` };
  return { version: r.stdout.trim() };
}

export interface SklearnInput {
  x: Float32Array;
  rows: number;
  columns: number;
  y: Float32Array;
  w?: Float32Array;
  train: Int32Array;
  /** Rows to return probabilities for. */
  score: Int32Array;
  params: GbmParams;
  repeats?: number;
}

export interface SklearnResult {
  seconds: number[];
  proba: Float64Array;
  trees: number;
  threads: number | null;
  version: string;
}

export function runSklearnGbm(input: SklearnInput): SklearnResult {
  const dir = mkdtempSync(join(tmpdir(), 'label-lab-gbm-'));
  try {
    const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    writeFileSync(join(dir, 'x.f32'), bytes(input.x.subarray(0, input.rows * input.columns)));
    writeFileSync(join(dir, 'y.f32'), bytes(input.y));
    writeFileSync(join(dir, 'w.f32'), bytes(input.w ?? new Float32Array(input.rows).fill(1)));
    writeFileSync(join(dir, 'train.i32'), bytes(input.train));
    writeFileSync(join(dir, 'score.i32'), bytes(input.score));
    const { params } = input;
    writeFileSync(
      join(dir, 'meta.json'),
      JSON.stringify({ rows: input.rows, columns: input.columns, params, repeats: input.repeats ?? 1 }),
    );
    execFileSync(PYTHON, [SCRIPT, dir], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 1_800_000 });
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as {
      seconds: number[];
      trees: number;
      threads: number | null;
      sklearn: string;
    };
    const buf = readFileSync(join(dir, 'proba.f64'));
    const proba = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    return { seconds: result.seconds, proba, trees: result.trees, threads: result.threads, version: result.sklearn };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
