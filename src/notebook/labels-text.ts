/**
 * What labels and quality cells say about their run, in sentences: the same lines in the app's
 * cell output and the headless report (their tables and plots are cells of their own).
 */
import type { LabelsResult } from './cells/labels-import.ts';
import type { QualityResult } from './cells/quality.ts';
import { describeEarlier } from '../ingest/import-once.ts';
import { describeTrusted } from '../quality/mislabel-suspects.ts';
import { formatNumber } from './format-value.ts';

const n = (x: number) => formatNumber(x);

export function labelsCellLines(value: LabelsResult): string[] {
  const { report, appended, earlier } = value;
  const s = report.summary;
  const lines = [
    `${report.file}: ${n(report.rows)} rows, ${n(report.accepted)} accepted (${n(s.positive)} positive, ${n(s.negative)} negative; ${n(s.alert)} for alerts, ${n(s.address)} for addresses), ${n(report.rejected)} rejected, ${n(report.dropped)} left out by a rule.`,
  ];
  const errors = report.issues.filter((i) => i.level === 'error').length;
  if (appended)
    lines.push(
      value.writes === 'on-run'
        ? `Appended ${n(appended.events)} label events (batch ${appended.batchId}): a headless run (lab run) imports as it runs; the app asks first.`
        : `Appended ${n(appended.events)} label events (batch ${appended.batchId}), as confirmed.`,
    );
  else if (earlier) lines.push(`Nothing appended: this file was ${describeEarlier(earlier)}.`);
  else if (errors > 0)
    lines.push(`Nothing appended: the file has ${errors} kind${errors === 1 ? '' : 's'} of error (see the issues).`);
  else if (value.pending > 0)
    lines.push(
      `Nothing written yet: confirming appends ${n(value.pending)} label events to the event log (opening a notebook never writes labels).`,
    );
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
  const rule = value.proxyRule;
  if (rule?.state === 'written')
    lines.push(
      `The proxy rule (default thresholds) labelled ${n(rule.result.positive)} alert rows positive, ${n(rule.result.negative)} negative and left ${n(rule.result.uncertain)} uncertain${rule.writes === 'on-run' ? ': a headless run (lab run) applies it as it runs; the app asks first' : ', as confirmed'}.`,
    );
  else if (rule?.state === 'applied')
    lines.push(
      `The proxy rule's labels are in the alerts' label columns already (${n(rule.preview.applied)} alert rows).`,
    );
  else if (rule?.state === 'pending')
    lines.push(
      `The proxy rule is not applied yet: confirming writes its labels (default thresholds) into the alerts' label columns: ${n(rule.preview.positive)} alert rows positive, ${n(rule.preview.negative)} negative, ${n(rule.preview.uncertain)} uncertain. Until then the reports below leave it out.`,
    );
  const s = value.suspects;
  if (s) {
    lines.push(
      `Suspected mislabels: ${n(s.suspects.length)} shown of the ${n(s.labelled)} labelled rows checked (${s.learner}, ${s.folds} folds, ${s.features} features; out-of-fold thresholds ${s.thresholds.negative.toFixed(2)} / ${s.thresholds.positive.toFixed(2)}).`,
      describeTrusted(s.trusted),
    );
  } else if (value.suspectsSkipped !== undefined)
    lines.push(`Suspected mislabels: not computed yet, ${value.suspectsSkipped}.`);
  return lines;
}
