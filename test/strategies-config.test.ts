import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_CONFIG, loadTrainingConfig, TrainingConfigError } from '../src/experiment/config.ts';

describe('training configuration', () => {
  it('has defaults for everything', () => {
    expect(DEFAULT_TRAINING_CONFIG).toMatchObject({
      strategy: 'proxy',
      seed: 42,
      split: { method: 'time' },
      labels: { positive: { severities: ['high', 'critical'], min_confidence: 0.7 } },
      dense: { hidden: [64, 32] },
      isolationForest: { trees: 100, sampleSize: 256 },
    });
  });

  it('reads YAML, composing the proxy-label configuration of src/labels', () => {
    const c = loadTrainingConfig(
      `strategy: self-training
seed: 7
labels:
  positive: {min_confidence: 0.8}
leakage:
  allow: [alerts.severity]
dense: {epochs: 5}
`,
      'run.yaml',
    );
    expect(c.strategy).toBe('self-training');
    expect(c.labels.positive).toEqual({ severities: ['high', 'critical'], min_confidence: 0.8 });
    expect(c.leakage.allow).toEqual(['alerts.severity']);
    expect(c.dense).toMatchObject({ epochs: 5, hidden: [64, 32] });
  });

  it("reads the design's shape, where label_strategy selects the strategy", () => {
    const c = loadTrainingConfig(
      `training:
  label_strategy: proxy
  proxy_label_config:
    positive_severity: [critical]
    positive_confidence_threshold: 0.9
  seed: 3
`,
      'model_config.yaml',
    );
    expect(c.strategy).toBe('proxy');
    expect(c.seed).toBe(3);
    expect(c.labels.positive).toEqual({ severities: ['critical'], min_confidence: 0.9 });
  });

  it('names the field of every problem', () => {
    expect(() => loadTrainingConfig('dense: {epochs: 0, hiden: [3]}\nsplit: {method: random}', 'bad.yaml')).toThrow(
      TrainingConfigError,
    );
    try {
      loadTrainingConfig('dense: {epochs: 0, hiden: [3]}\nsplit: {method: random}', 'bad.yaml');
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toMatch(/^bad.yaml: invalid training configuration/);
      expect(message).toMatch(/dense: unknown field 'hiden'/);
      expect(message).toMatch(/split.method:/);
    }
  });
});
