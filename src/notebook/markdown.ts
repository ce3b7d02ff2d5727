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
 *
 * Inline expressions (`${board.entries[strategy=proxy].roc_auc}`, prose-refs.ts) are a token of
 * their own, so one inside a code span stays text: given `refs`, each becomes a span holding the
 * value's text, escaped (or its placeholder, "(waiting for board)"); without `refs` it is shown
 * as written.
 */
import { Marked, type Tokens } from 'marked';
import { parseProseRef, type ProseRef, type RefText } from './prose-refs.ts';

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

/** The resolver of the renderMarkdown call in progress (marked renders synchronously). */
let resolving: ((ref: ProseRef) => RefText) | undefined;

interface RefToken {
  type: 'proseRef';
  raw: string;
  ref: ProseRef;
}

const marked = new Marked({
  gfm: true,
  extensions: [
    {
      name: 'proseRef',
      level: 'inline',
      start(src: string) {
        const at = src.indexOf('${');
        return at < 0 ? undefined : at;
      },
      tokenizer(src: string): RefToken | undefined {
        const m = /^\$\{([^}\n]{1,300})\}/.exec(src);
        const ref = m ? parseProseRef(m[1]!) : null;
        return m && ref ? { type: 'proseRef', raw: m[0], ref } : undefined;
      },
      renderer(token) {
        const { raw, ref } = token as unknown as RefToken;
        if (!resolving) return escapeHtml(raw);
        const value = resolving(ref);
        return `<span class="nb-ref" data-ref="${escapeHtml(ref.source)}" data-state="${value.state}">${escapeHtml(value.text)}</span>`;
      },
    },
  ],
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

/**
 * HTML for `text`; `purify` adds DOMPurify's pass where it is supported (the browser); `refs`
 * gives inline expressions their values (a notebook's prose; docs pass none).
 */
export function renderMarkdown(text: string, purify?: Sanitizer, refs?: (ref: ProseRef) => RefText): string {
  resolving = refs;
  let html: string;
  try {
    html = marked.parse(text, { async: false });
  } finally {
    resolving = undefined;
  }
  return purify?.isSupported ? purify.sanitize(html) : html;
}
