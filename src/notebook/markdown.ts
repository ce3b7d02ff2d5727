/**
 * Notebook prose → HTML that is safe to insert into a page.
 *
 * Safe by construction, then sanitised where a sanitiser can work:
 * 1. marked renders with raw HTML turned off: any `<tag>` in the prose is shown as text, so the
 *    only elements in the output are the ones marked itself writes, with escaped text;
 * 2. link and image URLs are limited to http(s), mailto, fragments and relative paths
 *    (a `javascript:` link becomes plain text);
 * 3. a DOMPurify instance, when given, sanitises the result as well. In the browser pass
 *    `DOMPurify(window)`. In Node there is no DOM DOMPurify accepts: over linkedom's window it
 *    reports `isSupported: false` and `sanitize` returns its input unchanged, so it would only
 *    look like protection; steps 1 and 2 are what protect headless reports.
 */
import { Marked, type Tokens } from 'marked';

export interface Sanitizer {
  /** DOMPurify leaves this false or undefined where the DOM it was given is not enough. */
  isSupported?: boolean;
  sanitize(html: string): string;
}

const SAFE_URL = /^(https?:|mailto:|#|\/|\.{0,2}\/|[^:/?#]*(?:[/?#]|$))/i;

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function isSafeUrl(url: string): boolean {
  // Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
  const compact = url.replace(/[\u0000-\u0020]/g, '');
  return SAFE_URL.test(compact);
}

const marked = new Marked({
  gfm: true,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
  },
  walkTokens(token) {
    if ((token.type === 'link' || token.type === 'image') && !isSafeUrl((token as Tokens.Link).href)) {
      (token as Tokens.Link).href = '#unsafe-link-removed';
    }
  },
});

/** HTML for `text`; `purify` adds DOMPurify's pass where it is supported (the browser). */
export function renderMarkdown(text: string, purify?: Sanitizer): string {
  const html = marked.parse(text, { async: false });
  return purify?.isSupported ? purify.sanitize(html) : html;
}
