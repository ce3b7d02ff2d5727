/**
 * In a browser the notebook must not wait for an animation frame before computing a change (the
 * frame wait alone is up to 16 ms). Here requestAnimationFrame exists but never fires, as in a
 * background tab: a notebook that waited for it would never finish; one that computes on a
 * microtask finishes, and applies several changes made together as one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { openNodeDatabase } from '../src/db/node.ts';

let db: Database;
const frames: FrameRequestCallback[] = [];

beforeAll(async () => {
  // Before the runtime is imported: it picks its scheduler when loaded.
  (globalThis as { requestAnimationFrame?: (cb: FrameRequestCallback) => number }).requestAnimationFrame = (cb) =>
    frames.push(cb);
  db = await openNodeDatabase();
});
afterAll(() => db.close());

describe('compute schedule', () => {
  it('computes without waiting for an animation frame', async () => {
    const { openNotebook } = await import('../src/notebook/runtime.ts');
    const nb = await openNotebook(
      `\`\`\`params knobs
- {name: a, input: number, value: 1}
- {name: b, input: number, value: 2}
\`\`\`

\`\`\`sql total
SELECT $a + $b AS total
\`\`\`
`,
      { db, file: 'schedule.md' },
    );
    await nb.idle();
    expect(nb.cell('total')).toMatchObject({ status: 'done', runs: 1 });
    nb.set('a', 10);
    nb.set('b', 20);
    await nb.idle();
    const total = nb.cell('total')!;
    expect(total.runs).toBe(2);
    expect(total.value?.kind === 'sql' && Number(total.value.preview.getChild('total')!.get(0))).toBe(30);
    expect(frames).toEqual([]);
    await nb.dispose();
  });
});
