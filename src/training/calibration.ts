/**
 * Calibrating a finished strategy's scores within a comparison: fit the mapping (src/calibration/)
 * on the validation alerts, apply it to every row, and measure Brier and reliability before and
 * after on the held-out alerts against every label source.
 *
 * What a strategy is calibrated against: the labels it learned from, when it has some (proxy,
 * supervised, self-training); otherwise (the anomaly scorers, the rule) the board's training
 * target: with `target: evolution` the evolution labels every learner trains on, else the proxy
 * rule's labels with explicit labels winning (what the proxy strategy learns), so an isolation
 * forest's score reads as a probability of the same event. The unit is the
 * alert on a date, as on the board: since every mapping is monotone, calibrating each row and
 * taking an alert's highest window equals calibrating the alert's highest score.
 */
import type { Database } from '../db/database.ts';
import { labelledPoints } from '../calibration/mapping.ts';
import { calibrateScores, fitCalibration } from '../calibration/registry.ts';
import { proxyRowLabels, type RowLabels } from '../experiment/row-labels.ts';
import { brierScore, reliabilityBins } from '../metrics/calibration.ts';
import type { EntryCalibration } from '../metrics/leaderboard.ts';
import { derivedSeed } from '../ml/random.ts';
import { reduceToUnits } from './evaluation.ts';
import type { Experiment } from './experiment.ts';

export const BOARD_TARGET = 'the board’s training target, proxy labels with explicit labels winning';
export const EVOLUTION_TARGET = 'the board’s training target, evolution labels known by the test date';

/** The board's training target per experiment: fetched once for all the strategies without labels. */
const boardTargets = new WeakMap<Experiment, Promise<RowLabels>>();

function boardTarget(db: Database, experiment: Experiment): Promise<RowLabels> {
  let labels = boardTargets.get(experiment);
  if (!labels) {
    labels = proxyRowLabels(db, experiment.matrix.rows, experiment.config.labels, true);
    boardTargets.set(experiment, labels);
  }
  return labels;
}

export interface CalibratedRun {
  /** Per matrix row, like the raw scores. */
  calibrated: Float64Array;
  summary: EntryCalibration;
}

/**
 * `own`: the strategy's own labels per matrix row (a copy taken before the fit: a worker may
 * have taken the job's buffers), or undefined for a strategy that learns none.
 */
export async function calibrateRun(
  db: Database,
  experiment: Experiment,
  name: string,
  scores: Float64Array,
  probability: boolean,
  own: Float32Array | undefined,
): Promise<CalibratedRun> {
  const { split, held, config } = experiment;
  const y = own ?? experiment.target?.labels.y ?? (await boardTarget(db, experiment)).y;
  const target = own ? `${name}'s own training labels` : experiment.target ? EVOLUTION_TARGET : BOARD_TARGET;
  const validation = reduceToUnits(split.validation, held.info, scores, y);
  const fit = fitCalibration(
    labelledPoints(validation.scores, validation.labels),
    config.calibration,
    derivedSeed(config.seed, `calibration:${name}`),
    'validation alerts',
  );
  const calibrated = calibrateScores(fit.mapping, scores);
  // Scores left as they are stay what they were: an anomaly score is still no probability.
  const afterIsProbability = probability || fit.mapping.method !== 'none';
  const bySource: EntryCalibration['bySource'] = {};
  for (const source of experiment.sources) {
    const before = reduceToUnits(held.test, held.info, scores, source.y);
    const after = reduceToUnits(held.test, held.info, calibrated, source.y);
    bySource[source.info.name] = {
      brierBefore: probability ? brierScore(before.scores, before.labels) : null,
      brierAfter: afterIsProbability ? brierScore(after.scores, after.labels) : null,
      before: probability ? reliabilityBins(before.scores, before.labels) : [],
      after: afterIsProbability ? reliabilityBins(after.scores, after.labels) : [],
    };
  }
  return {
    calibrated,
    summary: {
      mapping: fit.mapping,
      target,
      note: fit.requested === 'none' ? fit.note : `${fit.note}; labels: ${target}`,
      ...(fit.crossValidated && { crossValidated: fit.crossValidated }),
      bySource,
    },
  };
}
