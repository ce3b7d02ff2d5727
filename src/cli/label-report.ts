/** Plain-text renderings of the import report and the label-quality report, for the CLI. */
import { describeFieldSource, type ImportReport } from '../ingest/index.ts';
import { kappaMatrix, type QualityReport } from '../quality/index.ts';
import { formatTable } from './output.ts';

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
const num = (x: number | null, digits = 3) => (x === null ? '-' : x.toFixed(digits));

export function formatImportReport(r: ImportReport): string {
  const lines: string[] = [`${r.file}${r.format ? ` (${r.format}, ${r.rows} row${r.rows === 1 ? '' : 's'})` : ''}`];
  for (const f of r.fields) lines.push(`  ${f.field.padEnd(17)} ${describeFieldSource(f)}`);
  if (r.ignoredColumns.length > 0) lines.push(`  ignored columns:  ${r.ignoredColumns.join(', ')}`);
  for (const level of ['error', 'warning'] as const) {
    const issues = r.issues.filter((i) => i.level === level);
    if (issues.length === 0) continue;
    lines.push(`${level}s:`);
    for (const i of issues) lines.push(`  ${i.message}`);
  }
  const s = r.summary;
  const sources = Object.entries(s.bySource)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  lines.push(
    `${r.accepted} label event${r.accepted === 1 ? '' : 's'} to append` +
      (r.accepted > 0
        ? ` (${s.alert} alert-level, ${s.address} address-level; ${s.positive} positive, ${s.negative} negative; ${sources})`
        : '') +
      `; ${r.rejected} row${r.rejected === 1 ? '' : 's'} refused by errors, ${r.dropped} left out by duplicate or conflict rules`,
  );
  return lines.join('\n') + '\n';
}

export function formatQualityReport(q: QualityReport): string {
  const c = q.coverage;
  const out: string[] = [];
  out.push(
    `coverage: ${c.alertRows} alert rows (${c.alerts} alert ids)${c.truthLoaded ? '' : '; no ground truth loaded'}`,
  );
  out.push(
    formatTable(
      ['rater', 'labelled', 'share', 'positive', 'negative', 'positive rate', 'uncertain'],
      c.raters.map((r) => [
        r.rater,
        r.labelled,
        pct(r.share),
        r.positive,
        r.negative,
        pct(r.positiveRate),
        r.rater === 'proxy' ? r.uncertain : '-',
      ]),
    ),
  );
  const n = (x: number) => x.toLocaleString('en-US');
  out.push(
    `effective labels by source: ${Object.entries(c.effectiveBySource)
      .map(([s, k]) => `${s} ${n(k)}`)
      .join(', ')}`,
  );
  out.push(
    `label events: ${c.events.map((e) => `${e.source} ${n(e.alertLevel)} alert-level + ${n(e.addressLevel)} address-level`).join(', ')}`,
  );
  out.push('');
  const a = q.agreement;
  if (a.pairs.length === 0) {
    out.push('agreement: fewer than two raters label any alert row, so there is nothing to compare');
    return out.join('\n') + '\n';
  }
  out.push('agreement over the alert rows both raters label (a/b: 1 = positive, 0 = negative):');
  out.push(
    formatTable(
      ['a', 'b', 'both', 'a1 b1', 'a0 b0', 'a1 b0', 'a0 b1', 'agree', 'kappa'],
      a.pairs.map((p) => [
        p.a,
        p.b,
        p.n,
        p.matrix[1][1],
        p.matrix[0][0],
        p.matrix[1][0],
        p.matrix[0][1],
        pct(p.observed),
        num(p.kappa),
      ]),
    ),
  );
  out.push("Cohen's kappa:");
  const m = kappaMatrix(a);
  out.push(
    formatTable(
      ['', ...a.raters],
      a.raters.map((r, i) => [r, ...m[i]!.map((k) => num(k))]),
    ),
  );
  return out.join('\n') + '\n';
}
