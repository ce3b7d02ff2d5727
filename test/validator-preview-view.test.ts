/**
 * The leaderboard's validator preview section (src/ui/validator-preview.ts) in a headless DOM: a
 * table per held-out snapshot with the validator's key on every cell, every header explaining its
 * figure, the status word explained, the sort button putting the best final score first and back,
 * a mean table with several snapshots, the notes, and the reason when the preview failed.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Leaderboard } from '../src/metrics/leaderboard.ts';
import { headlessDocument } from '../src/node/headless-dom.ts';
import { DEFAULT_VALIDATOR_CONFIG as C } from '../src/validator/config.ts';
import type { ValidatorPreview } from '../src/validator/preview.ts';
import { scorecard } from '../src/validator/scorecard.ts';

vi.stubGlobal('document', headlessDocument());
const { validatorPreviewView } = await import('../src/ui/validator-preview.ts');

const alerts = new Map([
  ['a', 'A'],
  ['b', 'B'],
]);
const card = (date: string, a: number, b: number) =>
  scorecard(
    {
      processing_date: date,
      window_days: 7,
      rows: [
        { row: 1, alert_id: 'a', score: a, model_version: 'v', model_github_url: 'u' },
        { row: 2, alert_id: 'b', score: b, model_version: 'v', model_github_url: 'u' },
      ],
      alerts,
      addressLabels: [],
      evolution: [
        { alert_id: 'a', pattern: 'expanding_illicit' },
        { alert_id: 'b', pattern: 'benign_indicators' },
      ],
      others: [],
      previous: null,
      ageDays: 30,
    },
    C,
  );
const snapshots = [
  { processing_date: '2026-01-05', window_days: 7 },
  { processing_date: '2026-01-12', window_days: 7 },
];
const entry = (strategy: string, a: number, b: number) => {
  const cards = snapshots.map((k) => ({ key: k, card: card(k.processing_date, a, b) }));
  return { strategy, modelVersion: `${strategy}@1`, calibrated: true, cards, final: cards[0]!.card.final_score };
};
const preview: ValidatorPreview = {
  snapshots,
  asOf: '2026-02-11',
  entries: [
    entry('weak', 0.4, 0.6),
    entry('strong', 0.9, 0.1),
    { ...entry('gone', 0, 0), cards: [], final: null, missing: 'failed: boom' },
  ],
  notes: ['consensus note'],
};
const board = (validator?: ValidatorPreview): Leaderboard => ({
  sources: [],
  rankedBy: null,
  entries: [],
  notes: [],
  ...(validator && { validator }),
});

describe('validator preview view', () => {
  it('explains every figure and sorts by final score on request', () => {
    const [section] = validatorPreviewView(board(preview));
    expect(section!.dataset.section).toBe('validator-preview');
    const tables = section!.querySelectorAll('table');
    expect([...tables].map((t) => t.dataset.snapshot)).toEqual(['2026-01-05/7', '2026-01-12/7', 'mean']);
    const heads = [...tables[0]!.querySelectorAll('th')];
    expect(heads.find((th) => th.textContent === 'final')!.title).toMatch(/^final, final \(final_score\): 0\.1 tier 2/);
    expect(heads.find((th) => th.textContent === 'entropy')!.title).toMatch(/tier2_distribution_entropy.*ln 10/);
    const order = () => [...tables[0]!.querySelectorAll('tbody tr')].map((r) => (r as HTMLElement).dataset.strategy);
    expect(order()).toEqual(['weak', 'strong']);
    const strong = tables[0]!.querySelector('tr[data-strategy="strong"]')!;
    expect(strong.querySelector('[data-key="tier3_evolution_score"]')!.textContent).toBe(
      card('2026-01-05', 0.9, 0.1).tier3_evolution_score!.toFixed(3),
    );
    expect(strong.querySelector('[data-key="validation_status"]')!.getAttribute('title')).toMatch(
      /^3A has no score .* Tiers: 1 passed, 2 scored, 3A no_labels, 3B scored\.$/,
    );

    const sort = section!.querySelector<HTMLButtonElement>('[data-action="sort-final"]')!;
    expect(sort.textContent).toBe('Sort by final score');
    sort.click();
    const sortedTables = section!.querySelectorAll('table');
    expect([...sortedTables[0]!.querySelectorAll('tbody tr')].map((r) => (r as HTMLElement).dataset.strategy)).toEqual([
      'strong',
      'weak',
    ]);
    expect([...sortedTables[2]!.querySelectorAll('tbody tr')].map((r) => (r as HTMLElement).dataset.strategy)).toEqual([
      'strong',
      'weak',
      'gone',
    ]);
    expect(sort.textContent).toBe('Board order');
    expect(section!.textContent).toContain('gone: not scored (failed: boom)');
    expect(section!.textContent).toContain('consensus note');
    expect(section!.textContent).toContain('2026-01-05/7: Tier 3A: no scored alert has an address label');
  });

  it('says why there is no preview, and adds nothing without one', () => {
    expect(validatorPreviewView(board())).toEqual([]);
    const [s] = validatorPreviewView(board({ snapshots: [], asOf: '', entries: [], notes: [], error: 'no rows' }));
    expect(s!.textContent).toContain('Not computed: no rows');
  });
});
