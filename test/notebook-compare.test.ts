/**
 * The compare cell: a training configuration in a notebook, params filled in. Its body is checked
 * against the training schema when the file is parsed; a run trains only when the notebook says
 * so ('on-run' headless, `train(id)` in the app) and otherwise publishes results that say they
 * wait; a training run reports progress per strategy, one strategy can be cancelled while the
 * others finish, a stale run (an input moved) stops training, and the results feed plot and
 * table cells and the headless report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { initNodeBackend } from '../src/ml/backend-node.ts';
import type { CompareProgress, CompareResult } from '../src/notebook/cells/compare.ts';
import { COMPARE_PARTS, metricColumns, percentiles, thin } from '../src/notebook/cells/compare-results.ts';
import type { PlotResult } from '../src/notebook/cells/plot.ts';
import type { TableResult } from '../src/notebook/cells/table.ts';
import { parseNotebook } from '../src/notebook/parse.ts';
import { renderReport } from '../src/notebook/report.ts';
import { openNotebook, type CellState, type Notebook, type NotebookTraining } from '../src/notebook/runtime.ts';
import { headlessDocument } from '../src/node/headless-dom.ts';
import type { FitHooks } from '../src/strategies/strategy.ts';
import type { FitJob } from '../src/training/job.ts';
import { inlineRunner, type TrainingRunner } from '../src/training/runner.ts';
import { fixtureLab } from './ml-fixtures.ts';

let rt: Runtime;

beforeAll(async () => {
  rt = await openNodeRuntime();
  await fixtureLab(rt);
});
afterAll(() => rt.db.close());

/** The inline runner, recording each job's strategy and whether its signal ended up aborted. */
function recordingRunner(): TrainingRunner & { jobs: { strategy: string; signal?: AbortSignal }[] } {
  const inner = inlineRunner(() => initNodeBackend());
  const jobs: { strategy: string; signal?: AbortSignal }[] = [];
  return {
    jobs,
    backend: () => inner.backend(),
    runFit(job: FitJob, hooks?: FitHooks) {
      jobs.push({ strategy: job.strategy, signal: hooks?.signal });
      return inner.runFit(job, hooks);
    },
  };
}

const training = (runner: TrainingRunner, start: NotebookTraining['start']): NotebookTraining => ({
  runner,
  start,
  runtime: 'test',
});

const NOTEBOOK = (compareBody: string) => `---
title: Compare cell test
---

\`\`\`params settings
- {name: group_by, input: select, options: [alert, address], value: alert}
- {name: ae_epochs, input: number, min: 0, value: 400}
\`\`\`

\`\`\`compare board
${compareBody}\`\`\`

\`\`\`table entries
data: board.entries
\`\`\`

\`\`\`plot roc
data: board.roc
marks: [{type: line, x: fpr, y: tpr, stroke: strategy}]
\`\`\`
`;

const BODY = `strategies: [proxy, autoencoder, rule]
split: {groupBy: $group_by}
dense: {epochs: 6, batchSize: 128}
autoencoder: {epochs: $ae_epochs, patience: 400, batchSize: 64}
evaluation: {k: [10], capacityPerDay: 20}
`;

const state = (nb: Notebook, id: string): CellState => nb.cell(id)!;
const compare = (nb: Notebook): CompareResult => state(nb, 'board').value as CompareResult;

async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('compare cell body', () => {
  it('is checked against the training schema, param-bound fields aside', () => {
    const doc = parseNotebook(
      NOTEBOOK(
        `strategies: [proxy]\nsplit: {groupBy: $group_by, method: tim}\ndense: {epochs: 0, hiden: [3]}\nbackend: wasm\n`,
      ),
      { file: 'c.md' },
    );
    expect(doc.diagnostics.map((d) => `${d.line}: ${d.message}`)).toEqual([
      '12: compare cell board: split.method: expected one of "time", "stratified", got "tim"',
      '13: compare cell board: dense.epochs: expected at least 1, got number 0',
      "13: compare cell board: dense: unknown key 'hiden'",
      "14: compare cell board: backend: not a compare cell field: the notebook's training runner picks the fastest TF.js backend",
    ]);
    const ok = parseNotebook(NOTEBOOK(BODY), { file: 'c.md' });
    expect(ok.diagnostics).toEqual([]);
  });

  it('fails a run whose param makes the configuration invalid, naming the field and the param', async () => {
    const nb = await openNotebook(NOTEBOOK(BODY), { db: rt.db, file: 'c.md' });
    nb.set('ae_epochs', 0);
    await nb.idle();
    expect(state(nb, 'board').error?.message).toBe(
      'autoencoder.epochs ($ae_epochs = 0): expected at least 1, got number 0',
    );
    expect(state(nb, 'entries').error?.message).toBe('depends on failed cell board');
    await nb.dispose();
  });

  it('refuses unknown strategies and names the known ones', async () => {
    const nb = await openNotebook(NOTEBOOK('strategies: [proxy, gradient-boosting]\n'), { db: rt.db, file: 'c.md' });
    await nb.idle();
    expect(state(nb, 'board').error?.message).toMatch(
      /^strategies: unknown strategy gradient-boosting: choose from proxy, gbm, supervised, self-training/,
    );
    await nb.dispose();
  });

  it('refuses a result name the cell does not publish', async () => {
    const nb = await openNotebook(NOTEBOOK(BODY).replace('data: board.entries', 'data: board.leaderboard'), {
      db: rt.db,
      file: 'c.md',
    });
    await nb.idle();
    expect(state(nb, 'entries').error?.message).toBe(
      `data board.leaderboard: a compare cell has no result leaderboard: expected one of ${COMPARE_PARTS.map((p) => `board.${p}`).join(', ')}`,
    );
    await nb.dispose();
  });
});

describe('compare cell runs', () => {
  it('without a request shows its configuration, and its plots and tables say they wait', async () => {
    const runner = recordingRunner();
    const nb = await openNotebook(NOTEBOOK(BODY), {
      db: rt.db,
      file: 'c.md',
      training: training(runner, 'on-request'),
    });
    await nb.idle();
    const value = compare(nb);
    expect(value.state).toBe('ready');
    expect(value.message).toMatch(/^Not trained yet/);
    expect(value.strategies).toEqual(['proxy', 'autoencoder', 'rule']);
    expect(value.config.split.groupBy).toBe('alert');
    expect(value.config.autoencoder.epochs).toBe(400);
    expect(value.bindings).toEqual({ 'split.groupBy': 'group_by', 'autoencoder.epochs': 'ae_epochs' });
    expect(runner.jobs).toEqual([]);
    const table = state(nb, 'entries').value as TableResult;
    expect(table.total).toBe(0);
    expect(table.waiting).toBe('waiting for compare cell board to train (Run comparison)');
    expect((state(nb, 'roc').value as PlotResult).waiting).toBe(table.waiting);
    await nb.dispose();
  });

  it('trains on request with progress per strategy; one strategy cancelled, the others finish', async () => {
    const runner = recordingRunner();
    const nb = await openNotebook(NOTEBOOK(BODY), {
      db: rt.db,
      file: 'c.md',
      training: training(runner, 'on-request'),
    });
    await nb.idle();
    const seen: CompareProgress[] = [];
    nb.on('cell', (s) => {
      if (s.id === 'board' && s.progress) seen.push(s.progress);
    });
    nb.train('board');
    const epochOf = () => seen.at(-1)?.strategies.find((s) => s.strategy === 'autoencoder')?.epoch ?? 0;
    await until(() => epochOf() >= 3, 'the autoencoder to train a few epochs');
    expect(nb.cancel('board', 'autoencoder')).toBe(true);
    await nb.idle();

    const value = compare(nb);
    expect(value.state).toBe('done');
    const entries = value.trained!.board.entries;
    const ae = entries.find((e) => e.strategy === 'autoencoder')!;
    expect(ae.cancelled).toMatch(/^cancelled at epoch \d+ of 400 \(autoencoder\)$/);
    expect(entries.find((e) => e.strategy === 'proxy')!.metrics.truth!.rocAuc).toBeGreaterThan(0.3);
    expect(entries.find((e) => e.strategy === 'rule')!.cancelled).toBeUndefined();
    expect(value.trained!.backend).toMatch(/^wasm|^cpu/);
    // The progress said what ran, with losses, and ended with every strategy's outcome.
    const last = seen.at(-1)!;
    expect(last.strategies.map((s) => [s.strategy, s.state])).toEqual([
      ['proxy', 'done'],
      ['autoencoder', 'cancelled'],
      ['rule', 'done'],
    ]);
    expect(last.strategies[0]!.message).toMatch(/^ROC-AUC 0\.\d{3} against truth$/);
    expect(
      seen.some(
        (p) => p.strategies[0]!.loss! > 0 && p.strategies[0]!.epochs === 6 && p.strategies[0]!.stage === 'proxy',
      ),
    ).toBe(true);
    expect(seen.some((p) => p.strategies[1]!.state === 'fitting' && p.strategies[1]!.epoch! >= 1)).toBe(true);
    expect(seen.map((p) => p.stage)).toContain('building the feature matrix');
    expect(state(nb, 'board').progress).toBeUndefined();

    // The results feed the table and plot cells.
    const table = state(nb, 'entries').value as TableResult;
    expect(table.waiting).toBeUndefined();
    expect(table.total).toBe(3);
    const roc = value.results.find((r) => r.name === 'board.roc')!;
    expect(new Set(roc.rows.map((r) => r.strategy))).toEqual(new Set(['proxy', 'rule']));
    expect(new Set(roc.rows.map((r) => r.source))).toEqual(new Set(['truth', 'address-labels', 'proxy']));
    const board = value.results.find((r) => r.name === 'board.board')!;
    const metrics = metricColumns(value.trained!.board).map((c) => c.metric);
    expect(metrics).toEqual(
      expect.arrayContaining([
        'ROC-AUC',
        'PR-AUC',
        'precision@10',
        'recall@1%',
        'NDCG@10',
        'Brier',
        'capacity threshold',
        'capacity precision',
        'capacity recall',
      ]),
    );
    const auc = board.rows.find((r) => r.strategy === 'proxy' && r.source === 'truth' && r.metric === 'ROC-AUC')!;
    expect(auc.value).toBeCloseTo(entries.find((e) => e.strategy === 'proxy')!.metrics.truth!.rocAuc!, 12);
    const scores = value.results.find((r) => r.name === 'board.scores')!;
    const proxyTruth = scores.rows.filter(
      (r) => r.strategy === 'proxy' && r.source === 'truth' && r.label === 'positive',
    );
    expect(proxyTruth).toHaveLength(20);
    expect(proxyTruth.reduce((a, r) => a + (r.share as number), 0)).toBeCloseTo(1, 9);
    const trainingRows = value.results.find((r) => r.name === 'board.training')!.rows;
    expect(trainingRows.filter((r) => r.strategy === 'proxy').length).toBeGreaterThan(0);

    // Exports: the held-out scores in the alert_scores shape, the model files, the run bundle.
    const alertScores = await value.trained!.alertScores('proxy');
    expect(alertScores.schema.fields.map((f) => f.name)).toEqual([
      'processing_date',
      'network',
      'alert_id',
      'score',
      'model_version',
      'latency_ms',
      'explain_json',
      'created_at',
      // score is the calibrated probability; the strategy's own score follows the template's columns.
      'raw_score',
    ]);
    await expect(value.trained!.alertScores('autoencoder')).rejects.toThrow(
      'autoencoder has no scores: it did not finish',
    );
    expect(value.trained!.runs.find((r) => r.name === 'proxy')!.modelFiles.map((f) => f.name)).toEqual([
      'model.json',
      'weights.bin',
      'preprocessing.json',
      'calibration.json',
    ]);
    const bundle = JSON.parse(value.trained!.bundle) as {
      repeat: string;
      environment: { runtime: string };
      strategies: { name: string; cancelled?: string }[];
    };
    expect(bundle.repeat).toBe('notebook c.md, compare cell board');
    expect(bundle.environment.runtime).toBe('test');
    expect(bundle.strategies.find((s) => s.name === 'autoencoder')!.cancelled).toMatch(/^cancelled at epoch/);

    // Any run it was not asked for (an input moved) shows the configuration again.
    nb.set('group_by', 'address');
    await nb.idle();
    expect(compare(nb).state).toBe('ready');
    expect(compare(nb).config.split.groupBy).toBe('address');
    await nb.dispose();
  }, 120_000);

  it('cancels everything not finished on Cancel all, and keeps what finished', async () => {
    const nb = await openNotebook(NOTEBOOK(BODY), {
      db: rt.db,
      file: 'c.md',
      training: training(recordingRunner(), 'on-request'),
    });
    await nb.idle();
    let progress: CompareProgress | undefined;
    nb.on('cell', (s) => {
      if (s.id === 'board' && s.progress) progress = s.progress;
    });
    nb.train('board');
    await until(() => (progress?.strategies[1]!.epoch ?? 0) >= 2, 'the autoencoder to train');
    expect(nb.cancel('board')).toBe(true);
    await nb.idle();
    const entries = compare(nb).trained!.board.entries;
    expect(entries.map((e) => [e.strategy, e.cancelled ? 'cancelled' : 'done'])).toEqual([
      ['proxy', 'done'],
      ['autoencoder', 'cancelled'],
      ['rule', 'cancelled'],
    ]);
    expect(entries.find((e) => e.strategy === 'rule')!.cancelled).toBe('cancelled before it trained');
    expect(nb.cancel('board')).toBe(false);
    await nb.dispose();
  }, 60_000);

  it('stops training when the run goes stale', async () => {
    const runner = recordingRunner();
    const nb = await openNotebook(NOTEBOOK(BODY.replace('[proxy, autoencoder, rule]', '[autoencoder, rule]')), {
      db: rt.db,
      file: 'c.md',
      training: training(runner, 'on-request'),
    });
    await nb.idle();
    let epoch = 0;
    nb.on('cell', (s) => {
      if (s.id === 'board' && s.progress) epoch = s.progress.strategies[0]!.epoch ?? epoch;
    });
    nb.train('board');
    await until(() => epoch >= 2, 'the autoencoder to start');
    nb.set('ae_epochs', 300);
    await nb.idle();
    expect(runner.jobs.map((j) => j.strategy)).toEqual(['autoencoder']);
    expect(runner.jobs[0]!.signal!.aborted).toBe(true);
    expect(compare(nb).state).toBe('ready');
    await nb.dispose();
  }, 60_000);

  it("trains whenever it runs with start 'on-run', and renders in the headless report", async () => {
    const document = headlessDocument();
    const body = BODY.replace('[proxy, autoencoder, rule]', '[proxy, rule]');
    const nb = await openNotebook(NOTEBOOK(body), {
      db: rt.db,
      file: 'c.md',
      document,
      training: training(recordingRunner(), 'on-run'),
    });
    await nb.idle();
    expect(compare(nb).state).toBe('done');
    const html = renderReport(nb, { document });
    expect(html).toContain('2 of 2 strategies trained');
    expect(html).toMatch(
      /Against truth: the ground-truth file \(\d+ held-out alerts labelled, \d+ positive; the board is ranked by this\)/,
    );
    expect(html).toMatch(/<tr (data-status="done" data-strategy="proxy"|data-strategy="proxy" data-status="done")>/);
    expect(html).toMatch(/P@10<small>truth<\/small>/);
    // The validator preview, as lab compare prints it.
    expect(html).toContain("Validator preview: what the network's validator would pay");
    expect(html).toMatch(/<pre class="validator-preview">validator preview \(as the network/);
    await nb.dispose();
  }, 60_000);
});

describe('compare results helpers', () => {
  it('thins curves evenly, keeping the ends, and ranks scores into percentiles with ties at their mid-rank', () => {
    const points = Array.from({ length: 1001 }, (_, i) => ({ threshold: -i, x: i / 1000, y: i / 1000 }));
    const thinned = thin(points, 200);
    expect(thinned).toHaveLength(200);
    expect(thinned[0]).toBe(points[0]);
    expect(thinned[199]).toBe(points[1000]);
    expect(Array.from(percentiles(Float64Array.from([3, 1, 2, 2, 5])))).toEqual([0.75, 0, 0.375, 0.375, 1]);
  });
});
