/**
 * The run bundle: one JSON document with everything needed to repeat a comparison and check the
 * result: the resolved configuration (with its seeds), the data files by path and sha256, the
 * backend, the features and what was left out, the split, and per strategy its leakage report,
 * training history and metrics. Re-running the same command on files with the same hashes
 * gives the same numbers (same seeds, same backend).
 */
import { standardiserJSON } from '../features/standardise.ts';
import type { EntryCalibration, Leaderboard } from '../metrics/leaderboard.ts';
import { derivedSeed } from '../ml/random.ts';
import type { CompareResult } from '../training/compare.ts';
import type { TrainingConfig } from '../experiment/config.ts';
import type { LoadedFile } from '../training/experiment.ts';
import { lightgbmMetadata } from './lightgbm-metadata.ts';
import { LIGHTGBM_MODEL } from '../ml/gbm/lightgbm-model.ts';

export const RUN_BUNDLE_FORMAT = 'label-lab-run/1';

export interface RunBundle {
  format: typeof RUN_BUNDLE_FORMAT;
  createdAt: string;
  /** How to repeat the run, e.g. the CLI command line. */
  repeat?: string;
  environment: { backend: string; runtime: string };
  config: TrainingConfig;
  seeds: { run: number; split: number; strategies: Record<string, number> };
  data: LoadedFile[];
  features: {
    count: number;
    names: string[];
    skipped: { column: string; reason: string }[];
    standardiser: ReturnType<typeof standardiserJSON>;
  };
  split: {
    method: string;
    description: string;
    rows: { train: number; validation: number; test: number };
    trainDays: number[];
    testDays: number[];
  };
  leaderboard: Leaderboard;
  strategies: {
    name: string;
    modelVersion: string;
    features: string[];
    leakage?: unknown;
    training: unknown[];
    notes: string[];
    error?: string;
    cancelled?: string;
    skipped?: string;
    /** How the exported probability follows from the score (the bins per source are on the board). */
    calibration?: Pick<EntryCalibration, 'mapping' | 'target' | 'note' | 'crossValidated'>;
    seconds: { fit: number; score: number };
    /** Tree models: the LightGBM text model and the template's JSON beside it (the model's files). */
    lightgbm?: { model: string; metadata: Record<string, unknown> };
  }[];
}

export function runBundle(
  result: CompareResult,
  meta: { backend: string; runtime: string; repeat?: string; createdAt?: Date },
): RunBundle {
  const { experiment, board, runs } = result;
  const { config, matrix, split } = experiment;
  const names = matrix.features.map((f) => f.name);
  return {
    format: RUN_BUNDLE_FORMAT,
    createdAt: (meta.createdAt ?? new Date()).toISOString(),
    repeat: meta.repeat,
    environment: { backend: meta.backend, runtime: meta.runtime },
    config,
    seeds: {
      run: config.seed,
      split: derivedSeed(config.seed, 'split'),
      strategies: Object.fromEntries(runs.map((r) => [r.name, derivedSeed(config.seed, r.name)])),
    },
    data: experiment.files,
    features: {
      count: matrix.columns,
      names,
      skipped: matrix.skipped,
      standardiser: standardiserJSON(experiment.standardiser, names),
    },
    split: {
      method: split.method,
      description: split.description,
      rows: { train: split.train.length, validation: split.validation.length, test: split.test.length },
      trainDays: split.trainDays,
      testDays: split.testDays,
    },
    leaderboard: board,
    strategies: runs.map((r) => ({
      name: r.name,
      modelVersion: r.entry.modelVersion,
      features: r.keep.map((j) => names[j]!),
      leakage: r.leakage,
      training: r.result?.training ?? [],
      notes: r.entry.notes,
      error: r.entry.error,
      cancelled: r.entry.cancelled,
      skipped: r.entry.skipped,
      calibration: r.entry.calibration && {
        mapping: r.entry.calibration.mapping,
        target: r.entry.calibration.target,
        note: r.entry.calibration.note,
        crossValidated: r.entry.calibration.crossValidated,
      },
      seconds: r.entry.seconds,
      ...lightgbmOf(r, result),
    })),
  };
}

/** JSON text of a bundle; NaN and infinities (undefined metrics, thresholds) become null. */
export function bundleJSON(bundle: RunBundle): string {
  return (
    JSON.stringify(bundle, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2) +
    '\n'
  );
}

function lightgbmOf(
  run: CompareResult['runs'][number],
  result: CompareResult,
): Pick<RunBundle['strategies'][number], 'lightgbm'> {
  const metadata = lightgbmMetadata(run, result.experiment);
  const file = run.result?.artefacts.find((a) => a.name === LIGHTGBM_MODEL);
  return metadata && file ? { lightgbm: { model: new TextDecoder().decode(file.bytes), metadata } } : {};
}
