import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import {
  appendLabelEvents,
  EVENT_LOG_FORMAT,
  exportLabels,
  MemoryLabelEventStore,
  restoreEventLog,
  restoreLabel,
  restoreLabelEvents,
  saveLabelEvents,
  serialiseEventLog,
} from '../src/ingest/index.ts';
import { Lab } from '../src/sot/lab.ts';
import { alertsSql, memFile, parquetOf, resetDatabase } from './fixtures/files.ts';
import { alertsLab, effective, prepare, storedEvents } from './ingest-fixtures.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

/**
 * A lab with a label history worth keeping: three sources, an address label, a label changed
 * and then restored, and one set in the app. Events: 1 alice (alert-1 = 1), 2 validated
 * (alert-2 = 0), 3 address addr-3 = 1, 4 bob (alert-1 = 0), 5 app (alert-4 = 1), 6 restores 1.
 */
async function labelledLab(runtime: Runtime): Promise<void> {
  await alertsLab(runtime);
  const header = 'alert_id,address,label,label_source,label_confidence,labeled_at,labeled_by,note\n';
  await (
    await prepare(
      runtime,
      'labels.csv',
      header +
        'alert-1,,1,community,0.7,2026-01-10,alice,looks like a peel chain\n' +
        'alert-2,,0,validated,0.99,2026-01-11,val,\n' +
        ',addr-3,1,miner,,2026-01-12,me,whole address\n',
    )
  ).commit();
  await (await prepare(runtime, 'second.csv', header + 'alert-1,,0,community,0.6,2026-01-20,bob,\n')).commit();
  await appendLabelEvents(
    runtime.db,
    [{ alertId: 'alert-4', label: 1, source: 'miner', labeledAt: '2026-01-13T00:00:00Z' }],
    'label:ui@t',
  );
  await restoreLabel(runtime.db, 1, { at: '2026-02-01T00:00:00Z' });
}

describe('persistence across a reload', () => {
  let fresh: Runtime | undefined;
  afterAll(async () => {
    await fresh?.db.close();
  });

  it('serialise the log, open a fresh database, reload the alerts, restore: the same events and effective labels', async () => {
    await labelledLab(rt);
    const events = await storedEvents(rt);
    const labels = await effective(rt);
    expect(events.map((e) => e.event_id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(labels.filter((l) => l.label !== null).length).toBe(6);

    const store = new MemoryLabelEventStore();
    const saved = await saveLabelEvents(rt.db, store);
    expect(saved).toMatchObject({ format: EVENT_LOG_FORMAT, events: 6 });

    // "Reload": a brand-new database in which the alerts are loaded again from their files.
    fresh = await openNodeRuntime();
    await alertsLab(fresh);
    const restored = await restoreLabelEvents(fresh.db, store);
    expect(restored).toEqual({ events: 6, savedAt: saved.savedAt });
    expect(await storedEvents(fresh)).toEqual(events);
    expect(await effective(fresh)).toEqual(labels);

    // New events continue after the restored ids instead of colliding with them.
    const next = await appendLabelEvents(
      fresh.db,
      [{ alertId: 'alert-9', label: 0, source: 'miner' }],
      'label:after-reload',
    );
    expect(next.firstEventId).toBe(7);
  });

  it('restores before the alerts are loaded, too: labels wait for their alerts', async () => {
    await labelledLab(rt);
    const labels = await effective(rt);
    const log = await serialiseEventLog(rt.db);
    await resetDatabase(rt);
    const lab = await Lab.open(rt);
    await restoreEventLog(rt.db, log);
    expect(await effective(rt)).toEqual([]);
    await lab.load([memFile('alerts.parquet', await parquetOf(rt, alertsSql()))]);
    expect(await effective(rt)).toEqual(labels);
  });

  it('an empty log round-trips, and a missing one restores nothing', async () => {
    await alertsLab(rt);
    const store = new MemoryLabelEventStore();
    expect(await restoreLabelEvents(rt.db, store)).toEqual({ events: 0, savedAt: null });
    await saveLabelEvents(rt.db, store);
    expect((await restoreLabelEvents(rt.db, store)).events).toBe(0);
  });

  it('refuses to restore over existing events, and a log of another format', async () => {
    await labelledLab(rt);
    const log = await serialiseEventLog(rt.db);
    await expect(restoreEventLog(rt.db, log)).rejects.toThrow(
      'label_events already holds 6 events: restore a saved log only into a fresh database',
    );
    await expect(
      restoreEventLog(rt.db, { ...log, format: 'something-else' as typeof EVENT_LOG_FORMAT }),
    ).rejects.toThrow(/format 'something-else'/);
  });

  it('keeps what was saved even when the caller changes its bytes afterwards', async () => {
    await labelledLab(rt);
    const store = new MemoryLabelEventStore();
    const log = await saveLabelEvents(rt.db, store);
    log.bytes.fill(0);
    const loaded = await store.load();
    expect(tableFromIPC(loaded!.bytes).numRows).toBe(6);
  });
});

describe('export as Parquet', () => {
  it('label events in the label schema, re-importable with the same effective labels', async () => {
    await labelledLab(rt);
    const labels = (await effective(rt)).map(({ labeled_by, candidate_count, ...rest }) => rest);
    const parquet = await exportLabels(rt, 'events');
    const decoded = [];
    for await (const part of rt.parquet.toIPC(parquet)) decoded.push(tableFromIPC(part.ipc));
    const table = decoded[0]!;
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'event_id:Int64',
      'alert_id:Utf8',
      'address:Utf8',
      'processing_date:Date32<DAY>',
      'label:Int8',
      'label_source:Utf8',
      'label_confidence:Float32',
      'labeled_at:Timestamp<MICROSECOND>',
      'labeled_by:Utf8',
      'note:Utf8',
      'batch_id:Utf8',
    ]);
    expect(table.numRows).toBe(6);

    // Into another lab: the events file is a labels file like any other. A history holds
    // changed labels (alert-1: 1, then 0, then 1 again), so every row is kept and the newest wins.
    await alertsLab(rt);
    const again = await prepare(rt, 'events.parquet', parquet, { mapping: { on_conflict: 'keep-all' } });
    expect(again.report.issues.map((i) => `${i.level}:${i.code}`)).toEqual(['warning:conflict']);
    expect(again.report.accepted).toBe(6);
    expect(again.report.ignoredColumns).toEqual(['event_id', 'processing_date', 'batch_id']);
    await again.commit();
    expect((await effective(rt)).map(({ labeled_by, candidate_count, ...rest }) => rest)).toEqual(labels);
  });

  it('effective labels: one row per labelled alert row, proxy labels only on request', async () => {
    await labelledLab(rt);
    await rt.db.exec(
      `UPDATE raw_alerts SET label = 0, label_source = 'proxy', labeled_by = 'rule' WHERE alert_id IN ('alert-11', 'alert-12')`,
    );
    const read = async (bytes: Uint8Array) => {
      const out: Record<string, unknown>[] = [];
      for await (const part of rt.parquet.toIPC(bytes))
        out.push(
          ...tableFromIPC(part.ipc)
            .toArray()
            .map((r) => r.toJSON()),
        );
      return out;
    };
    const explicit = await read(await exportLabels(rt, 'effective'));
    expect(explicit.map((r) => [r.alert_id, r.label, r.label_source, r.label_scope])).toEqual([
      ['alert-1', 1, 'community', 'alert'],
      ['alert-10', 1, 'miner', 'address'],
      ['alert-17', 1, 'miner', 'address'],
      ['alert-2', 0, 'validated', 'alert'],
      ['alert-3', 1, 'miner', 'address'],
      ['alert-4', 1, 'miner', 'alert'],
    ]);
    const withProxy = await read(await exportLabels(rt, 'effective', { includeProxy: true }));
    expect(withProxy.length).toBe(8);
    expect(rows(await rt.db.query(`SELECT count(*) AS n FROM label_events`))).toEqual([{ n: 6 }]);
  });
});
