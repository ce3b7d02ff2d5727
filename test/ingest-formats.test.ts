import { tableToIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { detectColumns, MappingError, parseMapping } from '../src/ingest/index.ts';
import { arrowOf, parquetOf } from './fixtures/files.ts';
import { alertsLab, codes, effective, prepare, storedEvents } from './ingest-fixtures.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

/** Three labels in the community example set's schema, as SQL with its types. */
const EXAMPLE_SQL = `SELECT * FROM (VALUES
    ('alert-1', 'addr-1', DATE '2026-01-05', 1::TINYINT, 'community', 0.72::FLOAT, TIMESTAMP '2026-01-20 10:00:00', 'community:heidi'),
    ('alert-2', 'addr-2', DATE '2026-01-05', 0::TINYINT, 'validated', 0.96::FLOAT, TIMESTAMP '2026-01-21 11:30:00', 'validated:validator-02'),
    ('alert-3', 'addr-3', DATE '2026-01-05', 0::TINYINT, 'community', 0.61::FLOAT, TIMESTAMP '2026-01-22 07:31:43', 'community:grace'))
  AS t(alert_id, address, processing_date, label, label_source, label_confidence, labeled_at, labeled_by)`;

const EXAMPLE_CSV = `alert_id,address,processing_date,label,label_source,label_confidence,labeled_at,labeled_by
alert-1,addr-1,2026-01-05,1,community,0.72,2026-01-20 10:00:00,community:heidi
alert-2,addr-2,2026-01-05,0,validated,0.96,2026-01-21 11:30:00,validated:validator-02
alert-3,addr-3,2026-01-05,0,community,0.61,2026-01-22 07:31:43,community:grace
`;

const EXPECTED = [
  {
    alert_id: 'alert-1',
    address: 'addr-1',
    label: 1,
    label_source: 'community',
    label_confidence: 0.72,
    labeled_at: '2026-01-20T10:00:00',
    labeled_by: 'community:heidi',
  },
  {
    alert_id: 'alert-2',
    address: 'addr-2',
    label: 0,
    label_source: 'validated',
    label_confidence: 0.96,
    labeled_at: '2026-01-21T11:30:00',
    labeled_by: 'validated:validator-02',
  },
  {
    alert_id: 'alert-3',
    address: 'addr-3',
    label: 0,
    label_source: 'community',
    label_confidence: 0.61,
    labeled_at: '2026-01-22T07:31:43',
    labeled_by: 'community:grace',
  },
];

async function importAndRead(name: string, content: Uint8Array | string) {
  await alertsLab(rt);
  const pending = await prepare(rt, name, content);
  expect(pending.report.issues).toEqual([]);
  expect(pending.report.accepted).toBe(3);
  const result = await pending.commit();
  expect(result.events).toBe(3);
  return (await storedEvents(rt)).map(({ event_id, note, batch_id, ...rest }) => {
    expect(batch_id).toBe(result.batchId);
    expect(note).toBeNull();
    return rest;
  });
}

describe('reading each format in the label schema', () => {
  it('CSV', async () => {
    expect(await importAndRead('labels.csv', EXAMPLE_CSV)).toEqual(EXPECTED);
  });

  it('Parquet', async () => {
    expect(await importAndRead('labels.parquet', await parquetOf(rt, EXAMPLE_SQL))).toEqual(EXPECTED);
  });

  it('Arrow IPC (file and stream)', async () => {
    expect(await importAndRead('labels.arrow', await arrowOf(rt, EXAMPLE_SQL, 'file'))).toEqual(EXPECTED);
    expect(await importAndRead('labels.arrows', await arrowOf(rt, EXAMPLE_SQL, 'stream'))).toEqual(EXPECTED);
  });

  it('JSON: an array of objects, and JSON lines', async () => {
    const records = EXPECTED.map((e) => ({ ...e, labeled_at: `${e.labeled_at}Z` }));
    expect(await importAndRead('labels.json', JSON.stringify(records))).toEqual(EXPECTED);
    expect(await importAndRead('labels.jsonl', records.map((r) => JSON.stringify(r)).join('\n') + '\n')).toEqual(
      EXPECTED,
    );
  });

  it('JSON with a column of mixed types keeps every spelling, and integer ids stay integers', async () => {
    await alertsLab(rt);
    const json = JSON.stringify([
      { id: 1, alert: 'alert-1', verdict: 1 },
      { id: 2, alert: 'alert-2', verdict: 'benign' },
      { id: 3, alert: 'alert-3', verdict: true },
      { id: 4, alert: 'alert-4', verdict: null, extra: { nested: true } },
    ]);
    const pending = await prepare(rt, 'mixed.json', json, { mapping: { columns: { label: 'verdict' } } });
    // 'alert' beats the generic 'id' for alert_id; 'id' and 'extra' are left out.
    expect(pending.report.fields.find((f) => f.field === 'alert_id')?.column).toBe('alert');
    expect(pending.report.ignoredColumns).toEqual(['id', 'extra']);
    expect(codes(pending)).toEqual(['error:label-empty']);
    expect(pending.report.issues[0]!.message).toBe(
      'mixed.json: column verdict is empty in 1 row (first at row 4): a label must be 1 or 0',
    );
    const preview = rows<{ alert_id: string; label: number }>(await pending.preview());
    expect(preview.map((p) => [p.alert_id, p.label])).toEqual([
      ['alert-1', 1],
      ['alert-2', 0],
      ['alert-3', 1],
    ]);
    await pending.discard();
  });

  it('reports a JSON file that is neither an array nor JSON lines, naming the line', async () => {
    await alertsLab(rt);
    const pending = await prepare(rt, 'broken.jsonl', '{"alert_id": "alert-1", "label": 1}\n{"alert_id": oops}\n');
    expect(codes(pending)).toEqual(['error:unreadable']);
    expect(pending.report.issues[0]!.message).toMatch(/^broken\.jsonl: line 2 is not JSON/);
    expect(pending.report.accepted).toBe(0);
    const result = await pending.commit();
    expect(result.events).toBe(0);
  });

  it('reports an unreadable Parquet file and an unknown extension', async () => {
    await alertsLab(rt);
    const bad = await prepare(rt, 'labels.parquet', 'this is not parquet');
    expect(codes(bad)).toEqual(['error:unreadable']);
    expect(bad.report.issues[0]!.message).toMatch(/^labels\.parquet: cannot read it as Parquet/);
    const odd = await prepare(rt, 'labels.xlsx', 'x');
    expect(odd.report.issues[0]!.message).toBe(
      'labels.xlsx: not a labels file we can read (expected .csv, .parquet, .arrow/.feather, .json or .jsonl)',
    );
  });

  it('takes labeled_at offsets into account and reads text without one as UTC', async () => {
    await alertsLab(rt);
    const csv = `alert_id,label,labeled_at\nalert-1,1,2026-01-10T12:00:00+02:00\nalert-2,0,2026-01-10T12:00:00\nalert-3,0,2026-01-10\n`;
    await (await prepare(rt, 'tz.csv', csv)).commit();
    expect((await storedEvents(rt)).map((e) => e.labeled_at)).toEqual([
      '2026-01-10T10:00:00',
      '2026-01-10T12:00:00',
      '2026-01-10T00:00:00',
    ]);
  });

  it('reads a CSV as the text it holds: numbers in the label column are quoted as written, epochs still read', async () => {
    await alertsLab(rt);
    // Every label here is a number, so a type sniffer would read the column as DOUBLE, quote
    // '2' as '2.0' and no longer know '1' (it would be '1.0').
    const ms = Date.UTC(2026, 0, 10, 8, 0, 0);
    const csv = `alert_id,label,labeled_at\nalert-1,1,${ms}\nalert-2,2,${ms / 1000}\nalert-3,1.5,\nalert-4,0,2026-01-10T08:00:00Z\n`;
    const pending = await prepare(rt, 'numbers.csv', csv);
    const unknown = pending.report.issues.find((i) => i.code === 'label-unknown');
    expect(unknown?.examples).toEqual([
      { row: 2, value: '2' },
      { row: 3, value: '1.5' },
    ]);
    expect(pending.report.accepted).toBe(2);
    await pending.commit();
    expect((await storedEvents(rt)).map((e) => [e.alert_id, e.label, e.labeled_at])).toEqual([
      ['alert-1', 1, '2026-01-10T08:00:00'],
      ['alert-4', 0, '2026-01-10T08:00:00'],
    ]);
  });

  it('reads epoch milliseconds and seconds in a numeric labeled_at column', async () => {
    await alertsLab(rt);
    const ms = Date.UTC(2026, 0, 10, 8, 0, 0);
    const json = JSON.stringify([
      { alert_id: 'alert-1', label: 1, labeled_at: ms },
      { alert_id: 'alert-2', label: 0, labeled_at: ms / 1000 },
    ]);
    await (await prepare(rt, 'epoch.json', json)).commit();
    expect((await storedEvents(rt)).map((e) => e.labeled_at)).toEqual(['2026-01-10T08:00:00', '2026-01-10T08:00:00']);
  });
});

describe('mapping other column names and spellings', () => {
  it('detects the usual names without a mapping', () => {
    expect(detectColumns(['alertId', 'is_illicit', 'Labelled At', 'annotator', 'confidence', 'comment'])).toEqual({
      alert_id: 'alertId',
      label: 'is_illicit',
      labeled_at: 'Labelled At',
      labeled_by: 'annotator',
      label_confidence: 'confidence',
      note: 'comment',
    });
    expect(detectColumns(['id', 'wallet', 'target'])).toEqual({ alert_id: 'id', address: 'wallet', label: 'target' });
    expect(detectColumns(['alert_id', 'id', 'class'])).toEqual({ alert_id: 'alert_id', label: 'class' });
  });

  it('uses a YAML mapping: column names, label and source spellings, defaults', async () => {
    await alertsLab(rt);
    const mapping = parseMapping(
      [
        'columns:',
        '  alert_id: case',
        '  label: verdict',
        '  label_source: origin',
        '  note: null          # the file has a "comment" column we do not want',
        'labels:',
        '  positive: [bad, dirty]',
        '  negative: [good]',
        'sources:',
        '  reviewed: validated',
        'defaults:',
        '  label_source: community',
        '  labeled_by: team-a',
        '  labeled_at: 2026-02-01T09:00:00+01:00',
        '  label_confidence: 0.8',
      ].join('\n'),
      'mapping.yaml',
    );
    const csv = `case,verdict,origin,comment\nalert-1,BAD,reviewed,x\nalert-2,good,,y\nalert-3, Dirty ,miner,z\n`;
    const pending = await prepare(rt, 'custom.csv', csv, { mapping });
    expect(pending.report.issues).toEqual([]);
    expect(pending.report.ignoredColumns).toEqual(['comment']);
    expect(pending.report.fields.filter((f) => f.column).map((f) => [f.field, f.column, f.detected])).toEqual([
      ['alert_id', 'case', false],
      ['label', 'verdict', false],
      ['label_source', 'origin', false],
    ]);
    await pending.commit();
    expect(
      (await storedEvents(rt)).map((e) => [
        e.alert_id,
        e.label,
        e.label_source,
        e.label_confidence,
        e.labeled_at,
        e.labeled_by,
        e.note,
      ]),
    ).toEqual([
      ['alert-1', 1, 'validated', 0.8, '2026-02-01T08:00:00', 'team-a', null],
      ['alert-2', 0, 'community', 0.8, '2026-02-01T08:00:00', 'team-a', null],
      ['alert-3', 1, 'miner', 0.8, '2026-02-01T08:00:00', 'team-a', null],
    ]);
  });

  it('reads 1/0, true/false and illicit/benign by default, whatever the case and padding', async () => {
    await alertsLab(rt);
    const csv = `alert_id,label\nalert-1,1\nalert-2,0\nalert-3,TRUE\nalert-4,false\nalert-5, Illicit\nalert-6,benign \n`;
    const pending = await prepare(rt, 'spellings.csv', csv);
    expect(pending.report.issues).toEqual([]);
    await pending.commit();
    expect((await storedEvents(rt)).map((e) => e.label)).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it('labels addresses: a row with only an address applies to all its alerts', async () => {
    await alertsLab(rt);
    // addr-3 has alert-3, alert-10 and alert-17.
    const csv = `address,label,label_source,labeled_at\naddr-3,1,miner,2026-02-01\n`;
    const pending = await prepare(rt, 'addresses.csv', csv);
    expect(pending.report.summary).toMatchObject({ alert: 0, address: 1, positive: 1 });
    await pending.commit();
    const stored = await storedEvents(rt);
    expect(stored.map((e) => [e.alert_id, e.address])).toEqual([[null, 'addr-3']]);
    const labelled = (await effective(rt)).filter((e) => e.label !== null);
    expect(labelled.map((e) => [e.alert_id, e.label, e.label_scope])).toEqual([
      ['alert-10', 1, 'address'],
      ['alert-17', 1, 'address'],
      ['alert-3', 1, 'address'],
    ]);
  });

  it("scope 'address' ignores the alert ids of a file that has both", async () => {
    await alertsLab(rt);
    const csv = `alert_id,address,label\nalert-3,addr-3,1\n`;
    const pending = await prepare(rt, 'both.csv', csv, { mapping: { scope: 'address' } });
    expect(pending.report.ignoredColumns).toEqual(['alert_id']);
    await pending.commit();
    expect((await storedEvents(rt)).map((e) => [e.alert_id, e.address])).toEqual([[null, 'addr-3']]);
  });

  it('reports a mapping that names a missing column, or a file with no label column', async () => {
    await alertsLab(rt);
    const missing = await prepare(rt, 'a.csv', 'alert_id,label\nalert-1,1\n', {
      mapping: { columns: { label: 'verdict' } },
    });
    expect(missing.report.issues.map((i) => i.message)).toEqual([
      "a.csv: the mapping takes label from column 'verdict', which the file does not have (it has alert_id, label)",
    ]);
    const noLabel = await prepare(rt, 'b.csv', 'alert_id,score\nalert-1,0.4\n');
    expect(noLabel.report.issues[0]!.message).toMatch(/^b\.csv: no label column found \(tried label, is_illicit, /);
    const noTarget = await prepare(rt, 'c.csv', 'label,score\n1,0.4\n');
    expect(noTarget.report.issues[0]!.message).toMatch(/^c\.csv: neither an alert_id nor an address column was found/);
  });

  it('refuses a mapping that does not validate, naming the field', () => {
    expect(() => parseMapping('defaults:\n  label_source: proxy\n', 'm.yaml')).toThrow(MappingError);
    expect(() => parseMapping('defaults:\n  label_source: proxy\n', 'm.yaml')).toThrow(
      /m\.yaml is not a valid label mapping:\n  defaults\.label_source: must be one of miner, community, validated/,
    );
    expect(() => parseMapping('labels:\n  positive: [yes]\n  negative: [YES]\n', 'm.yaml')).toThrow(
      /'yes' is spelled both positive and negative/,
    );
    expect(() => parseMapping('colums: {}\n', 'm.yaml')).toThrow(/colums/);
  });
});

describe('the preview', () => {
  it('shows the rows as they would be appended, in file order', async () => {
    await alertsLab(rt);
    const pending = await prepare(rt, 'p.csv', 'alert_id,label,labeled_by\nalert-2,0,x\nalert-1,1,y\n');
    const preview = await pending.preview();
    expect(rows(preview).map((r) => [r.row, r.alert_id, r.label, r.label_source, r.labeled_by])).toEqual([
      [1, 'alert-2', 0, 'miner', 'x'],
      [2, 'alert-1', 1, 'miner', 'y'],
    ]);
    // The preview is Arrow, ready for a table view.
    expect(tableToIPC(preview, 'stream').byteLength).toBeGreaterThan(0);
    await pending.discard();
  });
});
