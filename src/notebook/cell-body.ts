/**
 * A cell's body checked against its kind (each kind's `parse`, cell-kinds.ts). Problems come
 * back on their lines of the file, so a broken cell can be shown as such while the rest of the
 * notebook still runs.
 */
import { cellKind, type CellKind, type CellSpec } from './cell-kinds.ts';
import type { Diagnostic } from './types.ts';

export type CellBodyResult = { spec: CellSpec; diagnostics: [] } | { spec: null; diagnostics: Diagnostic[] };

/** `bodyLine`: the file line of the body's first line (the line after the opening fence). */
export function parseCellBody(kind: CellKind, name: string, body: string, bodyLine: number): CellBodyResult {
  const what = `${kind} cell ${name}`;
  const descriptor = cellKind(kind);
  const problems = (ds: Diagnostic[]): CellBodyResult => ({
    spec: null,
    diagnostics: ds.map((d) => ({ ...d, cell: name })),
  });
  if (body.trim() === '')
    return problems([{ line: bodyLine, message: `${what}: is empty: expected ${descriptor.expected}` }]);
  const parsed = descriptor.parse(body, { what, line: bodyLine });
  return parsed.ok ? { spec: parsed.spec, diagnostics: [] } : problems(parsed.diagnostics);
}
