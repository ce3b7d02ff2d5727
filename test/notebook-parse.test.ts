import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NotebookSyntaxError, formatDiagnostic } from '../src/notebook/diagnostics.ts';
import { parseNotebook, parseNotebookStrict } from '../src/notebook/parse.ts';
import { cellBlocks } from '../src/notebook/types.ts';
import { insertCell, removeCell, setCellBody, writeNotebook } from '../src/notebook/write.ts';

const SAMPLE = `---
title: Sample
data: sample-data
---

Some *prose* with a \`sql\` word.

\`\`\`params filters
- name: min_confidence
  input: range
  min: 0
  max: 1
  step: 0.05
  value: 0.7   # comments survive a round trip
- {name: typology, input: select, options: [ALL, PEEL_CHAIN], value: ALL}
\`\`\`

\`\`\`sql by_severity
SELECT severity, count(*) AS n
FROM alerts
WHERE alert_confidence_score >= $min_confidence
GROUP BY 1
\`\`\`

~~~text
An example, not a cell:
\`\`\`sql not_a_cell
SELECT 1
\`\`\`
~~~

\`\`\`plot severity_bars
data: by_severity
marks:
  - {type: barY, x: severity, y: n}
\`\`\`
\`\`\`table severity_table
data: by_severity
\`\`\`
Trailing prose without a final newline`;

describe('parsing', () => {
  it('splits front matter, prose and cells, with their lines', () => {
    const doc = parseNotebookStrict(SAMPLE, { file: 'sample.md' });
    expect(doc.frontMatter?.data).toEqual({ title: 'Sample', data: 'sample-data' });
    expect(doc.blocks.map((b) => (b.type === 'cell' ? `${b.kind} ${b.name} @${b.line}` : `prose @${b.line}`))).toEqual([
      'prose @5',
      'params filters @8',
      'prose @17',
      'sql by_severity @18',
      'prose @24',
      'plot severity_bars @32',
      'table severity_table @37',
      'prose @40',
    ]);
    const cells = cellBlocks(doc);
    expect(cells[0]!.spec).toMatchObject({
      kind: 'params',
      params: [
        { name: 'min_confidence', value: 0.7 },
        { name: 'typology', input: 'select' },
      ],
    });
    expect(cells[1]!.spec).toEqual({
      kind: 'sql',
      sql: 'SELECT severity, count(*) AS n\nFROM alerts\nWHERE alert_confidence_score >= $min_confidence\nGROUP BY 1\n',
    });
    expect(cells[2]!.spec).toMatchObject({
      kind: 'plot',
      plot: { data: 'by_severity', marks: [{ type: 'barY', x: 'severity', y: 'n' }] },
    });
    expect(cells[3]!.spec).toEqual({ kind: 'table', table: { data: 'by_severity', limit: 50 } });
  });

  it('keeps fenced blocks of other languages as prose, even when they contain cell-like fences', () => {
    const doc = parseNotebook(SAMPLE);
    expect(cellBlocks(doc).map((c) => c.name)).not.toContain('not_a_cell');
    const prose = doc.blocks.find((b) => b.type === 'prose' && b.text.includes('not_a_cell'));
    expect(prose).toBeDefined();
  });
});

describe('round trips', () => {
  const variants: Record<string, string> = {
    sample: SAMPLE,
    crlf: SAMPLE.replace(/\n/g, '\r\n'),
    'no front matter': SAMPLE.slice(SAMPLE.indexOf('Some')),
    'longer and tilde fences': '````sql a\nSELECT 1\n````\n\n~~~table b\ndata: a\n~~~\n',
    'indented fence and blank cells apart': 'x\n   ```sql a\n   SELECT 1\n   ```\n\n\n\n```table b\ndata: a\n```\n\n',
    empty: '',
  };
  for (const [name, text] of Object.entries(variants)) {
    it(`open → save gives back the same bytes: ${name}`, () => {
      expect(writeNotebook(parseNotebook(text))).toBe(text);
    });
  }

  it('round-trips every shipped notebook', () => {
    const files = readdirSync('notebooks').filter((f) => f.endsWith('.md'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(`notebooks/${f}`, 'utf8');
      expect(writeNotebook(parseNotebook(text, { file: f })), f).toBe(text);
    }
  });
});

describe('problems, with the line and what was expected', () => {
  const messages = (text: string) =>
    parseNotebook(text, { file: 'bad.md' }).diagnostics.map((d) => formatDiagnostic('bad.md', d));

  it('reports a malformed notebook cell by cell', () => {
    const text = [
      '---', // 1
      'title: Broken', // 2
      'colour: blue', // 3
      '---', // 4
      '', // 5
      '```sql', // 6
      'SELECT 1', // 7
      '```', // 8
      '', // 9
      '```params knobs', // 10
      '- name: min_confidence', // 11
      '  input: range', // 12
      '  min: 0', // 13
      '  max: 1', // 14
      '  value: 1.5', // 15
      '- name: kind', // 16
      '  input: slider', // 17
      '  value: 2', // 18
      '```', // 19
      '', // 20
      '```plot p', // 21
      'data: q', // 22
      'marks:', // 23
      '  - type: pie', // 24
      '    x: a', // 25
      '  - {type: dot, colour: red}', // 26
      '```', // 27
      '', // 28
      '```sql q', // 29
      'SELECT 1;', // 30
      'DROP TABLE alerts', // 31
      '```', // 32
      '', // 33
      '```table q', // 34
      'data: [q', // 35
      '```', // 36
      '', // 37
      '```sql Bad-Name', // 38
      'SELECT 1', // 39
      '```', // 40
      '', // 41
      '```sql alerts', // 42
      'SELECT 1', // 43
      '```', // 44
      '', // 45
      '```sql never_closed', // 46
      'SELECT 1', // 47
    ].join('\n');
    expect(messages(text)).toEqual([
      "bad.md:3: front matter: unknown key 'colour'",
      'bad.md:6: a sql cell needs a name: expected ```sql by_severity (to show sql as text in prose, use ```text)',
      'bad.md:15: params cell knobs: [0].value: expected a value between 0 and 1, got 1.5',
      'bad.md:17: params cell knobs: [1].input: expected one of "range", "number", "checkbox", "select", "toggle", "text", got "slider"',
      'bad.md:24: plot cell p: marks[0].type: expected one of "areaX", "areaY", "barX", "barY", "boxX", "boxY", "cell", "cellX", "cellY", "dot", "dotX", "dotY", "frame", "line", "lineX", "lineY", "link", "rect", "rectX", "rectY", "ruleX", "ruleY", "text", "textX", "textY", "tickX", "tickY", got "pie"',
      "bad.md:26: plot cell p: marks[1]: unknown key 'colour'",
      'bad.md:30: sql cell q: a sql cell holds one query: expected nothing after this ;',
      'bad.md:34: table cell q: the name q is already used by sql cell q at line 29: expected a unique name',
      expect.stringMatching(/^bad\.md:3[56]: table cell q: invalid YAML: /),
      "bad.md:38: sql cell 'Bad-Name': expected a lowercase name of letters, digits and _ starting with a letter, like ```sql by_severity",
      'bad.md:42: sql cell alerts: the name is taken by the SOT table or view alerts: expected another name',
      'bad.md:46: sql cell never_closed: this ``` fence is never closed: expected a closing ``` line',
    ]);
  });

  it('keeps a broken cell as a cell (so the rest can run) and a header problem as prose', () => {
    const doc = parseNotebook('```sql ok\nSELECT 1\n```\n\n```plot broken\nmarks: 3\n```\n\n```sql\nSELECT 2\n```\n');
    expect(cellBlocks(doc).map((c) => [c.name, c.spec === null])).toEqual([
      ['ok', false],
      ['broken', true],
    ]);
    expect(doc.diagnostics.map((d) => [d.line, d.cell])).toEqual([
      [6, 'broken'],
      [9, undefined],
    ]);
  });

  it('rejects SQL that would bind by position or hide a second statement', () => {
    expect(messages('```sql a\nSELECT ? AS x, $1 AS y\n```\n')).toEqual([
      'bad.md:2: sql cell a: ? placeholders are not used here: expected a parameter name like $min_confidence',
      'bad.md:2: sql cell a: numbered placeholders ($1) are not used here: expected a parameter name like $min_confidence',
    ]);
    expect(messages("```sql a\nSELECT 'unterminated\n```\n")).toEqual([
      "bad.md:2: sql cell a: this string is never closed: expected a closing quote (')",
    ]);
    expect(messages('```sql a\n\n```\n')).toEqual(['bad.md:2: sql cell a: is empty: expected one SQL query']);
  });

  it('checks param options and choices', () => {
    const params = (body: string) => messages(`\`\`\`params p\n${body}\n\`\`\`\n`);
    expect(params('- {name: t, input: select, options: [a, b], value: c}')).toEqual([
      'bad.md:2: params cell p: [0].value: expected one of the options ("a", "b"), got "c"',
    ]);
    expect(params('- {name: t, input: checkbox, options: [a, 2], value: [a]}')).toEqual([
      'bad.md:2: params cell p: [0].options[1]: expected every option to be a string like the first one',
    ]);
    expect(params('- {name: t, input: range, min: 1, max: 0, value: 0}')).toEqual([
      'bad.md:2: params cell p: [0].max: expected max greater than min (1)',
      'bad.md:2: params cell p: [0].value: expected a value between 1 and 0, got 0',
    ]);
    expect(params('name: single\ninput: toggle\nvalue: true')).toEqual([]);
  });

  it('parseNotebookStrict throws every problem at once', () => {
    expect(() =>
      parseNotebookStrict('```sql a\nSELECT 1; SELECT 2\n```\n```table b\ndata: 1\n```\n', { file: 'x.md' }),
    ).toThrow(NotebookSyntaxError);
    try {
      parseNotebookStrict('```sql a\nSELECT 1; SELECT 2\n```\n```table b\ndata: 1\n```\n', { file: 'x.md' });
    } catch (e) {
      expect((e as Error).message.split('\n')).toEqual([
        'x.md:2: sql cell a: a sql cell holds one query: expected nothing after this ;',
        'x.md:5: table cell b: data: expected a string, got number 1',
      ]);
    }
  });
});

describe('edits', () => {
  it('changes only the edited cell; everything else keeps its bytes', () => {
    const doc = parseNotebook(SAMPLE, { file: 's.md' });
    const edited = setCellBody(doc, 'by_severity', 'SELECT 1 AS n');
    const text = writeNotebook(edited);
    expect(text).toBe(SAMPLE.replace(/SELECT severity[\s\S]*?GROUP BY 1\n/, 'SELECT 1 AS n\n'));
    expect(cellBlocks(edited).find((c) => c.name === 'by_severity')!.spec).toEqual({
      kind: 'sql',
      sql: 'SELECT 1 AS n\n',
    });
    expect(setCellBody(doc, 'by_severity', cellBlocks(doc)[1]!.body)).toBe(doc);
  });

  it('lengthens the fence when the new body holds a line that would close it', () => {
    const doc = parseNotebook('```sql a\nSELECT 1\n```\n');
    const text = writeNotebook(setCellBody(doc, 'a', "SELECT '\n```\n' AS fence"));
    expect(text).toBe("````sql a\nSELECT '\n```\n' AS fence\n````\n");
    expect(cellBlocks(parseNotebook(text)).map((c) => c.name)).toEqual(['a']);
  });

  it('inserts and removes cells with blank lines around them', () => {
    const doc = parseNotebook('Intro\n\n```sql a\nSELECT 1 AS x\n```\n');
    const added = insertCell(doc, { kind: 'table', name: 'a_table', body: 'data: a' }, 'a');
    expect(writeNotebook(added)).toBe('Intro\n\n```sql a\nSELECT 1 AS x\n```\n\n```table a_table\ndata: a\n```\n');
    const first = insertCell(doc, { kind: 'sql', name: 'b', body: 'SELECT 2' }, 'md-1');
    expect(writeNotebook(first)).toBe('Intro\n\n```sql b\nSELECT 2\n```\n\n```sql a\nSELECT 1 AS x\n```\n');
    expect(writeNotebook(removeCell(added, 'a_table'))).toBe('Intro\n\n```sql a\nSELECT 1 AS x\n```\n\n');
  });
});
