/**
 * The Docs view: the Markdown documents shipped with the app (docs/*.md, the sample's README and
 * notes) rendered inside it, with the notebook prose's renderer and sanitiser, so that reading
 * one never leaves the app or drops the loaded data. Links between docs and to notebooks are
 * the app's own addresses (doc-links.ts); the address hash names the open doc (`#doc=…`).
 */
import DOMPurify from 'dompurify';
import { renderMarkdown } from '../notebook/markdown.ts';
import { purifySanitizer } from '../notebook/sanitize-policy.ts';
import { docHash, isDocPath } from '../util/app-links.ts';
import { keepLinksInApp, scrollToHeading } from './doc-links.ts';
import { h, replaceChildren } from './dom.ts';
import './docs.css';

// DOMPurify configured from the prose allow-list (src/notebook/sanitize-policy.ts), as headless reports are.
const purify = purifySanitizer(DOMPurify(window));

interface Listing {
  files: { path: string; size: number }[];
}

export interface DocEntry {
  /** Relative to the site root: `docs/proxy-labels.md`, `sample-data/README.md`. */
  path: string;
  title: string;
}

async function fetchListing(url: string): Promise<string[]> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} could not be fetched (HTTP ${res.status})`);
  return ((await res.json()) as Listing).files.map((f) => f.path);
}

async function fetchDoc(path: string, base: string): Promise<string> {
  const res = await fetch(`${base}${path.split('/').map(encodeURIComponent).join('/')}`);
  if (!res.ok) throw new Error(`${path} could not be fetched (HTTP ${res.status})`);
  return res.text();
}

/** A doc's first `# ` heading, or its file name. */
export function docTitle(text: string, path: string): string {
  const heading = /^#\s+(.+)$/m.exec(text);
  return heading?.[1]?.trim() ?? path.split('/').pop()!.replace(/\.md$/i, '');
}

/** Every doc the app serves, with its title: docs/ first, then the sample's notes. */
export async function listDocs(base: string = import.meta.env.BASE_URL): Promise<DocEntry[]> {
  const [docs, sample] = await Promise.all([
    fetchListing(`${base}docs.json`).then((files) => files.map((f) => `docs/${f}`)),
    fetchListing(`${base}sample-data.json`)
      .then((files) => files.map((f) => `sample-data/${f}`))
      .catch(() => [] as string[]),
  ]);
  const paths = [...docs, ...sample].filter(isDocPath);
  return Promise.all(
    paths.map(async (path) => ({ path, title: docTitle(await fetchDoc(path, base).catch(() => ''), path) })),
  );
}

export class DocsView {
  readonly element: HTMLElement;
  private readonly list = h('ul', { class: 'doc-list', 'aria-label': 'Documents' });
  private readonly body = h('article', { class: 'doc-body' });
  private readonly pane = h('main', { class: 'doc-main' }, this.body);
  private docs: DocEntry[] = [];
  private current: string | null = null;
  /** The current doc's rendering, done or under way. */
  private rendered: Promise<void> = Promise.resolve();
  private readonly listed: Promise<void>;

  constructor() {
    this.element = h(
      'div',
      { class: 'docs-view' },
      h(
        'aside',
        { class: 'sidebar doc-sidebar' },
        h('section', { class: 'panel' }, h('h2', { class: 'panel-title' }, 'Docs'), this.list),
        h(
          'p',
          { class: 'hint' },
          'Links to notebooks open them in the Notebooks tab; the data you loaded stays loaded.',
        ),
      ),
      this.pane,
    );
    this.listed = listDocs()
      .then((docs) => {
        this.docs = docs;
        this.renderList();
      })
      .catch((err: Error) => {
        replaceChildren(this.list, h('li', { class: 'empty' }, `The docs could not be listed: ${err.message}`));
      });
  }

  /** The docs, once listed (the start page links to them). */
  async entries(): Promise<DocEntry[]> {
    await this.listed;
    return this.docs;
  }

  /** The view was shown without a doc named: open the first one. */
  async shown(): Promise<void> {
    await this.listed;
    if (!this.current && this.docs[0]) await this.open(this.docs[0].path);
  }

  /**
   * Show the doc at `path`, at the heading `section` names (a link's `#anchor`) or at its top;
   * an unknown or failing one is said in the pane. The same doc again only scrolls.
   */
  async open(path: string, section?: string): Promise<void> {
    if (path !== this.current) {
      this.current = path;
      this.element.dataset.doc = path;
      this.renderList();
      this.rendered = this.render(path);
    }
    await this.rendered;
    if (this.current === path && section) this.scrollTo(section);
  }

  private async render(path: string): Promise<void> {
    let text: string;
    try {
      text = await fetchDoc(path, import.meta.env.BASE_URL);
    } catch (err) {
      if (this.current !== path) return;
      replaceChildren(
        this.body,
        h(
          'div',
          { class: 'stage-message error' },
          h('h2', {}, 'This doc could not be opened'),
          h('p', {}, (err as Error).message),
        ),
      );
      return;
    }
    if (this.current !== path) return;
    // The notebook prose's renderer: raw HTML shown as text, unsafe links removed, DOMPurify after.
    this.body.innerHTML = renderMarkdown(text, purify);
    keepLinksInApp(this.body, path);
    this.body.dataset.path = path;
    delete this.body.dataset.section;
    this.pane.scrollTop = 0;
  }

  /** Bring the heading `section` names into view, and say which one it was (for tests). */
  private scrollTo(section: string): void {
    if (scrollToHeading(this.body, section)) this.body.dataset.section = section;
    else delete this.body.dataset.section;
  }

  private renderList(): void {
    replaceChildren(
      this.list,
      ...this.docs.map((d) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              class: 'doc-item',
              href: docHash(d.path),
              'data-doc': d.path,
              'aria-current': String(d.path === this.current),
            },
            h('span', { class: 'doc-item-title' }, d.title),
            h('span', { class: 'doc-item-path' }, d.path),
          ),
        ),
      ),
    );
  }
}
