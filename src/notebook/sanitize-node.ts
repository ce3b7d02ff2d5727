/**
 * The sanitiser for prose HTML where there is no real DOM (headless runs, `lab run`'s reports):
 * sanitize-html (htmlparser2, no DOM needed) configured from sanitize-policy.ts, the same
 * allow-list the browser's DOMPurify gets. Only Node code imports this (report.ts, tests), so
 * browser bundles do not carry sanitize-html; the browser uses `purifySanitizer`.
 */
import sanitizeHtml from 'sanitize-html';
import {
  DROP_WITH_CONTENT,
  PROSE_CLASSES,
  PROSE_ELEMENTS,
  PROSE_TAGS,
  SAFE_SCHEMES,
  allowedAttribute,
  type Sanitizer,
} from './sanitize-policy.ts';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...PROSE_TAGS],
  allowedAttributes: Object.fromEntries(
    Object.entries(PROSE_ELEMENTS).map(([tag, attrs]) => [
      tag,
      attrs.map((a) => (a.values ? { name: a.name, multiple: false, values: [...a.values] } : a.name)),
    ]),
  ),
  allowedClasses: Object.fromEntries(Object.entries(PROSE_CLASSES).map(([tag, re]) => [tag, [re]])),
  allowedSchemes: [...SAFE_SCHEMES],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: true,
  allowedStyles: {},
  allowVulnerableTags: false,
  disallowedTagsMode: 'discard',
  nonTextTags: [...DROP_WITH_CONTENT],
  parseStyleAttributes: false,
  // The policy's own checks (values, classes, isSafeUrl) over what sanitize-html kept: one
  // definition of "safe" for both sanitisers.
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
  transformTags: {
    '*': (tagName, attribs) => ({
      tagName,
      attribs: Object.fromEntries(
        Object.entries(attribs).filter(([name, value]) =>
          PROSE_ELEMENTS[tagName] ? allowedAttribute(tagName, name, value) : true,
        ),
      ),
    }),
  },
};

/** sanitize-html with the prose allow-list; works anywhere, needs no DOM. */
export const nodeSanitizer: Sanitizer = {
  isSupported: true,
  sanitize: (html) => sanitizeHtml(html, OPTIONS),
};
