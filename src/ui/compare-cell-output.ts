/**
 * A compare cell's output in the app: the leaderboard view.
 *
 * - Not trained (ready): the configuration the cell resolved (params filled in, each field a
 *   param set marked so) and a Run comparison button; nothing trains before it is pressed.
 * - Training: one row per strategy with its state, a progress bar (epoch of max epochs), the
 *   training and validation loss and the stage, a Cancel button per strategy and Cancel all, and
 *   the TF.js backend the runner chose.
 * - Trained: the board for one label source at a time (truth first when there is one; every
 *   metric header names the source), ROC-AUC against every source side by side, the failed and
 *   cancelled strategies with their reason, the notes, the plots (ROC, precision-recall, where the
 *   labels fall in each ranking, training curves) and the exports: held-out scores as the
 *   template's alert_scores Parquet, the model files, the run bundle.
 *
 * The element is kept across runs. Tests read `data-state` (ready, running, done) and, on the
 * progress rows, `data-strategy`, `data-state` and `data-epoch`.
 */
import type { PlainValue } from '../db/values.ts';
import { zipStored } from '../export/zip.ts';
import { ruleSignature } from '../labels/config.ts';
import type { Leaderboard, SourceName } from '../metrics/leaderboard.ts';
import type { CompareProgress, CompareResult, StrategyProgress, TrainedComparison } from '../notebook/cells/compare.ts';
import { entryStatus } from '../notebook/cells/compare-results.ts';
import { boardNotes, boardTable, metricText, SOURCE_TEXT, sourceText } from '../notebook/report-compare.ts';
import { calibrationView } from './calibration-view.ts';
import { validatorPreviewView } from './validator-preview.ts';
import { importanceView } from './importance-view.ts';
import { figure, labelLegend, prPlot, rocPlot, scorePlot, smallMultiples, trainingPlot } from './compare-plots.ts';
import { formatCount, h, replaceChildren } from './dom.ts';
import { tableToParquet, type ParquetCodec } from '../db/runtime.ts';
import { downloadBytes } from './downloads.ts';
import './compare-cell-output.css';

/** What the output asks of its cell. */
export interface CompareOutputHost {
  train(): void;
  cancel(strategy?: string): void;
  /** The app's Parquet codec (its worker), for the scores export. */
  parquet: ParquetCodec;
}

const STATE_TEXT: Record<StrategyProgress['state'], string> = {
  queued: 'queued',
  preparing: 'preparing',
  fitting: 'training',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  skipped: 'skipped',
};

const seconds = (ms: number) =>
  ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

export class CompareOutput {
  readonly element = h('div', { class: 'compare-output', 'data-state': 'ready' });
  private readonly body = h('div', { class: 'compare-body' });
  private readonly message = h('p', { class: 'compare-message', hidden: true });
  private value: CompareResult | null = null;
  private source: SourceName | null = null;
  /** The progress view of the run going on, reused while its strategies stay the same. */
  private running: {
    key: string;
    rows: Map<string, ProgressRow>;
    stage: HTMLElement;
    elapsed: HTMLElement;
    backend: HTMLElement;
    cancelAll: HTMLButtonElement;
  } | null = null;
  private plots: HTMLElement | null = null;
  private plotWidth = 0;
  private readonly resize = new ResizeObserver(() => {
    if (this.plots && Math.abs(this.plotsWidth() - this.plotWidth) > 40) this.drawPlots();
  });

  constructor(private readonly host: CompareOutputHost) {
    this.element.append(this.body, this.message);
    this.resize.observe(this.element);
  }

  show(value: CompareResult): void {
    this.value = value;
    this.running = null;
    this.element.dataset.state = value.state;
    if (value.state === 'done' && value.trained) this.showBoard(value, value.trained);
    else this.showReady(value);
  }

  showProgress(p: CompareProgress): void {
    this.element.dataset.state = 'running';
    this.plots = null;
    const key = p.strategies.map((s) => s.strategy).join(',');
    if (!this.running || this.running.key !== key) this.buildProgress(p, key);
    const view = this.running!;
    view.stage.textContent = p.stage;
    view.elapsed.textContent = seconds(p.elapsedMs);
    view.backend.textContent = p.backend ? `TF.js backend: ${p.backend}` : 'Starting the TF.js backend…';
    for (const s of p.strategies) view.rows.get(s.strategy)!.update(s);
    view.cancelAll.disabled = p.strategies.every(
      (s) => s.state === 'done' || s.state === 'failed' || s.state === 'cancelled' || s.state === 'skipped',
    );
  }

  dispose(): void {
    this.resize.disconnect();
  }

  // ---- not trained ----------------------------------------------------------------------------

  private showReady(value: CompareResult): void {
    this.plots = null;
    replaceChildren(
      this.body,
      h('p', { class: 'compare-lead' }, value.message ?? 'Not trained yet.'),
      configSummary(value),
      h(
        'div',
        { class: 'button-row' },
        h(
          'button',
          {
            type: 'button',
            class: 'button primary',
            'data-action': 'run-comparison',
            onclick: () => this.host.train(),
          },
          'Run comparison',
        ),
      ),
    );
  }

  // ---- training -------------------------------------------------------------------------------

  private buildProgress(p: CompareProgress, key: string): void {
    const stage = h('span', { class: 'compare-stage' });
    const elapsed = h('span', { class: 'compare-elapsed muted' });
    const backend = h('p', { class: 'compare-backend muted' });
    const cancelAll = h(
      'button',
      {
        type: 'button',
        class: 'button small',
        'data-action': 'cancel-all',
        onclick: () => {
          cancelAll.disabled = true;
          this.host.cancel();
        },
      },
      'Cancel all',
    );
    const rows = new Map(
      p.strategies.map((s) => [s.strategy, new ProgressRow(s.strategy, () => this.host.cancel(s.strategy))]),
    );
    this.running = { key, rows, stage, elapsed, backend, cancelAll };
    replaceChildren(
      this.body,
      h(
        'div',
        { class: 'compare-running-head' },
        h('strong', {}, 'Training'),
        stage,
        elapsed,
        h('span', { class: 'spacer' }),
        cancelAll,
      ),
      backend,
      h('table', { class: 'compare-progress' }, h('tbody', {}, ...[...rows.values()].map((r) => r.element))),
    );
    this.message.hidden = true;
  }

  // ---- trained --------------------------------------------------------------------------------

  private showBoard(value: CompareResult, trained: TrainedComparison): void {
    const { board } = trained;
    const usable = board.sources.filter((s) => s.labelled > 0);
    if (!this.source || !usable.some((s) => s.name === this.source))
      this.source = board.rankedBy ?? usable[0]?.name ?? null;
    const finished = board.entries.filter((e) => entryStatus(e) === 'done').length;
    const ranked = board.rankedBy ? ` · ranked by ROC-AUC against ${SOURCE_TEXT[board.rankedBy]}` : '';
    const tabs = h('div', {
      class: 'compare-sources',
      role: 'group',
      'aria-label': 'Label source the board measures against',
    });
    for (const s of usable) {
      tabs.append(
        h(
          'button',
          {
            type: 'button',
            class: 'compare-source',
            'data-source': s.name,
            'aria-pressed': String(s.name === this.source),
            onclick: () => this.pickSource(s.name),
          },
          SOURCE_TEXT[s.name],
        ),
      );
    }
    const sourceLine = h('p', { class: 'compare-source-text muted' });
    const tableHost = h('div', { class: 'compare-table table-scroll' });
    this.plots = h('div', { class: 'compare-plots' });
    replaceChildren(
      this.body,
      h(
        'p',
        { class: 'compare-summary' },
        h('strong', {}, `${finished} of ${board.entries.length} strategies trained`),
        ` in ${seconds(trained.seconds * 1000)} on the same held-out alerts · TF.js ${trained.backend}${ranked}`,
      ),
      h('div', { class: 'compare-sources-row' }, h('span', { class: 'muted' }, 'Measured against:'), tabs),
      sourceLine,
      tableHost,
      aucAcrossSources(board),
      h(
        'details',
        { class: 'compare-notes', open: true },
        h('summary', {}, `Notes (${board.notes.length + board.entries.reduce((n, e) => n + e.notes.length, 0)})`),
        boardNotes(h, board),
      ),
      ...validatorPreviewView(board),
      h('details', { class: 'compare-config-details' }, h('summary', {}, 'Configuration'), configSummary(value)),
      this.plots,
      h(
        'div',
        { class: 'button-row compare-toolbar' },
        h(
          'button',
          { type: 'button', class: 'button small', 'data-action': 'export-bundle', onclick: () => this.exportBundle() },
          'Run bundle (JSON)',
        ),
        h(
          'button',
          { type: 'button', class: 'button small', 'data-action': 'run-comparison', onclick: () => this.host.train() },
          'Run again',
        ),
      ),
    );
    this.fillSource();
  }

  private pickSource(source: SourceName): void {
    this.source = source;
    for (const b of this.body.querySelectorAll<HTMLButtonElement>('.compare-source'))
      b.setAttribute('aria-pressed', String(b.dataset.source === source));
    this.fillSource();
  }

  /** The parts that follow the chosen label source: its line, the board table, the plots. */
  private fillSource(): void {
    const trained = this.value?.trained;
    if (!trained || !this.source) return;
    const { board } = trained;
    const info = board.sources.find((s) => s.name === this.source)!;
    this.body.querySelector('.compare-source-text')!.textContent = sourceText(info, board.rankedBy);
    replaceChildren(
      this.body.querySelector('.compare-table')!,
      boardTable(h, board, info.name, {
        extra: {
          header: 'export',
          cell: (e) =>
            entryStatus(e) === 'done'
              ? [
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'link-button',
                      'data-action': 'export-scores',
                      'data-strategy': e.strategy,
                      title: 'Held-out alert scores in the alert_scores shape',
                      onclick: () => void this.exportScores(e.strategy),
                    },
                    'scores',
                  ),
                  ' · ',
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'link-button',
                      'data-action': 'export-model',
                      'data-strategy': e.strategy,
                      title: 'The model files and preprocessing.json, zipped',
                      onclick: () => this.exportModel(e.strategy),
                    },
                    'model',
                  ),
                ]
              : [],
        },
      }),
    );
    this.drawPlots();
  }

  private plotsWidth(): number {
    return Math.floor(this.plots?.clientWidth || this.element.clientWidth || 900);
  }

  private drawPlots(): void {
    const value = this.value;
    const trained = value?.trained;
    if (!this.plots || !trained || !this.source || !value) return;
    const source = this.source;
    const rowsOf = (part: string) => value.results.find((r) => r.name === `${value.name}.${part}`)?.rows ?? [];
    const bySource = (rows: Record<string, PlainValue>[]) => rows.filter((r) => r.source === source);
    const strategies = value.strategies;
    const width = this.plotsWidth();
    this.plotWidth = width;
    const pair = smallMultiples(width, 2, 340);
    const info = trained.board.sources.find((s) => s.name === source)!;
    const label = SOURCE_TEXT[source];

    const scored = strategies.filter((s) => rowsOf('scores').some((r) => r.strategy === s && r.source === source));
    const scoreGrid = smallMultiples(width, scored.length);
    const training = rowsOf('training');
    const trainedWith = strategies.filter((s) => training.some((r) => r.strategy === s));
    const trainGrid = smallMultiples(width, trainedWith.length);
    const grid = (columns: number, ...items: Element[]) =>
      h('div', { class: 'compare-grid', style: `grid-template-columns: repeat(${columns}, minmax(0, 1fr))` }, ...items);

    const curves = grid(
      pair.perRow,
      figure(
        'ROC curves',
        `against ${label}; dashed: a random ranking`,
        rocPlot(bySource(rowsOf('roc')), strategies, pair.each),
      ),
      figure(
        'Precision-recall curves',
        `against ${label}; dashed: the share of positives`,
        prPlot(
          bySource(rowsOf('pr')),
          strategies,
          info.labelled > 0 ? info.positives / info.labelled : null,
          pair.each,
        ),
      ),
    );
    curves.dataset.plot = 'curves';
    const parts: HTMLElement[] = [curves];
    if (scored.length > 0) {
      const scores = figure(
        'Where the labels fall in each ranking',
        `the share of ${label} positives (red) and negatives (blue) in each score-percentile bin of the held-out alerts: a good ranking puts the positives on the right`,
        labelLegend(),
        grid(
          scoreGrid.perRow,
          ...scored.map((s) =>
            scorePlot(
              bySource(rowsOf('scores')).filter((r) => r.strategy === s),
              s,
              scoreGrid.each,
            ),
          ),
        ),
      );
      scores.dataset.plot = 'scores';
      parts.push(scores);
    }
    if (trainedWith.length > 0) {
      const curvesOfTraining = figure(
        'Training curves',
        'loss per epoch, validation solid and training dashed, a colour per network (self-training trains one per round); early stopping keeps the best validation epoch',
        grid(
          trainGrid.perRow,
          ...trainedWith.map((s) =>
            trainingPlot(
              training.filter((r) => r.strategy === s),
              s,
              trainGrid.each,
            ),
          ),
        ),
      );
      curvesOfTraining.dataset.plot = 'training';
      parts.push(curvesOfTraining);
    }
    parts.push(...calibrationView(trained.board, source, width));
    parts.push(...importanceView(trained.board, width));
    replaceChildren(this.plots, ...parts);
  }

  // ---- exports --------------------------------------------------------------------------------

  private async exportScores(strategy: string): Promise<void> {
    const value = this.value;
    if (!value?.trained) return;
    this.say('busy', `Writing ${strategy}'s held-out scores as Parquet…`);
    try {
      const table = await value.trained.alertScores(strategy);
      const bytes = await tableToParquet(this.host.parquet, table);
      const file = `${value.name}-${strategy}-alert_scores.parquet`;
      downloadBytes(file, bytes as Uint8Array<ArrayBuffer>, 'application/vnd.apache.parquet');
      this.say(
        'ok',
        `Exported ${formatCount(table.numRows)} held-out alert scores of ${strategy} as ${file} (the template's alert_scores table).`,
      );
    } catch (e) {
      this.say('error', `The export failed: ${(e as Error).message}`);
    }
  }

  private exportModel(strategy: string): void {
    const value = this.value;
    const run = value?.trained?.runs.find((r) => r.name === strategy);
    if (!value || !run) return;
    const file = `${value.name}-${strategy}-model.zip`;
    downloadBytes(file, zipStored(run.modelFiles) as Uint8Array<ArrayBuffer>, 'application/zip');
    this.say('ok', `Saved ${strategy}'s model as ${file}: ${run.modelFiles.map((f) => f.name).join(', ')}.`);
  }

  private exportBundle(): void {
    const value = this.value;
    if (!value?.trained) return;
    const file = `${value.name}-run.json`;
    downloadBytes(file, value.trained.bundle, 'application/json');
    this.say(
      'ok',
      `Saved the run bundle as ${file}: configuration, seeds, data files by sha256, features, split and the board.`,
    );
  }

  private say(kind: 'ok' | 'error' | 'busy', text: string): void {
    this.message.textContent = text;
    this.message.className = `compare-message ${kind}`;
    this.message.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    this.message.hidden = false;
  }
}

/** One strategy's row while the comparison trains; updated in place so its Cancel button stays put. */
class ProgressRow {
  readonly element: HTMLTableRowElement;
  private readonly state = h('span', { class: 'compare-state' });
  private readonly fill = h('div', { class: 'progress-fill' });
  private readonly bar = h('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': 0 }, this.fill);
  private readonly detail = h('span', { class: 'compare-detail' });
  private readonly cancel: HTMLButtonElement;

  constructor(strategy: string, cancel: () => void) {
    this.bar.setAttribute('aria-label', `Training ${strategy}`);
    this.cancel = h(
      'button',
      {
        type: 'button',
        class: 'button small',
        'data-action': 'cancel-strategy',
        'data-strategy': strategy,
        onclick: () => {
          this.cancel.disabled = true;
          this.cancel.textContent = 'Cancelling…';
          cancel();
        },
      },
      'Cancel',
    );
    this.element = h(
      'tr',
      { class: 'compare-progress-row', 'data-strategy': strategy },
      h('th', { scope: 'row' }, strategy),
      h('td', {}, this.state),
      h('td', { class: 'compare-bar-cell' }, this.bar),
      h('td', {}, this.detail),
      h('td', {}, this.cancel),
    );
  }

  update(s: StrategyProgress): void {
    const d = this.element.dataset;
    d.state = s.state;
    if (s.epoch !== undefined) d.epoch = String(s.epoch);
    if (s.epochs !== undefined) d.epochs = String(s.epochs);
    this.state.textContent = STATE_TEXT[s.state];
    this.state.className = `compare-state ${s.state}`;
    const over = s.state === 'done' || s.state === 'failed' || s.state === 'cancelled' || s.state === 'skipped';
    const share = over ? 1 : s.state === 'fitting' && s.epoch && s.epochs ? s.epoch / s.epochs : 0;
    // Preparing, or a strategy that fits in one step (the forest, the rule): no epochs to count.
    this.bar.classList.toggle('indeterminate', s.state === 'preparing' || (s.state === 'fitting' && !s.epoch));
    this.fill.style.width = `${Math.round(100 * share)}%`;
    this.bar.setAttribute('aria-valuenow', String(s.epoch ?? 0));
    this.bar.setAttribute('aria-valuemax', String(s.epochs ?? 0));
    if (over) this.detail.textContent = s.message ?? '';
    else if (s.epoch !== undefined) {
      const val = s.valLoss !== undefined && !Number.isNaN(s.valLoss) ? ` · validation ${s.valLoss.toFixed(4)}` : '';
      this.detail.textContent = `${s.stage ?? ''} · epoch ${s.epoch} of ${s.epochs} · loss ${s.loss?.toFixed(4)}${val}`;
    } else this.detail.textContent = s.state === 'queued' ? 'waits its turn' : '';
    if (over) {
      this.cancel.disabled = true;
      this.cancel.hidden = true;
    }
  }
}

/** ROC-AUC of every strategy against every label source, one glance. */
function aucAcrossSources(board: Leaderboard): HTMLElement {
  const sources = board.sources.filter((s) => s.labelled > 0);
  return h(
    'div',
    { class: 'compare-auc' },
    h(
      'p',
      { class: 'compare-auc-title' },
      h('strong', {}, 'ROC-AUC against each label source'),
      h('span', { class: 'muted' }, ' (a model trained on a source scores well against it: compare against the truth)'),
    ),
    h(
      'table',
      { class: 'data board compare-auc-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'strategy'),
          ...sources.map((s) =>
            h('th', { class: 'num', 'data-source': s.name }, 'ROC-AUC', h('small', {}, SOURCE_TEXT[s.name])),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...board.entries.map((e) =>
          h(
            'tr',
            { 'data-strategy': e.strategy, 'data-status': entryStatus(e) },
            h('td', { class: 'strategy' }, e.strategy),
            ...sources.map((s) => h('td', { class: 'num' }, metricText(e.metrics[s.name]?.rocAuc))),
          ),
        ),
      ),
    ),
  );
}

/** The configuration as it runs: what a reader needs to know, and which param set what. */
function configSummary(value: CompareResult): HTMLElement {
  const c = value.config;
  const bound = (path: string) =>
    value.bindings[path]
      ? h('span', { class: 'compare-bound', title: 'set by a param' }, ` ← $${value.bindings[path]}`)
      : null;
  const row = (term: string, ...detail: (Node | string | null)[]) => [h('dt', {}, term), h('dd', {}, ...detail)];
  const split =
    c.split.method === 'time'
      ? 'time: the latest processing date is held out'
      : `stratified: ${Math.round(c.split.testFraction * 100)}% of the alerts held out`;
  return h(
    'dl',
    { class: 'compare-config' },
    ...row(
      'Strategies',
      h('span', { class: 'compare-chips' }, ...value.strategies.map((s) => h('span', { class: 'compare-chip' }, s))),
      bound('strategies'),
    ),
    ...row(
      'Split',
      split,
      bound('split.method'),
      `; ${c.split.groupBy === 'address' ? 'whole addresses kept apart' : 'alerts kept apart'} (groupBy ${c.split.groupBy})`,
      bound('split.groupBy'),
      `; ${Math.round(c.split.validationFraction * 100)}% of training for early stopping`,
    ),
    ...row('Proxy labels', h('code', {}, ruleSignature(c.labels))),
    ...row(
      'Dense network',
      `${c.dense.hidden.join('-')}, up to ${c.dense.epochs} epochs`,
      bound('dense.epochs'),
      ` (patience ${c.dense.patience}), batch ${c.dense.batchSize}, learning rate ${c.dense.learningRate}`,
    ),
    ...row(
      'Autoencoder',
      `${c.autoencoder.hidden.join('-')}, up to ${c.autoencoder.epochs} epochs`,
      bound('autoencoder.epochs'),
      ` (patience ${c.autoencoder.patience})`,
    ),
    ...row(
      'Gradient-boosted trees',
      `up to ${c.gbm.maxIter} trees of ${c.gbm.maxLeafNodes} leaves, learning rate ${c.gbm.learningRate}, early stopping after ${c.gbm.earlyStopping.patience}`,
    ),
    ...row(
      'Self-training',
      `${c.selfTraining.rounds} rounds of ${c.selfTraining.learner}, ${Math.round(c.selfTraining.addShare * 100)}% of the unlabelled rows a round, a quota per class`,
    ),
    ...row(
      'Supervised',
      `on ${c.supervised.target}`,
      bound('supervised.target'),
      `, at least ${c.supervised.minLabels} labels`,
    ),
    ...row('Isolation forest', `${c.isolationForest.trees} trees of ${c.isolationForest.sampleSize} rows`),
    ...row(
      'Evaluation',
      `k = ${c.evaluation.k.join(', ')} and ${c.evaluation.kShare * 100}% of the alerts; capacity ${c.evaluation.capacityPerDay} alerts a day; seed ${c.seed}`,
    ),
  );
}
