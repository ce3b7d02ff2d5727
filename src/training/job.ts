/**
 * A fit job: one strategy's fit-and-score step as plain data, so it runs the same inline (Node,
 * tests) or in a training Web Worker (the browser posts the job with its buffers transferred,
 * and posts the result back the same way). Nothing here touches the database.
 */
import type { ArtefactFile } from '../ml/artefacts.ts';
import { getStrategy } from '../strategies/registry.ts';
import type { FeatureImportance, FitHooks, FitInput, TrainingSummary } from '../strategies/strategy.ts';

export interface FitJob {
  strategy: string;
  input: FitInput;
}

export interface FitJobResult {
  strategy: string;
  /** One score per matrix row (train, validation and test alike). */
  scores: Float64Array;
  training: TrainingSummary[];
  notes: string[];
  importance?: FeatureImportance[];
  artefacts: ArtefactFile[];
  seconds: { fit: number; score: number };
}

export async function runFitJob(job: FitJob, hooks: FitHooks = {}): Promise<FitJobResult> {
  const strategy = getStrategy(job.strategy);
  const t0 = performance.now();
  const model = await strategy.fit(job.input, hooks);
  try {
    const t1 = performance.now();
    const scores = model.score(job.input.x, job.input.rows, job.input.side);
    const t2 = performance.now();
    return {
      strategy: job.strategy,
      scores,
      training: model.training,
      notes: model.notes,
      importance: model.importance,
      artefacts: await model.artefacts(),
      seconds: { fit: (t1 - t0) / 1000, score: (t2 - t1) / 1000 },
    };
  } finally {
    model.dispose();
  }
}

/**
 * The buffers a job owns, to list as transferables in postMessage. A job built by
 * `prepareStrategy` owns every array it holds (they are copies), so transferring them leaves the
 * experiment intact.
 */
export function fitJobTransferables(job: FitJob): ArrayBuffer[] {
  const { input } = job;
  const arrays: ArrayBufferView[] = [input.x, input.train, input.validation, input.side.confidence];
  if (input.labels) arrays.push(input.labels.y, input.labels.w, input.labels.origin);
  return unique(arrays);
}

export function fitResultTransferables(result: FitJobResult): ArrayBuffer[] {
  return unique([result.scores, ...result.artefacts.map((a) => a.bytes)]);
}

function unique(arrays: ArrayBufferView[]): ArrayBuffer[] {
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
