/**
 * The Chromium half of bench:proxy, imported by the page through Vite: the app's own browser
 * runtime (DuckDB-WASM in its worker) loads the alerts and ground truth of the snapshot the dev
 * server serves as its sample, then the shared measurement runs with the page's real DOM.
 */
import { openBrowserRuntime } from '../src/db/browser.ts';
import { Lab } from '../src/sot/lab.ts';
import { sampleFiles } from '../src/ui/source-files.ts';
import { LABEL_INPUTS, measureProxy, type ProxyTimings } from './proxy-measure.ts';

export async function runProxyBench(opts: {
  moves: number;
  rescans: number;
}): Promise<ProxyTimings & { loadMs: number }> {
  const t0 = performance.now();
  const rt = await openBrowserRuntime();
  const lab = await Lab.open(rt);
  const files = (await sampleFiles('/')).filter((f) => LABEL_INPUTS.test(f.path));
  const report = await lab.load(files);
  const errors = report.problems.filter((p) => p.level === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  const loadMs = performance.now() - t0;
  const container = document.createElement('div');
  document.body.appendChild(container);
  try {
    return { ...(await measureProxy(lab.db, { ...opts, document, container })), loadMs };
  } finally {
    container.remove();
    await rt.db.close();
  }
}
