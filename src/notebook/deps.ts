/**
 * The dependency graph: which names each cell uses, found from the cell itself by its kind's
 * `uses` (cell-kinds.ts): the params it reads, the results it draws (a table cell's name, or a
 * publishing cell's `cell.part`), and the cells it runs after. A params cell's params are each a
 * variable of their own, so moving one slider re-runs only what uses that param.
 *
 * Problems that stop a cell from running (an unknown param, data that is not a result of the
 * notebook, a cycle) are put on the cell, which then fails with that message while the rest runs.
 */
import { DATA_REF_PATTERN, type ParamSpec } from './cell-schemas.ts';
import type { DependencyScope } from './cell-kind.ts';
import { cellKind, type CellKind } from './cell-kinds.ts';
import type { CellBlock, NotebookDocument } from './types.ts';

export interface CellNode {
  /** Unique within the notebook: the cell's name, or `name@LINE` for a later duplicate. */
  id: string;
  block: CellBlock;
  /** Params this cell reads. */
  params: string[];
  /** Cells whose result this cell reads: sql cells, and publishing cells whose results it draws. */
  cells: string[];
  /** Why the cell cannot run, if it cannot. */
  problem?: string;
}

export interface ParamNode {
  spec: ParamSpec;
  /** The params cell it is declared in. */
  cell: string;
}

export interface Graph {
  cells: CellNode[];
  params: Map<string, ParamNode>;
}

export function buildGraph(doc: NotebookDocument, invalid: (block: CellBlock) => string | undefined): Graph {
  const params = new Map<string, ParamNode>();
  const byName = new Map<string, CellNode>();
  const cells: CellNode[] = [];

  for (const block of doc.blocks) {
    if (block.type !== 'cell') continue;
    const duplicate = byName.has(block.name);
    const node: CellNode = { id: duplicate ? `${block.name}@${block.line}` : block.name, block, params: [], cells: [] };
    cells.push(node);
    if (!duplicate) byName.set(block.name, node);
    node.problem = invalid(block);
    if (node.problem || !block.spec) continue;
    for (const p of cellKind(block.kind).declares?.(block.spec) ?? [])
      if (!params.has(p.name) && !byName.has(p.name)) params.set(p.name, { spec: p, cell: node.id });
  }

  // Cells whose result is a table, read by a plain name (sql cells).
  const tables = new Set(
    cells.filter((c) => cellKind(c.block.kind).resultTable && !c.id.includes('@')).map((c) => c.id),
  );
  // Cells that publish in-memory results, with the parts each kind publishes.
  const memoryCells = new Map<string, MemoryCell>();
  for (const c of cells) {
    const publishes = cellKind(c.block.kind).publishes;
    if (c.id.includes('@') || !publishes) continue;
    memoryCells.set(c.id, { kind: c.block.kind, parts: publishes.parts, example: publishes.example });
  }
  for (const node of cells) {
    const spec = node.block.spec;
    if (node.problem || !spec) continue;
    const scope: DependencyScope = {
      id: node.id,
      tables,
      declaredBy: (param) => params.get(param)?.cell,
      kindOf: (name) => byName.get(name)?.block.kind,
      cellsOf: (kind) => cells.filter((c) => c.block.kind === kind).map((c) => c.id),
    };
    const uses = cellKind(node.block.kind).uses(spec, scope);
    const usedParams = new Set(uses.params ?? []);
    const dataRefs = [...new Set(uses.data ?? [])];
    // Not data refs (such a cell is read whole, not by part): the cells are added below.
    const afterCells = uses.after ?? [];
    node.problem = uses.problem;
    const unknownParams = [...usedParams].filter((p) => !params.has(p));
    const dataProblems = dataRefs
      .map((ref) => dataRefProblem(ref, tables, memoryCells))
      .filter((p): p is string => p !== undefined);
    if (unknownParams.length > 0) {
      const known = [...params.keys()];
      node.problem = `unknown parameter${unknownParams.length > 1 ? 's' : ''} ${unknownParams.map((p) => `$${p}`).join(', ')}: expected ${known.length ? `one of ${known.map((p) => `$${p}`).join(', ')}` : 'a params cell that declares it'}`;
    } else if (dataProblems.length > 0) {
      node.problem = dataProblems.join('; ');
    }
    node.params = [...usedParams];
    node.cells = [...new Set([...dataRefs.map((ref) => DATA_REF_PATTERN.exec(ref)?.[1] ?? ref), ...afterCells])];
  }

  markCycles(cells.filter((c) => tables.has(c.id)));
  return { cells, params };
}

interface MemoryCell {
  kind: CellKind;
  parts: readonly string[];
  /** A part to name in messages. */
  example: string;
}

/**
 * Why a result name cannot be read, if it cannot: a plain name must be a sql cell of the
 * notebook, `cell.part` a result a proxy or compare cell publishes.
 */
function dataRefProblem(
  ref: string,
  sqlCells: ReadonlySet<string>,
  memoryCells: ReadonlyMap<string, MemoryCell>,
): string | undefined {
  const m = DATA_REF_PATTERN.exec(ref);
  const [cell, part] = m ? [m[1]!, m[2]] : [ref, undefined];
  const results = (c: string) =>
    memoryCells
      .get(c)!
      .parts.map((p) => `${c}.${p}`)
      .join(', ');
  const publisher = memoryCells.get(cell);
  if (part === undefined) {
    if (sqlCells.has(cell)) return undefined;
    if (publisher) return `data ${cell} is a ${publisher.kind} cell: expected one of its results, ${results(cell)}`;
    const known = [...sqlCells];
    const [first] = memoryCells;
    return `data ${cell} is not a sql cell of this notebook: expected ${known.length ? `one of ${known.join(', ')}` : 'the name of a sql cell'}${first ? ` or a ${first[1].kind} cell's result like ${first[0]}.${first[1].example}` : ''}`;
  }
  if (!publisher) {
    const known = [...memoryCells.keys()];
    const kinds = [...new Set([...memoryCells.values()].map((c) => c.kind))];
    const what = kinds.length === 1 ? `a ${kinds[0]} cell` : 'a proxy or compare cell';
    return `data ${ref}: ${cell} is not ${what} of this notebook: expected ${known.length ? `a result of ${known.join(', ')}` : `${what} to publish it`}`;
  }
  if (!publisher.parts.includes(part))
    return `data ${ref}: a ${publisher.kind} cell has no result ${part}: expected one of ${results(cell)}`;
  return undefined;
}

/** Sql cells that read each other in a circle cannot run: each gets the circle as its problem. */
function markCycles(sql: CellNode[]): void {
  const byId = new Map(sql.map((c) => [c.id, c]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string) => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of byId.get(id)!.cells) {
      if (!byId.has(dep)) continue;
      if (state.get(dep) === 'visiting') {
        const loop = [...stack.slice(stack.indexOf(dep)), dep];
        for (const member of loop) {
          const node = byId.get(member)!;
          node.problem ??= `circular reference ${loop.join(' → ')}: expected sql cells to read each other in one direction only`;
        }
      } else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const c of sql) if (!state.has(c.id)) visit(c.id);
}
