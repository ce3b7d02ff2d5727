/**
 * The app frame: a top bar with the app's name, one tab per view, and the engine's state.
 * Views register themselves (`addView`); the first one added is shown until another is asked
 * for, and others slot in beside it without the shell changing. The app's name opens the first
 * view (the start page) too.
 */
import { h, replaceChildren } from './dom.ts';

export interface View {
  id: string;
  label: string;
  element: HTMLElement;
  /** Called each time the view is shown (it may defer work until it is first seen). */
  onShow?: () => void;
}

export class Shell {
  private readonly tabs = h('nav', { class: 'view-tabs', 'aria-label': 'Views' });
  private readonly engine = h('span', { class: 'engine-state', role: 'status' });
  private readonly stage = h('div', { class: 'view-stage' });
  private readonly views: View[] = [];
  private current: string | null = null;

  constructor(root: HTMLElement) {
    replaceChildren(
      root,
      h(
        'header',
        { class: 'topbar' },
        h(
          'button',
          {
            type: 'button',
            class: 'brand',
            title: 'Label Lab: the start page',
            onclick: () => {
              const first = this.views[0];
              if (first) this.show(first.id);
            },
          },
          h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
          h('span', { class: 'brand-name' }, 'Label Lab'),
        ),
        this.tabs,
        this.engine,
      ),
      this.stage,
    );
  }

  /** What the engine is doing, in the top bar's corner ("Starting DuckDB…", "Ready"). */
  setEngineState(text: string, state: 'busy' | 'ready' | 'error'): void {
    this.engine.textContent = text;
    this.engine.dataset.state = state;
  }

  /** Fill the stage with a message while no view can be shown (start-up, a fatal error). */
  showMessage(title: string, detail: string, kind: 'busy' | 'error' = 'busy'): void {
    replaceChildren(this.stage, h('div', { class: `stage-message ${kind}` }, h('h2', {}, title), h('p', {}, detail)));
  }

  addView(view: View): void {
    this.views.push(view);
    this.tabs.append(
      h(
        'button',
        { type: 'button', class: 'view-tab', 'data-view': view.id, onclick: () => this.show(view.id) },
        view.label,
      ),
    );
    if (!this.current) this.show(view.id);
  }

  /** The view shown now, by id. */
  get shown(): string | null {
    return this.current;
  }

  show(id: string): void {
    const view = this.views.find((v) => v.id === id);
    if (!view) return;
    this.current = id;
    replaceChildren(this.stage, view.element);
    for (const tab of this.tabs.querySelectorAll<HTMLElement>('.view-tab')) {
      tab.setAttribute('aria-current', String(tab.dataset.view === id));
    }
    view.onShow?.();
  }
}
