/**
 * One open notebook: its header (title, where it is kept and whether it is saved, the notebook's
 * actions), problems the file has outside any cell, and the column of prose and cells.
 *
 * The page owns the notebook's runtime and is the only place edits are applied: each one is a new
 * document (write.ts and notebook-edits.ts) handed to `nb.update`, which re-runs only the cells
 * whose definition or inputs changed; the views are then matched to the new blocks. Text typed
 * into an editor but not run yet is a draft: it is part of the text that gets saved and
 * downloaded, so nothing typed is lost, but it runs only on Shift+Enter.
 */
import type { SQLNamespace } from '@codemirror/lang-sql';
import type { Database } from '../db/database.ts';
import type { ParquetCodec } from '../db/runtime.ts';
import type { ParamValue } from '../notebook/params.ts';
import { openNotebook, type CellState, type Notebook } from '../notebook/runtime.ts';
import type { CellBlock, NotebookDocument } from '../notebook/types.ts';
import { insertCell, moveCell, removeCell, setCellBody, writeNotebook } from '../notebook/write.ts';
import { formatDiagnostic } from '../notebook/diagnostics.ts';
import { asBody, CellView, type CellHost } from './cell-view.ts';
import { CodeEditor } from './code-editor.ts';
import { h, replaceChildren } from './dom.ts';
import { addProse, newCell, setProse, type NewBlockKind } from './notebook-edits.ts';
import { ProseView, type ProseHost } from './prose-view.ts';
import type { ProseRef, RefText } from '../notebook/prose-refs.ts';
import { proseResolver } from '../notebook/prose-values.ts';
import { tablesShowing } from '../notebook/shown-by.ts';
import { appTraining } from './training-runner.ts';
import type { NotebookFiles } from '../notebook/cells/context.ts';

/** How long one query of a cell may run in the app when its notebook sets no query_timeout. */
const APP_QUERY_TIMEOUT_MS = 10 * 60_000;

export interface PageOptions {
  /**
   * A connection of the notebook's own, closed with the page: result tables are TEMP tables,
   * which DuckDB keeps per connection, so two notebooks (the one closing and the one opening,
   * two with a cell of the same name) never see each other's results.
   */
  db: Database;
  /** The app's Parquet codec (its worker), for the cells' exports. */
  parquet: ParquetCodec;
  doc: NotebookDocument;
  /** Param values to start from (a shared link's), already checked against the notebook. */
  params?: Record<string, ParamValue>;
  /**
   * The notebook's text changed (an edit, a draft): save `text` soon. It is computed when asked
   * (a keystroke would otherwise parse the whole notebook again).
   */
  onEdit(): void;
  /** Param values changed: put them in the address. */
  onParams(values: Record<string, ParamValue>): void;
  sqlSchema(): SQLNamespace | undefined;
  /** Where labels cells read their files and report what they appended. */
  files?: NotebookFiles;
  /** The view's own actions for the header (download, copy link, delete...). */
  actions: HTMLElement[];
}

/** A deleted cell can be brought back for this long. */
const UNDO_MS = 12_000;

export class NotebookPage implements CellHost, ProseHost {
  readonly element: HTMLElement;
  private readonly title = h('h1', { class: 'nb-title' });
  private readonly file = h('span', { class: 'nb-file' });
  private readonly saveState = h('p', { class: 'nb-save-state', role: 'status' });
  private readonly problems = h('div', { class: 'nb-problems', hidden: true });
  private readonly notices = h('div', { class: 'nb-notices', hidden: true });
  private readonly toast = h('div', { class: 'nb-toast', hidden: true, role: 'status' });
  private readonly column = h('div', { class: 'nb-cells' });
  private readonly sourceHost = h('div', { class: 'nb-source', hidden: true });
  private readonly sourceToggle: HTMLButtonElement;
  private readonly views = new Map<string, CellView | ProseView>();
  private readonly drafts = new Map<string, string>();
  private sourceEditor: CodeEditor | null = null;
  private lastEditor: CodeEditor | null = null;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: () => void = () => undefined;

  private constructor(
    private readonly nb: Notebook,
    private readonly opts: PageOptions,
  ) {
    this.sourceToggle = h(
      'button',
      {
        type: 'button',
        class: 'button small',
        'aria-pressed': 'false',
        title: 'Edit the whole file as Markdown',
        onclick: () => this.toggleSource(),
      },
      'Source',
    );
    this.element = h(
      'article',
      { class: 'nb-page' },
      h(
        'header',
        { class: 'nb-header' },
        h('div', { class: 'nb-title-row' }, this.title, this.file),
        this.saveState,
        h(
          'div',
          { class: 'nb-actions button-row' },
          h(
            'button',
            {
              type: 'button',
              class: 'button small primary',
              'data-action': 'run-all',
              title: 'Run every cell again',
              onclick: () => this.runAll(),
            },
            'Run all',
          ),
          this.sourceToggle,
          ...opts.actions,
        ),
      ),
      this.notices,
      this.problems,
      this.sourceHost,
      this.column,
      this.toast,
    );
    this.unsubscribe = nb.on('cell', (state) => this.cellChanged(state));
    this.sync();
  }

  /** Open `doc` on `db` and start running it. */
  static async open(opts: PageOptions): Promise<NotebookPage> {
    // No `document`: plots are drawn by the page at their cell's width, not by the runtime.
    // Compare cells train in the page's training worker, and only when asked.
    const nb = await openNotebook(opts.doc, {
      db: opts.db,
      training: appTraining(),
      // Opening a notebook never writes labels: labels cells and the proxy rule wait for Confirm.
      writes: 'on-confirm',
      // Long enough for real work on a big snapshot; a query that never ends has Cancel before that.
      defaultQueryTimeoutMs: APP_QUERY_TIMEOUT_MS,
      ...(opts.params && { params: opts.params }),
      ...(opts.files && { files: opts.files }),
    });
    return new NotebookPage(nb, opts);
  }

  /** The notebook's text with what is typed but not run yet: what is saved and downloaded. */
  get text(): string {
    let doc = this.nb.doc;
    for (const [name, body] of this.drafts) {
      try {
        doc = setCellBody(doc, name, body);
      } catch {
        this.drafts.delete(name); // the cell is gone
      }
    }
    return writeNotebook(doc);
  }

  get doc(): NotebookDocument {
    return this.nb.doc;
  }

  params(): Record<string, ParamValue> {
    return this.nb.params;
  }

  /** "Saved in this browser at 12:03" and the like; `state` styles it and is there for tests. */
  setSaveState(text: string, state: 'shipped' | 'saving' | 'saved' | 'error' | 'memory'): void {
    this.saveState.textContent = text;
    this.saveState.dataset.saveState = state;
  }

  /** Messages about how the notebook was opened (a link's value that did not fit). */
  setNotices(messages: string[]): void {
    replaceChildren(this.notices, ...messages.map((m) => h('p', { class: 'nb-notice' }, m)));
    this.notices.hidden = messages.length === 0;
  }

  /** Labels changed elsewhere (the Labels or Review tab): quality cells report on them again. */
  labelsChanged(): void {
    for (const cell of this.nb.cells) if (cell.kind === 'quality' && cell.status !== 'running') this.nb.rerun(cell.id);
  }

  /** The data changed under the notebook (a load finished): every cell runs again. */
  dataChanged(): void {
    this.nb.rerun();
  }

  /** Type `text` into the editor used last, if it is still on the page. */
  insertIntoEditor(text: string): boolean {
    if (!this.lastEditor || !this.lastEditor.element.isConnected) return false;
    this.lastEditor.insert(text);
    return true;
  }

  async dispose(): Promise<void> {
    this.unsubscribe();
    clearTimeout(this.toastTimer);
    for (const v of this.views.values()) v.dispose();
    this.sourceEditor?.destroy();
    await this.nb.dispose();
    await this.opts.db.close();
  }

  // ---- CellHost / ProseHost -------------------------------------------------------------------

  run(id: string, text: string | undefined): void {
    const block = this.blocks().get(id);
    if (!block) return;
    this.drafts.delete(block.name);
    // Running is not editing: only a changed text is an edit (and makes a shipped notebook a copy).
    if (text !== undefined && asBody(text) !== block.body) this.apply(setCellBody(this.nb.doc, block.name, text));
    else this.nb.rerun(id);
  }

  train(id: string, text: string | undefined): void {
    const block = this.blocks().get(id);
    if (!block) return;
    this.drafts.delete(block.name);
    if (text !== undefined && asBody(text) !== block.body) this.apply(setCellBody(this.nb.doc, block.name, text));
    // An edit that broke the cell leaves nothing to train: the cell shows its problem.
    if (this.nb.cell(id)) this.nb.train(id);
  }

  cancel(id: string, part?: string): void {
    this.nb.cancel(id, part);
  }

  confirm(id: string): void {
    if (this.nb.cell(id)) this.nb.confirm(id);
  }

  shownBy(name: string): string[] {
    return tablesShowing(this.nb.doc, name);
  }

  proseValues(): (ref: ProseRef) => RefText {
    return proseResolver(this.nb.cells, (name) => this.nb.cell(name));
  }

  draft(name: string, text: string | null): void {
    if (text === null) this.drafts.delete(name);
    else this.drafts.set(name, text);
    this.edited();
  }

  setParam = (name: string, value: ParamValue): void => {
    this.nb.set(name, value);
    this.opts.onParams(this.nb.params);
  };

  move(name: string, direction: -1 | 1): void {
    this.apply(moveCell(this.nb.doc, name, direction));
    this.views.get(name)?.element.scrollIntoView({ block: 'nearest' });
  }

  remove(name: string): void {
    const before = this.text;
    const kind = this.blocks().get(name)?.kind ?? 'cell';
    this.drafts.delete(name);
    this.apply(removeCell(this.nb.doc, name));
    this.showToast(`Deleted ${kind} cell ${name}.`, 'Undo', () => {
      this.drafts.clear();
      this.nb.setSource(before);
      this.afterEdit();
    });
  }

  addBelow(id: string, kind: NewBlockKind): void {
    const block = this.blocks().get(id);
    const after = block ? block.name : id;
    if (kind === 'markdown') {
      this.apply(addProse(this.nb.doc, 'New text: double-check it says what the cells below show.', after));
      return;
    }
    const cell = newCell(this.nb.doc, kind, after, (sql) => {
      const value = this.nb.cell(sql)?.value;
      return value?.kind === 'sql' ? value.columns.map((c) => c.name) : undefined;
    });
    this.apply(insertCell(this.nb.doc, cell, after));
    const view = this.views.get(cell.name);
    if (view instanceof CellView) {
      view.expandEditor(true);
      view.element.scrollIntoView({ block: 'nearest' });
    }
  }

  editProse(id: string, text: string): void {
    this.apply(setProse(this.nb.doc, id, text));
  }

  goto(id: string): void {
    const view = this.views.get(id);
    if (!view) return;
    view.element.scrollIntoView({ block: 'center', behavior: 'smooth' });
    view.element.classList.remove('flash');
    void view.element.offsetWidth; // restart the animation
    view.element.classList.add('flash');
  }

  editorFocused(editor: CodeEditor): void {
    this.lastEditor = editor;
  }

  get parquet(): ParquetCodec {
    return this.opts.parquet;
  }

  sqlSchema(): SQLNamespace | undefined {
    return this.opts.sqlSchema();
  }

  // ---- edits --------------------------------------------------------------------------------

  private apply(doc: NotebookDocument): void {
    this.nb.update(doc);
    this.afterEdit();
  }

  private afterEdit(): void {
    this.sync();
    this.edited();
  }

  private edited(): void {
    this.opts.onEdit();
  }

  /** Every cell again, with what is typed in the editors (that part is an edit). */
  private runAll(): void {
    if (this.drafts.size > 0) {
      let doc = this.nb.doc;
      for (const [name, body] of this.drafts) doc = setCellBody(doc, name, body);
      this.drafts.clear();
      this.apply(doc);
    }
    this.nb.rerun();
  }

  private toggleSource(): void {
    const open = this.sourceHost.hidden;
    if (open) {
      this.sourceEditor?.destroy();
      this.sourceEditor = new CodeEditor({
        text: this.text,
        language: 'markdown',
        label: 'The notebook file',
        onChange: () => undefined,
        onRun: () => this.toggleSource(),
        onFocus: () => undefined,
      });
      replaceChildren(
        this.sourceHost,
        h(
          'p',
          { class: 'hint' },
          'The whole file. Shift+Enter or Source again applies it; cells whose text changed run.',
        ),
        this.sourceEditor.element,
      );
    } else if (this.sourceEditor) {
      const text = this.sourceEditor.text;
      this.sourceEditor.destroy();
      this.sourceEditor = null;
      if (text !== this.text) {
        this.drafts.clear();
        this.nb.setSource(text);
        this.afterEdit();
      }
    }
    this.sourceHost.hidden = !open;
    this.column.hidden = open;
    this.sourceToggle.setAttribute('aria-pressed', String(open));
    this.sourceToggle.textContent = open ? 'Apply source' : 'Source';
    if (open) this.sourceEditor?.focus();
  }

  private showToast(message: string, action: string, onAction: () => void): void {
    clearTimeout(this.toastTimer);
    replaceChildren(
      this.toast,
      h('span', {}, message),
      h(
        'button',
        {
          type: 'button',
          class: 'link-button',
          onclick: () => {
            this.toast.hidden = true;
            onAction();
          },
        },
        action,
      ),
    );
    this.toast.hidden = false;
    this.toastTimer = setTimeout(() => (this.toast.hidden = true), UNDO_MS);
  }

  // ---- views --------------------------------------------------------------------------------

  /** Cell blocks by the runtime's id for them (`name`, or `name@LINE` for a later duplicate). */
  private blocks(): Map<string, CellBlock> {
    const out = new Map<string, CellBlock>();
    for (const b of this.nb.doc.blocks) {
      if (b.type !== 'cell') continue;
      out.set(out.has(b.name) ? `${b.name}@${b.line}` : b.name, b);
    }
    return out;
  }

  private cellChanged(state: CellState): void {
    const view = this.views.get(state.id);
    if (view instanceof CellView) view.update(state);
    // Prose whose inline expressions read this cell shows its new value (or "waiting for").
    for (const v of this.views.values()) if (v instanceof ProseView && v.reads(state.id)) v.refresh();
  }

  /** Match the views to the notebook's blocks: reuse, create, drop, and put them in order. */
  private sync(): void {
    const doc = this.nb.doc;
    this.title.textContent = doc.frontMatter?.data?.title ?? doc.file.replace(/\.md$/, '');
    this.file.textContent = doc.file;
    this.showProblems(doc);

    const blocks = this.blocks();
    const order: HTMLElement[] = [];
    const keep = new Set<string>();
    for (const state of this.nb.cells) {
      keep.add(state.id);
      let view = this.views.get(state.id);
      if (state.kind === 'markdown') {
        const text = state.value?.kind === 'markdown' ? state.value.text : '';
        if (view instanceof ProseView) view.setText(state.id, text);
        else {
          view?.dispose();
          view = new ProseView(state.id, text, this);
        }
      } else {
        const block = blocks.get(state.id)!;
        if (view instanceof CellView && view.element.dataset.kind === block.kind) {
          view.setBlock(block);
          view.update(state);
        } else {
          view?.dispose();
          view = new CellView(block, state, this);
        }
      }
      this.views.set(state.id, view);
      order.push(view.element);
    }
    for (const [id, view] of this.views) {
      if (keep.has(id)) continue;
      view.dispose();
      this.views.delete(id);
      this.drafts.delete(id);
    }
    // Re-appending moves focus out of an editor: only when the order really changed.
    const current = [...this.column.children];
    if (current.length !== order.length || current.some((el, i) => el !== order[i]))
      this.column.replaceChildren(...order);
  }

  /** Problems outside any cell (front matter, a broken fence line); cells show their own. */
  private showProblems(doc: NotebookDocument): void {
    const outside = doc.diagnostics.filter((d) => !d.cell);
    replaceChildren(
      this.problems,
      ...outside.map((d) => h('p', { class: 'nb-problem', 'data-line': d.line }, formatDiagnostic(doc.file, d))),
    );
    this.problems.hidden = outside.length === 0;
  }
}
