/**
 * The hostile-input corpus (test/hostile/corpus.ts): every bad input refused with a message
 * naming its file (and column), every good variant accepted, and the snapshot and labels loaded
 * before still intact after each case. `npm run hostile` prints the same corpus's figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { labelsCases, pathCases, sotCases, yamlCases, type HostileCase } from './hostile/corpus.ts';
import { notebookCases } from './hostile/notebooks.ts';
import { runCase, setUp, tearDown, type Context } from './hostile/run.ts';

const groups: [string, HostileCase[]][] = [
  ['SOT files', sotCases()],
  ['label files', labelsCases()],
  ['YAML', yamlCases()],
  ['paths on disk', pathCases()],
  ['notebooks and reports', notebookCases()],
];

let rt: Runtime;
let ctx: Context;
beforeAll(async () => {
  rt = await openNodeRuntime();
  ctx = await setUp(rt);
});
afterAll(async () => {
  await tearDown(ctx);
});

it('covers at least 100 cases', () => {
  expect(groups.reduce((n, [, cases]) => n + cases.length, 0)).toBeGreaterThanOrEqual(100);
});

for (const [group, cases] of groups) {
  describe(group, () => {
    for (const c of cases) {
      it(`${c.class}: ${c.name}`, async () => {
        expect(await runCase(ctx, c)).toEqual([]);
      });
    }
  });
}
