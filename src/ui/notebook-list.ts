/**
 * The notebooks panel: New and Open file…, the notebooks shipped with the app, and the user's
 * own (copies of shipped ones, new ones, opened files), the open one marked. A copy keeps the
 * shipped notebook's title, so each of the user's is marked as theirs.
 */
import { h, replaceChildren } from './dom.ts';
import type { StoredNotebook } from './notebook-store.ts';
import { refKey, type NotebookRef } from './share-link.ts';
import type { ShippedNotebook } from './shipped-notebooks.ts';
import { notebookTitle } from './shipped-notebooks.ts';

export interface NotebookListActions {
  open(ref: NotebookRef): void;
  create(): void;
  openFile(file: File): void;
}

export class NotebookList {
  readonly element: HTMLElement;
  private readonly shippedList = h('ul', { class: 'nb-list', 'aria-label': 'Shipped notebooks' });
  private readonly mineList = h('ul', { class: 'nb-list', 'aria-label': 'My notebooks' });
  private current: string | null = null;

  constructor(private readonly actions: NotebookListActions) {
    const fileInput = h('input', {
      type: 'file',
      accept: '.md,.markdown,text/markdown,text/plain',
      class: 'visually-hidden',
      'data-picker': 'notebook',
    });
    fileInput.addEventListener('change', () => {
      const file = fileInput.files?.[0];
      fileInput.value = ''; // so opening the same file again fires `change` again
      if (file) actions.openFile(file);
    });
    this.element = h(
      'section',
      { class: 'panel nb-list-panel', 'aria-label': 'Notebooks' },
      h('h2', { class: 'panel-title' }, 'Notebooks'),
      h(
        'div',
        { class: 'button-row' },
        h(
          'button',
          { type: 'button', class: 'button primary', 'data-action': 'new-notebook', onclick: () => actions.create() },
          'New',
        ),
        h(
          'button',
          { type: 'button', class: 'button', 'data-action': 'open-file', onclick: () => fileInput.click() },
          'Open file…',
        ),
      ),
      fileInput,
      h('h3', { class: 'nb-list-title' }, 'Shipped'),
      this.shippedList,
      h('h3', { class: 'nb-list-title' }, 'My notebooks'),
      this.mineList,
    );
  }

  render(shipped: ShippedNotebook[], mine: StoredNotebook[], current: NotebookRef | null): void {
    this.current = current ? refKey(current) : null;
    replaceChildren(
      this.shippedList,
      ...(shipped.length
        ? shipped.map((s) => this.item({ kind: 'shipped', name: s.name }, s.title, `${s.name}.md`))
        : [h('li', { class: 'empty' }, 'No notebooks shipped with this build.')]),
    );
    replaceChildren(
      this.mineList,
      ...(mine.length
        ? mine.map((m) =>
            this.item(
              { kind: 'mine', id: m.id },
              notebookTitle(m.text, m.file.replace(/\.md$/, '')),
              describeMine(m),
              m.origin ? 'your copy' : 'yours',
            ),
          )
        : [h('li', { class: 'empty' }, 'None yet: editing a shipped notebook makes your copy here.')]),
    );
  }

  /** One notebook; `mark` says it is the user's ("your copy" of a shipped one keeps its title). */
  private item(ref: NotebookRef, title: string, detail: string, mark?: string): HTMLElement {
    const key = refKey(ref);
    return h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'nb-item',
          'data-notebook': key,
          'aria-current': String(key === this.current),
          title: mark ? `${title} (${mark}, saved in this browser)` : title,
          onclick: () => this.actions.open(ref),
        },
        h(
          'span',
          { class: 'nb-item-title' },
          mark ? h('span', { class: 'nb-item-mark', 'data-mark': mark }, mark) : null,
          title,
        ),
        h('span', { class: 'nb-item-detail' }, detail),
      ),
    );
  }
}

function describeMine(m: StoredNotebook): string {
  const when = new Date(m.updated);
  const today = new Date().toDateString() === when.toDateString();
  const time = today ? when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : when.toLocaleDateString();
  return `${m.origin ? `copy of ${m.origin}` : m.file} · ${time}`;
}
