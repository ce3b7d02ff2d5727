/**
 * The app's labels between its views: who is labelling, where the event log is kept between
 * reloads, and one notice when labels change. The Labels view (import, quality, history) and the
 * Review view (the labelling queue) both write through here, so every label is stored the moment
 * it is given and each view hears of the other's changes without knowing it.
 */
import type { Database } from '../db/database.ts';
import { appendLabelEvents, newBatchId, type AppendResult, type NewLabelEvent } from '../ingest/index.ts';
import { restoreLabelEvents, saveLabelEvents, type LabelEventStore } from '../ingest/store.ts';

export interface LabelChange {
  kind: 'restored' | 'imported' | 'labelled' | 'restored-label';
  events: number;
  /** Where the change came from, when a view should not answer its own change (a notebook's import). */
  origin?: 'notebook';
}

const LABELER_KEY = 'label-lab:labeled-by';

export class LabelSession {
  private readonly listeners = new Set<(change: LabelChange) => void>();
  /** Saves run one after another, so an older snapshot of the log never lands after a newer one. */
  private saving: Promise<unknown> = Promise.resolve();

  constructor(
    readonly db: Database,
    readonly store: LabelEventStore,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null = globalThis.localStorage ?? null,
  ) {}

  /** The name written into labeled_by: what the person last typed, kept in this browser. */
  get labeler(): string {
    return this.storage?.getItem(LABELER_KEY) ?? '';
  }

  set labeler(name: string) {
    this.storage?.setItem(LABELER_KEY, name.trim());
  }

  /**
   * Bring back the labels saved before the last reload; call once, after Lab.open. A saved log
   * that cannot be restored (a damaged one, one from a newer build) is set aside, never
   * overwritten by the next save, and the error says where it is.
   */
  async restore(): Promise<{ events: number; savedAt: string | null }> {
    let restored: { events: number; savedAt: string | null };
    try {
      restored = await restoreLabelEvents(this.db, this.store);
    } catch (e) {
      const message = (e as Error).message;
      if (!this.store.setAside) throw e;
      const where = await this.store.setAside();
      throw new Error(`${message}. It was kept aside (${where}); labels given from now on start a new log.`);
    }
    if (restored.events > 0) this.notify({ kind: 'restored', events: restored.events });
    return restored;
  }

  /** Append labels given in the app (one batch), save the log, and tell the views. */
  async label(
    events: readonly NewLabelEvent[],
    kind: 'labelled' | 'restored-label' = 'labelled',
  ): Promise<AppendResult> {
    const result = await appendLabelEvents(this.db, events, newBatchId('label', this.labeler || 'app'));
    await this.save();
    this.notify({ kind, events: result.events });
    return result;
  }

  /** After something else appended events (an import's commit): save the log and tell the views. */
  async changed(change: LabelChange): Promise<void> {
    await this.save();
    this.notify(change);
  }

  /** Save the whole log now; resolves once this save (and any before it) is stored. */
  save(): Promise<void> {
    const run = this.saving.then(() => saveLabelEvents(this.db, this.store));
    this.saving = run.catch(() => undefined);
    return run.then(() => undefined);
  }

  onChange(listener: (change: LabelChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(change: LabelChange): void {
    for (const l of this.listeners) l(change);
  }
}
