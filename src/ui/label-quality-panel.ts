/**
 * Label quality in the app: coverage and class balance per source (and the effective label, and
 * the ground truth where loaded), and the agreement between every pair of them with Cohen's
 * kappa, as plots and as tables with the counts behind them. It draws a QualityReport
 * (src/quality) that the Labels view computes; it computes nothing itself.
 */
import * as Plot from '@observablehq/plot';
import type { QualityReport } from '../quality/index.ts';
import { classBalancePlot, coveragePlot, kappaHeatmap, RATER_TITLES } from '../quality/plots.ts';
import { formatCount, h, plural, replaceChildren } from './dom.ts';

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);
const fixed = (x: number | null, digits = 3) => (x === null ? '–' : x.toFixed(digits));

export class LabelQualityPanel {
  readonly element: HTMLElement;
  private readonly status = h('p', { class: 'quality-status', role: 'status' });
  private readonly content = h('div', { class: 'quality-content' });

  constructor() {
    this.element = h(
      'section',
      { class: 'labels-section label-quality', 'aria-labelledby': 'label-quality-title' },
      h('h2', { class: 'labels-section-title', id: 'label-quality-title' }, 'Label quality'),
      this.status,
      this.content,
    );
  }

  busy(): void {
    this.element.dataset.state = 'busy';
    this.status.textContent = 'Counting labels…';
  }

  failed(message: string): void {
    this.element.dataset.state = 'error';
    this.status.textContent = `Label quality could not be computed: ${message}`;
  }

  show(report: QualityReport, ms: number): void {
    const c = report.coverage;
    const a = report.agreement;
    const events = c.events.reduce((n, e) => n + e.alertLevel + e.addressLevel, 0);
    this.element.dataset.state = 'ready';
    this.element.dataset.events = String(events);
    this.status.textContent = `${plural(c.alertRows, 'alert row')} (${plural(c.alerts, 'alert')}), ${plural(events, 'label event')}; ${c.truthLoaded ? 'ground truth loaded' : 'no ground truth loaded'} · computed in ${Math.round(ms)} ms`;
    const kappa = kappaHeatmap(a);
    const balance = classBalancePlot(c);
    replaceChildren(
      this.content,
      h(
        'div',
        { class: 'quality-plots' },
        h(
          'div',
          { class: 'quality-column' },
          h(
            'figure',
            { class: 'quality-figure', 'data-plot': 'coverage' },
            h('figcaption', {}, 'Coverage: alert rows each source labels'),
            Plot.plot({ ...coveragePlot(c), width: 500, document }),
          ),
          h(
            'figure',
            { class: 'quality-figure', 'data-plot': 'balance' },
            h('figcaption', {}, 'Class balance of each source'),
            balance
              ? Plot.plot({ ...balance, width: 500, document })
              : h('p', { class: 'muted' }, 'No source labels any alert row yet.'),
          ),
        ),
        h(
          'figure',
          { class: 'quality-figure', 'data-plot': 'kappa' },
          h('figcaption', {}, "Agreement: Cohen's kappa between sources"),
          ...(kappa
            ? [
                Plot.plot({ ...kappa, document }),
                h(
                  'p',
                  { class: 'quality-note muted' },
                  '1 is full agreement, 0 what chance gives, below 0 worse than chance; – where two sources share no alert row or one gives a single class. The effective label contains the sources, so its kappa with them is partly by construction.',
                ),
              ]
            : [
                h(
                  'p',
                  { class: 'muted' },
                  'Fewer than two sources label any alert row, so there is nothing to compare yet.',
                ),
              ]),
        ),
      ),
      this.coverageTable(report),
      h(
        'p',
        { class: 'quality-facts' },
        `Effective labels by source: ${Object.entries(c.effectiveBySource)
          .map(([s, n]) => `${s} ${formatCount(n)}`)
          .join(', ')}. ` +
          (events === 0
            ? 'No label events yet.'
            : `Label events: ${c.events
                .filter((e) => e.alertLevel + e.addressLevel > 0)
                .map(
                  (e) =>
                    `${e.source} ${formatCount(e.alertLevel)} alert-level${e.addressLevel > 0 ? ` + ${formatCount(e.addressLevel)} address-level` : ''}`,
                )
                .join(', ')}.`),
      ),
      a.pairs.length > 0 ? this.agreementTable(report) : null,
    );
  }

  private coverageTable(report: QualityReport): HTMLElement {
    const c = report.coverage;
    return h(
      'table',
      { class: 'labels-table', 'data-table': 'coverage' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[
            'source',
            'alert rows labelled',
            'share of all',
            'positive',
            'negative',
            'positive rate',
            'uncertain',
          ].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        ...c.raters.map((r) =>
          h(
            'tr',
            { 'data-rater': r.rater, 'data-labelled': r.labelled },
            h('th', { scope: 'row' }, RATER_TITLES[r.rater]),
            h('td', { class: 'num' }, formatCount(r.labelled)),
            h('td', { class: 'num' }, pct(r.share)),
            h('td', { class: 'num' }, formatCount(r.positive)),
            h('td', { class: 'num' }, formatCount(r.negative)),
            h('td', { class: 'num' }, pct(r.positiveRate)),
            h('td', { class: 'num' }, r.rater === 'proxy' ? formatCount(r.uncertain) : '–'),
          ),
        ),
      ),
    );
  }

  private agreementTable(report: QualityReport): HTMLElement {
    return h(
      'details',
      { class: 'quality-agreement', open: true },
      h('summary', {}, 'Agreement over the alert rows both sources label (a/b: 1 positive, 0 negative)'),
      h(
        'table',
        { class: 'labels-table', 'data-table': 'agreement' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['a', 'b', 'both label', 'a 1 · b 1', 'a 0 · b 0', 'a 1 · b 0', 'a 0 · b 1', 'agree', 'kappa'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...report.agreement.pairs.map((p) =>
            h(
              'tr',
              { 'data-pair': `${p.a}-${p.b}`, 'data-kappa': p.kappa ?? '' },
              h('th', { scope: 'row' }, RATER_TITLES[p.a]),
              h('th', { scope: 'row' }, RATER_TITLES[p.b]),
              h('td', { class: 'num' }, formatCount(p.n)),
              h('td', { class: 'num' }, formatCount(p.matrix[1][1])),
              h('td', { class: 'num' }, formatCount(p.matrix[0][0])),
              h('td', { class: 'num' }, formatCount(p.matrix[1][0])),
              h('td', { class: 'num' }, formatCount(p.matrix[0][1])),
              h('td', { class: 'num' }, pct(p.observed)),
              h('td', { class: 'num' }, fixed(p.kappa)),
            ),
          ),
        ),
      ),
    );
  }
}
