/**
 * self-training with its default learner (gbm): on generated SOT-like rows, where the proxy rule
 * follows the planted truth only loosely, its final model ranks the held-out rows better against
 * the truth (PR-AUC) than its own seed model and than the rule; every round adds both classes,
 * and the notes say per round what was added and the validation loss. The quota rule itself:
 * both classes get rows, and a round that cannot fill a quota (or adds nothing) says why.
 */
import { describe, expect, it } from 'vitest';
import { syntheticGbmData } from '../bench/gbm-data.ts';
import { parseTrainingConfig } from '../src/experiment/config.ts';
import { ORIGIN } from '../src/experiment/row-labels.ts';
import { averagePrecision } from '../src/metrics/ranking.ts';
import { Random } from '../src/ml/random.ts';
import { pseudoLabel, selfTrainingStrategy } from '../src/strategies/self-training.ts';
import type { FitInput } from '../src/strategies/strategy.ts';

/** Bench rows with a rule: a confidence that leans towards the truth, noisily; proxy label = confidence >= 0.6. */
function benchWithRule(rows: number) {
  const data = syntheticGbmData(rows, 5);
  const rng = new Random(9);
  const confidence = Float32Array.from(data.y, (t) =>
    Math.min(0.99, Math.max(0.01, 0.45 + 0.12 * t + 0.25 * rng.next())),
  );
  const y = Float32Array.from(confidence, (c) => (c >= 0.6 ? 1 : 0));
  const w = Float32Array.from(confidence, (c) => Math.min(1, 0.25 + Math.abs(c - 0.6) * 3));
  const range = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);
  return {
    data,
    confidence,
    labels: { y, w, origin: new Uint8Array(rows).fill(ORIGIN.proxy), positives: 0, negatives: 0 },
    train: range(0, rows * 0.6),
    validation: range(rows * 0.6, rows * 0.7),
    test: range(rows * 0.7, rows),
  };
}

describe('self-training on bench rows with a loose rule', () => {
  const b = benchWithRule(12_000);
  const config = parseTrainingConfig({});
  const input = (rounds: number): FitInput => ({
    x: b.data.x,
    input: 'raw',
    rows: b.data.rows,
    columns: b.data.columns,
    names: b.data.names,
    train: b.train,
    validation: b.validation,
    labels: b.labels,
    side: { confidence: b.confidence },
    config: { ...config, selfTraining: { ...config.selfTraining, rounds } },
    seed: 3,
  });
  const prAuc = (scores: ArrayLike<number>) =>
    averagePrecision(
      Float64Array.from(b.test, (r) => scores[r]!),
      Float64Array.from(b.test, (r) => b.data.y[r]!),
    )!;

  it('beats its own seed model and the rule on PR-AUC against the truth, adding both classes every round', async () => {
    const seed = await selfTrainingStrategy.fit(input(0), {});
    const final = await selfTrainingStrategy.fit(input(3), {});
    const side = { confidence: b.confidence };
    const figures = {
      rule: prAuc(b.confidence),
      seed: prAuc(seed.score(b.data.x, b.data.rows, side)),
      final: prAuc(final.score(b.data.x, b.data.rows, side)),
    };
    console.log('self-training, bench rows, PR-AUC against the truth:', JSON.stringify(figures));
    expect(figures.final).toBeGreaterThan(figures.seed);
    expect(figures.final).toBeGreaterThan(figures.rule);
    expect(final.training.map((t) => t.stage)).toEqual([0, 1, 2, 3].map((r) => `self-training round ${r}`));
    const rounds = final.notes.filter((n) => /^round \d: pseudo-labelled/.test(n));
    expect(rounds).toHaveLength(3);
    for (const note of rounds) {
      const [, positives, negatives] = /pseudo-labelled (\d+) positive and (\d+) negative/.exec(note)!;
      expect(Number(positives)).toBeGreaterThan(0);
      expect(Number(negatives)).toBeGreaterThan(0);
    }
    expect(final.notes.filter((n) => /^round \d model: validation log-loss \d\.\d{4}$/.test(n))).toHaveLength(4);
    expect(final.notes[0]).toMatch(/^seed: \d+ training rows .* learner: gbm$/);
  }, 300_000);
});

describe('pseudo-labels: a quota per class', () => {
  const st = { addShare: 0.2, pseudoWeight: 0.5 };
  const train = Int32Array.from({ length: 100 }, (_, i) => i);

  it('fills both quotas with the most certain rows of each side, weighted by the probability', () => {
    const y = new Float32Array(100).fill(NaN);
    const w = new Float32Array(100);
    // A model that leans negative: no probability reaches 0.9, yet the top rows still become positives.
    const p = Float64Array.from(train, (r) => r / 200);
    const added = pseudoLabel(train, p, y, w, st, 0.3);
    expect(added).toEqual({ positives: 6, negatives: 14, why: undefined });
    expect([...train].filter((r) => y[r] === 1)).toEqual([94, 95, 96, 97, 98, 99]);
    expect([...train].filter((r) => y[r] === 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(w[99]).toBeCloseTo(0.5 * 0.495, 6);
  });

  it('says why a quota stays unfilled, and why a round adds nothing', () => {
    const y = new Float32Array(100).fill(NaN);
    const w = new Float32Array(100);
    const p = new Float64Array(100).fill(0.1);
    p[0] = 0.9;
    const added = pseudoLabel(train, p, y, w, st, 0.3);
    expect(added.positives).toBe(1);
    expect(added.why).toBe(
      "5 of the positive quota of 6 unfilled: only 1 unlabelled rows score above the seed's positive rate 0.300",
    );
    const labelled = new Float32Array(100).fill(1);
    expect(pseudoLabel(train, p, labelled, w, st, 0.3)).toEqual({
      positives: 0,
      negatives: 0,
      why: 'every training row is labelled already',
    });
    const few = Int32Array.from([0, 1]);
    expect(pseudoLabel(few, p, new Float32Array(100).fill(NaN), w, st, 0.3).why).toBe(
      'addShare 0.2 of the 2 unlabelled rows rounds to none',
    );
  });
});
