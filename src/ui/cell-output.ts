/**
 * What every kind's output may use: a cell's error (its message, or the failed cells it waited
 * on), and a report in sentences. Each kind's own output is in its *-cell-output.ts.
 */
import type { CellError } from '../notebook/runtime.ts';
import type { OutputHost } from './cell-kind-view.ts';
import { h } from './dom.ts';

/** A cell that reports in sentences (labels and quality cells); its tables and plots are cells of their own. */
export function renderCellLines(lines: string[], data: Record<string, string | number> = {}): HTMLElement {
  return h('div', { class: 'nb-result nb-lines', ...data }, ...lines.map((line) => h('p', {}, line)));
}

/**
 * The button of a cell that shows what it would write (labels cells, a quality cell's proxy
 * rule): it asks the notebook to let the cell write (`host.confirm`), once.
 */
export function confirmButton(host: Pick<OutputHost, 'confirm'>, action: string, label: string): HTMLElement {
  return h(
    'div',
    { class: 'button-row' },
    h(
      'button',
      {
        type: 'button',
        class: 'button small primary',
        'data-action': action,
        onclick: (e: Event) => {
          (e.currentTarget as HTMLButtonElement).disabled = true;
          host.confirm();
        },
      },
      label,
    ),
  );
}

/** A failed cell: its message, or which cells it waited on that failed (each a link to it). */
export function renderCellError(error: CellError, goto: (id: string) => void): HTMLElement {
  if (error.upstream?.length) {
    return h(
      'div',
      { class: 'nb-error upstream', role: 'alert' },
      `depends on failed cell${error.upstream.length > 1 ? 's' : ''} `,
      ...error.upstream.flatMap((id, i) => [
        i > 0 ? ', ' : null,
        h('button', { type: 'button', class: 'link-button', onclick: () => goto(id) }, id),
      ]),
    );
  }
  return h('div', { class: 'nb-error', role: 'alert' }, h('pre', { class: 'nb-error-message' }, error.message));
}
