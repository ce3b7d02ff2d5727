/**
 * Property tests (fast-check) on the proxy-label configuration (src/labels/config.ts):
 * - any valid configuration saved (JSON or YAML) and loaded again equals itself, and saving is
 *   stable (save -> load -> save gives the same text);
 * - loadConfig and parseConfig throw nothing but ConfigError, with its source and an issue, on
 *   arbitrary text and arbitrary values, nesting included (no RangeError from a deep value);
 * - an out-of-range threshold is named by its field's path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONFLICT_RESOLUTIONS,
  ConfigError,
  loadConfig,
  parseConfig,
  saveConfig,
  type ProxyLabelConfig,
} from '../src/labels/config.ts';
import { UNCERTAIN_HANDLING } from '../src/labels/rule-fields.ts';
import { KNOWN_SEVERITIES } from '../src/sot/contracts.ts';

const unit = fc.double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));

/** A configuration the schema accepts: disjoint severity lists, a one-line strategy name. */
const configArb: fc.Arbitrary<ProxyLabelConfig> = fc
  .record({
    strategy: fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
      .map((s) => s.replace(/[\u0000-\u001f\u007f]/g, '').trim())
      .filter((s) => s.length > 0 && s.length <= 200),
    severities: fc.shuffledSubarray([...KNOWN_SEVERITIES]),
    split: fc.nat(),
    positiveMin: unit,
    negativeMax: unit,
    on_conflict: fc.constantFrom(...CONFLICT_RESOLUTIONS),
    uncertain: fc.constantFrom(...UNCERTAIN_HANDLING),
    label_confidence: fc.oneof(
      fc.constant({ method: 'confidence' as const }),
      unit.map((value) => ({ method: 'constant' as const, value })),
      unit.map((floor) => ({ method: 'distance' as const, floor })),
    ),
  })
  .filter((r) => r.severities.length > 0)
  .map((r) => {
    const cut = 1 + (r.split % r.severities.length);
    return {
      strategy: r.strategy,
      positive: { severities: r.severities.slice(0, cut), min_confidence: r.positiveMin },
      negative: { severities: r.severities.slice(cut), max_confidence: r.negativeMax },
      on_conflict: r.on_conflict,
      uncertain: r.uncertain,
      label_confidence: r.label_confidence,
    } as ProxyLabelConfig;
  });

function expectConfigError(e: unknown, source: string): void {
  expect(e).toBeInstanceOf(ConfigError);
  const err = e as ConfigError;
  expect(err.source).toBe(source);
  expect(err.issues.length).toBeGreaterThan(0);
  expect(err.message.startsWith(`${source}: `)).toBe(true);
}

/** What `f` throws; fails when it returns. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected it to throw, it returned');
}

/** Text that looks like a configuration, with the odd piece out of place. */
const configishText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'strategy: ',
        'positive:\n  severities: [high, critical]\n',
        'negative: {max_confidence: 2}\n',
        'min_confidence: ',
        'training:\n  label_strategy: proxy\n  proxy_label_config:\n    positive_severity: [high]\n',
        'proxy_label_config: {negative_confidence_threshold: -1}\n',
        'label_confidence: {method: constant, value: 0.5}\n',
        '[',
        ']',
        '{',
        '}',
        '"',
        "'",
        ': ',
        '- ',
        '\n',
        '  ',
        '&a [1,2]\n',
        '*a',
        '!!binary',
        '~',
        'null',
        '0.5',
        '1e400',
        '__proto__: {x: 1}\n',
      ),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 20 },
  )
  .map((p) => p.join(''));

describe('saveConfig then loadConfig', () => {
  it('gives back the configuration it saved, in JSON and in YAML, and saves it the same way again', () => {
    fc.assert(
      fc.property(configArb, fc.constantFrom('json' as const, 'yaml' as const), (config, format) => {
        const text = saveConfig(config, format);
        const loaded = loadConfig(text, `rule.${format}`);
        expect(loaded).toEqual(config);
        expect(saveConfig(loaded, format)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a threshold outside 0..1 by the field it is in', () => {
    fc.assert(
      fc.property(
        configArb,
        fc.oneof(
          fc.double({ min: 1, minExcluded: true, noNaN: true }),
          fc.double({ max: 0, maxExcluded: true }).filter((x) => x < 0),
        ),
        fc.constantFrom('positive.min_confidence', 'negative.max_confidence'),
        (config, bad, path) => {
          const [block, field] = path.split('.') as ['positive' | 'negative', string];
          const input = { ...config, [block]: { ...config[block], [field]: bad } };
          const e = thrown(() => parseConfig(input, 'bad.yaml'));
          expectConfigError(e, 'bad.yaml');
          expect((e as ConfigError).issues.map((i) => i.path)).toContain(path);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('hostile configurations', () => {
  it('loadConfig throws nothing but ConfigError on arbitrary text, JSON or YAML', () => {
    fc.assert(
      fc.property(
        fc.oneof(configishText, fc.string({ unit: 'binary', maxLength: 80 })),
        fc.constantFrom('json' as const, 'yaml' as const),
        (text, format) => {
          try {
            loadConfig(text, `hostile.${format}`);
          } catch (e) {
            expectConfigError(e, `hostile.${format}`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parseConfig throws nothing but ConfigError on arbitrary values', () => {
    const shaped = fc.record(
      {
        strategy: fc.anything(),
        positive: fc.oneof(fc.anything(), fc.record({ severities: fc.anything(), min_confidence: fc.anything() })),
        negative: fc.oneof(fc.anything(), fc.record({ severities: fc.anything(), max_confidence: fc.anything() })),
        label_confidence: fc.oneof(fc.anything(), fc.record({ method: fc.anything(), value: fc.anything() })),
        training: fc.oneof(
          fc.anything(),
          fc.record({ label_strategy: fc.anything(), proxy_label_config: fc.anything() }),
        ),
        proxy_label_config: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), shaped), (value) => {
        try {
          parseConfig(value, 'value');
        } catch (e) {
          expect(e).toBeInstanceOf(ConfigError);
          expect((e as ConfigError).issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses text nested deeper than any configuration with a ConfigError, not a stack overflow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 20_000 }),
        fc.constantFrom('strategy', 'positive.severities', 'positive.min_confidence', 'negative.max_confidence'),
        fc.constantFrom('json' as const, 'yaml' as const),
        (depth, where, format) => {
          const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
          const [a, b] = where.split('.');
          const text = b === undefined ? `{"${a}": ${deep}}` : `{"${a}": {"${b}": [${deep}]}}`;
          expectConfigError(
            thrown(() => loadConfig(text, `deep.${format}`)),
            `deep.${format}`,
          );
        },
      ),
      { numRuns: 20 },
    );
  });
});
