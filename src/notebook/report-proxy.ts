/**
 * A proxy cell in the headless report: the rule as evaluated, the label counts, the agreement with
 * each reference present, and the warnings, as plain elements (the plots and tables that draw its
 * results are cells of their own).
 */
import type { ProxyResult } from './cells/proxy.ts';
import { formatNumber } from './format-value.ts';

type El = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, string>,
  ...children: (Node | string)[]
) => HTMLElementTagNameMap[K];

const REFERENCE_TEXT = { truth: 'ground truth', explicit: 'explicit labels' } as const;

export function percent(x: number | null): string {
  return x === null ? 'n/a' : `${(100 * x).toFixed(x !== 0 && Math.abs(x) < 0.001 ? 3 : 1)}%`;
}

export function decimal(x: number | null): string {
  return x === null ? 'n/a' : x.toFixed(3);
}

/** "positive 12,345 (61.7%)" and the like: what the cell shows in every renderer. */
export function labelCountsText(
  value: ProxyResult,
): { label: 'positive' | 'negative' | 'uncertain'; count: string; share: string }[] {
  const s = value.summary;
  return (['positive', 'negative', 'uncertain'] as const).map((label) => ({
    label,
    count: formatNumber(s[label]),
    share: percent(s.total === 0 ? null : s[label] / s.total),
  }));
}

export function renderProxyReport(el: El, value: ProxyResult): HTMLElement {
  const s = value.summary;
  const box = el('div', { class: 'proxy' });
  box.append(el('p', { class: 'label' }, `proxy ${value.name}`), el('p', {}, el('code', {}, value.signature)));
  const counts = el('table', { class: 'params proxy-counts' });
  for (const c of labelCountsText(value))
    counts.append(
      el('tr', {}, el('th', {}, c.label), el('td', { class: 'num' }, c.count), el('td', { class: 'num' }, c.share)),
    );
  counts.append(
    el(
      'tr',
      {},
      el('th', {}, 'alerts'),
      el('td', { class: 'num' }, formatNumber(s.total)),
      el('td', { class: 'num' }, `positive rate ${percent(s.positiveRate)}`),
    ),
  );
  box.append(counts);
  for (const a of value.agreement) {
    box.append(
      el(
        'p',
        { class: 'proxy-agreement' },
        `Against ${REFERENCE_TEXT[a.reference]} (${formatNumber(a.tp + a.fp + a.fn + a.tn)} alerts labelled by both, ${percent(a.coverage)} of the reference): ` +
          `precision ${decimal(a.precision)}, recall ${decimal(a.recall)}, Cohen's kappa ${decimal(a.kappa)}.`,
      ),
    );
  }
  if (value.warnings.length > 0) {
    const list = el('ul', { class: 'proxy-warnings' });
    for (const w of value.warnings)
      list.append(
        el(
          'li',
          { class: w.level === 'warning' ? 'warning' : 'note' },
          el('strong', {}, `${w.level === 'warning' ? 'Warning' : 'Note'}: `),
          w.message,
        ),
      );
    box.append(list);
  }
  box.append(
    el(
      'p',
      { class: 'note' },
      `${formatNumber(value.cube.alerts)} alerts in the label cube (built once in ${formatNumber(Math.round(value.cube.buildMs))} ms); this evaluation took ${value.evaluateMs.toFixed(1)} ms.`,
    ),
  );
  return box;
}
