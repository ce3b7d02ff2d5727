/**
 * Hostile notebooks, in the corpus beside the hostile files: prose that tries to put script into
 * a headless report, a query that never ends, and sql cells that read themselves. Each runs on
 * the corpus's database with its baseline snapshot loaded (run.ts checks it is intact after).
 * The fuller payload list is test/report-sanitize.test.ts; these are the issue's own cases.
 */
import { parseHTML } from 'linkedom';
import { renderReport } from '../../src/notebook/report.ts';
import { openNotebook } from '../../src/notebook/runtime.ts';
import { headlessDocument } from '../../src/node/headless-dom.ts';
import type { CallCase } from './corpus.ts';

const C = 'notebooks and reports';

/** What in a report's body could run: script-like elements, on* attributes, unsafe URLs. */
function executable(html: string): string[] {
  const { document } = parseHTML(
    `<!doctype html><html><body>${/<body>([\s\S]*)<\/body>/.exec(html)?.[1] ?? html}</body></html>`,
  );
  const found: string[] = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'base', 'meta', 'form'].includes(tag)) found.push(`<${tag}>`);
    for (const attr of el.getAttributeNames()) {
      const value = (el.getAttribute(attr) ?? '').replace(/[\u0000-\u0020]/g, '');
      if (/^on/i.test(attr)) found.push(`${tag}[${attr}]`);
      if (/^(href|src|xlink:href|action|formaction)$/i.test(attr) && /^(javascript|vbscript|data):/i.test(value))
        found.push(`${tag}[${attr}=${value.slice(0, 30)}]`);
    }
  }
  return found;
}

/** A notebook's report from prose alone: nothing in it may be executable. */
function inertReport(name: string, prose: string): CallCase {
  return {
    kind: 'call',
    class: C,
    name: `report prose: ${name}`,
    run: async ({ rt }) => {
      const document = headlessDocument();
      const nb = await openNotebook(`---\ntitle: hostile\n---\n\n${prose}\n`, {
        db: rt.db,
        document,
        file: 'hostile.md',
      });
      try {
        await nb.idle();
        const found = executable(renderReport(nb, { document, data: [], generatedAt: new Date(0) }));
        return found.map((f) => `executable in the report: ${f}`);
      } finally {
        await nb.dispose();
      }
    },
  };
}

/** A notebook whose cell `cell` must fail with `message`, while the data stays as it was. */
function failingCell(name: string, text: string, cell: string, message: RegExp): CallCase {
  return {
    kind: 'call',
    class: C,
    name,
    run: async ({ rt }) => {
      const nb = await openNotebook(text, { db: rt.db, file: 'hostile.md' });
      try {
        await nb.idle();
        const got = nb.cell(cell)?.error?.message;
        return got !== undefined && message.test(got) ? [] : [`cell ${cell}: got ${got ?? nb.cell(cell)?.status}`];
      } finally {
        await nb.dispose();
      }
    },
  };
}

const sql = (name: string, body: string) => `\`\`\`sql ${name}\n${body}\n\`\`\`\n`;

export function notebookCases(): CallCase[] {
  return [
    inertReport('a javascript: link', '[click](javascript:alert(1))'),
    inertReport('javascript: hidden by a decimal entity', '[click](&#106;avascript:alert(1))'),
    inertReport('javascript: with its colon as an entity', '[click](javascript&#58;alert(1))'),
    inertReport('javascript: split by a tab entity', '[click](jav&#x09;ascript:alert(1))'),
    inertReport('a data: link', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'),
    inertReport('a data: image', '![x](data:image/svg+xml,<svg onload=alert(1)>)'),
    inertReport('raw script', '<script>alert(1)</script>'),
    inertReport('an event handler on raw HTML', '<img src=x onerror=alert(1)> <svg onload=alert(1)></svg>'),
    inertReport('an autolink with a script scheme', '<javascript:alert(1)>'),
    inertReport('a reference-style javascript: link', '[click][x]\n\n[x]: javascript:alert(1)'),
    failingCell(
      'a recursive CTE without a bound stops at the time limit, naming the cell',
      `---\ntitle: forever\nquery_timeout: 0.3s\n---\n\n${sql('r', 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r')}`,
      'r',
      /^sql r: stopped after 0\.3 s \(the notebook's query_timeout\); the query may not terminate/,
    ),
    failingCell(
      'a sql cell that reads its own name is a cycle',
      `---\ntitle: self\n---\n\n${sql('a', 'SELECT * FROM a')}`,
      'a',
      /^sql a reads a, its own name: a cell cannot read itself \(a cycle\)/,
    ),
    failingCell(
      'two sql cells that read each other are a cycle',
      `---\ntitle: loop\n---\n\n${sql('a', 'SELECT * FROM b')}\n${sql('b', 'SELECT * FROM a')}`,
      'a',
      /circular reference/,
    ),
  ];
}
