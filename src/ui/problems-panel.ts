/**
 * Problems found by loads, newest load first: errors (the file was not loaded) in red, warnings
 * (loaded, but look) in amber. Each names its file, and its column where the loader knows it.
 */
import type { Problem } from '../sot/lab.ts';
import { h, plural } from './dom.ts';

export class ProblemsPanel {
  readonly element: HTMLElement;
  private readonly list = h('div', { class: 'problem-groups' });
  private readonly count = h('span', { class: 'panel-count' });
  private readonly clear = h('button', { type: 'button', class: 'link-button', onclick: () => this.reset() }, 'Clear');
  private total = 0;

  constructor() {
    this.element = h(
      'section',
      { class: 'panel problems', 'aria-label': 'Problems', hidden: true },
      h('div', { class: 'panel-head' }, h('h2', { class: 'panel-title' }, 'Problems ', this.count), this.clear),
      this.list,
    );
  }

  /**
   * Add one load's problems under its label; a load without problems adds nothing. A group with
   * errors opens; one with only warnings starts folded to its summary, so a snapshot's routine
   * warnings do not push the tables list off the screen.
   */
  add(label: string, problems: Problem[]): void {
    if (problems.length === 0) return;
    const errors = problems.filter((p) => p.level === 'error');
    const warnings = problems.filter((p) => p.level !== 'error');
    const counts = [
      errors.length ? plural(errors.length, 'error') : '',
      warnings.length ? plural(warnings.length, 'warning') : '',
    ]
      .filter(Boolean)
      .join(', ');
    const group = h(
      'details',
      { class: 'problem-group', open: errors.length > 0 },
      h(
        'summary',
        { class: 'problem-group-head', title: `${label}, loaded at ${new Date().toLocaleTimeString()}` },
        h('span', { class: 'problem-group-label', title: label }, heading(label)),
        h('span', { class: `problem-group-counts ${errors.length ? 'has-errors' : 'only-warnings'}` }, counts),
      ),
      h('ul', { class: 'problem-list' }, ...[...errors, ...warnings].map(renderProblem)),
    );
    this.list.prepend(group);
    this.total += problems.length;
    this.count.textContent = String(this.total);
    this.element.hidden = false;
  }

  private reset(): void {
    this.list.replaceChildren();
    this.total = 0;
    this.element.hidden = true;
  }
}

function renderProblem(p: Problem): HTMLElement {
  return h(
    'li',
    { class: `problem ${p.level}`, 'data-level': p.level, 'data-file': p.file, 'data-column': p.column },
    h(
      'p',
      { class: 'problem-where' },
      h('span', { class: 'problem-badge' }, p.level === 'error' ? 'Error' : 'Warning'),
      h('span', { class: 'problem-file', title: p.file }, ...pathSegments(p.file)),
    ),
    p.column ? h('p', { class: 'problem-column', title: p.column }, p.column) : null,
    h('p', { class: 'problem-message' }, withoutFilePrefix(p)),
  );
}

/**
 * A path as unbreakable segments ("2025-10-06/") that wrap only between each other: a long
 * snapshot path then breaks at its slashes, never inside a date. The text stays the path.
 */
function pathSegments(path: string): HTMLElement[] {
  return path.split(/(?<=\/)/).map((segment) => h('span', { class: 'path-segment' }, segment));
}

/**
 * Messages start with the file's path so they stand alone (in logs, in the CLI); here the path
 * is already the line above, so the message is shown from the point where it says something.
 */
export function withoutFilePrefix(p: Pick<Problem, 'file' | 'message'>): string {
  const prefix = `${p.file}: `;
  if (!p.message.startsWith(prefix)) return p.message;
  const rest = p.message.slice(prefix.length);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/** "the sample snapshot" reads as a heading capitalised; a file name is shown exactly as it is. */
function heading(label: string): string {
  const isPath = !label.includes(' ') && /[./]/.test(label);
  return isPath ? label : label.charAt(0).toUpperCase() + label.slice(1);
}
