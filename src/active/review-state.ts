/**
 * Where a person stands in the labelling queue: the batch of alerts the model picked, which of
 * them are labelled or skipped, the one being looked at, what undo takes back, and the running
 * count of this session. Plain state with no database and no DOM, so the Review view stays a
 * thin layer and every rule here is tested in Node.
 *
 * Labels are saved as they are given, but the cursor moves on at once: `label` records the
 * action and returns it, the caller saves it and reports the event id with `saved` (or
 * `failed`). Undo takes back the last action of the session, across batches: a label by a
 * retraction of its event (the caller appends it), a skip by forgetting it.
 *
 * A refreshed queue (after retraining) replaces the batch. Alerts labelled or skipped in this
 * session are left out of it: a retrain that started before the last labels were saved may
 * still list them, and a skipped alert would come straight back otherwise.
 */
import type { QueueEntry } from './retrain.ts';

export type ItemState = { kind: 'open' } | { kind: 'labelled'; label: 0 | 1 } | { kind: 'skipped' };

export interface ReviewItem {
  entry: QueueEntry;
  state: ItemState;
}

export type ReviewAction =
  | { kind: 'label'; alertId: string; label: 0 | 1; address: string; eventId: number | null; previous: ItemState }
  | { kind: 'skip'; alertId: string; previous: ItemState };

export interface ReviewTally {
  /** Alerts carrying a label given in this session (an undone one no longer counts). */
  labelled: number;
  positives: number;
  negatives: number;
  skipped: number;
  /** Alerts of the batch neither labelled nor skipped. */
  left: number;
}

export class ReviewState {
  private batch: ReviewItem[] = [];
  private cursor = 0;
  /** Every action of the session, oldest first: what undo takes back. */
  private readonly actions: ReviewAction[] = [];

  /** The alerts of the current batch, in queue order. */
  get items(): readonly ReviewItem[] {
    return this.batch;
  }

  get index(): number {
    return this.cursor;
  }

  current(): ReviewItem | null {
    return this.batch[this.cursor] ?? null;
  }

  /**
   * Replace the batch with a refreshed queue, keeping out the alerts this session has labelled
   * or skipped, and at most `size` alerts. Returns how many queued alerts were left out.
   */
  replaceQueue(entries: readonly QueueEntry[], size: number): number {
    const done = this.touched();
    const kept = entries.filter((e) => !done.has(e.alertId));
    this.batch = kept.slice(0, Math.max(0, size)).map((entry) => ({ entry, state: { kind: 'open' } }));
    this.cursor = 0;
    return entries.length - kept.length;
  }

  /** Move by `delta` within the batch (arrow keys); false at either end. */
  move(delta: number): boolean {
    const next = this.cursor + delta;
    if (next < 0 || next >= this.batch.length) return false;
    this.cursor = next;
    return true;
  }

  goTo(index: number): boolean {
    if (index < 0 || index >= this.batch.length) return false;
    this.cursor = index;
    return true;
  }

  /**
   * Label the current alert and move to the next open one. Null when there is no alert, or when
   * it already carries this label from this session (pressing the same key twice adds nothing).
   */
  label(label: 0 | 1): Extract<ReviewAction, { kind: 'label' }> | null {
    const item = this.current();
    if (!item) return null;
    if (item.state.kind === 'labelled' && item.state.label === label) {
      this.advance();
      return null;
    }
    const action = {
      kind: 'label' as const,
      alertId: item.entry.alertId,
      address: item.entry.address,
      label,
      eventId: null,
      previous: item.state,
    };
    item.state = { kind: 'labelled', label };
    this.actions.push(action);
    this.advance();
    return action;
  }

  /** The label's event was appended: undo will take back that event. */
  saved(action: Extract<ReviewAction, { kind: 'label' }>, eventId: number): void {
    action.eventId = eventId;
  }

  /** Saving the label failed: forget it, and give the alert back the state it had. */
  failed(action: ReviewAction): void {
    const at = this.actions.lastIndexOf(action);
    if (at >= 0) this.actions.splice(at, 1);
    const item = this.find(action.alertId);
    if (item) item.state = action.previous;
  }

  /** Skip the current alert and move to the next open one (a labelled alert stays labelled). */
  skip(): ReviewAction | null {
    const item = this.current();
    if (!item || item.state.kind !== 'open') {
      this.advance();
      return null;
    }
    const action = { kind: 'skip' as const, alertId: item.entry.alertId, previous: item.state };
    item.state = { kind: 'skipped' };
    this.actions.push(action);
    this.advance();
    return action;
  }

  /** What undo would take back. */
  lastAction(): ReviewAction | null {
    return this.actions.at(-1) ?? null;
  }

  /**
   * Take back the last action: its alert gets its earlier state and becomes the current one
   * when it is in the batch. The caller retracts a label's event (action.eventId).
   */
  undo(): ReviewAction | null {
    const action = this.actions.pop();
    if (!action) return null;
    const at = this.batch.findIndex((i) => i.entry.alertId === action.alertId);
    if (at >= 0) {
      this.batch[at]!.state = action.previous;
      this.cursor = at;
    }
    return action;
  }

  /** True when every alert of the batch is labelled or skipped (and the batch is not empty). */
  done(): boolean {
    return this.batch.length > 0 && this.batch.every((i) => i.state.kind !== 'open');
  }

  tally(): ReviewTally {
    const labels = new Map<string, 0 | 1>();
    const skipped = new Set<string>();
    for (const a of this.actions) {
      if (a.kind === 'label') {
        labels.set(a.alertId, a.label);
        skipped.delete(a.alertId);
      } else {
        skipped.add(a.alertId);
      }
    }
    let positives = 0;
    for (const l of labels.values()) positives += l;
    return {
      labelled: labels.size,
      positives,
      negatives: labels.size - positives,
      skipped: skipped.size,
      left: this.batch.filter((i) => i.state.kind === 'open').length,
    };
  }

  /** Alerts labelled or skipped in this session (undone actions are gone from the list). */
  private touched(): Set<string> {
    return new Set(this.actions.map((a) => a.alertId));
  }

  private find(alertId: string): ReviewItem | undefined {
    return this.batch.find((i) => i.entry.alertId === alertId);
  }

  /** The next open alert after the current one, wrapping round; stay when none is open. */
  private advance(): void {
    const n = this.batch.length;
    for (let step = 1; step <= n; step++) {
      const i = (this.cursor + step) % n;
      if (this.batch[i]!.state.kind === 'open') {
        this.cursor = i;
        return;
      }
    }
  }
}
