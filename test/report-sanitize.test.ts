/**
 * Hostile prose through the prose renderer with the Node sanitiser (sanitize-html with the
 * policy of src/notebook/sanitize-policy.ts) and through a whole `lab run`-style report: nothing
 * executable survives, the visible text does, and safe Markdown keeps its shape.
 *
 * The output is checked by parsing it (linkedom) and walking every element and attribute, plus a
 * few checks on the raw string, so escaped text that merely reads "onerror=" or "javascript:"
 * is not mistaken for markup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DOMPurify from 'dompurify';
import { parseHTML } from 'linkedom';
import type { Database } from '../src/db/database.ts';
import { openNodeDatabase } from '../src/db/node.ts';
import { renderMarkdown } from '../src/notebook/markdown.ts';
import type { RefText } from '../src/notebook/prose-refs.ts';
import { renderReport } from '../src/notebook/report.ts';
import { openNotebook } from '../src/notebook/runtime.ts';
import { nodeSanitizer } from '../src/notebook/sanitize-node.ts';
import { isSafeUrl, purifySanitizer, scrubTree } from '../src/notebook/sanitize-policy.ts';
import { headlessDocument } from '../src/node/headless-dom.ts';

interface Payload {
  name: string;
  md: string;
  /** Text that must still be visible (textContent of the output). */
  visible?: string[];
}

/** The HTML an inline expression's value carries (the sql cell `evil` below returns these). */
const EVIL_VALUES: Record<string, string> = {
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
const SAFE = `# Title

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

const refs = (ref: { cell: string; column: string }): RefText =>
  ref.cell === 'evil' && ref.column in EVIL_VALUES
    ? { text: EVIL_VALUES[ref.column]!, state: 'ok' }
    : { text: `(no cell ${ref.cell})`, state: 'missing' };

const EXECUTABLE = /^(?:javascript|vbscript|livescript|data|file|jar|blob|filesystem):/i;
const URL_ATTRS = ['href', 'src', 'xlink:href', 'action', 'formaction', 'data', 'poster', 'background', 'cite'];
const NEVER = ['script', 'iframe', 'object', 'embed', 'frame', 'base', 'meta', 'link', 'form', 'button', 'math'];

/** Every element and attribute of `html`, checked; returns the visible text. */
function assertInert(html: string, where: string, allowPlots = false): string {
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

describe('prose through the Node sanitiser', () => {
  it('has at least 30 payloads', () => expect(PAYLOADS.length).toBeGreaterThanOrEqual(30));

  for (const p of PAYLOADS) {
    it(`leaves nothing executable: ${p.name}`, () => {
      const html = renderMarkdown(p.md, nodeSanitizer, refs);
      const text = assertInert(html, p.name);
      for (const v of p.visible ?? []) expect(text, `${p.name}: visible text`).toContain(v);
    });
  }

  it('sanitises what marked would let through, were its escaping to fail', () => {
    // Raw HTML straight into the sanitiser: the second line on its own.
    for (const p of PAYLOADS) assertInert(nodeSanitizer.sanitize(p.md), `raw ${p.name}`);
    expect(nodeSanitizer.sanitize('<a href="java&#x09;script:x" title="t">a</a>')).toBe('<a title="t">a</a>');
    // A class list with anything but nb-ref in it goes as a whole (as with DOMPurify's hook).
    expect(nodeSanitizer.sanitize('<span class="nb-ref evil" data-ref="x" data-state="ok">v</span>')).toBe(
      '<span data-ref="x" data-state="ok">v</span>',
    );
    expect(nodeSanitizer.sanitize('<span data-state="evil" id="x" style="color:red">v</span>')).toBe('<span>v</span>');
    expect(nodeSanitizer.sanitize('<input type="text" value="x"><input type="checkbox" checked disabled>')).toBe(
      '<input type="checkbox" checked disabled />',
    );
    expect(
      nodeSanitizer.sanitize('<code class="language-js">c</code><img src="data:image/png;base64,AA" alt="a">'),
    ).toBe('<code class="language-js">c</code><img alt="a" />');
    expect(nodeSanitizer.sanitize('<code class="language-js x">c</code>')).toBe('<code>c</code>');
  });

  it('keeps safe content: links, anchors, relative links, https images, task lists, tables, code', () => {
    const html = renderMarkdown(SAFE, nodeSanitizer);
    assertInert(html, 'safe');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<a href="https://example.org/a?b=1#c">the site</a>');
    expect(html).toContain('<a href="http://example.org">plain</a>');
    expect(html).toContain('<a href="mailto:a@example.org">mail</a>');
    expect(html).toContain('<a href="#section">an anchor</a>');
    expect(html).toContain('<a href="../other.md">relative</a>');
    expect(html).toContain('<a href="docs/guide.md">a folder</a>');
    expect(html).toContain('<img src="https://example.org/chart.png" alt="chart" title="A chart" />');
    expect(html).toContain('<input checked disabled type="checkbox" /> done');
    expect(html).toContain('<input disabled type="checkbox" /> to do');
    expect(html).toContain('<th align="left">a</th>');
    expect(html).toContain('<td align="right">2</td>');
    expect(html).toContain('<pre><code class="language-sql">SELECT 1 &lt; 2\n</code></pre>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<ol start="3">');
    expect(html).toContain('<del>gone</del> <em>em</em> <strong>strong</strong> <code>code</code> line<br />break');
    expect(html).toContain('<hr />');
  });

  it('keeps the inline expression span, its value escaped', () => {
    expect(renderMarkdown('v ${evil.s}', nodeSanitizer, refs)).toBe(
      '<p>v <span class="nb-ref" data-ref="evil.s" data-state="ok">&lt;script&gt;alert(1)&lt;/script&gt;</span></p>\n',
    );
  });

  it('refuses a sanitiser that cannot work here (DOMPurify over linkedom)', () => {
    const purify = DOMPurify(parseHTML('<html></html>').window as never);
    expect(() => purifySanitizer(purify)).toThrow(/not supported/);
    expect(() => renderMarkdown('x', purify)).toThrow(/cannot work here/);
  });

  it('scrubs a DOM-built tree: script-like elements, on* attributes, unsafe URLs, url() in style', () => {
    const { document } = parseHTML('<html><body></body></html>');
    const root = document.createElement('div');
    root.innerHTML =
      '<svg class="plot"><a href="javascript:x"><text onclick="x()">t</text></a><image href="data:image/png;base64,AA"></image><foreignObject><p>f</p></foreignObject></svg><p style="background:url(x)">p</p><script>x</script>';
    const removed = scrubTree(root as unknown as Element);
    expect(removed).toEqual(['a[href]', 'text[onclick]', '<foreignobject>', 'p[style]', '<script>']);
    expect(root.innerHTML).toContain('<image href="data:image/png;base64,AA"');
  });
});

describe('hostile prose in a whole report', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openNodeDatabase();
  });
  afterAll(() => db.close());

  /** A `lab run`-style report: front matter, a sql cell whose values hold HTML, a table, a plot, the prose. */
  async function report(prose: string): Promise<string> {
    const values = Object.entries(EVIL_VALUES)
      .map(([k, v]) => `'${v.replace(/'/g, "''")}' AS ${k}`)
      .join(', ');
    const text = `---
title: "Report <script>alert(1)</script>"
description: "<img src=x onerror=alert(1)>"
---

${prose}

\`\`\`sql evil
SELECT ${values}, 1 AS n
\`\`\`

\`\`\`table evil_table
data: evil
\`\`\`

\`\`\`plot evil_plot
data: evil
marks:
  - {type: text, x: n, y: n, text: s, title: img}
\`\`\`
`;
    const document = headlessDocument();
    const nb = await openNotebook(text, { db, document, file: 'hostile.md' });
    await nb.idle();
    const html = renderReport(nb, { document, data: ['<b>data</b>'], generatedAt: new Date('2026-01-01T00:00:00Z') });
    await nb.dispose();
    return html;
  }

  for (const p of PAYLOADS) {
    it(`leaves nothing executable: ${p.name}`, async () => {
      const html = await report(p.md);
      const body = /<body>([\s\S]*)<\/body>/.exec(html)![1]!;
      const text = assertInert(body, p.name, true);
      for (const v of p.visible ?? []) expect(text, `${p.name}: visible text`).toContain(v);
      // The data's HTML reaches the table and the plot as text only.
      expect(text).toContain('<script>alert(1)</script>');
      expect(html).toContain('<title>Report &lt;script&gt;alert(1)&lt;/script&gt;</title>');
    });
  }

  it('keeps safe content', async () => {
    const html = await report(SAFE);
    assertInert(html.replace(/^[\s\S]*<body>|<\/body>[\s\S]*$/g, ''), 'safe report', true);
    expect(html).toContain('<a href="https://example.org/a?b=1#c">the site</a>');
    expect(html).toContain('<a href="#section">an anchor</a>');
    expect(html).toContain('<a href="../other.md">relative</a>');
    expect(html).toContain('src="https://example.org/chart.png"');
    expect(html).toMatch(/<input[^>]*type="checkbox"/);
    expect(html).toContain('<th align="left">a</th>');
    expect(html).toContain('<code class="language-sql">SELECT 1 &lt; 2');
    expect(html).toMatch(/<svg[^>]*class="plot-/);
  });
});
