/** A params cell: its value is the current value of each param it declares. */
import type { CellKindModule } from '../cell-kind.ts';
import { yamlBody } from '../cell-kind.ts';
import { optionLabel, optionValue, ParamsCellSpec, type ParamSpec } from '../cell-schemas.ts';
import { formatNumber } from '../format-value.ts';
import type { ParamValue } from '../params.ts';
import type { RunContext } from './context.ts';

export interface ParamsSpec {
  kind: 'params';
  params: ParamSpec[];
}

export interface ParamsResult {
  kind: 'params';
  values: Record<string, ParamValue>;
}

export function runParamsCell(names: readonly string[], ctx: Pick<RunContext, 'params'>): ParamsResult {
  return { kind: 'params', values: Object.fromEntries(names.map((n) => [n, ctx.params.get(n)!.value])) };
}

/** A param's value as the report shows it: an option's label, a number with separators. */
export function paramText(v: ParamValue, spec?: ParamSpec): string {
  const label = (x: unknown) => {
    if (spec && (spec.input === 'select' || spec.input === 'checkbox')) {
      const o = spec.options.find((o) => optionValue(o) === x);
      if (o) return optionLabel(o);
    }
    return typeof x === 'number' ? formatNumber(x) : String(x);
  };
  return Array.isArray(v) ? (v.length ? v.map(label).join(', ') : '(none)') : label(v);
}

/**
 * The params kind: each param it declares is a variable of its own (so moving one slider re-runs
 * only what uses that param); the cell reads the params it declares, to show their values.
 */
export const paramsCell: CellKindModule<'params', ParamsSpec, ParamsResult> = {
  kind: 'params',
  expected: 'a YAML list of params ({name, input, value, ...})',
  parse: yamlBody(ParamsCellSpec, (params) => ({ kind: 'params', params })),
  declares: (spec) => spec.params,
  uses: (spec, scope) => ({ params: spec.params.map((p) => p.name).filter((p) => scope.declaredBy(p) === scope.id) }),
  run: (cell, ctx) => runParamsCell(cell.params, ctx),
  report(value, { el, paramSpec }) {
    const table = el('table', { class: 'params' });
    for (const [name, v] of Object.entries(value.values)) {
      const spec = paramSpec(name);
      table.append(el('tr', {}, el('th', {}, spec?.label ?? name), el('td', {}, paramText(v, spec))));
    }
    return [table];
  },
};
