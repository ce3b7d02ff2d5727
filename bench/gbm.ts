/**
 * `npm run bench:gbm [-- --rows 100000,1000000 --iterations 100 --repeats 3 --threads 0 --skip-chromium --no-sklearn]`
 *
 * Fit time of the gbm strategy's booster (src/ml/gbm/) against scikit-learn's
 * HistGradientBoostingClassifier on the same rows (bench/gbm-data.ts: 40 raw features with
 * missing values, one-hot columns and weights; nine tenths train, one tenth held out), the same
 * settings and the same number of trees (early stopping off), per size:
 *   - in Node, the fit job inline (src/training/job.ts);
 *   - in headless Chromium, the app's training worker (bench/gbm-page.ts);
 *   - scikit-learn through Debian's /usr/bin/python3 (bench/gbm-sklearn.py), with its thread count.
 * Each cell is the median of `repeats` fits, as seconds and training rows per second; the held-out
 * ROC-AUC of both shows they learned the same thing. `--threads` is gbm.threads (0, the default:
 * one per core, as scikit-learn's OpenMP takes them; 1 to time one thread). Goal: at most 2x
 * scikit-learn's fit time at 1M rows.
 */
import { parseArgs } from 'node:util';
import { formatTable } from '../src/cli/output.ts';
import { rocAuc } from '../src/metrics/ranking.ts';
import { runFitJob } from '../src/training/job.ts';
import { gbmParams } from '../src/strategies/gbm.ts';
import { runInBenchPage } from './app-session.ts';
import { benchTrainRows, gbmBenchConfig, gbmBenchData, gbmBenchJob } from './gbm-job.ts';
import type { BrowserGbmOptions, BrowserGbmRow } from './gbm-page.ts';
import { runSklearnGbm, sklearnVersion } from './gbm-sklearn.ts';
import { median } from './stats.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000,1000000' },
    iterations: { type: 'string', default: '100' },
    repeats: { type: 'string', default: '3' },
    threads: { type: 'string', default: '0' },
    'skip-chromium': { type: 'boolean', default: false },
    'no-sklearn': { type: 'boolean', default: false },
  },
});
const SIZES = values.rows.split(',').map(Number);
const ITERATIONS = Number(values.iterations);
const REPEATS = Math.max(1, Number(values.repeats));
const THREADS = Math.max(0, Number(values.threads));

interface Row {
  rows: number;
  node?: { seconds: number; auc: number; trees: number; threads: number };
  chromium?: { seconds: number; trees: number; threads: number };
  sklearn?: { seconds: number; auc: number; trees: number; threads: number | null };
}

const heldOutAuc = (scores: ArrayLike<number>, y: Float32Array, from: number) => {
  const s = Float64Array.from({ length: y.length - from }, (_, i) => scores[from + i]!);
  const l = Float64Array.from({ length: y.length - from }, (_, i) => y[from + i]!);
  return rocAuc(s, l) ?? NaN;
};

const table: Row[] = [];
const sk = values['no-sklearn'] ? { missing: '--no-sklearn' } : sklearnVersion();
if ('missing' in sk) console.log(`scikit-learn: left out (${sk.missing})`);
for (const rows of SIZES) {
  const data = gbmBenchData(rows);
  const train = benchTrainRows(rows);
  const row: Row = { rows };
  const seconds: number[] = [];
  let auc = NaN;
  let trees = 0;
  let threads = 1;
  for (let i = 0; i < REPEATS; i++) {
    const result = await runFitJob(gbmBenchJob(data, ITERATIONS, THREADS));
    seconds.push(result.seconds.fit);
    auc = heldOutAuc(result.scores, data.y, train.length);
    trees = result.training[0]?.bestEpoch ?? 0;
    threads = result.training[0]?.threads ?? 1;
  }
  row.node = { seconds: median(seconds), auc, trees, threads };
  console.log(`node, ${rows.toLocaleString('en-US')} rows: ${seconds.map((s) => s.toFixed(2)).join(', ')} s`);
  if (!('missing' in sk)) {
    const score = Int32Array.from({ length: rows - train.length }, (_, i) => train.length + i);
    const peer = runSklearnGbm({
      ...data,
      train,
      score,
      params: gbmParams(gbmBenchConfig(ITERATIONS)),
      repeats: REPEATS,
    });
    const full = new Float64Array(rows);
    full.set(peer.proba, train.length);
    row.sklearn = {
      seconds: median(peer.seconds),
      auc: heldOutAuc(full, data.y, train.length),
      trees: peer.trees,
      threads: peer.threads,
    };
    console.log(
      `scikit-learn ${peer.version}, ${rows.toLocaleString('en-US')} rows: ${peer.seconds.map((s) => s.toFixed(2)).join(', ')} s`,
    );
  }
  table.push(row);
}
if (!values['skip-chromium']) {
  const opts: BrowserGbmOptions = { sizes: SIZES, iterations: ITERATIONS, repeats: REPEATS, threads: THREADS };
  const browser = await runInBenchPage<BrowserGbmOptions, BrowserGbmRow[]>(
    '/bench/gbm-page.ts',
    'runBrowserGbmBench',
    opts,
  );
  for (const b of browser) {
    const row = table.find((r) => r.rows === b.rows)!;
    row.chromium = { seconds: median(b.seconds), trees: b.trees, threads: b.threads };
  }
}

const perSecond = (rows: number, s: number | undefined) =>
  s === undefined ? '-' : Math.round((rows * 0.9) / s).toLocaleString('en-US');
const fixed = (v: number | undefined, d = 2) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d));
const withThreads = (seconds: number | undefined, threads: number | null | undefined) =>
  seconds === undefined ? '-' : `${fixed(seconds)}${threads ? ` (${threads} thread${threads === 1 ? '' : 's'})` : ''}`;
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}x`;
console.log(
  `\nmedian fit of ${REPEATS} runs, ${ITERATIONS} trees of at most 31 leaves, 40 features; rows/s = training rows (nine tenths) per second of fit\n`,
);
console.log(
  formatTable(
    [
      'rows',
      'node s',
      'node rows/s',
      'chromium s',
      'chromium rows/s',
      'sklearn s',
      'sklearn rows/s',
      'node / sklearn',
      'chromium / sklearn',
      'ROC-AUC ours',
      'ROC-AUC sklearn',
      'trees ours/sklearn',
    ],
    table.map((r) => [
      r.rows.toLocaleString('en-US'),
      withThreads(r.node?.seconds, r.node?.threads),
      perSecond(r.rows, r.node?.seconds),
      withThreads(r.chromium?.seconds, r.chromium?.threads),
      perSecond(r.rows, r.chromium?.seconds),
      withThreads(r.sklearn?.seconds, r.sklearn?.threads),
      perSecond(r.rows, r.sklearn?.seconds),
      ratio(r.node?.seconds, r.sklearn?.seconds),
      ratio(r.chromium?.seconds, r.sklearn?.seconds),
      fixed(r.node?.auc, 4),
      fixed(r.sklearn?.auc, 4),
      `${r.node?.trees ?? '-'}/${r.sklearn?.trees ?? '-'}`,
    ]),
  ),
);
