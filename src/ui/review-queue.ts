/**
 * The Review view's side panel: who is labelling, how the queue is chosen (query strategy and
 * batch size), the model that ranked it, the retrain's progress with its Cancel, the running
 * count of the session, and the batch itself (click an alert to open it).
 */
import { QUERY_STRATEGIES, type QueryStrategy } from '../active/queue.ts';
import type { RetrainPhase, RetrainResult } from '../active/retrain.ts';
import type { ReviewState } from '../active/review-state.ts';
import type { RecentLabel } from '../ingest/index.ts';
import { formatDuration } from './cell-view.ts';
import { h, plural, replaceChildren } from './dom.ts';
import type { RetrainState } from './review-retrainer.ts';
import { formatShare, formatWhen, labelName } from './review-format.ts';

const STRATEGY_TEXT: Record<QueryStrategy, string> = {
  uncertainty: 'Uncertainty: the alerts the model is least sure of (closest to 50/50) first.',
  margin: 'Margin: the alerts closest to the cut that keeps as many alerts above it as the labels say are illicit.',
  diversity: 'Diversity: uncertain alerts unlike anything labelled so far, so one batch covers more ground.',
  random: 'Random: a uniform draw, the baseline the other strategies must beat.',
};

const PHASE_TEXT: Record<RetrainPhase | 'starting', string> = {
  starting: 'starting',
  features: 'building the feature matrix',
  labels: 'reading the labels',
  fit: 'training the model',
  rank: 'ranking the queue',
};

export const DEFAULT_BATCH = 10;
const MAX_BATCH = 200;

export interface QueuePanelActions {
  retrain(): void;
  cancel(): void;
  open(index: number): void;
  rename(name: string): void;
}

export class QueuePanel {
  readonly element: HTMLElement;
  private readonly who = h('div', { class: 'rv-who' });
  private readonly strategy = h('select', { class: 'rv-strategy', 'aria-label': 'Query strategy' });
  private readonly strategyHint = h('p', { class: 'hint rv-strategy-hint' });
  private readonly batchInput = h('input', {
    class: 'rv-batch',
    type: 'number',
    min: 1,
    max: MAX_BATCH,
    step: 1,
    value: DEFAULT_BATCH,
    'aria-label': 'Batch size',
  });
  private readonly retrainButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly progress = h('p', { class: 'rv-progress', role: 'status', hidden: true });
  private readonly model = h('div', { class: 'rv-model' });
  private readonly tally = h('div', { class: 'rv-tally', 'aria-live': 'polite' });
  private readonly list = h('ol', { class: 'rv-queue' });
  private readonly recent = h('ol', { class: 'rv-recent' });
  private readonly recentPanel = h(
    'section',
    { class: 'panel', hidden: true },
    h('h2', { class: 'panel-title' }, 'Your recent labels'),
    this.recent,
  );
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly actions: QueuePanelActions) {
    for (const s of QUERY_STRATEGIES) this.strategy.append(h('option', { value: s }, s));
    this.strategy.addEventListener('change', () => this.describeStrategy());
    this.retrainButton = h(
      'button',
      { type: 'button', class: 'button primary small rv-retrain', onclick: () => actions.retrain() },
      'Retrain & new batch',
    );
    this.cancelButton = h(
      'button',
      { type: 'button', class: 'button small rv-cancel', hidden: true, onclick: () => actions.cancel() },
      'Cancel',
    );
    this.describeStrategy();
    this.element = h(
      'div',
      { class: 'rv-side' },
      h('section', { class: 'panel' }, h('h2', { class: 'panel-title' }, 'Labeller'), this.who),
      h(
        'section',
        { class: 'panel' },
        h('h2', { class: 'panel-title' }, 'Queue'),
        h(
          'div',
          { class: 'rv-controls' },
          h('label', { class: 'rv-field' }, h('span', {}, 'Strategy'), this.strategy),
          h('label', { class: 'rv-field rv-field-batch' }, h('span', {}, 'Batch'), this.batchInput),
        ),
        this.strategyHint,
        h('div', { class: 'button-row rv-buttons' }, this.retrainButton, this.cancelButton),
        this.progress,
        this.model,
      ),
      h('section', { class: 'panel' }, h('h2', { class: 'panel-title' }, 'This session'), this.tally, this.list),
      this.recentPanel,
    );
  }

  get chosenStrategy(): QueryStrategy {
    return this.strategy.value as QueryStrategy;
  }

  /** The batch size asked for, kept within 1..200 (and shown corrected). */
  get batchSize(): number {
    const n = Math.round(Number(this.batchInput.value));
    const size = Number.isFinite(n) ? Math.min(MAX_BATCH, Math.max(1, n)) : DEFAULT_BATCH;
    if (String(size) !== this.batchInput.value) this.batchInput.value = String(size);
    return size;
  }

  /** The labeller's name, or a form that asks for it once. */
  showLabeler(name: string): void {
    if (name) {
      replaceChildren(
        this.who,
        h('p', { class: 'rv-labeler' }, 'Labelling as ', h('strong', { class: 'rv-labeler-name' }, name)),
        h('button', { type: 'button', class: 'link-button', onclick: () => this.askName(name) }, 'change'),
      );
    } else {
      this.askName('');
    }
  }

  private askName(current: string): void {
    const input = h('input', {
      class: 'rv-name-input',
      type: 'text',
      value: current,
      placeholder: 'your name or miner hotkey',
      'aria-label': 'Labeller name',
      autocomplete: 'off',
    });
    const form = h(
      'form',
      { class: 'rv-name-form' },
      h('p', { class: 'hint' }, 'Who is labelling? It is written into labeled_by of every label you give here.'),
      h(
        'div',
        { class: 'rv-name-row' },
        input,
        h('button', { type: 'submit', class: 'button primary small' }, 'Start'),
      ),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const name = input.value.trim();
      if (!name) {
        input.focus();
        return;
      }
      this.actions.rename(name);
    });
    replaceChildren(this.who, form);
    if (current || this.who.isConnected) queueMicrotask(() => input.focus());
  }

  focusName(): void {
    this.who.querySelector<HTMLInputElement>('.rv-name-input')?.focus();
  }

  showRetrain(state: RetrainState): void {
    const running = state.kind === 'running';
    this.cancelButton.hidden = !running;
    this.retrainButton.disabled = running;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.progress.hidden = state.kind === 'idle' || state.kind === 'done';
    this.progress.dataset.state = state.kind;
    if (state.kind === 'running') {
      const tick = () =>
        (this.progress.textContent = `Retraining: ${PHASE_TEXT[state.phase]}… ${formatDuration(performance.now() - state.startedAt)}`);
      tick();
      this.timer = setInterval(tick, 250);
    } else if (state.kind === 'cancelled') {
      this.progress.textContent = 'Retraining cancelled: the queue below is the one from before.';
    } else if (state.kind === 'failed') {
      this.progress.textContent = `Retraining failed: ${state.message}`;
    }
  }

  /** The model behind the queue, or why there is none. */
  showModel(result: RetrainResult | null, ms: number | null, stale: string | null): void {
    const lines: (HTMLElement | null)[] = [];
    if (!result) {
      lines.push(h('p', { class: 'muted' }, 'No queue yet.'));
    } else if (result.trainedOn) {
      const t = result.trainedOn;
      lines.push(
        h(
          'p',
          { class: 'rv-model-line', 'data-trained': 'true' },
          `Ranked by ${result.strategy} with a ${t.learner === 'logistic' ? 'logistic regression' : t.learner} trained on ${plural(t.alerts, 'labelled alert')} `,
          // Rows, because an alert labelled once labels each of its windows, and the model learns per window.
          h('span', { class: 'rv-pn' }, `(${plural(t.rows, 'row')}: ${t.positives} illicit / ${t.negatives} licit)`),
          ms === null ? '' : `, in ${formatDuration(ms)}.`,
        ),
      );
    } else {
      lines.push(
        h(
          'p',
          { class: 'rv-model-line', 'data-trained': 'false' },
          h('strong', {}, 'Random order. '),
          `No model yet: ${result.notes.join('; ')}. Label at least one illicit and one licit alert, then retrain.`,
        ),
      );
    }
    if (stale) lines.push(h('p', { class: 'rv-stale' }, stale));
    replaceChildren(this.model, ...lines);
  }

  showBatch(state: ReviewState): void {
    const t = state.tally();
    replaceChildren(
      this.tally,
      h(
        'p',
        { class: 'rv-count' },
        h('strong', { 'data-count': 'labelled' }, String(t.labelled)),
        ' labelled (',
        h('span', { class: 'rv-pos', 'data-count': 'positives' }, `${t.positives} illicit`),
        ' · ',
        h('span', { class: 'rv-neg', 'data-count': 'negatives' }, `${t.negatives} licit`),
        ') · ',
        h('span', { 'data-count': 'skipped' }, `${t.skipped} skipped`),
      ),
      h(
        'p',
        { class: 'rv-left' },
        h('strong', { 'data-count': 'left' }, String(t.left)),
        ` left in this batch of ${state.items.length}`,
      ),
    );
    replaceChildren(
      this.list,
      ...state.items.map((item, i) => {
        const s = item.state;
        const mark = s.kind === 'labelled' ? labelName(s.label) : s.kind === 'skipped' ? 'Skipped' : '';
        return h(
          'li',
          {
            class: 'rv-item',
            'data-state': s.kind === 'labelled' ? `labelled-${s.label}` : s.kind,
            'aria-current': i === state.index ? 'true' : null,
          },
          h(
            'button',
            { type: 'button', class: 'rv-item-button', onclick: () => this.actions.open(i), title: item.entry.alertId },
            h('span', { class: 'rv-item-rank' }, String(i + 1)),
            h(
              'span',
              { class: 'rv-item-main' },
              h('span', { class: 'rv-item-type' }, item.entry.typology ?? 'alert'),
              h(
                'span',
                { class: 'rv-item-meta' },
                `${item.entry.severity ?? '–'} · ${item.entry.windowDays}d · ${item.entry.p === null ? 'unscored' : `p ${formatShare(item.entry.p)}`}`,
              ),
            ),
            h('span', { class: 'rv-item-mark' }, mark),
          ),
        );
      }),
    );
  }

  /** The labeller's last labels (kept across reloads), each with the label the alert carries now. */
  showRecent(labels: RecentLabel[]): void {
    this.recentPanel.hidden = labels.length === 0;
    replaceChildren(
      this.recent,
      ...labels.map((r) => {
        const replaced = r.now !== null && (r.now.label !== r.label || r.now.source !== 'miner');
        return h(
          'li',
          {
            class: 'rv-recent-item',
            'data-alert': r.alertId,
            'data-given': String(r.label),
            'data-now': r.now === null ? 'none' : String(r.now.label),
            title: `${r.alertId}, labelled ${formatWhen(r.labeledAt)}`,
          },
          h('span', { class: 'rv-recent-id' }, r.alertId),
          h('span', { class: `rv-recent-label rv-${r.label === 1 ? 'pos' : 'neg'}` }, labelName(r.label)),
          replaced
            ? h(
                'span',
                { class: 'rv-recent-now' },
                r.now ? `now ${labelName(r.now.label)} (${r.now.source})` : 'no label now',
              )
            : null,
        );
      }),
    );
  }

  private describeStrategy(): void {
    this.strategyHint.textContent = `${STRATEGY_TEXT[this.chosenStrategy]} Applies at the next retrain.`;
  }
}
