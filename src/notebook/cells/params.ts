/** A params cell: its value is the current value of each param it declares. */
import type { ParamValue } from '../params.ts';
import type { RunContext } from './context.ts';

export interface ParamsResult {
  kind: 'params';
  values: Record<string, ParamValue>;
}

export function runParamsCell(names: readonly string[], ctx: Pick<RunContext, 'params'>): ParamsResult {
  return { kind: 'params', values: Object.fromEntries(names.map((n) => [n, ctx.params.get(n)!.value])) };
}
