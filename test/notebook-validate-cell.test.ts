/**
 * Validate cells: a scores file among the notebook's data files scored as the validator would, with
 * the hand-computed figures of validator-fixtures.ts published for tables (`card.tiers`); a bad
 * file failing Tier 1 with its reasons as rows; a compare cell's board scored for its best or a
 * named strategy, waiting while it has not trained; and bodies and references that cannot work
 * failing with the field and what was expected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { evolutionLabelsQuery } from '../src/labels/evolution.ts';
import type { CompareResult } from '../src/notebook/cells/compare.ts';
import type { NotebookFiles, RunContext } from '../src/notebook/cells/context.ts';
import type { TableResult } from '../src/notebook/cells/table.ts';
import { runValidateCell, type ValidateResult } from '../src/notebook/cells/validate.ts';
import { parseNotebook } from '../src/notebook/parse.ts';
import { openNotebook } from '../src/notebook/runtime.ts';
import type { Lab } from '../src/sot/lab.ts';
import { DEFAULT_VALIDATOR_CONFIG } from '../src/validator/config.ts';
import { validatorPreview } from '../src/validator/preview.ts';
import { memFile } from './fixtures/files.ts';
import { freshLab } from './labels-fixtures.ts';
import { ALERT_ADDRESSES, DATE, HAND_FIGURES, SCORES, scoresCsv, validatorDataFiles } from './validator-fixtures.ts';

let rt: Runtime;
let lab: Lab;
beforeAll(async () => {
  rt = await openNodeRuntime();
  lab = await freshLab(rt);
  const report = await lab.load(await validatorDataFiles(rt));
  expect(report.problems.filter((p) => p.level === 'error')).toEqual([]);
});
afterAll(async () => {
  await rt.db.close();
});

const BAD = 'alert_id,score,model_version,model_github_url\na1,1.5,v1,u\na2,0.1,v1,u\na2,0.3,v1,u\n';

function files(): NotebookFiles {
  const data: Record<string, string> = { 'scores/mine.csv': scoresCsv(SCORES), 'scores/bad.csv': BAD };
  return {
    runtime: rt,
    read: async (path) => {
      if (!(path in data)) throw new Error(`${path}: not found in the notebook's data`);
      return memFile(`data/${path}`, data[path]!);
    },
  };
}

const open = async (text: string) => {
  const nb = await openNotebook(parseNotebook(text, { file: 'nb.md' }), { db: lab.db, files: files() });
  await nb.idle();
  return nb;
};

describe('validate cell with a scores file', () => {
  it('scores it as the validator would: the hand-computed figures, published per figure', async () => {
    const nb = await open('```validate card\nscores: scores/mine.csv\n```\n\n```table tiers\ndata: card.tiers\n```\n');
    const card = nb.cell('card')!.value as ValidateResult;
    expect(card.state).toBe('done');
    expect(card.subject).toBe('data/scores/mine.csv (7 rows)');
    expect(card.facts[0]).toContain(`snapshot ${DATE}, 7-day window, the only snapshot loaded`);
    const scored = card.cards[0]!.card;
    for (const [k, v] of Object.entries(HAND_FIGURES))
      expect(Math.abs((scored[k as keyof typeof scored] as number) - v), k).toBeLessThan(1e-6);
    expect(card.final).toBe(scored.final_score);
    const tiers = nb.cell('tiers')!.value as TableResult;
    const rows = tiers.rows.toArray().map((r) => r.toJSON() as Record<string, unknown>);
    const final = rows.find((r) => r.key === 'final_score')!;
    expect(final).toMatchObject({ processing_date: DATE, tier: 'final' });
    expect(Math.abs((final.value as number) - HAND_FIGURES.final_score!)).toBeLessThan(1e-6);
    await nb.dispose();
  });

  it('fails Tier 1 on a bad file with each reason as a row, without failing the cell', async () => {
    const nb = await open(
      '```validate card\nscores: scores/bad.csv\ndate: 2026-01-05\nwindow: 7\n```\n\n```table why\ndata: card.failures\n```\n',
    );
    expect(nb.cell('card')!.error).toBeUndefined();
    const card = nb.cell('card')!.value as ValidateResult;
    expect(card.final).toBe(0);
    const why = (nb.cell('why')!.value as TableResult).rows.toArray().map((r) => String(r.check));
    expect(why).toEqual(
      expect.arrayContaining(['tier1_has_all_alerts', 'tier1_score_range_valid', 'tier1_no_duplicates']),
    );
    await nb.dispose();
  });

  it('names the file when it cannot be read, and the field when the body is wrong', async () => {
    const nb = await open('```validate card\nscores: scores/missing.csv\n```\n');
    expect(nb.cell('card')!.error?.message).toContain('scores/missing.csv: not found');
    await nb.dispose();
    const both = parseNotebook('```validate card\nscores: a.csv\nfrom: board\n```\n', { file: 'nb.md' });
    expect(both.diagnostics.map((d) => d.message).join('\n')).toContain('give either scores or from, not both');
    const neither = parseNotebook('```validate card\nstrategy: gbm\n```\n', { file: 'nb.md' });
    expect(neither.diagnostics.map((d) => d.message).join('\n')).toContain(
      'expected either scores (a scores file) or from (a compare cell)',
    );
    const notCompare = await open('```sql board\nSELECT 1 AS x\n```\n\n```validate card\nfrom: board\n```\n');
    expect(notCompare.cell('card')!.error?.message).toContain('from: board is a sql cell of this notebook');
    await notCompare.dispose();
  });
});

describe('validate cell from a compare cell', () => {
  const ids = Object.keys(ALERT_ADDRESSES);
  // Two strategies as a board would hold them: SCORES, and the same ranking squeezed towards 0.5 (worse Brier).
  const board = async (): Promise<CompareResult> => {
    const keys = { alert_id: ids, processing_date: ids.map(() => DATE), window_days: ids.map(() => 7) };
    const runs = [
      { strategy: 'good', modelVersion: 'good-1', calibrated: true, scores: ids.map((id) => SCORES[id]!) },
      { strategy: 'squeezed', modelVersion: 's-1', calibrated: false, scores: ids.map((id) => 0.4 + SCORES[id]! / 5) },
    ];
    const test = Int32Array.from(ids, (_, i) => i);
    const preview = await validatorPreview(lab.db, runs, keys, test, DEFAULT_VALIDATOR_CONFIG, evolutionLabelsQuery);
    return { kind: 'compare', state: 'done', trained: { board: { validator: preview } } } as unknown as CompareResult;
  };
  const ctx = (value: CompareResult): RunContext =>
    ({ db: lab.db, signal: new AbortController().signal, cells: new Map([['board', value]]) }) as unknown as RunContext;

  it('scores the strategy the validator would pay most, or the one named', async () => {
    const value = await board();
    const best = await runValidateCell('card', { from: 'board', consensus: [] }, ctx(value));
    expect(best.subject).toBe('good on compare cell board');
    expect(best.facts[0]).toBe('good is the strategy the validator would pay most on this board');
    const named = await runValidateCell('card', { from: 'board', strategy: 'squeezed', consensus: [] }, ctx(value));
    expect(named.subject).toBe('squeezed on compare cell board');
    expect(named.final!).toBeLessThan(best.final!);
    expect(named.facts[0]).toBe('squeezed is number 2 of 2 on this board by mean final score');
    await expect(
      runValidateCell('card', { from: 'board', strategy: 'gbm', consensus: [] }, ctx(value)),
    ).rejects.toThrow('strategy gbm is not on board’s board: expected one of good, squeezed'.replace('’', "'"));
  });

  it('waits while the compare cell has not trained', async () => {
    const ready = { kind: 'compare', state: 'ready' } as unknown as CompareResult;
    const r = await runValidateCell('card', { from: 'board', consensus: [] }, ctx(ready));
    expect(r).toMatchObject({
      state: 'ready',
      cards: [],
      message: 'waiting for compare cell board to train (Run comparison)',
    });
  });
});
