/**
 * Links inside rendered Markdown, made to stay in the app: a link to a doc or a shipped notebook
 * becomes the app's own address for it (`#doc=…`, `#nb=…`, which main.ts routes), so following
 * it keeps the loaded data; any other link opens in a new tab. Relative images are resolved
 * against the file they are written in. The resolution itself is src/util/app-links.ts.
 */
import { docHash, notebookHash, resolveAppLink } from '../util/app-links.ts';

/** The app's base URL (where /docs/, /notebooks/ and /sample-data/ are served). */
export function siteRoot(): string {
  return new URL(import.meta.env.BASE_URL, location.href).href;
}

/** Rewrite the links and images under `root`, written in the file at `fromPath` (`docs/x.md`). */
export function keepLinksInApp(root: HTMLElement, fromPath: string): void {
  const site = siteRoot();
  for (const a of root.querySelectorAll<HTMLAnchorElement>('a[href]')) {
    const href = a.getAttribute('href')!;
    const link = resolveAppLink(href, fromPath, site);
    if (link.kind === 'doc') {
      a.setAttribute('href', docHash(link.path, link.anchor));
      a.dataset.doc = link.path;
    } else if (link.kind === 'notebook') {
      a.setAttribute('href', notebookHash(link.name));
      a.dataset.notebookLink = link.name;
    } else if (link.kind === 'external') {
      a.setAttribute('href', link.url);
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
    } else {
      // Headings carry no ids, and the hash is the app's address: a same-page link would
      // replace it, so it scrolls to the heading whose text it names instead.
      a.removeAttribute('href');
      a.setAttribute('role', 'link');
      a.tabIndex = 0;
      a.classList.add('fragment-link');
      const go = (): void => void scrollToHeading(root, link.anchor);
      a.addEventListener('click', go);
      a.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') go();
      });
    }
  }
  for (const img of root.querySelectorAll<HTMLImageElement>('img[src]')) {
    const link = resolveAppLink(img.getAttribute('src')!, fromPath, site);
    if (link.kind === 'external') img.src = link.url;
    else if (link.kind === 'doc') img.src = new URL(link.path, site).href;
  }
}

/** GitHub's anchor for a heading: lower case, spaces to dashes, punctuation dropped. */
function slug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

/** Scroll to the heading under `root` whose GitHub anchor is `anchor`; false when none is. */
export function scrollToHeading(root: HTMLElement, anchor: string): boolean {
  const heading = [...root.querySelectorAll<HTMLElement>('h1, h2, h3, h4, h5, h6')].find(
    (el) => slug(el.textContent ?? '') === anchor.toLowerCase(),
  );
  heading?.scrollIntoView({ block: 'start' });
  return heading !== undefined;
}
