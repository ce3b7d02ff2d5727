/**
 * How the app shows one cell kind: its label, what "add below" writes for it, and its output.
 * One view per kind (sql-cell-output.ts, proxy-cell-output.ts, ...), listed once in
 * cell-kind-views.ts; the cell view (cell-view.ts) and the notebook edits (notebook-edits.ts)
 * take everything they know about a kind from there.
 */
import type { ParquetCodec } from '../db/runtime.ts';
import type { CellProgress } from '../notebook/runtime.ts';
import type { ParamValue } from '../notebook/params.ts';
import type { CellBlock } from '../notebook/types.ts';
import type { SetParam } from './param-inputs.ts';

/** What an output may ask of the page it is on, and of its cell. */
export interface OutputHost {
  setParam: SetParam;
  params(): Record<string, ParamValue>;
  /** The app's Parquet codec (its worker): exports encode through it. */
  parquet: ParquetCodec;
  /** Run the cell as its Run button does (a compare cell: train it). */
  run(): void;
  /** Cancel part of the cell's run in progress (a compare cell's strategy), or all of it. */
  cancel(part?: string): void;
  /** Let the cell write what it showed it would (a labels cell's import, the proxy rule). */
  confirm(): void;
  /** The table cells below that show sql cell `name`'s result (it then shows a summary, not its rows twice). */
  shownBy(name: string): string[];
}

/** Shows `element` as the cell's output, unless it already is. */
export type Place = (element: HTMLElement) => void;

/**
 * One cell's output, made when the cell view first needs it and kept for the view's life. An
 * output places its element before filling it, so what it draws can measure the cell's width.
 */
export interface CellOutput<V> {
  /** Show the value of a finished run: a new element, or the kept one refilled. */
  show(value: V, block: CellBlock, place: Place): void;
  /** Show what the block says without a run: before its first run, and when it is edited (params: the inputs). */
  showBlock?(block: CellBlock, place: Place): void;
  /** Show how a run in progress is going, when the kind reports it (a compare cell training). */
  showProgress?(progress: CellProgress, place: Place): void;
  dispose?(): void;
}

/** What "add below" gets to write a new cell's body. */
export interface NewCellContext {
  /** The sql cell a new plot or table most likely wants: the nearest above, else the first. */
  source: string | undefined;
  /** The columns of a sql cell's result, when it is known. */
  columns(sqlCell: string): string[] | undefined;
  /** `stem_N` with the first N no cell or param of the notebook uses. */
  freeName(stem: string): string;
}

export interface CellKindView<V> {
  /** The cell header's label ("Proxy labels"). */
  label: string;
  /** The cell editor's language. */
  language: 'sql' | 'yaml';
  /** In "add below": its label, the stem of the new cell's name, and a starting body that runs as it is where it can. */
  add: { label: string; stem: string; body(at: NewCellContext): string };
  /** Its Run button (and Shift+Enter) trains: what running such a cell means. */
  runTrains?: boolean;
  /**
   * A finished run that did not do the cell's work (a compare cell that has not trained): the
   * word its status shows instead of "done", shown as idle.
   */
  notDone?(value: V): string | undefined;
  output(host: OutputHost): CellOutput<V>;
}
