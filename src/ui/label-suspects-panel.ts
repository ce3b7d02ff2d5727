/**
 * Suspected mislabels in the app: the labelled alert rows whose label a model, trained without
 * them (out of fold), most confidently disputes (src/quality/mislabel-suspects.ts). The feature
 * matrix is built through DuckDB (its own worker); the fits, the slow part (21 s of logistic fits
 * for the sample's 16,000 effective labels in Node), run in a worker of their own
 * (oof-client.ts), with a progress bar per fold and a Cancel that ends the worker at once.
 *
 * A suspect's alert id opens its history, where its label can be checked and changed.
 */
import type { Lab } from '../sot/lab.ts';
import {
  describeTrusted,
  findSuspectedMislabels,
  type SuspectLabels,
  type SuspectReport,
} from '../quality/mislabel-suspects.ts';
import { spawnOofWorker, workerOutOfFold } from '../quality/oof-client.ts';
import { learnerFromSpec, type LearnerSpec } from '../quality/oof-protocol.ts';
import { parseTrainingConfig } from '../experiment/config.ts';
import { formatCount, h, plural, replaceChildren } from './dom.ts';

const PAGE = 30;

export class LabelSuspectsPanel {
  readonly element: HTMLElement;
  private readonly labels: HTMLSelectElement;
  private readonly learner: HTMLSelectElement;
  private readonly folds: HTMLInputElement;
  private readonly run: HTMLButtonElement;
  private readonly progress = h('div', { class: 'suspects-progress', hidden: true });
  private readonly status = h('p', { class: 'suspects-status', role: 'status' });
  private readonly result = h('div', { class: 'suspects-result' });
  private report: SuspectReport | null = null;
  private shown = PAGE;

  constructor(
    private readonly lab: Lab,
    /** Open an alert's history (the Labels view's History section). */
    private readonly showHistory: (alertId: string) => void,
  ) {
    this.labels = h(
      'select',
      { class: 'labels-input', 'data-option': 'suspect-labels' },
      h('option', { value: 'explicit' }, 'the labels given (imported or in Review)'),
      h('option', { value: 'effective' }, 'the effective labels (the proxy rule, given labels winning)'),
    );
    this.learner = h(
      'select',
      { class: 'labels-input', 'data-option': 'suspect-learner' },
      h('option', { value: 'dense' }, 'dense network (non-linear)'),
      h('option', { value: 'logistic' }, 'logistic regression (linear)'),
    );
    this.folds = h('input', {
      class: 'labels-input',
      type: 'number',
      min: 2,
      max: 10,
      value: 5,
      'data-option': 'suspect-folds',
      'aria-label': 'folds',
    });
    this.run = h(
      'button',
      { type: 'button', class: 'button', 'data-action': 'find-suspects', onclick: () => void this.find() },
      'Find suspected mislabels',
    );
    this.element = h(
      'section',
      { class: 'labels-section label-suspects', 'aria-labelledby': 'label-suspects-title' },
      h('h2', { class: 'labels-section-title', id: 'label-suspects-title' }, 'Suspected mislabels'),
      h(
        'p',
        { class: 'hint suspects-hint' },
        'A model is trained on all but one fold of the labelled alerts and scores the fold it did not see; a label it confidently disputes is listed for a second look. Severity and confidence are left out of the features, so it does not simply re-learn the proxy rule.',
      ),
      h(
        'div',
        { class: 'suspects-options' },
        h('label', { class: 'mapping-option' }, h('span', {}, 'Check'), this.labels),
        h('label', { class: 'mapping-option' }, h('span', {}, 'With'), this.learner),
        h('label', { class: 'mapping-option suspects-folds' }, h('span', {}, 'Folds'), this.folds),
        this.run,
      ),
      this.progress,
      this.status,
      this.result,
    );
  }

  /** Labels changed after the list was computed: say so (it is not recomputed unasked: it trains). */
  labelsChanged(): void {
    if (this.report)
      this.status.textContent = 'Labels changed since this list was computed: find again to include them.';
  }

  private async find(): Promise<void> {
    const folds = Number(this.folds.value);
    if (!Number.isInteger(folds) || folds < 2 || folds > 10) {
      this.status.textContent = `Folds must be a whole number from 2 to 10, not '${this.folds.value}'.`;
      return;
    }
    const config = parseTrainingConfig({});
    const spec: LearnerSpec =
      this.learner.value === 'logistic' ? { kind: 'logistic' } : { kind: 'dense', params: config.dense };
    const abort = new AbortController();
    this.run.disabled = true;
    this.status.textContent = '';
    const started = performance.now();
    const fill = h('div', { class: 'progress-fill' });
    const bar = h(
      'div',
      {
        class: 'progress-bar',
        role: 'progressbar',
        'aria-label': 'Finding suspected mislabels',
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-valuenow': 0,
      },
      fill,
    );
    const detail = h('p', { class: 'progress-detail' }, 'Building the feature matrix…');
    replaceChildren(
      this.progress,
      h(
        'div',
        { class: 'progress-head' },
        h('span', { class: 'progress-label' }, 'Finding suspected mislabels'),
        h(
          'button',
          { type: 'button', class: 'button small', 'data-action': 'cancel-suspects', onclick: () => abort.abort() },
          'Cancel',
        ),
      ),
      bar,
      detail,
    );
    this.progress.hidden = false;
    this.element.dataset.state = 'running';
    try {
      const report = await findSuspectedMislabels(this.lab.db, {
        config,
        labels: this.labels.value as SuspectLabels,
        learner: learnerFromSpec(spec),
        folds,
        outOfFold: (input) => {
          detail.textContent = `Fitting fold 1 of ${folds} on ${plural(input.rows.length, 'labelled row')}…`;
          return workerOutOfFold(spawnOofWorker, spec, {
            signal: abort.signal,
            onFold: (done, total) => {
              const pct = Math.round((100 * done) / total);
              fill.style.width = `${pct}%`;
              bar.setAttribute('aria-valuenow', String(pct));
              detail.textContent = done < total ? `Fitting fold ${done + 1} of ${total}…` : 'Ranking the suspects…';
            },
          })(input);
        },
      });
      // A cancel during the matrix build lands here: the fits never started.
      if (abort.signal.aborted) throw new DOMException('cancelled', 'AbortError');
      this.report = report;
      this.shown = PAGE;
      this.element.dataset.state = 'done';
      this.element.dataset.suspects = String(report.suspects.length);
      this.element.dataset.trusted = String(report.trusted.rows);
      this.status.textContent = `Computed in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
      this.render();
    } catch (err) {
      const e = err as Error;
      this.element.dataset.state = e.name === 'AbortError' ? 'cancelled' : 'error';
      this.status.textContent =
        e.name === 'AbortError'
          ? 'Cancelled: nothing was computed.'
          : `Suspected mislabels could not be computed: ${e.message}`;
    } finally {
      this.progress.hidden = true;
      this.run.disabled = false;
    }
  }

  private render(): void {
    const r = this.report!;
    const rows = r.suspects.slice(0, this.shown);
    replaceChildren(
      this.result,
      h(
        'p',
        { class: 'suspects-facts' },
        `${formatCount(r.labelled)} labelled alert rows checked (${formatCount(r.positives)} positive) with ${r.folds}-fold out-of-fold ${r.learner} probabilities on ${plural(r.features, 'feature')}` +
          (r.excluded.length > 0 ? ` (${r.excluded.length} left out by the leakage guard)` : '') +
          `. A 0 is disputed when p ≥ ${r.thresholds.positive.toFixed(3)}, a 1 when 1 − p ≥ ${r.thresholds.negative.toFixed(3)}: ${plural(r.suspects.length, 'suspect')}.`,
      ),
      h('p', { class: 'suspects-trusted', 'data-trusted': r.trusted.rows }, describeTrusted(r.trusted)),
      r.suspects.length === 0
        ? h('p', { class: 'muted' }, 'The model disputes none of these labels.')
        : h(
            'table',
            { class: 'labels-table', 'data-table': 'suspects' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['rank', 'alert', 'date', 'window', 'label', 'source', 'by', 'p(illicit)', 'margin'].map((t) =>
                  h('th', { scope: 'col' }, t),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...rows.map((s) =>
                h(
                  'tr',
                  { 'data-alert': s.alertId },
                  h('td', { class: 'num' }, String(s.rank)),
                  h(
                    'td',
                    {},
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'link-button labels-mono',
                        title: 'Show its label history',
                        onclick: () => this.showHistory(s.alertId),
                      },
                      s.alertId,
                    ),
                  ),
                  h('td', {}, s.processingDate),
                  h('td', { class: 'num' }, `${s.windowDays} d`),
                  h(
                    'td',
                    {},
                    h(
                      'span',
                      { class: `label-badge ${s.label === 1 ? 'positive' : 'negative'}` },
                      s.label === 1 ? '1 illicit' : '0 benign',
                    ),
                  ),
                  h('td', {}, s.source),
                  h('td', {}, s.labeledBy ?? h('span', { class: 'muted' }, '–')),
                  h('td', { class: 'num' }, s.p.toFixed(3)),
                  h('td', { class: 'num' }, s.margin.toFixed(3)),
                ),
              ),
            ),
          ),
      r.suspects.length > this.shown
        ? h(
            'button',
            {
              type: 'button',
              class: 'button small suspects-more',
              onclick: () => {
                this.shown += PAGE;
                this.render();
              },
            },
            `Show ${Math.min(PAGE, r.suspects.length - this.shown)} more of ${formatCount(r.suspects.length)}`,
          )
        : null,
    );
  }
}
