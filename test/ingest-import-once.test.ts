/**
 * importLabelsOnce: a file's first import appends its events; the same bytes again (even under
 * another name) find that import and append nothing; a changed file imports anew.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { describeEarlier, importLabelsOnce, prepareLabelImportOnce } from '../src/ingest/index.ts';
import { alertsLab, storedEvents } from './ingest-fixtures.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

const CSV = `alert_id,label,label_source
alert-1,1,community
alert-2,0,community
`;

const file = (path: string, text: string) => ({
  path,
  size: text.length,
  read: async () => new TextEncoder().encode(text),
});

describe('importLabelsOnce', () => {
  it('imports a file once, finds it again by content, and imports a changed file', async () => {
    await alertsLab(rt);
    const first = await importLabelsOnce(rt, file('labels/set.csv', CSV));
    expect(first.earlier).toBeNull();
    expect(first.appended?.events).toBe(2);
    expect(first.appended?.batchId).toMatch(/^import:set\.csv sha256:[0-9a-f]{12}@/);

    const again = await importLabelsOnce(rt, file('elsewhere/renamed.csv', CSV));
    expect(again.appended).toBeNull();
    expect(again.earlier).toMatchObject({ batchId: first.appended!.batchId, events: 2 });
    expect(again.report.accepted).toBe(2);
    expect(await storedEvents(rt)).toHaveLength(2);

    const changed = await importLabelsOnce(rt, file('labels/set.csv', CSV + 'alert-3,1,community\n'));
    expect(changed.earlier).toBeNull();
    expect(changed.appended?.events).toBe(3);
    expect(await storedEvents(rt)).toHaveLength(5);
  });

  it('checks without writing (write: false), and every path finds the earlier import the same way', async () => {
    await alertsLab(rt);
    const checked = await importLabelsOnce(rt, file('labels/set.csv', CSV), { write: false });
    expect(checked).toMatchObject({ appended: null, earlier: null, pending: 2 });
    expect(await storedEvents(rt)).toHaveLength(0);

    const first = await prepareLabelImportOnce(rt, file('labels/set.csv', CSV));
    expect(first.earlier).toBeNull();
    const appended = await first.prepared.commit();

    // The Labels tab and the CLI check through prepareLabelImportOnce: the same bytes are found.
    const again = await prepareLabelImportOnce(rt, file('picked/set-copy.csv', CSV));
    expect(again.earlier).toMatchObject({ batchId: appended.batchId, events: 2 });
    await again.prepared.discard();
    const at = appended.batchId.split('@')[1]!.slice(0, 16).replace('T', ' ');
    expect(describeEarlier(again.earlier!)).toBe(
      `already imported on ${at} UTC as batch ${appended.batchId} (2 events)`,
    );
    const recheck = await importLabelsOnce(rt, file('labels/set.csv', CSV), { write: false });
    expect(recheck).toMatchObject({ appended: null, pending: 0, earlier: { batchId: appended.batchId } });
    expect(await storedEvents(rt)).toHaveLength(2);
  });
});
