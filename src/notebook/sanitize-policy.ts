/**
 * The one allow-list for HTML made from notebook prose: which elements, which attributes on
 * each (and, for some, which values) and which URLs it may contain. Every sanitiser is
 * configured from here: DOMPurify in the browser (`purifySanitizer`, this file) and
 * sanitize-html in Node (sanitize-node.ts, kept apart so browser bundles do not carry it); the
 * Markdown renderer (markdown.ts) applies `isSafeUrl` to link and image URLs itself as well.
 *
 * What is allowed is what marked writes for GFM and nothing else: paragraphs, headings, lists
 * (with `start`), task lists (a disabled checkbox), tables (with `align`), code (a
 * `language-*` class on fenced code), emphasis, strike-through, quotes, rules, line breaks,
 * links (href, title), images (src, alt, title), and the span an inline expression becomes
 * (`span.nb-ref` with data-ref and data-state, prose-refs.ts). No `style`, no `id`, no event
 * handlers, no other classes.
 *
 * URLs: http, https, mailto, fragments and relative paths only; a URL that names any other
 * scheme (javascript:, vbscript:, data:, file:, ...), however it is hidden by case, entities,
 * whitespace or control characters, is not allowed.
 *
 * The rest of a report (header, params, tables, plots) is not prose: report.ts builds it as DOM
 * nodes, so no notebook text is ever parsed as HTML there; `scrubTree` checks that tree against
 * this policy afterwards as a second line (see report.ts).
 *
 * This module imports nothing at run time, so the browser and Node can both use it.
 */
import type { DOMPurify } from 'dompurify';

/** An attribute an element may carry; with `values`, only one of those. */
export interface AllowedAttribute {
  name: string;
  values?: readonly string[];
}

const attr = (name: string, values?: readonly string[]): AllowedAttribute => (values ? { name, values } : { name });

/** Elements prose may contain, each with the attributes it may carry. */
export const PROSE_ELEMENTS: Readonly<Record<string, readonly AllowedAttribute[]>> = {
  p: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  ul: [],
  ol: [attr('start')],
  li: [],
  // Task lists: marked writes `<input checked="" disabled="" type="checkbox">`.
  input: [attr('type', ['checkbox']), attr('disabled'), attr('checked')],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: [attr('align', ['left', 'center', 'right'])],
  td: [attr('align', ['left', 'center', 'right'])],
  pre: [],
  code: [attr('class')],
  em: [],
  strong: [],
  del: [],
  blockquote: [],
  hr: [],
  br: [],
  a: [attr('href'), attr('title')],
  img: [attr('src'), attr('alt'), attr('title')],
  span: [attr('class'), attr('data-ref'), attr('data-state', ['ok', 'waiting', 'missing'])],
};

/** Classes allowed per element (the `class` attribute is checked word by word against these). */
export const PROSE_CLASSES: Readonly<Record<string, RegExp>> = {
  code: /^language-[\w+#.-]{1,40}$/,
  span: /^nb-ref$/,
};

export const PROSE_TAGS: readonly string[] = Object.keys(PROSE_ELEMENTS);

/** Every attribute some prose element may carry (DOMPurify's list is flat; the hook narrows it). */
export const PROSE_ATTRIBUTES: readonly string[] = [
  ...new Set(Object.values(PROSE_ELEMENTS).flatMap((as) => as.map((a) => a.name))),
];

/** Attributes holding a URL. */
export const URL_ATTRIBUTES: readonly string[] = [
  'href',
  'src',
  'xlink:href',
  'action',
  'formaction',
  'cite',
  'poster',
];

/** Schemes a URL may name; anything without a scheme (fragment, relative path) is allowed too. */
export const SAFE_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];

/**
 * A URL that is safe to link to: http(s), mailto, a fragment, or a relative path (nothing
 * before the first `/`, `?` or `#` that ends in `:`). Tested after ASCII whitespace and control
 * characters are taken out, since browsers ignore them inside a scheme ("java\tscript:").
 * Given to DOMPurify as ALLOWED_URI_REGEXP (it strips the same characters before testing).
 */
export const SAFE_URL = /^(?:https?:|mailto:|#|\/|\.{0,2}\/|[^:/?#]*(?:[/?#]|$))/i;

/** Whether `url` (entities already decoded, as in a DOM attribute or a marked token) is safe. */
export function isSafeUrl(url: string): boolean {
  return SAFE_URL.test(url.replace(/[\u0000-\u0020\u007f-\u009f]/g, ''));
}

/** Whether `value` may stand in attribute `name` of prose element `tag` (names lower case). */
export function allowedAttribute(tag: string, name: string, value: string): boolean {
  const spec = PROSE_ELEMENTS[tag]?.find((a) => a.name === name);
  if (!spec) return false;
  if (spec.values && !spec.values.includes(value.toLowerCase())) return false;
  if (URL_ATTRIBUTES.includes(name) && !isSafeUrl(value)) return false;
  if (name === 'class') {
    const allowed = PROSE_CLASSES[tag];
    return !!allowed && value.split(/\s+/).every((c) => c === '' || allowed.test(c));
  }
  return true;
}

/** Elements whose content is dropped along with them (not shown as text). */
export const DROP_WITH_CONTENT: readonly string[] = [
  'script',
  'style',
  'textarea',
  'option',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'title',
  'xmp',
  'noembed',
  'noframes',
];

/** What a sanitiser does to prose HTML (markdown.ts takes one of these). */
export interface Sanitizer {
  /** False where the sanitiser cannot work here (DOMPurify without a real DOM). */
  isSupported?: boolean;
  sanitize(html: string): string;
}

/**
 * DOMPurify (over a real window: `DOMPurify(window)`) configured from this policy. A hook on the
 * instance narrows the flat attribute list to each element's own attributes and values, and
 * holds every URL to `isSafeUrl` (DOMPurify alone would let an image have a `data:` src).
 * Throws where DOMPurify cannot work (over linkedom it reports `isSupported: false` and would
 * return its input unchanged), rather than seem to protect.
 */
export function purifySanitizer(purify: DOMPurify): Sanitizer {
  if (!purify.isSupported) throw new Error('DOMPurify is not supported here (no real DOM): it would sanitise nothing');
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    if (!allowedAttribute(node.nodeName.toLowerCase(), data.attrName, data.attrValue)) data.keepAttr = false;
  });
  const config = {
    ALLOWED_TAGS: [...PROSE_TAGS],
    ALLOWED_ATTR: [...PROSE_ATTRIBUTES],
    ALLOWED_URI_REGEXP: SAFE_URL,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ADD_FORBID_CONTENTS: [...DROP_WITH_CONTENT],
    KEEP_CONTENT: true,
  };
  return { isSupported: true, sanitize: (html) => purify.sanitize(html, config) };
}

/** Elements a report must never hold, prose or not (`scrubTree` removes them). */
const FORBIDDEN_ELEMENTS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'portal',
  'base',
  'meta',
  'link',
  'form',
  'button',
  'textarea',
  'select',
  'foreignobject',
  'animate',
  'set',
  'animatemotion',
  'animatetransform',
  'handler',
  'listener',
]);

/**
 * A second line for HTML built as DOM nodes (a report's header, tables, plots): removes any
 * element a report must never hold, any `on*` attribute, any URL attribute `isSafeUrl` refuses
 * and any style attribute with `url(`. One exception: an SVG `<image>` may show a `data:image/`
 * URL (Plot's colour legends in headless reports, headless-dom.ts); an image document never runs
 * scripts. Returns what it removed, for tests.
 */
export function scrubTree(root: Element): string[] {
  const removed: string[] = [];
  for (const el of [...root.querySelectorAll('*')]) {
    const tag = el.localName.toLowerCase();
    if (FORBIDDEN_ELEMENTS.has(tag)) {
      removed.push(`<${tag}>`);
      el.remove();
      continue;
    }
    for (const { name, value } of [...el.attributes]) {
      const lc = name.toLowerCase();
      const url = lc === 'href' || lc.endsWith(':href') || URL_ATTRIBUTES.includes(lc);
      const dataImage = tag === 'image' && /^data:image\/(?:png|svg\+xml|jpeg|gif|webp)[;,]/i.test(value.trim());
      if (
        lc.startsWith('on') ||
        (url && !isSafeUrl(value) && !dataImage) ||
        (lc === 'style' && /url\s*\(|expression\s*\(/i.test(value))
      ) {
        removed.push(`${tag}[${lc}]`);
        el.removeAttribute(name);
      }
    }
  }
  return removed;
}
