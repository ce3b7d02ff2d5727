/** A mapping saved as YAML (the Labels tab's Save mapping) reads back as the same mapping. */
import { describe, expect, it } from 'vitest';
import { mappingFrom, mappingYaml, parseMapping } from '../src/ingest/index.ts';

describe('mappingYaml', () => {
  it('round-trips every field, including label_source spellings', () => {
    const mapping = mappingFrom({
      columns: { label: 'verdict', alert_id: null, address: 'wallet' },
      scope: 'address',
      labels: { positive: ['illicit', 'bad'], negative: ['benign'] },
      sources: { reviewed: 'validated' },
      defaults: {
        label_source: 'community',
        labeled_by: 'ann',
        labeled_at: '2026-02-01T12:00:00Z',
        label_confidence: 0.8,
      },
      on_conflict: 'keep-newest',
    });
    const text = mappingYaml(mapping);
    expect(text).toMatch(/^# Label Lab label mapping/);
    expect(parseMapping(text, 'saved.yaml')).toEqual(mapping);
  });
});
