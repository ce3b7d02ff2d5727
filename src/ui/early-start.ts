/**
 * What the first screen waits for, started at once by main.ts, before the app's own code (a few
 * MB of JavaScript: the views, notebooks, TF.js) is fetched and run: DuckDB-WASM in the worker
 * main.ts created, the Parquet worker, the sample's files (fetched and hashed: the hashes say
 * whether the checked copy a visit before kept, load-cache.ts, is of these very files), the store
 * of kept copies and the checked copy the build shipped. Then app-start.ts builds the app on them.
 */
import { openBrowserRuntime } from '../db/browser.ts';
import { CheckedLoadCache, shippedCheckedSample, withDigests } from './load-cache.ts';
import { sampleFiles } from './source-files.ts';

export function startEarly(duckdbWorker: Worker): void {
  const runtime = openBrowserRuntime(duckdbWorker);
  runtime.catch(() => {}); // reported by the app, once it is up
  // withDigests requests every file at once (a read-ahead of its own) and hashes each as it arrives.
  const sample = sampleFiles().then((files) => withDigests(files));
  sample.catch(() => {}); // reported by the app, once it is up
  const keptCopies = CheckedLoadCache.open();
  const shipped = shippedCheckedSample(import.meta.env.BASE_URL);
  // A later visit will want the copy kept in this browser, a first one the shipped copy: start
  // reading (and checking) it now, with the sample.
  void keptCopies.then(async (kept) => (kept && (await kept.any()) ? kept.readAhead() : shipped()));

  void import('./app-start.ts').then(
    (app) => app.start({ runtime, sample, keptCopies, shipped }),
    (err: Error) => {
      document.body.textContent = `Label Lab could not start: ${err.message}`;
    },
  );
}
