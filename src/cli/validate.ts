/**
 * `lab validate`: score a scores file the way the network's validator does (src/validator/), on
 * the loaded data, and print its tiers as a table; --out writes the scorecard as JSON under the
 * validator's key names, plus the pattern counts.
 *
 *   lab validate --data DIR --scores FILE [--consensus FILE ...] [--date YYYY-MM-DD] [--window N]
 *       [--as-of YYYY-MM-DD] [--config FILE] --out report.json
 *
 * --consensus files hold other miners' scores (a miner column names several in one file): Tier 2's
 * median per alert is over them and the scored file together. --as-of is the day the validator
 * scores it (default: the latest date loaded), which sets the submission's age.
 *
 * Exit status: 1 when the submission fails Tier 1 (after printing each reason with its first rows
 * and writing the report), or when a data file was refused; 0 otherwise. A file that cannot be
 * scored at all (unreadable, no score column) is an error naming it.
 */
import { writeFile } from 'node:fs/promises';
import { evolutionLabelsQuery } from '../labels/evolution.ts';
import { renderScorecard } from '../validator/render.ts';
import { readScoresFile, ScoresFileError, type ScoresFile } from '../validator/scores-file.ts';
import { validateScores } from '../validator/validate.ts';
import type { Runtime } from '../db/runtime.ts';
import { defineCommand, noArguments } from './command.ts';
import { readValidatorConfig } from './config-files.ts';
import { loadLab, readFiles, DATA_OPTIONS, dataLimits } from './load-lab.ts';
import { CliError } from './output.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const validateCommand = defineCommand({
  name: 'validate',
  summary: "score a scores file as the network's validator does (tiers 1, 2, 3A, 3B, final) and print the tiers",
  usage:
    'lab validate --data DIR --scores FILE [--consensus FILE ...] [--date YYYY-MM-DD] [--window N] [--as-of YYYY-MM-DD] [--config FILE] --out report.json',
  options: {
    ...DATA_OPTIONS,
    scores: { type: 'string' },
    consensus: { type: 'list' },
    date: { type: 'string' },
    window: { type: 'integer' },
    'as-of': { type: 'string' },
    config: { type: 'string' },
    out: { type: 'string' },
  },
  async run(options, positionals) {
    noArguments(validateCommand, positionals);
    if (options.data.length === 0) throw new CliError('validate: give --data DIR (the snapshots the scores are for)');
    if (!options.scores)
      throw new CliError('validate: give --scores FILE (alert_id, score, model_version, model_github_url)');
    if (!options.out) throw new CliError('validate: give --out report.json');
    for (const [name, value] of [
      ['date', options.date],
      ['as-of', options['as-of']],
    ] as const)
      if (value !== undefined && (!DATE.test(value) || Number.isNaN(Date.parse(value))))
        throw new CliError(`validate: --${name} must be a date YYYY-MM-DD, not '${value}'`);
    const config = await readValidatorConfig(options.config);
    const { lab, rt, errors, tables } = await loadLab(options.data, dataLimits(options));
    if (!tables.has('alerts')) throw new CliError('validate: no alerts were loaded');
    const scores = await readScores(rt, options.scores);
    const consensus: ScoresFile[] = [];
    for (const path of options.consensus) consensus.push(await readScores(rt, path));

    const result = await validateScores(lab.db, scores, consensus, {
      date: options.date,
      window: options.window,
      asOf: options['as-of'],
      config,
      evolutionQuery: evolutionLabelsQuery,
    }).catch((e: unknown) => {
      throw e instanceof ScoresFileError ? new CliError(`validate: ${e.message}`) : e;
    });
    const { card, chosen, asOf } = result;
    process.stdout.write(
      `scores: ${scores.path} (${scores.rows.length} rows); snapshot ${chosen.key.processing_date}, ${chosen.key.window_days}-day window, ${chosen.how}; scored as of ${asOf}\n`,
    );
    process.stdout.write(
      `consensus: ${result.consensus.length === 0 ? 'no other miners (the file alone)' : result.consensus.map((c) => `${c.miner} (${c.rows} rows)`).join(', ')}\n\n`,
    );
    process.stdout.write(renderScorecard(card));
    const report = {
      scores_file: scores.path,
      consensus_files: options.consensus,
      consensus_miners: result.consensus,
      as_of: asOf,
      snapshot_chosen: chosen.how,
      ...card,
    };
    await writeFile(options.out, `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`wrote ${options.out}\n`);
    return card.tier1_passed && errors === 0 ? 0 : 1;
  },
});

async function readScores(rt: Runtime, path: string): Promise<ScoresFile> {
  const [file] = await readFiles([path]);
  if (!file) throw new CliError(`validate: ${path} holds no file`);
  return readScoresFile(rt, file).catch((e: unknown) => {
    throw e instanceof ScoresFileError ? new CliError(`validate: ${e.message}`) : e;
  });
}
