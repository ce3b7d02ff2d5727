/**
 * The Labels view: bring labels in (import with a mapping step and a report before anything is
 * written), see how good they are (coverage, class balance, agreement and kappa between
 * sources), look up and restore an alert's label history, find labels a model disputes, and
 * export labels as Parquet.
 *
 * Labels reach the database through the LabelSession (which saves the log in this browser and
 * announces every change), so this view hears of labels given in other views the same way as of
 * its own. The status line under the title is one sentence from one source (the event log's
 * count and the last change, ingest/log-status.ts), written again right after every change and
 * restore, whether or not the view is shown. Label quality is computed again on every change and after every data load, but only
 * while the view is shown; a change while it is hidden is computed when it is next shown.
 */
import { labelLogCount, labelStatusLine, type LabelLogCount, type LastLabelChange } from '../ingest/log-status.ts';
import { labelQuality } from '../quality/index.ts';
import type { Lab } from '../sot/lab.ts';
import { h, plural } from './dom.ts';
import { LabelExportPanel } from './label-export-panel.ts';
import { LabelHistoryPanel } from './label-history-panel.ts';
import { LabelImportPanel } from './label-import-panel.ts';
import { LabelQualityPanel } from './label-quality-panel.ts';
import { LabelSuspectsPanel } from './label-suspects-panel.ts';
import type { LabelSession } from './label-session.ts';
import type { OpenedLabelStore } from './label-store-idb.ts';
import './labels.css';

export class LabelsView {
  readonly element: HTMLElement;
  /** The status line: what the event log holds and what changed it last (see the file comment). */
  private readonly statusLine = h('p', { class: 'labels-status labels-restored', role: 'status' });
  private readonly rowsNote = h('span', { class: 'labels-events' });
  private last: LastLabelChange | null = null;
  private restoreError: string | null = null;
  /** Bumped by every status update; an older count that arrives late is dropped. */
  private statusRun = 0;
  private readonly importPanel: LabelImportPanel;
  private readonly quality = new LabelQualityPanel();
  private readonly history: LabelHistoryPanel;
  private readonly exportPanel: LabelExportPanel;
  private readonly suspects: LabelSuspectsPanel;
  /** Quality is out of date (labels or data changed since it was computed). */
  private stale = true;
  private computing: Promise<void> | null = null;

  constructor(
    private readonly lab: Lab,
    private readonly session: LabelSession,
    storage: OpenedLabelStore,
  ) {
    this.importPanel = new LabelImportPanel(lab, session);
    this.history = new LabelHistoryPanel(lab.db, session);
    this.exportPanel = new LabelExportPanel(lab);
    this.suspects = new LabelSuspectsPanel(lab, (id) => this.showHistory(id));
    const name = h('input', {
      class: 'labels-input labeler-input',
      type: 'text',
      value: session.labeler,
      placeholder: 'your name',
      'aria-label': 'Your name, written as labeled_by',
      'data-input': 'labeler',
    });
    name.addEventListener('change', () => (session.labeler = name.value));
    this.element = h(
      'div',
      { class: 'labels-view' },
      h(
        'div',
        { class: 'labels-page' },
        h(
          'header',
          { class: 'labels-header' },
          h(
            'div',
            {},
            h('h1', { class: 'labels-title' }, 'Labels'),
            this.statusLine,
            h('p', { class: 'labels-facts' }, this.rowsNote),
          ),
          h('label', { class: 'labeler' }, h('span', {}, 'Labelling as'), name),
        ),
        storage.persistent
          ? null
          : h(
              'p',
              { class: 'labels-warning', 'data-storage': 'memory' },
              `Labels are kept in this tab only and a reload loses them: this browser refused storage (${storage.problem ?? 'no IndexedDB'}). Export them to keep them.`,
            ),
        this.importPanel.element,
        this.quality.element,
        this.history.element,
        this.suspects.element,
        this.exportPanel.element,
      ),
    );
    session.onChange((change) => {
      this.last = { ...change, at: new Date().toLocaleTimeString() };
      if (change.kind === 'restored') delete this.last.at;
      void this.updateStatus();
      this.history.refresh();
      this.suspects.labelsChanged();
      this.invalidate();
    });
    // Counting the log now would say "no labels saved" while the saved ones are still coming
    // back: the line waits for restored(), which the app calls once the restore has ended.
    this.statusLine.textContent = 'Reading the labels saved in this browser…';
    this.statusLine.dataset.state = 'busy';
  }

  /** What restoring the saved labels at start gave (app-start.ts restores before the sample loads). */
  restored(outcome: { events: number; savedAt: string | null } | { error: string }): void {
    if ('error' in outcome) {
      this.restoreError = `The labels saved in this browser could not be restored: ${outcome.error}`;
      this.statusLine.dataset.restored = '0';
    } else {
      this.statusLine.dataset.restored = String(outcome.events);
      this.last = {
        kind: 'restored',
        events: outcome.events,
        ...(outcome.savedAt && { at: new Date(outcome.savedAt).toLocaleString() }),
      };
      // What the restore put back is the whole log at this moment: say it at once, before the
      // count that confirms it comes back from DuckDB.
      this.showStatus({ events: outcome.events, batches: 0 });
    }
    void this.updateStatus();
  }

  /** Write the status line from the event log as it is now. */
  private async updateStatus(): Promise<void> {
    const run = ++this.statusRun;
    try {
      const count = await labelLogCount(this.lab.db);
      if (run !== this.statusRun) return;
      this.showStatus(count);
    } catch (err) {
      if (run !== this.statusRun) return;
      this.statusLine.textContent = `The label events could not be counted: ${(err as Error).message}`;
      this.statusLine.dataset.state = 'error';
    }
  }

  /** Write the status line for `count`, after the restore's error when it failed. */
  private showStatus(count: LabelLogCount): void {
    const line = labelStatusLine(count, this.last);
    this.statusLine.textContent = this.restoreError ? `${this.restoreError} ${line}` : line;
    this.statusLine.dataset.events = String(count.events);
    this.statusLine.dataset.state = this.restoreError ? 'error' : 'ok';
  }

  /** The Data view loaded files: coverage and agreement depend on the alerts too. */
  tablesChanged(): void {
    this.invalidate();
  }

  shown(): void {
    if (this.stale) void this.refresh();
  }

  /** Look up an alert's history (from another view, or a suspect's row). */
  showHistory(id: string): void {
    void this.history.lookUp(id);
    this.history.element.scrollIntoView({ block: 'start' });
  }

  private invalidate(): void {
    this.stale = true;
    if (this.element.isConnected) void this.refresh();
  }

  /** One computation at a time; changes during one are picked up by one more afterwards. */
  private async refresh(): Promise<void> {
    if (this.computing) return this.computing;
    this.computing = (async () => {
      while (this.stale) {
        this.stale = false;
        this.quality.busy();
        const started = performance.now();
        try {
          const report = await labelQuality(this.lab.db);
          this.rowsNote.textContent = `${plural(report.coverage.alertRows, 'alert row')} loaded`;
          this.quality.show(report, performance.now() - started);
        } catch (err) {
          this.quality.failed((err as Error).message);
        }
      }
    })().finally(() => (this.computing = null));
    return this.computing;
  }
}
