/**
 * A notebook's cells as one self-contained HTML report: prose, params, tables (first rows and
 * the total), plots as inline SVG, errors where they happened; each cell is drawn by its kind's
 * `report` (cell-kinds.ts). No scripts, no external files: the report opens the same anywhere,
 * and can be attached or committed.
 *
 * The HTML is built as DOM nodes in the `document` given (linkedom's in Node, the page's in the
 * browser), so every text lands in the report escaped; prose comes from `renderMarkdown`.
 *
 * Sanitising: prose is the one place notebook text is parsed as HTML, so it (and only it) goes
 * through the sanitiser, always: `opts.sanitizer`, or sanitize-html with the policy of
 * sanitize-policy.ts (the browser's DOMPurify gets the same allow-list). Everything else (header,
 * params, tables, plots as SVG) is safe by construction rather than sanitised: it is made with
 * createElement / setAttribute / text nodes, so values and names from the notebook or the data
 * land as text, never as markup; Plot draws its SVG the same way from a spec whose schema
 * (cell-schemas.ts) has no href, image or event option; and an expression's value in prose is
 * escaped by the renderer. Running the plots through the prose allow-list would strip them (SVG,
 * Plot's scoped <style>), so instead `scrubTree` checks the finished tree against the policy
 * (no script-like elements, no on* attribute, no unsafe URL, no url() in a style attribute) as
 * a second line should a cell kind or a Plot version ever slip.
 */
import type { ReportEl } from './cell-kind.ts';
import { cellKind } from './cell-kinds.ts';
import type { ParamSpec } from './cell-schemas.ts';
import { paramText } from './cells/params.ts';
import { renderMarkdown } from './markdown.ts';
import { proseResolver } from './prose-values.ts';
import type { ParamValue } from './params.ts';
import { nodeSanitizer } from './sanitize-node.ts';
import { scrubTree, type Sanitizer } from './sanitize-policy.ts';
import type { CellState } from './runtime.ts';
import type { NotebookDocument } from './types.ts';

export interface ReportInput {
  doc: NotebookDocument;
  cells: readonly CellState[];
  params: Record<string, ParamValue>;
  paramSpec(name: string): ParamSpec | undefined;
}

export interface ReportOptions {
  document: Document;
  /** What data the notebook ran on, as shown in the header (paths). */
  data?: string[];
  generatedAt?: Date;
  /** The prose sanitiser: sanitize-html with the prose allow-list unless given (see markdown.ts). */
  sanitizer?: Sanitizer;
}

export function renderReport(nb: ReportInput, opts: ReportOptions): string {
  const d = opts.document;
  const sanitizer = opts.sanitizer ?? nodeSanitizer;
  const el: ReportEl = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attrs: Record<string, string> = {},
    ...children: (Node | string)[]
  ) => {
    const e = d.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    for (const c of children) e.append(typeof c === 'string' ? d.createTextNode(c) : c);
    return e;
  };

  const title = nb.doc.frontMatter?.data?.title ?? nb.doc.file;
  const main = el('main');
  // Header: what ran, on what, with which params, and how it went.
  const failed = nb.cells.filter((c) => c.status === 'error');
  const header = el('header', {}, el('h1', {}, title));
  const description = nb.doc.frontMatter?.data?.description;
  if (description) header.append(el('p', { class: 'description' }, description));
  const info = el('dl', { class: 'run-info' });
  const row = (k: string, v: string) => info.append(el('dt', {}, k), el('dd', {}, v));
  if (opts.data?.length) row('Data', opts.data.join(', '));
  const params = Object.entries(nb.params);
  if (params.length) row('Parameters', params.map(([k, v]) => `${k} = ${paramText(v)}`).join('; '));
  const ran = nb.cells.filter((c) => c.kind !== 'markdown');
  row(
    'Cells',
    failed.length
      ? `${ran.length} cells, ${failed.length} failed: ${failed.map((c) => c.id).join(', ')}`
      : `${ran.length} cells, all ran`,
  );
  if (opts.generatedAt)
    row(
      'Generated',
      opts.generatedAt
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC'),
    );
  header.append(info);
  main.append(header);

  const refValue = proseResolver(nb.cells);
  for (const cell of nb.cells) {
    const section = el('section', {
      class: `cell cell-${cell.kind}${cell.status === 'error' ? ' cell-error' : ''}`,
      id: `cell-${cell.id}`,
    });
    main.append(section);
    if (cell.kind === 'markdown') {
      const prose = el('div', { class: 'prose' });
      // Inline expressions read the cells' values: the report is made after every cell settled.
      prose.innerHTML = renderMarkdown(cell.value?.kind === 'markdown' ? cell.value.text : '', sanitizer, refValue);
      section.append(prose);
      continue;
    }
    if (cell.status === 'error' || !cell.value) {
      section.append(
        el('p', { class: 'label' }, `${cell.kind} ${cell.name ?? cell.id}`),
        el('pre', { class: 'error' }, cell.error?.message ?? `did not run (${cell.status})`),
      );
      continue;
    }
    const value = cell.value;
    if (value.kind === 'markdown') continue;
    const block = nb.doc.blocks.find((b) => b.type === 'cell' && b.name === cell.name);
    section.append(
      ...cellKind(value.kind).report(value, {
        el,
        document: d,
        block: block?.type === 'cell' ? block : undefined,
        paramSpec: (name) => nb.paramSpec(name),
        ...(cell.durationMs !== undefined && { durationMs: cell.durationMs }),
      }),
    );
  }
  scrubTree(main);
  // The shell is written as text: linkedom serialises <title> (and <textarea>) contents without
  // escaping, so a title like "</title><script>" would break out of it. Everything in <main> is
  // ordinary elements and text, which every DOM serialises escaped.
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeText(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    `<body>${main.outerHTML}</body>`,
    '</html>',
    '',
  ].join('\n');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const CSS = `
:root { color-scheme: light; --fg: #1d2129; --muted: #5f6673; --line: #e3e6eb; --bg-soft: #f6f7f9; --err: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #fff; }
main { max-width: 980px; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
header { border-bottom: 1px solid var(--line); margin-bottom: 1.5rem; }
header h1 { margin: 0 0 .25rem; font-size: 1.8rem; }
.description { color: var(--muted); margin: 0 0 .75rem; }
.run-info { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; font-size: .85rem; color: var(--muted); margin: .5rem 0 1rem; }
.run-info dt { font-weight: 600; }
.run-info dd { margin: 0; }
.cell { margin: 1.25rem 0; }
.prose h1, .prose h2, .prose h3 { line-height: 1.25; margin: 1.6rem 0 .5rem; }
.prose code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.prose code { background: var(--bg-soft); padding: .05rem .3rem; border-radius: 3px; }
pre { background: var(--bg-soft); border: 1px solid var(--line); border-radius: 6px; padding: .75rem; overflow-x: auto; white-space: pre-wrap; }
.prose table, table.params { border-collapse: collapse; }
.prose th, .prose td, table.params th, table.params td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: left; }
details summary { cursor: pointer; color: var(--muted); font-size: .85rem; }
.kind { display: inline-block; font: 600 11px/1 ui-monospace, monospace; text-transform: uppercase; letter-spacing: .04em; background: var(--bg-soft); border: 1px solid var(--line); border-radius: 3px; padding: .2rem .35rem; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
table.data { border-collapse: collapse; font-size: 13px; width: 100%; }
table.data th { position: sticky; top: 0; background: var(--bg-soft); text-align: left; font-weight: 600; }
table.data th, table.data td { padding: .3rem .6rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; }
table.data .null { color: #a0a6b1; font-style: italic; }
.note { color: var(--muted); font-size: .8rem; margin: .35rem 0 0; }
.warning { color: #8a5a00; }
.plot figure { margin: 0; }
.plot svg { max-width: 100%; height: auto; }
.label { font: 600 12px/1 ui-monospace, monospace; color: var(--muted); margin: 0 0 .35rem; }
.proxy-counts td.num { text-align: right; font-variant-numeric: tabular-nums; }
.proxy-warnings { padding-left: 1.2rem; }
.proxy-warnings li { margin: .3rem 0; }
.proxy-warnings li.warning { color: #8a5a00; }
table.board th small { display: block; font-weight: 400; color: var(--muted); font-size: 11px; }
table.board td.reason { color: var(--muted); white-space: normal; }
table.board .badge { font-size: 11px; padding: 0 .3rem; border-radius: 3px; background: var(--bg-soft); border: 1px solid var(--line); }
.compare h4 { margin: 1rem 0 .35rem; }
.board-notes li, .board-stopped li { margin: .2rem 0; }
pre.error { color: var(--err); border-color: #f1c4c0; background: #fff6f5; }
`;
