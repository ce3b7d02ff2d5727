/**
 * Where a link in rendered Markdown (a notebook's prose, a doc) goes inside the app.
 *
 * The docs and notebooks link to each other with the relative paths that work on GitHub
 * (`../docs/proxy-labels.md`, `../notebooks/03-compare-strategies.md`, `labelling-guideline.md`).
 * Followed as they are, they would replace the app with raw Markdown and lose the loaded data.
 * So each is resolved against the path of the file it is written in, and one that names a doc
 * or a shipped notebook becomes an address inside the app (`#doc=docs/proxy-labels.md`,
 * `#nb=03-compare-strategies`); anything else opens in a new tab, so the app stays. No DOM here:
 * src/ui/doc-links.ts applies this to rendered elements.
 */

export type AppLink =
  /** A Markdown document the app renders in its Docs view; `path` is relative to the site root. */
  | { kind: 'doc'; path: string; anchor?: string }
  /** A shipped notebook, by its file name without `.md`. */
  | { kind: 'notebook'; name: string }
  /** Somewhere else on the same site or another one: opened in a new tab. */
  | { kind: 'external'; url: string }
  /** A link to a place on the same page (`#section`). */
  | { kind: 'fragment'; anchor: string };

/** The docs the app renders: the top-level docs/*.md, and any Markdown the sample ships. */
const DOC_PATH = /^(docs\/[^/]+\.md|sample-data\/(?:[^/]+\/)*[^/]+\.md)$/i;
const NOTEBOOK_PATH = /^notebooks\/([^/]+)\.md$/i;

/** Whether `path` (relative to the site root) is a document the app renders. */
export function isDocPath(path: string): boolean {
  return DOC_PATH.test(path) && !path.split('/').includes('..');
}

/**
 * Resolve `href`, written in the file at `fromPath` (relative to the site root, such as
 * `notebooks/02-proxy-label-thresholds.md` or `docs/proxy-labels.md`), for an app served at
 * `siteRoot` (its base URL, ending in `/`).
 */
export function resolveAppLink(href: string, fromPath: string, siteRoot: string): AppLink {
  if (href.startsWith('#')) return { kind: 'fragment', anchor: decodeURIComponent(href.slice(1)) };
  const site = new URL(siteRoot);
  let url: URL;
  try {
    url = new URL(href, new URL(fromPath, site));
  } catch {
    return { kind: 'external', url: href };
  }
  if (url.origin !== site.origin || !url.pathname.startsWith(site.pathname)) return { kind: 'external', url: url.href };
  const path = decodeURIComponent(url.pathname.slice(site.pathname.length));
  const notebook = NOTEBOOK_PATH.exec(path);
  if (notebook && !/^readme$/i.test(notebook[1]!)) return { kind: 'notebook', name: notebook[1]! };
  if (isDocPath(path)) {
    const anchor = url.hash ? decodeURIComponent(url.hash.slice(1)) : '';
    return anchor ? { kind: 'doc', path, anchor } : { kind: 'doc', path };
  }
  return { kind: 'external', url: url.href };
}

/** The address hash that opens a doc in the app, at the heading `section` names when given. */
export function docHash(path: string, section?: string): string {
  return '#' + new URLSearchParams({ doc: path, ...(section && { section }) }).toString();
}

/** The heading an address hash opens its doc at (a link's `#anchor`), or null. */
export function docSectionFromHash(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get('section') || null;
}

/** The doc an address hash names, or null (also for a path that is not a doc the app renders). */
export function docFromHash(hash: string): string | null {
  const path = new URLSearchParams(hash.replace(/^#/, '')).get('doc');
  return path && isDocPath(path) ? path : null;
}

/** The address hash that opens a shipped notebook (share-link.ts reads it). */
export function notebookHash(name: string): string {
  return '#' + new URLSearchParams({ nb: name }).toString();
}
