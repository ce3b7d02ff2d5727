/**
 * One alert as a reviewer needs it to decide: the alert in each of its windows (typology,
 * severity, confidence, volume, its current label and where that came from), the address's key
 * features, its clusters, its largest money flows in and out, and the evidence JSON. It only
 * draws an AlertContext (src/active/context.ts); nothing here queries.
 */
import type { AlertContext, AlertWindow, MoneyFlow } from '../active/context.ts';
import type { QueueEntry } from '../active/retrain.ts';
import { h } from './dom.ts';
import { formatFeature, formatShare, formatUsd, formatWhen, labelName, shortId, shortTokens } from './review-format.ts';

const snapshotName = (date: string, windowDays: number) => `${date} · ${windowDays}d`;

/** A snapshot as a column head: the date over the window, so several fit side by side. */
const snapshotHead = (date: string, windowDays: number) =>
  h('th', { class: 'num ac-snapshot-head' }, date, h('br', {}), `${windowDays}-day window`);

export function alertCard(
  entry: QueueEntry,
  context: AlertContext,
  position: { index: number; of: number },
): HTMLElement {
  const newest = context.windows[0]!;
  return h(
    'article',
    { class: 'alert-card', 'data-alert': context.alertId },
    h(
      'header',
      { class: 'ac-head' },
      h(
        'div',
        { class: 'ac-title-row' },
        h('span', { class: 'ac-rank' }, `${position.index + 1} of ${position.of}`),
        h('h2', { class: 'ac-id', title: context.alertId }, context.alertId),
        currentLabel(newest),
      ),
      h(
        'p',
        { class: 'ac-sub' },
        'Address ',
        h('code', { class: 'ac-address' }, context.address),
        h(
          'span',
          { class: 'ac-score' },
          entry.p === null ? 'not scored (random queue)' : `model P(illicit) ${formatShare(entry.p)}`,
        ),
      ),
    ),
    windowsTable(context.windows),
    details(context.windows),
    h(
      'div',
      { class: 'ac-columns' },
      h(
        'section',
        { class: 'ac-section' },
        h('h3', { class: 'ac-section-title' }, 'Key features of the address'),
        featuresTable(context),
      ),
      h(
        'div',
        { class: 'ac-stack' },
        h(
          'section',
          { class: 'ac-section' },
          h('h3', { class: 'ac-section-title' }, 'Clusters'),
          clustersTable(context),
        ),
        h(
          'section',
          { class: 'ac-section' },
          h('h3', { class: 'ac-section-title' }, 'Largest money flows'),
          flowsTables(context.flows),
        ),
      ),
    ),
    evidence(context.windows),
  );
}

/** The label the alert carries now (its newest window), and its source. */
function currentLabel(w: AlertWindow): HTMLElement {
  if (!w.label) return h('span', { class: 'ac-label', 'data-label': 'none' }, 'No label yet');
  const by = w.label.labeledBy ? ` · ${w.label.labeledBy}` : '';
  const when = w.label.labeledAt ? ` · ${formatWhen(w.label.labeledAt)}` : '';
  return h(
    'span',
    {
      class: 'ac-label',
      'data-label': String(w.label.label),
      'data-source': w.label.source,
      title: `the effective label: ${w.label.source}${by}${when}`,
    },
    h('strong', {}, labelName(w.label.label)),
    ` · ${w.label.source}${by}${when}`,
  );
}

function windowsTable(windows: AlertWindow[]): HTMLElement {
  return h(
    'table',
    { class: 'ac-table ac-windows' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Snapshot', 'Typology', 'Severity', 'Confidence', 'Volume', 'Label'].map((t) =>
          h('th', { class: numericHead(t) }, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...windows.map((w) =>
        h(
          'tr',
          {},
          h('td', { class: 'nowrap' }, snapshotName(w.processingDate, w.windowDays)),
          h('td', {}, w.typology ?? '–'),
          h('td', {}, w.severity ? h('span', { class: 'severity', 'data-severity': w.severity }, w.severity) : '–'),
          h('td', { class: 'num' }, formatShare(w.confidence)),
          h('td', { class: 'num' }, formatUsd(w.volumeUsd)),
          h(
            'td',
            {},
            w.label ? `${labelName(w.label.label)} (${w.label.source})` : h('span', { class: 'muted' }, 'none'),
          ),
        ),
      ),
    ),
  );
}

function numericHead(title: string): string | null {
  return ['Confidence', 'Volume', 'Alerts', 'Addresses', 'USD', 'Txs'].includes(title) ? 'num' : null;
}

/** Description and risk indicators, once when every window says the same. */
function details(windows: AlertWindow[]): HTMLElement | null {
  const same = unique(windows.map((w) => JSON.stringify([w.description, w.riskIndicators]))).length === 1;
  const shown = (same ? windows.slice(0, 1) : windows).filter((w) => w.description || w.riskIndicators.length > 0);
  if (shown.length === 0) return null;
  return h(
    'div',
    { class: 'ac-details' },
    ...shown.map((x) =>
      h(
        'p',
        { class: 'ac-description' },
        same ? null : h('span', { class: 'muted' }, `${snapshotName(x.processingDate, x.windowDays)}: `),
        x.description ?? '',
        ...x.riskIndicators.map((r) => h('span', { class: 'chip' }, r)),
      ),
    ),
  );
}

function featuresTable(context: AlertContext): HTMLElement {
  if (context.features.length === 0)
    return h('p', { class: 'muted' }, 'No feature rows for this address in these snapshots.');
  const names = context.features[0]!.values.map((v) => v.name);
  return h(
    'table',
    { class: 'ac-table ac-features' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, 'Feature'), ...context.features.map((f) => snapshotHead(f.processingDate, f.windowDays))),
    ),
    h(
      'tbody',
      {},
      ...names.map((name, i) =>
        h(
          'tr',
          {},
          h('td', { class: 'ac-feature-name' }, name),
          ...context.features.map((f) => h('td', { class: 'num' }, formatFeature(f.values[i]?.value ?? null))),
        ),
      ),
    ),
  );
}

function clustersTable(context: AlertContext): HTMLElement {
  if (context.clusters.length === 0) return h('p', { class: 'muted' }, 'In no cluster of these snapshots.');
  return h(
    'table',
    { class: 'ac-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Cluster', 'Snapshot', 'Alerts', 'Addresses', 'Volume', 'Max severity'].map((t) =>
          h('th', { class: numericHead(t) }, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...context.clusters.map((c) =>
        h(
          'tr',
          {},
          h(
            'td',
            { title: c.clusterId },
            c.clusterType ?? 'cluster',
            h('span', { class: 'ac-cluster-id' }, shortTokens(c.clusterId)),
          ),
          h('td', { class: 'nowrap' }, snapshotName(c.processingDate, c.windowDays)),
          h('td', { class: 'num' }, c.totalAlerts === null ? '–' : formatFeature(c.totalAlerts)),
          h('td', { class: 'num' }, c.addresses === null ? '–' : formatFeature(c.addresses)),
          h('td', { class: 'num' }, formatUsd(c.totalVolumeUsd)),
          h(
            'td',
            {},
            c.severityMax ? h('span', { class: 'severity', 'data-severity': c.severityMax }, c.severityMax) : '–',
          ),
        ),
      ),
    ),
  );
}

/** Flows in and out side by side, per snapshot. */
function flowsTables(flows: MoneyFlow[]): HTMLElement {
  if (flows.length === 0) return h('p', { class: 'muted' }, 'No money flows of this address in these snapshots.');
  const snapshots = unique(flows.map((f) => snapshotName(f.processingDate, f.windowDays)));
  return h(
    'div',
    { class: 'ac-flows' },
    ...snapshots.map((snap) =>
      h(
        'div',
        { class: 'ac-flow-snapshot' },
        snapshots.length > 1 ? h('p', { class: 'ac-flow-when muted' }, snap) : null,
        h(
          'div',
          { class: 'ac-flow-pair' },
          ...(['in', 'out'] as const).map((direction) =>
            flowTable(
              direction,
              flows.filter((f) => f.direction === direction && snapshotName(f.processingDate, f.windowDays) === snap),
            ),
          ),
        ),
      ),
    ),
  );
}

function flowTable(direction: 'in' | 'out', flows: MoneyFlow[]): HTMLElement {
  return h(
    'table',
    { class: 'ac-table ac-flow', 'data-direction': direction },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, direction === 'in' ? 'In, from' : 'Out, to'),
        h('th', { class: 'num' }, 'USD'),
        h('th', { class: 'num' }, 'Txs'),
      ),
    ),
    h(
      'tbody',
      {},
      ...(flows.length === 0
        ? [h('tr', {}, h('td', { class: 'muted', colspan: 3 }, 'none'))]
        : flows.map((f) =>
            h(
              'tr',
              {},
              h(
                'td',
                { class: 'mono', title: f.counterparty + (f.bidirectional ? ' (money flows both ways)' : '') },
                shortId(f.counterparty),
                f.bidirectional ? ' ⇄' : '',
              ),
              h('td', { class: 'num' }, formatUsd(f.amountUsd)),
              h('td', { class: 'num' }, f.txCount === null ? '–' : formatFeature(f.txCount)),
            ),
          )),
    ),
  );
}

/** The evidence JSON, pretty-printed and folded; once when every window carries the same. */
function evidence(windows: AlertWindow[]): HTMLElement {
  const texts = windows.map((w) =>
    w.evidence === null ? null : typeof w.evidence === 'string' ? w.evidence : JSON.stringify(w.evidence, null, 2),
  );
  const distinct = unique(texts.filter((t): t is string => t !== null));
  if (distinct.length === 0) return h('p', { class: 'muted ac-evidence-none' }, 'No evidence JSON on this alert.');
  const blocks =
    distinct.length === 1
      ? [{ title: 'Evidence', text: distinct[0]! }]
      : windows.flatMap((w, i) =>
          texts[i] === null
            ? []
            : [{ title: `Evidence · ${snapshotName(w.processingDate, w.windowDays)}`, text: texts[i]! }],
        );
  return h(
    'div',
    { class: 'ac-evidence-list' },
    ...blocks.map((b) =>
      h(
        'details',
        { class: 'ac-evidence', open: b.text.length < 1500 },
        h('summary', {}, b.title, h('span', { class: 'muted' }, ` · ${b.text.split('\n').length} lines`)),
        h('pre', { class: 'ac-json' }, b.text),
      ),
    ),
  );
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
