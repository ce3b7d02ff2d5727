/**
 * The Labels status line: one count (the event log) and the last change, in one sentence that
 * never contradicts itself; the count comes from the log as it is.
 */
import { describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import { appendLabelEvents } from '../src/ingest/index.ts';
import { labelLogCount, labelStatusLine } from '../src/ingest/log-status.ts';
import { alertsLab } from './ingest-fixtures.ts';

describe('labels status line', () => {
  it('says what the log holds and what changed it last', () => {
    expect(labelStatusLine({ events: 0, batches: 0 }, null)).toBe(
      'No labels were saved in this browser yet: import some, or give them in Review.',
    );
    expect(
      labelStatusLine({ events: 304, batches: 2 }, { kind: 'restored', events: 304, at: '03/12/2026, 13:00' }),
    ).toBe('Restored 304 label events saved in this browser at 03/12/2026, 13:00.');
    expect(
      labelStatusLine({ events: 604, batches: 3 }, { kind: 'imported', events: 300, origin: 'notebook', at: '13:05' }),
    ).toBe('604 label events in this browser; last change: 300 label events imported by a notebook at 13:05.');
    expect(labelStatusLine({ events: 605, batches: 4 }, { kind: 'labelled', events: 1 })).toBe(
      '605 label events in this browser; last change: 1 label event given in Review.',
    );
    expect(labelStatusLine({ events: 1, batches: 1 }, { kind: 'restored-label', events: 1 })).toMatch(
      /^1 label event in this browser; last change: an earlier label restored/,
    );
  });

  it('counts the event log itself', async () => {
    const rt = await openNodeRuntime();
    await alertsLab(rt);
    expect(await labelLogCount(rt.db)).toEqual({ events: 0, batches: 0 });
    const event = { alertId: 'alert-1', label: 1 as const, source: 'miner' as const, labeledBy: 'me' };
    await appendLabelEvents(rt.db, [event], 'label:me@2026-01-01T00:00:00.000Z#aaaaaa');
    await appendLabelEvents(rt.db, [{ ...event, label: 0 }], 'label:me@2026-01-02T00:00:00.000Z#bbbbbb');
    expect(await labelLogCount(rt.db)).toEqual({ events: 2, batches: 2 });
  });
});
