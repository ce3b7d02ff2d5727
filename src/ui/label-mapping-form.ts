/**
 * The mapping step of a label import: which column of the file fills each event field (or which
 * value fills it when the file has none), how label values are spelled, and the rules for
 * conflicts and unknown alerts. It starts from what the importer would do on its own
 * (auto-detection, DEFAULT_MAPPING) and hands back a mapping as the core takes it
 * (`LabelMappingInput`); the core validates it, so a bad value comes back in the report.
 *
 * A field left on its detected column is left out of the mapping, so the report can say the
 * column was detected; everything the user changed is named explicitly.
 */
import {
  CONFLICT_POLICIES,
  DEFAULT_MAPPING,
  IMPORT_SOURCES,
  labelSpelling,
  TARGET_FIELDS,
  type ConflictPolicy,
  type LabelMapping,
  type LabelMappingInput,
  type PeekedColumn,
  type PeekedFile,
  type TargetField,
  type UnknownTargets,
} from '../ingest/index.ts';
import { formatCount, h, replaceChildren } from './dom.ts';

const FIELD_NOTES: Record<TargetField, string> = {
  alert_id: 'the alert a row labels',
  address: 'or the address: labels all its alerts',
  label: '1 illicit, 0 benign',
  label_source: 'miner, community or validated',
  label_confidence: '0 to 1',
  labeled_at: 'when it was labelled',
  labeled_by: 'who labelled it',
  note: 'free text',
};

/** The fields a value can stand in for (the mapping's `defaults`). */
type DefaultField = 'label_source' | 'label_confidence' | 'labeled_at' | 'labeled_by';

const CONFLICT_TEXT: Record<ConflictPolicy, string> = {
  error: 'refuse those rows',
  'keep-newest': 'keep the newest',
  drop: 'drop them all',
  'keep-all': 'keep all (a label history)',
};

const splitSpellings = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

export class LabelMappingForm {
  readonly element: HTMLElement;
  private readonly selects = new Map<TargetField, HTMLSelectElement>();
  private readonly samples = new Map<TargetField, HTMLElement>();
  private readonly defaults: Record<DefaultField, HTMLInputElement | HTMLSelectElement>;
  private readonly positive: HTMLInputElement;
  private readonly negative: HTMLInputElement;
  private readonly labelValues = h('div', { class: 'label-values', 'aria-live': 'polite' });
  private readonly unused = h('p', { class: 'mapping-unused muted' });
  private readonly scope: HTMLSelectElement;
  private readonly conflict: HTMLSelectElement;
  private readonly keepUnknown: HTMLInputElement;
  /** Extra label_source spellings of a loaded mapping: no input edits them, but saving keeps them. */
  private sources: Record<string, (typeof IMPORT_SOURCES)[number]> = {};

  constructor(
    private readonly peek: PeekedFile,
    labeler: string,
    /** Called on every change, so a report checked with the old mapping can be set aside. */
    private readonly onChange: () => void,
  ) {
    const changed = () => {
      this.refreshSamples();
      this.onChange();
    };
    const d = DEFAULT_MAPPING.defaults;
    this.defaults = {
      label_source: h(
        'select',
        {
          class: 'labels-input',
          'data-default': 'label_source',
          'aria-label': 'label_source when the file has none',
          onchange: changed,
        },
        ...IMPORT_SOURCES.map((s) => h('option', { value: s, selected: s === d.label_source }, s)),
      ),
      label_confidence: h('input', {
        class: 'labels-input',
        type: 'text',
        inputmode: 'decimal',
        placeholder: 'none',
        'data-default': 'label_confidence',
        'aria-label': 'label_confidence when the file has none',
        oninput: changed,
      }),
      labeled_at: h('input', {
        class: 'labels-input',
        type: 'text',
        placeholder: 'the time of the import',
        'data-default': 'labeled_at',
        'aria-label': 'labeled_at when the file has none',
        oninput: changed,
      }),
      labeled_by: h('input', {
        class: 'labels-input',
        type: 'text',
        placeholder: 'nobody named',
        value: labeler,
        'data-default': 'labeled_by',
        'aria-label': 'labeled_by when the file has none',
        oninput: changed,
      }),
    };
    const rows = TARGET_FIELDS.map((field) => {
      const detected = peek.detected[field];
      const select = h(
        'select',
        { class: 'labels-input', 'data-field': field, 'aria-label': `column for ${field}`, onchange: changed },
        h('option', { value: '' }, field === 'label' ? '— choose a column —' : '— not in this file —'),
        ...peek.columns.map((c) =>
          h(
            'option',
            { value: c.name, selected: c.name === detected },
            c.name === detected ? `${c.name} (detected)` : c.name,
          ),
        ),
      );
      this.selects.set(field, select);
      const sample = h('span', { class: 'mapping-sample' });
      this.samples.set(field, sample);
      const fallback =
        field in this.defaults ? this.defaults[field as DefaultField] : h('span', { class: 'muted' }, '—');
      return h(
        'tr',
        {},
        h('th', { scope: 'row' }, h('code', {}, field), h('span', { class: 'mapping-note' }, FIELD_NOTES[field])),
        h('td', {}, select),
        h('td', {}, fallback),
        h('td', {}, sample),
      );
    });

    this.positive = h('input', {
      class: 'labels-input',
      type: 'text',
      value: DEFAULT_MAPPING.labels.positive.join(', '),
      'data-spellings': 'positive',
      'aria-label': 'values read as positive (illicit)',
      oninput: changed,
    });
    this.negative = h('input', {
      class: 'labels-input',
      type: 'text',
      value: DEFAULT_MAPPING.labels.negative.join(', '),
      'data-spellings': 'negative',
      'aria-label': 'values read as negative (benign)',
      oninput: changed,
    });
    this.scope = h(
      'select',
      { class: 'labels-input', 'data-option': 'scope', onchange: changed },
      h('option', { value: 'auto' }, 'an alert when the row has an alert id, else its address'),
      h('option', { value: 'alert' }, 'alerts only (rows need an alert id)'),
      h('option', { value: 'address' }, 'addresses (every alert of the address)'),
    );
    this.conflict = h(
      'select',
      { class: 'labels-input', 'data-option': 'on_conflict', onchange: changed },
      ...CONFLICT_POLICIES.map((p) =>
        h('option', { value: p, selected: p === DEFAULT_MAPPING.on_conflict }, CONFLICT_TEXT[p]),
      ),
    );
    this.keepUnknown = h('input', { type: 'checkbox', 'data-option': 'keep-unknown', onchange: changed });

    this.element = h(
      'div',
      { class: 'mapping-form' },
      h(
        'table',
        { class: 'mapping-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Event field'),
            h('th', { scope: 'col' }, 'Column in the file'),
            h('th', { scope: 'col' }, 'Value when the column is missing or empty'),
            h('th', { scope: 'col' }, 'Most common values in the column'),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
      this.unused,
      h(
        'div',
        { class: 'mapping-spellings' },
        h('label', { class: 'mapping-option' }, h('span', {}, 'Read as positive (illicit)'), this.positive),
        h('label', { class: 'mapping-option' }, h('span', {}, 'Read as negative (benign)'), this.negative),
        h(
          'p',
          { class: 'mapping-hint muted' },
          'Comma-separated; compared without case or surrounding spaces. The label column reads:',
        ),
        this.labelValues,
      ),
      h(
        'div',
        { class: 'mapping-rules' },
        h('label', { class: 'mapping-option' }, h('span', {}, 'A row labels'), this.scope),
        h(
          'label',
          { class: 'mapping-option' },
          h('span', {}, 'One alert labelled both 1 and 0 by one source'),
          this.conflict,
        ),
        h(
          'label',
          { class: 'mapping-check' },
          this.keepUnknown,
          h(
            'span',
            {},
            'Keep labels for alerts or addresses that are not loaded (they apply when those alerts are loaded)',
          ),
        ),
      ),
    );
    this.refreshSamples();
  }

  /**
   * The mapping as the core takes it; the core validates it (a bad value comes back in the report).
   * `explicit` names every field's column, detected ones too: a saved mapping must not depend on
   * what detection finds in the next file.
   */
  mapping(explicit = false): LabelMappingInput {
    const columns: Partial<Record<TargetField, string | null>> = {};
    for (const [field, select] of this.selects) {
      if (!explicit && select.value === (this.peek.detected[field] ?? '')) continue;
      columns[field] = select.value === '' ? null : select.value;
    }
    const confidence = this.defaults.label_confidence.value.trim();
    const at = this.defaults.labeled_at.value.trim();
    return {
      columns,
      scope: this.scope.value as 'auto' | 'alert' | 'address',
      labels: { positive: splitSpellings(this.positive.value), negative: splitSpellings(this.negative.value) },
      defaults: {
        label_source: this.defaults.label_source.value as (typeof IMPORT_SOURCES)[number],
        labeled_by: this.defaults.labeled_by.value.trim(),
        ...(at ? { labeled_at: at } : {}),
        // Not a number stays NaN: the schema refuses it with the field's name.
        label_confidence: confidence === '' ? null : Number(confidence),
      },
      on_conflict: this.conflict.value as ConflictPolicy,
      ...(Object.keys(this.sources).length > 0 && { sources: this.sources }),
    };
  }

  /**
   * Fill the form from a saved mapping (`lab labels import --mapping` reads the same file). A
   * column the mapping names that this file lacks is left as it was and returned, to be said.
   */
  apply(m: LabelMapping): string[] {
    const missing: string[] = [];
    for (const [field, select] of this.selects) {
      const column = m.columns[field];
      if (column === undefined) select.value = this.peek.detected[field] ?? '';
      else if (column === null) select.value = '';
      else if (this.peek.columns.some((c) => c.name === column)) select.value = column;
      else missing.push(`${field} → ${column}`);
    }
    this.positive.value = m.labels.positive.join(', ');
    this.negative.value = m.labels.negative.join(', ');
    this.scope.value = m.scope;
    this.conflict.value = m.on_conflict;
    this.defaults.label_source.value = m.defaults.label_source;
    this.defaults.labeled_by.value = m.defaults.labeled_by;
    this.defaults.labeled_at.value = m.defaults.labeled_at ?? '';
    this.defaults.label_confidence.value =
      m.defaults.label_confidence === null ? '' : String(m.defaults.label_confidence);
    this.sources = { ...m.sources };
    this.refreshSamples();
    this.onChange();
    return missing;
  }

  unknownTargets(): UnknownTargets {
    return this.keepUnknown.checked ? 'keep' : 'reject';
  }

  private column(field: TargetField): PeekedColumn | undefined {
    const name = this.selects.get(field)!.value;
    return this.peek.columns.find((c) => c.name === name);
  }

  private refreshSamples(): void {
    for (const [field, sample] of this.samples) {
      const c = this.column(field);
      if (!c) {
        sample.textContent = '';
        continue;
      }
      // The counts first: long values (ids, addresses) are cut at the cell's end.
      const counts = `${formatCount(c.distinct)} distinct${c.empty > 0 ? `, ${formatCount(c.empty)} empty` : ''}`;
      const values = c.top.map((t) => `${t.value} (${formatCount(t.rows)})`).join(', ');
      sample.textContent = `${counts}: ${values}`;
      sample.title = `${c.name} (${c.type}), ${counts}\n${c.top.map((t) => `${t.value} (${formatCount(t.rows)})`).join('\n')}`;
    }
    const used = new Set([...this.selects.values()].map((s) => s.value));
    const unused = this.peek.columns.filter((c) => !used.has(c.name)).map((c) => c.name);
    this.unused.textContent = unused.length > 0 ? `Not imported: ${unused.join(', ')}.` : '';
    const label = this.column('label');
    if (!label) {
      replaceChildren(this.labelValues, h('span', { class: 'muted' }, 'no label column chosen'));
      return;
    }
    const labels = {
      positive: splitSpellings(this.positive.value).map((s) => s.toLowerCase()),
      negative: splitSpellings(this.negative.value).map((s) => s.toLowerCase()),
    };
    replaceChildren(
      this.labelValues,
      ...label.top.map((t) => {
        const reads = labelSpelling(t.value, labels);
        return h(
          'span',
          { class: `label-value ${reads ?? 'unknown'}`, 'data-value': t.value, 'data-reads': reads ?? 'unknown' },
          h('code', {}, t.value),
          ` → ${reads ?? 'not a label'} · ${formatCount(t.rows)}`,
        );
      }),
      label.distinct > label.top.length
        ? h('span', { class: 'muted' }, `and ${formatCount(label.distinct - label.top.length)} more values`)
        : null,
      label.empty > 0 ? h('span', { class: 'muted' }, `${formatCount(label.empty)} empty`) : null,
    );
  }
}
