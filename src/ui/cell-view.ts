/**
 * One cell of any kind: a compact header (kind, name, status, duration and the cell's tools), a
 * collapsible code editor, a progress bar for runs that take over a second, and the output
 * (drawn by the kind's view, cell-kind-views.ts; or the error).
 *
 * The view only shows state and reports intentions; the page applies edits to the notebook.
 * Data attributes carry the state for tests and the benchmark: `data-cell`, `data-kind`,
 * `data-status` (idle, running, done, error), `data-runs` (completed runs), `data-duration-ms`
 * (the last run's time in the runtime) and `data-waited-ms` (of it, the wait behind other queries).
 */
import type { SQLNamespace } from '@codemirror/lang-sql';
import type { ParquetCodec } from '../db/runtime.ts';
import type { CellValueOfKind } from '../notebook/cell-kinds.ts';
import type { ParamValue } from '../notebook/params.ts';
import type { CellState } from '../notebook/runtime.ts';
import type { CellBlock } from '../notebook/types.ts';
import type { CellKindView, CellOutput, Place } from './cell-kind-view.ts';
import { cellKindView } from './cell-kind-views.ts';
import { renderCellError } from './cell-output.ts';
import { CodeEditor } from './code-editor.ts';
import { h, replaceChildren } from './dom.ts';
import { NEW_BLOCK_KINDS, type NewBlockKind } from './notebook-edits.ts';
import type { SetParam } from './param-inputs.ts';

/** What a cell asks of the page it is on. */
export interface CellHost {
  /** Apply `text` as the cell's body when it differs, and run the cell (and its dependents). */
  run(id: string, text: string | undefined): void;
  /** Like `run`, for a compare cell: and train it. */
  train(id: string, text: string | undefined): void;
  /** Cancel one strategy of a compare cell's training, or all of it. */
  cancel(id: string, part?: string): void;
  /** Let a cell that writes labels write what it showed (a labels cell's Confirm import). */
  confirm(id: string): void;
  /** The table cells below that show sql cell `name`'s result. */
  shownBy(name: string): string[];
  /** The editor's text, typed but not yet run (null: back to the cell's own body). */
  draft(name: string, text: string | null): void;
  setParam: SetParam;
  params(): Record<string, ParamValue>;
  move(name: string, direction: -1 | 1): void;
  remove(name: string): void;
  addBelow(id: string, kind: NewBlockKind): void;
  goto(id: string): void;
  editorFocused(editor: CodeEditor): void;
  sqlSchema(): SQLNamespace | undefined;
  /** The app's Parquet codec (its worker): exports encode through it. */
  parquet: ParquetCodec;
}

const STATUS_TEXT: Record<CellState['status'], string> = {
  idle: 'not run',
  running: 'running',
  done: 'done',
  error: 'failed',
};

/** Runs shorter than this show no progress bar: it would only flicker. */
const PROGRESS_AFTER_MS = 1000;

/** The body as an editor shows it: without the newline every body ends with. */
export function editorText(block: CellBlock): string {
  return block.body.replace(/\n$/, '');
}

/** Editor text as a body: what `setCellBody` would store (every body line ends with a newline). */
export function asBody(text: string): string {
  return text === '' || text.endsWith('\n') ? text : text + '\n';
}

/**
 * A cell's duration: how long it ran, and apart, how long it waited for the connection behind
 * other queries, when that was noticeable ("0.1 s · waited 2.5 s").
 */
export function durationText(totalMs: number, waitedMs: number | undefined): string {
  const waited = waitedMs ?? 0;
  if (waited < 50 && waited < totalMs * 0.1) return formatDuration(totalMs);
  return `${formatDuration(Math.max(0, totalMs - waited))} · waited ${formatDuration(waited)}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(1, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export class CellView {
  readonly element: HTMLElement;
  private readonly status = h('span', { class: 'nb-status' });
  private readonly duration = h('span', { class: 'nb-duration' });
  private readonly edited = h('span', { class: 'nb-edited', hidden: true }, 'edited · Shift+Enter runs');
  private readonly codeToggle: HTMLButtonElement;
  private readonly editorHost = h('div', { class: 'nb-editor', hidden: true });
  private readonly progress = h('div', { class: 'nb-progress', hidden: true });
  private readonly output = h('div', { class: 'nb-output' });
  private editor: CodeEditor | null = null;
  private readonly view: CellKindView<CellValueOfKind>;
  /** The kind's output, made when first needed and kept: outputs that refill keep their state across runs. */
  private kindOutput: CellOutput<CellValueOfKind> | null = null;
  private readonly place: Place = (element) => {
    if (element.parentElement !== this.output) replaceChildren(this.output, element);
  };
  private progressTimer: ReturnType<typeof setTimeout> | undefined;
  private progressTick: ReturnType<typeof setInterval> | undefined;
  private runningSince = 0;

  constructor(
    private block: CellBlock,
    private state: CellState,
    private readonly host: CellHost,
  ) {
    this.view = cellKindView(block.kind);
    this.codeToggle = h(
      'button',
      {
        type: 'button',
        class: 'nb-tool nb-code-toggle',
        'aria-expanded': 'false',
        title: 'Show or hide the code',
        onclick: () => this.toggleEditor(),
      },
      'Code',
    );
    const name = block.name;
    this.element = h(
      'section',
      {
        class: `nb-cell kind-${block.kind}`,
        'data-cell': state.id,
        'data-kind': block.kind,
        'aria-label': `${this.view.label} cell ${name}`,
      },
      h(
        'header',
        { class: 'nb-cell-head' },
        h('span', { class: 'nb-kind' }, this.view.label),
        h('span', { class: 'nb-name', title: name }, name),
        this.status,
        this.duration,
        this.edited,
        h(
          'span',
          { class: 'nb-tools' },
          this.codeToggle,
          h(
            'button',
            {
              type: 'button',
              class: 'nb-tool nb-run',
              title: 'Run this cell (Shift+Enter in its editor)',
              'aria-label': `Run ${name}`,
              onclick: () => this.run(),
            },
            '▶ Run',
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'nb-tool icon',
              title: 'Move up',
              'aria-label': `Move ${name} up`,
              onclick: () => host.move(name, -1),
            },
            '↑',
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'nb-tool icon',
              title: 'Move down',
              'aria-label': `Move ${name} down`,
              onclick: () => host.move(name, 1),
            },
            '↓',
          ),
          addMenu((kind) => host.addBelow(state.id, kind)),
          h(
            'button',
            {
              type: 'button',
              class: 'nb-tool icon danger',
              title: 'Delete this cell',
              'aria-label': `Delete ${name}`,
              onclick: () => host.remove(name),
            },
            '✕',
          ),
        ),
      ),
      this.editorHost,
      this.progress,
      this.output,
    );
    this.update(state);
  }

  get id(): string {
    return this.state.id;
  }

  /** The notebook was parsed again: take the cell's new body unless the user is editing it. */
  setBlock(block: CellBlock): void {
    const editing = this.isDraft();
    this.block = block;
    if (this.editor && !editing) this.editor.setText(editorText(block));
    this.markEdited();
    this.out().showBlock?.(block, this.place);
  }

  update(state: CellState): void {
    this.state = state;
    this.element.dataset.status = state.status;
    this.element.dataset.runs = String(state.runs);
    if (state.durationMs !== undefined) this.element.dataset.durationMs = state.durationMs.toFixed(1);
    if (state.waitedMs !== undefined) this.element.dataset.waitedMs = state.waitedMs.toFixed(1);
    else if (state.status !== 'running') delete this.element.dataset.waitedMs;
    // A run that did not do the cell's work (a compare cell that has not trained) says so rather than "done".
    const value = state.value;
    const notDone =
      state.status === 'done' && value && value.kind !== 'markdown' ? this.view.notDone?.(value) : undefined;
    this.status.textContent = notDone ?? STATUS_TEXT[state.status];
    this.status.dataset.status = notDone !== undefined ? 'idle' : state.status;
    this.duration.textContent =
      state.durationMs !== undefined && state.status !== 'running'
        ? durationText(state.durationMs, state.waitedMs)
        : '';
    if (state.waitedMs !== undefined) this.element.dataset.waitedMs = state.waitedMs.toFixed(1);
    this.duration.title =
      state.waitedMs !== undefined && state.durationMs !== undefined
        ? `ran ${formatDuration(state.durationMs - state.waitedMs)}, waited ${formatDuration(state.waitedMs)} for other queries to finish`
        : '';
    const out = this.out();
    if (state.status === 'running' && state.progress && out.showProgress) {
      // A run that reports its own progress (a compare cell training) shows it as its output.
      this.stopProgress();
      this.output.classList.remove('stale');
      out.showProgress(state.progress, this.place);
      return;
    }
    if (state.status === 'running') this.startProgress();
    else this.stopProgress();
    this.output.classList.toggle('stale', state.status === 'running');
    if (state.status === 'done' || state.status === 'error') this.showOutput();
    else if (state.status === 'idle') out.showBlock?.(this.block, this.place);
  }

  /** Open the editor (new cells, a failed cell the user goes to). */
  expandEditor(focus = false): void {
    if (!this.editor) {
      this.editor = new CodeEditor({
        text: editorText(this.block),
        language: this.view.language,
        label: `${this.view.label} of cell ${this.block.name}`,
        onChange: (text) => {
          this.host.draft(this.block.name, this.isDraft() ? text : null);
          this.markEdited();
        },
        onRun: () => this.run(),
        onFocus: () => this.host.editorFocused(this.editor!),
        schema: this.view.language === 'sql' ? this.host.sqlSchema() : undefined,
      });
      this.editorHost.append(this.editor.element);
    }
    this.editorHost.hidden = false;
    this.codeToggle.setAttribute('aria-expanded', 'true');
    if (focus) this.editor.focus();
  }

  dispose(): void {
    this.stopProgress();
    this.editor?.destroy();
    this.kindOutput?.dispose?.();
  }

  private toggleEditor(): void {
    if (this.editorHost.hidden) this.expandEditor(true);
    else {
      this.editorHost.hidden = true;
      this.codeToggle.setAttribute('aria-expanded', 'false');
    }
  }

  /** Run the cell; a compare cell's Run (and Shift+Enter) trains it, which is what running it means. */
  private run(): void {
    if (this.view.runTrains) this.host.train(this.state.id, this.editor?.text);
    else this.host.run(this.state.id, this.editor?.text);
  }

  private out(): CellOutput<CellValueOfKind> {
    this.kindOutput ??= this.view.output({
      setParam: this.host.setParam,
      params: () => this.host.params(),
      parquet: this.host.parquet,
      run: () => this.run(),
      cancel: (part) => this.host.cancel(this.state.id, part),
      confirm: () => this.host.confirm(this.state.id),
      shownBy: (name) => this.host.shownBy(name),
    });
    return this.kindOutput;
  }

  /** Whether the editor holds text that is not the cell's body yet. */
  private isDraft(): boolean {
    return !!this.editor && asBody(this.editor.text) !== this.block.body;
  }

  private markEdited(): void {
    this.edited.hidden = !this.isDraft();
    this.element.classList.toggle('edited', !this.edited.hidden);
  }

  private showOutput(): void {
    const { state } = this;
    if (state.status === 'error' && state.error) {
      replaceChildren(
        this.output,
        renderCellError(state.error, (id) => this.host.goto(id)),
      );
      return;
    }
    const value = state.value;
    if (!value || value.kind === 'markdown') return;
    this.out().show(value, this.block, this.place);
  }

  private startProgress(): void {
    if (this.progressTimer !== undefined || this.progressTick !== undefined) return;
    this.runningSince = performance.now();
    this.progressTimer = setTimeout(() => {
      const label = h('span', { class: 'nb-progress-label' });
      const tick = () => (label.textContent = `Running… ${formatDuration(performance.now() - this.runningSince)}`);
      tick();
      replaceChildren(
        this.progress,
        h(
          'div',
          { class: 'progress-bar indeterminate', role: 'progressbar', 'aria-label': `Running ${this.block.name}` },
          h('div', { class: 'progress-fill' }),
        ),
        label,
        // Stops the run, and its DuckDB query in progress with it; the data and labels stay.
        h(
          'button',
          {
            type: 'button',
            class: 'button small',
            'data-action': 'cancel-run',
            'aria-label': `Cancel ${this.block.name}`,
            onclick: (e: Event) => {
              (e.currentTarget as HTMLButtonElement).disabled = true;
              this.host.cancel(this.state.id);
            },
          },
          'Cancel',
        ),
      );
      this.progress.hidden = false;
      this.progressTick = setInterval(tick, 1000);
    }, PROGRESS_AFTER_MS);
  }

  private stopProgress(): void {
    clearTimeout(this.progressTimer);
    clearInterval(this.progressTick);
    this.progressTimer = undefined;
    this.progressTick = undefined;
    this.progress.hidden = true;
  }
}

/** "+" with the kinds a new block below can be. */
export function addMenu(pick: (kind: NewBlockKind) => void): HTMLElement {
  const menu: HTMLDetailsElement = h(
    'details',
    { class: 'nb-add' },
    h('summary', { class: 'nb-tool icon', title: 'Add a cell below', 'aria-label': 'Add below' }, '+'),
    h(
      'div',
      { class: 'nb-add-menu', role: 'menu' },
      ...NEW_BLOCK_KINDS.map(({ kind, label }) =>
        h(
          'button',
          {
            type: 'button',
            role: 'menuitem',
            'data-add': kind,
            onclick: () => {
              menu.open = false;
              pick(kind);
            },
          },
          label,
        ),
      ),
    ),
  );
  return menu;
}
