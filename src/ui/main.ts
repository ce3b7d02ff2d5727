/**
 * The browser entry, kept to what it must do first: create DuckDB-WASM's worker. Its script
 * (0.8 MB) then compiles and runs while the page is still fetching and parsing the modules the
 * database client needs (DuckDB's client, apache-arrow: early-start.ts and its imports), which
 * are about 0.4 s on a 2-core machine; the worker is ready for them when they ask it to
 * instantiate. Nothing else belongs here: every static import delays the worker.
 */
import './styles.css';
import duckdbWorkerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';

const duckdbWorker = new Worker(duckdbWorkerUrl);

void import('./early-start.ts').then(
  (early) => early.startEarly(duckdbWorker),
  (err: Error) => {
    duckdbWorker.terminate();
    document.body.textContent = `Label Lab could not start: ${err.message}`;
  },
);
