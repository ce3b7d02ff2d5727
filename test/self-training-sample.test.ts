/**
 * self-training on the bundled sample, as `lab compare` splits it (the latest date held out): its
 * final model ranks the held-out alerts better against the planted truth (PR-AUC) than its own
 * seed model and than the rule it starts from. Its learner reads the address's behaviour, not the
 * alert's detector output (selfTraining.view, src/strategies/self-training.ts): no tree splits on
 * a detector column, and the notes say which were left out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import { parseTrainingConfig } from '../src/experiment/config.ts';
import { filesFromPaths } from '../src/node/files.ts';
import { Lab } from '../src/sot/lab.ts';
import { detectorColumns, selfTrainingStrategy } from '../src/strategies/self-training.ts';
import { ruleStrategy } from '../src/strategies/rule.ts';
import type { FitInput, FittedModel } from '../src/strategies/strategy.ts';
import { evaluateAgainstSources } from '../src/training/evaluation.ts';
import { prepareExperiment, prepareStrategy, type Experiment } from '../src/training/experiment.ts';

const config = parseTrainingConfig({});

describe('self-training on the sample, time split, against the planted truth', () => {
  let experiment: Experiment;
  let input: FitInput;
  const figures: Record<string, number> = {};
  let final: FittedModel;

  beforeAll(async () => {
    const rt = await openNodeRuntime();
    const lab = await Lab.open(rt);
    await lab.load(await filesFromPaths(['sample-data']));
    experiment = await prepareExperiment(lab.db, config);
    input = (await prepareStrategy(lab.db, experiment, 'self-training')).job.input;
    const prAuc = (model: FittedModel) => {
      const scores = model.score(input.x, input.rows, input.side);
      return evaluateAgainstSources(scores, true, experiment.sources, experiment.held, config).truth!.prAuc!;
    };
    // Each fit pseudo-labels into its own copy of the labels.
    const fit = (rounds: number) =>
      selfTrainingStrategy.fit(
        {
          ...input,
          labels: { ...input.labels!, y: input.labels!.y.slice(), w: input.labels!.w.slice() },
          config: { ...config, selfTraining: { ...config.selfTraining, rounds } },
        },
        {},
      );
    figures.rule = prAuc(await ruleStrategy.fit(input, {}));
    figures.seed = prAuc(await fit(0));
    final = await fit(config.selfTraining.rounds);
    figures.final = prAuc(final);
    console.log('self-training, sample, PR-AUC against the truth:', JSON.stringify(figures));
  }, 600_000);

  it('beats its own seed model and the rule', () => {
    expect(experiment.split.description).toMatch(/^time: test = 2025-11-12/);
    expect(figures.final).toBeGreaterThan(figures.seed!);
    expect(figures.final).toBeGreaterThan(figures.rule!);
  });

  it("reads the address's behaviour: no tree splits on the alert's detector output", () => {
    const hidden = detectorColumns(input.names).map((j) => input.names[j]!);
    expect(hidden).toContain('alerts.volume_usd');
    expect(hidden.some((n) => n.startsWith('alerts.typology_type='))).toBe(true);
    expect(hidden).not.toContain('alerts.window_days');
    const used = final.importance!.map((f) => f.feature);
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((f) => hidden.includes(f))).toEqual([]);
    expect(final.notes[1]).toMatch(
      /^view: behaviour; the alert's detector output is left out \(\d+ columns of alerts\.typology_type, /,
    );
  });
});
