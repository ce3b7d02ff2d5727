/**
 * A cell's code editor: CodeMirror 6 with the cell's language (SQL for sql cells, YAML for
 * params/plot/table, Markdown for prose), line numbers, undo, search and bracket matching from
 * basicSetup. Shift+Enter (or Ctrl/Cmd+Enter) hands the text over to run; every keystroke is
 * reported so the notebook can autosave what is typed before it is run.
 */
import { markdown } from '@codemirror/lang-markdown';
import { PostgreSQL, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { yaml } from '@codemirror/lang-yaml';
import { Annotation, Prec, type Extension } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { basicSetup, EditorView } from 'codemirror';

export type EditorLanguage = 'sql' | 'yaml' | 'markdown';

export interface CodeEditorOptions {
  text: string;
  language: EditorLanguage;
  /** What the editor is, for screen readers ("SQL of cell by_typology"). */
  label: string;
  onChange(text: string): void;
  /** Shift+Enter or Ctrl/Cmd+Enter: apply the text and run it. */
  onRun(text: string): void;
  onFocus?(): void;
  /** Tables and their columns, for SQL completion. */
  schema?: SQLNamespace;
}

/** Marks changes made by `setText`, which are not the user's typing. */
const external = Annotation.define<boolean>();

function languageOf(language: EditorLanguage, schema: SQLNamespace | undefined): Extension {
  switch (language) {
    case 'sql':
      // DuckDB's SQL is closest to PostgreSQL's among the dialects CodeMirror knows.
      return sql({ dialect: PostgreSQL, ...(schema && { schema }) });
    case 'yaml':
      return yaml();
    case 'markdown':
      return [markdown(), EditorView.lineWrapping];
  }
}

export class CodeEditor {
  readonly element: HTMLElement;
  private readonly view: EditorView;

  constructor(opts: CodeEditorOptions) {
    this.element = document.createElement('div');
    this.element.className = 'code-editor';
    this.element.dataset.language = opts.language;
    const run = (view: EditorView) => {
      opts.onRun(view.state.doc.toString());
      return true;
    };
    this.view = new EditorView({
      parent: this.element,
      doc: opts.text,
      extensions: [
        // Above basicSetup's own Enter handling, so Shift+Enter runs instead of breaking the line.
        Prec.highest(
          keymap.of([
            { key: 'Shift-Enter', run },
            { key: 'Mod-Enter', run },
          ]),
        ),
        basicSetup,
        languageOf(opts.language, opts.schema),
        EditorView.contentAttributes.of({ 'aria-label': opts.label }),
        EditorView.updateListener.of((update) => {
          if (update.focusChanged && update.view.hasFocus) opts.onFocus?.();
          if (!update.docChanged || update.transactions.some((t) => t.annotation(external))) return;
          opts.onChange(update.state.doc.toString());
        }),
      ],
    });
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  /** Replace the text (an undo elsewhere, a reload of the notebook) without reporting a change. */
  setText(text: string): void {
    if (text === this.text) return;
    this.view.dispatch({
      changes: { from: 0, to: this.view.state.doc.length, insert: text },
      annotations: external.of(true),
    });
  }

  /** Type `text` at the cursor, as the user would (a table name picked from the tables panel). */
  insert(text: string): void {
    const { from, to } = this.view.state.selection.main;
    this.view.dispatch({
      changes: { from, to, insert: text },
      selection: { anchor: from + text.length },
      scrollIntoView: true,
    });
    this.view.focus();
  }

  focus(): void {
    this.view.focus();
  }

  destroy(): void {
    this.view.destroy();
  }
}
