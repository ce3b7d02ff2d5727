/**
 * The Scores view: a submission file (the miner template's output: alert_id, score,
 * model_version, model_github_url) scored on the loaded data as the network's validator would,
 * its scorecard shown (scorecard-view.ts). A scores file is dropped anywhere on the app (main.ts
 * hands the view every dropped file the loader would refuse as no SOT table, and the view keeps
 * the ones with alert_id and score columns) or chosen here. Nothing is written: scoring reads the
 * loaded tables only.
 *
 * Tests read `data-scored` on each result (the file's path) and `data-error` on a refusal.
 */
import { evolutionLabelsQuery } from '../labels/evolution.ts';
import type { Lab } from '../sot/lab.ts';
import { classify, type SourceFile } from '../sot/files.ts';
import { DEFAULT_VALIDATOR_CONFIG } from '../validator/config.ts';
import { readScoresFile, ScoresFileError, type ScoresFile } from '../validator/scores-file.ts';
import { validateScores } from '../validator/validate.ts';
import { h } from './dom.ts';
import { scorecardsView } from './scorecard-view.ts';
import { fromBrowserFile } from './source-files.ts';
import './labels.css';

/** A file the loader would refuse for its name (a table file that names no SOT table): maybe a scores file. */
const maybeScores = (file: SourceFile) => {
  const c = classify(file);
  return c.kind === 'unknown' && c.level === 'error';
};

export class ScoresView {
  readonly element: HTMLElement;
  private readonly results = h('div', { class: 'scores-results' });
  private readonly empty = h(
    'p',
    { class: 'muted scores-empty' },
    'No scores file scored yet. The miner template writes one per day; a board exports each strategy’s held-out scores (the compare cell’s alert scores download, or lab compare --export) without the model_github_url a submission carries, which Tier 1 asks for. Drop one here to see what the validator would pay.',
  );
  private readonly picker = h('input', {
    type: 'file',
    accept: '.csv,.parquet,.arrow,.feather,.json,.jsonl',
    class: 'visually-hidden',
    'data-picker': 'scores',
  });

  constructor(
    private readonly lab: Lab,
    private readonly show: () => void,
  ) {
    this.picker.addEventListener('change', () => {
      const picked = this.picker.files?.[0];
      this.picker.value = '';
      if (picked) void this.score(fromBrowserFile(picked, picked.name));
    });
    this.element = h(
      'div',
      { class: 'labels-view scores-view' },
      h(
        'div',
        { class: 'labels-page' },
        h(
          'header',
          { class: 'labels-header' },
          h(
            'div',
            {},
            h('h1', { class: 'labels-title' }, 'Scores'),
            h(
              'p',
              { class: 'labels-facts' },
              "Score a submission as the network's validator would, on the data loaded here: drop a scores file anywhere on the app (the miner template's output: alert_id, score, model_version, model_github_url; CSV, Parquet or Arrow), or choose one. Its date is the file's processing_date, else the snapshot its alert ids fit. Nothing is written.",
            ),
          ),
          h(
            'button',
            { type: 'button', class: 'button', 'data-action': 'choose-scores', onclick: () => this.picker.click() },
            'Choose a scores file…',
            this.picker,
          ),
        ),
        this.empty,
        this.results,
      ),
    );
  }

  /**
   * Take the dropped files that are scores files, score them, and show this view; give back the
   * others (for the loader). Files whose name the loader knows are never read here.
   */
  async take(files: SourceFile[]): Promise<SourceFile[]> {
    const rest: SourceFile[] = [];
    const scores: ScoresFile[] = [];
    for (const file of files) {
      if (!maybeScores(file)) {
        rest.push(file);
        continue;
      }
      try {
        scores.push(await readScoresFile(this.lab.runtime, file));
      } catch (e) {
        // Not a scores file (no alert_id or score column): the loader says why it is no SOT table.
        if (e instanceof ScoresFileError) rest.push(file);
        else throw e;
      }
    }
    if (scores.length > 0) {
      this.show();
      for (const s of scores) await this.scoreRead(s);
    }
    return rest;
  }

  private async score(file: SourceFile): Promise<void> {
    try {
      await this.scoreRead(await readScoresFile(this.lab.runtime, file));
    } catch (e) {
      this.prepend(this.refusal(file.path, (e as Error).message));
    }
  }

  private async scoreRead(file: ScoresFile): Promise<void> {
    const pending = h('p', { class: 'muted', role: 'status' }, `Scoring ${file.path}…`);
    this.prepend(pending);
    try {
      const r = await validateScores(this.lab.db, file, [], {
        config: DEFAULT_VALIDATOR_CONFIG,
        evolutionQuery: evolutionLabelsQuery,
      });
      pending.replaceWith(
        h(
          'section',
          { class: 'labels-section scores-result', 'data-scored': file.path },
          h(
            'h2',
            { class: 'labels-section-title scores-file' },
            `${file.path} · ${file.rows.length.toLocaleString('en-US')} rows`,
          ),
          h(
            'p',
            { class: 'muted' },
            `Snapshot ${r.chosen.key.processing_date}, ${r.chosen.key.window_days}-day window, ${r.chosen.how}; scored as of ${r.asOf}, the latest date loaded. No other miners' files: Tier 2 compares it with itself (lab validate --consensus takes theirs).`,
          ),
          scorecardsView([r.card]),
        ),
      );
    } catch (e) {
      pending.replaceWith(this.refusal(file.path, (e as Error).message));
    }
  }

  private refusal(path: string, message: string): HTMLElement {
    return h(
      'section',
      { class: 'labels-section scores-result', 'data-error': path, role: 'alert' },
      h('h2', { class: 'labels-section-title scores-file' }, path),
      h('p', { class: 'scores-refused' }, `Not scored: ${message}`),
    );
  }

  private prepend(el: HTMLElement): void {
    this.empty.remove();
    this.results.prepend(el);
  }
}
