/**
 * Problems found by loads, newest load first: errors (the file was not loaded) in red, warnings
 * (loaded, but look) in amber. Each names its file, and its column where the loader knows it.
 */
import type { Problem } from '../sot/lab.ts';
import { h } from './dom.ts';

export class ProblemsPanel {
  readonly element: HTMLElement;
  private readonly list = h('div', { class: 'problem-groups' });
  private readonly count = h('span', { class: 'panel-count' });
  private readonly clear = h('button', { type: 'button', class: 'link-button', onclick: () => this.reset() }, 'Clear');
  private total = 0;

  constructor() {
    this.element = h('section', { class: 'panel problems', 'aria-label': 'Problems', hidden: true }, h('div', { class: 'panel-head' }, h('h2', { class: 'panel-title' }, 'Problems ', this.count), this.clear), this.list);
  }

  /** Add one load's problems under its label; a load without problems adds nothing. */
  add(label: string, problems: Problem[]): void {
    if (problems.length === 0) return;
    const errors = problems.filter((p) => p.level === 'error');
    const sorted = [...errors, ...problems.filter((p) => p.level !== 'error')];
    const group = h(
      'div',
      { class: 'problem-group' },
      h('div', { class: 'problem-group-head' }, h('span', { class: 'problem-group-label', title: label }, heading(label)), h('span', { class: 'problem-group-time' }, new Date().toLocaleTimeString())),
      h('ul', { class: 'problem-list' }, ...sorted.map(renderProblem)),
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
    h('span', { class: 'problem-badge' }, p.level === 'error' ? 'Error' : 'Warning'),
    h(
      'div',
      { class: 'problem-body' },
      h('p', { class: 'problem-where' }, h('span', { class: 'problem-file', title: p.file }, p.file), p.column ? h('span', { class: 'problem-column' }, p.column) : null),
      h('p', { class: 'problem-message' }, withoutFilePrefix(p)),
    ),
  );
}

/**
 * Messages start with the file's path so they stand alone (in logs, in the CLI); here the path
 * is already the line above, so the message is shown from the point where it says something.
 */
function withoutFilePrefix(p: Problem): string {
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
