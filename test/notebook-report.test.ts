import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DOMPurify from 'dompurify';
import { parseHTML } from 'linkedom';
import type { Database } from '../src/db/database.ts';
import { openNodeDatabase } from '../src/db/node.ts';
import { renderMarkdown } from '../src/notebook/markdown.ts';
import { renderReport } from '../src/notebook/report.ts';
import { openNotebook } from '../src/notebook/runtime.ts';
import { nodeSanitizer } from '../src/notebook/sanitize-node.ts';
import { headlessDocument } from '../src/node/headless-dom.ts';

describe('markdown', () => {
  it('renders Markdown and shows raw HTML as text', () => {
    const html = renderMarkdown(
      '# Title\n\n**bold** and `code`\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    );
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<table>');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('drops unsafe link and image URLs, keeps safe ones', () => {
    const html = renderMarkdown(
      '[a](javascript:alert(1)) [b](java\tscript:x) [c](https://example.org) [d](#section) [e](../other.md) ![i](data:image/svg+xml,x)',
    );
    expect(html).not.toMatch(/javascript|data:/i);
    expect(html).toContain('href="https://example.org"');
    expect(html).toContain('href="#section"');
    expect(html).toContain('href="../other.md"');
  });

  it('refuses DOMPurify where it cannot work (over linkedom it would return its input unchanged)', () => {
    const purify = DOMPurify(parseHTML('<html></html>').window as never);
    expect(purify.isSupported).toBeFalsy();
    expect(() => renderMarkdown('<b onclick="x()">hi</b>', purify)).toThrow(/cannot work here/);
  });

  it('sanitises with the Node sanitiser (sanitize-html, the prose allow-list)', () => {
    expect(renderMarkdown('<b onclick="x()">hi</b> [a](https://example.org)', nodeSanitizer)).toBe(
      '<p>&lt;b onclick="x()"&gt;hi&lt;/b&gt; <a href="https://example.org">a</a></p>\n',
    );
  });
});

describe('the HTML report', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openNodeDatabase();
    await db.exec(`CREATE TABLE alerts AS SELECT * FROM (VALUES
      ('a1', 'high', 0.8, DATE '2026-01-05', '<b>bold</b>'),
      ('a2', 'critical', 0.95, DATE '2026-01-05', NULL),
      ('a3', 'critical', 0.91, DATE '2026-01-06', 'x')) t(alert_id, severity, conf, day, note)`);
  });
  afterAll(() => db.close());

  it('holds prose, params, tables, plots as SVG and errors, with nothing to run', async () => {
    const text = `---
title: Report </title><script>alert(1)</script>
description: A small notebook
---

Some **prose**.

\`\`\`params p
- {name: min_conf, input: range, min: 0, max: 1, value: 0.5, label: Minimum confidence}
\`\`\`

\`\`\`sql rows
SELECT * FROM alerts WHERE conf >= $min_conf ORDER BY alert_id
\`\`\`

\`\`\`table rows_table
data: rows
limit: 2
title: First alerts
\`\`\`

\`\`\`plot rows_plot
data: rows
marks:
  - {type: dot, x: conf, y: severity}
\`\`\`

\`\`\`sql broken
SELECT nope FROM alerts
\`\`\`
`;
    const document = headlessDocument();
    const nb = await openNotebook(text, { db, document, file: 'report.md' });
    await nb.idle();
    const html = renderReport(nb, { document, data: ['sample-data'], generatedAt: new Date('2026-01-01T00:00:00Z') });
    await nb.dispose();

    expect(html.startsWith('<!doctype html>\n<html lang="en">\n<head>')).toBe(true);
    expect(html).toContain('<title>Report &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(html).toContain('<h1>Report &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('<strong>prose</strong>');
    expect(html).toContain('<th>Minimum confidence</th><td>0.5</td>');
    expect(html).toContain('<h3>First alerts</h3>');
    expect(html).toContain('First 2 rows of 3 in rows');
    expect(html).toContain('<td>2026-01-05</td>');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('<td class="null">NULL</td>');
    expect(html).toMatch(/<svg[^>]*class="plot-/);
    expect(html).toContain('Binder Error: Referenced column "nope" not found');
    expect(html).toContain('5 cells, 1 failed: broken');
    expect(html).toContain('2026-01-01 00:00:00 UTC');
    expect(html).not.toMatch(/<script|<link|src="http/i);
  });
});
