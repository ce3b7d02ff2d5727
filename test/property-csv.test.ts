/**
 * Property tests (fast-check) on the CSV readers: src/sot/csv-scan.ts's shape scan and the
 * staging every CSV goes through (src/sot/stage.ts stageFile, which src/ingest/read.ts uses for
 * labels files). Properties:
 * - the scan never throws anything but CsvShapeError, with a message, on arbitrary bytes;
 * - CSV written by a generator (quoted fields, embedded quotes, commas, newlines, a BOM, CRLF or
 *   LF, any of the four delimiters) scans back to its header and record count, and stages back
 *   to exactly the cells that were written;
 * - a record with the wrong number of fields is named by record and line;
 * - stageFile never throws anything but LoadError naming the file, whatever the bytes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ident, rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { CsvShapeError, scanCsv } from '../src/sot/csv-scan.ts';
import { LoadError } from '../src/sot/problems.ts';
import { stageFile } from '../src/sot/stage.ts';

const enc = new TextEncoder();

/** Text with the characters CSV cares about over-represented; never NUL (that is binary). */
const cellChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('"', ',', ';', '\t', '|', '\n', '\r', '\r\n', ' ', '\\', "'", '#') },
  { weight: 5, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }) },
);
const cellText = fc
  .array(cellChar, { maxLength: 8 })
  .map((parts) => parts.join('').replace(/\u0000/g, ''))
  // A letter first keeps DuckDB's type sniffing at VARCHAR, so cells compare as written.
  .map((s) => `v${s}`);

interface GeneratedCsv {
  header: string[];
  records: string[][];
  delimiter: string;
  eol: string;
  bom: boolean;
  finalEol: boolean;
}

const csvArb: fc.Arbitrary<GeneratedCsv> = fc
  .record({
    columns: fc.integer({ min: 1, max: 5 }),
    rows: fc.integer({ min: 1, max: 6 }),
    delimiter: fc.constantFrom(',', ';', '\t', '|'),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    finalEol: fc.boolean(),
  })
  .chain((shape) =>
    fc.record({
      header: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), {
        minLength: shape.columns,
        maxLength: shape.columns,
        // DuckDB compares column names without case.
        selector: (s) => s.toLowerCase(),
      }),
      records: fc.array(fc.array(cellText, { minLength: shape.columns, maxLength: shape.columns }), {
        minLength: shape.rows,
        maxLength: shape.rows,
      }),
      delimiter: fc.constant(shape.delimiter),
      eol: fc.constant(shape.eol),
      bom: fc.constant(shape.bom),
      finalEol: fc.constant(shape.finalEol),
    }),
  );

/** Every field quoted, quotes doubled: what a spreadsheet writes for awkward text. */
function writeCsv(csv: GeneratedCsv): Uint8Array {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines = [csv.header, ...csv.records].map((r) => r.map(quote).join(csv.delimiter));
  const text = (csv.bom ? '\ufeff' : '') + lines.join(csv.eol) + (csv.finalEol ? csv.eol : '');
  return enc.encode(text);
}

describe('scanCsv', () => {
  it('throws nothing but CsvShapeError, with a message, on arbitrary bytes', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc
        .array(fc.constantFrom('"', ',', ';', '\n', '\r', 'a', ' ', '\t', '|', '\ufeff', 'é'), { maxLength: 60 })
        .map((p) => enc.encode(p.join(''))),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        try {
          const shape = scanCsv(b);
          expect(shape.records).toBeGreaterThanOrEqual(0);
          expect(shape.header.length).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(CsvShapeError);
          expect((e as Error).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reads a generated CSV back to its header, delimiter and record count', () => {
    fc.assert(
      fc.property(csvArb, (csv) => {
        const shape = scanCsv(writeCsv(csv));
        expect(shape.header).toEqual(csv.header);
        expect(shape.records).toBe(csv.records.length);
        if (csv.header.length > 1) expect(shape.delimiter).toBe(csv.delimiter);
      }),
      { numRuns: 100 },
    );
  });

  it('names the first record whose field count differs from the header, by record and line', () => {
    fc.assert(
      fc.property(
        csvArb.filter((c) => c.records.length >= 1),
        fc.nat(),
        fc.boolean(),
        (csv, at, extra) => {
          const bad = at % csv.records.length;
          const records = csv.records.map((r, i) => (i !== bad ? r : extra ? [...r, 'vextra'] : r.slice(0, -1)));
          // One column short of one is an empty (blank) line, which is skipped: not a bad record.
          if (!extra && csv.header.length === 1) return;
          // A one-column header shows no delimiter, so the scan takes ','.
          if (csv.header.length === 1) csv = { ...csv, delimiter: ',' };
          const text = writeCsv({ ...csv, records });
          // The line the bad record starts on: 1 for the header, plus every line break before it.
          const decoded = new TextDecoder().decode(text);
          const lines = [csv.header, ...records].map((r) =>
            r.map((s) => `"${s.replace(/"/g, '""')}"`).join(csv.delimiter),
          );
          const before = lines.slice(0, bad + 1).join(csv.eol) + csv.eol;
          const line = 1 + (before.match(/\r\n|\r|\n/g)?.length ?? 0);
          expect(decoded.length).toBeGreaterThan(0);
          const fields = records[bad]!.length;
          expect(() => scanCsv(text)).toThrow(
            new CsvShapeError(
              `record ${bad + 1} (line ${line}) has ${fields} field${fields === 1 ? '' : 's'} but the header has ${csv.header.length}`,
            ),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('stageFile (CSV, as the loader and the labels import read it)', () => {
  let rt: Runtime;
  let n = 0;
  beforeAll(async () => {
    rt = await openNodeRuntime();
  });
  afterAll(() => rt.db.close());

  it('stages a generated CSV back to exactly the cells that were written', async () => {
    await fc.assert(
      fc.asyncProperty(csvArb, async (csv) => {
        const stage = `_prop_csv_${++n}`;
        try {
          const staged = await stageFile(rt, stage, 'prop.csv', 'csv', writeCsv(csv));
          expect(staged.fileColumns).toEqual(csv.header);
          const cols = csv.header.map((c) => `CAST(${ident(c)} AS VARCHAR) AS ${ident(c)}`).join(', ');
          const got = rows<Record<string, string | null>>(
            await rt.db.query(`SELECT ${cols} FROM ${ident(stage)} ORDER BY rowid`),
          ).map((r) => csv.header.map((c) => r[c]));
          expect(got).toEqual(csv.records);
        } finally {
          await rt.db.exec(`DROP TABLE IF EXISTS ${ident(stage)}`);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('throws nothing but LoadError naming the file, whatever the bytes', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 120 }),
      fc
        .array(fc.constantFrom('"', ',', ';', '\n', '\r\n', 'a', '1', ' ', '|', 'x,y', '\ufeff', 'é', '""'), {
          maxLength: 40,
        })
        .map((p) => enc.encode(p.join(''))),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (b) => {
        const stage = `_prop_csv_${++n}`;
        try {
          await stageFile(rt, stage, 'hostile.csv', 'csv', b);
        } catch (e) {
          expect(e).toBeInstanceOf(LoadError);
          expect((e as LoadError).file).toBe('hostile.csv');
          expect((e as Error).message).toMatch(/^hostile\.csv: ./);
        } finally {
          await rt.db.exec(`DROP TABLE IF EXISTS ${ident(stage)}`);
        }
      }),
      { numRuns: 80 },
    );
  });
});
