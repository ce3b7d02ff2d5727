/**
 * A params cell as real inputs: a range with its value beside it, a number box, a select, a
 * group of checkboxes, a toggle, a text box. Each reports its new value as the user changes it;
 * sliders report continuously, and the runtime drops the runs the next value makes stale.
 *
 * Option values keep their type (a select of numbers sets a number): inputs hold the option's
 * index, never the value's text.
 */
import { optionLabel, optionValue, type ParamSpec } from '../notebook/cell-schemas.ts';
import type { ParamValue } from '../notebook/params.ts';
import { h } from './dom.ts';

export type SetParam = (name: string, value: ParamValue) => void;

/** Text inputs wait for a pause in typing: each value would run the cells that use it. */
const TEXT_DELAY_MS = 250;

export function renderParamInputs(specs: ParamSpec[], values: Record<string, ParamValue>, set: SetParam): HTMLElement {
  return h(
    'div',
    { class: 'param-inputs' },
    ...specs.map((spec) => renderParam(spec, values[spec.name] ?? spec.value, set)),
  );
}

/** Show new values (a link opened, a notebook reloaded) without firing the inputs' handlers. */
export function showParamValues(root: HTMLElement, values: Record<string, ParamValue>): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-param]')) {
    const value = values[el.dataset.param!];
    if (value === undefined || el.contains(document.activeElement)) continue;
    (el as HTMLElement & { showValue?: (v: ParamValue) => void }).showValue?.(value);
  }
}

function renderParam(spec: ParamSpec, value: ParamValue, set: SetParam): HTMLElement {
  const id = `param-${spec.name}-${Math.random().toString(36).slice(2, 8)}`;
  const label = spec.label ?? spec.name;
  const control = renderControl(spec, value, id, (v) => {
    try {
      set(spec.name, v);
      field.classList.remove('invalid');
      problem.textContent = '';
    } catch (err) {
      field.classList.add('invalid');
      problem.textContent = (err as Error).message;
    }
  });
  const problem = h('span', { class: 'param-problem', role: 'alert' });
  const isGroup = spec.input === 'checkbox';
  const field = h(
    isGroup ? 'fieldset' : 'div',
    { class: `param-field param-${spec.input}` },
    isGroup ? h('legend', { class: 'param-label' }, label) : h('label', { class: 'param-label', for: id }, label),
    control,
    spec.description ? h('span', { class: 'param-description' }, spec.description) : null,
    problem,
  );
  return field;
}

type Control = HTMLElement & { showValue?: (v: ParamValue) => void };

function renderControl(spec: ParamSpec, value: ParamValue, id: string, change: (v: ParamValue) => void): Control {
  switch (spec.input) {
    case 'range': {
      const output = h('output', { class: 'param-value', for: id }, String(value));
      const input = h('input', {
        type: 'range',
        id,
        min: spec.min,
        max: spec.max,
        step: spec.step ?? 'any',
        value: String(value),
        'data-param-input': spec.name,
      });
      input.addEventListener('input', () => {
        output.textContent = input.value;
        change(Number(input.value));
      });
      const wrap: Control = h('div', { class: 'param-range', 'data-param': spec.name }, input, output);
      wrap.showValue = (v) => {
        input.value = String(v);
        output.textContent = String(v);
      };
      return wrap;
    }
    case 'number': {
      const input: Control & HTMLInputElement = h('input', {
        type: 'number',
        id,
        min: spec.min,
        max: spec.max,
        step: spec.step ?? 'any',
        value: String(value),
        'data-param': spec.name,
        'data-param-input': spec.name,
      });
      input.addEventListener('input', () => {
        if (input.value.trim() !== '' && Number.isFinite(input.valueAsNumber)) change(input.valueAsNumber);
      });
      input.showValue = (v) => void (input.value = String(v));
      return input;
    }
    case 'select': {
      const options = spec.options.map(optionValue);
      const select: Control & HTMLSelectElement = h(
        'select',
        { id, 'data-param': spec.name, 'data-param-input': spec.name },
        ...spec.options.map((o, i) =>
          h('option', { value: String(i), selected: optionValue(o) === value }, optionLabel(o)),
        ),
      );
      select.addEventListener('change', () => change(options[Number(select.value)]!));
      select.showValue = (v) => void (select.value = String(options.indexOf(v as never)));
      return select;
    }
    case 'checkbox': {
      const chosen = new Set(Array.isArray(value) ? value : [value]);
      const boxes = spec.options.map((o) =>
        h('input', { type: 'checkbox', value: String(optionValue(o)), checked: chosen.has(optionValue(o)) }),
      );
      const read = () => spec.options.filter((_, i) => boxes[i]!.checked).map(optionValue);
      for (const box of boxes) box.addEventListener('change', () => change(read()));
      const group: Control = h(
        'div',
        { class: 'param-checks', 'data-param': spec.name, id },
        ...spec.options.map((o, i) => h('label', { class: 'param-check' }, boxes[i]!, h('span', {}, optionLabel(o)))),
      );
      group.showValue = (v) => {
        const now = new Set(Array.isArray(v) ? v : [v]);
        spec.options.forEach((o, i) => (boxes[i]!.checked = now.has(optionValue(o))));
      };
      return group;
    }
    case 'toggle': {
      const input = h('input', {
        type: 'checkbox',
        role: 'switch',
        id,
        checked: value === true,
        'data-param-input': spec.name,
      });
      input.addEventListener('change', () => change(input.checked));
      const wrap: Control = h(
        'label',
        { class: 'param-toggle', 'data-param': spec.name },
        input,
        h('span', { class: 'toggle-track', 'aria-hidden': 'true' }),
      );
      wrap.showValue = (v) => void (input.checked = v === true);
      return wrap;
    }
    case 'text': {
      const input: Control & HTMLInputElement = h('input', {
        type: 'text',
        id,
        value: String(value),
        placeholder: spec.placeholder,
        'data-param': spec.name,
        'data-param-input': spec.name,
      });
      let timer: ReturnType<typeof setTimeout> | undefined;
      input.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(() => change(input.value), TEXT_DELAY_MS);
      });
      input.showValue = (v) => void (input.value = String(v));
      return input;
    }
  }
}
