/**
 * Background retraining for the Review view: one retrainQueue at a time on a connection of its
 * own, so its temporary rows table never meets a notebook's and the page keeps answering while
 * DuckDB works in its worker. A new retrain cancels the one before it; a cancelled or replaced
 * run never delivers its queue.
 */
import { retrainQueue, type RetrainPhase, type RetrainResult } from '../active/retrain.ts';
import type { QueryStrategy } from '../active/queue.ts';
import type { Database } from '../db/database.ts';
import { DEFAULT_TRAINING_CONFIG } from '../experiment/config.ts';

export type RetrainState =
  | { kind: 'idle' }
  | { kind: 'running'; phase: RetrainPhase | 'starting'; startedAt: number }
  | { kind: 'done'; result: RetrainResult; ms: number }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };

export interface RetrainRequest {
  strategy: QueryStrategy;
  batch: number;
}

export class Retrainer {
  private connection: Promise<Database> | null = null;
  private controller: AbortController | null = null;
  private round = 0;

  constructor(
    private readonly db: Database,
    private readonly onState: (state: RetrainState) => void,
  ) {}

  get running(): boolean {
    return this.controller !== null;
  }

  /** Retrain and rank a new queue; resolves with it, or null when cancelled or replaced. */
  async start(request: RetrainRequest): Promise<RetrainResult | null> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const startedAt = performance.now();
    this.onState({ kind: 'running', phase: 'starting', startedAt });
    try {
      const db = await (this.connection ??= this.db.connect());
      const result = await retrainQueue(db, {
        config: DEFAULT_TRAINING_CONFIG,
        strategy: request.strategy,
        batch: request.batch,
        // A fresh draw each time, so a random queue is not the same batch again.
        round: ++this.round,
        signal: controller.signal,
        onPhase: (phase) => {
          if (!controller.signal.aborted) this.onState({ kind: 'running', phase, startedAt });
        },
      });
      if (controller.signal.aborted) return null;
      this.onState({ kind: 'done', result, ms: performance.now() - startedAt });
      return result;
    } catch (err) {
      if (controller.signal.aborted) return null;
      this.onState({ kind: 'failed', message: (err as Error).message });
      return null;
    } finally {
      if (this.controller === controller) this.controller = null;
    }
  }

  /** Stop the running retrain: its queue is dropped, the current one stays. */
  cancel(): void {
    if (!this.controller) return;
    this.controller.abort();
    this.controller = null;
    this.onState({ kind: 'cancelled' });
  }
}
