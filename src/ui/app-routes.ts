/**
 * The app's addresses: `#doc=docs/x.md` shows a doc in the Docs tab, `#nb=NAME` a notebook in
 * the Notebooks tab (which opens it itself, share-link.ts). Links in rendered Markdown carry
 * these addresses (doc-links.ts); a click on one is kept in the page (a history entry, so Back
 * returns) instead of a navigation, and the loaded data stays. Links in a notebook's prose keep
 * the relative paths they are written with (`../docs/x.md`), resolved here when clicked.
 */

/** Rendered notebook prose: its relative links are written beside the shipped notebooks. */
const PROSE = '.nb-prose-body';
const NOTEBOOKS_FOLDER = 'notebooks/';

function go(href: string): void {
  if (href !== location.hash) history.pushState(history.state, '', href);
  // The same event a typed address gives, so the Notebooks view opens a named notebook too.
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** Where a click on a prose link goes: an app address, a new tab, or null to leave it alone. */
function proseTarget(a: Element): { hash: string } | { tab: string } | null {
  const href = a.getAttribute('href');
  if (!href || href.startsWith('#')) return null;
  const link = resolveAppLink(href, NOTEBOOKS_FOLDER, siteRoot());
  if (link.kind === 'doc') return { hash: docHash(link.path, link.anchor) };
  if (link.kind === 'notebook') return { hash: notebookHash(link.name) };
  if (link.kind === 'external') return { tab: link.url };
  return null;
}
import { docFromHash, docHash, docSectionFromHash, notebookHash, resolveAppLink } from '../util/app-links.ts';
import { siteRoot } from './doc-links.ts';
import type { DocsView } from './docs-view.ts';
import { parseLink } from './share-link.ts';
import type { Shell } from './shell.ts';

/** Show what the address names; false when it names nothing. */
export function routeAddress(shell: Shell, docs: DocsView, hash: string = location.hash): boolean {
  const doc = docFromHash(hash);
  if (doc) {
    shell.show('docs');
    void docs.open(doc, docSectionFromHash(hash) ?? undefined);
    return true;
  }
  if (parseLink(hash)) {
    shell.show('notebooks');
    return true;
  }
  return false;
}

export function installRoutes(shell: Shell, docs: DocsView): void {
  window.addEventListener('hashchange', () => routeAddress(shell, docs));
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const target = e.target as Element | null;
    // Leaving the Docs tab by its tab: the address stops naming the doc, so a reload opens
    // what the app opens without one instead of the doc again.
    const tab = target?.closest?.<HTMLElement>('.view-tab, .brand');
    if (tab && tab.dataset.view !== 'docs' && docFromHash(location.hash)) {
      history.replaceState(history.state, '', location.pathname + location.search);
      return;
    }
    const a = target?.closest?.('a[href^="#doc="], a[href^="#nb="]');
    if (a) {
      e.preventDefault();
      go(a.getAttribute('href')!);
      return;
    }
    const prose = target?.closest?.(`${PROSE} a[href]`);
    const to = prose ? proseTarget(prose) : null;
    if (!to) return;
    e.preventDefault();
    if ('hash' in to) go(to.hash);
    else window.open(to.tab, '_blank', 'noopener');
  });
}
