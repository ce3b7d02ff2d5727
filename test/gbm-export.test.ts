/**
 * gbm on the board and in the exports: trained through compareStrategies on the fixture lab, its
 * entry carries the feature importance, its model files hold the LightGBM text model and the
 * template's JSON beside it (feature names as the file spells them, metrics, training window,
 * positive rate), the run bundle carries both, and LightGBM itself, reading the exported file,
 * scores every matrix row as the run did (when LightGBM can be installed; required in CI).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import { parseTrainingConfig } from '../src/experiment/config.ts';
import { LIGHTGBM_METADATA } from '../src/export/lightgbm-metadata.ts';
import { LIGHTGBM_MODEL } from '../src/ml/gbm/lightgbm-model.ts';
import { modelFiles } from '../src/export/model-files.ts';
import { runBundle } from '../src/export/run-bundle.ts';
import { selectColumns } from '../src/features/matrix.ts';
import { compareStrategies, type CompareResult } from '../src/training/compare.ts';
import { ensureLightgbm, lightgbmPredict } from './gbm-lightgbm-peer.ts';
import { fixtureLab } from './ml-fixtures.ts';

let result: CompareResult;
const config = parseTrainingConfig({ gbm: { maxIter: 40 }, evaluation: { k: [10, 20], capacityPerDay: 20 } });

beforeAll(async () => {
  const rt = await openNodeRuntime();
  const lab = await fixtureLab(rt);
  result = await compareStrategies(lab.db, config, { strategies: ['gbm'] });
}, 300_000);

describe('gbm on the board and in the exports', () => {
  it('stands on the board with its metrics and feature importance by total gain', () => {
    const entry = result.board.entries[0]!;
    expect(entry.error).toBeUndefined();
    expect(entry.metrics.truth!.rocAuc).toBeGreaterThan(0.7);
    const importance = entry.importance!;
    expect(importance.length).toBeGreaterThan(0);
    expect(importance.map((f) => f.gain)).toEqual([...importance.map((f) => f.gain)].sort((a, b) => b - a));
    expect(entry.notes.some((n) => n.startsWith('feature importance (total split gain): '))).toBe(true);
  });

  it('exports model.txt and the template JSON beside it', () => {
    const run = result.runs[0]!;
    const files = modelFiles(run, result.experiment);
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining([LIGHTGBM_MODEL, LIGHTGBM_METADATA]));
    const text = new TextDecoder().decode(files.find((f) => f.name === LIGHTGBM_MODEL)!.bytes);
    const meta = JSON.parse(new TextDecoder().decode(files.find((f) => f.name === LIGHTGBM_METADATA)!.bytes)) as {
      feature_names: string[];
      metrics: { truth: { roc_auc: number; pr_auc: number } };
      training_window: { start: string; end: string };
      positive_rate: number;
    };
    expect(text.startsWith('tree\nversion=v4\nnum_class=1\n')).toBe(true);
    expect(text).toContain(`feature_names=${meta.feature_names.join(' ')}\n`);
    expect(meta.feature_names.length).toBe(run.keep.length);
    expect(meta.metrics.truth.roc_auc).toBe(run.entry.metrics.truth!.rocAuc);
    expect(meta.training_window.start <= meta.training_window.end).toBe(true);
    expect(meta.positive_rate).toBeGreaterThan(0);
    expect(meta.positive_rate).toBeLessThan(1);
    const preprocessing = JSON.parse(
      new TextDecoder().decode(files.find((f) => f.name === 'preprocessing.json')!.bytes),
    );
    expect(preprocessing.space).toBe('raw');
    const bundle = runBundle(result, { backend: 'none', runtime: 'test' });
    expect(bundle.strategies[0]!.lightgbm!.model).toBe(text);
    expect(bundle.strategies[0]!.lightgbm!.metadata.feature_names).toEqual(meta.feature_names);
  });

  const missing = ensureLightgbm();
  if (missing && process.env.CI) throw new Error(`gbm-export: LightGBM is required in CI: ${missing}`);
  it.skipIf(missing !== null)('LightGBM reading the exported file scores every row as the run did', () => {
    const run = result.runs[0]!;
    const { experiment } = result;
    const text = new TextDecoder().decode(run.result!.artefacts.find((f) => f.name === LIGHTGBM_MODEL)!.bytes);
    const x = selectColumns(experiment.raw, experiment.matrix.rows, experiment.matrix.columns, run.keep);
    const theirs = lightgbmPredict(text, x, experiment.matrix.rows, run.keep.length);
    let worst = 0;
    for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(theirs[i]! - run.result!.scores[i]!));
    expect(worst).toBeLessThan(1e-6);
  });
});
