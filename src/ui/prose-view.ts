/**
 * The prose between cells: Markdown rendered safely (raw HTML shown as text by the notebook's
 * renderer, then DOMPurify over the page's real window with the prose allow-list of
 * src/notebook/sanitize-policy.ts), and a Markdown editor to change it.
 * Typing goes into the notebook after a short pause (prose runs nothing, so this is only a save
 * and a fresh preview); Shift+Enter or "Done" closes the editor.
 *
 * Inline expressions (`${board.entries[strategy=proxy].roc_auc}`, src/notebook/prose-refs.ts)
 * take their values from the host; the page calls `refresh` when a cell they read changes.
 */
import DOMPurify from 'dompurify';
import { renderMarkdown } from '../notebook/markdown.ts';
import { purifySanitizer } from '../notebook/sanitize-policy.ts';
import { proseRefs, type ProseRef, type RefText } from '../notebook/prose-refs.ts';
import { CodeEditor } from './code-editor.ts';
import { addMenu } from './cell-view.ts';
import { h } from './dom.ts';
import { proseCore, type NewBlockKind } from './notebook-edits.ts';

// DOMPurify configured from the prose allow-list (src/notebook/sanitize-policy.ts), as headless reports are.
const purify = purifySanitizer(DOMPurify(window));

/** Typing pauses this long before the text goes into the notebook (and is saved). */
const TYPING_PAUSE_MS = 400;

export interface ProseHost {
  editProse(id: string, text: string): void;
  /**
   * What inline expressions read now (a value, or its placeholder): one resolver per render, so
   * what all of them share (the writes waiting for Confirm) is read once, not once per expression.
   */
  proseValues(): (ref: ProseRef) => RefText;
  addBelow(id: string, kind: NewBlockKind): void;
  editorFocused(editor: CodeEditor): void;
}

export class ProseView {
  readonly element: HTMLElement;
  private readonly rendered = h('div', { class: 'nb-prose-body' });
  private readonly editorHost = h('div', { class: 'nb-editor', hidden: true });
  private editor: CodeEditor | null = null;
  private readonly toggle: HTMLButtonElement;
  private text = '';
  /** The cells this text's inline expressions read. */
  private refCells = new Set<string>();
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(
    public id: string,
    text: string,
    private readonly host: ProseHost,
  ) {
    this.toggle = h(
      'button',
      {
        type: 'button',
        class: 'nb-tool',
        title: 'Edit this text (Shift+Enter closes the editor)',
        onclick: () => this.toggleEditor(),
      },
      'Edit',
    );
    this.element = h(
      'section',
      { class: 'nb-prose', 'data-prose': id },
      h(
        'div',
        { class: 'nb-prose-tools' },
        this.toggle,
        addMenu((kind) => host.addBelow(this.id, kind)),
      ),
      this.editorHost,
      this.rendered,
    );
    this.setText(id, text);
  }

  setText(id: string, text: string): void {
    this.id = id;
    this.element.dataset.prose = id;
    if (text === this.text) return;
    this.text = text;
    this.refCells = new Set(proseRefs(text).map((r) => r.cell));
    this.render();
  }

  /** Whether an inline expression of this text reads cell `name`. */
  reads(name: string): boolean {
    return this.refCells.has(name);
  }

  /** Render again: a cell an inline expression reads has a new value (or lost it). */
  refresh(): void {
    if (this.refCells.size > 0) this.render();
  }

  private render(): void {
    // The renderer escapes raw HTML, unsafe links and every expression's value; DOMPurify, with the policy's allow-list, is the second line.
    this.rendered.innerHTML = renderMarkdown(this.text, purify, this.host.proseValues());
  }

  dispose(): void {
    this.flush();
    this.editor?.destroy();
  }

  private toggleEditor(): void {
    if (!this.editorHost.hidden) {
      this.apply();
      return;
    }
    if (!this.editor) {
      this.editor = new CodeEditor({
        text: proseCore(this.text).core,
        language: 'markdown',
        label: 'Text of the notebook',
        onChange: () => {
          clearTimeout(this.pending);
          this.pending = setTimeout(() => this.flush(), TYPING_PAUSE_MS);
        },
        onRun: () => this.apply(),
        onFocus: () => this.host.editorFocused(this.editor!),
      });
      this.editorHost.append(this.editor.element);
    } else {
      this.editor.setText(proseCore(this.text).core);
    }
    this.editorHost.hidden = false;
    this.element.classList.add('editing');
    this.toggle.textContent = 'Done';
    this.editor.focus();
  }

  /** Put what was typed into the notebook. */
  private flush(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    if (this.editor && this.editor.text !== proseCore(this.text).core) this.host.editProse(this.id, this.editor.text);
  }

  /** Put the edited text into the notebook and close the editor. */
  private apply(): void {
    this.flush();
    this.editorHost.hidden = true;
    this.element.classList.remove('editing');
    this.toggle.textContent = 'Edit';
  }
}
