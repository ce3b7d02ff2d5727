import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import type { ImportIssue, PreparedImport } from '../src/ingest/index.ts';
import { alertsLab, codes, prepare, storedEvents } from './ingest-fixtures.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

const issue = (p: PreparedImport, code: string): ImportIssue => {
  const found = p.report.issues.find((i) => i.code === code);
  if (!found) throw new Error(`no ${code} issue; got ${codes(p).join(', ')}`);
  return found;
};

const eventCount = async () =>
  Number(rows<{ n: number }>(await rt.db.query('SELECT count(*) AS n FROM label_events'))[0]!.n);

/** Prepare `csv` (header + rows); nothing may be written by preparing. */
async function check(csv: string, opts: Parameters<typeof prepare>[3] = {}): Promise<PreparedImport> {
  await alertsLab(rt);
  const pending = await prepare(rt, 'labels.csv', csv, opts);
  expect(await eventCount()).toBe(0);
  return pending;
}

describe('validation errors, each with its file, column, rows and values', () => {
  it('a row with neither alert_id nor address', async () => {
    const p = await check('alert_id,address,label\nalert-1,,1\n,,0\n');
    expect(codes(p)).toEqual(['error:no-target']);
    expect(issue(p, 'no-target').message).toBe(
      'labels.csv: 1 row names neither an alert (column alert_id) nor an address (column address), so it labels nothing (first at row 2)',
    );
    expect(p.report).toMatchObject({ ok: false, accepted: 1, rejected: 1, dropped: 0 });
  });

  it('an empty label and a label spelling that is not known', async () => {
    const p = await check('alert_id,label\nalert-1,\nalert-2,maybe\nalert-3,1\nalert-4,unsure\n');
    expect(codes(p)).toEqual(['error:label-empty', 'error:label-unknown']);
    expect(issue(p, 'label-empty')).toMatchObject({
      column: 'label',
      rows: 1,
      examples: [{ row: 1, value: '(empty)' }],
    });
    const unknown = issue(p, 'label-unknown');
    expect(unknown).toMatchObject({
      column: 'label',
      rows: 2,
      examples: [
        { row: 2, value: 'maybe' },
        { row: 4, value: 'unsure' },
      ],
    });
    expect(unknown.message).toMatch(
      /^labels\.csv: column label has 2 values that are not a known label spelling: 'maybe' \(row 2\), 'unsure' \(row 4\); known spellings: positive '1'/,
    );
    expect(p.report.accepted).toBe(1);
  });

  it("label_source 'proxy' is refused, and so is an unknown source", async () => {
    const p = await check('alert_id,label,label_source\nalert-1,1,proxy\nalert-2,1,Validated\nalert-3,0,oracle\n');
    expect(codes(p)).toEqual(['error:source-proxy', 'error:source-unknown']);
    expect(issue(p, 'source-proxy').message).toBe(
      "labels.csv: column label_source says 'proxy' in 1 row (first at row 1): proxy labels come from the proxy rule and cannot be imported; use miner, community, validated",
    );
    expect(issue(p, 'source-unknown').message).toBe(
      "labels.csv: column label_source has 1 value that is not a label source: 'oracle' (row 3); expected miner, community, validated, or map other spellings under sources in the mapping",
    );
    // Source names compare without case.
    expect(p.report.summary.bySource).toEqual({ validated: 1 });
  });

  it('a confidence that is not a number, or outside 0..1', async () => {
    const p = await check(
      'alert_id,label,label_confidence\nalert-1,1,high\nalert-2,1,90\nalert-3,0,-0.1\nalert-4,0,0.5\nalert-5,0,1\nalert-6,1,0\n',
    );
    expect(codes(p)).toEqual(['error:confidence-unreadable', 'error:confidence-range']);
    expect(issue(p, 'confidence-unreadable')).toMatchObject({
      column: 'label_confidence',
      examples: [{ row: 1, value: 'high' }],
    });
    expect(issue(p, 'confidence-range').message).toBe(
      "labels.csv: column label_confidence has 2 values outside 0..1: '90' (row 2), '-0.1' (row 3); a confidence is a share, so 90% is written 0.9",
    );
    expect(p.report.accepted).toBe(3);
  });

  it('a labeled_at that cannot be read, one in the future, and empty ones (a warning)', async () => {
    const p = await check(
      'alert_id,label,labeled_at\nalert-1,1,last tuesday\nalert-2,1,2026-03-01T20:00:00Z\nalert-3,1,2026-03-05\nalert-4,0,\n',
    );
    expect(codes(p)).toEqual(['error:labeled-at-unreadable', 'error:labeled-at-future', 'warning:labeled-at-missing']);
    expect(issue(p, 'labeled-at-unreadable').message).toBe(
      "labels.csv: column labeled_at has 1 value that cannot be read as a date-time: 'last tuesday' (row 1); write ISO 8601, e.g. 2026-02-01T12:00:00Z",
    );
    // Within a day of the import (2026-03-01T00:00Z) is tolerated; four days ahead is not.
    expect(issue(p, 'labeled-at-future').examples).toEqual([{ row: 3, value: '2026-03-05' }]);
    expect(issue(p, 'labeled-at-missing').message).toBe(
      'labels.csv: column labeled_at is empty in 1 row (first at row 4); it gets labeled_at 2026-03-01T00:00:00.000Z',
    );
    expect(p.report.accepted).toBe(2);
  });

  it('alert ids and addresses that are not loaded: refused by default, kept on request', async () => {
    const csv = 'alert_id,address,label\nalert-1,addr-1,1\nalert-99,,1\n,addr-42,0\n';
    const refused = await check(csv);
    expect(codes(refused)).toEqual(['error:unknown-alert', 'error:unknown-address']);
    expect(issue(refused, 'unknown-alert').message).toBe(
      'labels.csv: column alert_id has 1 alert id that is not among the 20 loaded alerts: \'alert-99\' (row 2); those rows are not imported (pass unknown targets as "keep" to import them for later loads)',
    );
    expect(issue(refused, 'unknown-address')).toMatchObject({
      column: 'address',
      examples: [{ row: 3, value: 'addr-42' }],
    });
    expect(refused.report.accepted).toBe(1);

    const kept = await check(csv, { unknownTargets: 'keep' });
    expect(codes(kept)).toEqual(['warning:unknown-alert', 'warning:unknown-address']);
    expect(kept.report).toMatchObject({ ok: true, accepted: 3 });
    await kept.commit();
    expect((await storedEvents(rt)).map((e) => e.alert_id ?? e.address)).toEqual(['alert-1', 'alert-99', 'addr-42']);
  });

  it("an address that is not the alert's is a warning; the alert id decides", async () => {
    const p = await check('alert_id,address,label\nalert-1,addr-5,1\nalert-2,addr-2,0\n');
    expect(codes(p)).toEqual(['warning:address-mismatch']);
    expect(issue(p, 'address-mismatch').examples).toEqual([{ row: 1, value: 'alert-1 has addr-5' }]);
    expect(p.report.accepted).toBe(2);
  });

  it('duplicates: a label recorded twice is imported once (a warning)', async () => {
    const p = await check(
      'alert_id,label,label_source,labeled_by,labeled_at,note\n' +
        'alert-1,1,community,alice,2026-01-01,a\n' +
        'alert-1,1,community,alice,2026-01-01,b\n' +
        'alert-1,1,community,alice,2026-01-05,c\n' + // the same labeller later: history, kept
        'alert-1,1,community,bob,2026-01-01,d\n' + // another labeller agreeing: kept
        'alert-1,1,validated,alice,2026-01-01,e\n', // another source: kept
    );
    expect(codes(p)).toEqual(['warning:duplicate']);
    expect(issue(p, 'duplicate').message).toBe(
      "labels.csv: 1 row repeats the target, label_source, label, labeled_by and labeled_at of another row: 'alert-1' (row 1); only one of each is imported",
    );
    expect(p.report).toMatchObject({ ok: true, accepted: 4, rejected: 0, dropped: 1 });
    await p.commit();
    expect((await storedEvents(rt)).map((e) => e.note)).toEqual(['b', 'c', 'd', 'e']);
  });

  const CONFLICT =
    'alert_id,label,label_source,labeled_by,labeled_at\n' +
    'alert-1,1,community,alice,2026-01-05\n' +
    'alert-1,0,community,bob,2026-01-07\n' +
    'alert-2,1,community,carol,2026-01-05\n' +
    'alert-2,0,validated,dave,2026-01-06\n'; // two sources disagreeing is not a conflict

  it('conflicting labels for one alert from one source: an error by default', async () => {
    const p = await check(CONFLICT);
    expect(codes(p)).toEqual(['error:conflict']);
    expect(issue(p, 'conflict').message).toBe(
      "labels.csv: 1 alert or address has both label 1 and label 0 from the same source (2 rows): 'alert-1 = 1 (community)' (row 1), 'alert-1 = 0 (community)' (row 2); none of them is imported: fix the file, or choose on_conflict keep-newest, drop or keep-all in the mapping",
    );
    expect(p.report).toMatchObject({ accepted: 2, rejected: 2, dropped: 0 });
  });

  it('conflicts resolved by keep-newest or drop are warnings saying what was done', async () => {
    const newest = await check(CONFLICT, { mapping: { on_conflict: 'keep-newest' } });
    expect(codes(newest)).toEqual(['warning:conflict']);
    expect(issue(newest, 'conflict').message).toMatch(
      /resolved by keeping the newest label of each \(by labeled_at, then the later row\)$/,
    );
    expect(newest.report).toMatchObject({ ok: true, accepted: 3, rejected: 0, dropped: 1 });
    await newest.commit();
    expect((await storedEvents(rt)).map((e) => [e.alert_id, e.label, e.labeled_by])).toEqual([
      ['alert-1', 0, 'bob'],
      ['alert-2', 1, 'carol'],
      ['alert-2', 0, 'dave'],
    ]);

    const dropped = await check(CONFLICT, { mapping: { on_conflict: 'drop' } });
    expect(issue(dropped, 'conflict').message).toMatch(/resolved by importing none of them$/);
    expect(dropped.report).toMatchObject({ ok: true, accepted: 2, dropped: 2 });
  });

  it('a file with a header and no rows is refused, saying why', async () => {
    const p = await check('alert_id,label\n');
    expect(codes(p)).toEqual(['error:unreadable']);
    expect(p.report.issues[0]!.message).toBe(
      'labels.csv: refused, it has a header but no rows: there are no labels to import',
    );
    expect(p.report).toMatchObject({ ok: false, accepted: 0 });
  });

  it('a row with several errors counts once as refused, under each error', async () => {
    const p = await check(
      'alert_id,label,label_confidence,label_source\nalert-99,maybe,7,proxy\nalert-1,1,0.5,miner\n',
    );
    expect(codes(p)).toEqual([
      'error:label-unknown',
      'error:source-proxy',
      'error:confidence-range',
      'error:unknown-alert',
    ]);
    expect(p.report).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
  });
});

describe('confirming', () => {
  it('writes nothing until commit, and nothing at all on discard', async () => {
    const p = await check('alert_id,label\nalert-1,1\nalert-2,0\n');
    expect(await eventCount()).toBe(0);
    await p.discard();
    expect(await eventCount()).toBe(0);
    await expect(p.commit()).rejects.toThrow(/already committed or discarded/);
  });

  it('commits only the accepted rows, in one batch, and cleans up its tables', async () => {
    const p = await check('alert_id,label\nalert-1,1\nalert-2,nope\nalert-3,0\n');
    const result = await p.commit();
    expect(result).toMatchObject({ events: 2, firstEventId: 1, lastEventId: 2 });
    expect(result.batchId).toMatch(/^import:labels\.csv@\d{4}-\d\d-\d\dT[\d:.]+Z#[0-9a-f]{6}$/);
    const batches = rows<{ b: string; n: number }>(
      await rt.db.query('SELECT batch_id AS b, count(*) AS n FROM label_events GROUP BY 1'),
    );
    expect(batches).toEqual([{ b: result.batchId, n: 2 }]);
    const leftovers = rows(
      await rt.db.query(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '_ingest_%'`),
    );
    expect(leftovers).toEqual([]);
    await expect(p.commit()).rejects.toThrow(/already committed/);
  });

  it('rolls back a commit that fails half-way', async () => {
    const p = await check('alert_id,label\nalert-1,1\nalert-2,0\n');
    // Sabotage after validation: a unique index the second row (also 'miner') breaks.
    await rt.db.exec(`CREATE UNIQUE INDEX one_event_per_source ON label_events (label_source)`);
    await expect(p.commit()).rejects.toThrow(/constraint|duplicate/i);
    expect(await eventCount()).toBe(0);
  });
});

describe('defaults are checked like values', () => {
  it('a default labeled_at in the future is refused and reported', async () => {
    const p = await check('alert_id,label\nalert-1,1\n', {
      mapping: { defaults: { labeled_at: '2030-01-01T00:00:00Z' } },
    });
    expect(codes(p)).toEqual(['error:labeled-at-future']);
    expect(issue(p, 'labeled-at-future').message).toMatch(
      /^labels\.csv: column labeled_at \(no column: the default\) has 1 value in the future/,
    );
    expect(p.report.accepted).toBe(0);
  });
});
