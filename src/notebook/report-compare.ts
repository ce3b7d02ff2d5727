/**
 * A compare cell in the headless report, and the leaderboard table the app's view shares: per
 * label source a table of every strategy's metrics (each metric's header names the source it is
 * measured against), what failed or was cancelled and why, and the board's notes. The plots that
 * draw its results are cells of their own.
 *
 * Built with the caller's element function, so the same code fills a linkedom document (the
 * report) and the page (src/ui/compare-cell-output.ts).
 */
import type { BoardEntry, Leaderboard, SourceInfo, SourceName } from '../metrics/leaderboard.ts';
import type { CompareResult } from './cells/compare.ts';
import { entryStatus, metricColumns } from './cells/compare-results.ts';
import { renderValidatorPreview } from '../validator/render.ts';
import { formatNumber } from './format-value.ts';

type El = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, string>,
  ...children: (Node | string)[]
) => HTMLElementTagNameMap[K];

/** What a label source is called on the board's headers. */
export const SOURCE_TEXT: Record<SourceName, string> = {
  truth: 'truth',
  explicit: 'explicit labels',
  evolution: 'evolution labels',
  'address-labels': 'address labels',
  proxy: 'proxy rule',
};

export function metricText(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
}

/** "truth: the ground-truth file (4,321 held-out alerts labelled, 310 positive)". */
export function sourceText(s: SourceInfo, rankedBy: SourceName | null): string {
  return `${SOURCE_TEXT[s.name]}: ${s.description} (${formatNumber(s.labelled)} held-out alerts labelled, ${formatNumber(s.positives)} positive${s.name === rankedBy ? '; the board is ranked by this' : ''})`;
}

export interface BoardTableOptions {
  /** One more column, right after the strategy (the app's export buttons: visible however wide the table scrolls). */
  extra?: { header: string; cell(entry: BoardEntry): (Node | string)[] };
}

/** Every strategy's metrics against one label source; rows carry data-strategy and data-status, metric cells data-metric. */
export function boardTable(el: El, board: Leaderboard, source: SourceName, opts: BoardTableOptions = {}): HTMLElement {
  const columns = metricColumns(board);
  const label = SOURCE_TEXT[source];
  const head = el(
    'tr',
    {},
    el('th', {}, 'strategy'),
    ...(opts.extra ? [el('th', {}, opts.extra.header)] : []),
    el('th', {}, 'kind'),
    ...columns.map((c) =>
      el(
        'th',
        { class: 'num', title: `${c.title}, against ${label}`, 'data-metric': c.metric },
        c.short,
        el('small', {}, label),
      ),
    ),
  );
  const body = el('tbody');
  for (const e of board.entries) {
    const status = entryStatus(e);
    const m = e.metrics[source];
    const name = el('td', { class: 'strategy' }, e.strategy);
    if (status !== 'done') name.append(' ', el('span', { class: `badge ${status}` }, status));
    const cells = m
      ? columns.map((c) => el('td', { class: 'num', 'data-metric': c.metric }, metricText(c.value(m), c.digits)))
      : [
          el(
            'td',
            { class: 'reason', colspan: String(columns.length) },
            e.error ??
              e.cancelled ??
              (e.skipped && `skipped: ${e.skipped}`) ??
              `no ${label} labels among the held-out alerts`,
          ),
        ];
    const extra = opts.extra ? [el('td', { class: 'extra' }, ...opts.extra.cell(e))] : [];
    body.append(
      el(
        'tr',
        { 'data-strategy': e.strategy, 'data-status': status },
        name,
        ...extra,
        el('td', { class: 'muted' }, e.kind || '–'),
        ...cells,
      ),
    );
  }
  return el('table', { class: 'data board', 'data-source': source }, el('thead', {}, head), body);
}

/** The board's notes and each strategy's (leakage overrides, the split, address overlap). */
export function boardNotes(el: El, board: Leaderboard): HTMLElement {
  const list = el('ul', { class: 'board-notes' });
  for (const n of board.notes) list.append(el('li', {}, n));
  for (const e of board.entries) {
    for (const n of e.notes)
      list.append(el('li', { 'data-strategy': e.strategy }, el('strong', {}, `${e.strategy}: `), n));
  }
  return list;
}

export function renderCompareReport(el: El, value: CompareResult): HTMLElement {
  const box = el('div', { class: 'compare' });
  box.append(el('p', { class: 'label' }, `compare ${value.name}`));
  const trained = value.trained;
  if (!trained) {
    box.append(
      el('p', {}, value.message ?? 'Not trained.'),
      el('p', { class: 'note' }, `Strategies: ${value.strategies.join(', ')}.`),
    );
    return box;
  }
  const { board } = trained;
  const finished = board.entries.filter((e) => entryStatus(e) === 'done').length;
  box.append(
    el(
      'p',
      {},
      `${finished} of ${board.entries.length} strategies trained in ${formatNumber(Math.round(trained.seconds))} s on TF.js ${trained.backend}, scored on the same held-out alerts.`,
    ),
  );
  for (const s of board.sources) {
    box.append(
      el('h4', {}, `Against ${sourceText(s, board.rankedBy)}`),
      el('div', { class: 'table-wrap' }, boardTable(el, board, s.name)),
    );
  }
  const stopped = board.entries.filter((e) => e.error || e.cancelled || e.skipped);
  if (stopped.length > 0) {
    const list = el('ul', { class: 'board-stopped' });
    for (const e of stopped)
      list.append(
        el(
          'li',
          { class: e.error ? 'warning' : '' },
          el('strong', {}, `${e.strategy} ${e.error ? 'failed' : e.skipped ? 'was skipped' : 'was cancelled'}: `),
          e.error ?? e.cancelled ?? e.skipped ?? '',
        ),
      );
    box.append(list);
  }
  box.append(el('h4', {}, 'Notes'), boardNotes(el, board));
  // The validator preview as lab compare prints it: a table per held-out snapshot, best final first.
  if (board.validator)
    box.append(
      el('h4', {}, "Validator preview: what the network's validator would pay"),
      el('pre', { class: 'validator-preview' }, renderValidatorPreview(board.validator)),
    );
  return box;
}
