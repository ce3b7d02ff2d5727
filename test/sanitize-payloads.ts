/**
 * Hostile prose for the sanitiser tests (test/report-sanitize.test.ts in Node, and
 * test/browser/prose-sanitize.test.ts through the app's prose view in Chromium), the safe
 * Markdown that must keep its shape, and the check every output goes through.
 *
 * The check parses the output (linkedom) and walks every element and attribute, plus a few
 * checks on the raw string, so escaped text that merely reads "onerror=" or "javascript:" is not
 * mistaken for markup.
 */
import { expect } from 'vitest';
import { parseHTML } from 'linkedom';
import type { RefText } from '../src/notebook/prose-refs.ts';
import { isSafeUrl } from '../src/notebook/sanitize-policy.ts';

export interface Payload {
  name: string;
  md: string;
  /** Text that must still be visible (textContent of the output). */
  visible?: string[];
}

/** The HTML an inline expression's value carries (the sql cell `evil` below returns these). */
export const EVIL_VALUES: Record<string, string> = {
  s: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  js: 'javascript:alert(1)',
  close: '</span><svg onload=alert(1)>',
};

export const PAYLOADS: Payload[] = [
  { name: 'javascript: link', md: '[click](javascript:alert(1))', visible: ['click'] },
  { name: 'vbscript: link', md: '[click](vbscript:msgbox(1))', visible: ['click'] },
  { name: 'data: link', md: '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)', visible: ['click'] },
  { name: 'javascript: image', md: '![pic](javascript:alert(1))' },
  { name: 'data: image', md: '![pic](data:image/svg+xml,<svg onload=alert(1)>)' },
  { name: 'decimal entity in scheme', md: '[x](&#106;avascript:alert(1))', visible: ['x'] },
  { name: 'entity colon', md: '[x](javascript&#58;alert(1))', visible: ['x'] },
  { name: 'hex entity in scheme', md: '[x](&#x6A;avascript:alert(1))', visible: ['x'] },
  { name: 'tab entity inside scheme', md: '[x](jav&#x09;ascript:alert(1))', visible: ['x'] },
  { name: 'newline entity inside scheme', md: '[x](jav&#10;ascript:alert(1))', visible: ['x'] },
  { name: 'raw tab inside scheme', md: '[x](java\tscript:alert(1))', visible: ['x'] },
  { name: 'upper case scheme', md: '[x](JAVASCRIPT:alert(1))', visible: ['x'] },
  { name: 'mixed case scheme', md: '[x](JaVaScRiPt:alert(1))', visible: ['x'] },
  { name: 'leading spaces', md: '[x](<  javascript:alert(1)>)', visible: ['x'] },
  { name: 'leading control character', md: '[x](\u0001javascript:alert(1))', visible: ['x'] },
  { name: 'autolink', md: '<javascript:alert(1)>' },
  { name: 'reference-style link', md: '[a][x]\n\n[x]: javascript:alert(1)', visible: ['a'] },
  { name: 'reference-style image', md: '![a][x]\n\n[x]: vbscript:alert(1)' },
  { name: 'script element', md: '<script>alert(1)</script>\n\nafter', visible: ['after'] },
  { name: 'inline script', md: 'before <script>alert(1)</script> after', visible: ['before', 'after'] },
  { name: 'iframe', md: '<iframe src="javascript:alert(1)"></iframe>' },
  { name: 'object', md: '<object data="javascript:alert(1)"></object>' },
  { name: 'embed', md: '<embed src="javascript:alert(1)">' },
  { name: 'svg onload', md: '<svg onload=alert(1)><circle r=1 /></svg>' },
  { name: 'svg a xlink:href', md: '<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>' },
  { name: 'math', md: '<math><mtext><a href="javascript:alert(1)">m</a></mtext></math>' },
  { name: 'img onerror', md: '<img src=x onerror=alert(1)>' },
  { name: 'style element with url()', md: '<style>body{background:url(javascript:alert(1))}</style>' },
  { name: 'a with style url()', md: '<a style="background:url(javascript:alert(1))">s</a>', visible: ['s'] },
  { name: 'form formaction', md: '<form><button formaction="javascript:alert(1)">go</button></form>' },
  { name: 'meta refresh', md: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">' },
  { name: 'base href', md: '<base href="javascript:alert(1)//">' },
  { name: 'event handler attribute', md: '<b onclick="alert(1)" onmouseover=alert(1)>bold</b>', visible: ['bold'] },
  { name: 'details ontoggle', md: '<details open ontoggle=alert(1)>' },
  { name: 'html block', md: '<div onclick="alert(1)">\n\n*inside*\n\n</div>', visible: ['inside'] },
  {
    name: 'html in table cells',
    md: '| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | <script>alert(1)</script> |\n| [x](javascript:alert(1)) | ok |',
    visible: ['ok', 'x'],
  },
  {
    name: 'html in a link title',
    md: '[t](https://example.org "a\\" onmouseover=\\"alert(1)") [u](https://example.org "<script>alert(1)</script>")',
    visible: ['t', 'u'],
  },
  { name: 'heading with </script>', md: '# Heading </script><script>alert(1)</script>', visible: ['Heading'] },
  { name: 'code span with </script>', md: '`</script><script>alert(1)</script>`', visible: ['</script>'] },
  {
    name: 'code block with html',
    md: '```html\n<script>alert(1)</script>\n```',
    visible: ['<script>alert(1)</script>'],
  },
  {
    name: 'code block with a hostile language',
    md: '```js" onmouseover="alert(1)\nx\n```',
    visible: ['x'],
  },
  {
    name: 'expression values holding HTML',
    md: 'Values: ${evil.s} and ${evil.img} and ${evil.close}, link [v](${evil.js}).',
    visible: ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '</span><svg onload=alert(1)>'],
  },
  { name: 'expression that breaks the attribute', md: '${evil.s" onmouseover="alert(1)}', visible: ['${evil.s'] },
  { name: 'protocol-relative javascript', md: '[x](/\\/javascript:alert(1))', visible: ['x'] },
  { name: 'noscript mutation', md: '<noscript><p title="</noscript><img src=x onerror=alert(1)>">' },
  { name: 'comment breakout', md: '<!--><img src=x onerror=alert(1)>-->' },
];

/** Safe content, each with what must survive. */
export const SAFE = `# Title

See [the site](https://example.org/a?b=1#c), [plain](http://example.org), [mail](mailto:a@example.org),
[an anchor](#section), [relative](../other.md) and [a folder](docs/guide.md).

![chart](https://example.org/chart.png "A chart")

- [x] done
- [ ] to do

| a | b |
|:--|--:|
| 1 | 2 |

\`\`\`sql
SELECT 1 < 2
\`\`\`

> quoted

3. three
4. four

~~gone~~ *em* **strong** \`code\` line  
break

---
`;

export const refs = (ref: { cell: string; column: string }): RefText =>
  ref.cell === 'evil' && ref.column in EVIL_VALUES
    ? { text: EVIL_VALUES[ref.column]!, state: 'ok' }
    : { text: `(no cell ${ref.cell})`, state: 'missing' };

const EXECUTABLE = /^(?:javascript|vbscript|livescript|data|file|jar|blob|filesystem):/i;
const URL_ATTRS = ['href', 'src', 'xlink:href', 'action', 'formaction', 'data', 'poster', 'background', 'cite'];
const NEVER = ['script', 'iframe', 'object', 'embed', 'frame', 'base', 'meta', 'link', 'form', 'button', 'math'];

/** Every element and attribute of `html`, checked; returns the visible text. */
export function assertInert(html: string, where: string, allowPlots = false): string {
  const { document } = parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`);
  // Markup only: text has its `<` escaped, and a `<` inside a quoted attribute value (which DOM
  // serialisers write as it is) is no tag; the parsed tree below is checked as well.
  const markup = html.replace(/="[^"]*"/g, '=""');
  expect(markup, where).not.toMatch(/<\s*(?:script|iframe|object|embed|meta|base|form)\b/i);
  if (!allowPlots) expect(markup, where).not.toMatch(/<\s*svg\b/i);
  for (const el of [...document.querySelectorAll('*')]) {
    const tag = el.localName.toLowerCase();
    expect(NEVER, `${where}: <${tag}>`).not.toContain(tag);
    if (tag === 'svg') expect(el.getAttribute('class') ?? '', `${where}: an svg that is not a plot`).toMatch(/^plot/);
    for (const { name, value } of [...el.attributes]) {
      const lc = name.toLowerCase();
      expect(lc.startsWith('on'), `${where}: <${tag} ${lc}="${value}">`).toBe(false);
      if (lc === 'style') expect(value, `${where}: style attribute`).not.toMatch(/url\s*\(|expression/i);
      if (URL_ATTRS.includes(lc) || lc.endsWith(':href')) {
        const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
        // Plot's headless colour legends are images drawn from a data:image/svg+xml URL.
        if (allowPlots && tag === 'image' && /^data:image\//.test(compact)) continue;
        expect(compact, `${where}: <${tag} ${lc}>`).not.toMatch(EXECUTABLE);
        expect(isSafeUrl(value), `${where}: <${tag} ${lc}="${value}">`).toBe(true);
      }
    }
  }
  return document.body.textContent ?? '';
}
