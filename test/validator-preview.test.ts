/**
 * The leaderboard's validator preview: each strategy scored on the held-out snapshots with the
 * other strategies as the consensus (itself included), equal to what `lab validate` gives the
 * same scores with the others as a consensus file; training rows of a snapshot noted; ordering by
 * final score; a strategy without scores kept with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import type { Lab } from '../src/sot/lab.ts';
import { evolutionLabelsQuery as Q } from '../src/labels/evolution.ts';
import { DEFAULT_VALIDATOR_CONFIG as C } from '../src/validator/config.ts';
import { byFinalScore, validatorPreview, type RowKeys } from '../src/validator/preview.ts';
import { renderValidatorPreview } from '../src/validator/render.ts';
import { previewRows } from '../src/validator/preview-rows.ts';
import { readScoresFile } from '../src/validator/scores-file.ts';
import { validateScores } from '../src/validator/validate.ts';
import { memFile } from './fixtures/files.ts';
import { freshLab } from './labels-fixtures.ts';
import { DATE, SCORES, scoresCsv, validatorDataFiles } from './validator-fixtures.ts';

let rt: Runtime;
let lab: Lab;
beforeAll(async () => {
  rt = await openNodeRuntime();
  lab = await freshLab(rt);
  await lab.load(await validatorDataFiles(rt));
});
afterAll(async () => {
  await rt.db.close();
});

const ids = Object.keys(SCORES);
const keys: RowKeys = {
  alert_id: ids,
  processing_date: ids.map(() => DATE),
  window_days: ids.map(() => 7),
};
const good = Float64Array.from(ids, (id) => SCORES[id]!);
const flipped = Float64Array.from(good, (s) => 1 - s);
const squared = Float64Array.from(good, (s) => s * s);
const runs = [
  { strategy: 'flipped', modelVersion: 'f@1', scores: flipped, calibrated: true },
  { strategy: 'squared', modelVersion: 's@1', scores: squared, calibrated: true },
  { strategy: 'good', modelVersion: 'g@1', scores: good, calibrated: false },
  { strategy: 'broken', modelVersion: 'b@1', scores: null, calibrated: false, missing: 'failed: out of memory' },
];

describe('validator preview', () => {
  it('scores every strategy with the board as the consensus, as lab validate would', async () => {
    const preview = await validatorPreview(
      lab.db,
      runs,
      keys,
      Int32Array.from(ids, (_, i) => i),
      C,
      Q,
    );
    expect(preview.snapshots).toEqual([{ processing_date: DATE, window_days: 7 }]);
    expect(preview.asOf).toBe('2026-02-04');
    expect(preview.notes[0]).toMatch(
      /median per alert over every strategy on this board, the strategy itself included/,
    );
    const good1 = preview.entries.find((e) => e.strategy === 'good')!;
    expect(good1.cards).toHaveLength(1);
    expect(good1.cards[0]!.card.consensus_submissions).toBe(3);

    const file = (name: string, s: Float64Array) =>
      readScoresFile(rt, memFile(name, scoresCsv(Object.fromEntries(ids.map((id, i) => [id, s[i]!])))));
    const others = [await file('flipped.csv', flipped), await file('squared.csv', squared)];
    const direct = await validateScores(lab.db, await file('good.csv', good), others, { config: C, evolutionQuery: Q });
    expect(direct.card.final_score).not.toBeNull();
    for (const k of ['tier2_behavior_score', 'tier3_gt_score', 'tier3_evolution_score', 'final_score'] as const)
      expect(good1.cards[0]!.card[k]).toBeCloseTo(direct.card[k]!, 12);
    expect(good1.final).toBeCloseTo(direct.card.final_score!, 12);

    const sorted = byFinalScore(preview.entries);
    expect(sorted.map((e) => e.strategy).slice(-1)).toEqual(['broken']);
    const finals = sorted.slice(0, 3).map((e) => e.final!);
    expect(finals.every((f) => typeof f === 'number')).toBe(true);
    expect([...finals].sort((a, b) => b - a)).toEqual(finals);
    // scores that invert the evolution patterns lose to the ones that follow them
    expect(sorted[sorted.length - 2]!.strategy).toBe('flipped');
    const tidy = previewRows(preview);
    expect(tidy.map((r) => r.strategy)).toEqual(sorted.map((e) => e.strategy));
    expect(tidy[0]).toMatchObject({ rank: 1, processing_date: DATE, window_days: 7, days_old: 30, tier1_passed: 1 });
    expect(tidy[0]!.final_score).toBe(sorted[0]!.cards[0]!.card.final_score);
    expect(tidy[3]).toMatchObject({ strategy: 'broken', note: 'failed: out of memory' });
    const text = renderValidatorPreview(preview);
    expect(text).toContain(`${DATE}, 7-day window (30 days old as of 2026-02-04):`);
    expect(text).toMatch(/^good\s+yes\s/m);
    expect(text).toContain('  broken: not scored (failed: out of memory)');
    expect(preview.entries.find((e) => e.strategy === 'broken')).toMatchObject({
      cards: [],
      final: null,
      missing: 'failed: out of memory',
    });
  });

  it('notes training rows of a held-out snapshot', async () => {
    const preview = await validatorPreview(lab.db, runs.slice(0, 3), keys, Int32Array.from([0, 1, 2]), C, Q);
    expect(preview.notes.some((n) => n.startsWith(`${DATE}/7: 4 of its 7 alerts are training rows`))).toBe(true);
    // Tier 1 still sees every alert
    expect(preview.entries[0]!.cards[0]!.card.tier1_passed).toBe(true);
  });
});
