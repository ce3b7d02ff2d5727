/**
 * Validator scorecards in the app (src/validator/scorecard.ts computes it): the headline (final
 * score and status, with what the status means), each tier's status, what was scored, the
 * evolution patterns, every figure under the validator's key name with its explanation as a
 * tooltip (src/validator/figures.ts), then why Tier 1 failed, with the first offending rows, and
 * the notes that explain a missing or default figure. Several snapshots (a board's held-out dates
 * and windows) share one figures table, a value column each, so they read side by side. Shown by
 * the validate cell and by the Scores view for a dropped scores file.
 *
 * Tests read per snapshot `data-section="scorecard"` with `data-snapshot`, `data-status` and
 * `data-final`; `data-key` per figure row (a `td.num` per snapshot, in the same order);
 * `data-check` per Tier 1 failure.
 */
import { FIGURES, STATUS_EXPLAINED } from '../validator/figures.ts';
import { figureText, firstRowsText } from '../validator/render.ts';
import type { Scorecard } from '../validator/scorecard.ts';
import { h } from './dom.ts';
import './scorecard.css';

const text = (v: unknown): string => figureText(v, { missing: '–' });

const snapshotOf = (card: Scorecard) => `${card.processing_date}/${card.window_days}`;

/** The scorecards of one submission's snapshots, their figures in one table. */
export function scorecardsView(cards: readonly Scorecard[]): HTMLElement {
  return h(
    'div',
    { class: 'scorecards' },
    ...cards.map(summaryView),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'data scorecard-figures' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'tier'),
            h('th', {}, 'figure'),
            ...cards.map((c) =>
              h(
                'th',
                { class: 'num', 'data-snapshot': snapshotOf(c) },
                cards.length > 1 ? `${c.processing_date} · ${c.window_days}d` : 'value',
              ),
            ),
            h('th', {}, 'key'),
          ),
        ),
        h(
          'tbody',
          {},
          ...FIGURES.map((f) =>
            h(
              'tr',
              { 'data-key': f.key, title: f.explain },
              h('td', {}, f.tier),
              h('td', {}, f.label),
              ...cards.map((c) => h('td', { class: 'num', 'data-snapshot': snapshotOf(c) }, text(c[f.key]))),
              h('td', { class: 'muted mono' }, f.key),
            ),
          ),
        ),
      ),
    ),
  );
}

/** One snapshot's headline, status, counts, Tier 1 failures and notes. */
function summaryView(card: Scorecard): HTMLElement {
  const t = card.tier_status;
  const status = card.reason
    ? `rejected (${card.reason.replace(/_/g, ' ')}): the final score is 0`
    : `${card.validation_status}: ${STATUS_EXPLAINED[card.validation_status] ?? ''}`;
  const c = card.counts;
  return h(
    'div',
    {
      class: `scorecard${card.status === 'rejected' ? ' rejected' : ''}`,
      'data-section': 'scorecard',
      'data-status': card.validation_status,
      'data-final': card.final_score ?? '',
      'data-snapshot': snapshotOf(card),
    },
    h(
      'p',
      { class: 'scorecard-headline' },
      h('strong', {}, `Final score ${text(card.final_score)}`),
      ` · ${card.processing_date}, ${card.window_days}-day window, ${card.days_since_submission} days old`,
    ),
    h('p', { class: 'muted' }, status),
    h(
      'p',
      { class: 'muted' },
      `Tiers: 1 ${t.tier1} · 2 ${t.tier2} · 3A ${t.tier3a} · 3B ${t.tier3b}. `,
      `Alerts: ${c.alerts} in the snapshot, ${c.scored} scored, ${c.labelled} with address labels (${c.labelled_positive} high or critical), ${c.evolved} with evolution. `,
      `Patterns: ${Object.entries(card.pattern_counts)
        .map(([p, n]) => `${p.replace(/_/g, ' ')} ${n}`)
        .join(', ')}.`,
    ),
    ...(card.tier1_failures.length > 0
      ? [
          h('p', { class: 'scorecard-failures-title' }, 'Why Tier 1 failed'),
          h(
            'ul',
            { class: 'scorecard-failures' },
            ...card.tier1_failures.map((f) =>
              h(
                'li',
                { 'data-check': f.check },
                h('strong', {}, f.check.replace(/_/g, ' ')),
                `: ${f.message}`,
                f.first.length > 0 ? `; first: ${firstRowsText(f)}` : '',
              ),
            ),
          ),
        ]
      : []),
    ...(card.notes.length > 0
      ? [
          h(
            'details',
            {},
            h('summary', {}, `Why a figure is missing or a default (${card.notes.length})`),
            h('ul', { class: 'muted' }, ...card.notes.map((n) => h('li', {}, n))),
          ),
        ]
      : []),
  );
}
