/**
 * Hostile prose (test/sanitize-payloads.ts) through the prose renderer with the Node sanitiser
 * (sanitize-html with the policy of src/notebook/sanitize-policy.ts) and through a whole
 * `lab run`-style report: nothing executable survives, the visible text does, and safe Markdown
 * keeps its shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DOMPurify from 'dompurify';
import { parseHTML } from 'linkedom';
import type { Database } from '../src/db/database.ts';
import { openNodeDatabase } from '../src/db/node.ts';
import { renderMarkdown } from '../src/notebook/markdown.ts';
import { renderReport } from '../src/notebook/report.ts';
import { openNotebook } from '../src/notebook/runtime.ts';
import { nodeSanitizer } from '../src/notebook/sanitize-node.ts';
import { purifySanitizer, scrubTree } from '../src/notebook/sanitize-policy.ts';
import { headlessDocument } from '../src/node/headless-dom.ts';
import { assertInert, EVIL_VALUES, PAYLOADS, refs, SAFE } from './sanitize-payloads.ts';

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
