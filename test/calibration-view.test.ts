/**
 * The board's calibration section (src/ui/calibration-view.ts) in a headless DOM: one table row
 * per calibrated strategy with Brier before and after for the chosen source, a reliability plot
 * each (an anomaly score plots only its "after"), and nothing for a source no entry has.
 */
import { describe, expect, it, vi } from 'vitest';
import type { BoardEntry, EntryCalibration, Leaderboard } from '../src/metrics/leaderboard.ts';
import { headlessDocument } from '../src/node/headless-dom.ts';

vi.stubGlobal('document', headlessDocument());
const { calibrationView } = await import('../src/ui/calibration-view.ts');

const bin = (lo: number, count: number, positiveRate: number) => ({
  lo,
  hi: lo + 0.1,
  count,
  meanScore: lo + 0.05,
  positiveRate,
});
const entry = (strategy: string, scoreKind: BoardEntry['scoreKind'], calibration?: EntryCalibration): BoardEntry => ({
  strategy,
  kind: 'unsupervised',
  scoreKind,
  modelVersion: `label-lab/${strategy}@0`,
  features: 3,
  metrics: {},
  notes: [],
  seconds: { fit: 0, score: 0 },
  ...(calibration && { calibration }),
});
const board: Leaderboard = {
  sources: [{ name: 'truth', description: 'the ground-truth file', labelled: 10, positives: 4 }],
  rankedBy: 'truth',
  notes: [],
  entries: [
    entry('rule', 'probability', {
      mapping: { method: 'platt', a: 2, b: -1 },
      target: 'the board’s training target',
      note: 'platt fitted on 10 labelled validation alerts, 4 positive',
      bySource: {
        truth: { brierBefore: 0.31, brierAfter: 0.2, before: [bin(0.6, 10, 0.4)], after: [bin(0.3, 10, 0.4)] },
      },
    }),
    entry('isolation-forest', 'anomaly', {
      mapping: { method: 'isotonic', x: [0, 1], y: [0.1, 0.7] },
      target: 'the board’s training target',
      note: 'isotonic fitted on 10 labelled validation alerts, 4 positive',
      bySource: {
        truth: { brierBefore: null, brierAfter: 0.22, before: [], after: [bin(0.1, 6, 0.1), bin(0.7, 4, 0.75)] },
      },
    }),
    entry('supervised', 'probability'),
  ],
};

describe('calibrationView', () => {
  it('lists Brier before and after per calibrated strategy, with a reliability plot each', () => {
    const [section] = calibrationView(board, 'truth', 800);
    expect(section!.dataset.plot).toBe('calibration');
    const rows = [...section!.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.getAttribute('data-strategy'))).toEqual(['rule', 'isolation-forest']);
    const cell = (r: Element, metric: string) => r.querySelector(`[data-metric="${metric}"]`)!.textContent;
    expect([cell(rows[0]!, 'brier-before'), cell(rows[0]!, 'brier-after')]).toEqual(['0.310', '0.200']);
    expect([cell(rows[1]!, 'brier-before'), cell(rows[1]!, 'brier-after')]).toEqual(['–', '0.220']);
    expect(section!.querySelectorAll('.compare-grid svg').length).toBe(2);
    expect(section!.textContent).toContain('isolation-forest (after only)');
  });

  it('draws nothing for a source no strategy was calibrated against', () => {
    expect(calibrationView(board, 'explicit', 800)).toEqual([]);
  });
});
