/**
 * A proxy cell's output in the app: the label counts (with shares), the agreement with each
 * reference present, the warnings, the rule as `labeled_by` writes it, and a toolbar to save the
 * rule as a config file, load one into the params, and export the labelled alerts as Parquet.
 *
 * The element is kept across runs and only its parts are refilled, so a slider move touches a
 * few text nodes, and a message from the toolbar (a file refused, an export done) stays put.
 * `data-evaluations` counts the runs shown and `data-positive|negative|uncertain` hold the
 * counts: tests and the benchmark watch them.
 */
import type { ParquetCodec } from '../db/runtime.ts';
import { ConfigError } from '../labels/config.ts';
import type { ProxyResult } from '../notebook/cells/proxy.ts';
import type { ParamValue } from '../notebook/params.ts';
import { decimal, labelCountsText, percent } from '../notebook/report-proxy.ts';
import type { CellKindView } from './cell-kind-view.ts';
import { formatCount, h, replaceChildren } from './dom.ts';
import type { SetParam } from './param-inputs.ts';
import { downloadBytes } from './downloads.ts';
import { configYaml, labelledAlertsParquet, loadConfigIntoParams } from './proxy-config-actions.ts';
import './proxy-cell-output.css';

/** What the output needs from the page: the params, to load a config into them. */
export interface ProxyOutputHost {
  setParam: SetParam;
  params(): Record<string, ParamValue>;
  /** The app's Parquet codec (its worker), for the labelled-alerts export. */
  parquet: ParquetCodec;
}

const REFERENCE_TEXT = { truth: 'ground truth', explicit: 'explicit labels' } as const;

export class ProxyOutput {
  readonly element = h('div', { class: 'proxy-output', 'data-evaluations': 0 });
  private readonly counts = h('div', { class: 'proxy-counts' });
  private readonly facts = h('p', { class: 'proxy-facts' });
  private readonly agreement = h('div', { class: 'proxy-agreement' });
  private readonly warnings = h('ul', { class: 'proxy-warnings' });
  private readonly rule = h('p', { class: 'proxy-rule' });
  private readonly message = h('p', { class: 'proxy-message', hidden: true });
  private readonly exportButton: HTMLButtonElement;
  private value: ProxyResult | null = null;
  private shown = 0;

  constructor(private readonly host: ProxyOutputHost) {
    const picker = h('input', {
      type: 'file',
      accept: '.yaml,.yml,.json',
      class: 'visually-hidden',
      'data-picker': 'proxy-config',
    });
    picker.addEventListener('change', () => {
      const file = picker.files?.[0];
      picker.value = ''; // the same file again must fire `change` again
      if (file) void this.load(file);
    });
    this.exportButton = h(
      'button',
      {
        type: 'button',
        class: 'button small',
        'data-action': 'export-labels',
        onclick: () => void this.exportLabels(),
      },
      'Export labelled alerts (Parquet)',
    );
    this.element.append(
      this.counts,
      this.facts,
      this.agreement,
      this.warnings,
      this.rule,
      h(
        'div',
        { class: 'proxy-toolbar button-row' },
        h(
          'button',
          { type: 'button', class: 'button small', 'data-action': 'save-config', onclick: () => this.save() },
          'Save config (YAML)',
        ),
        h(
          'button',
          { type: 'button', class: 'button small', 'data-action': 'load-config', onclick: () => picker.click() },
          'Load config…',
        ),
        this.exportButton,
        picker,
      ),
      this.message,
    );
  }

  show(value: ProxyResult): void {
    this.value = value;
    const s = value.summary;
    replaceChildren(
      this.counts,
      ...labelCountsText(value).map((c) =>
        h(
          'div',
          { class: `proxy-count ${c.label}`, 'data-label': c.label },
          h('span', { class: 'proxy-count-label' }, c.label),
          h('strong', { class: 'proxy-count-value' }, c.count),
          h('span', { class: 'proxy-count-share' }, c.share),
        ),
      ),
    );
    for (const label of ['positive', 'negative', 'uncertain'] as const) this.element.dataset[label] = String(s[label]);
    this.facts.textContent = `of ${formatCount(s.total)} alerts · positive rate ${percent(s.positiveRate)} of the labelled · uncertain alerts are ${value.config.uncertain === 'drop' ? 'dropped from training' : 'kept unlabelled'}`;
    replaceChildren(
      this.agreement,
      ...value.agreement.map((a) =>
        h(
          'p',
          { 'data-reference': a.reference },
          h('strong', {}, `Against ${REFERENCE_TEXT[a.reference]}: `),
          `precision ${decimal(a.precision)} · recall ${decimal(a.recall)} · Cohen's kappa ${decimal(a.kappa)} `,
          h(
            'span',
            { class: 'muted' },
            `(${formatCount(a.tp + a.fp + a.fn + a.tn)} alerts labelled by both, ${percent(a.coverage)} of the reference)`,
          ),
        ),
      ),
    );
    replaceChildren(
      this.warnings,
      ...value.warnings.map((w) =>
        h(
          'li',
          { class: `proxy-warning ${w.level}`, 'data-warning': w.id },
          h('strong', {}, w.level === 'warning' ? 'Warning: ' : 'Note: '),
          w.message,
        ),
      ),
    );
    this.warnings.hidden = value.warnings.length === 0;
    replaceChildren(this.rule, h('span', { class: 'muted' }, 'labeled_by: '), h('code', {}, value.signature));
    this.element.dataset.evaluations = String(++this.shown);
  }

  private save(): void {
    if (!this.value) return;
    downloadBytes(`${this.value.name}-proxy-labels.yaml`, configYaml(this.value), 'application/yaml');
    this.say(
      'ok',
      `Saved the rule as ${this.value.name}-proxy-labels.yaml: use it with npm run lab -- proxy-labels --config FILE, or load it here again.`,
    );
  }

  private async load(file: File): Promise<void> {
    const value = this.value;
    if (!value) return;
    try {
      const outcome = loadConfigIntoParams(await file.text(), file.name, value, this.host.params(), this.host.setParam);
      const notApplied = [
        ...outcome.fixed.map((f) => `${f} (written in the cell)`),
        ...(outcome.labelConfidenceDiffers ? ['label_confidence (written in the cell)'] : []),
      ];
      const set = outcome.set
        .map((s) => `${s.param} = ${Array.isArray(s.value) ? `[${s.value.join(', ')}]` : String(s.value)}`)
        .join(', ');
      this.say(
        notApplied.length ? 'warning' : 'ok',
        `Loaded ${file.name}: ${set || 'no param to set'}.${notApplied.length ? ` Not applied, the file differs from the cell: ${notApplied.join(', ')}.` : ''}`,
      );
    } catch (e) {
      const text = e instanceof ConfigError ? e.message : `${file.name}: ${(e as Error).message}`;
      this.say('error', `The config was not loaded. ${text}`);
    }
  }

  private async exportLabels(): Promise<void> {
    const value = this.value;
    if (!value) return;
    this.exportButton.disabled = true;
    this.say('busy', 'Labelling the alerts and writing Parquet…');
    try {
      const { bytes, rows } = await labelledAlertsParquet(value, this.host.parquet);
      const file = `${value.name}-labelled-alerts.parquet`;
      downloadBytes(file, bytes as Uint8Array<ArrayBuffer>, 'application/vnd.apache.parquet');
      this.say(
        'ok',
        `Exported ${formatCount(rows)} labelled alert rows as ${file} (${(bytes.byteLength / 1e6).toFixed(1)} MB).`,
      );
    } catch (e) {
      this.say('error', `The export failed: ${(e as Error).message}`);
    } finally {
      this.exportButton.disabled = false;
    }
  }

  private say(kind: 'ok' | 'warning' | 'error' | 'busy', text: string): void {
    this.message.textContent = text;
    this.message.className = `proxy-message ${kind}`;
    this.message.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    this.message.hidden = false;
  }
}

export const proxyCellView: CellKindView<ProxyResult> = {
  label: 'Proxy labels',
  language: 'yaml',
  add: {
    label: 'Proxy labels',
    stem: 'labels',
    // The design's rule written out; replace a value with $param to drive it from an input.
    body: () =>
      'positive_severities: [high, critical]\nmin_confidence: 0.7\nnegative_severities: [low, medium]\nmax_confidence: 0.3\n',
  },
  output(host) {
    // Kept across runs: a move refills its numbers, and its toolbar's messages stay.
    const proxy = new ProxyOutput(host);
    return {
      show(value, _block, place) {
        place(proxy.element);
        proxy.show(value);
      },
    };
  },
};
