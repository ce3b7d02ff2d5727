import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { addressLabelHistory, alertLabelHistory, appendLabelEvents, restoreLabel } from '../src/ingest/index.ts';
import { alertsLab, effective, prepare, storedEvents } from './ingest-fixtures.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

async function importCsv(name: string, csv: string): Promise<void> {
  const p = await prepare(rt, name, csv);
  expect(p.report.issues.filter((i) => i.level === 'error')).toEqual([]);
  await p.commit();
}

const winnerOf = async (alertId: string) => {
  const e = (await effective(rt)).find((r) => r.alert_id === alertId)!;
  return [e.label, e.label_source, e.labeled_by];
};

describe('precedence across imports', () => {
  it('validated > community > miner, whatever the order of import and the times', async () => {
    await alertsLab(rt);
    await importCsv('v.csv', 'alert_id,label,label_source,labeled_by,labeled_at\nalert-1,0,validated,val,2026-01-01\n');
    await importCsv(
      'c.csv',
      'alert_id,label,label_source,labeled_by,labeled_at\nalert-1,1,community,com,2026-02-01\nalert-2,1,community,com,2026-02-01\n',
    );
    await importCsv(
      'm.csv',
      'alert_id,label,label_source,labeled_by,labeled_at\nalert-1,1,miner,min,2026-02-20\nalert-2,0,miner,min,2026-02-20\nalert-3,1,miner,min,2026-02-20\n',
    );
    expect(await winnerOf('alert-1')).toEqual([0, 'validated', 'val']);
    expect(await winnerOf('alert-2')).toEqual([1, 'community', 'com']);
    expect(await winnerOf('alert-3')).toEqual([1, 'miner', 'min']);
  });

  it('within a source the newest label wins, not the last imported', async () => {
    await alertsLab(rt);
    await importCsv(
      'new.csv',
      'alert_id,label,label_source,labeled_by,labeled_at\nalert-1,1,community,late,2026-02-10\n',
    );
    await importCsv(
      'old.csv',
      'alert_id,label,label_source,labeled_by,labeled_at\nalert-1,0,community,early,2026-01-10\n',
    );
    expect(await winnerOf('alert-1')).toEqual([1, 'community', 'late']);
  });

  it('an alert label of a higher source beats an address label; a lower one does not', async () => {
    await alertsLab(rt);
    // addr-1 has alert-1, alert-8, alert-15.
    await importCsv('addr.csv', 'address,label,label_source,labeled_at\naddr-1,1,community,2026-01-10\n');
    await importCsv(
      'alerts.csv',
      'alert_id,label,label_source,labeled_at\nalert-8,0,validated,2026-01-01\nalert-15,0,miner,2026-02-01\n',
    );
    const e = (await effective(rt)).filter((r) => ['alert-1', 'alert-8', 'alert-15'].includes(r.alert_id as string));
    expect(e.map((r) => [r.alert_id, r.label, r.label_source, r.label_scope])).toEqual([
      ['alert-1', 1, 'community', 'address'],
      ['alert-15', 1, 'community', 'address'],
      ['alert-8', 0, 'validated', 'alert'],
    ]);
  });
});

describe('history', () => {
  it('lists every label of an alert, newest first, and marks the one in effect', async () => {
    await alertsLab(rt);
    // The proxy rule's label on the row itself (what the proxy module's UPDATE writes).
    await rt.db.exec(
      `UPDATE raw_alerts SET label = 1, label_source = 'proxy', label_confidence = 0.7, labeled_at = TIMESTAMP '2026-01-06', labeled_by = 'rule'
       WHERE alert_id = 'alert-1'`,
    );
    await importCsv(
      'a.csv',
      'alert_id,label,label_source,labeled_by,labeled_at,note\nalert-1,0,miner,me,2026-01-10,first look\n',
    );
    await importCsv('b.csv', 'address,label,label_source,labeled_by,labeled_at\naddr-1,1,community,crowd,2026-01-12\n');
    await importCsv('c.csv', 'alert_id,label,label_source,labeled_by,labeled_at\nalert-1,1,miner,me,2026-01-15\n');
    const h = await alertLabelHistory(rt.db, 'alert-1');
    expect(h.address).toBe('addr-1');
    expect(h.rows).toEqual([
      { windowDays: 7, processingDate: '2026-01-05', label: 1, source: 'community', scope: 'address' },
    ]);
    expect(h.entries.map((e) => [e.eventId, e.scope, e.label, e.source, e.labeledAt, e.labeledBy, e.wins])).toEqual([
      [3, 'alert', 1, 'miner', '2026-01-15T00:00:00.000Z', 'me', false],
      [2, 'address', 1, 'community', '2026-01-12T00:00:00.000Z', 'crowd', true],
      [1, 'alert', 0, 'miner', '2026-01-10T00:00:00.000Z', 'me', false],
      [null, 'row', 1, 'proxy', '2026-01-06T00:00:00.000Z', 'rule', false],
    ]);
    expect(h.entries[2]!.note).toBe('first look');
    expect(h.entries[0]!.batchId).toMatch(/^import:c\.csv@/);
    const byAddress = await addressLabelHistory(rt.db, 'addr-1');
    expect(byAddress.map((e) => [e.eventId, e.wins])).toEqual([[2, true]]);
  });

  it('marks the row label as winning where no event applies', async () => {
    await alertsLab(rt);
    await rt.db.exec(
      `UPDATE raw_alerts SET label = 0, label_source = 'proxy', labeled_by = 'rule' WHERE alert_id = 'alert-4'`,
    );
    const h = await alertLabelHistory(rt.db, 'alert-4');
    expect(h.entries.map((e) => [e.scope, e.label, e.labeledAt, e.wins])).toEqual([['row', 0, null, true]]);
  });
});

describe('restoring an earlier label', () => {
  it('appends an event that repeats it, so it wins again; nothing is overwritten', async () => {
    await alertsLab(rt);
    await importCsv(
      'first.csv',
      'alert_id,label,label_source,labeled_by,labeled_at,label_confidence\nalert-1,1,community,alice,2026-01-10,0.9\n',
    );
    await importCsv(
      'second.csv',
      'alert_id,label,label_source,labeled_by,labeled_at\nalert-1,0,community,bob,2026-01-20\n',
    );
    expect(await winnerOf('alert-1')).toEqual([0, 'community', 'bob']);
    const before = await storedEvents(rt);

    const restored = await restoreLabel(rt.db, 1, { labeledBy: 'carol', at: '2026-02-01T00:00:00Z' });
    expect(restored).toMatchObject({ eventId: 3, inEffect: true });
    expect(restored.batchId).toMatch(/^restore:event-1@/);
    expect(await winnerOf('alert-1')).toEqual([1, 'community', 'carol']);

    const after = await storedEvents(rt);
    expect(after.slice(0, 2)).toEqual(before);
    expect(after[2]).toMatchObject({
      alert_id: 'alert-1',
      label: 1,
      label_source: 'community',
      label_confidence: 0.9,
      labeled_at: '2026-02-01T00:00:00',
      labeled_by: 'carol',
      note: 'restores event 1 (label 1 by alice at 2026-01-10T00:00:00.000Z)',
      batch_id: restored.batchId,
    });
    const h = await alertLabelHistory(rt.db, 'alert-1');
    expect(h.entries.map((e) => [e.eventId, e.wins])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
  });

  it('says when the restored label is still beaten by a higher source', async () => {
    await alertsLab(rt);
    await importCsv('m.csv', 'alert_id,label,label_source,labeled_at\nalert-2,1,miner,2026-01-10\n');
    await importCsv('v.csv', 'alert_id,label,label_source,labeled_at\nalert-2,0,validated,2026-01-05\n');
    const restored = await restoreLabel(rt.db, 1);
    expect(restored.inEffect).toBe(false);
    expect(await winnerOf('alert-2')).toEqual([0, 'validated', '']);
  });

  it('restores an address-level label', async () => {
    await alertsLab(rt);
    await importCsv('a1.csv', 'address,label,label_source,labeled_at\naddr-2,1,miner,2026-01-10\n');
    await importCsv('a2.csv', 'address,label,label_source,labeled_at\naddr-2,0,miner,2026-01-11\n');
    const restored = await restoreLabel(rt.db, 1);
    expect(restored.inEffect).toBe(true);
    const labels = (await effective(rt)).filter((e) => e.label_scope === 'address');
    expect(new Set(labels.map((e) => e.label))).toEqual(new Set([1]));
    expect(labels).toHaveLength(3);
  });

  it('refuses an event id that does not exist', async () => {
    await alertsLab(rt);
    await expect(restoreLabel(rt.db, 42)).rejects.toThrow('there is no label event 42 to restore');
  });
});

describe('appending single labels (the labelling view)', () => {
  it('appends bound values in one batch and checks them first', async () => {
    await alertsLab(rt);
    const result = await appendLabelEvents(
      rt.db,
      [
        {
          alertId: 'alert-5',
          label: 1,
          source: 'miner',
          confidence: 0.8,
          labeledBy: 'me',
          note: "it's a peel chain",
          labeledAt: '2026-01-02T03:04:05+01:00',
        },
        { address: 'addr-6', label: 0, source: 'miner' },
      ],
      'label:ui@test',
      new Date('2026-01-09T00:00:00Z'),
    );
    expect(result).toEqual({ batchId: 'label:ui@test', events: 2, firstEventId: 1, lastEventId: 2 });
    expect((await storedEvents(rt)).map((e) => [e.alert_id, e.address, e.labeled_at, e.note])).toEqual([
      ['alert-5', null, '2026-01-02T02:04:05', "it's a peel chain"],
      [null, 'addr-6', '2026-01-09T00:00:00', null],
    ]);
    await expect(appendLabelEvents(rt.db, [{ label: 1, source: 'miner' }], 'x')).rejects.toThrow(
      'label event 1: give an alertId or an address',
    );
    await expect(
      appendLabelEvents(rt.db, [{ alertId: 'a', label: 1, source: 'miner', confidence: 2 }], 'x'),
    ).rejects.toThrow(/confidence must be between 0 and 1/);
    expect(rows(await rt.db.query('SELECT count(*) AS n FROM label_events'))).toEqual([{ n: 2 }]);
  });
});
