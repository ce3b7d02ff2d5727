/**
 * What labels and quality cells say about their run, in sentences: the same lines in the app's
 * cell output and the headless report (their tables and plots are cells of their own).
 */
import type { LabelsResult } from './cells/labels-import.ts';
import type { QualityResult } from './cells/quality.ts';
import { formatNumber } from './format-value.ts';

const n = (x: number) => formatNumber(x);

export function labelsCellLines(value: LabelsResult): string[] {
  const { report, appended, earlier } = value;
  const s = report.summary;
  const lines = [
    `${report.file}: ${n(report.rows)} rows, ${n(report.accepted)} accepted (${n(s.positive)} positive, ${n(s.negative)} negative; ${n(s.alert)} for alerts, ${n(s.address)} for addresses), ${n(report.rejected)} rejected, ${n(report.dropped)} left out by a rule.`,
  ];
  const errors = report.issues.filter((i) => i.level === 'error').length;
  if (appended) lines.push(`Appended ${n(appended.events)} label events (batch ${appended.batchId}).`);
  else if (earlier)
    lines.push(
      `Already imported: the same file's ${n(earlier.events)} events have been in the event log since ${earlier.at}; nothing was appended again.`,
    );
  else if (errors > 0)
    lines.push(`Nothing appended: the file has ${errors} kind${errors === 1 ? '' : 's'} of error (see the issues).`);
  else lines.push('Nothing appended: no rows were accepted.');
  return lines;
}

export function qualityCellLines(value: QualityResult): string[] {
  const { coverage, agreement } = value.report;
  const labelled = coverage.raters
    .filter((r) => r.labelled > 0 && r.rater !== 'effective' && r.rater !== 'truth')
    .map((r) => `${r.rater} ${n(r.labelled)}`);
  const lines = [
    `${n(coverage.alertRows)} alert rows; labelled by source: ${labelled.join(', ') || 'none yet'}${coverage.truthLoaded ? '; ground truth loaded' : ''}.`,
    `${agreement.pairs.filter((p) => p.n > 0).length} pairs of raters label common rows (kappa per pair in the agreement table).`,
  ];
  const s = value.suspects;
  if (s) {
    lines.push(
      `Suspected mislabels: ${n(s.suspects.length)} shown of the ${n(s.labelled)} labelled rows checked (${s.learner}, ${s.folds} folds, ${s.features} features; out-of-fold thresholds ${s.thresholds.negative.toFixed(2)} / ${s.thresholds.positive.toFixed(2)}).`,
    );
  }
  return lines;
}
