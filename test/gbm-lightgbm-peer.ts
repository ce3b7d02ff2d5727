/**
 * A real LightGBM for the parity test: the `lightgbm` Python package, pinned in
 * tools/lightgbm/requirements.txt and installed on first use into tools/lightgbm/site (see
 * tools/lightgbm/README.md), outside the app's dependencies, as tools/chdb does for chdb.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LIGHTGBM_DIR = resolve(fileURLToPath(new URL('../tools/lightgbm', import.meta.url)));
const SITE = join(LIGHTGBM_DIR, 'site');
const PYTHON = '/usr/bin/python3';

/** Install tools/lightgbm/site when missing; returns null, or why LightGBM cannot be had. */
export function ensureLightgbm(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  if (!existsSync(join(SITE, 'lightgbm', '__init__.py'))) {
    const r = spawnSync(
      PYTHON,
      ['-m', 'pip', 'install', '--quiet', '--no-deps', '--target', SITE, '-r', join(LIGHTGBM_DIR, 'requirements.txt')],
      { encoding: 'utf8', timeout: 600_000 },
    );
    if (r.status !== 0) return `pip could not install tools/lightgbm: ${(r.stderr || r.error?.message || '').trim()}`;
  }
  const check = spawnSync(PYTHON, ['-c', 'import lightgbm; print(lightgbm.__version__)'], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: SITE },
  });
  if (check.status !== 0) return `lightgbm does not import: ${check.stderr.trim()}`;
  return null;
}

/** P(positive) of `rows` rows of x (row-major float32, NaN = missing) from LightGBM reading `model`. */
export function lightgbmPredict(model: string, x: Float32Array, rows: number, columns: number): Float64Array {
  const dir = mkdtempSync(join(tmpdir(), 'label-lab-lightgbm-'));
  try {
    writeFileSync(join(dir, 'model.txt'), model);
    writeFileSync(join(dir, 'x.f32'), new Uint8Array(x.buffer, x.byteOffset, rows * columns * 4));
    const script = [
      'import sys, numpy as np, lightgbm as lgb',
      'd = sys.argv[1]',
      "b = lgb.Booster(model_file=d + '/model.txt')",
      `x = np.fromfile(d + '/x.f32', dtype=np.float32).reshape(-1, ${columns}).astype(np.float64)`,
      "b.predict(x).astype(np.float64).tofile(d + '/p.f64')",
    ].join('\n');
    execFileSync(PYTHON, ['-c', script, dir], { env: { ...process.env, PYTHONPATH: SITE }, stdio: 'pipe' });
    const buf = readFileSync(join(dir, 'p.f64'));
    return new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
