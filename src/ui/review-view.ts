/**
 * The Review view: label the alerts the model most wants to know about, one at a time, from
 * the keyboard. The queue comes from retrainQueue (random until both classes are labelled),
 * each alert is shown with its context (alertContext), every label is saved the moment it is
 * given (LabelSession: appended, then the event log stored), undo appends a retraction, and a
 * finished batch retrains in the background and swaps in the next one.
 *
 * Actions run one after another on a chain, but the cursor moves at the key press, so typing
 * fast never labels the same alert twice and never waits on a save.
 */
import { alertContext } from '../active/context.ts';
import type { RetrainResult } from '../active/retrain.ts';
import { ReviewState } from '../active/review-state.ts';
import { recentLabels, retractionOf } from '../ingest/index.ts';
import type { Lab, TableSummary } from '../sot/lab.ts';
import { alertCard } from './alert-card.ts';
import { h, replaceChildren } from './dom.ts';
import type { LabelChange, LabelSession } from './label-session.ts';
import { labelName } from './review-format.ts';
import { QueuePanel } from './review-queue.ts';
import { Retrainer, type RetrainState } from './review-retrainer.ts';
import './review.css';

/** Keys, as shown on screen and handled. */
const KEYS = {
  positive: ['p', '1'],
  negative: ['n', '0'],
  skip: ['s'],
  undo: ['u'],
} as const;

export class ReviewView {
  readonly element: HTMLElement;
  private readonly state = new ReviewState();
  private readonly panel: QueuePanel;
  private readonly retrainer: Retrainer;
  private readonly card = h('div', { class: 'rv-card-host' });
  private readonly notice = h('p', { class: 'rv-notice', role: 'status' });
  private readonly buttons: Record<'positive' | 'negative' | 'skip' | 'undo' | 'previous' | 'next', HTMLButtonElement>;
  private chain: Promise<void> = Promise.resolve();
  private result: RetrainResult | null = null;
  private resultMs: number | null = null;
  /** Why the queue may be out of date (new data, labels from elsewhere), until the next retrain. */
  private stale: string | null = null;
  private alertsLoaded = false;
  private visible = false;
  /** Set while this view's own label is being saved, so its change notice is not "from elsewhere". */
  private saving = 0;
  /** Bumped per shown alert, so a slow context load never draws over a newer one. */
  private showToken = 0;

  constructor(
    private readonly lab: Lab,
    private readonly session: LabelSession,
  ) {
    this.retrainer = new Retrainer(lab.db, (s) => this.retrainState(s));
    this.panel = new QueuePanel({
      retrain: () => void this.refresh(),
      cancel: () => this.retrainer.cancel(),
      open: (i) => {
        if (this.state.goTo(i)) this.render();
      },
      rename: (name) => {
        this.session.labeler = name;
        this.panel.showLabeler(this.session.labeler);
        void this.showRecent();
        this.say(`Labelling as ${this.session.labeler}.`);
      },
    });
    const key = (...keys: string[]) => h('span', { class: 'rv-keys' }, ...keys.map((k) => h('kbd', {}, k)));
    this.buttons = {
      positive: h(
        'button',
        { type: 'button', class: 'button rv-act rv-positive', onclick: () => this.give(1) },
        'Illicit',
        key('P', '1'),
      ),
      negative: h(
        'button',
        { type: 'button', class: 'button rv-act rv-negative', onclick: () => this.give(0) },
        'Licit',
        key('N', '0'),
      ),
      skip: h('button', { type: 'button', class: 'button rv-act', onclick: () => this.skip() }, 'Skip', key('S')),
      undo: h(
        'button',
        { type: 'button', class: 'button rv-act', onclick: () => this.undo() },
        'Undo',
        key('U', 'Ctrl+Z'),
      ),
      previous: h(
        'button',
        { type: 'button', class: 'button rv-act rv-nav', onclick: () => this.move(-1), 'aria-label': 'Previous alert' },
        key('←'),
        'Prev',
      ),
      next: h(
        'button',
        { type: 'button', class: 'button rv-act rv-nav', onclick: () => this.move(1), 'aria-label': 'Next alert' },
        'Next',
        key('→'),
      ),
    };
    const b = this.buttons;
    this.element = h(
      'div',
      { class: 'review-view' },
      h('aside', { class: 'sidebar rv-sidebar' }, this.panel.element),
      h(
        'main',
        { class: 'main rv-main' },
        h(
          'div',
          { class: 'rv-actions', role: 'toolbar', 'aria-label': 'Label this alert' },
          h('div', { class: 'rv-act-group' }, b.positive, b.negative, b.skip, b.undo),
          h('div', { class: 'rv-act-group' }, b.previous, b.next),
        ),
        this.notice,
        h('div', { class: 'rv-scroll' }, this.card),
      ),
    );
    this.panel.showLabeler(session.labeler);
    this.panel.showModel(null, null, null);
    this.render();
    document.addEventListener('keydown', (e) => this.onKey(e));
    session.onChange((change) => this.labelsChanged(change));
  }

  /** Called when the tab is shown: the first time (with data loaded) it makes the first queue. */
  shown(): void {
    this.visible = true;
    void this.showRecent();
    if (!this.session.labeler) this.panel.focusName();
    if (this.alertsLoaded && !this.result && !this.retrainer.running) void this.refresh();
  }

  tablesChanged(tables: TableSummary[]): void {
    this.alertsLoaded = (tables.find((t) => t.name === 'alerts')?.rows ?? 0) > 0;
    if (!this.alertsLoaded) return;
    // Labels restored before the alerts loaded apply to them now.
    void this.showRecent();
    if (this.result) this.markStale('New data was loaded since this queue was ranked: retrain to include it.');
    else if (this.visible && !this.retrainer.running) void this.refresh();
    else this.render();
  }

  /** Retrain on every label so far and swap in the new batch when it is ready. */
  async refresh(): Promise<void> {
    if (!this.alertsLoaded) {
      this.say('Load a snapshot first: the queue is drawn from the loaded alerts.');
      return;
    }
    const size = this.panel.batchSize;
    // Ask for more than the batch: alerts this session skipped are left out of it.
    const result = await this.retrainer.start({
      strategy: this.panel.chosenStrategy,
      batch: size + this.state.tally().skipped,
    });
    if (!result) return;
    this.result = result;
    this.stale = null;
    this.state.replaceQueue(result.queue, size);
    this.panel.showModel(result, this.resultMs, null);
    if (this.state.items.length === 0) this.say('Every loaded alert is labelled: nothing left to queue.');
    this.render();
  }

  private retrainState(s: RetrainState): void {
    if (s.kind === 'done') this.resultMs = s.ms;
    this.panel.showRetrain(s);
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.element.isConnected || e.defaultPrevented || e.altKey || isTyping(e.target)) return;
    const k = e.key.toLowerCase();
    const command = e.ctrlKey || e.metaKey;
    if (command) {
      if (k === 'z' && !e.shiftKey) {
        e.preventDefault();
        this.undo();
      }
      return;
    }
    const act = (run: () => void) => {
      e.preventDefault();
      run();
    };
    if ((KEYS.positive as readonly string[]).includes(k)) act(() => this.give(1));
    else if ((KEYS.negative as readonly string[]).includes(k)) act(() => this.give(0));
    else if ((KEYS.skip as readonly string[]).includes(k)) act(() => this.skip());
    else if ((KEYS.undo as readonly string[]).includes(k)) act(() => this.undo());
    else if (e.key === 'ArrowRight') act(() => this.move(1));
    else if (e.key === 'ArrowLeft') act(() => this.move(-1));
  }

  /** Label the current alert: the cursor moves now, the save runs on the chain. */
  private give(label: 0 | 1): void {
    if (!this.session.labeler) {
      this.say('Enter your name first: every label records who gave it.');
      this.panel.focusName();
      return;
    }
    const labeledBy = this.session.labeler;
    const action = this.state.label(label);
    this.render();
    if (!action) return;
    this.run(async () => {
      try {
        const saved = await this.ownSave(() =>
          this.session.label([
            {
              alertId: action.alertId,
              address: action.address,
              label,
              source: 'miner',
              labeledBy,
              labeledAt: new Date().toISOString(),
            },
          ]),
        );
        this.state.saved(action, saved.lastEventId!);
        this.say(`${labelName(label)}: ${action.alertId} (saved).`);
        await this.showRecent();
      } catch (err) {
        this.state.failed(action);
        this.say(`The label of ${action.alertId} was not saved: ${(err as Error).message}`, 'error');
      }
      this.render();
      this.retrainWhenDone();
    });
  }

  private skip(): void {
    if (!this.state.skip()) return this.render();
    this.render();
    this.run(async () => this.retrainWhenDone());
  }

  /** Take back the last action: a label by appending its retraction, a skip by forgetting it. */
  private undo(): void {
    this.run(async () => {
      const action = this.state.undo();
      if (!action) {
        this.say('Nothing to undo in this session.');
        return;
      }
      if (action.kind === 'skip') {
        this.say(`Skip of ${action.alertId} undone.`);
        this.render();
        return;
      }
      this.render();
      try {
        const retraction = await retractionOf(this.lab.db, action.eventId!, {
          labeledBy: this.session.labeler || undefined,
        });
        await this.ownSave(() => this.session.label([retraction]));
        await this.showRecent();
        this.say(
          `Label of ${action.alertId} taken back: it has the label it had before (kept in its history as taken back).`,
        );
      } catch (err) {
        this.say(`The label of ${action.alertId} could not be taken back: ${(err as Error).message}`, 'error');
      }
      this.render();
    });
  }

  private move(delta: number): void {
    if (this.state.move(delta)) this.render();
  }

  private run(step: () => Promise<void>): void {
    this.chain = this.chain.then(step, step);
  }

  private async ownSave<T>(save: () => Promise<T>): Promise<T> {
    this.saving++;
    try {
      return await save();
    } finally {
      this.saving--;
    }
  }

  /** A finished batch retrains at once (after its last save), unless a retrain is running. */
  private retrainWhenDone(): void {
    if (this.state.done() && !this.retrainer.running) {
      this.say('Batch done: retraining on every label so far for the next one…');
      void this.refresh();
    }
  }

  /** Labels changed in another view (an import, a restore): redraw, and say the ranking is older. */
  private labelsChanged(change: LabelChange): void {
    if (this.saving > 0) return;
    void this.showRecent();
    const progressed = this.state.items.some((i) => i.state.kind !== 'open');
    if (this.result && !progressed && !this.retrainer.running) {
      void this.refresh();
      return;
    }
    if (this.result)
      this.markStale(
        `${change.events} label${change.events === 1 ? '' : 's'} changed elsewhere (${change.kind}) since this queue was ranked: retrain to use them.`,
      );
    this.render();
  }

  /** The labeller's recent labels, read back from the label log (so a reload shows them too). */
  private async showRecent(): Promise<void> {
    const name = this.session.labeler;
    try {
      this.panel.showRecent(name ? await recentLabels(this.lab.db, name, 12) : []);
    } catch (err) {
      this.say(`Your recent labels could not be read: ${(err as Error).message}`, 'error');
    }
  }

  private markStale(why: string): void {
    this.stale = why;
    this.panel.showModel(this.result, this.resultMs, this.stale);
  }

  private say(text: string, kind: 'info' | 'error' = 'info'): void {
    this.notice.textContent = text;
    this.notice.dataset.kind = kind;
  }

  private render(): void {
    this.panel.showBatch(this.state);
    const item = this.state.current();
    const ready = item !== null;
    for (const b of Object.values(this.buttons)) b.disabled = !ready;
    this.buttons.undo.disabled = this.state.lastAction() === null;
    this.buttons.previous.disabled = this.state.index <= 0;
    this.buttons.next.disabled = this.state.index >= this.state.items.length - 1;
    if (!item) {
      this.showToken++;
      replaceChildren(this.card, this.emptyState());
      return;
    }
    void this.showAlert(item.entry.alertId);
  }

  private emptyState(): HTMLElement {
    if (!this.alertsLoaded)
      return h(
        'div',
        { class: 'empty-state' },
        'Load a snapshot to start labelling: the queue is drawn from the loaded alerts.',
      );
    if (this.retrainer.running || !this.result) return h('div', { class: 'empty-state' }, 'Ranking the first batch…');
    return h('div', { class: 'empty-state' }, 'Nothing to label in this batch.');
  }

  /** Draw the alert's card; redrawn after each label so its current label is fresh. */
  private async showAlert(alertId: string): Promise<void> {
    const token = ++this.showToken;
    const index = this.state.index;
    try {
      const context = await alertContext(this.lab.db, alertId);
      if (token !== this.showToken) return;
      const item = this.state.items[index];
      if (!context || !item) {
        replaceChildren(this.card, h('div', { class: 'empty-state' }, `Alert ${alertId} is no longer loaded.`));
        return;
      }
      const previous = this.card.firstElementChild as HTMLElement | null;
      const sameAlert = previous?.dataset.alert === alertId;
      const open = sameAlert ? openEvidence(previous!) : null;
      replaceChildren(this.card, alertCard(item.entry, context, { index, of: this.state.items.length }));
      if (open) restoreEvidence(this.card.firstElementChild as HTMLElement, open);
    } catch (err) {
      if (token !== this.showToken) return;
      replaceChildren(
        this.card,
        h('p', { class: 'inline-error' }, `The context of ${alertId} could not be read: ${(err as Error).message}`),
      );
    }
  }
}

/** Keys typed into a field are text, never commands. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Which evidence blocks are open, so redrawing the same alert keeps what the reader unfolded. */
function openEvidence(card: HTMLElement): boolean[] {
  return [...card.querySelectorAll<HTMLDetailsElement>('details.ac-evidence')].map((d) => d.open);
}

function restoreEvidence(card: HTMLElement, open: boolean[]): void {
  card.querySelectorAll<HTMLDetailsElement>('details.ac-evidence').forEach((d, i) => {
    if (open[i] !== undefined) d.open = open[i]!;
  });
}
