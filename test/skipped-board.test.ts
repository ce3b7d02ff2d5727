/**
 * A skipped strategy on every rendering of the board: its own status (not failed or cancelled),
 * ranked after the finished ones, and its reason where its metrics would be (the app's and the
 * report's table, the text board, the compare cell's entries result).
 */
import { describe, expect, it, vi } from 'vitest';
import { buildLeaderboard, renderLeaderboard, type BoardEntry } from '../src/metrics/leaderboard.ts';
import { headlessDocument } from '../src/node/headless-dom.ts';
import { entryStatus } from '../src/notebook/cells/compare-results.ts';

vi.stubGlobal('document', headlessDocument());
const { h } = await import('../src/ui/dom.ts');
const { boardTable } = await import('../src/notebook/report-compare.ts');

const metrics = {
  alerts: 4,
  labelled: 4,
  positives: 2,
  rocAuc: 0.75,
  prAuc: 0.7,
  atK: [{ k: 1, label: '1', precision: 1, recall: 0.5, ndcg: 1 }],
  brier: null,
  capacity: null,
};
const entry = (strategy: string, fields: Partial<BoardEntry>): BoardEntry => ({
  strategy,
  kind: 'supervised',
  scoreKind: 'probability',
  modelVersion: `label-lab/${strategy}@0`,
  features: 2,
  metrics: {},
  notes: [],
  seconds: { fit: 0, score: 0 },
  ...fields,
});
const why = 'supervised: no explicitly labelled alerts among the training rows; it learns from them only';
const board = buildLeaderboard(
  [{ name: 'truth', description: 'the ground-truth file', labelled: 4, positives: 2 }],
  [entry('supervised', { skipped: why }), entry('rule', { metrics: { truth: metrics } })],
);

describe('a skipped strategy on the board', () => {
  it('has a status of its own and ranks after the finished ones', () => {
    expect(board.entries.map((e) => [e.strategy, entryStatus(e)])).toEqual([
      ['rule', 'done'],
      ['supervised', 'skipped'],
    ]);
  });

  it('shows its reason in the table and the text board', () => {
    const table = boardTable(h as Parameters<typeof boardTable>[0], board, 'truth');
    const row = table.querySelector('tr[data-strategy="supervised"]')!;
    expect(row.getAttribute('data-status')).toBe('skipped');
    expect(row.querySelector('.badge')!.textContent).toBe('skipped');
    expect(row.querySelector('td.reason')!.textContent).toBe(`skipped: ${why}`);
    const text = renderLeaderboard(board);
    expect(text).toMatch(/^supervised \(skipped\)\s+-/m);
    expect(text).toContain(`  supervised: skipped: ${why}`);
  });
});
