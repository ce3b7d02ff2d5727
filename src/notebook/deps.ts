/**
 * The dependency graph: which names each cell uses, found from the cell itself.
 *
 * - sql: `$name` references are params; identifiers that equal another sql cell's name are that
 *   cell's result table (`FROM by_severity`). A column that happens to share a cell's name only
 *   adds a harmless extra dependency.
 * - plot: its `data` and each mark's `data`, and every `$name` value in the spec.
 * - table: its `data`.
 * - proxy: every `$name` value among its fields. Plots and tables that draw one of its results
 *   (`labels.by_severity`) depend on the proxy cell `labels`.
 * - compare: likewise, every `$name` in its training configuration; its results are `board.roc`.
 * - params: the params it holds (each param is its own variable, so moving one slider re-runs
 *   only what uses that param).
 *
 * Problems that stop a cell from running (an unknown param, data that is not a sql cell, a
 * cycle) are put on the cell, which then fails with that message while the rest runs.
 */
import { DATA_REF_PATTERN, PARAM_REF_PATTERN, type ParamSpec } from './cell-schemas.ts';
import { COMPARE_PARTS } from './cells/compare-results.ts';
import { PROXY_PARTS } from './cells/proxy-results.ts';
import { LABELS_PARTS } from './cells/labels-import.ts';
import { QUALITY_PARTS } from './cells/quality.ts';
import { scanSql } from './sql-lexer.ts';
import type { CellBlock, NotebookDocument } from './types.ts';

export interface CellNode {
  /** Unique within the notebook: the cell's name, or `name@LINE` for a later duplicate. */
  id: string;
  block: CellBlock;
  /** Params this cell reads. */
  params: string[];
  /** Cells whose result this cell reads: sql cells, and proxy cells whose results it draws. */
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

/** Every `$name` string anywhere in a value (the plot spec). */
export function paramRefsIn(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = PARAM_REF_PATTERN.exec(value);
    if (m) out.add(m[1]!);
  } else if (Array.isArray(value)) value.forEach((v) => paramRefsIn(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => paramRefsIn(v, out));
  return out;
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
    if (block.spec.kind === 'params') {
      for (const p of block.spec.params)
        if (!params.has(p.name) && !byName.has(p.name)) params.set(p.name, { spec: p, cell: node.id });
    }
  }

  const sqlCells = new Set(cells.filter((c) => c.block.kind === 'sql' && !c.id.includes('@')).map((c) => c.id));
  // Cells that publish in-memory results, with the parts each kind publishes.
  const memoryCells = new Map<string, MemoryCell>();
  for (const c of cells) {
    if (c.id.includes('@')) continue;
    if (c.block.kind === 'proxy') memoryCells.set(c.id, { kind: 'proxy', parts: PROXY_PARTS, example: 'by_severity' });
    if (c.block.kind === 'compare')
      memoryCells.set(c.id, { kind: 'compare', parts: COMPARE_PARTS, example: 'entries' });
    if (c.block.kind === 'labels') memoryCells.set(c.id, { kind: 'labels', parts: LABELS_PARTS, example: 'issues' });
    if (c.block.kind === 'quality')
      memoryCells.set(c.id, { kind: 'quality', parts: QUALITY_PARTS, example: 'agreement' });
  }
  for (const node of cells) {
    const spec = node.block.spec;
    if (node.problem || !spec) continue;
    let usedParams: Set<string> = new Set();
    let dataRefs: string[] = [];
    let afterCells: string[] = [];
    if (spec.kind === 'sql') {
      const scan = scanSql(spec.sql);
      usedParams = new Set(scan.params.map((p) => p.name));
      dataRefs = [...scan.identifiers].filter((id) => sqlCells.has(id) && id !== node.id);
    } else if (spec.kind === 'plot') {
      usedParams = paramRefsIn(spec.plot);
      dataRefs = [
        ...new Set([spec.plot.data, ...spec.plot.marks.map((m) => m.data)].filter((d): d is string => d !== undefined)),
      ];
    } else if (spec.kind === 'table') {
      dataRefs = [spec.table.data];
    } else if (spec.kind === 'proxy') {
      usedParams = paramRefsIn(spec.proxy);
    } else if (spec.kind === 'compare') {
      usedParams = paramRefsIn(spec.compare);
    } else if (spec.kind === 'labels') {
      // A file and a mapping, written out: nothing to depend on.
    } else if (spec.kind === 'quality') {
      const notLabels = spec.quality.after.filter((a) => byName.get(a)?.block.kind !== 'labels');
      if (notLabels.length > 0) {
        const known = cells.filter((c) => c.block.kind === 'labels').map((c) => c.id);
        node.problem = `after: ${notLabels.join(', ')} ${notLabels.length > 1 ? 'are not labels cells' : 'is not a labels cell'} of this notebook: expected ${known.length ? `one of ${known.join(', ')}` : 'a labels cell to import first'}`;
      }
      // Not data refs (a labels cell is read whole, not by part): the cells are added below.
      afterCells = spec.quality.after;
    } else {
      usedParams = new Set(spec.params.map((p) => p.name).filter((p) => params.get(p)?.cell === node.id));
    }
    const unknownParams = [...usedParams].filter((p) => !params.has(p));
    const dataProblems = dataRefs
      .map((ref) => dataRefProblem(ref, sqlCells, memoryCells))
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

  markCycles(cells.filter((c) => sqlCells.has(c.id)));
  return { cells, params };
}

interface MemoryCell {
  kind: 'proxy' | 'compare' | 'labels' | 'quality';
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
