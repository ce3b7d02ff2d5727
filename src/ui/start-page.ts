/**
 * The start page: what Label Lab is for, the shipped notebooks as a path to follow, what is
 * loaded now (live), and the load's warnings explained where the sample is expected to give them.
 * Shown first on a first visit, and again from the header's Start tab.
 */
import { groupLoadWarnings, type WarningGroup } from '../sample/expected-warnings.ts';
import type { Problem } from '../sot/problems.ts';
import type { TableSummary } from '../sot/lab.ts';
import { splitFrontMatter } from '../notebook/front-matter.ts';
import { docHash, notebookHash } from '../util/app-links.ts';
import { formatCount, h, plural, replaceChildren } from './dom.ts';
import type { ShippedNotebook } from './shipped-notebooks.ts';
import './start-page.css';

const SEEN = 'label-lab.start-seen';

/** Whether this browser has seen the start page (a first visit opens on it). */
export function startPageSeen(): boolean {
  try {
    return localStorage.getItem(SEEN) === '1';
  } catch {
    return false;
  }
}

function markSeen(): void {
  try {
    localStorage.setItem(SEEN, '1');
  } catch {
    // Storage refused: the start page is simply shown first again next time.
  }
}

function docLink(path: string, text: string): HTMLElement {
  return h('a', { href: docHash(path), 'data-doc': path }, text);
}

interface LoadState {
  label: string;
  problems: Problem[];
}

export class StartPage {
  readonly element: HTMLElement;
  private readonly path = h('ol', { class: 'start-path', 'aria-label': 'Notebooks, in order' });
  private readonly loaded = h('div', { class: 'start-loaded', role: 'status' });
  private readonly warnings = h('div', { class: 'start-warnings' });
  private tables: TableSummary[] | null = null;
  private loading: string | null = null;
  private loads: LoadState[] = [];

  constructor(notebooks: Promise<ShippedNotebook[]>) {
    this.element = h(
      'main',
      { class: 'start-page', 'aria-label': 'Start' },
      h(
        'div',
        { class: 'start-inner' },
        h(
          'section',
          { class: 'start-intro' },
          h('h1', {}, 'Label Lab'),
          h(
            'p',
            { class: 'start-lead' },
            "A miner is paid by the network validator's score, not by accuracy against labels of its own choosing. " +
              'The validator scores your alert scores on integrity, behaviour, the address labels it holds, and how ' +
              'each alerted address evolves over the next 30 days (',
            docLink('docs/validator.md', 'how the validator scores'),
            ').',
          ),
          h(
            'p',
            {},
            'The SOT snapshots you are given carry no ground truth. Label Lab is where you choose what to learn from: ',
            h('strong', {}, 'proxy labels'),
            ' from the SOT’s own severity and confidence (',
            docLink('docs/proxy-labels.md', 'proxy labels'),
            '), ',
            h('strong', {}, 'evolution labels'),
            ' from the snapshot 30 days later, address labels, and your own or the community’s labels (',
            docLink('docs/labelling-guideline.md', 'labelling guideline'),
            '). Then you train every ',
            h('strong', {}, 'strategy'),
            ' on the same alerts, compare them on the same held-out date, and preview what the validator would pay (',
            docLink('docs/training.md', 'training'),
            '). Already have a model? Drop its scores file (the miner template’s output) anywhere: the ',
            h('strong', {}, 'Scores'),
            ' tab shows what the validator would pay it on the data loaded here.',
          ),
          h(
            'p',
            { class: 'start-note' },
            'Everything runs in this tab (DuckDB and TensorFlow.js): nothing you load leaves your machine.',
          ),
        ),
        h(
          'section',
          { class: 'start-section' },
          h('h2', {}, 'A path through the notebooks'),
          h('p', { class: 'hint' }, 'Each one runs on the data loaded now. Start with the first.'),
          this.path,
        ),
        h('section', { class: 'start-section' }, h('h2', {}, 'What is loaded'), this.loaded, this.warnings),
      ),
    );
    replaceChildren(this.path, h('li', { class: 'empty' }, 'Listing the notebooks…'));
    notebooks.then(
      (list) => this.renderPath(list),
      (err: Error) =>
        replaceChildren(this.path, h('li', { class: 'empty' }, `The notebooks could not be listed: ${err.message}`)),
    );
    this.renderLoaded();
  }

  /** The page was shown: a later visit opens on the data instead. */
  shown(): void {
    markSeen();
  }

  /** A load started. */
  loadStarted(label: string): void {
    this.loading = label;
    this.renderLoaded();
  }

  /** A load ended, with the problems it reported. */
  loadDone(label: string, problems: Problem[]): void {
    this.loading = null;
    this.loads.push({ label, problems });
    this.renderLoaded();
  }

  tablesChanged(tables: TableSummary[]): void {
    this.tables = tables;
    this.renderLoaded();
  }

  private renderPath(list: ShippedNotebook[]): void {
    if (list.length === 0) {
      replaceChildren(this.path, h('li', { class: 'empty' }, 'No notebooks shipped with this build.'));
      return;
    }
    replaceChildren(
      this.path,
      ...list.map((nb) => {
        const description = splitFrontMatter(nb.text).block?.data?.description;
        const step = /^(\d+)-/.exec(nb.name)?.[1];
        return h(
          'li',
          { class: 'start-step' },
          h('span', { class: 'start-step-number', 'aria-hidden': 'true' }, step ? String(Number(step)) : '·'),
          h(
            'div',
            { class: 'start-step-body' },
            h('a', { class: 'start-step-title', href: notebookHash(nb.name), 'data-notebook-link': nb.name }, nb.title),
            description ? h('p', { class: 'start-step-text' }, description) : null,
          ),
        );
      }),
    );
  }

  private renderLoaded(): void {
    const tables = this.tables;
    const status = this.loading
      ? h('p', { class: 'start-busy' }, `Loading ${this.loading}…`)
      : tables === null
        ? h('p', { class: 'start-busy' }, 'Starting the database…')
        : null;
    const list =
      tables && tables.length > 0
        ? h(
            'table',
            { class: 'start-tables' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Table'),
                h('th', { class: 'num' }, 'Rows'),
                h('th', { class: 'num' }, 'Columns'),
              ),
            ),
            h(
              'tbody',
              {},
              ...tables.map((t) =>
                h(
                  'tr',
                  { 'data-table': t.name, 'data-rows': t.rows },
                  h('td', {}, h('code', {}, t.name)),
                  h('td', { class: 'num' }, formatCount(t.rows)),
                  h('td', { class: 'num' }, formatCount(t.columns.length)),
                ),
              ),
            ),
          )
        : tables
          ? h('p', {}, 'Nothing is loaded. Add files or a folder in the Data tab, or drop them on the window.')
          : null;
    replaceChildren(this.loaded, status, list);
    this.renderWarnings();
  }

  private renderWarnings(): void {
    const blocks = this.loads.map((load) => {
      const errors = load.problems.filter((p) => p.level === 'error');
      const groups = groupLoadWarnings(load.problems);
      const warnings = groups.reduce((n, g) => n + g.problems.length, 0);
      const expected = groups.filter((g) => g.kind !== 'other').reduce((n, g) => n + g.problems.length, 0);
      const sample = load.label === 'the sample snapshot';
      const head =
        warnings + errors.length === 0
          ? `${capital(load.label)} loaded with no warnings.`
          : `${capital(load.label)}: ${[
              errors.length ? plural(errors.length, 'error') : '',
              warnings ? plural(warnings, 'warning') : '',
            ]
              .filter(Boolean)
              .join(
                ' and ',
              )}${sample && expected === warnings && errors.length === 0 ? ', all of them expected:' : '.'}`;
      return h(
        'div',
        { class: 'start-load', 'data-load': load.label, 'data-warnings': warnings, 'data-expected': expected },
        h('p', { class: 'start-load-head' }, head),
        groups.length ? h('ul', { class: 'start-warning-groups' }, ...groups.map((g) => warningItem(g, sample))) : null,
        errors.length
          ? h(
              'p',
              { class: 'start-load-errors' },
              `${plural(errors.length, 'file')} could not be loaded: see the Data tab's Problems.`,
            )
          : null,
      );
    });
    replaceChildren(this.warnings, ...blocks);
  }
}

/** One kind of warning; why the sample gives it only for the sample (the reasons are its own). */
function warningItem(g: WarningGroup, sample: boolean): HTMLElement {
  const unexplained = g.kind === 'other' && sample;
  return h(
    'li',
    { class: `start-warning-group${unexplained ? ' unexplained' : ''}`, 'data-kind': g.kind },
    h('span', { class: 'start-warning-summary' }, g.summary),
    sample && g.why ? h('span', { class: 'start-warning-why' }, ` ${g.why} `) : null,
    unexplained
      ? h('span', { class: 'start-warning-why' }, ' The bundled sample is not expected to give these.')
      : null,
    g.doc ? docLink(g.doc, 'More') : null,
  );
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
