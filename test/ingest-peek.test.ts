import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { DEFAULT_MAPPING, labelSpelling, mappingFrom, peekLabelsFile } from '../src/ingest/index.ts';
import { LoadError } from '../src/sot/problems.ts';
import { memFile, resetDatabase } from './fixtures/files.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
  await resetDatabase(rt);
});

const CSV = `alertId,Verdict,who,comment
a-1,Illicit,ann,
a-2,benign,ann,looks fine
a-3, illicit ,bob,
a-4,,bob,
a-5,maybe,ann,
`;

describe('peeking at a labels file before mapping it', () => {
  it('lists the columns in file order with their most common values (trimmed, empty cells apart) and what detection would take', async () => {
    const peek = await peekLabelsFile(rt, memFile('mine.csv', CSV));
    expect(peek).toMatchObject({ file: 'mine.csv', format: 'csv', rows: 5 });
    expect(peek.columns.map((c) => c.name)).toEqual(['alertId', 'Verdict', 'who', 'comment']);
    const verdict = peek.columns[1]!;
    // ' illicit ' reads as 'illicit' (trimmed), distinct from 'Illicit' until the label is lowercased.
    expect(verdict.top).toEqual([
      { value: 'Illicit', rows: 1 },
      { value: 'benign', rows: 1 },
      { value: 'illicit', rows: 1 },
      { value: 'maybe', rows: 1 },
    ]);
    expect(verdict.empty).toBe(1);
    expect(verdict.distinct).toBe(4);
    expect(peek.columns[3]).toMatchObject({ empty: 4, top: [{ value: 'looks fine', rows: 1 }] });
    expect(peek.detected).toEqual({ alert_id: 'alertId', label: 'Verdict', note: 'comment' });
  });

  it('keeps only the first values asked for, most common first', async () => {
    const many =
      'id,label\n' +
      Array.from({ length: 30 }, (_, i) => `x-${i},${i % 3 === 0 ? 'yes' : i % 3 === 1 ? 'no' : `odd-${i}`}`).join(
        '\n',
      );
    const peek = await peekLabelsFile(rt, memFile('many.csv', many), 3);
    // Counted exactly: a labels file is small enough, and "311 distinct" in a 300-row file would mislead.
    expect(peek.columns.map((c) => c.distinct)).toEqual([30, 12]);
    expect(peek.columns[1]!.top).toEqual([
      { value: 'no', rows: 10 },
      { value: 'yes', rows: 10 },
      { value: 'odd-11', rows: 1 },
    ]);
  });

  it('refuses a file it cannot read with the file named, and leaves no staging table behind', async () => {
    const before = rows(await rt.db.query(`SELECT table_name FROM duckdb_tables()`)).length;
    await expect(peekLabelsFile(rt, memFile('labels.xlsx', 'x'))).rejects.toThrow(LoadError);
    await expect(peekLabelsFile(rt, memFile('labels.xlsx', 'x'))).rejects.toThrow(/labels\.xlsx/);
    await expect(peekLabelsFile(rt, memFile('broken.parquet', 'not parquet'))).rejects.toThrow(/broken\.parquet/);
    await peekLabelsFile(rt, memFile('fine.csv', CSV));
    expect(rows(await rt.db.query(`SELECT table_name FROM duckdb_tables()`)).length).toBe(before);
  });
});

describe('reading a label value as the mapping spells it', () => {
  it('compares trimmed and lowercased, with the default spellings and with a mapping of its own', () => {
    expect(labelSpelling(' Illicit ', DEFAULT_MAPPING.labels)).toBe('positive');
    expect(labelSpelling('0', DEFAULT_MAPPING.labels)).toBe('negative');
    expect(labelSpelling('maybe', DEFAULT_MAPPING.labels)).toBeNull();
    const own = mappingFrom({ labels: { positive: ['Bad'], negative: ['OK'] } }).labels;
    expect(labelSpelling('bad', own)).toBe('positive');
    expect(labelSpelling('ok', own)).toBe('negative');
    expect(labelSpelling('1', own)).toBeNull();
  });
});
