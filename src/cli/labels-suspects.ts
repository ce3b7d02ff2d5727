/**
 * `lab labels suspects`: the alerts whose label a model most confidently disputes.
 *
 *   lab labels suspects --data DIR [--labels F ...] [--check effective|explicit] [--folds 5]
 *     [--learner dense|logistic] [--limit 30] [--training-config FILE] [--json]
 */
import { describeTrusted, findSuspectedMislabels } from '../quality/mislabel-suspects.ts';
import { defineCommand, noArguments } from './command.ts';
import { readTrainingConfig } from './config-files.ts';
import { learnerFromOption } from './learner-option.ts';
import { loadLab, DATA_OPTIONS, dataLimits } from './load-lab.ts';
import { CliError, formatTable } from './output.ts';

export const labelsSuspectsCommand = defineCommand({
  name: 'labels suspects',
  summary: 'list suspected mislabels: the labels out-of-fold model probabilities most confidently dispute',
  usage:
    'lab labels suspects --data DIR [--labels F ...] [--check effective|explicit] [--folds 5] [--learner dense|logistic] [--limit 30] [--training-config FILE] [--json]',
  options: {
    ...DATA_OPTIONS,
    labels: { type: 'list' },
    check: { type: 'string', default: 'effective' },
    folds: { type: 'integer', default: 5 },
    learner: { type: 'string' },
    limit: { type: 'integer', default: 30 },
    'training-config': { type: 'string' },
    json: { type: 'flag' },
  },
  async run(options, positionals) {
    noArguments(labelsSuspectsCommand, positionals);
    const command = 'labels suspects';
    const { data, check, folds, limit } = options;
    if (data.length === 0) throw new CliError(`${command}: give --data DIR`);
    if (check !== 'effective' && check !== 'explicit')
      throw new CliError(
        `${command}: --check must be effective (the proxy rule with explicit labels winning) or explicit`,
      );
    if (folds < 2) throw new CliError(`${command}: --folds must be at least 2`);
    const config = await readTrainingConfig(options['training-config']);
    const learner = await learnerFromOption(options.learner, config, command);
    const { lab, errors } = await loadLab(data, { ...dataLimits(options), labels: options.labels });
    const report = await findSuspectedMislabels(lab.db, { config, labels: check, learner, folds }).catch((e: Error) => {
      throw new CliError(e.message);
    });
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ...report, suspects: report.suspects.slice(0, limit) }, null, 2)}\n`);
      return errors > 0 ? 1 : 0;
    }
    const out = process.stdout;
    out.write(
      `${report.labelled} labelled rows checked (${report.positives} positive) with ${report.folds}-fold out-of-fold ${report.learner} probabilities on ${report.features} features` +
        (report.excluded.length > 0 ? ` (${report.excluded.length} left out by the leakage guard)` : '') +
        `\nthresholds: a 0 is disputed when p >= ${report.thresholds.positive.toFixed(3)}, a 1 when 1 - p >= ${report.thresholds.negative.toFixed(3)}\n` +
        `${describeTrusted(report.trusted)}\n` +
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
  },
});
