/**
 * Notebook prose → HTML that is safe to insert into a page.
 *
 * Safe by construction, then sanitised against one allow-list (sanitize-policy.ts):
 * 1. marked renders with raw HTML turned off: any `<tag>` in the prose is shown as text, so the
 *    only elements in the output are the ones marked itself writes, with escaped text;
 * 2. link and image URLs are limited to http(s), mailto, fragments and relative paths
 *    (a `javascript:` link keeps its text and loses its target);
 * 3. the sanitiser given sanitises the result against the policy's tags, per-tag attributes
 *    and URL schemes: in the browser `purifySanitizer(DOMPurify(window))`, in Node (headless
 *    reports) `nodeSanitizer` (sanitize-node.ts, sanitize-html, which needs no DOM). Every
 *    caller in src passes one (report.ts defaults to `nodeSanitizer`); without one only steps
 *    1 and 2 apply. A sanitiser that says it cannot work here (DOMPurify over linkedom reports
 *    `isSupported: false` and returns its input unchanged) is refused with an error rather
 *    than trusted.
 *
 * Inline expressions (`${board.entries[strategy=proxy].roc_auc}`, prose-refs.ts) are a token of
 * their own, so one inside a code span stays text: given `refs`, each becomes a span holding the
 * value's text, escaped (or its placeholder, "(waiting for board)"); without `refs` it is shown
 * as written.
 */
import { Marked, type Tokens } from 'marked';
import { parseProseRef, type ProseRef, type RefText } from './prose-refs.ts';
import { isSafeUrl, type Sanitizer } from './sanitize-policy.ts';

export { isSafeUrl, type Sanitizer };

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
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
 * HTML for `text`, sanitised by `sanitizer` (see above: `purifySanitizer` in the browser,
 * `nodeSanitizer` in Node); `refs` gives inline expressions their values (a notebook's prose;
 * docs pass none).
 */
export function renderMarkdown(text: string, sanitizer?: Sanitizer, refs?: (ref: ProseRef) => RefText): string {
  // DOMPurify leaves isSupported false or undefined where the DOM it was given is not enough.
  if (sanitizer && 'isSupported' in sanitizer && !sanitizer.isSupported)
    throw new Error('the sanitiser given cannot work here (no real DOM?)');
  resolving = refs;
  let html: string;
  try {
    html = marked.parse(text, { async: false });
  } finally {
    resolving = undefined;
  }
  return sanitizer ? sanitizer.sanitize(html) : html;
}
