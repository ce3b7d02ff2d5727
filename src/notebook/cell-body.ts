/**
 * A cell's body checked against its kind: YAML bodies through their zod schema, SQL through the
 * lexer. Problems come back on their lines of the file, so a broken cell can be shown as such
 * while the rest of the notebook still runs.
 */
import {
  CompareSpec,
  LabelsSpec,
  ParamsCellSpec,
  QualitySpec,
  PlotSpecWithRefs,
  ProxySpec,
  TableSpec,
  type CellSpec,
} from './cell-schemas.ts';
import { lineInSql, scanSql } from './sql-lexer.ts';
import type { CellKind, Diagnostic } from './types.ts';
import { parseYamlBody } from './yaml-body.ts';

export type CellBodyResult = { spec: CellSpec; diagnostics: [] } | { spec: null; diagnostics: Diagnostic[] };

/** `bodyLine`: the file line of the body's first line (the line after the opening fence). */
export function parseCellBody(kind: CellKind, name: string, body: string, bodyLine: number): CellBodyResult {
  const what = `${kind} cell ${name}`;
  const withCell = (ds: Diagnostic[]): CellBodyResult => ({
    spec: null,
    diagnostics: ds.map((d) => ({ ...d, cell: name })),
  });
  if (body.trim() === '')
    return withCell([{ line: bodyLine, message: `${what}: is empty: expected ${EXPECTED[kind]}` }]);

  switch (kind) {
    case 'sql': {
      const scan = scanSql(body);
      if (scan.problems.length > 0) {
        return withCell(
          scan.problems.map((p) => ({
            line: bodyLine + lineInSql(body, p.offset) - 1,
            message: `${what}: ${p.message}`,
          })),
        );
      }
      return { spec: { kind, sql: body }, diagnostics: [] };
    }
    case 'params': {
      const r = parseYamlBody(body, ParamsCellSpec, bodyLine, what);
      return r.ok ? { spec: { kind, params: r.value }, diagnostics: [] } : withCell(r.diagnostics);
    }
    case 'plot': {
      const r = parseYamlBody(body, PlotSpecWithRefs, bodyLine, what);
      return r.ok ? { spec: { kind, plot: r.value }, diagnostics: [] } : withCell(r.diagnostics);
    }
    case 'table': {
      const r = parseYamlBody(body, TableSpec, bodyLine, what);
      return r.ok ? { spec: { kind, table: r.value }, diagnostics: [] } : withCell(r.diagnostics);
    }
    case 'proxy': {
      const r = parseYamlBody(body, ProxySpec, bodyLine, what);
      return r.ok ? { spec: { kind, proxy: r.value }, diagnostics: [] } : withCell(r.diagnostics);
    }
    case 'labels': {
      const r = parseYamlBody(body, LabelsSpec, bodyLine, what);
      return r.ok ? { spec: { kind, labels: r.value }, diagnostics: [] } : withCell(r.diagnostics);
    }
    case 'quality': {
      const r = parseYamlBody(body, QualitySpec, bodyLine, what);
      return r.ok ? { spec: { kind, quality: r.value }, diagnostics: [] } : withCell(r.diagnostics);
    }
    case 'compare': {
      const r = parseYamlBody(body, CompareSpec, bodyLine, what);
      return r.ok ? { spec: { kind, compare: r.value }, diagnostics: [] } : withCell(r.diagnostics);
    }
  }
}

const EXPECTED: Record<CellKind, string> = {
  sql: 'one SQL query',
  params: 'a YAML list of params ({name, input, value, ...})',
  plot: 'a YAML plot spec ({data, marks: [...]})',
  table: 'a YAML table spec ({data: RESULT})',
  proxy: 'a YAML proxy-label rule ({positive_severities: $pos, min_confidence: $min, ...})',
  labels: 'a YAML label import ({file: labels/example-labels-v1.csv, mapping: {...}, unknown_targets: reject})',
  quality:
    'a YAML label-quality report ({after: [community], apply_proxy_rule: true, suspects: {labels: explicit, folds: 5, limit: 25}})',
  compare: 'a YAML training configuration ({strategies: [proxy, rule], split: {groupBy: $group_by}, ...})',
};
