/**
 * Cancelling a comparison: one strategy's run (while it trains, or before it starts) becomes a
 * cancelled entry on the board and the other strategies still finish; the comparison's own
 * signal rejects the whole run. The run states (preparing, fitting, done, failed, cancelled)
 * are reported in order per strategy.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { renderLeaderboard } from '../src/metrics/leaderboard.ts';
import { initNodeBackend } from '../src/ml/backend-node.ts';
import { bundleJSON, runBundle } from '../src/export/run-bundle.ts';
import { compareStrategies, type RunState } from '../src/training/compare.ts';
import { parseTrainingConfig } from '../src/experiment/config.ts';
import { fixtureLab } from './ml-fixtures.ts';

let rt: Runtime;
// Many epochs and no early stop: the autoencoder is still training when it is cancelled.
const config = parseTrainingConfig({
  strategies: ['proxy', 'autoencoder', 'isolation-forest', 'rule'],
  dense: { epochs: 8, batchSize: 128 },
  autoencoder: { epochs: 500, batchSize: 64, patience: 500 },
  isolationForest: { trees: 20 },
  evaluation: { k: [10], capacityPerDay: 20 },
});

beforeAll(async () => {
  await initNodeBackend();
  rt = await openNodeRuntime();
  await fixtureLab(rt);
});

describe('cancelling one strategy of a comparison', () => {
  it('marks the cancelled runs on the board and finishes the others', async () => {
    const controllers = new Map(config.strategies!.map((n) => [n, new AbortController()]));
    // Cancelled before it starts: it never trains.
    controllers.get('isolation-forest')!.abort();
    const states: string[] = [];
    const epochs: number[] = [];
    const result = await compareStrategies(rt.db, config, {
      runSignal: (name) => controllers.get(name)!.signal,
      onRun: (name, state: RunState) => states.push(`${name}:${state}`),
      onEpoch: (name, p) => {
        if (name !== 'autoencoder') return;
        epochs.push(p.epoch);
        if (p.epoch === 3) controllers.get('autoencoder')!.abort();
      },
    });
    const entry = (name: string) => result.board.entries.find((e) => e.strategy === name)!;
    expect(entry('autoencoder').cancelled).toMatch(/^cancelled at epoch [34] of 500 \(autoencoder\)$/);
    expect(Math.max(...epochs)).toBeLessThan(10);
    expect(entry('isolation-forest').cancelled).toBe('cancelled before it trained');
    for (const name of ['autoencoder', 'isolation-forest']) {
      expect(entry(name).metrics).toEqual({});
      expect(entry(name).error).toBeUndefined();
      expect(result.runs.find((r) => r.name === name)!.result).toBeUndefined();
    }
    for (const name of ['proxy', 'rule']) {
      expect(entry(name).cancelled).toBeUndefined();
      expect(entry(name).metrics.truth!.rocAuc).toBeGreaterThan(0.3);
    }
    // Cancelled entries rank below every finished one.
    expect(
      result.board.entries
        .slice(2)
        .map((e) => e.strategy)
        .sort(),
    ).toEqual(['autoencoder', 'isolation-forest']);
    expect(states).toEqual([
      'proxy:preparing',
      'proxy:fitting',
      'proxy:done',
      'autoencoder:preparing',
      'autoencoder:fitting',
      'autoencoder:cancelled',
      'isolation-forest:cancelled',
      'rule:preparing',
      'rule:fitting',
      'rule:done',
    ]);
    const text = renderLeaderboard(result.board);
    expect(text).toContain('autoencoder (cancelled)');
    expect(text).toMatch(/isolation-forest: cancelled before it trained/);
    const bundle = JSON.parse(bundleJSON(runBundle(result, { backend: 'wasm', runtime: 'test' }))) as {
      strategies: { name: string; cancelled?: string }[];
    };
    expect(bundle.strategies.find((s) => s.name === 'autoencoder')!.cancelled).toMatch(/^cancelled at epoch/);
  });

  it('rejects the whole comparison on its own signal, mid-training', async () => {
    const all = new AbortController();
    const run = compareStrategies(
      rt.db,
      { ...config, strategies: ['autoencoder', 'rule'] },
      {
        signal: all.signal,
        onEpoch: (_name, p) => {
          if (p.epoch === 2) all.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});
