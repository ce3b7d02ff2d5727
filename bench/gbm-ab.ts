/**
 * `npx tsx bench/gbm-ab.ts --ref <git ref> [--rows 100000 --iterations 30 --repeats 5]`
 *
 * The booster of the working tree (src/ml/gbm/) against the one at a git ref, on the same
 * bench:gbm rows (bench/gbm-data.ts; nine tenths train, one tenth validation, early stopping off),
 * fit after fit, in alternating order. Times are CPU seconds of this process (user + system): on a
 * machine other work shares, wall-clock times swing by 2x from run to run, CPU time much less.
 * Prints both medians, their ratio, and whether the two models' probabilities are identical,
 * which a speed-up that changes no result keeps.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as current from '../src/ml/gbm/booster.ts';
import { syntheticGbmData } from './gbm-data.ts';
import { median } from './stats.ts';

const { values } = parseArgs({
  options: {
    ref: { type: 'string' },
    rows: { type: 'string', default: '100000' },
    iterations: { type: 'string', default: '30' },
    repeats: { type: 'string', default: '5' },
  },
});
if (!values.ref)
  throw new Error('usage: npx tsx bench/gbm-ab.ts --ref <git ref> [--rows N --iterations N --repeats N]');
const ref = values.ref;
const rows = Number(values.rows);
const repeats = Math.max(1, Number(values.repeats));

/** The ref's src/ml/gbm/ in a temporary folder, its imports from outside the folder pointed at the working tree. */
function checkoutBooster(): string {
  const root = resolve(import.meta.dirname, '..');
  const dir = join(mkdtempSync(join(tmpdir(), 'gbm-ab-')), 'gbm');
  mkdirSync(dir);
  const files = execFileSync('git', ['ls-tree', '--name-only', `${ref}:src/ml/gbm/`], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = execFileSync('git', ['show', `${ref}:src/ml/gbm/${file}`], { cwd: root, encoding: 'utf8' });
    // './x.ts' stays in the folder; '../x' and '../../x' are the working tree's src/ml/ and src/.
    const rewritten = text.replace(/from '(\.\.\/(?:\.\.\/)?[^']+)'/g, (_, path: string) => {
      const target = resolve(root, 'src/ml/gbm', path);
      return `from '${pathToFileURL(target).href}'`;
    });
    writeFileSync(join(dir, file), rewritten);
  }
  return join(dir, 'booster.ts');
}

const before = (await import(pathToFileURL(checkoutBooster()).href)) as typeof current;
const data = syntheticGbmData(rows, 1);
const all = Int32Array.from({ length: rows }, (_, i) => i);
const fitData = {
  x: data.x,
  columns: data.columns,
  train: all.filter((i) => i % 10 !== 0),
  validation: all.filter((i) => i % 10 === 0),
  y: data.y,
  w: data.w,
};
const params = { ...current.DEFAULT_GBM, maxIter: Number(values.iterations), patience: 0 };
const seconds: Record<'ref' | 'tree', number[]> = { ref: [], tree: [] };
const probability: Partial<Record<'ref' | 'tree', Float64Array>> = {};
for (let i = 0; i < repeats; i++) {
  const order: ['ref' | 'tree', typeof current][] = [
    ['ref', before],
    ['tree', current],
  ];
  for (const [name, booster] of i % 2 ? order.reverse() : order) {
    const start = process.cpuUsage();
    const { model } = await booster.fitGbm(fitData, params, 1);
    const used = process.cpuUsage(start);
    seconds[name].push((used.user + used.system) / 1e6);
    probability[name] = model.predictProbability(data.x, rows);
  }
}
const identical = probability.ref!.every((p, i) => p === probability.tree![i]);
const [a, b] = [median(seconds.ref), median(seconds.tree)];
console.log(
  `${rows} rows x ${data.columns} features, ${params.maxIter} trees, ${repeats} fits each (CPU seconds): ` +
    `${ref} ${a.toFixed(2)} s, working tree ${b.toFixed(2)} s, ${(a / b).toFixed(2)}x; ` +
    `probabilities ${identical ? 'identical' : 'differ'}`,
);
