import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_CONFIG,
  formatOf,
  loadConfig,
  parseConfig,
  ruleSignature,
  saveConfig,
  withThresholds,
  type ProxyLabelConfig,
} from '../src/labels/config.ts';

const issues = (f: () => unknown): { path: string; message: string }[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('the proxy-label configuration', () => {
  it("defaults to exactly the design's rule", () => {
    expect(DEFAULT_CONFIG).toEqual({
      strategy: 'severity_confidence',
      positive: { severities: ['high', 'critical'], min_confidence: 0.7 },
      negative: { severities: ['low', 'medium'], max_confidence: 0.3 },
      on_conflict: 'negative',
      uncertain: 'drop',
      label_confidence: { method: 'confidence' },
    });
    expect(parseConfig(undefined)).toEqual(DEFAULT_CONFIG);
    expect(loadConfig('', 'empty.yaml')).toEqual(DEFAULT_CONFIG);
  });

  it('fills defaults field by field and lowercases severities', () => {
    const c = parseConfig({ positive: { severities: ['CRITICAL'] }, label_confidence: { method: 'constant' } });
    expect(c.positive).toEqual({ severities: ['critical'], min_confidence: 0.7 });
    expect(c.negative).toEqual(DEFAULT_CONFIG.negative);
    expect(c.label_confidence).toEqual({ method: 'constant', value: 1 });
    expect(parseConfig({ label_confidence: { method: 'distance' } }).label_confidence).toEqual({
      method: 'distance',
      floor: 0.5,
    });
  });

  const custom: ProxyLabelConfig = {
    strategy: `miner's "rule" \\ v2: ünïcode`,
    positive: { severities: ['critical', 'high', 'info'], min_confidence: 0.825 },
    negative: { severities: [], max_confidence: 0.61 },
    on_conflict: 'uncertain',
    uncertain: 'keep',
    label_confidence: { method: 'distance', floor: 0.25 },
  };

  it('round-trips through JSON and YAML', () => {
    for (const config of [DEFAULT_CONFIG, custom]) {
      for (const format of ['json', 'yaml'] as const) {
        const text = saveConfig(config, format);
        expect(loadConfig(text, `rule.${format}`)).toEqual(config);
      }
    }
    expect(saveConfig(DEFAULT_CONFIG, 'yaml')).toContain('min_confidence: 0.7');
    expect(JSON.parse(saveConfig(custom, 'json'))).toEqual(custom);
  });

  it('loads the design YAML (training.proxy_label_config) and the bare mapping', () => {
    const yaml = `training:
  label_strategy: "proxy"
  proxy_label_config:
    positive_severity: ["high", "critical"]
    positive_confidence_threshold: 0.8
    negative_severity: ["low"]
    negative_confidence_threshold: 0.2
`;
    const c = loadConfig(yaml, 'model_config.yaml');
    expect(c.positive).toEqual({ severities: ['high', 'critical'], min_confidence: 0.8 });
    expect(c.negative).toEqual({ severities: ['low'], max_confidence: 0.2 });
    expect(
      loadConfig('{"proxy_label_config": {"positive_confidence_threshold": 0.9}}', 'x.json').positive.min_confidence,
    ).toBe(0.9);
    expect(
      issues(() => loadConfig('training: {label_strategy: supervised, proxy_label_config: {}}', 'm.yaml'))[0]!.path,
    ).toBe('training.label_strategy');
  });

  it("reports a design-shape file's errors in the design's own names, with the percentage slip spelled out", () => {
    expect(issues(() => loadConfig('proxy_label_config: {positive_confidence_threshold: 70}', 'm.yaml'))).toEqual([
      {
        path: 'proxy_label_config.positive_confidence_threshold',
        message: 'must be between 0 and 1 (got 70); confidences are shares of 1, so 70% is 0.7',
      },
    ]);
    const both = issues(() =>
      loadConfig(
        'training: {label_strategy: proxy, proxy_label_config: {positive_severity: [high, bogus], negative_confidence_threshold: -1}}',
        'model_config.yaml',
      ),
    );
    expect(both.map((i) => i.path)).toEqual([
      'training.proxy_label_config.positive_severity.1',
      'training.proxy_label_config.negative_confidence_threshold',
    ]);
    expect(both[1]!.message).toBe('must be between 0 and 1 (got -1)');
  });

  it('rejects thresholds outside 0..1, naming the field and the value', () => {
    expect(issues(() => parseConfig({ positive: { min_confidence: 1.5 } }))).toEqual([
      { path: 'positive.min_confidence', message: 'must be between 0 and 1 (got 1.5)' },
    ]);
    expect(issues(() => parseConfig({ negative: { max_confidence: -0.1 } }))).toEqual([
      { path: 'negative.max_confidence', message: 'must be between 0 and 1 (got -0.1)' },
    ]);
    expect(issues(() => parseConfig({ positive: { min_confidence: '0.7' } }))[0]!.message).toMatch(
      /must be a number between 0 and 1/,
    );
    expect(issues(() => parseConfig({ label_confidence: { method: 'constant', value: 2 } }))[0]!.path).toBe(
      'label_confidence.value',
    );
  });

  it('rejects a severity in both lists, unknown severities and repeated ones', () => {
    expect(issues(() => parseConfig({ negative: { severities: ['low', 'HIGH'] } }))).toEqual([
      {
        path: 'negative.severities',
        message: "severity 'high' is in both positive.severities and negative.severities",
      },
    ]);
    const unknown = issues(() => parseConfig({ positive: { severities: ['high', 'severe'] } }));
    expect(unknown).toEqual([
      {
        path: 'positive.severities.1',
        message: 'unknown severity "severe": expected one of low, medium, high, critical, info',
      },
    ]);
    expect(issues(() => parseConfig({ positive: { severities: ['high', 'high'] } }))[0]!.message).toBe(
      "lists 'high' twice",
    );
    expect(issues(() => parseConfig({ positive: { severities: [] } }))[0]!.message).toBe(
      'must name at least one severity',
    );
  });

  it('rejects unknown fields, bad enums, bad text and bad files with clear messages', () => {
    expect(issues(() => parseConfig({ positve: {} }))).toEqual([{ path: '', message: "unknown field 'positve'" }]);
    expect(issues(() => parseConfig({ on_conflict: 'maybe' }))[0]).toEqual({
      path: 'on_conflict',
      message: "must be 'negative', 'positive' or 'uncertain'",
    });
    expect(issues(() => parseConfig({ uncertain: 'ignore' }))[0]).toEqual({
      path: 'uncertain',
      message: "must be 'drop' or 'keep'",
    });
    expect(issues(() => parseConfig({ label_confidence: { method: 'sigmoid' } }))[0]!.message).toMatch(
      /'confidence', 'constant' or 'distance'/,
    );
    expect(issues(() => parseConfig({ strategy: 'two\nlines' }))[0]).toEqual({
      path: 'strategy',
      message: 'must be one line without control characters',
    });
    expect(() => loadConfig('{"positive": ', 'broken.json')).toThrow(
      /broken.json: invalid proxy-label configuration:\n {2}- not valid JSON/,
    );
    expect(() => loadConfig('positive: [unclosed', 'broken.yaml')).toThrow(/not valid YAML/);
    expect(() => loadConfig('- 1\n- 2', 'list.yaml')).toThrow(/expected a mapping/);
    expect(() => formatOf('rule.toml')).toThrow(/\.json, \.yaml or \.yml/);
    expect(formatOf('RULE.YML')).toBe('yaml');
  });

  it('names the rule and its thresholds in labeled_by', () => {
    expect(ruleSignature(DEFAULT_CONFIG)).toBe(
      'severity_confidence: positive high,critical & confidence >= 0.7; negative low,medium | confidence < 0.3; conflict negative',
    );
    expect(ruleSignature(custom)).toBe(
      `miner's "rule" \\ v2: ünïcode: positive critical,high,info & confidence >= 0.825; negative confidence < 0.61; conflict uncertain`,
    );
    expect(ruleSignature(withThresholds(DEFAULT_CONFIG, 0.8, 0.25))).toContain(
      '>= 0.8; negative low,medium | confidence < 0.25',
    );
  });
});
