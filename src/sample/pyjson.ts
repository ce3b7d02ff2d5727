/**
 * JSON text the way Python's `json.dumps` writes it (the SOT's evidence_json): ", " and ": "
 * separators, and floats that happen to be whole keep their ".0". Python's ints and floats are
 * told apart by wrapping floats in `pyFloat`.
 */

class PyFloat {
  constructor(readonly value: number) {}
}

export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}

export type PyValue = PyFloat | number | string | boolean | null | PyValue[] | { [key: string]: PyValue };

export function pyJson(value: PyValue): string {
  if (value instanceof PyFloat) {
    const x = value.value;
    return Number.isInteger(x) ? x.toFixed(1) : String(x);
  }
  if (value === null) return 'null';
  if (typeof value === 'number') return String(Math.trunc(value));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(pyJson).join(', ') + ']';
  return (
    '{' +
    Object.entries(value)
      .map(([k, v]) => JSON.stringify(k) + ': ' + pyJson(v))
      .join(', ') +
    '}'
  );
}
