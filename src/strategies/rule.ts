/**
 * rule: the proxy rule itself as a scorer. Its score is the alert's own confidence (the SOT's
 * formula that severity buckets), so ranking by it is ranking by the rule; a NULL confidence
 * scores 0.5, as the template fills it. On the board it answers the question every other row is
 * asked: does the model beat the rule it learned from?
 */
import type { Strategy } from './strategy.ts';

/** The template's fill for a missing confidence. */
export const MISSING_CONFIDENCE = 0.5;

export const ruleStrategy: Strategy = {
  name: 'rule',
  summary: "the proxy rule as a scorer: the alert's own confidence",
  kind: 'rule',
  scoreKind: 'probability',
  target: () => 'none',
  prepareLabels: async () => undefined,
  async fit(input) {
    const rule = { score: 'alerts.alert_confidence_score', missing: MISSING_CONFIDENCE, labels: input.config.labels };
    return {
      score: (_x, rows, side) => {
        const out = new Float64Array(rows);
        for (let r = 0; r < rows; r++) {
          const c = side.confidence[r]!;
          out[r] = c === c ? c : MISSING_CONFIDENCE;
        }
        return out;
      },
      training: [],
      notes: [],
      artefacts: async () => [{ name: 'rule.json', bytes: new TextEncoder().encode(JSON.stringify(rule, null, 2)) }],
      dispose: () => {},
    };
  },
};
