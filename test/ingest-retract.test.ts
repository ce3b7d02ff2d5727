/**
 * Taking a label back (the Review view's undo): a retraction event withdraws a label without
 * deleting it, and the alert has again whatever label it had before, down to none.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import {
  alertLabelHistory,
  appendLabelEvents,
  labelEventsTable,
  MemoryLabelEventStore,
  recentLabels,
  restoreLabel,
  restoreLabelEvents,
  retractionOf,
  retractLabel,
  saveLabelEvents,
} from '../src/ingest/index.ts';
import { labelCoverage } from '../src/quality/coverage.ts';
import { alertsLab, effective, storedEvents } from './ingest-fixtures.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

const label = (alertId: string, value: 0 | 1, at: string, source: 'miner' | 'community' = 'miner') =>
  appendLabelEvents(
    rt.db,
    [{ alertId, label: value, source, labeledBy: 'me', labeledAt: at }],
    `test-${alertId}-${at}`,
  );

const winnerOf = async (alertId: string) => {
  const e = (await effective(rt)).find((r) => r.alert_id === alertId)!;
  return e.label === null ? null : [e.label, e.label_source, e.label_scope];
};

describe('retracting a label', () => {
  it('leaves the alert unlabelled again when it had no earlier label; the event stays in the log', async () => {
    await alertsLab(rt);
    const given = await label('alert-3', 1, '2026-02-01T00:00:00Z');
    expect(await winnerOf('alert-3')).toEqual([1, 'miner', 'alert']);

    const undo = await retractLabel(rt.db, given.lastEventId!, { labeledBy: 'me', at: '2026-02-01T00:00:05Z' });
    expect(undo.batchId).toMatch(/^retract:event-1@/);
    expect(await winnerOf('alert-3')).toBeNull();
    const e = (await effective(rt)).find((r) => r.alert_id === 'alert-3')!;
    expect(e.candidate_count).toBe(0);

    const stored = await storedEvents(rt);
    expect(stored.map((s) => [s.event_id, s.alert_id, s.label, s.label_source, s.note])).toEqual([
      [1, 'alert-3', 1, 'miner', null],
      [2, 'alert-3', 1, 'miner', 'takes back event 1'],
    ]);
    const retracts = rows<{ event_id: number; retracts: number | null }>(
      await rt.db.query('SELECT event_id, retracts FROM label_events ORDER BY event_id'),
    );
    expect(retracts.map((r) => [Number(r.event_id), r.retracts === null ? null : Number(r.retracts)])).toEqual([
      [1, null],
      [2, 1],
    ]);
  });

  it('brings back the earlier label of the same source, not a copy of it', async () => {
    await alertsLab(rt);
    await label('alert-5', 0, '2026-01-10T00:00:00Z');
    const second = await label('alert-5', 1, '2026-02-01T00:00:00Z');
    expect(await winnerOf('alert-5')).toEqual([1, 'miner', 'alert']);
    await retractLabel(rt.db, second.lastEventId!);
    expect(await winnerOf('alert-5')).toEqual([0, 'miner', 'alert']);
    expect(await storedEvents(rt)).toHaveLength(3);
  });

  it("brings back the row's own proxy label, which is not an event", async () => {
    await alertsLab(rt);
    await rt.db.exec(
      `UPDATE raw_alerts SET label = 0, label_source = 'proxy', labeled_by = 'rule' WHERE alert_id = 'alert-6'`,
    );
    const given = await label('alert-6', 1, '2026-02-01T00:00:00Z');
    expect(await winnerOf('alert-6')).toEqual([1, 'miner', 'alert']);
    await retractLabel(rt.db, given.lastEventId!);
    expect(await winnerOf('alert-6')).toEqual([0, 'proxy', 'row']);
  });

  it('withdraws only the named event: a later label of the alert stays in effect', async () => {
    await alertsLab(rt);
    const first = await label('alert-7', 1, '2026-01-10T00:00:00Z');
    await label('alert-7', 0, '2026-01-20T00:00:00Z', 'community');
    await retractLabel(rt.db, first.lastEventId!);
    expect(await winnerOf('alert-7')).toEqual([0, 'community', 'alert']);
  });

  it('history lists the retraction and the withdrawn label; neither wins', async () => {
    await alertsLab(rt);
    await label('alert-8', 0, '2026-01-10T00:00:00Z');
    const second = await label('alert-8', 1, '2026-02-01T00:00:00Z');
    await retractLabel(rt.db, second.lastEventId!, { labeledBy: 'me', at: '2026-02-01T00:01:00Z' });
    const h = await alertLabelHistory(rt.db, 'alert-8');
    expect(h.rows.map((r) => [r.label, r.source])).toEqual([[0, 'miner']]);
    expect(h.entries.map((e) => [e.eventId, e.label, e.retracts, e.retractedBy, e.wins])).toEqual([
      [3, 1, 2, null, false],
      [2, 1, null, 3, false],
      [1, 0, null, null, true],
    ]);
  });

  it('refuses to take back a retraction, a label taken back already, or an unknown event', async () => {
    await alertsLab(rt);
    const given = await label('alert-9', 1, '2026-02-01T00:00:00Z');
    const undo = await retractLabel(rt.db, given.lastEventId!);
    await expect(retractionOf(rt.db, given.lastEventId!)).rejects.toThrow('event 1 was already taken back by event 2');
    await expect(retractionOf(rt.db, undo.lastEventId!)).rejects.toThrow('event 2 already takes back event 1');
    await expect(retractionOf(rt.db, 99)).rejects.toThrow('there is no label event 99 to take back');
    await expect(restoreLabel(rt.db, undo.lastEventId!)).rejects.toThrow('restore event 1 instead');
    // A withdrawn label can be given again by restoring it: a new event.
    const restored = await restoreLabel(rt.db, given.lastEventId!);
    expect(restored.inEffect).toBe(true);
    expect(await winnerOf('alert-9')).toEqual([1, 'miner', 'alert']);
  });

  it('refuses a retracts value that is not an event id', async () => {
    await alertsLab(rt);
    await expect(
      appendLabelEvents(rt.db, [{ alertId: 'alert-1', label: 1, source: 'miner', retracts: -3 }], 'bad'),
    ).rejects.toThrow('label event 1: retracts must be an event id (a positive integer), not -3');
  });

  it('survives the saved log; the export and the quality counts leave withdrawn labels out', async () => {
    await alertsLab(rt);
    const kept = await label('alert-10', 0, '2026-02-01T00:00:00Z');
    const undone = await label('alert-11', 1, '2026-02-01T00:00:00Z');
    await retractLabel(rt.db, undone.lastEventId!);

    const coverage = await labelCoverage(rt.db);
    expect(coverage.events.find((e) => e.source === 'miner')).toMatchObject({ alertLevel: 1, addressLevel: 0 });
    const exported = (await labelEventsTable(rt.db)).toArray().map((r) => Number(r.event_id));
    expect(exported).toEqual([kept.lastEventId]);

    const store = new MemoryLabelEventStore();
    await saveLabelEvents(rt.db, store);
    await alertsLab(rt);
    expect((await restoreLabelEvents(rt.db, store)).events).toBe(3);
    expect(await winnerOf('alert-10')).toEqual([0, 'miner', 'alert']);
    expect(await winnerOf('alert-11')).toBeNull();
    await expect(retractionOf(rt.db, undone.lastEventId!)).rejects.toThrow('already taken back');
  });
});

describe('recent labels of a labeller', () => {
  it('lists the alerts they labelled last, once each, with the label each carries now; labels taken back are left out', async () => {
    await alertsLab(rt);
    await label('alert-1', 1, '2026-02-01T00:00:00Z');
    await label('alert-2', 0, '2026-02-01T00:01:00Z');
    const undone = await label('alert-3', 1, '2026-02-01T00:02:00Z');
    await label('alert-1', 0, '2026-02-01T00:03:00Z');
    await retractLabel(rt.db, undone.lastEventId!);
    await appendLabelEvents(rt.db, [{ alertId: 'alert-2', label: 1, source: 'validated', labeledBy: 'val' }], 'v');
    await appendLabelEvents(rt.db, [{ alertId: 'alert-4', label: 1, source: 'miner', labeledBy: 'someone else' }], 'o');
    const recent = await recentLabels(rt.db, 'me');
    expect(recent.map((r) => [r.alertId, r.label, r.now])).toEqual([
      ['alert-1', 0, { label: 0, source: 'miner', labeledBy: 'me' }],
      ['alert-2', 0, { label: 1, source: 'validated', labeledBy: 'val' }],
    ]);
    expect(recent[0]!.labeledAt).toBe('2026-02-01T00:03:00.000Z');
    expect(await recentLabels(rt.db, 'me', 1)).toHaveLength(1);
    expect(await recentLabels(rt.db, "nobody' OR 1=1 --")).toEqual([]);
  });
});
