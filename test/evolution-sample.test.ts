/**
 * Evolution labels on the committed sample, as a label source: label quality reports them beside
 * the other sources (and their agreement with the truth is the one sample-data/README.md gives),
 * the SQL classifies every row as the validator config's TypeScript rule does, the board
 * evaluates against them, and with `target: evolution` strategies train only on labels whose later
 * snapshot is not after the test date.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import { parseTrainingConfig } from '../src/experiment/config.ts';
import { evolutionLabelsQuery, type EvolutionRow } from '../src/labels/evolution.ts';
import { filesFromPaths } from '../src/node/files.ts';
import { labelQuality } from '../src/quality/index.ts';
import type { Lab } from '../src/sot/lab.ts';
import { prepareExperiment, prepareStrategy } from '../src/training/experiment.ts';
import { classifyPattern, expectedRange } from '../src/validator/config.ts';
import { freshLab } from './labels-fixtures.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const COMMITTED = join(ROOT, 'sample-data');
const SAMPLE_DIR = resolve(process.env.LABEL_LAB_SAMPLE_DIR ?? COMMITTED);
const DAY_MS = 86_400_000;

let lab: Lab;

beforeAll(async () => {
  if (!existsSync(join(SAMPLE_DIR, 'snapshots'))) return;
  lab = await freshLab(await openNodeRuntime());
  const files = (await filesFromPaths([SAMPLE_DIR])).filter((f) => !f.path.includes('labels/example-labels'));
  const report = await lab.load(files);
  const errors = report.problems.filter((p) => p.level === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
}, 300_000);

describe.skipIf(!existsSync(join(SAMPLE_DIR, 'snapshots')))('evolution labels on the sample', () => {
  it('classify every row as the validator configuration does, with its expected range', async () => {
    const q = evolutionLabelsQuery();
    const out = rows<EvolutionRow>(await lab.db.query(q.sql, q.params));
    expect(out.length).toBeGreaterThan(1000);
    for (const r of out) {
      const pattern = classifyPattern(r);
      expect(r.pattern, r.alert_id).toBe(pattern);
      expect([r.expected_min, r.expected_max], r.alert_id).toEqual([...expectedRange(pattern)]);
      expect(r.label, r.alert_id).toBe(
        pattern === 'expanding_illicit' ? 1 : pattern === 'benign_indicators' ? 0 : null,
      );
    }
  });

  it('stand in label quality beside the other sources, agreeing with the truth as the README says', async () => {
    const { coverage, agreement } = await labelQuality(lab.db);
    expect(coverage.raters.map((r) => r.rater)).toContain('evolution');
    const evolution = coverage.raters.find((r) => r.rater === 'evolution')!;
    expect(evolution.labelled).toBe(evolution.positive + evolution.negative);
    const pair = agreement.pairs.find((p) => p.a === 'evolution' && p.b === 'truth')!;
    expect(pair).toBeDefined();
    if (SAMPLE_DIR === COMMITTED) {
      // sample-data/README.md, "Evolution labels against the truth".
      expect(pair.matrix).toEqual([
        [1868, 326],
        [46, 480],
      ]);
      expect(pair.kappa).toBeCloseTo(0.635, 3);
      expect(evolution.labelled).toBe(2720);
    } else {
      expect(pair.kappa).toBeGreaterThan(0.2);
    }
  });

  it('train every label-learning strategy only on labels known by the test date, and evaluate against them', async () => {
    const config = parseTrainingConfig({ target: 'evolution' });
    const experiment = await prepareExperiment(lab.db, config);
    const { split, matrix } = experiment;
    const firstTest = split.testDays[0]!;
    const evolution = experiment.sources.find((s) => s.info.name === 'evolution')!;
    expect(evolution.info.labelled).toBeGreaterThan(100);
    expect(evolution.info.positives).toBeGreaterThan(0);

    const labels = experiment.target!.labels;
    const trainRows = [...split.train, ...split.validation];
    const known = trainRows.filter((r) => labels.y[r] === 0 || labels.y[r] === 1);
    expect(known.length).toBeGreaterThan(100);
    // later_date = the row's date + 30 days: never after the first test date.
    for (const r of known) expect(matrix.rowInfo.day[r]! + 30, `row ${r}`).toBeLessThanOrEqual(firstTest);
    // The training rows of 2025-11-05 have no known evolution (their later snapshot would be 12-05).
    const nov5 = Date.parse('2025-11-05T00:00:00Z') / DAY_MS;
    expect(trainRows.some((r) => matrix.rowInfo.day[r] === nov5)).toBe(true);
    expect(known.some((r) => matrix.rowInfo.day[r] === nov5)).toBe(false);
    expect(experiment.target!.note).toContain(
      `${known.length} of the ${trainRows.length} training and validation rows`,
    );

    // A label-learning strategy gets these labels; an unsupervised one keeps none.
    const gbm = await prepareStrategy(lab.db, experiment, 'gbm');
    expect(Array.from(gbm.job.input.labels!.y)).toEqual(Array.from(labels.y));
    expect(gbm.leakage?.target).toBe('evolution');
    const forest = await prepareStrategy(lab.db, experiment, 'isolation-forest');
    expect(forest.job.input.labels).toBeUndefined();
  }, 120_000);
});
