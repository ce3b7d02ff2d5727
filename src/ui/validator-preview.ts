/**
 * The leaderboard's validator preview in the app (src/validator/preview.ts computes it): per
 * held-out snapshot a table of every strategy's tiers as the network's validator would score
 * them, each header's tooltip saying what the figure is (src/validator/figures.ts, the text of
 * docs/validator.md), each status word's tooltip what it means, and a button that sorts the rows by
 * final score (and back to the board's order). Notes say where a figure comes from or why it is
 * missing.
 *
 * Tests read `data-section="validator-preview"`, per table `data-snapshot`, per row
 * `data-strategy` and `data-final`, per cell `data-key` (the validator's key name).
 */
import type { Leaderboard } from '../metrics/leaderboard.ts';
import { FIGURE_BY_KEY, STATUS_EXPLAINED } from '../validator/figures.ts';
import { byFinalScore, type PreviewEntry, type ValidatorPreview } from '../validator/preview.ts';
import { figureText, PREVIEW_COLUMNS } from '../validator/render.ts';
import type { Scorecard } from '../validator/scorecard.ts';
import { h, replaceChildren } from './dom.ts';

const text = (v: unknown): string => figureText(v, { missing: '–', digits: 3 });

/** The section's element, or none when the board has no preview. */
export function validatorPreviewView(board: Leaderboard): HTMLElement[] {
  const preview = board.validator;
  if (!preview) return [];
  const section = h('details', { class: 'compare-notes', open: true, 'data-section': 'validator-preview' });
  const summary = h('summary', {}, "Validator preview: what the network's validator would pay");
  if (preview.error) {
    section.append(summary, h('p', { class: 'muted' }, `Not computed: ${preview.error}`));
    return [section];
  }
  let sorted = false;
  const tables = h('div', {});
  const sortButton = h('button', { type: 'button', class: 'button small', 'data-action': 'sort-final' });
  const draw = () => {
    const entries = sorted ? byFinalScore(preview.entries) : preview.entries;
    sortButton.textContent = sorted ? 'Board order' : 'Sort by final score';
    sortButton.setAttribute('aria-pressed', String(sorted));
    replaceChildren(tables, ...preview.snapshots.map((_, i) => snapshotTable(preview, entries, i)));
    if (preview.snapshots.length > 1) tables.append(meanTable(preview, entries));
  };
  sortButton.addEventListener('click', () => {
    sorted = !sorted;
    draw();
  });
  draw();
  const missing = preview.entries.filter((e) => e.missing);
  section.append(
    summary,
    h(
      'p',
      { class: 'muted' },
      `Each strategy's held-out scores (calibrated where the strategy was) submitted as a miner's, scored with the validator's own rules as of ${preview.asOf}. Hover a header for what it measures; docs/validator.md has every formula.`,
    ),
    h('div', { class: 'button-row' }, sortButton),
    tables,
    h(
      'ul',
      { class: 'muted' },
      ...preview.notes.map((n) => h('li', {}, n)),
      ...missing.map((e) => h('li', {}, `${e.strategy}: not scored (${e.missing})`)),
    ),
    cardNotes(preview),
  );
  return [section];
}

function snapshotTable(preview: ValidatorPreview, entries: readonly PreviewEntry[], i: number): HTMLElement {
  const key = preview.snapshots[i]!;
  const rows = entries.flatMap((e) => (e.cards[i] ? [{ e, card: e.cards[i].card }] : []));
  const age = rows[0]?.card.days_since_submission;
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'p',
      { class: 'compare-source-text muted' },
      `${key.processing_date}, ${key.window_days}-day window${age === undefined ? '' : `: ${age} days old as of ${preview.asOf}`}`,
    ),
    h(
      'table',
      { class: 'data board', 'data-snapshot': `${key.processing_date}/${key.window_days}` },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'strategy'),
          ...PREVIEW_COLUMNS.map(([label, k]) => {
            const f = FIGURE_BY_KEY.get(k)!;
            return h('th', { class: 'num', title: `${f.tier}, ${f.label} (${k}): ${f.explain}` }, label);
          }),
          h('th', { title: 'The validator’s status word for this submission; hover one for its meaning' }, 'status'),
        ),
      ),
      h(
        'tbody',
        {},
        ...rows.map(({ e, card }) =>
          h(
            'tr',
            { 'data-strategy': e.strategy, 'data-final': card.final_score ?? '' },
            h('td', { class: 'strategy', title: e.modelVersion }, e.strategy),
            ...PREVIEW_COLUMNS.map(([, k]) => h('td', { class: 'num', 'data-key': k }, text(card[k]))),
            h('td', { 'data-key': 'validation_status', title: statusTitle(card) }, card.validation_status),
          ),
        ),
      ),
    ),
  );
}

function statusTitle(card: Scorecard): string {
  const t = card.tier_status;
  return `${STATUS_EXPLAINED[card.validation_status] ?? ''}. Tiers: 1 ${t.tier1}, 2 ${t.tier2}, 3A ${t.tier3a}, 3B ${t.tier3b}.`;
}

function meanTable(preview: ValidatorPreview, entries: readonly PreviewEntry[]): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h('p', { class: 'compare-source-text muted' }, `Mean over the ${preview.snapshots.length} held-out snapshots`),
    h(
      'table',
      { class: 'data board', 'data-snapshot': 'mean' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'strategy'),
          h('th', { class: 'num', title: 'The final score averaged over the held-out snapshots' }, 'final (mean)'),
        ),
      ),
      h(
        'tbody',
        {},
        ...entries.map((e) =>
          h(
            'tr',
            { 'data-strategy': e.strategy, 'data-final': e.final ?? '' },
            h('td', { class: 'strategy' }, e.strategy),
            h('td', { class: 'num', 'data-key': 'final_score' }, text(e.final)),
          ),
        ),
      ),
    ),
  );
}

/** Why figures are missing or defaulted, per snapshot, each note once with the strategies it concerns. */
function cardNotes(preview: ValidatorPreview): HTMLElement {
  const items: HTMLElement[] = [];
  preview.snapshots.forEach((key, i) => {
    const who = new Map<string, string[]>();
    const scored = preview.entries.filter((e) => e.cards[i]);
    for (const e of scored) {
      for (const n of e.cards[i]?.card.notes ?? []) {
        const list = who.get(n) ?? [];
        list.push(e.strategy);
        who.set(n, list);
      }
    }
    for (const [note, strategies] of who)
      items.push(
        h(
          'li',
          {},
          `${key.processing_date}/${key.window_days}: ${note}${strategies.length < scored.length ? ` (${strategies.join(', ')})` : ''}`,
        ),
      );
  });
  return h(
    'details',
    {},
    h('summary', {}, `Why a figure is missing or a default (${items.length})`),
    h('ul', { class: 'muted' }, ...items),
  );
}
