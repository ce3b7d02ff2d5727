/** The `$name` references a cell's spec holds: the params it reads. */
import { PARAM_REF_PATTERN } from './cell-schemas.ts';

/** Every `$name` string anywhere in a value (a plot spec, a proxy or compare cell's fields). */
export function paramRefsIn(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = PARAM_REF_PATTERN.exec(value);
    if (m) out.add(m[1]!);
  } else if (Array.isArray(value)) value.forEach((v) => paramRefsIn(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => paramRefsIn(v, out));
  return out;
}
