/**
 * Labels out of the app as Parquet (src/ingest/export.ts): the effective labels (what training
 * sees, proxy labels only when asked for) or the whole event log with its provenance, which
 * `lab labels ... --labels FILE` and this view's import both read back.
 */
import { exportLabels, type LabelExportKind } from '../ingest/index.ts';
import type { Lab } from '../sot/lab.ts';
import { h } from './dom.ts';
import { downloadBytes } from './downloads.ts';

const FILE_NAMES: Record<LabelExportKind, string> = { effective: 'effective-labels', events: 'label-events' };

export class LabelExportPanel {
  readonly element: HTMLElement;
  private readonly includeProxy = h('input', { type: 'checkbox', 'data-option': 'include-proxy' });
  private readonly status = h('p', { class: 'export-status', role: 'status' });

  constructor(private readonly lab: Lab) {
    this.element = h(
      'section',
      { class: 'labels-section label-export', 'aria-labelledby': 'label-export-title' },
      h('h2', { class: 'labels-section-title', id: 'label-export-title' }, 'Export'),
      h(
        'div',
        { class: 'button-row' },
        h(
          'button',
          {
            type: 'button',
            class: 'button',
            'data-action': 'export-effective',
            onclick: (e: Event) => void this.export('effective', e.currentTarget as HTMLButtonElement),
          },
          'Effective labels (Parquet)',
        ),
        h('label', { class: 'mapping-check' }, this.includeProxy, h('span', {}, 'with proxy labels')),
        h(
          'button',
          {
            type: 'button',
            class: 'button',
            'data-action': 'export-events',
            onclick: (e: Event) => void this.export('events', e.currentTarget as HTMLButtonElement),
          },
          'Event log (Parquet)',
        ),
      ),
      h(
        'p',
        { class: 'hint' },
        'The effective labels give each labelled alert row its winning label; the event log keeps every label with who gave it, when, and its batch.',
      ),
      this.status,
    );
  }

  private async export(kind: LabelExportKind, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    this.status.dataset.state = 'busy';
    this.status.textContent = 'Writing Parquet…';
    try {
      const bytes = await exportLabels(this.lab.runtime, kind, { includeProxy: this.includeProxy.checked });
      const file = `${FILE_NAMES[kind]}-${new Date().toISOString().slice(0, 10)}.parquet`;
      downloadBytes(file, bytes as Uint8Array<ArrayBuffer>, 'application/vnd.apache.parquet');
      this.status.dataset.state = 'ok';
      this.status.dataset.file = file;
      this.status.textContent = `Downloaded ${file} (${(bytes.byteLength / 1024).toFixed(1)} KB).`;
    } catch (err) {
      this.status.dataset.state = 'error';
      this.status.textContent = `The export failed: ${(err as Error).message}`;
    } finally {
      button.disabled = false;
    }
  }
}
