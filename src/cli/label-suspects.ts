/**
 * `lab labels suspects`: the alerts whose label a model most confidently disputes.
 *
 *   lab labels suspects --data DIR [--labels F ...] [--check effective|explicit] [--folds 5]
 *     [--learner dense|logistic] [--limit 30] [--training-config FILE] [--json]
 *
 * It joins `lab labels` (import, quality, export) by wrapping that command: `suspects` runs here
 * and every other subcommand goes to labels.ts unchanged, with both sets of options accepted.
 */
import { findSuspectedMislabels, type SuspectLabels } from '../quality/mislabel-suspects.ts';
import type { Command } from './commands.ts';
import { loadLab } from './commands.ts';
import { intOption, learnerFromOption, readTrainingConfig } from './learner-option.ts';
import { CliError, formatTable } from './output.ts';

type Values = Parameters<Command['run']>[0];

const USAGE =
  'lab labels suspects --data DIR [--labels F ...] [--check effective|explicit] [--folds 5] [--learner dense|logistic] [--limit 30] [--training-config FILE] [--json]';

async function runSuspects(values: Values): Promise<number> {
  const command = 'labels suspects';
  const data = (values.data as string[] | undefined) ?? [];
  if (data.length === 0) throw new CliError(`${command}: give --data DIR`);
  const check = (values.check as string | undefined) ?? 'effective';
  if (check !== 'effective' && check !== 'explicit')
    throw new CliError(
      `${command}: --check must be effective (the proxy rule with explicit labels winning) or explicit`,
    );
  const folds = intOption(values.folds, 5, 'folds', command);
  if (folds < 2) throw new CliError(`${command}: --folds must be at least 2`);
  const limit = intOption(values.limit, 30, 'limit', command);
  const config = await readTrainingConfig(values['training-config'] as string | undefined);
  const learner = await learnerFromOption(values.learner as string | undefined, config, command);
  const { lab, errors } = await loadLab(data, { labels: (values.labels as string[] | undefined) ?? [] });
  const report = await findSuspectedMislabels(lab.db, { config, labels: check as SuspectLabels, learner, folds }).catch(
    (e: Error) => {
      throw new CliError(e.message);
    },
  );
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...report, suspects: report.suspects.slice(0, limit) }, null, 2)}\n`);
    return errors > 0 ? 1 : 0;
  }
  const out = process.stdout;
  out.write(
    `${report.labelled} labelled rows checked (${report.positives} positive) with ${report.folds}-fold out-of-fold ${report.learner} probabilities on ${report.features} features` +
      (report.excluded.length > 0 ? ` (${report.excluded.length} left out by the leakage guard)` : '') +
      `\nthresholds: a 0 is disputed when p >= ${report.thresholds.positive.toFixed(3)}, a 1 when 1 - p >= ${report.thresholds.negative.toFixed(3)}\n` +
      `${report.suspects.length} suspected mislabels; the first ${Math.min(limit, report.suspects.length)}:\n\n`,
  );
  out.write(
    formatTable(
      ['rank', 'alert_id', 'date', 'window', 'label', 'source', 'labeled_by', 'p(illicit)', 'margin'],
      report.suspects
        .slice(0, limit)
        .map((s) => [
          s.rank,
          s.alertId,
          s.processingDate,
          s.windowDays,
          s.label,
          s.source,
          s.labeledBy ?? '',
          s.p.toFixed(3),
          s.margin.toFixed(3),
        ]),
    ),
  );
  return errors > 0 ? 1 : 0;
}

/** `labels` with the `suspects` subcommand added. */
export function withSuspects(labels: Command): Command {
  return {
    ...labels,
    summary: `${labels.summary}; list suspected mislabels`,
    usage: labels.usage.replace('import|quality|export', 'import|quality|export|suspects'),
    options: {
      ...labels.options,
      check: { type: 'string' },
      folds: { type: 'string' },
      learner: { type: 'string' },
      limit: { type: 'string' },
      'training-config': { type: 'string' },
    },
    async run(values, positionals) {
      if (positionals[0] !== 'suspects') return labels.run(values, positionals);
      if (positionals.length > 1)
        throw new CliError(`labels suspects: unexpected arguments ${positionals.slice(1).join(' ')}\n  ${USAGE}`);
      return runSuspects(values);
    },
  };
}
