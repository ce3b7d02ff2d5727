/**
 * The board's feature-importance section (src/ui/importance-view.ts) in a headless DOM: one bar
 * chart per entry that carries an importance (the tree models), its features in order of gain,
 * and nothing when no entry has one.
 */
import { describe, expect, it, vi } from 'vitest';
import type { BoardEntry, Leaderboard } from '../src/metrics/leaderboard.ts';
import { headlessDocument } from '../src/node/headless-dom.ts';

vi.stubGlobal('document', headlessDocument());
const { importanceView } = await import('../src/ui/importance-view.ts');

const entry = (strategy: string, importance?: BoardEntry['importance']): BoardEntry => ({
  strategy,
  kind: 'supervised',
  scoreKind: 'probability',
  modelVersion: `label-lab/${strategy}@0`,
  features: 3,
  metrics: {},
  notes: [],
  seconds: { fit: 0, score: 0 },
  ...(importance && { importance }),
});
const board = (entries: BoardEntry[]): Leaderboard => ({ sources: [], rankedBy: null, notes: [], entries });

describe('feature importance on the board', () => {
  it('draws one chart per tree model, features by their share of the gain', () => {
    const [section] = importanceView(
      board([
        entry('proxy'),
        entry('gbm', [
          { feature: 'features.volume_usd', gain: 30 },
          { feature: 'alerts.typology_type=PING_PONG', gain: 10 },
        ]),
      ]),
      800,
    );
    expect(section!.dataset.plot).toBe('importance');
    const charts = section!.querySelectorAll('[data-strategy]');
    expect([...charts].map((c) => c.getAttribute('data-strategy'))).toEqual(['gbm']);
    const text = charts[0]!.textContent ?? '';
    expect(text).toContain('features.volume_usd');
    expect(text.indexOf('features.volume_usd')).toBeLessThan(text.indexOf('alerts.typology_type=PING_PONG'));
    expect(section!.querySelectorAll('title')[0]?.textContent).toBe('features.volume_usd: 75.0% of the gain');
  });

  it('is absent when no entry measured an importance', () => {
    expect(importanceView(board([entry('proxy'), entry('rule')]), 800)).toEqual([]);
  });
});
