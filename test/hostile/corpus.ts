/**
 * Hostile inputs, built in the test run (nothing binary is committed): SOT files, label files,
 * YAML texts and paths that break one promise each of the README's "What data it reads", and
 * the good variants that must still be accepted. Each case says what a user must see: refused
 * with a message naming the file (and the column where there is one), or accepted, with the
 * warning it deserves. run.ts runs them; the vitest file and `npm run hostile` both use it.
 */
import * as pq from 'parquet-wasm/esm';
import { tableToIPC } from 'apache-arrow';
import type { Runtime } from '../../src/db/runtime.ts';
import type { SourceFile } from '../../src/sot/files.ts';
import type { LoadOptions } from '../../src/sot/lab.ts';
import { alertsSql, arrowOf, featuresSql, memFile, metaJson, parquetOf } from '../fixtures/files.ts';

/** What a SOT load must end in. Every error a load reports must be listed in `refused`. */
export interface SotExpect {
  refused?: { file: string; message: RegExp; column?: string }[];
  /** Exactly the paths that must load. */
  loaded?: string[];
  warnings?: { file: string; message: RegExp }[];
}

export interface SotCase {
  kind: 'sot';
  class: string;
  name: string;
  files: (rt: Runtime) => Promise<SourceFile[]>;
  options?: LoadOptions;
  expect: SotExpect;
}

export interface LabelsCase {
  kind: 'labels';
  class: string;
  name: string;
  file: (rt: Runtime) => Promise<SourceFile>;
  /** Refused: the report's error naming the file. Accepted: how many rows import. */
  expect: { refused: RegExp } | { accepted: number };
}

/** Anything else (YAML callers, paths on disk): returns what went wrong, or nothing. */
export interface CallCase {
  kind: 'call';
  class: string;
  name: string;
  run: (ctx: { rt: Runtime; tmp: string }) => Promise<string[]>;
}

export type HostileCase = SotCase | LabelsCase | CallCase;

/** The good snapshot loaded before every SOT case, which must stay exactly as it was. */
export const BASELINE = { dir: 'snapshots/torus/2026-01-05/7', date: '2026-01-05', window: 7 };

export async function baselineFiles(rt: Runtime): Promise<SourceFile[]> {
  const { dir, date, window } = BASELINE;
  const files = [
    memFile(`${dir}/alerts.parquet`, await parquetOf(rt, alertsSql({ date, window }))),
    memFile(`${dir}/features.parquet`, await parquetOf(rt, featuresSql({ date, window }))),
    memFile(`${dir}/money_flows.parquet`, await parquetOf(rt, flowsSql(date, window))),
  ];
  return [...files, await metaJson(dir, files, { alerts: 20, features: 7, money_flows: 1 })];
}

// Every case gets its own snapshot date, so an accepted file never collides with another's keys.
let day = 0;
function nextDate(): string {
  const d = new Date(Date.UTC(2030, 0, 1) + day++ * 86_400_000);
  return d.toISOString().slice(0, 10);
}

function flowsSql(date: string, window: number, amount = '99.99'): string {
  return `SELECT ${window}::USMALLINT AS window_days, '${date}' AS processing_date, 'addr-1' AS from_address, 'addr-2' AS to_address,
    3::UBIGINT AS tx_count, 10.5::DECIMAL(38,6) AS amount_sum, (${amount})::DECIMAL(18,2) AS amount_usd_sum,
    0.25::FLOAT AS reciprocity_ratio, true AS is_bidirectional`;
}

const ALERT_HEADER = 'window_days,processing_date,alert_id,address,typology_type,severity,alert_confidence_score';
function alertsCsv(date: string, n = 3, eol = '\n'): string {
  const rows = Array.from({ length: n }, (_, i) => `7,${date},c-${i},addr-${i},PEEL_CHAIN,high,0.8`);
  return [ALERT_HEADER, ...rows].join(eol) + eol;
}

/** A Parquet file of `sql` after `edit` changes its SELECT (REPLACE / EXCLUDE / extra columns). */
const alertsParquet = (edit: (sql: string) => string) => (rt: Runtime, date: string) =>
  parquetOf(rt, edit(alertsSql({ date })));

function sot(
  cls: string,
  name: string,
  files: (rt: Runtime) => Promise<SourceFile[]>,
  expect: SotExpect,
  options?: LoadOptions,
): SotCase {
  return { kind: 'sot', class: cls, name, files, expect, options };
}

/** One alerts file, refused with `message` (and `column`). */
function refusedAlerts(
  cls: string,
  name: string,
  path: string,
  bytes: (rt: Runtime, date: string) => Promise<Uint8Array | string>,
  message: RegExp,
  column?: string,
): SotCase {
  return sot(cls, name, async (rt) => [memFile(path, await bytes(rt, nextDate()))], {
    refused: [{ file: path, message, column }],
    loaded: [],
  });
}

function acceptedOne(
  cls: string,
  name: string,
  path: string,
  bytes: (rt: Runtime, date: string) => Promise<Uint8Array | string>,
  warnings: RegExp[] = [],
): SotCase {
  return sot(cls, name, async (rt) => [memFile(path, await bytes(rt, nextDate()))], {
    loaded: [path],
    warnings: warnings.map((message) => ({ file: path, message })),
  });
}

/** Parquet written by parquet-wasm with the given compression and dictionary setting. */
function parquetWith(
  rt: Runtime,
  sql: string,
  opts: { zstd?: boolean; dictionary: boolean; rowGroupSize?: number },
): Promise<Uint8Array> {
  return rt.db.query(sql).then((t) => {
    let props = new pq.WriterPropertiesBuilder()
      .setCompression(opts.zstd ? pq.Compression.ZSTD : pq.Compression.SNAPPY)
      .setDictionaryEnabled(opts.dictionary);
    if (opts.rowGroupSize) props = props.setMaxRowGroupSize(opts.rowGroupSize);
    return pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(t, 'stream')), props.build());
  });
}

function damage(bytes: Uint8Array, from: number, to: number, value: number): Uint8Array {
  const out = bytes.slice();
  out.fill(value, from, Math.min(to, out.length));
  return out;
}

export function sotCases(): SotCase[] {
  const cases: SotCase[] = [];
  const add = (...c: SotCase[]) => cases.push(...c);

  // --- The loader's bookkeeping names in a user's file.
  const C1 = "loader's own names";
  add(
    acceptedOne(
      C1,
      'a text column named rowid',
      'alerts.parquet',
      alertsParquet((s) => `SELECT *, 'r' || alert_id AS rowid FROM (${s})`),
    ),
    acceptedOne(
      C1,
      'a column named ROWID (any case)',
      'alerts.parquet',
      alertsParquet((s) => `SELECT *, 42 AS "ROWID" FROM (${s})`),
    ),
    acceptedOne(C1, 'rowid in a CSV file', 'alerts.csv', async (_rt, d) =>
      alertsCsv(d)
        .replace(ALERT_HEADER, `${ALERT_HEADER},rowid`)
        .replace(/0\.8\n/g, '0.8,x\n'),
    ),
    refusedAlerts(
      C1,
      'a column named _file_id',
      'alerts.parquet',
      alertsParquet((s) => `SELECT *, 'f' AS _file_id FROM (${s})`),
      /^alerts\.parquet: column _file_id has the name the loader gives its own column/,
      '_file_id',
    ),
    refusedAlerts(
      C1,
      'a column named _FILE_ID',
      'alerts.parquet',
      alertsParquet((s) => `SELECT *, 1 AS "_FILE_ID" FROM (${s})`),
      /^alerts\.parquet: column _FILE_ID has the name the loader gives its own column/,
      '_FILE_ID',
    ),
    refusedAlerts(
      C1,
      "a column with the loader's staging prefix",
      'alerts.parquet',
      alertsParquet((s) => `SELECT *, 1 AS __label_lab_file_rowid FROM (${s})`),
      /^alerts\.parquet: column __label_lab_file_rowid uses a name the loader keeps for itself/,
      '__label_lab_file_rowid',
    ),
    sot(
      C1,
      'rowid file loaded together with a good snapshot: everything loads',
      async (rt) => {
        const d = nextDate();
        const dir = `snapshots/torus/${d}/7`;
        return [
          memFile(
            `${dir}/alerts.parquet`,
            await parquetOf(rt, `SELECT *, 'x' AS rowid FROM (${alertsSql({ date: d })})`),
          ),
          memFile(`${dir}/features.parquet`, await parquetOf(rt, featuresSql({ date: d }))),
        ];
      },
      { loaded: [] as string[] },
    ),
  );
  // The case above lists its paths once the date is known: fill them in after building.
  const mixed = cases[cases.length - 1]!;
  mixed.files = wrapPaths(mixed.files, (paths) => (mixed.expect.loaded = paths));

  // --- One bad file never stops the good files of the same load.
  const C2 = 'mixed loads';
  const mixedLoad = (
    name: string,
    bad: (rt: Runtime, d: string) => Promise<Uint8Array | string>,
    badName: string,
    message: RegExp,
  ) => {
    const c = sot(
      C2,
      name,
      async (rt) => {
        const d = nextDate();
        const dir = `snapshots/torus/${d}/7`;
        const good = [
          memFile(`${dir}/alerts.parquet`, await parquetOf(rt, alertsSql({ date: d }))),
          memFile(`${dir}/money_flows.parquet`, await parquetOf(rt, flowsSql(d, 7))),
        ];
        return [...good, memFile(`${dir}/${badName}`, await bad(rt, d))];
      },
      { refused: [], loaded: [] },
    );
    c.files = wrapPaths(c.files, (paths) => {
      c.expect.loaded = paths.slice(0, 2);
      c.expect.refused = [{ file: paths[2]!, message }];
    });
    return c;
  };
  add(
    mixedLoad(
      'a truncated features file beside good alerts and flows',
      async (rt, d) => (await parquetOf(rt, featuresSql({ date: d }))).slice(0, 200),
      'features.parquet',
      /cannot read it as Parquet \(it does not end with the Parquet magic bytes PAR1: the file is truncated\)/,
    ),
    mixedLoad(
      'garbage clusters beside good files',
      async () => new Uint8Array(500).fill(0x41),
      'clusters.parquet',
      /cannot read it as Parquet \(it does not start with the Parquet magic bytes PAR1: not a Parquet file\)/,
    ),
    mixedLoad(
      'features with a wrong type beside good files',
      async (rt, d) => parquetOf(rt, `SELECT * REPLACE ('x' AS window_days) FROM (${featuresSql({ date: d })})`),
      'features.parquet',
      /column window_days should be an integer, found VARCHAR/,
    ),
    mixedLoad(
      'a ragged CSV beside good files',
      async (_rt, d) => `window_days,processing_date,address\n7,${d},a\n7,${d}\n`,
      'features.csv',
      /record 2 \(line 3\) has 2 fields but the header has 3/,
    ),
    mixedLoad(
      'a damaged Arrow file beside good files',
      async (rt, d) => damage(await arrowOf(rt, featuresSql({ date: d })), 20, 120, 7),
      'features.arrow',
      /not a valid Arrow IPC file or stream/,
    ),
    mixedLoad(
      'a features file of another date beside good files',
      async (rt) => parquetOf(rt, featuresSql({ date: '2001-01-01' })),
      'features.parquet',
      /say processing_date 2001-01-01, window_days 7 \(first at row 1\), but its folder/,
    ),
  );

  // --- CSV shape.
  const C3 = 'CSV shape';
  add(
    refusedAlerts(
      C3,
      'a record with too few fields',
      'alerts.csv',
      async (_rt, d) => `${alertsCsv(d)}7,${d},c-9,addr-9,PEEL_CHAIN,high\n`,
      /^alerts\.csv: not a well-formed CSV file: record 4 \(line 5\) has 6 fields but the header has 7$/,
    ),
    refusedAlerts(
      C3,
      'a record with too many fields',
      'alerts.csv',
      async (_rt, d) => `${ALERT_HEADER}\n7,${d},c-1,addr-1,PEEL_CHAIN,high,0.8,extra\n`,
      /record 1 \(line 2\) has 8 fields but the header has 7/,
    ),
    refusedAlerts(
      C3,
      'a quoted field never closed',
      'alerts.csv',
      async (_rt, d) => `${ALERT_HEADER}\n7,${d},"c-1,addr-1,PEEL_CHAIN,high,0.8\n`,
      /a quoted field opened on line 2 is never closed/,
    ),
    refusedAlerts(
      C3,
      'binary bytes named .csv',
      'alerts.csv',
      async () => new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0xff, 10, 1, 2]),
      /^alerts\.csv: not a well-formed CSV file: it holds binary data \(a NUL byte at byte 5\), not text$/,
    ),
    refusedAlerts(
      C3,
      'Parquet bytes named .csv',
      'alerts.csv',
      (rt, d) => parquetOf(rt, alertsSql({ date: d })),
      /^alerts\.csv: not a well-formed CSV file: it holds binary data/,
    ),
    refusedAlerts(C3, 'an empty file', 'alerts.csv', async () => '', /^alerts\.csv: the file is empty$/),
    sot(C3, 'only a header: no rows, nothing loaded', async () => [memFile('alerts.csv', `${ALERT_HEADER}\n`)], {
      loaded: [],
      warnings: [
        { file: 'alerts.csv', message: /^alerts\.csv: the file has no rows, only a header: nothing to load$/ },
      ],
    }),
    sot(
      C3,
      'only a header, without a final line break',
      async () => [memFile('features.csv', 'window_days,processing_date,address')],
      { loaded: [], warnings: [{ file: 'features.csv', message: /the file has no rows, only a header/ }] },
    ),
    sot(C3, 'only blank lines', async () => [memFile('alerts.csv', '\n\n  \n')], {
      refused: [{ file: 'alerts.csv', message: /^alerts\.csv: not a well-formed CSV file: it has no header line$/ }],
      loaded: [],
    }),
    acceptedOne(C3, 'CRLF line ends', 'alerts.csv', async (_rt, d) => alertsCsv(d, 3, '\r\n')),
    acceptedOne(C3, 'a byte order mark', 'alerts.csv', async (_rt, d) => `\ufeff${alertsCsv(d)}`),
    acceptedOne(C3, 'semicolons as delimiter', 'alerts.csv', async (_rt, d) => alertsCsv(d).replace(/,/g, ';')),
    acceptedOne(C3, 'tabs as delimiter', 'alerts.csv', async (_rt, d) => alertsCsv(d).replace(/,/g, '\t')),
    acceptedOne(
      C3,
      'quoted fields holding commas, quotes and line breaks',
      'alerts.csv',
      async (_rt, d) =>
        `${ALERT_HEADER},description\n7,${d},q-1,addr-1,PEEL_CHAIN,high,0.8,"a, ""quoted""\nmulti-line text"\n`,
    ),
    acceptedOne(C3, 'blank lines at the end', 'alerts.csv', async (_rt, d) => `${alertsCsv(d)}\n\n\n`),
  );

  // --- Parquet.
  const C4 = 'Parquet bytes';
  const good = (rt: Runtime, d: string) => parquetOf(rt, alertsSql({ date: d }));
  const cut = (n: number | ((len: number) => number)) => async (rt: Runtime, d: string) => {
    const b = await good(rt, d);
    return b.slice(0, typeof n === 'number' ? n : n(b.length));
  };
  add(
    refusedAlerts(
      C4,
      'truncated to 10 bytes',
      'alerts.parquet',
      cut(10),
      /^alerts\.parquet: cannot read it as Parquet \(it does not end with the Parquet magic bytes PAR1: the file is truncated\)$/,
    ),
    refusedAlerts(
      C4,
      'truncated to half',
      'alerts.parquet',
      cut((n) => n >> 1),
      /cannot read it as Parquet \(it does not end with the Parquet magic bytes PAR1: the file is truncated\)/,
    ),
    refusedAlerts(
      C4,
      'the last byte cut off',
      'alerts.parquet',
      cut((n) => n - 1),
      /cannot read it as Parquet \(it does not end with the Parquet magic bytes PAR1/,
    ),
    refusedAlerts(
      C4,
      'the magic bytes alone',
      'alerts.parquet',
      async () => 'PAR1',
      /^alerts\.parquet: cannot read it as Parquet \(it does not end with the Parquet magic bytes PAR1: the file is truncated\)$/,
    ),
    refusedAlerts(
      C4,
      'a footer length larger than the file',
      'alerts.parquet',
      async (rt, d) => {
        const b = await good(rt, d);
        new DataView(b.buffer, b.byteOffset).setUint32(b.length - 8, 0x7fffffff, true);
        return b;
      },
      /cannot read it as Parquet \(its footer length \(2147483647 bytes\) does not fit the file: the file is damaged\)/,
    ),
    refusedAlerts(
      C4,
      'a footer overwritten with garbage',
      'alerts.parquet',
      async (rt, d) => {
        const b = await good(rt, d);
        const len = new DataView(b.buffer, b.byteOffset).getUint32(b.length - 8, true);
        return damage(b, b.length - 8 - len, b.length - 8, 0xff);
      },
      /cannot read it as Parquet \(its footer is damaged/,
    ),
    refusedAlerts(
      C4,
      'an encrypted footer (PARE)',
      'alerts.parquet',
      async () => `PARE${'x'.repeat(20)}PARE`,
      /cannot read it as Parquet \(encrypted Parquet is not supported\)/,
    ),
    refusedAlerts(
      C4,
      'garbage bytes',
      'alerts.parquet',
      async () => crypto.getRandomValues(new Uint8Array(4096)),
      /^alerts\.parquet: cannot read it as Parquet \(it does not start with the Parquet magic bytes/,
    ),
    refusedAlerts(
      C4,
      'CSV text named .parquet',
      'alerts.parquet',
      async (_rt, d) => alertsCsv(d),
      /not a Parquet file/,
    ),
    refusedAlerts(
      C4,
      'zero bytes',
      'alerts.parquet',
      async () => new Uint8Array(0),
      /^alerts\.parquet: the file is empty$/,
    ),
    refusedAlerts(
      C4,
      'column data damaged inside a valid frame',
      'alerts.parquet',
      async (rt, d) => {
        const b = await parquetWith(rt, alertsSql({ date: d, n: 200 }), { dictionary: false });
        return damage(b, 8, 600, 0xee);
      },
      /^alerts\.parquet: (cannot read it as Parquet|could not be decoded|column )/,
    ),
  );
  // A file that makes parquet-wasm panic ("unreachable"), then a good one in the same load.
  add(
    sot(
      C4,
      'a file that crashes the decoder, then a good file',
      async (rt) => [
        memFile('crash/alerts.parquet', await panickingParquet(rt, nextDate())),
        memFile('next/alerts.parquet', await good(rt, nextDate())),
      ],
      {
        refused: [
          {
            file: 'crash/alerts.parquet',
            message:
              /^crash\/alerts\.parquet: could not be decoded: the Parquet decoder crashed on it \(the file is damaged, or too large once decompressed\)$/,
          },
        ],
        loaded: ['next/alerts.parquet'],
      },
    ),
  );
  // Decoded-size limit: a ZSTD file of repeated text, small on disk, large once decoded.
  const C5 = 'decode size limit';
  const bigText = (d: string, rows: number) =>
    `SELECT * REPLACE (repeat('x', 20000) || alert_id AS description) FROM (${alertsSql({ date: d, n: rows })})`;
  add(
    sot(
      C5,
      'a ZSTD file decoding past the limit, by its footer',
      async (rt) => [
        memFile('alerts.parquet', await parquetWith(rt, bigText(nextDate(), 300), { zstd: true, dictionary: false })),
      ],
      {
        refused: [
          {
            file: 'alerts.parquet',
            message:
              /^alerts\.parquet: refused: decoded, its footer says it takes 5\.\d MiB, over the limit of 1\.0 MiB per file \(raise it with --max-decoded-bytes in lab, or under Load data › Limits in the app\)$/,
          },
        ],
        loaded: [],
      },
      { maxDecodedBytes: 1024 ** 2 },
    ),
    sot(
      C5,
      'dictionary-encoded text decoding past the limit, row group by row group',
      async (rt) => [
        memFile(
          'alerts.parquet',
          await parquetWith(
            rt,
            `SELECT * REPLACE (repeat('y', 20000) AS description) FROM (${alertsSql({ date: nextDate(), n: 160 })})`,
            { dictionary: true, rowGroupSize: 20 },
          ),
        ),
      ],
      {
        refused: [
          {
            file: 'alerts.parquet',
            message:
              /^alerts\.parquet: refused: decoded, it had reached \d+\.\d MiB before its end, over the limit of 1\.0 MiB per file/,
          },
        ],
        loaded: [],
      },
      { maxDecodedBytes: 1024 ** 2 },
    ),
    (() => {
      const c = sot(
        C5,
        'the file after a refused one still decodes',
        async (rt) => {
          const d = nextDate();
          return [
            memFile(`big/alerts.parquet`, await parquetWith(rt, bigText(d, 300), { zstd: true, dictionary: false })),
            memFile(
              `small/alerts.parquet`,
              await parquetWith(rt, alertsSql({ date: nextDate() }), { zstd: true, dictionary: false }),
            ),
          ];
        },
        {
          refused: [{ file: 'big/alerts.parquet', message: /over the limit of 1\.0 MiB per file/ }],
          loaded: ['small/alerts.parquet'],
        },
        { maxDecodedBytes: 1024 ** 2 },
      );
      return c;
    })(),
    acceptedOne(C5, 'the same file under the default limit', 'alerts.parquet', (rt, d) =>
      parquetWith(rt, bigText(d, 300), { zstd: true, dictionary: false }),
    ),
  );

  // --- Arrow IPC.
  const C6 = 'Arrow IPC bytes';
  const arrowFile = (rt: Runtime, d: string) => arrowOf(rt, alertsSql({ date: d }), 'file');
  const arrowStream = (rt: Runtime, d: string) => arrowOf(rt, alertsSql({ date: d }), 'stream');
  add(
    refusedAlerts(
      C6,
      'file format, truncated',
      'alerts.arrow',
      async (rt, d) => (await arrowFile(rt, d)).slice(0, 200),
      /^alerts\.arrow: not a valid Arrow IPC file or stream: it starts like an Arrow file but does not end with ARROW1: the file is truncated$/,
    ),
    refusedAlerts(
      C6,
      'file format, metadata overwritten (apache-arrow looped on it)',
      'alerts.arrow',
      async (rt, d) => damage(await arrowFile(rt, d), 20, 120, 7),
      /^alerts\.arrow: not a valid Arrow IPC file or stream: /,
    ),
    refusedAlerts(
      C6,
      'file format, footer overwritten',
      'alerts.feather',
      async (rt, d) => {
        const b = await arrowFile(rt, d);
        return damage(b, b.length - 200, b.length - 10, 0x33);
      },
      /^alerts\.feather: not a valid Arrow IPC file or stream: /,
    ),
    refusedAlerts(
      C6,
      'stream format, truncated',
      'alerts.arrows',
      async (rt, d) => (await arrowStream(rt, d)).slice(0, 300),
      /^alerts\.arrows: not a valid Arrow IPC file or stream: a message claims/,
    ),
    refusedAlerts(
      C6,
      'stream format, schema overwritten',
      'alerts.arrows',
      async (rt, d) => damage(await arrowStream(rt, d), 8, 200, 0xab),
      /^alerts\.arrows: not a valid Arrow IPC file or stream: /,
    ),
    refusedAlerts(
      C6,
      'garbage bytes',
      'alerts.arrow',
      async () => crypto.getRandomValues(new Uint8Array(2048)),
      /^alerts\.arrow: not a valid Arrow IPC file or stream: /,
    ),
    refusedAlerts(
      C6,
      'CSV text named .arrow',
      'alerts.arrow',
      async (_rt, d) => alertsCsv(d),
      /^alerts\.arrow: not a valid Arrow IPC file or stream: /,
    ),
    acceptedOne(C6, 'a good Arrow file', 'alerts.arrow', arrowFile),
    acceptedOne(C6, 'a good Arrow stream', 'alerts.arrows', arrowStream),
  );

  // --- Required columns and their types.
  const C7 = 'wrong types';
  const wrongType = (table: string, sql: (d: string) => string, column: string, found: RegExp) =>
    refusedAlerts(
      C7,
      `${table}.${column}`,
      `${table}.parquet`,
      (rt, d) => parquetOf(rt, sql(d)),
      new RegExp(`^${table}\\.parquet: column ${column} should be .*, found ${found.source}$`),
      column,
    );
  add(
    wrongType(
      'alerts',
      (d) => `SELECT * REPLACE ('seven' AS window_days) FROM (${alertsSql({ date: d })})`,
      'window_days',
      /VARCHAR/,
    ),
    wrongType(
      'alerts',
      (d) => `SELECT * REPLACE ('high' AS alert_confidence_score) FROM (${alertsSql({ date: d })})`,
      'alert_confidence_score',
      /VARCHAR/,
    ),
    wrongType(
      'alerts',
      (d) => `SELECT * REPLACE (12 AS address) FROM (${alertsSql({ date: d })})`,
      'address',
      /INTEGER/,
    ),
    wrongType(
      'alerts',
      (d) => `SELECT * REPLACE (true AS processing_date) FROM (${alertsSql({ date: d })})`,
      'processing_date',
      /BOOLEAN/,
    ),
    wrongType(
      'alerts',
      (d) => `SELECT * REPLACE (1.5 AS severity) FROM (${alertsSql({ date: d })})`,
      'severity',
      /DECIMAL\(2,1\)/,
    ),
    wrongType(
      'features',
      (d) => `SELECT * REPLACE (42 AS address) FROM (${featuresSql({ date: d })})`,
      'address',
      /INTEGER/,
    ),
    wrongType(
      'money_flows',
      (d) => `SELECT * REPLACE ('three' AS tx_count) FROM (${flowsSql(d, 7)})`,
      'tx_count',
      /VARCHAR/,
    ),
    wrongType(
      'money_flows',
      (d) => `SELECT * REPLACE ('lots' AS amount_usd_sum) FROM (${flowsSql(d, 7)})`,
      'amount_usd_sum',
      /VARCHAR/,
    ),
    refusedAlerts(
      C7,
      'ground_truth.is_illicit text that is not a boolean',
      'ground_truth.csv',
      async (_rt, d) => `alert_id,processing_date,is_illicit\nalert-1,${d},maybe\n`,
      /^ground_truth\.csv: column is_illicit has 1 value that cannot be read as a boolean \(or 0\/1\) \(first at row 1\)$/,
      'is_illicit',
    ),
    refusedAlerts(
      C7,
      'a date that is not a date',
      'features.csv',
      async (_rt, d) => `window_days,processing_date,address\n7,${d},a\n7,last tuesday,b\n`,
      /^features\.csv: column processing_date has 1 value that cannot be read as a date .* \(first at row 2\)$/,
      'processing_date',
    ),
  );
  const C8 = 'missing required columns';
  const missing = (table: string, sql: (d: string) => string, column: string) =>
    refusedAlerts(
      C8,
      `${table} without ${column}`,
      `${table}.parquet`,
      (rt, d) => parquetOf(rt, `SELECT * EXCLUDE (${column}) FROM (${sql(d)})`),
      new RegExp(`^${table}\\.parquet: missing required column ${column} \\(expected .+\\)$`),
      column,
    );
  const clustersSql = (d: string) =>
    `SELECT 7 AS window_days, DATE '${d}' AS processing_date, 'cl-' || i AS cluster_id, 'same_entity' AS cluster_type FROM range(3) t(i)`;
  const labelsSql = () => `SELECT 'addr-' || i AS address, 'exchange' AS label, 'low' AS risk_level FROM range(3) t(i)`;
  const truthSql = (d: string) =>
    `SELECT 'alert-' || i AS alert_id, DATE '${d}' AS processing_date, i % 2 = 0 AS is_illicit FROM range(3) t(i)`;
  add(
    missing('alerts', (d) => alertsSql({ date: d }), 'address'),
    missing('alerts', (d) => alertsSql({ date: d }), 'alert_id'),
    missing('alerts', (d) => alertsSql({ date: d }), 'severity'),
    missing('features', (d) => featuresSql({ date: d }), 'processing_date'),
    missing('clusters', clustersSql, 'cluster_type'),
    missing('money_flows', (d) => flowsSql(d, 7), 'amount_usd_sum'),
    missing('torus_address_labels', labelsSql, 'risk_level'),
    missing('ground_truth', truthSql, 'is_illicit'),
  );
  // Good files of the optional tables, so the missing-column cases are not refusing everything.
  add(
    acceptedOne(C8, 'clusters with every required column', 'clusters.parquet', (rt, d) =>
      parquetOf(rt, clustersSql(d)),
    ),
    acceptedOne(C8, 'address labels with every required column', 'address-labels/torus_address_labels.parquet', (rt) =>
      parquetOf(rt, labelsSql()),
    ),
    acceptedOne(C8, 'ground truth with every required column', 'ground_truth.parquet', (rt, d) =>
      parquetOf(rt, truthSql(d)),
    ),
  );

  // --- Keys.
  const C9 = 'duplicate keys';
  const dupe = (table: string, sql: (d: string) => string, key: string) =>
    refusedAlerts(
      C9,
      `${table}: a key twice in the file`,
      `${table}.parquet`,
      (rt, d) => parquetOf(rt, `SELECT * FROM (${sql(d)}) UNION ALL (SELECT * FROM (${sql(d)}) LIMIT 1)`),
      new RegExp(`^${table}\\.parquet: 1 key \\(${key}\\) appear more than once \\(first at row \\d+\\)$`),
    );
  add(
    dupe('alerts', (d) => alertsSql({ date: d }), 'alert_id, window_days, processing_date'),
    dupe('features', (d) => featuresSql({ date: d }), 'address, window_days, processing_date'),
    dupe('clusters', clustersSql, 'cluster_id, window_days, processing_date'),
    dupe('ground_truth', truthSql, 'alert_id, processing_date'),
    refusedAlerts(
      C9,
      'money_flows: a pair twice in the file',
      'money_flows.parquet',
      (rt, d) => parquetOf(rt, `${flowsSql(d, 7)} UNION ALL ${flowsSql(d, 7)}`),
      /^money_flows\.parquet: 1 key \(from_address, to_address, window_days, processing_date\) appear more than once/,
    ),
    sot(
      C9,
      "the baseline's keys again, in another encoding",
      async () => [
        memFile(
          'alerts.csv',
          `${ALERT_HEADER}\n7,${BASELINE.date},alert-0,addr-0,P,high,0.8\n7,${BASELINE.date},alert-1,addr-1,P,high,0.8\n`,
        ),
      ],
      {
        refused: [
          {
            file: 'alerts.csv',
            message:
              /^alerts\.csv: 2 rows of alerts with the same alert_id, window_days, processing_date are already loaded/,
            column: 'alert_id',
          },
        ],
        loaded: [],
      },
    ),
    sot(
      C9,
      'the same file twice in one load: the second is skipped',
      async (rt) => {
        const b = await parquetOf(rt, alertsSql({ date: nextDate() }));
        return [memFile('a/alerts.parquet', b), memFile('b/alerts.parquet', b)];
      },
      {
        loaded: ['a/alerts.parquet'],
        warnings: [
          { file: 'b/alerts.parquet', message: /skipped, the same file is already loaded \(as a\/alerts\.parquet\)/ },
        ],
      },
    ),
  );

  // --- Values out of range, unknown values, NULLs where none may be.
  const C10 = 'out-of-range values';
  const bad = (name: string, sql: (d: string) => string, message: RegExp, column: string, path = 'alerts.parquet') =>
    refusedAlerts(C10, name, path, (rt, d) => parquetOf(rt, sql(d)), message, column);
  const a = (replace: string) => (d: string) => `SELECT * REPLACE (${replace}) FROM (${alertsSql({ date: d })})`;
  add(
    bad(
      'confidence 1.5',
      a(`CASE WHEN alert_id = 'alert-3' THEN 1.5 ELSE alert_confidence_score END AS alert_confidence_score`),
      /^alerts\.parquet: column alert_confidence_score has 1 value outside 0\.\.1 \(first at row 4\)$/,
      'alert_confidence_score',
    ),
    bad(
      'confidence -0.1',
      a(`-0.1 AS alert_confidence_score`),
      /column alert_confidence_score has 20 values outside 0\.\.1 \(first at row 1\)/,
      'alert_confidence_score',
    ),
    bad(
      'confidence NaN',
      a(`CASE WHEN alert_id = 'alert-5' THEN 'NaN'::DOUBLE ELSE alert_confidence_score END AS alert_confidence_score`),
      /column alert_confidence_score has 1 value outside 0\.\.1 \(first at row 6\)/,
      'alert_confidence_score',
    ),
    bad('window_days 0', a(`0 AS window_days`), /column window_days has 20 values outside 1\.\.366/, 'window_days'),
    bad('window_days 400', a(`400 AS window_days`), /column window_days has 20 values outside 1\.\.366/, 'window_days'),
    bad(
      'a severity nobody knows',
      a(`CASE WHEN alert_id = 'alert-6' THEN 'severe' ELSE severity END AS severity`),
      /column severity has 1 value outside the known set .*found 'severe' \(first at row 7\)/,
      'severity',
    ),
    bad(
      'a NULL alert_id',
      a(`CASE WHEN alert_id = 'alert-2' THEN NULL ELSE alert_id END AS alert_id`),
      /^alerts\.parquet: column alert_id has 1 empty \(NULL\) value \(first at row 3\)$/,
      'alert_id',
    ),
    bad(
      'a NULL window_days',
      a(`CASE WHEN alert_id = 'alert-0' THEN NULL ELSE window_days END AS window_days`),
      /column window_days has 1 empty \(NULL\) value \(first at row 1\)/,
      'window_days',
    ),
    bad(
      'a negative tx_count',
      (d) => `SELECT * REPLACE (-3 AS tx_count) FROM (${flowsSql(d, 7)})`,
      /^money_flows\.parquet: column tx_count has 1 value below 0 \(negative\) \(first at row 1\)$/,
      'tx_count',
      'money_flows.parquet',
    ),
    bad(
      'a negative amount_usd_sum',
      (d) => flowsSql(d, 7, '-12.5'),
      /^money_flows\.parquet: column amount_usd_sum has 1 value below 0 \(negative\) \(first at row 1\)$/,
      'amount_usd_sum',
      'money_flows.parquet',
    ),
    bad(
      'a negative amount_sum',
      (d) => `SELECT * REPLACE (-1.0 AS amount_sum) FROM (${flowsSql(d, 7)})`,
      /column amount_sum has 1 value below 0 \(negative\)/,
      'amount_sum',
      'money_flows.parquet',
    ),
    bad(
      'reciprocity 2',
      (d) => `SELECT * REPLACE (2.0 AS reciprocity_ratio) FROM (${flowsSql(d, 7)})`,
      /column reciprocity_ratio has 1 value outside 0\.\.1/,
      'reciprocity_ratio',
      'money_flows.parquet',
    ),
    refusedAlerts(
      C10,
      'a risk level nobody knows',
      'address-labels/torus_address_labels.parquet',
      (rt) => parquetOf(rt, `SELECT * REPLACE ('extreme' AS risk_level) FROM (${labelsSql()})`),
      /column risk_level has 3 values outside the known set \(low, medium, high, critical\): found 'extreme'/,
      'risk_level',
    ),
  );

  // --- Accepted, with the warning the data deserves.
  const C11 = 'accepted with a warning';
  add(
    acceptedOne(
      C11,
      'NULL severities',
      'alerts.parquet',
      alertsParquet(
        (s) => `SELECT * REPLACE (CASE WHEN alert_id = 'alert-3' THEN NULL ELSE severity END AS severity) FROM (${s})`,
      ),
      [
        /^alerts\.parquet: column severity has 1 NULL value of 20 \(5\.0%, first at row 4\); the proxy rule's severity tests fail on a NULL severity$/,
      ],
    ),
    acceptedOne(
      C11,
      'NULL confidences',
      'alerts.parquet',
      alertsParquet(
        (s) =>
          `SELECT * REPLACE (CASE WHEN alert_id IN ('alert-1', 'alert-2') THEN NULL ELSE alert_confidence_score END AS alert_confidence_score) FROM (${s})`,
      ),
      [
        /column alert_confidence_score has 2 NULL values of 20 \(10\.0%, first at row 2\); the template fills NULL confidences with 0\.5/,
      ],
    ),
    acceptedOne(
      C11,
      'a window the SOT does not make',
      'alerts.parquet',
      alertsParquet((s) => `SELECT * REPLACE (14 AS window_days) FROM (${s})`),
      [/window_days 14 is not one of the SOT's windows/],
    ),
    acceptedOne(
      C11,
      'an unknown trust level',
      'address-labels/torus_address_labels.parquet',
      async (rt) => parquetOf(rt, `SELECT *, 'shaky' AS trust_level FROM (${labelsSql()})`),
      [/column trust_level has 3 values outside the known set/],
    ),
    acceptedOne(
      C11,
      'features that match no alert',
      'features.parquet',
      (rt, d) => parquetOf(rt, featuresSql({ date: d })),
      [
        /^features\.parquet: 7 of 7 rows match no loaded alert on \(address, processing_date, window_days\); they are kept, but no alert uses them$/,
      ],
    ),
    acceptedOne(
      C11,
      'a Parquet file with no rows',
      'clusters.parquet',
      (rt, d) => parquetOf(rt, `${clustersSql(d)} LIMIT 0`),
      [/^clusters\.parquet: the file has no rows: nothing to load$/],
    ),
  );
  // A file with no rows loads nothing, so it is not among the loaded.
  cases[cases.length - 1]!.expect.loaded = [];

  // --- Column names differing only in case.
  const C12 = 'names differing in case';
  add(
    refusedAlerts(
      C12,
      'severity and SEVERITY (Parquet)',
      'alerts.parquet',
      alertsParquet((s) => `SELECT *, 'HIGH' AS "SEVERITY" FROM (${s})`),
      /^alerts\.parquet: columns severity and SEVERITY differ only in case; names are not case-sensitive, so keep one of them$/,
      'severity',
    ),
    refusedAlerts(
      C12,
      'severity and SEVERITY (CSV)',
      'alerts.csv',
      async (_rt, d) => `${ALERT_HEADER},SEVERITY\n7,${d},c-1,addr-1,P,high,0.8,low\n`,
      /^alerts\.csv: columns severity and SEVERITY differ only in case/,
      'severity',
    ),
    refusedAlerts(
      C12,
      'Degree_In and degree_in in features (Arrow)',
      'features.arrow',
      (rt, d) => arrowOf(rt, `SELECT *, 1 AS "Degree_In" FROM (${featuresSql({ date: d })})`),
      /^features\.arrow: columns degree_in and Degree_In differ only in case/,
      'degree_in',
    ),
  );

  // --- META.json and the snapshot folder.
  const C13 = 'META.json and folders';
  const snap = async (rt: Runtime, d: string, edit: (meta: Record<string, unknown>) => void = () => {}) => {
    const dir = `snapshots/torus/${d}/7`;
    const alerts = memFile(`${dir}/alerts.parquet`, await parquetOf(rt, alertsSql({ date: d })));
    const meta = JSON.parse(
      new TextDecoder().decode(await (await metaJson(dir, [alerts], { alerts: 20 })).read()),
    ) as Record<string, unknown>;
    edit(meta);
    return { dir, alerts, meta: memFile(`${dir}/META.json`, JSON.stringify(meta)) };
  };
  const metaCase = (
    name: string,
    make: (rt: Runtime, d: string) => Promise<SourceFile[]>,
    expect: (dir: string) => SotExpect,
  ) => {
    let dir = '';
    const c = sot(
      C13,
      name,
      async (rt) => {
        const d = nextDate();
        dir = `snapshots/torus/${d}/7`;
        return make(rt, d);
      },
      {},
    );
    c.files = wrapPaths(c.files, () => Object.assign(c.expect, expect(dir)));
    return c;
  };
  add(
    metaCase(
      'an alerts file whose sha256 META.json does not list',
      async (rt, d) => {
        const s = await snap(rt, d);
        return [memFile(s.alerts.path, await parquetOf(rt, alertsSql({ date: d, n: 20, from: 1 }))), s.meta];
      },
      (dir) => ({
        refused: [
          {
            file: `${dir}/alerts.parquet`,
            message:
              /its sha256 is [0-9a-f]{12}… but .*META\.json says [0-9a-f]{12}…: the file is damaged or not the one the snapshot was made with/,
          },
        ],
        loaded: [],
      }),
    ),
    metaCase(
      'a row count META.json does not say',
      async (rt, d) => {
        const s = await snap(rt, d, (m) => ((m.counts as Record<string, number>).alerts = 21));
        return [s.alerts, s.meta];
      },
      (dir) => ({
        refused: [{ file: `${dir}/alerts.parquet`, message: /has 20 rows but .*META\.json counts 21 alerts/ }],
        loaded: [],
      }),
    ),
    metaCase(
      'a sha256 that is not hex',
      async (rt, d) => {
        const s = await snap(rt, d, (m) => ((m.sha256 as Record<string, string>)['alerts.parquet'] = 'not-a-digest'));
        return [s.alerts, s.meta];
      },
      (dir) => ({
        refused: [
          {
            file: `${dir}/META.json`,
            message: /META\.json: field sha256\.alerts\.parquet: .*; the snapshot's files are loaded unverified/,
          },
        ],
        loaded: [`${dir}/alerts.parquet`],
      }),
    ),
    metaCase(
      'META.json that is not JSON',
      async (rt, d) => {
        const s = await snap(rt, d);
        return [s.alerts, memFile(s.meta.path, '{"schema_version": "1.0.0",')];
      },
      (dir) => ({
        refused: [
          {
            file: `${dir}/META.json`,
            message: /META\.json: not valid JSON .*; the snapshot's files are loaded unverified/,
          },
        ],
        loaded: [`${dir}/alerts.parquet`],
      }),
    ),
    metaCase(
      'META.json without its batch_id',
      async (rt, d) => {
        const s = await snap(rt, d, (m) => delete m.batch_id);
        return [s.alerts, s.meta];
      },
      (dir) => ({
        refused: [{ file: `${dir}/META.json`, message: /META\.json: field batch_id: / }],
        loaded: [`${dir}/alerts.parquet`],
      }),
    ),
    metaCase(
      "META.json whose date is not its folder's",
      async (rt, d) => {
        const s = await snap(rt, d, (m) => (m.processing_date = '2020-02-02'));
        return [s.alerts, s.meta];
      },
      (dir) => ({
        refused: [
          {
            file: `${dir}/META.json`,
            message:
              /META\.json: says processing_date 2020-02-02, window_days 7, but its folder is \d{4}-\d\d-\d\d\/7; the snapshot's files are loaded unverified/,
          },
        ],
        loaded: [`${dir}/alerts.parquet`],
      }),
    ),
    metaCase(
      "META.json whose window is not its folder's",
      async (rt, d) => {
        const s = await snap(rt, d, (m) => (m.window_days = 30));
        return [s.alerts, s.meta];
      },
      (dir) => ({
        refused: [
          {
            file: `${dir}/META.json`,
            message: /says processing_date \d{4}-\d\d-\d\d, window_days 30, but its folder is/,
          },
        ],
        loaded: [`${dir}/alerts.parquet`],
      }),
    ),
    metaCase(
      "rows of another window than their folder's",
      async (rt, d) => [
        memFile(`snapshots/torus/${d}/7/alerts.parquet`, await parquetOf(rt, alertsSql({ date: d, window: 30 }))),
      ],
      (dir) => ({
        refused: [
          {
            file: `${dir}/alerts.parquet`,
            message:
              /: 20 rows of 20 say processing_date \d{4}-\d\d-\d\d, window_days 30 \(first at row 1\), but its folder snapshots\/torus\/\d{4}-\d\d-\d\d\/7 says \d{4}-\d\d-\d\d, 7: the file is not this snapshot's$/,
            column: 'processing_date',
          },
        ],
        loaded: [],
      }),
    ),
    metaCase(
      "some rows of another date than their folder's",
      async (rt, d) => [
        memFile(
          `snapshots/torus/${d}/7/alerts.parquet`,
          await parquetOf(
            rt,
            `SELECT * REPLACE (CASE WHEN alert_id = 'alert-4' THEN DATE '2019-09-09' ELSE processing_date END AS processing_date) FROM (${alertsSql({ date: d })})`,
          ),
        ),
      ],
      (dir) => ({
        refused: [
          {
            file: `${dir}/alerts.parquet`,
            message: /: 1 row of 20 say processing_date 2019-09-09, window_days 7 \(first at row 5\)/,
          },
        ],
        loaded: [],
      }),
    ),
    sot(
      C13,
      "a loose folder's rows against its META.json",
      async (rt) => {
        const d = nextDate();
        const alerts = memFile('loose/alerts.parquet', await parquetOf(rt, alertsSql({ date: d })));
        const meta = JSON.parse(
          new TextDecoder().decode(await (await metaJson(`torus/2011-11-11/7`, [alerts], { alerts: 20 })).read()),
        ) as Record<string, unknown>;
        return [alerts, memFile('loose/META.json', JSON.stringify(meta))];
      },
      {
        refused: [
          {
            file: 'loose/alerts.parquet',
            message:
              /say processing_date \d{4}-\d\d-\d\d, window_days 7 \(first at row 1\), but loose\/META\.json says 2011-11-11, 7/,
          },
        ],
        loaded: [],
      },
    ),
  );

  // --- File names and extensions.
  const C14 = 'names and extensions';
  add(
    sot(C14, 'a name that is no SOT table', async (rt) => [memFile('wallets.parquet', await good(rt, nextDate()))], {
      refused: [{ file: 'wallets.parquet', message: /^wallets\.parquet: the file name does not name an SOT table/ }],
      loaded: [],
    }),
    sot(C14, 'a spreadsheet', async () => [memFile('alerts.xlsx', 'PK\x03\x04')], {
      loaded: [],
      warnings: [{ file: 'alerts.xlsx', message: /^alerts\.xlsx: skipped, not a Parquet, Arrow IPC or CSV file$/ }],
    }),
    sot(C14, 'no extension at all', async () => [memFile('alerts', 'x')], {
      loaded: [],
      warnings: [{ file: 'alerts', message: /skipped, not a Parquet, Arrow IPC or CSV file/ }],
    }),
    sot(C14, 'notes beside the data are skipped without a word', async () => [memFile('README.md', '# notes')], {
      loaded: [],
    }),
    sot(
      C14,
      'a labels folder inside the data',
      async () => [memFile('labels/my-labels.csv', 'alert_id,label\na,1\n')],
      {
        loaded: [],
        warnings: [{ file: 'labels/my-labels.csv', message: /skipped, files under labels\/ are label sets/ }],
      },
    ),
    acceptedOne(C14, 'an upper-case extension', 'alerts.PARQUET', good),
    acceptedOne(C14, 'an old table name (raw_alerts)', 'raw_alerts.parquet', good),
  );
  return cases;
}

/**
 * Bytes that make parquet-wasm panic: a seeded search over small corruptions of a file's column
 * data, keeping its footer intact (one in about a hundred panics; the search is deterministic).
 */
async function panickingParquet(rt: Runtime, date: string): Promise<Uint8Array> {
  const base = await parquetOf(rt, alertsSql({ date, n: 200 }));
  const footer = new DataView(base.buffer, base.byteOffset).getUint32(base.length - 8, true);
  const body = base.length - 8 - footer;
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 1000; i++) {
    const b = base.slice();
    for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) b[4 + Math.floor(rnd() * (body - 4))] = Math.floor(rnd() * 256);
    try {
      for await (const part of rt.parquet.toIPC(b)) void part;
    } catch (e) {
      if ((e as Error).name === 'RuntimeError') return b;
    }
  }
  throw new Error('no corruption made parquet-wasm panic in 1000 tries');
}

/** Call `then` with the built files' paths, once the builder has run (the paths hold its dates). */
function wrapPaths(
  build: (rt: Runtime) => Promise<SourceFile[]>,
  then: (paths: string[]) => void,
): (rt: Runtime) => Promise<SourceFile[]> {
  return async (rt) => {
    const files = await build(rt);
    then(files.map((f) => f.path));
    return files;
  };
}

/** Label files: each refused with its reason, or imported. */
export function labelsCases(): LabelsCase[] {
  const C = 'label files';
  const file = (path: string, content: string | Uint8Array) => async () => memFile(path, content);
  return [
    {
      kind: 'labels',
      class: C,
      name: 'only a header',
      file: file('labels.csv', 'alert_id,label\n'),
      expect: { refused: /^labels\.csv: refused, it has a header but no rows: there are no labels to import$/ },
    },
    {
      kind: 'labels',
      class: C,
      name: 'an empty JSON array',
      file: file('labels.json', '[]'),
      expect: { refused: /^labels\.json: / },
    },
    {
      kind: 'labels',
      class: C,
      name: 'JSON that is not JSON',
      file: file('labels.json', '{"alert_id": '),
      expect: { refused: /^labels\.json: / },
    },
    {
      kind: 'labels',
      class: C,
      name: 'a ragged CSV',
      file: file('labels.csv', 'alert_id,label,note\nalert-1,1\n'),
      expect: {
        refused: /^labels\.csv: not a well-formed CSV file: record 1 \(line 2\) has 2 fields but the header has 3$/,
      },
    },
    {
      kind: 'labels',
      class: C,
      name: 'garbage named .parquet',
      file: file('labels.parquet', 'hello'),
      expect: { refused: /^labels\.parquet: cannot read it as Parquet/ },
    },
    {
      kind: 'labels',
      class: C,
      name: 'an unknown extension',
      file: file('labels.xlsx', 'PK'),
      expect: { refused: /^labels\.xlsx: not a labels file we can read/ },
    },
    {
      kind: 'labels',
      class: C,
      name: 'a column named rowid is kept apart from row numbers',
      file: file('labels.csv', 'rowid,alert_id,label\nz,alert-1,1\ny,alert-2,0\n'),
      expect: { accepted: 2 },
    },
    {
      kind: 'labels',
      class: C,
      name: 'a good labels file',
      file: file('labels.csv', 'alert_id,label\nalert-3,1\nalert-4,0\n'),
      expect: { accepted: 2 },
    },
  ];
}

/** Paths on disk: links followed, special files refused at once, never a hang. */
export function pathCases(): CallCase[] {
  const C = 'paths on disk';
  const call = (name: string, run: CallCase['run']): CallCase => ({ kind: 'call', class: C, name, run });
  return [
    call('a symlink to a good file inside the data folder is found and loaded', async ({ rt, tmp }) => {
      const { mkdir, symlink, writeFile } = await import('node:fs/promises');
      const { filesFromPaths } = await import('../../src/node/files.ts');
      const { Lab } = await import('../../src/sot/lab.ts');
      const d = nextDate();
      await mkdir(`${tmp}/store`, { recursive: true });
      await mkdir(`${tmp}/data1`, { recursive: true });
      await writeFile(`${tmp}/store/alerts.parquet`, await parquetOf(rt, alertsSql({ date: d })));
      await symlink(`${tmp}/store/alerts.parquet`, `${tmp}/data1/alerts.parquet`);
      const files = await filesFromPaths([`${tmp}/data1`]);
      const paths = files.map((f) => f.path);
      if (paths.join() !== `${tmp}/data1/alerts.parquet`) return [`found ${paths.join(', ') || 'nothing'}`];
      const report = await (await Lab.open(rt)).load(files);
      return report.loaded.length === 1 ? [] : [`not loaded: ${report.problems.map((p) => p.message).join('; ')}`];
    }),
    call('a symlinked folder is walked', async ({ rt, tmp }) => {
      const { mkdir, symlink, writeFile } = await import('node:fs/promises');
      const { filesFromPaths } = await import('../../src/node/files.ts');
      await mkdir(`${tmp}/real2/7`, { recursive: true });
      await mkdir(`${tmp}/data2`, { recursive: true });
      await writeFile(`${tmp}/real2/7/features.parquet`, await parquetOf(rt, featuresSql()));
      await symlink(`${tmp}/real2`, `${tmp}/data2/linked`);
      const paths = (await filesFromPaths([`${tmp}/data2`])).map((f) => f.path);
      return paths.join() === `${tmp}/data2/linked/7/features.parquet`
        ? []
        : [`found ${paths.join(', ') || 'nothing'}`];
    }),
    call('a dangling symlink is left out, the rest is found', async ({ tmp }) => {
      const { mkdir, symlink, writeFile } = await import('node:fs/promises');
      const { filesFromPaths } = await import('../../src/node/files.ts');
      await mkdir(`${tmp}/data3`, { recursive: true });
      await writeFile(`${tmp}/data3/alerts.csv`, 'x\n');
      await symlink(`${tmp}/nowhere.parquet`, `${tmp}/data3/features.parquet`);
      const paths = (await filesFromPaths([`${tmp}/data3`])).map((f) => f.path);
      return paths.join() === `${tmp}/data3/alerts.csv` ? [] : [`found ${paths.join(', ')}`];
    }),
    call('a symlink cycle ends, each file once', async ({ tmp }) => {
      const { mkdir, symlink, writeFile } = await import('node:fs/promises');
      const { filesFromPaths } = await import('../../src/node/files.ts');
      await mkdir(`${tmp}/data4/sub`, { recursive: true });
      await writeFile(`${tmp}/data4/sub/alerts.csv`, 'x\n');
      await symlink(`${tmp}/data4`, `${tmp}/data4/sub/loop`);
      const paths = (await filesFromPaths([`${tmp}/data4`])).map((f) => f.path);
      return paths.join() === `${tmp}/data4/sub/alerts.csv` ? [] : [`found ${paths.join(', ')}`];
    }),
    call('a FIFO given as a path is refused at once', async ({ tmp }) => {
      const { filesFromPaths } = await import('../../src/node/files.ts');
      const fifo = await makeFifo(`${tmp}/pipe.parquet`);
      const t0 = performance.now();
      const err = await filesFromPaths([fifo]).then(
        () => null,
        (e: Error) => e.message,
      );
      const ms = performance.now() - t0;
      const want = `${fifo}: not a regular file (a named pipe (FIFO)); give a data file or a folder`;
      return err === want && ms < 2000 ? [] : [`got ${err ?? 'no error'} after ${ms.toFixed(0)} ms`];
    }),
    call('a FIFO inside a data folder is left out', async ({ tmp }) => {
      const { mkdir, writeFile } = await import('node:fs/promises');
      const { filesFromPaths } = await import('../../src/node/files.ts');
      await mkdir(`${tmp}/data5`, { recursive: true });
      await writeFile(`${tmp}/data5/alerts.csv`, 'x\n');
      await makeFifo(`${tmp}/data5/features.csv`);
      const paths = (await filesFromPaths([`${tmp}/data5`])).map((f) => f.path);
      return paths.join() === `${tmp}/data5/alerts.csv` ? [] : [`found ${paths.join(', ')}`];
    }),
    call('a path that does not exist', async ({ tmp }) => {
      const { filesFromPaths } = await import('../../src/node/files.ts');
      const err = await filesFromPaths([`${tmp}/missing`]).then(
        () => null,
        (e: Error) => e.message,
      );
      return err === `${tmp}/missing: no such file or directory` ? [] : [`got ${err ?? 'no error'}`];
    }),
  ];
}

async function makeFifo(path: string): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  execFileSync('mkfifo', [path]);
  return path;
}

/** Hostile YAML through each reader that takes YAML: a clear error naming the file, never a crash. */
export function yamlCases(): CallCase[] {
  const C = 'YAML';
  const deepFlow = `positive: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
  const deepBlock = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
  const bomb =
    [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`),
    ].join('\n') + '\n';
  const expectError = (name: string, run: () => unknown | Promise<unknown>, message: RegExp): CallCase => ({
    kind: 'call',
    class: C,
    name,
    run: async () => {
      try {
        await run();
        return ['accepted: expected an error'];
      } catch (e) {
        const m = (e as Error).message;
        return message.test(m) ? [] : [`got: ${m.slice(0, 300)}`];
      }
    },
  });
  const mapping = () => import('../../src/ingest/mapping.ts');
  const proxy = () => import('../../src/labels/config.ts');
  const training = () => import('../../src/experiment/config.ts');
  const validator = () => import('../../src/validator/config.ts');
  const DEEP = /it nests (more than 100 levels deep|too deeply to be read)/;
  const BOMB = /its aliases \(\*name\) expand to too many values \(more than 100 uses\): a "YAML bomb" is refused/;
  const body = async (text: string) => {
    const { parseYamlBody } = await import('../../src/notebook/yaml-body.ts');
    const { z } = await import('zod');
    const r = parseYamlBody(text, z.unknown(), 10, 'plot cell by_severity');
    if (!r.ok) throw new Error(r.diagnostics.map((d) => `line ${d.line}: ${d.message}`).join('; '));
    return r.value;
  };
  return [
    expectError(
      'label mapping, nested 5000 levels',
      async () => (await mapping()).parseMapping(deepFlow, 'mapping.yaml'),
      new RegExp(`^mapping\\.yaml: cannot read it as YAML or JSON \\(${DEEP.source}\\)$`),
    ),
    expectError(
      'label mapping, a YAML bomb',
      async () => (await mapping()).parseMapping(bomb, 'mapping.yaml'),
      new RegExp(`^mapping\\.yaml: cannot read it as YAML or JSON \\(${BOMB.source}\\)$`),
    ),
    expectError(
      'proxy config, nested 2000 block levels',
      async () => (await proxy()).loadConfig(deepBlock, 'proxy.yaml'),
      new RegExp(`^proxy\\.yaml: invalid proxy-label configuration:\\n  - not valid YAML: ${DEEP.source}`),
    ),
    expectError(
      'proxy config, a YAML bomb',
      async () => (await proxy()).loadConfig(bomb, 'proxy.yaml'),
      new RegExp(`^proxy\\.yaml: [\\s\\S]*${BOMB.source}`),
    ),
    expectError(
      'training config, nested 5000 levels',
      async () => (await training()).loadTrainingConfig(deepFlow, 'train.yaml'),
      new RegExp(`^train\\.yaml: [\\s\\S]*${DEEP.source}`),
    ),
    expectError(
      'training config, a YAML bomb',
      async () => (await training()).loadTrainingConfig(bomb, 'train.yaml'),
      new RegExp(`^train\\.yaml: [\\s\\S]*${BOMB.source}`),
    ),
    expectError(
      'validator config, a YAML bomb',
      async () => (await validator()).loadValidatorConfig(bomb, 'validation.yaml'),
      new RegExp(`^validation\\.yaml: [\\s\\S]*${BOMB.source}`),
    ),
    expectError(
      'notebook plot cell, a YAML bomb',
      () => body(bomb),
      new RegExp(`^line 10: plot cell by_severity: invalid YAML: ${BOMB.source}$`),
    ),
    expectError(
      'notebook plot cell, nested 5000 levels',
      () => body(deepFlow),
      new RegExp(`^line 10: plot cell by_severity: invalid YAML: ${DEEP.source}$`),
    ),
    {
      kind: 'call',
      class: C,
      name: 'ordinary anchors and aliases still work',
      run: async () => {
        const v = (await body('base: &b {x: 1}\nplot: [*b, *b]\n')) as { plot: unknown[] };
        return JSON.stringify(v.plot) === '[{"x":1},{"x":1}]' ? [] : [`read ${JSON.stringify(v)}`];
      },
    },
  ];
}
