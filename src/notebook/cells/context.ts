/** What a cell's run gets from the runtime, whatever its kind. */
import type { Database } from '../../db/database.ts';
import type { Runtime } from '../../db/runtime.ts';
import type { SourceFile } from '../../sot/files.ts';
import type { TrainingRunner } from '../../training/runner.ts';
import type { ParamSpec } from '../cell-schemas.ts';
import type { MemoryResult } from '../memory-results.ts';
import type { ParamValue } from '../params.ts';
import type { ResultTable } from '../result-tables.ts';
import type { CancelScope } from './cancel-scope.ts';

/**
 * The notebook's data files, as the host reads them: labels cells import from here. Headless,
 * paths are inside the notebook's data folder; in the app, inside its bundled sample (which
 * holds the community example set).
 */
export interface NotebookFiles {
  /** The runtime imports stage and decode files with. */
  runtime: Runtime;
  /** A data file by its path relative to the data folder; fails naming the path when absent. */
  read(path: string): Promise<SourceFile>;
  /** Called after a labels cell appended events (the app saves the event log and tells its views). */
  labelsChanged?(events: number): Promise<void>;
}

/** The notebook's training, as a compare cell run sees it. */
export interface TrainingContext {
  runner: TrainingRunner;
  /** Whether this run trains, or only resolves and shows its configuration (see runtime.ts). */
  train: boolean;
  /** Where this runs, for the run bundle: "node v20.19.0", a browser's user agent. */
  runtime: string;
}

/** What a run gets; `P` is what its kind reports while running (see `progress`). */
export interface RunContext<P = unknown> {
  db: Database;
  /** Aborted when the run has gone stale (an input changed): stop, the result would be dropped. */
  signal: AbortSignal;
  /** The params this cell uses, with their current values. */
  params: ReadonlyMap<string, { spec: ParamSpec; value: ParamValue }>;
  /** The result tables (sql cells) this cell reads, by name. */
  results: ReadonlyMap<string, ResultTable>;
  /** The in-memory results of the cells this cell reads (a proxy cell's `labels.by_severity`). */
  memory: ReadonlyMap<string, MemoryResult>;
  /**
   * The values of the cells this cell reads, by name, every kind's `{kind, ...}` (a validate
   * cell reads its compare cell's trained board): narrow by `kind` before use.
   */
  cells: ReadonlyMap<string, { kind: string }>;
  /**
   * Work kept across this notebook's runs until its data changes: the first call with `key`
   * builds, later ones (from any cell) get the same promise. `rerun()` forgets what the cells it
   * re-runs built (all of it, without an id), so a load rebuilds; a param change never does.
   */
  memo<T>(key: string, build: () => Promise<T>): Promise<T>;
  /**
   * Like `memo`, for a pure computation that touches no database (a proxy cell's sweep over its
   * cube): built at once, not queued behind other builds, and forgotten with the same memos.
   */
  keep<T>(key: string, build: () => T): T;
  /** The file line of the cell's first body line, to place database errors. */
  bodyLine: number;
  file: string;
  /** Present in the browser and in headless reports: plots are rendered into it. */
  document?: Document;
  /** The open notebook, which owns the result tables it creates. */
  owner: symbol;
  /** Parts of this run the user can cancel on their own (`Notebook.cancel(cell, part)`). */
  cancels: CancelScope;
  /** Report how the run is going: the cell's state carries it until the run ends. */
  progress(p: P): void;
  /** Absent when the notebook was opened without a training runner. */
  training?: TrainingContext;
  /** Absent when the host gives no file access (labels cells then fail saying so). */
  files?: NotebookFiles;
  /**
   * Whether this run may write labels (kinds that `writes`): always with `writes: 'on-run'`
   * (headless), else only the run a `Notebook.confirm(id)` asked for. A run that may not write
   * shows what it would write.
   */
  write: boolean;
  /** How the notebook writes, for the words a cell shows: 'on-run' (headless) or 'on-confirm' (the app). */
  writes: NotebookWrites;
}

/** When cells that write labels write: on every run (headless runs), or on the user's confirmation (the app). */
export type NotebookWrites = 'on-run' | 'on-confirm';

/**
 * Thrown by a run that noticed it went stale; the runtime drops it without a trace. Observable
 * passes a failed input on to dependents as a new error that keeps only the message, so the
 * message itself is what marks the error as stale there.
 */
export const STALE_MESSAGE = 'notebook run superseded by a newer run';

export class StaleRun extends Error {
  override name = 'AbortError';
  constructor() {
    super(STALE_MESSAGE);
  }
}

export function isStale(error: unknown): boolean {
  return error instanceof StaleRun || (error instanceof Error && error.message === STALE_MESSAGE);
}

export function throwIfStale(signal: AbortSignal): void {
  if (signal.aborted) throw new StaleRun();
}
