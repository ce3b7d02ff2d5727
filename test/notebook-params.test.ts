import { describe, expect, it } from 'vitest';
import { paramOverrides } from '../src/node/notebook-headless.ts';
import type { ParamSpec } from '../src/notebook/cell-schemas.ts';
import { checkParamValue, paramValueFromText } from '../src/notebook/params.ts';
import { parseNotebook } from '../src/notebook/parse.ts';

const range: ParamSpec = { name: 'min_conf', input: 'range', min: 0, max: 1, value: 0.5 };
const select: ParamSpec = {
  name: 'typology',
  input: 'select',
  options: [{ value: 'ALL', label: 'All' }, 'PEEL_CHAIN'],
  value: 'ALL',
};
const levels: ParamSpec = { name: 'levels', input: 'checkbox', options: [1, 2, 3], value: [1] };
const toggle: ParamSpec = { name: 'dedupe', input: 'toggle', value: true };
const text: ParamSpec = { name: 'address', input: 'text', value: '' };

describe('param values from text (--set)', () => {
  it('parses each input kind by its type', () => {
    expect(paramValueFromText(range, '0.75')).toBe(0.75);
    expect(paramValueFromText(select, 'PEEL_CHAIN')).toBe('PEEL_CHAIN');
    expect(paramValueFromText(levels, '1, 3')).toEqual([1, 3]);
    expect(paramValueFromText(levels, '')).toEqual([]);
    expect(paramValueFromText(toggle, 'no')).toBe(false);
    expect(paramValueFromText(text, "x'; DROP TABLE alerts; --")).toBe("x'; DROP TABLE alerts; --");
  });

  it('says which param did not accept which value, and what it expected', () => {
    expect(() => paramValueFromText(range, 'high')).toThrow("min_conf: expected a number, got 'high'");
    expect(() => paramValueFromText(range, '1.5')).toThrow('min_conf: expected a number between 0 and 1, got 1.5');
    expect(() => paramValueFromText(select, 'MIXER')).toThrow(
      'typology: expected one of "ALL", "PEEL_CHAIN", got "MIXER"',
    );
    expect(() => paramValueFromText(levels, '1,4')).toThrow('levels: expected one of 1, 2, 3, got 4');
    expect(() => paramValueFromText(toggle, 'maybe')).toThrow("dedupe: expected true or false, got 'maybe'");
  });

  it('checks values set from code the same way', () => {
    expect(checkParamValue(levels, [2, 3])).toEqual([2, 3]);
    expect(() => checkParamValue(levels, 2)).toThrow('levels: expected a list of options, got 2');
    expect(() => checkParamValue(text, 5)).toThrow('address: expected text, got 5');
  });

  it('maps --set pairs onto the notebook params, refusing unknown names', () => {
    const doc = parseNotebook(
      '```params p\n- {name: min_conf, input: range, min: 0, max: 1, value: 0.5}\n- {name: dedupe, input: toggle, value: true}\n```\n',
    );
    expect(paramOverrides(doc, { min_conf: '0.9', dedupe: 'false' })).toEqual({ min_conf: 0.9, dedupe: false });
    expect(() => paramOverrides(doc, { nope: '1' })).toThrow(
      'nope: the notebook has no such param: expected one of min_conf, dedupe',
    );
  });
});
