/**
 * The label history of one alert or address: every label that could apply, newest first, with
 * its source, who gave it, when, in which batch, and which one wins; and a Restore button on the
 * earlier events, which appends a copy of that event as the newest of its source (restoreLabel:
 * nothing is updated or deleted) and says whether it is now in effect.
 *
 * A lookup tries the text as an alert id first and then as an address, so the user need not say
 * which it is.
 */
import {
  addressLabelHistory,
  alertLabelHistory,
  restoreLabel,
  type AlertHistory,
  type HistoryEntry,
} from '../ingest/index.ts';
import type { Database } from '../db/database.ts';
import { h, plural, replaceChildren } from './dom.ts';
import type { LabelSession } from './label-session.ts';

type Found =
  | { kind: 'alert'; history: AlertHistory }
  | { kind: 'address'; address: string; entries: HistoryEntry[] }
  | { kind: 'none'; id: string };

const when = (iso: string | null) => (iso === null ? '–' : iso.replace('T', ' ').replace(/\.000Z$|Z$/, ''));

export class LabelHistoryPanel {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly status = h('p', { class: 'history-status', role: 'status' });
  private readonly result = h('div', { class: 'history-result' });
  private current: string | null = null;
  private lookups = 0;

  constructor(
    private readonly db: Database,
    private readonly session: LabelSession,
  ) {
    this.input = h('input', {
      class: 'labels-input history-input',
      type: 'search',
      placeholder: 'an alert id or an address',
      'aria-label': 'Alert id or address',
      'data-input': 'history-id',
    });
    const form = h(
      'form',
      { class: 'history-form' },
      this.input,
      h('button', { type: 'submit', class: 'button', 'data-action': 'history-lookup' }, 'Show history'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.lookUp(this.input.value);
    });
    this.element = h(
      'section',
      { class: 'labels-section label-history', 'aria-labelledby': 'label-history-title' },
      h('h2', { class: 'labels-section-title', id: 'label-history-title' }, 'History'),
      form,
      this.status,
      this.result,
    );
  }

  /** Show the history of `id` (an alert id or an address). */
  async lookUp(id: string, keepStatus = false): Promise<void> {
    const text = id.trim();
    if (!text) return;
    this.input.value = text;
    this.current = text;
    const run = ++this.lookups;
    if (!keepStatus) this.status.textContent = '';
    try {
      const found = await this.find(text);
      if (run === this.lookups) this.render(found);
    } catch (err) {
      if (run === this.lookups)
        this.status.textContent = `The history of ${text} could not be read: ${(err as Error).message}`;
    }
  }

  /** Labels changed elsewhere (an import, the Review view): the shown history is read again. */
  refresh(): void {
    if (this.current) void this.lookUp(this.current, true);
  }

  private async find(id: string): Promise<Found> {
    const history = await alertLabelHistory(this.db, id);
    if (history.rows.length > 0 || history.entries.length > 0) return { kind: 'alert', history };
    const entries = await addressLabelHistory(this.db, id);
    if (entries.length > 0) return { kind: 'address', address: id, entries };
    return { kind: 'none', id };
  }

  private render(found: Found): void {
    this.result.dataset.kind = found.kind;
    if (found.kind === 'none') {
      replaceChildren(
        this.result,
        h('p', { class: 'muted' }, `No loaded alert and no label has the id or address ${found.id}.`),
      );
      return;
    }
    if (found.kind === 'address') {
      replaceChildren(
        this.result,
        h(
          'p',
          { class: 'history-head' },
          'Address ',
          h('code', {}, found.address),
          ` · ${plural(found.entries.length, 'address-level label')}`,
        ),
        this.entriesTable(found.entries),
      );
      return;
    }
    const { history } = found;
    replaceChildren(
      this.result,
      h(
        'p',
        { class: 'history-head' },
        'Alert ',
        h('code', {}, history.alertId),
        history.address
          ? h(
              'span',
              {},
              ' · address ',
              h(
                'button',
                {
                  type: 'button',
                  class: 'link-button labels-mono',
                  title: 'Show its address-level labels',
                  onclick: () => void this.lookUp(history.address!),
                },
                history.address,
              ),
            )
          : ' · not loaded',
      ),
      history.rows.length > 0
        ? h(
            'table',
            { class: 'labels-table compact', 'data-table': 'effective' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['processing date', 'window', 'effective label', 'source', 'from'].map((t) =>
                  h('th', { scope: 'col' }, t),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...history.rows.map((r) =>
                h(
                  'tr',
                  {},
                  h('td', {}, r.processingDate),
                  h('td', { class: 'num' }, `${r.windowDays} d`),
                  h('td', {}, labelBadge(r.label)),
                  h('td', {}, r.source ?? '–'),
                  h('td', {}, r.scope ?? '–'),
                ),
              ),
            ),
          )
        : null,
      history.entries.length > 0
        ? this.entriesTable(history.entries)
        : h('p', { class: 'muted' }, 'No label has been given to this alert yet.'),
    );
  }

  private entriesTable(entries: HistoryEntry[]): HTMLElement {
    return h(
      'table',
      { class: 'labels-table', 'data-table': 'history' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['event', 'labelled at', 'label', 'source', 'scope', 'by', 'confidence', 'batch', 'note', ''].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...entries.map((e) =>
          h(
            'tr',
            { class: e.wins ? 'wins' : null, 'data-event': e.eventId ?? 'row', 'data-wins': String(e.wins) },
            h('td', { class: 'num' }, e.eventId === null ? 'row' : String(e.eventId)),
            h('td', {}, when(e.labeledAt)),
            h('td', {}, labelBadge(e.label)),
            h('td', {}, e.source),
            h('td', {}, e.scope === 'row' ? `alert row (${e.windowDays} d)` : e.scope),
            h('td', {}, e.labeledBy || h('span', { class: 'muted' }, 'unnamed')),
            h('td', { class: 'num' }, e.confidence === null ? '–' : e.confidence.toFixed(2)),
            h('td', { class: 'labels-mono', title: e.batchId ?? '' }, e.batchId ?? '–'),
            h('td', { class: 'note', title: e.note ?? '' }, e.note ?? ''),
            h('td', { class: 'history-state' }, ...this.state(e)),
          ),
        ),
      ),
    );
  }

  /** In effect, a withdrawal, withdrawn, or an earlier label that can be restored. */
  private state(e: HistoryEntry): (HTMLElement | string)[] {
    if (e.wins) return [h('span', { class: 'wins-badge' }, 'in effect')];
    if (e.retracts !== null) return [h('span', { class: 'muted' }, `withdraws event ${e.retracts}`)];
    const restore =
      e.eventId === null
        ? null
        : h(
            'button',
            {
              type: 'button',
              class: 'button small',
              'data-action': 'restore-label',
              onclick: () => void this.restore(e),
            },
            'Restore',
          );
    const withdrawn =
      e.retractedBy !== null ? h('span', { class: 'muted' }, `withdrawn by event ${e.retractedBy} `) : null;
    return [withdrawn, restore].filter((x): x is HTMLElement => x !== null);
  }

  private async restore(entry: HistoryEntry): Promise<void> {
    if (entry.eventId === null) return;
    try {
      const result = await restoreLabel(
        this.db,
        entry.eventId,
        this.session.labeler ? { labeledBy: this.session.labeler } : {},
      );
      await this.session.changed({ kind: 'restored-label', events: 1 });
      this.status.textContent = result.inEffect
        ? `Restored event ${entry.eventId} as event ${result.eventId}: it is now in effect.`
        : `Restored event ${entry.eventId} as event ${result.eventId}, but a label of a higher source still wins.`;
      this.status.dataset.restored = String(result.eventId);
    } catch (err) {
      this.status.textContent = `Event ${entry.eventId} could not be restored: ${(err as Error).message}`;
    }
    // The changed() notice has the view refresh every panel; this one is read again either way.
    this.refresh();
  }
}

function labelBadge(label: 0 | 1 | null): HTMLElement {
  if (label === null) return h('span', { class: 'muted' }, 'none');
  return h(
    'span',
    { class: `label-badge ${label === 1 ? 'positive' : 'negative'}` },
    label === 1 ? '1 illicit' : '0 benign',
  );
}
