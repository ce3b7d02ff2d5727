/**
 * The Notebooks view: the list of notebooks and the loaded tables on the left, the open notebook
 * on the right.
 *
 * Where a notebook lives: shipped ones are read from the server and never written; the first
 * edit of one makes the user's own copy in IndexedDB, and every edit of that is saved there a
 * moment later. The address hash names the open notebook and its param values, so a reload
 * reopens it as it was and "Copy link" shares the values.
 */
import type { LabelSession } from './label-session.ts';
import { appNotebookFiles } from './notebook-files.ts';
import type { SQLNamespace } from '@codemirror/lang-sql';
import type { ParamValue } from '../notebook/params.ts';
import { parseNotebook } from '../notebook/parse.ts';
import { formatDiagnostic } from '../notebook/diagnostics.ts';
import type { Lab, TableSummary } from '../sot/lab.ts';
import { h, replaceChildren } from './dom.ts';
import { downloadText, fileNameFor, newNotebookText, readNotebookFile } from './notebook-file.ts';
import { NotebookList } from './notebook-list.ts';
import { NotebookPage } from './notebook-page.ts';
import { newNotebookId, NotebookStore, type StoredNotebook } from './notebook-store.ts';
import {
  formatLink,
  linkParams,
  parseLink,
  refKey,
  sameRef,
  type NotebookLink,
  type NotebookRef,
} from './share-link.ts';
import { loadShippedNotebooks, type ShippedNotebook } from './shipped-notebooks.ts';
import { TablesPanel } from './tables-panel.ts';
import './notebook.css';

/** Edits are saved once typing pauses this long. */
const SAVE_DELAY_MS = 300;
/** The address follows slider moves at most this often (browsers limit replaceState calls). */
const ADDRESS_DELAY_MS = 250;
const LAST_OPEN = 'last-open-notebook';

interface OpenNotebook {
  ref: NotebookRef;
  page: NotebookPage;
  /** The stored record, once the notebook is the user's own. */
  stored: StoredNotebook | null;
  /** The tables the notebook last ran on, to know when a load changed them. */
  dataVersion: string;
}

export class NotebooksView {
  readonly element: HTMLElement;
  private readonly main = h('main', { class: 'nb-main' });
  private readonly openError = h('div', { class: 'nb-open-error', role: 'alert', hidden: true });
  private readonly dataNote = h('p', { class: 'nb-data-note', role: 'status', hidden: true });
  private readonly pageHost = h('div', { class: 'nb-page-host' });
  private readonly list: NotebookList;
  private readonly tables: TablesPanel;
  private readonly ready: Promise<void>;
  private store!: NotebookStore;
  private shipped: ShippedNotebook[] = [];
  private mine: StoredNotebook[] = [];
  private current: OpenNotebook | null = null;
  private tableSummaries: TableSummary[] = [];
  private opening = 0;
  /** The notebook being opened now, so a second request for it (address and tab at once) waits. */
  private openingKey: string | null = null;
  private started = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingSave: (() => Promise<void>) | null = null;
  private addressTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly lab: Lab,
    private readonly labels?: LabelSession,
  ) {
    // A labels cell's own import is already followed by its quality cells; changes from the tabs are not.
    labels?.onChange((change) => {
      if (change.origin !== 'notebook') this.current?.page.labelsChanged();
    });
    this.list = new NotebookList({
      open: (ref) => void this.open(ref),
      create: () => void this.create(),
      openFile: (file) => void this.openFile(file),
    });
    this.tables = new TablesPanel((t) => this.pickTable(t));
    this.element = h(
      'div',
      { class: 'notebooks-view' },
      h(
        'aside',
        { class: 'sidebar nb-sidebar' },
        this.list.element,
        this.tables.element,
        h('p', { class: 'hint nb-tables-hint' }, 'Click a table to type its name into the editor you used last.'),
      ),
      this.main,
    );
    replaceChildren(this.main, this.openError, this.dataNote, this.pageHost);
    this.showEmpty('Loading notebooks…');
    this.ready = this.init();
    window.addEventListener('hashchange', () => {
      const link = parseLink(location.hash);
      if (link) void this.openLink(link);
    });
    // Leaving the page: write what is waiting for its pause now.
    window.addEventListener('pagehide', () => void this.flushSave());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') void this.flushSave();
    });
  }

  /** The view was shown: the first time, open what the address or the last session had open. */
  shown(): void {
    if (this.started) return;
    this.started = true;
    void this.ready.then(async () => {
      if (this.current) return;
      const link = parseLink(location.hash);
      if (link) return this.openLink(link);
      const last = await this.store.getSetting<string>(LAST_OPEN);
      const ref = last ? parseLink(`nb=${encodeURIComponent(last)}`)?.ref : undefined;
      if (
        ref &&
        (ref.kind === 'shipped'
          ? this.shipped.some((s) => s.name === ref.name)
          : this.mine.some((m) => m.id === ref.id))
      )
        return this.open(ref);
      const first = this.shipped[0];
      if (first) return this.open({ kind: 'shipped', name: first.name });
      this.showEmpty('No notebook yet: start a new one, or open a file.');
    });
  }

  /** A load started: say that the cells will run again when it is in. */
  dataLoading(label: string): void {
    this.dataNote.textContent = `Loading ${label}: cells run again once it is in.`;
    this.dataNote.hidden = false;
  }

  /** A load finished: list the tables, and run the open notebook again if its data changed. */
  tablesChanged(tables: TableSummary[]): void {
    this.dataNote.hidden = true;
    this.tableSummaries = tables;
    this.tables.update(tables);
    this.followData();
  }

  /** Run the open notebook again if the data it last ran on is not what is loaded now. */
  private followData(): void {
    const now = dataVersion(this.tableSummaries);
    if (this.current && this.current.dataVersion !== now) {
      this.current.dataVersion = now;
      this.current.page.dataChanged();
    }
  }

  // ---- opening ------------------------------------------------------------------------------

  private async init(): Promise<void> {
    const [store, shipped, tables] = await Promise.all([
      NotebookStore.open(),
      loadShippedNotebooks().catch((err: unknown) => {
        this.showOpenError('The shipped notebooks could not be listed', [(err as Error).message]);
        return [] as ShippedNotebook[];
      }),
      this.lab.tables().catch(() => [] as TableSummary[]),
    ]);
    this.store = store;
    this.shipped = shipped;
    if (this.tableSummaries.length === 0) this.tablesChanged(tables);
    await this.refreshList();
  }

  private async refreshList(): Promise<void> {
    this.mine = await this.store.list();
    this.list.render(this.shipped, this.mine, this.current?.ref ?? null);
  }

  private async openLink(link: NotebookLink): Promise<void> {
    await this.ready;
    if (this.current && sameRef(this.current.ref, link.ref)) {
      // The same notebook, other values: set them as the inputs would.
      const { values, problems } = linkParams(this.current.page.doc, link.params);
      for (const [name, value] of Object.entries(values)) this.current.page.setParam(name, value);
      this.current.page.setNotices(problems);
      return;
    }
    if (this.openingKey === refKey(link.ref)) return;
    await this.open(link.ref, link.params);
  }

  /** Open a notebook; the one open stays until the new one is ready (or fails to open). */
  async open(ref: NotebookRef, params: ReadonlyMap<string, string> = new Map()): Promise<void> {
    this.openingKey = refKey(ref);
    try {
      await this.openNow(ref, params);
    } finally {
      if (this.openingKey === refKey(ref)) this.openingKey = null;
    }
  }

  private async openNow(ref: NotebookRef, params: ReadonlyMap<string, string>): Promise<void> {
    await this.ready;
    const attempt = ++this.opening;
    await this.flushSave();
    let text: string;
    let stored: StoredNotebook | null = null;
    let file: string;
    if (ref.kind === 'shipped') {
      const shipped = this.shipped.find((s) => s.name === ref.name);
      if (!shipped)
        return this.showOpenError(`There is no shipped notebook ${ref.name}`, [
          `Shipped notebooks: ${this.shipped.map((s) => s.name).join(', ') || 'none'}.`,
        ]);
      text = shipped.text;
      file = `${shipped.name}.md`;
    } else {
      stored = (await this.store.get(ref.id)) ?? null;
      if (!stored) {
        return this.showOpenError('This notebook is not in this browser', [
          'Links to your own notebooks open only in the browser they were made in. Shipped notebooks open anywhere.',
        ]);
      }
      text = stored.text;
      file = stored.file;
    }
    const doc = parseNotebook(text, { file });
    const { values, problems } = linkParams(doc, params);
    // The data the page's cells start on: a load that ends while the page opens must run them
    // again, and tablesChanged cannot tell a page that is not current yet.
    const opensOn = dataVersion(this.tableSummaries);
    const page = await NotebookPage.open({
      db: await this.lab.db.connect(),
      parquet: this.lab.runtime.parquet,
      doc,
      params: values,
      onEdit: () => this.edited(page),
      onParams: (v) => this.paramsChanged(page, v),
      sqlSchema: () => this.sqlSchema(),
      ...(this.labels && { files: appNotebookFiles(this.lab, this.labels) }),
      actions: this.pageActions(() => page),
    });
    if (attempt !== this.opening) {
      await page.dispose();
      return;
    }
    const previous = this.current;
    this.current = { ref, page, stored, dataVersion: opensOn };
    this.followData();
    page.setNotices(problems);
    this.showSaveState();
    this.openError.hidden = true;
    replaceChildren(this.pageHost, page.element);
    this.element.dataset.notebook = refKey(ref);
    this.setAddress();
    await previous?.page.dispose();
    await this.store.setSetting(LAST_OPEN, refKey(ref));
    this.list.render(this.shipped, this.mine, ref);
  }

  private async create(): Promise<void> {
    await this.ready;
    const files = new Set(this.mine.map((m) => m.file));
    let n = 1;
    while (files.has(fileNameFor(`Untitled notebook ${n}`))) n++;
    const title = `Untitled notebook ${n}`;
    await this.addMine({ file: fileNameFor(title), text: newNotebookText(title) });
  }

  /** A notebook file from the user's disk: opened only if it parses, else its problems are shown. */
  private async openFile(file: File): Promise<void> {
    await this.ready;
    let text: string;
    try {
      text = await readNotebookFile(file);
    } catch (err) {
      return this.showOpenError(`${file.name} could not be opened`, [(err as Error).message]);
    }
    const doc = parseNotebook(text, { file: file.name });
    if (doc.diagnostics.length === 0) return this.addMine({ file: file.name, text });
    const open = this.current ? `${this.current.page.doc.file} stays open.` : '';
    this.showOpenError(
      `${file.name} has ${doc.diagnostics.length === 1 ? 'a problem' : `${doc.diagnostics.length} problems`}: it was not opened. ${open}`,
      doc.diagnostics.map((d) => formatDiagnostic(doc.file, d)),
      { label: 'Open anyway', run: () => void this.addMine({ file: file.name, text }) },
    );
  }

  private async addMine(notebook: { file: string; text: string; origin?: string }): Promise<void> {
    const now = Date.now();
    const stored: StoredNotebook = { id: newNotebookId(), created: now, updated: now, ...notebook };
    await this.store.put(stored);
    await this.refreshList();
    await this.open({ kind: 'mine', id: stored.id });
  }

  // ---- saving -------------------------------------------------------------------------------

  /** An edit: the first one of a shipped notebook makes the user's copy; each is saved shortly. */
  private edited(page: NotebookPage): void {
    const current = this.current;
    if (!current || current.page !== page) return;
    if (!current.stored) {
      if (current.ref.kind !== 'shipped') return;
      const name = current.ref.name;
      const text = page.text;
      // Typed and taken back: still the shipped text, no copy needed.
      if (text === this.shipped.find((s) => s.name === name)?.text) return;
      const now = Date.now();
      current.stored = {
        id: newNotebookId(),
        file: `${current.ref.name}.md`,
        text,
        origin: current.ref.name,
        created: now,
        updated: now,
      };
      current.ref = { kind: 'mine', id: current.stored.id };
      this.element.dataset.notebook = refKey(current.ref);
      this.setAddress();
    }
    const stored = current.stored;
    page.setSaveState('Saving…', 'saving');
    clearTimeout(this.saveTimer);
    this.pendingSave = async () => {
      try {
        stored.text = page.text;
        stored.updated = Date.now();
        await this.store.put({ ...stored });
        if (this.current?.stored === stored) this.showSaveState();
        await this.store.setSetting(LAST_OPEN, refKey({ kind: 'mine', id: stored.id }));
        await this.refreshList();
      } catch (err) {
        page.setSaveState(`Not saved: ${(err as Error).message}. Download the notebook to keep your edits.`, 'error');
      }
    };
    this.saveTimer = setTimeout(() => void this.flushSave(), SAVE_DELAY_MS);
  }

  private async flushSave(): Promise<void> {
    clearTimeout(this.saveTimer);
    const save = this.pendingSave;
    this.pendingSave = null;
    await save?.();
  }

  private showSaveState(): void {
    const current = this.current;
    if (!current) return;
    const { page, stored } = current;
    const remove = page.element.querySelector<HTMLElement>('[data-action="delete-notebook"]');
    if (remove) remove.hidden = !stored;
    if (!stored) {
      page.setSaveState(
        'Shipped with Label Lab and read from the server. Your first edit makes your own copy, saved in this browser.',
        'shipped',
      );
      return;
    }
    const what = stored.origin ? `Your copy of ${stored.origin}` : 'Your notebook';
    if (!this.store.persistent) {
      page.setSaveState(
        `${what}, kept in memory only: this browser refused storage (${this.store.problem}). Download it to keep your edits.`,
        'memory',
      );
      return;
    }
    const time = new Date(stored.updated).toLocaleTimeString([], {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    page.setSaveState(`${what}, saved in this browser at ${time}.`, 'saved');
  }

  // ---- the address and the header's actions -------------------------------------------------

  private paramsChanged(page: NotebookPage, _values: Record<string, ParamValue>): void {
    if (this.current?.page !== page) return;
    clearTimeout(this.addressTimer);
    this.addressTimer = setTimeout(() => this.setAddress(), ADDRESS_DELAY_MS);
  }

  private setAddress(): void {
    if (!this.current) return;
    history.replaceState(history.state, '', formatLink(this.current.ref, this.current.page.params()));
  }

  /** What a shared link opens: the shipped original of a copy (the edits stay in this browser). */
  private shareLink(): { url: string; note: string } {
    const { ref, stored, page } = this.current!;
    const shared: NotebookRef = stored?.origin ? { kind: 'shipped', name: stored.origin } : ref;
    const url = `${location.origin}${location.pathname}${formatLink(shared, page.params())}`;
    const note =
      shared.kind === 'shipped'
        ? stored?.origin
          ? `Copied. The link opens the shipped ${stored.origin} with these values; your edits stay in this browser.`
          : 'Copied. The link opens this notebook with these values.'
        : 'Copied. This notebook is yours: the link opens it only in this browser (download it to share it).';
    return { url, note };
  }

  private pageActions(page: () => NotebookPage): HTMLElement[] {
    const copy = h(
      'button',
      {
        type: 'button',
        class: 'button small',
        'data-action': 'copy-link',
        title: 'Copy a link with the current input values',
      },
      'Copy link',
    );
    // The handler catches its own failures (a refused clipboard), so nothing is left unhandled.
    const copyLink = async (): Promise<void> => {
      const { url, note } = this.shareLink();
      copy.dataset.link = url;
      try {
        await navigator.clipboard.writeText(url);
        copy.textContent = 'Copied ✓';
        copy.title = note;
        page().setNotices([note]);
      } catch {
        page().setNotices([`Copy this link: ${url}`]);
      }
      setTimeout(() => (copy.textContent = 'Copy link'), 2000);
    };
    copy.addEventListener('click', () => void copyLink());
    const download = h(
      'button',
      {
        type: 'button',
        class: 'button small',
        'data-action': 'download',
        title: 'Download the notebook as its Markdown file',
        onclick: () => {
          const p = page();
          downloadText(p.doc.file.endsWith('.md') ? p.doc.file : `${p.doc.file}.md`, p.text);
        },
      },
      'Download',
    );
    const remove = h(
      'button',
      {
        type: 'button',
        class: 'button small danger',
        'data-action': 'delete-notebook',
        title: 'Delete your notebook from this browser',
        onclick: () => void this.deleteCurrent(),
      },
      'Delete…',
    );
    return [download, copy, remove];
  }

  private async deleteCurrent(): Promise<void> {
    const current = this.current;
    if (!current?.stored) {
      current?.page.setNotices(['Shipped notebooks cannot be deleted; your copies can.']);
      return;
    }
    if (!window.confirm(`Delete ${current.page.doc.file} from this browser? Download it first to keep a copy.`)) return;
    clearTimeout(this.saveTimer);
    this.pendingSave = null;
    await this.store.delete(current.stored.id);
    await this.refreshList();
    const next = current.stored.origin ?? this.shipped[0]?.name;
    if (next) await this.open({ kind: 'shipped', name: next });
    else {
      this.current = null;
      await current.page.dispose();
      this.showEmpty('No notebook open.');
    }
  }

  // ---- pieces -------------------------------------------------------------------------------

  private pickTable(table: TableSummary): void {
    this.tables.select(table.name);
    this.current?.page.insertIntoEditor(table.name);
  }

  private sqlSchema(): SQLNamespace {
    return Object.fromEntries(this.tableSummaries.map((t) => [t.name, t.columns.map((c) => c.name)]));
  }

  private showEmpty(message: string): void {
    replaceChildren(this.pageHost, h('div', { class: 'empty-state' }, h('p', {}, message)));
  }

  private showOpenError(title: string, lines: string[], action?: { label: string; run: () => void }): void {
    replaceChildren(
      this.openError,
      h('h2', { class: 'nb-open-error-title' }, title),
      h('ul', { class: 'nb-open-error-list' }, ...lines.map((l) => h('li', {}, l))),
      h(
        'div',
        { class: 'button-row' },
        action
          ? h(
              'button',
              {
                type: 'button',
                class: 'button small',
                onclick: () => {
                  this.openError.hidden = true;
                  action.run();
                },
              },
              action.label,
            )
          : null,
        h(
          'button',
          { type: 'button', class: 'button small', onclick: () => (this.openError.hidden = true) },
          'Dismiss',
        ),
      ),
    );
    this.openError.hidden = false;
    this.openError.scrollIntoView({ block: 'nearest' });
  }
}

/** What the notebook's results depend on, in brief: the tables and their sizes. */
function dataVersion(tables: TableSummary[]): string {
  return tables.map((t) => `${t.name}:${t.rows}:${t.columns.length}`).join(',');
}
