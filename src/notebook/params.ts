/**
 * Parameter values: what each input kind holds, checking a new value against its param (from the
 * browser's inputs or `nb.set`), and reading one from text (`lab run --set name=value`).
 */
import { optionType, optionValue, type ParamSpec, type Scalar } from './cell-schemas.ts';

/** A param's value: a number, string or boolean, or a list of them for checkbox groups. */
export type ParamValue = Scalar | Scalar[];

/** Thrown for a value its param does not accept; the message names the param. */
export class ParamValueError extends Error {
  override name = 'ParamValueError';
}

/** A value as messages quote it: its JSON, or its text where it has none (a bigint, a cycle). */
function quote(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return typeof v === 'bigint' ? `${v}n` : Object.prototype.toString.call(v);
  }
}

function fail(spec: ParamSpec, message: string): never {
  throw new ParamValueError(`${spec.name}: ${message}`);
}

function checkNumber(spec: ParamSpec & { min?: number; max?: number }, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(spec, `expected a number, got ${quote(v)}`);
  if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
    fail(spec, `expected a number between ${spec.min ?? '-∞'} and ${spec.max ?? '∞'}, got ${v}`);
  }
  return v;
}

function checkOption(spec: ParamSpec & { options: unknown[] }, v: unknown): Scalar {
  const values = spec.options.map((o) => optionValue(o as never));
  if (!values.includes(v as Scalar)) {
    fail(spec, `expected one of ${values.map((x) => quote(x)).join(', ')}, got ${quote(v)}`);
  }
  return v as Scalar;
}

/** `value` if `spec` accepts it; throws ParamValueError otherwise. */
export function checkParamValue(spec: ParamSpec, value: unknown): ParamValue {
  switch (spec.input) {
    case 'range':
    case 'number':
      return checkNumber(spec, value);
    case 'select':
      return checkOption(spec, value);
    case 'checkbox':
      if (!Array.isArray(value)) fail(spec, `expected a list of options, got ${quote(value)}`);
      return value.map((v) => checkOption(spec, v));
    case 'toggle':
      if (typeof value !== 'boolean') fail(spec, `expected true or false, got ${quote(value)}`);
      return value;
    case 'text':
      if (typeof value !== 'string') fail(spec, `expected text, got ${quote(value)}`);
      return value;
  }
}

/** A scalar of the option type from its text form: '0.8' is 0.8 for numeric options. */
function optionFromText(spec: ParamSpec & { options: unknown[] }, text: string): Scalar {
  const type = optionType(spec.options as never);
  const match = spec.options.map((o) => optionValue(o as never)).find((v) => String(v) === text);
  if (match !== undefined) return match;
  if (type === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  return text;
}

/**
 * A value from text, as given on the command line: numbers for range and number, true/false
 * for toggle, one option for select, comma-separated options for checkbox (empty for none).
 */
export function paramValueFromText(spec: ParamSpec, text: string): ParamValue {
  switch (spec.input) {
    case 'range':
    case 'number': {
      const n = text.trim() === '' ? NaN : Number(text);
      if (!Number.isFinite(n)) fail(spec, `expected a number, got '${text}'`);
      return checkNumber(spec, n);
    }
    case 'toggle': {
      const t = text.trim().toLowerCase();
      if (['true', 'yes', '1', 'on'].includes(t)) return true;
      if (['false', 'no', '0', 'off'].includes(t)) return false;
      return fail(spec, `expected true or false, got '${text}'`);
    }
    case 'select':
      return checkOption(spec, optionFromText(spec, text));
    case 'checkbox':
      return text.trim() === '' ? [] : text.split(',').map((t) => checkOption(spec, optionFromText(spec, t.trim())));
    case 'text':
      return text;
  }
}

/** The params a document declares, by name (the first declaration of a name wins, as in the runtime). */
export function declaredParams(blocks: readonly { type: string; spec?: unknown }[]): Map<string, ParamSpec> {
  const out = new Map<string, ParamSpec>();
  for (const b of blocks) {
    const spec = b.spec as { kind?: string; params?: ParamSpec[] } | null | undefined;
    if (b.type === 'cell' && spec?.kind === 'params')
      for (const p of spec.params!) if (!out.has(p.name)) out.set(p.name, p);
  }
  return out;
}
