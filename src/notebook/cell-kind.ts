/**
 * What a cell kind is: one descriptor per kind (cells/sql.ts, cells/proxy.ts, ...), listed once
 * in cell-kinds.ts, from which the parser, the dependency graph, the runtime and the report take
 * everything they know about the kind. Nothing outside a kind's module names its spec or value.
 *
 * A descriptor is data plus four functions, in the order a cell meets them:
 * - `parse` checks the body when the file is read (YAML kinds: `yamlBody(schema, wrap)`);
 * - `uses` says what the checked spec reads: params, results, cells to run after;
 * - `run` computes the value, given the params' values and the results it reads (RunContext);
 * - `report` renders the value into the headless HTML report.
 * The app draws values through its own registry (src/ui/cell-kind-views.ts).
 */
import type { z } from 'zod';
import type { ParamSpec } from './cell-schemas.ts';
import type { RunContext } from './cells/context.ts';
import type { MemoryResult } from './memory-results.ts';
import type { ResultTable } from './result-tables.ts';
import type { CellBlock, Diagnostic } from './types.ts';
import { parseYamlBody } from './yaml-body.ts';

/** A checked body, or its problems on their lines of the file. */
export type ParsedBody<S> = { ok: true; spec: S } | { ok: false; diagnostics: Diagnostic[] };

/** Where a body sits, for messages: `what` is "plot cell by_severity", `line` its first line. */
export interface BodyAt {
  what: string;
  line: number;
}

/** The notebook around a cell, as its dependency rule may ask about it. */
export interface DependencyScope {
  /** The cell's id: its name, or `name@LINE` for a later duplicate. */
  id: string;
  /** Names a plain data reference may take: the cells whose result is a table (sql cells). */
  tables: ReadonlySet<string>;
  /** The params cell that declares `param`, if any. */
  declaredBy(param: string): string | undefined;
  /** The kind of the (first) cell named `name`, if there is one. */
  kindOf(name: string): string | undefined;
  /** The ids of the notebook's cells of `kind`, in file order. */
  cellsOf(kind: string): string[];
}

/** What a spec reads; the graph checks each name and orders the cell after what it reads. */
export interface CellUses {
  /** Params the cell reads (`$name`). */
  params?: Iterable<string>;
  /** Results it draws: a table cell's name (`by_severity`), or a published part (`labels.by_severity`). */
  data?: readonly string[];
  /** Cells it runs after and reads whole, not by part (a quality cell's labels cells). */
  after?: readonly string[];
  /** Why it cannot run, seen from the notebook (reported unless a param or data problem is found). */
  problem?: string;
}

/** The cell a run is for. */
export interface RunCell<S> {
  name: string;
  spec: S;
  /** The params it reads, in the order `uses` gave them (a params cell: the ones it declares). */
  params: readonly string[];
}

/** Builds an element in the report's document, every text escaped. */
export type ReportEl = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, string>,
  ...children: (Node | string)[]
) => HTMLElementTagNameMap[K];

/** What a kind's report rendering gets besides its value. */
export interface ReportContext {
  el: ReportEl;
  document: Document;
  /** The cell's block as written. */
  block: CellBlock | undefined;
  paramSpec(name: string): ParamSpec | undefined;
  /** How long the run took, in milliseconds, when known. */
  durationMs?: number;
}

/**
 * One cell kind. `S` is its checked spec (`{kind, ...}`), `V` its value (`{kind, ...}`), `P` what
 * it reports while running (never, for most kinds).
 */
export interface CellKindModule<K extends string, S extends { kind: K }, V extends { kind: K }, P = never> {
  kind: K;
  /** What a body of this kind looks like, for "is empty: expected ..." (an example in braces). */
  expected: string;
  /** Check a (non-empty) body. */
  parse(body: string, at: BodyAt): ParsedBody<S>;
  /** The params a params cell declares; other kinds declare none. */
  declares?(spec: S): readonly ParamSpec[];
  /** What the spec reads. */
  uses(spec: S, scope: DependencyScope): CellUses;
  /**
   * Set when the value is a table named after the cell (sql): other cells read it by the plain
   * name, and the table is dropped when the cell is removed (result-tables.ts).
   */
  resultTable?(value: V): ResultTable;
  /** Set when the value publishes in-memory results that plots and tables read as `cell.part`. */
  publishes?: {
    parts: readonly string[];
    /** A part to name in messages. */
    example: string;
    results(value: V): readonly MemoryResult[];
  };
  /** Set when the kind trains on the notebook's training runner (`Notebook.train(id)`). */
  trains?: boolean;
  /**
   * Set when a run may write labels or label columns (a labels cell's import, a quality cell's
   * proxy rule). It writes only when `RunContext.write` says so: opening a notebook in the app
   * never does, the user's `Notebook.confirm(id)` does.
   */
  writes?: boolean;
  run(cell: RunCell<S>, ctx: RunContext<P>): V | Promise<V>;
  /** The value in the headless report, as nodes of `r.document`. */
  report(value: V, r: ReportContext): Node[];
}

/** A YAML body checked by `schema`, its value wrapped into the kind's spec. */
export function yamlBody<T extends z.ZodType, S>(
  schema: T,
  wrap: (value: z.output<T>) => S,
): (body: string, at: BodyAt) => ParsedBody<S> {
  return (body, at) => {
    const r = parseYamlBody(body, schema, at.line, at.what);
    return r.ok ? { ok: true, spec: wrap(r.value) } : r;
  };
}
