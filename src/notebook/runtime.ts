/**
 * The reactive runtime: a notebook's cells as variables of @observablehq/runtime.
 *
 * Each param is a variable holding its value; each cell is a variable whose inputs are the
 * params and sql cells it uses (deps.ts). Observable computes what changed and everything
 * downstream of it, in topological order, and nothing else. Every cell variable is observed
 * (unobserved variables are lazy and would never run).
 *
 * Stale runs: when an input changes during a run, Observable starts a new version of the
 * variable after the old one settles and drops the old version's value or error without telling
 * the observer. Observable only learns of the change on its next frame, though, and a run that
 * finishes in between would still be shown; so `set` and edits also abort, at once, the runs of
 * every cell downstream of what changed. An aborted run skips work it has not started, its
 * DuckDB query in progress is interrupted (query-limits.ts), and its result, if any, is dropped.
 * Either way the old result is never shown: the cell stays `running` until its new run settles.
 *
 * Queries: every query a cell sends goes through `ctx.db`, which stops it once it runs past the
 * query timeout (`queryTimeout`, else the front matter's `query_timeout`, else
 * DEFAULT_QUERY_TIMEOUT_MS) or when the run is cancelled (`cancel(id)`, the app's Cancel) or
 * goes stale. The cell then fails saying so, and the loaded data, the labels and the other
 * cells' results stay as they were.
 *
 * Errors stay in their cell. A cell whose own run fails is in error with the message; a cell
 * downstream of it is in error with "depends on failed cell X" and does not run.
 *
 * Training: a compare cell trains only when the notebook says so (`training.start`): on every
 * run in headless reports, only after `train(id)` in the app, where opening a notebook must not
 * start minutes of work. `train(id)` is a rerun that carries the request; any other run of the
 * cell (an input moved, the data changed) shows its configuration again, untrained. While it
 * trains, the cell's state carries its `progress`, and `cancel(id, part)` stops one strategy (or
 * all of them) without making the run stale: the board still shows what finished.
 *
 * Writing labels: cells whose kind `writes` (a labels cell's import, a quality cell's proxy
 * rule) write only when the notebook says so (`writes`): on every run headless ('on-run'), only
 * after `confirm(id)` in the app ('on-confirm', the default), where opening a notebook must not
 * change the user's labels. Any other run shows what it would write.
 */
import { Runtime, type Module, type Observer, type Variable } from '@observablehq/runtime';
import { QueryInterrupted, withQueryLimits, type Database } from '../db/database.ts';
import { formatSeconds } from '../db/query-limits.ts';
import type { TrainingRunner } from '../training/runner.ts';
import type { ParamSpec } from './cell-schemas.ts';
import { cellKind, type CellProgress, type CellValueOfKind } from './cell-kinds.ts';
import type { NotebookFiles, NotebookWrites } from './cells/context.ts';
import { CancelScope } from './cells/cancel-scope.ts';
import { isStale, StaleRun, type RunContext } from './cells/context.ts';
import { buildGraph, type CellNode, type Graph } from './deps.ts';
import { computeWithoutFrameWait } from './compute-schedule.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { DEFAULT_QUERY_TIMEOUT_MS, durationMs } from './front-matter.ts';
import { MemoCache } from './memo-cache.ts';
import type { MemoryResult } from './memory-results.ts';
import { checkParamValue, type ParamValue } from './params.ts';
import { parseNotebook } from './parse.ts';
import { NotebookTables, type ResultTable } from './result-tables.ts';
import type { CellBlock, CellKind, NotebookDocument } from './types.ts';
import { setCellBody } from './write.ts';

export type { CellProgress } from './cell-kinds.ts';

export type CellStatus = 'idle' | 'running' | 'done' | 'error';
/** A cell's value by its kind (cell-kinds.ts), or a prose block's text. */
export type CellValue = CellValueOfKind | { kind: 'markdown'; text: string };

export interface CellError {
  message: string;
  /** Set when the cell did not run because cells it depends on failed: their names. */
  upstream?: string[];
}

export interface CellState {
  /** The cell's name (`name@LINE` for a duplicate), or `md-N` for prose. */
  id: string;
  kind: CellKind | 'markdown';
  name?: string;
  /** 1-based line of the cell's opening fence (of the prose's first line). */
  line: number;
  status: CellStatus;
  /** The last completed run's value; while `running`, it is the previous run's. */
  value?: CellValue;
  error?: CellError;
  /** How long the last completed run took, in milliseconds, its waits included. */
  durationMs?: number;
  /**
   * Of `durationMs`, how long its queries waited for the connection behind other cells' (or a
   * load's) queries: the cell itself ran for the rest.
   */
  waitedMs?: number;
  /** How many runs completed (done or failed in the cell itself). */
  runs: number;
  /** While `running`: how the run is going, when the cell reports it (a compare cell training). */
  progress?: CellProgress;
}

export interface NotebookOptions {
  db: Database;
  /** Initial param values, overriding the notebook's (checked like `set`). */
  params?: Record<string, unknown>;
  /** Plots are rendered into it (the browser's document, or a headless one for reports). */
  document?: Document;
  /** File name for messages, when `source` is text. */
  file?: string;
  /** How compare cells train; without it they only show their configuration. */
  training?: NotebookTraining;
  /** How labels cells read data files; without it they fail saying so. */
  files?: NotebookFiles;
  /**
   * When cells that write labels write (see the file comment): 'on-confirm' (the default: only
   * after `confirm(id)`) or 'on-run' (headless reports and `lab run`, which import as they run).
   */
  writes?: NotebookWrites;
  /**
   * How long one query of a cell may run, overriding the front matter's `query_timeout`
   * (`lab run --query-timeout`); `source` names where it came from, for the message.
   */
  queryTimeout?: QueryTimeout;
  /** The limit when neither `queryTimeout` nor the front matter sets one (DEFAULT_QUERY_TIMEOUT_MS). */
  defaultQueryTimeoutMs?: number;
}

export interface QueryTimeout {
  ms: number;
  /** Where the limit comes from, as the message says it: "lab run --query-timeout". */
  source: string;
}

/** The CancelScope part that stops a cell's query in progress (cancelled with everything). */
const QUERY_PART = '\0query';

export interface NotebookTraining {
  runner: TrainingRunner;
  /**
   * 'on-run': compare cells train whenever they run (headless reports). 'on-request': only on
   * `train(id)` (the app: a comparison takes minutes, and opening a notebook must not start one).
   */
  start: 'on-run' | 'on-request';
  /** Where this runs, for the run bundle: "node v20.19.0", a browser's user agent. */
  runtime: string;
}

export type CellListener = (state: CellState) => void;

/** Thrown by a cell's own run; anything else reaching an observer came from an input. */
class CellFailure extends Error {
  override name = 'CellFailure';
}

const cellVar = (id: string) => `cell:${id}`;
const paramVar = (name: string) => `param:${name}`;

/** Open a notebook and start running it. `await nb.idle()` waits for every cell to settle. */
export async function openNotebook(source: string | NotebookDocument, opts: NotebookOptions): Promise<Notebook> {
  const doc = typeof source === 'string' ? parseNotebook(source, { file: opts.file }) : source;
  const nb = new Notebook(doc, opts);
  for (const [name, value] of Object.entries(opts.params ?? {})) nb.set(name, value);
  return nb;
}

export class Notebook {
  private readonly runtime = new Runtime(undefined, (name) => {
    throw new Error(`${name} is not defined`);
  });
  private readonly module: Module = this.runtime.module();
  private readonly db: Database;
  /** The result tables the cells create, dropped when their cell goes or the notebook closes. */
  private readonly tables: NotebookTables;
  private readonly document: Document | undefined;
  private readonly listeners = new Set<CellListener>();
  private readonly cellVars = new Map<string, { variable: Variable; signature: string; node: CellNode }>();
  private readonly paramVars = new Map<string, { variable: Variable; spec: ParamSpec; value: ParamValue }>();
  private readonly states = new Map<string, CellState>();
  private readonly durations = new Map<string, number>();
  /** Per cell, the last completed run's wait for the connection (CellState.waitedMs). */
  private readonly waits = new Map<string, number>();
  /** The abort controller of each cell's run in progress. */
  private readonly inFlight = new Map<string, AbortController>();
  /** What the user may cancel of each cell's run in progress (compare cells' strategies). */
  private readonly cancelScopes = new Map<string, CancelScope>();
  /** Cells asked to train on their next run (`train`). */
  private readonly trainRequests = new Set<string>();
  /** Cells asked to write on their next run (`confirm`). */
  private readonly confirmRequests = new Set<string>();
  private readonly writes: NotebookWrites;
  private readonly training: NotebookTraining | undefined;
  private readonly files: NotebookFiles | undefined;
  private readonly queryTimeout: QueryTimeout | undefined;
  private readonly defaultQueryTimeoutMs: number;
  /** What cells built to keep until the data changes (RunContext.memo and keep). */
  private readonly memos = new MemoCache();
  private graph!: Graph;
  private changes = 0;
  private disposed = false;
  private currentDoc!: NotebookDocument;

  constructor(doc: NotebookDocument, opts: NotebookOptions) {
    computeWithoutFrameWait(this.runtime);
    this.db = opts.db;
    this.tables = new NotebookTables(opts.db);
    this.document = opts.document;
    this.training = opts.training;
    this.files = opts.files;
    this.writes = opts.writes ?? 'on-confirm';
    this.queryTimeout = opts.queryTimeout;
    this.defaultQueryTimeoutMs = opts.defaultQueryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.apply(doc);
  }

  get doc(): NotebookDocument {
    return this.currentDoc;
  }

  /** Every block's state in document order: prose as done markdown, cells as they run. */
  get cells(): CellState[] {
    const out: CellState[] = [];
    for (const b of this.currentDoc.blocks) {
      if (b.type === 'prose') {
        if (b.text.trim() !== '')
          out.push({
            id: b.id,
            kind: 'markdown',
            line: b.line,
            status: 'done',
            value: { kind: 'markdown', text: b.text },
            runs: 1,
          });
      } else {
        const node = this.graph.cells.find((c) => c.block === b);
        if (node) out.push(this.states.get(node.id)!);
      }
    }
    return out;
  }

  cell(id: string): CellState | undefined {
    return this.states.get(id);
  }

  /** Current param values. */
  get params(): Record<string, ParamValue> {
    return Object.fromEntries([...this.paramVars].map(([name, p]) => [name, p.value]));
  }

  paramSpec(name: string): ParamSpec | undefined {
    return this.paramVars.get(name)?.spec;
  }

  /** Change a param: what uses it re-runs. Throws ParamValueError for a value it does not accept. */
  set(name: string, value: unknown): void {
    const p = this.paramVars.get(name);
    if (!p)
      throw new Error(`no param named ${name}: expected one of ${[...this.paramVars.keys()].join(', ') || '(none)'}`);
    const checked = checkParamValue(p.spec, value);
    // A slider let go where it already was changes nothing: nothing re-runs.
    if (JSON.stringify(checked) === JSON.stringify(p.value)) return;
    p.value = checked;
    this.changes++;
    this.abortDownstream([name], []);
    p.variable.define(paramVar(name), [], () => checked);
  }

  /** Replace a cell's body (as typed in an editor): it and what depends on it re-run. */
  editCell(name: string, body: string): void {
    this.update(setCellBody(this.currentDoc, name, body));
  }

  /** Replace the whole notebook text: only cells whose definition or inputs changed re-run. */
  setSource(text: string): void {
    this.update(parseNotebook(text, { file: this.currentDoc.file }));
  }

  update(doc: NotebookDocument): void {
    this.changes++;
    this.apply(doc);
  }

  /**
   * Run cells again though nothing in the notebook changed: the data under them did (a load
   * added rows), or the user asked. With an id, that cell and what depends on it; without, every
   * cell. Runs in progress are superseded like any other change.
   */
  rerun(id?: string): void {
    const targets = id === undefined ? [...this.cellVars.keys()] : [id];
    for (const t of targets)
      if (!this.cellVars.has(t))
        throw new Error(`no cell ${t}: expected one of ${[...this.cellVars.keys()].join(', ') || '(none)'}`);
    this.changes++;
    this.memos.forget(id === undefined ? undefined : targets);
    this.abortDownstream([], targets);
    for (const t of targets) {
      const { variable, node } = this.cellVars.get(t)!;
      this.defineCell(variable, node);
    }
  }

  /** Train the compare cell `id` (a rerun that asks it to train; see the file comment). */
  train(id: string): void {
    const v = this.cellVars.get(id);
    if (!v || !cellKind(v.node.block.kind).trains) {
      const trainable = [...this.cellVars.values()].filter((c) => cellKind(c.node.block.kind).trains);
      throw new Error(
        `no compare cell ${id}: expected one of ${trainable.map((c) => c.node.id).join(', ') || '(none)'}`,
      );
    }
    if (!this.training)
      throw new Error('this notebook was opened without a training runner: compare cells cannot train');
    this.trainRequests.add(id);
    this.rerun(id);
  }

  /**
   * Let cell `id` write what it showed it would (a labels cell's import, a quality cell's proxy
   * rule): a rerun that carries the confirmation, used up by that run.
   */
  confirm(id: string): void {
    const v = this.cellVars.get(id);
    if (!v || !cellKind(v.node.block.kind).writes) {
      const writers = [...this.cellVars.values()].filter((c) => cellKind(c.node.block.kind).writes);
      throw new Error(
        `no cell ${id} that writes labels: expected one of ${writers.map((c) => c.node.id).join(', ') || '(none)'}`,
      );
    }
    this.confirmRequests.add(id);
    this.rerun(id);
  }

  /**
   * Cancel part of cell `id`'s run in progress (a compare cell's strategy), or all of it; the
   * run then ends with what it finished. Cancelling all of it also interrupts the cell's DuckDB
   * query in progress: the cell fails saying it was cancelled. Returns whether a run was there to cancel.
   */
  cancel(id: string, part?: string): boolean {
    const scope = this.cancelScopes.get(id);
    scope?.cancel(part);
    return scope !== undefined;
  }

  /** The time limit of one query of a cell, and where it comes from (see NotebookOptions). */
  get queryLimit(): QueryTimeout {
    if (this.queryTimeout) return this.queryTimeout;
    const fm = this.currentDoc.frontMatter?.data?.query_timeout;
    const ms = fm === undefined ? undefined : durationMs(fm);
    if (ms !== undefined) return { ms, source: "the notebook's query_timeout" };
    return { ms: this.defaultQueryTimeoutMs, source: 'the default query timeout' };
  }

  on(event: 'cell', listener: CellListener): () => void {
    if (event !== 'cell') throw new Error(`unknown event ${String(event)}`);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once every cell has settled, including runs started while waiting. */
  async idle(): Promise<void> {
    for (;;) {
      const seen = this.changes;
      await Promise.allSettled([...this.cellVars.keys()].map((id) => this.module.value(cellVar(id))));
      if (seen === this.changes && ![...this.states.values()].some((s) => s.status === 'running')) return;
      if (this.disposed) return;
    }
  }

  /** Stop the runtime and drop the notebook's result tables. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.runtime.dispose();
    this.listeners.clear();
    await this.tables.dispose();
  }

  // -------------------------------------------------------------------------------------------

  private apply(doc: NotebookDocument): void {
    this.currentDoc = doc;
    const cellProblems = new Map<CellBlock, string[]>();
    for (const d of doc.diagnostics) {
      const block = blockAtLine(doc, d.line);
      if (block) cellProblems.set(block, [...(cellProblems.get(block) ?? []), formatDiagnostic(doc.file, d)]);
    }
    this.graph = buildGraph(doc, (b) => cellProblems.get(b)?.join('\n'));

    const changedParams: string[] = [];
    const changedCells: string[] = [];
    // Params first: a param whose declaration is unchanged keeps the value it was set to.
    for (const [name, p] of this.paramVars) {
      if (!this.graph.params.has(name)) {
        p.variable.delete();
        this.paramVars.delete(name);
      }
    }
    for (const [name, { spec }] of this.graph.params) {
      const existing = this.paramVars.get(name);
      if (existing && JSON.stringify(existing.spec) === JSON.stringify(spec)) continue;
      const value = spec.value;
      changedParams.push(name);
      if (existing) {
        existing.spec = spec;
        existing.value = value;
        existing.variable.define(paramVar(name), [], () => value);
      } else {
        const variable = this.module.variable().define(paramVar(name), [], () => value);
        this.paramVars.set(name, { variable, spec, value });
      }
    }

    const ids = new Set(this.graph.cells.map((c) => c.id));
    for (const [id, v] of this.cellVars) {
      if (ids.has(id)) continue;
      v.variable.delete();
      this.cellVars.delete(id);
      this.states.delete(id);
      if (cellKind(v.node.block.kind).resultTable) this.tables.forget(v.node.block.name);
    }
    for (const node of this.graph.cells) {
      const signature = JSON.stringify([node.block.kind, node.block.body, node.params, node.cells, node.problem]);
      const existing = this.cellVars.get(node.id);
      if (existing) {
        existing.node = node;
        const state = this.states.get(node.id)!;
        if (state.line !== node.block.line) this.states.set(node.id, { ...state, line: node.block.line });
        if (existing.signature === signature) continue;
        existing.signature = signature;
        changedCells.push(node.id);
        this.defineCell(existing.variable, node);
      } else {
        this.states.set(node.id, {
          id: node.id,
          kind: node.block.kind,
          name: node.block.name,
          line: node.block.line,
          status: 'idle',
          runs: 0,
        });
        const variable = this.module.variable(this.observer(node.id));
        this.cellVars.set(node.id, { variable, signature, node });
        this.defineCell(variable, node);
      }
    }
    this.abortDownstream(changedParams, changedCells);
  }

  /** Abort the runs in progress of these cells and of every cell downstream of them or of these params. */
  private abortDownstream(params: string[], cells: string[]): void {
    const hit = new Set(cells);
    let grew = true;
    while (grew) {
      grew = false;
      for (const c of this.graph.cells) {
        if (hit.has(c.id)) continue;
        if (c.params.some((p) => params.includes(p)) || c.cells.some((d) => hit.has(d))) {
          hit.add(c.id);
          grew = true;
        }
      }
    }
    for (const id of hit) this.inFlight.get(id)?.abort();
  }

  private defineCell(variable: Variable, node: CellNode): void {
    // A cell that cannot run waits for nothing: it fails at once with its problem.
    const inputs = node.problem
      ? ['invalidation']
      : ['invalidation', ...node.params.map(paramVar), ...node.cells.map(cellVar)];
    variable.define(cellVar(node.id), inputs, async (invalidation: Promise<void>, ...values: unknown[]) => {
      const controller = new AbortController();
      const cancels = new CancelScope();
      this.inFlight.set(node.id, controller);
      this.cancelScopes.set(node.id, cancels);
      void invalidation.then(() => controller.abort());
      const started = performance.now();
      const waited = { ms: 0 };
      const finished = () => {
        this.durations.set(node.id, performance.now() - started);
        this.waits.set(node.id, waited.ms);
      };
      try {
        if (node.problem) throw new CellFailure(node.problem);
        const value = await this.run(node, values, controller, cancels, waited);
        if (controller.signal.aborted) throw new StaleRun();
        finished();
        return value;
      } catch (e) {
        if (isStale(e) || controller.signal.aborted) throw new StaleRun();
        finished();
        if (e instanceof CellFailure) throw e;
        const stopped = interruption(e);
        if (stopped) throw new CellFailure(this.stoppedMessage(node, stopped));
        throw new CellFailure(e instanceof Error ? e.message : String(e));
      } finally {
        if (this.inFlight.get(node.id) === controller) this.inFlight.delete(node.id);
        if (this.cancelScopes.get(node.id) === cancels) this.cancelScopes.delete(node.id);
      }
    });
  }

  private async run(
    node: CellNode,
    values: unknown[],
    controller: AbortController,
    cancels: CancelScope,
    /** Adds up how long this run's queries waited for the connection. */
    waited: { ms: number },
  ): Promise<CellValue> {
    const { signal } = controller;
    const kind = cellKind(node.block.kind);
    const params = new Map(
      node.params.map((p) => [
        p,
        { spec: this.paramVars.get(p)!.spec, value: values[node.params.indexOf(p)] as ParamValue },
      ]),
    );
    // What each cell read gives: a table (sql) by its name, or in-memory results by theirs.
    const results = new Map<string, ResultTable>();
    const memory = new Map<string, MemoryResult>();
    const cells = new Map<string, CellValueOfKind>();
    node.cells.forEach((c, i) => {
      const value = values[node.params.length + i] as CellValueOfKind;
      cells.set(c, value);
      const read = cellKind(value.kind);
      if (read.publishes) for (const r of read.publishes.results(value)) memory.set(r.name, r);
      else if (read.resultTable) results.set(c, read.resultTable(value));
    });
    // Compare cells cancel strategy by strategy and keep what finished: their queries only stop
    // when the run goes stale or runs past the limit, not on a Cancel.
    const querySignal = kind.trains ? signal : AbortSignal.any([signal, cancels.signal(QUERY_PART)]);
    const ctx: RunContext<CellProgress> = {
      db: withQueryLimits(this.db, {
        signal: querySignal,
        timeoutMs: this.queryLimit.ms,
        onQueued: (ms) => (waited.ms += ms),
      }),
      signal,
      params,
      results,
      memory,
      cells,
      memo: this.memos.memo(node.id),
      keep: this.memos.keep(node.id),
      bodyLine: node.block.line + 1,
      file: this.currentDoc.file,
      owner: this.tables.owner,
      cancels,
      // Only the run in progress reports: a late report of a stale or finished run is dropped.
      progress: (p) => {
        if (!signal.aborted && this.inFlight.get(node.id) === controller) this.setState(node.id, { progress: p });
      },
      ...(this.document && { document: this.document }),
      ...(this.files && { files: this.files }),
      // A confirmation is used up by the run that takes it, like a training request.
      write: kind.writes === true && (this.confirmRequests.delete(node.id) || this.writes === 'on-run'),
      writes: this.writes,
      ...(this.training && {
        training: {
          runner: this.training.runner,
          // A request is used up by the run that takes it: the next run of the cell shows its configuration again.
          train: kind.trains === true && (this.trainRequests.delete(node.id) || this.training.start === 'on-run'),
          runtime: this.training.runtime,
        },
      }),
    };
    return kind.run({ name: node.block.name, spec: node.block.spec!, params: node.params }, ctx);
  }

  /** What a cell whose query was stopped says: which cell, why, and for a timeout the limit. */
  private stoppedMessage(node: CellNode, stopped: { reason: 'timeout' | 'cancelled'; ms?: number }): string {
    const cell = `${node.block.kind} ${node.id}`;
    if (stopped.reason === 'cancelled')
      return `${cell}: cancelled: its query was stopped; the loaded data, the labels and the other cells' results are kept`;
    const limit = this.queryLimit;
    return `${cell}: stopped after ${formatSeconds(stopped.ms ?? limit.ms)} (${limit.source}); the query may not terminate, e.g. a recursive CTE without a bound`;
  }

  private observer(id: string): Observer {
    return {
      pending: () => this.setState(id, { status: 'running', progress: undefined }),
      fulfilled: (value) => {
        const prev = this.states.get(id);
        this.setState(id, {
          status: 'done',
          value: value as CellValue,
          error: undefined,
          progress: undefined,
          durationMs: this.durations.get(id),
          waitedMs: this.waits.get(id),
          runs: (prev?.runs ?? 0) + 1,
        });
      },
      rejected: (error) => {
        // A stale run (or a dependent's run that waited on one): its replacement is coming.
        if (isStale(error)) return;
        const prev = this.states.get(id);
        if (error instanceof CellFailure) {
          this.setState(id, {
            status: 'error',
            value: undefined,
            error: { message: error.message },
            progress: undefined,
            durationMs: this.durations.get(id),
            waitedMs: this.waits.get(id),
            runs: (prev?.runs ?? 0) + 1,
          });
        } else {
          const upstream = this.failedUpstream(id);
          const message = upstream.length
            ? `depends on failed cell${upstream.length > 1 ? 's' : ''} ${upstream.join(', ')}`
            : error instanceof Error
              ? error.message
              : String(error);
          this.setState(id, {
            status: 'error',
            value: undefined,
            error: { message, upstream },
            progress: undefined,
            durationMs: undefined,
            waitedMs: undefined,
          });
        }
      },
    };
  }

  /** The cells upstream of `id` that failed in their own run (not because of their inputs). */
  private failedUpstream(id: string): string[] {
    const byId = new Map(this.graph.cells.map((c) => [c.id, c]));
    const failed: string[] = [];
    const seen = new Set<string>();
    const walk = (cid: string) => {
      for (const dep of byId.get(cid)?.cells ?? []) {
        if (seen.has(dep)) continue;
        seen.add(dep);
        const s = this.states.get(dep);
        if (s?.status === 'error' && !s.error?.upstream?.length) failed.push(dep);
        else walk(dep);
      }
    };
    walk(id);
    return failed;
  }

  private setState(id: string, patch: Partial<CellState>): void {
    const prev = this.states.get(id);
    if (!prev || this.disposed) return;
    const next: CellState = { ...prev, ...patch };
    for (const k of Object.keys(next) as (keyof CellState)[]) if (next[k] === undefined) delete next[k];
    this.states.set(id, next);
    for (const l of this.listeners) l(next);
  }
}

/**
 * Whether `e` is a query stopped by its limit or a cancel: the QueryInterrupted itself, or a
 * cell's error that kept only its message (`query stopped after 30 s`, `query cancelled`).
 */
function interruption(e: unknown): { reason: 'timeout' | 'cancelled'; ms?: number } | undefined {
  if (e instanceof QueryInterrupted) return { reason: e.reason, ...(e.timeoutMs !== undefined && { ms: e.timeoutMs }) };
  const message = e instanceof Error ? e.message : String(e);
  if (/^query cancelled\b/.test(message)) return { reason: 'cancelled' };
  if (/^query stopped after /.test(message)) return { reason: 'timeout' };
  return undefined;
}

/** The cell block whose fences enclose `line`, if any. */
function blockAtLine(doc: NotebookDocument, line: number): CellBlock | undefined {
  for (const b of doc.blocks) {
    if (b.type !== 'cell') continue;
    const last = b.line + (b.body.match(/\n/g)?.length ?? 0) + 1;
    if (line >= b.line && line <= last) return b;
  }
  return undefined;
}
