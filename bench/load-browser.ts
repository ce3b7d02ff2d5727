/**
 * The Chromium half of bench:load: the app's dev server serves the benchmark snapshot as its
 * sample (LABEL_LAB_SAMPLE_DIR), and a page imports the app's own modules to time
 * open → load → first query, in a fresh database each run. The page is not the app itself, so
 * the app's automatic sample load does not compete with the measurement.
 */
import { classify, type SourceFile } from '../src/sot/files.ts';
import { startAppOn } from './app-session.ts';
import { sampleTreeRss } from './rss-sampler.ts';

type Loaded = { table: string; ms: Record<'read' | 'decode' | 'check' | 'merge', number> };

export async function browserLoadTimes(
  dir: string,
  files: SourceFile[],
  runs: number,
): Promise<{ times: number[]; rows: number; loaded: Loaded[]; peakBytes: number }> {
  const { app, browser } = await startAppOn(dir);
  // The harness's profiles are label-lab-chromium-*: the browser process and all it spawned.
  const rss = sampleTreeRss(/--user-data-dir=\S*label-lab-chromium-/);
  const times: number[] = [];
  let rows = 0;
  let loaded: Loaded[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage();
      await page.goto(`${app.url}sample-data.json`);
      const r = await page.evaluate(
        async (expected: number) => {
          const { openBrowserRuntime } = await import('/src/db/browser.ts' as string);
          const { Lab } = await import('/src/sot/lab.ts' as string);
          const { sampleFiles } = await import('/src/ui/source-files.ts' as string);
          const t0 = performance.now();
          const rt = await openBrowserRuntime();
          const lab = await Lab.open(rt);
          const report = await lab.load(await sampleFiles('/'));
          const errors = report.problems.filter((p: { level: string }) => p.level === 'error');
          if (errors.length > 0) throw new Error(errors.map((e: { message: string }) => e.message).join('\n'));
          await lab.db.query(`SELECT count(*) FROM alerts WHERE severity IN ('high', 'critical')`);
          const ms = performance.now() - t0;
          const n = Number((await lab.db.query('SELECT count(*)::INTEGER AS n FROM alerts')).getChildAt(0).get(0));
          if (report.loaded.length !== expected) throw new Error(`loaded ${report.loaded.length} of ${expected} files`);
          await rt.db.close();
          return { ms, n, loaded: report.loaded.map((l: Loaded) => ({ table: l.table, ms: l.ms })) };
        },
        files.filter((f) => classify(f).kind === 'table').length,
      );
      times.push(r.ms);
      rows = r.n;
      loaded = r.loaded;
      console.log(`chromium run ${i + 1}: ${(r.ms / 1000).toFixed(2)} s`);
      await page.close();
    }
  } finally {
    rss.stop();
    await browser.close();
    await app.close();
  }
  return { times, rows, loaded, peakBytes: rss.peak() };
}
