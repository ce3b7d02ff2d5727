/**
 * After a batch of labels: retrain on the labels people gave (and optionally the proxy rule's)
 * and return the refreshed labelling queue. The UI calls it in the background (a worker with
 * its own connection) after each batch and swaps the queue in when it resolves; `saveLabel`
 * stores each label the moment it is given, so a retrain always sees every label so far.
 *
 * Alerts already labelled by a person (any source but the rule) are never queued; the rule
 * labels every alert, so counting its labels would leave nothing to ask about.
 */
import { rows as tableRows, type Database } from '../db/database.ts';
import { guardFeatures } from '../features/leakage.ts';
import { buildFeatureMatrix, selectColumns } from '../features/matrix.ts';
import { ROWS_TABLE } from '../features/rows.ts';
import { applyStandardiser, fitStandardiser } from '../features/standardise.ts';
import { appendLabelEvents, newBatchId, type AppendResult } from '../ingest/index.ts';
import { logisticLearner, type Learner } from '../ml/learner.ts';
import { derivedSeed } from '../ml/random.ts';
import type { LabelSource } from '../migrations/index.ts';
import type { TrainingConfig } from '../experiment/config.ts';
import { explicitRowLabels, proxyRowLabels } from '../experiment/row-labels.ts';
import { nextBatch, type QueryStrategy } from './queue.ts';

export interface RetrainOptions {
  config: TrainingConfig;
  strategy: QueryStrategy;
  batch: number;
  /** explicit: labels people gave (default); effective: the proxy rule with those labels winning. */
  train?: 'explicit' | 'effective';
  learner?: Learner;
  /** Seeds the query (random draws, ties); vary it per round for a fresh random batch. */
  round?: number;
  signal?: AbortSignal;
  /** Told as each step starts, so a page can say what the retrain is doing. */
  onPhase?: (phase: RetrainPhase) => void;
}

/** The steps of a retrain, in order: the feature matrix, the labels, the fit, the new queue. */
export const RETRAIN_PHASES = ['features', 'labels', 'fit', 'rank'] as const;
export type RetrainPhase = (typeof RETRAIN_PHASES)[number];

export interface QueueEntry {
  rank: number;
  alertId: string;
  processingDate: string;
  windowDays: number;
  address: string;
  typology: string | null;
  severity: string | null;
  /** The model's P(illicit) for the alert (its most suspicious row); null when no model could be trained. */
  p: number | null;
  priority: number;
}

export interface RetrainResult {
  queue: QueueEntry[];
  /** What the model learnt from: labelled rows (alert windows; positives and negatives count rows) and the alerts they belong to. */
  trainedOn: { rows: number; alerts: number; positives: number; negatives: number; learner: string } | null;
  /** The strategy that chose the queue: random until both classes are labelled. */
  strategy: QueryStrategy;
  notes: string[];
}

export async function retrainQueue(db: Database, opts: RetrainOptions): Promise<RetrainResult> {
  const { config } = opts;
  const abort = () => {
    if (opts.signal?.aborted) throw new DOMException('retraining was cancelled', 'AbortError');
  };
  // Between the JavaScript steps the page gets its thread back and a cancel is noticed: on the
  // sample (16,000 rows) each step takes tens of ms, and run back to back they held a page's
  // main thread for 130-170 ms (measured with a 'longtask' observer in Chromium).
  const breathe = async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    abort();
  };
  opts.onPhase?.('features');
  const matrix = await buildFeatureMatrix(db, { maxCategories: config.features.maxCategories });
  abort();
  opts.onPhase?.('labels');
  const explicit = await explicitRowLabels(db, matrix.rows);
  const training = opts.train === 'effective' ? await proxyRowLabels(db, matrix.rows, config.labels, true) : explicit;
  const guarded = guardFeatures(matrix.features, opts.train === 'effective' ? 'proxy' : 'alert-labels', config.leakage);
  const x = selectColumns(matrix.x, matrix.rows, matrix.columns, guarded.keep);
  const columns = guarded.keep.length;
  const all = Int32Array.from({ length: matrix.rows }, (_, i) => i);
  await breathe();
  // Feature statistics over every alert: the queue ranks all of them, and no label is involved.
  const standardiser = fitStandardiser(x, columns, all, config.features.clip);
  await breathe();
  applyStandardiser(standardiser, x, columns);
  await breathe();

  const labelled = new Uint8Array(matrix.rowInfo.group.reduce((m, g) => Math.max(m, g + 1), 0));
  for (let r = 0; r < matrix.rows; r++)
    if (explicit.y[r] === 0 || explicit.y[r] === 1) labelled[matrix.rowInfo.group[r]!] = 1;
  const trainRows = all.filter((r) => training.y[r] === 0 || training.y[r] === 1);

  const notes: string[] = [];
  let strategy = opts.strategy;
  let p: Float64Array = new Float64Array(matrix.rows).fill(0.5);
  let trainedOn: RetrainResult['trainedOn'] = null;
  abort();
  if (training.positives > 0 && training.negatives > 0) {
    opts.onPhase?.('fit');
    const learner = opts.learner ?? logisticLearner();
    const model = await learner.fit(x, columns, trainRows, training.y, derivedSeed(config.seed, 'active-retrain'));
    try {
      await breathe();
      p = model.predict(x, matrix.rows);
    } finally {
      model.dispose();
    }
    const alerts = new Set(Array.from(trainRows, (r) => matrix.rowInfo.group[r]!)).size;
    trainedOn = {
      rows: trainRows.length,
      alerts,
      positives: training.positives,
      negatives: training.negatives,
      learner: learner.name,
    };
  } else {
    notes.push(
      `the labels hold ${training.positives} illicit and ${training.negatives} licit rows: no classifier until both classes are labelled, so the queue is random`,
    );
    strategy = 'random';
  }
  await breathe();
  opts.onPhase?.('rank');
  const picks = nextBatch(
    { p, group: matrix.rowInfo.group, rows: all, labelled, x, columns },
    {
      strategy,
      batch: opts.batch,
      seed: derivedSeed(config.seed, `active-queue-${opts.round ?? 0}`),
      positiveShare: trainedOn ? trainedOn.positives / trainedOn.rows : undefined,
    },
  );
  return { queue: await describe(db, picks, trainedOn !== null), trainedOn, strategy, notes };
}

/** The queue's rows as alerts, read back from the rows table by row number (bound values). */
async function describe(
  db: Database,
  picks: { row: number; p: number; priority: number }[],
  trained: boolean,
): Promise<QueueEntry[]> {
  if (picks.length === 0) return [];
  const meta = tableRows<{
    row_idx: number;
    alert_id: string;
    processing_date: string;
    window_days: number;
    address: string;
    typology: string | null;
    severity: string | null;
  }>(
    await db.query(
      `SELECT r.row_idx, r.alert_id, strftime(r.processing_date, '%Y-%m-%d') AS processing_date, CAST(r.window_days AS INTEGER) AS window_days, r.address,
  a.typology_type AS typology, a.severity
FROM ${ROWS_TABLE} AS r JOIN alerts AS a ON a.alert_id = r.alert_id AND a.window_days = r.window_days AND a.processing_date = r.processing_date
WHERE r.row_idx IN (${picks.map(() => '?').join(', ')})`,
      picks.map((p) => p.row),
    ),
  );
  const byRow = new Map(meta.map((m) => [Number(m.row_idx), m]));
  return picks.map((pick, i) => {
    const m = byRow.get(pick.row)!;
    return {
      rank: i + 1,
      alertId: m.alert_id,
      processingDate: m.processing_date,
      windowDays: Number(m.window_days),
      address: m.address,
      typology: m.typology,
      severity: m.severity,
      p: trained ? pick.p : null,
      priority: pick.priority,
    };
  });
}

export interface QueueLabel {
  alertId: string;
  label: 0 | 1;
  labeledBy: string;
  /** miner by default: a label given while working the queue. */
  source?: LabelSource;
  note?: string | null;
  confidence?: number | null;
}

/** Save one label from the queue at once, as its own label event (labeled_at = now). */
export function saveLabel(db: Database, label: QueueLabel): Promise<AppendResult> {
  return appendLabelEvents(
    db,
    [
      {
        alertId: label.alertId,
        label: label.label,
        source: label.source ?? 'miner',
        labeledBy: label.labeledBy,
        note: label.note ?? null,
        confidence: label.confidence ?? null,
      },
    ],
    newBatchId('label', label.alertId),
  );
}
