/** The two edits the app's cell toolbar needs beyond insert/remove: moving a cell, running it again. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, type Database } from '../src/db/database.ts';
import { openNodeDatabase } from '../src/db/node.ts';
import { parseNotebook } from '../src/notebook/parse.ts';
import { openNotebook } from '../src/notebook/runtime.ts';
import { cellBlocks } from '../src/notebook/types.ts';
import { moveCell, writeNotebook } from '../src/notebook/write.ts';

const TEXT = `---
title: Move
---

Intro.

\`\`\`sql a
SELECT 1 AS x
\`\`\`

\`\`\`sql b
SELECT 2 AS x
\`\`\`

Between b and c.

\`\`\`sql c
SELECT 3 AS x
\`\`\`
`;

const names = (text: string) => cellBlocks(parseNotebook(text)).map((c) => c.name);

describe('moveCell', () => {
  it('swaps a cell with the cell above or below, keeping the blank lines in place', () => {
    const doc = parseNotebook(TEXT);
    const down = writeNotebook(moveCell(doc, 'a', 1));
    expect(names(down)).toEqual(['b', 'a', 'c']);
    expect(down).toBe(
      TEXT.replace('SELECT 1 AS x', '@')
        .replace('SELECT 2 AS x', 'SELECT 1 AS x')
        .replace('@', 'SELECT 2 AS x')
        .replace('sql a', '@')
        .replace('sql b', 'sql a')
        .replace('@', 'sql b'),
    );
    expect(writeNotebook(moveCell(parseNotebook(down), 'a', -1))).toBe(TEXT);
  });

  it('moves past a piece of prose as one unit, and back to the same bytes', () => {
    const doc = parseNotebook(TEXT);
    const up = writeNotebook(moveCell(doc, 'c', -1));
    expect(up).toContain('```\n\n```sql c\nSELECT 3 AS x\n```\n\nBetween b and c.\n');
    expect(names(up)).toEqual(['a', 'b', 'c']);
    expect(writeNotebook(moveCell(parseNotebook(up), 'c', 1))).toBe(TEXT);
    const first = writeNotebook(moveCell(doc, 'a', -1));
    expect(first.startsWith('---\ntitle: Move\n---\n\n```sql a\nSELECT 1 AS x\n```\n\nIntro.\n')).toBe(true);
  });

  it('changes nothing at either end, and adds the newline a last line without one needs', () => {
    const doc = parseNotebook(TEXT);
    expect(moveCell(doc, 'c', 1)).toBe(doc);
    const noNewline = parseNotebook('```sql a\nSELECT 1\n```\n\nLast line');
    expect(writeNotebook(moveCell(noNewline, 'a', 1))).toBe('Last line\n\n```sql a\nSELECT 1\n```\n');
    expect(() => moveCell(doc, 'nope', 1)).toThrow(/no cell named nope/);
  });
});

describe('Notebook.rerun', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openNodeDatabase();
    await db.exec('CREATE TABLE alerts AS SELECT range AS i FROM range(3)');
  });
  afterAll(() => db.close());

  it('runs a cell and its dependents again on changed data; nothing else', async () => {
    const nb = await openNotebook(
      '```sql n\nSELECT count(*)::INTEGER AS n FROM alerts\n```\n\n```sql twice\nSELECT n * 2 AS m FROM n\n```\n\n```sql other\nSELECT 1 AS one\n```\n',
      { db },
    );
    await nb.idle();
    const twice = () => {
      const value = nb.cell('twice')!.value;
      return value?.kind === 'sql' ? rows(value.preview) : value;
    };
    expect(twice()).toEqual([{ m: 6 }]);
    await db.exec('INSERT INTO alerts SELECT range FROM range(2)');
    nb.rerun('n');
    await nb.idle();
    expect(twice()).toEqual([{ m: 10 }]);
    expect(nb.cell('other')!.runs).toBe(1);
    nb.rerun();
    await nb.idle();
    expect(nb.cell('other')!.runs).toBe(2);
    expect(() => nb.rerun('nope')).toThrow(/no cell nope/);
    await nb.dispose();
  });
});
