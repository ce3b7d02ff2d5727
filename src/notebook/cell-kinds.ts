/**
 * The registry of cell kinds, as src/strategies/registry.ts is for strategies: every kind's
 * descriptor (cell-kind.ts), once. The kind list, the spec and value unions, the body checks,
 * the dependency rules, the runtime's dispatch and the report all come from here, so adding a
 * kind is its module plus one line below (and one in the app's src/ui/cell-kind-views.ts).
 */
import type { CellKindModule } from './cell-kind.ts';
import { compareCell } from './cells/compare.ts';
import { labelsCell } from './cells/labels-import.ts';
import { paramsCell } from './cells/params.ts';
import { plotCell } from './cells/plot.ts';
import { proxyCell } from './cells/proxy.ts';
import { qualityCell } from './cells/quality.ts';
import { sqlCell } from './cells/sql.ts';
import { tableCell } from './cells/table.ts';
import { validateCell } from './cells/validate.ts';

/** Every kind, in the order the docs list them. */
const MODULES = [
  sqlCell,
  paramsCell,
  plotCell,
  tableCell,
  proxyCell,
  compareCell,
  labelsCell,
  qualityCell,
  validateCell,
] as const;

type AnyKindModule = (typeof MODULES)[number];
type SpecOf<M extends AnyKindModule> = Parameters<M['uses']>[0];
type ValueOf<M extends AnyKindModule> = Awaited<ReturnType<M['run']>>;
type ProgressOf<M extends AnyKindModule> = Parameters<Parameters<M['run']>[1]['progress']>[0];

/** Kinds of fenced cell. Prose between cells is the notebook's markdown. */
export type CellKind = AnyKindModule['kind'];
export const CELL_KINDS: readonly CellKind[] = MODULES.map((m) => m.kind);

/** A cell's validated body, by kind. */
export type CellSpec = SpecOf<AnyKindModule>;
/** A cell's value once it ran, by kind. */
export type CellValueOfKind = ValueOf<AnyKindModule>;
/** How a long run is going, shown on the cell while it runs (a compare cell training). */
export type CellProgress = ProgressOf<AnyKindModule>;

/** A descriptor as the generic code sees it: the spec and value of some kind, not known which. */
export type SomeCellKind = CellKindModule<CellKind, CellSpec, CellValueOfKind, CellProgress>;

const BY_KIND = new Map<string, SomeCellKind>(MODULES.map((m): [string, SomeCellKind] => [m.kind, m]));

export function isCellKind(word: string): word is CellKind {
  return BY_KIND.has(word);
}

/** The descriptor of `kind`. */
export function cellKind(kind: CellKind): SomeCellKind {
  return BY_KIND.get(kind)!;
}
