/**
 * Scorecards as text: one submission's tiers as a table (lab validate), and several side by side
 * (the leaderboard's validator preview in lab compare). Missing figures print '-', and the status
 * words and notes follow the tables, so every '-' has its reason.
 */
import { FIGURES, STATUS_EXPLAINED } from './figures.ts';
import { byFinalScore, type ValidatorPreview } from './preview.ts';
import type { Scorecard } from './scorecard.ts';
import type { Tier1Failure } from './tier1.ts';

/**
 * A figure as text: yes/no for a flag, 0 and 1 as they are (Tier 1's checks), other numbers to
 * `digits` decimals, `missing` for none. The CLI, the scorecard view and the preview share it.
 */
export function figureText(v: unknown, opts: { missing?: string; digits?: number } = {}): string {
  if (v === null || v === undefined) return opts.missing ?? '-';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 1 ? String(v) : v.toFixed(opts.digits ?? 4);
  return String(v);
}

const value = (v: unknown): string => figureText(v);

function align(rows: string[][], right: (col: number) => boolean): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (right(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n') + '\n';
}

export function headline(card: Scorecard): string {
  return `${card.processing_date}, ${card.window_days}-day window, ${card.days_since_submission} days old: ${card.validation_status}, final score ${value(card.final_score)}`;
}

/** A Tier 1 failure's first offending rows: "row 3, alert a1 (NaN); alert a9". */
export function firstRowsText(failure: Tier1Failure): string {
  return failure.first
    .map((x) => `${x.row === null ? 'alert' : `row ${x.row}, alert`} ${x.alert_id}${x.value ? ` (${x.value})` : ''}`)
    .join('; ');
}

/** One scorecard: a row per figure (tier, figure, value, the validator's key), then failures and notes. */
export function renderScorecard(card: Scorecard): string {
  const body = FIGURES.map((f) => [f.tier, f.label, value(card[f.key]), f.key]);
  const out = [
    `validator scorecard: ${headline(card)}`,
    card.reason
      ? `status: rejected, ${card.reason}: the final score is 0`
      : `status: ${card.validation_status}: ${STATUS_EXPLAINED[card.validation_status] ?? ''}`,
    `tiers: 1 ${card.tier_status.tier1}, 2 ${card.tier_status.tier2}, 3A ${card.tier_status.tier3a}, 3B ${card.tier_status.tier3b}`,
    `alerts: ${card.counts.alerts} in the snapshot, ${card.counts.scored} scored, ${card.counts.labelled} with address labels (${card.counts.labelled_positive} high/critical), ${card.counts.evolved} with evolution`,
    `patterns: ${Object.entries(card.pattern_counts)
      .map(([p, n]) => `${p} ${n}`)
      .join(', ')}`,
    '',
    align([['tier', 'figure', 'value', 'key'], ...body], (i) => i === 2),
  ];
  if (card.tier1_failures.length > 0) {
    out.push('Tier 1 failures:');
    for (const f of card.tier1_failures) {
      const first = firstRowsText(f);
      out.push(`  ${f.check}: ${f.message}${first ? `; first: ${first}` : ''}`);
    }
  }
  if (card.notes.length > 0) out.push('notes:', ...card.notes.map((n) => `  ${n}`));
  return `${out.join('\n')}\n`;
}

/** The columns of the side-by-side table, each a figure key. */
export const PREVIEW_COLUMNS = [
  ['T1', 'tier1_passed'],
  ['entropy', 'tier2_distribution_entropy'],
  ['rank corr', 'tier2_rank_correlation'],
  ['consist', 'tier2_consistency_score'],
  ['T2', 'tier2_behavior_score'],
  ['3A AUC', 'tier3_gt_auc'],
  ['3A cov', 'tier3_gt_coverage'],
  ['3B AUC', 'tier3_auc_score'],
  ['3B Brier', 'tier3_brier_score'],
  ['3B pattern', 'tier3_pattern_accuracy'],
  ['3B', 'tier3_evolution_score'],
  ['3B cov', 'tier3_evolution_coverage'],
  ['T3', 'tier3_score'],
  ['final', 'final_score'],
] as const;

/** Several submissions (strategies) side by side, a row each, with their status word. */
export function renderPreview(entries: readonly { name: string; card: Scorecard }[]): string {
  const header = ['strategy', ...PREVIEW_COLUMNS.map(([h]) => h), 'status'];
  const body = entries.map(({ name, card }) => [
    name,
    ...PREVIEW_COLUMNS.map(([, k]) => value(card[k])),
    card.validation_status,
  ]);
  return align([header, ...body], (i) => i > 0 && i < header.length - 1);
}

/** The leaderboard's validator preview as text: one table per held-out snapshot, best final score first, then the notes. */
export function renderValidatorPreview(preview: ValidatorPreview): string {
  if (preview.error) return `validator preview: not computed (${preview.error})\n`;
  const out = [`validator preview (as the network's validator would score each strategy; see docs/validator.md):`];
  const sorted = byFinalScore(preview.entries);
  for (const [i, key] of preview.snapshots.entries()) {
    const entries = sorted.flatMap((e) => {
      const c = e.cards[i];
      return c ? [{ name: e.strategy, card: c.card }] : [];
    });
    const age = entries[0]?.card.days_since_submission;
    out.push(
      `${key.processing_date}, ${key.window_days}-day window${age === undefined ? '' : ` (${age} days old as of ${preview.asOf})`}:`,
      renderPreview(entries),
    );
  }
  if (preview.snapshots.length > 1)
    out.push(
      `mean final score over the ${preview.snapshots.length} snapshots: ${sorted.map((e) => `${e.strategy} ${value(e.final)}`).join(', ')}`,
    );
  const missing = sorted.filter((e) => e.missing);
  out.push(
    'notes:',
    ...preview.notes.map((n) => `  ${n}`),
    ...missing.map((e) => `  ${e.strategy}: not scored (${e.missing})`),
  );
  return `${out.join('\n')}\n`;
}
