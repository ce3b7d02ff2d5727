/**
 * LabelSession: labels given in the app are saved at once and come back in a fresh database; a
 * saved log that cannot be restored is set aside (not overwritten by the next save) and the
 * error says where it went.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import type { SerialisedEventLog } from '../src/ingest/event-log.ts';
import { MemoryLabelEventStore } from '../src/ingest/store.ts';
import { LabelSession, type LabelChange } from '../src/ui/label-session.ts';
import { alertsLab, storedEvents } from './ingest-fixtures.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

/** A memory store that can set a log aside, as the IndexedDB one does. */
class AsideStore extends MemoryLabelEventStore {
  aside: SerialisedEventLog[] = [];
  override async load(): Promise<SerialisedEventLog | undefined> {
    return this.unreadable ?? super.load();
  }
  unreadable: SerialisedEventLog | undefined;
  async setAside(): Promise<string> {
    if (this.unreadable) this.aside.push(this.unreadable);
    this.unreadable = undefined;
    return 'the test shelf';
  }
}

const storage = () => {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
};

describe('LabelSession', () => {
  it('saves each label at once and restores them into a fresh database', async () => {
    await alertsLab(rt);
    const store = new MemoryLabelEventStore();
    const session = new LabelSession(rt.db, store, storage());
    session.labeler = '  ann ';
    expect(session.labeler).toBe('ann');
    const heard: LabelChange[] = [];
    session.onChange((c) => heard.push(c));
    await session.label([{ alertId: 'alert-1', label: 1, source: 'miner', labeledBy: session.labeler }]);
    expect(heard).toEqual([{ kind: 'labelled', events: 1 }]);
    expect((await store.load())?.events).toBe(1);

    await alertsLab(rt);
    const again = new LabelSession(rt.db, store, storage());
    expect(await again.restore()).toMatchObject({ events: 1 });
    expect((await storedEvents(rt)).map((e) => [e.alert_id, e.label, e.labeled_by])).toEqual([['alert-1', 1, 'ann']]);
  });

  it('sets an unreadable saved log aside, and the next save leaves it there', async () => {
    await alertsLab(rt);
    const store = new AsideStore();
    const damaged: SerialisedEventLog = {
      format: 'label-lab/label-events/arrow-ipc/1',
      savedAt: '2026-01-01T00:00:00Z',
      events: 3,
      bytes: new Uint8Array([1, 2, 3]),
    };
    store.unreadable = damaged;
    const session = new LabelSession(rt.db, store, storage());
    await expect(session.restore()).rejects.toThrow(
      /the saved label log is damaged: .*\. It was kept aside \(the test shelf\); labels given from now on start a new log/,
    );
    expect(store.aside).toEqual([damaged]);
    await session.label([{ alertId: 'alert-2', label: 0, source: 'miner' }]);
    expect((await store.load())?.events).toBe(1);
    expect(store.aside).toEqual([damaged]);
  });
});
