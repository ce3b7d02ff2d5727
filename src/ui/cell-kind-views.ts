/**
 * The app's registry of cell kinds: how each kind of the notebook's registry
 * (src/notebook/cell-kinds.ts) is shown and added, one line per kind, in the order "add below"
 * offers them. A kind missing here fails the typecheck.
 */
import type { CellValueOfKind } from '../notebook/cell-kinds.ts';
import type { CellKind } from '../notebook/types.ts';
import type { CellKindView } from './cell-kind-view.ts';
import { compareCellView } from './compare-cell-view.ts';
import { labelsCellView } from './labels-cell-output.ts';
import { paramsCellView } from './params-cell-output.ts';
import { plotCellView } from './plot-cell-output.ts';
import { proxyCellView } from './proxy-cell-output.ts';
import { qualityCellView } from './quality-cell-output.ts';
import { sqlCellView } from './sql-cell-output.ts';
import { tableCellView } from './table-cell-output.ts';
import { validateCellView } from './validate-cell-output.ts';

export const CELL_KIND_VIEWS: { readonly [K in CellKind]: CellKindView<Extract<CellValueOfKind, { kind: K }>> } = {
  sql: sqlCellView,
  plot: plotCellView,
  table: tableCellView,
  params: paramsCellView,
  proxy: proxyCellView,
  compare: compareCellView,
  labels: labelsCellView,
  quality: qualityCellView,
  validate: validateCellView,
};

/** The view of `kind`, for code that holds a value of some kind, not known which. */
export function cellKindView(kind: CellKind): CellKindView<CellValueOfKind> {
  return CELL_KIND_VIEWS[kind];
}
