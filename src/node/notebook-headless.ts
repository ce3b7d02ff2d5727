/**
 * Node-only: run a notebook to completion over a loaded database and render its report, exactly
 * as the browser would run it (same runtime, same cells), with linkedom as the document.
 * Shared by `lab run` and the test that runs every shipped notebook.
 */
import type { Database } from '../db/database.ts';
import { declaredParams, paramValueFromText, ParamValueError, type ParamValue } from '../notebook/params.ts';
import { renderReport } from '../notebook/report.ts';
import {
  openNotebook,
  type CellState,
  type Notebook,
  type NotebookTraining,
  type QueryTimeout,
} from '../notebook/runtime.ts';
import { cellBlocks, type NotebookDocument } from '../notebook/types.ts';
import { headlessDocument } from './headless-dom.ts';
import type { NotebookFiles } from '../notebook/cells/context.ts';

export interface HeadlessOptions {
  db: Database;
  /** Param values overriding the notebook's (see `paramOverrides` for values given as text). */
  params?: Record<string, ParamValue>;
  /** Shown in the report's header. */
  data?: string[];
  generatedAt?: Date;
  /** Where labels cells read their files. */
  files?: NotebookFiles;
  /** The time limit of each query, overriding the front matter's (`lab run --query-timeout`). */
  queryTimeout?: QueryTimeout;
}

export interface HeadlessRun {
  nb: Notebook;
  html: string;
  /** Cells that ended in error, their own or an input's. */
  failures: CellState[];
}

/** Parse `--set` texts against the notebook's params; errors name the param. */
export function paramOverrides(doc: NotebookDocument, sets: Record<string, string>): Record<string, ParamValue> {
  const specs = declaredParams(doc.blocks);
  const out: Record<string, ParamValue> = {};
  for (const [name, text] of Object.entries(sets)) {
    const spec = specs.get(name);
    if (!spec) {
      throw new ParamValueError(
        `${name}: the notebook has no such param: expected one of ${[...specs.keys()].join(', ') || '(it has none)'}`,
      );
    }
    out[name] = paramValueFromText(spec, text);
  }
  return out;
}

/**
 * Compare cells train inline on TF.js's wasm backend (cpu where wasm cannot start), whenever
 * they run: a report shows the trained board. Loaded only for notebooks that have one, so the
 * others never load TF.js.
 */
async function headlessTraining(doc: NotebookDocument): Promise<NotebookTraining | undefined> {
  if (!cellBlocks(doc).some((b) => b.kind === 'compare')) return undefined;
  const [{ inlineRunner }, { initNodeBackend }] = await Promise.all([
    import('../training/runner.ts'),
    import('../ml/backend-node.ts'),
  ]);
  return { runner: inlineRunner(() => initNodeBackend()), start: 'on-run', runtime: `node ${process.version}` };
}

export async function runHeadless(doc: NotebookDocument, opts: HeadlessOptions): Promise<HeadlessRun> {
  const document = headlessDocument();
  const training = await headlessTraining(doc);
  const nb = await openNotebook(doc, {
    db: opts.db,
    document,
    params: opts.params ?? {},
    ...(training && { training }),
    ...(opts.files && { files: opts.files }),
    ...(opts.queryTimeout && { queryTimeout: opts.queryTimeout }),
    // Explicit, as a report is: labels cells import and the proxy rule is applied as they run (the app asks first).
    writes: 'on-run',
  });
  await nb.idle();
  const html = renderReport(nb, {
    document,
    ...(opts.data && { data: opts.data }),
    ...(opts.generatedAt && { generatedAt: opts.generatedAt }),
  });
  return { nb, html, failures: nb.cells.filter((c) => c.status === 'error') };
}
