/**
 * `npm run hostile`: run the hostile-input corpus once and print its figures: cases per class,
 * how many were refused clearly or accepted correctly, and any that were not (with why).
 * Exits 1 when a case was mishandled. The same corpus runs in `npm test` (hostile-inputs.test.ts).
 */
import { openNodeRuntime } from '../../src/db/node.ts';
import { labelsCases, pathCases, sotCases, yamlCases, type HostileCase } from './corpus.ts';
import { notebookCases } from './notebooks.ts';
import { runCase, setUp, tearDown } from './run.ts';

const cases: HostileCase[] = [...sotCases(), ...labelsCases(), ...yamlCases(), ...pathCases(), ...notebookCases()];
const t0 = performance.now();
const rt = await openNodeRuntime();
const ctx = await setUp(rt);
const byClass = new Map<string, { cases: number; handled: number }>();
const failed: { c: HostileCase; why: string[] }[] = [];
for (const c of cases) {
  const why = await runCase(ctx, c);
  const entry = byClass.get(c.class) ?? { cases: 0, handled: 0 };
  entry.cases++;
  if (why.length === 0) entry.handled++;
  else failed.push({ c, why });
  byClass.set(c.class, entry);
}
await tearDown(ctx);

const width = Math.max(...[...byClass.keys()].map((k) => k.length));
console.log(`${'class'.padEnd(width)}  cases  handled`);
for (const [cls, { cases: n, handled }] of byClass) {
  console.log(`${cls.padEnd(width)}  ${String(n).padStart(5)}  ${String(handled).padStart(7)}`);
}
const handled = cases.length - failed.length;
console.log(
  `\n${cases.length} cases in ${byClass.size} classes: ${handled} handled (refused with a message naming the file, or accepted correctly), ${failed.length} not; the baseline snapshot and labels were intact after every case (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);
for (const { c, why } of failed) console.log(`\nNOT HANDLED ${c.class}: ${c.name}\n  ${why.join('\n  ')}`);
process.exit(failed.length > 0 ? 1 : 0);
