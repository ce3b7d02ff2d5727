/**
 * Every shipped notebook, run headless against the data its front matter names (sample-data),
 * exactly as `lab run` would: it must parse without a single problem, every cell must run, and
 * every inline expression of its prose must find its value.
 * NOTEBOOK_DATA=DIR runs them against another export instead.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import { filesFromPaths } from '../src/node/files.ts';
import { runHeadless } from '../src/node/notebook-headless.ts';
import { notebookFilesIn } from '../src/node/notebook-files.ts';
import { parseNotebookStrict } from '../src/notebook/parse.ts';
import { Lab } from '../src/sot/lab.ts';

const NOTEBOOKS = readdirSync('notebooks')
  .filter((f) => f.endsWith('.md'))
  .sort();
const labs = new Map<string, Promise<Lab>>();

/** One loaded lab per data location, shared by the notebooks that read it. */
function labFor(paths: string[]): Promise<Lab> {
  const key = paths.join('\n');
  let lab = labs.get(key);
  if (!lab) {
    lab = (async () => {
      for (const p of paths)
        if (!existsSync(p))
          throw new Error(`${p} does not exist: generate it with npm run sample-data, or set NOTEBOOK_DATA`);
      const l = await Lab.open(await openNodeRuntime());
      const report = await l.load(await filesFromPaths(paths));
      if (report.loaded.length === 0)
        throw new Error(`nothing loaded from ${paths.join(', ')}: ${report.problems.map((p) => p.message).join('; ')}`);
      return l;
    })();
    labs.set(key, lab);
  }
  return lab;
}

describe('shipped notebooks', () => {
  it('there are notebooks to run', () => {
    expect(NOTEBOOKS.length).toBeGreaterThan(0);
  });

  for (const file of NOTEBOOKS) {
    it(`${file} parses cleanly and every cell runs`, async () => {
      const doc = parseNotebookStrict(readFileSync(`notebooks/${file}`, 'utf8'), { file });
      const declared = doc.frontMatter?.data?.data;
      const data = process.env.NOTEBOOK_DATA
        ? [process.env.NOTEBOOK_DATA]
        : (Array.isArray(declared) ? declared : declared ? [declared] : []).map((d) => resolve(d));
      expect(data, `${file} names no data in its front matter`).not.toEqual([]);
      const lab = await labFor(data);

      const run = await runHeadless(doc, { db: lab.db, data, files: notebookFilesIn(lab.runtime, data) });
      const failures = run.failures.map((c) => `${c.kind} ${c.id}: ${c.error?.message}`);
      expect(failures).toEqual([]);
      expect(run.nb.cells.filter((c) => c.kind !== 'markdown').every((c) => c.status === 'done')).toBe(true);
      expect(run.html).not.toMatch(/<script/i);
      // Every inline expression in the prose found its value: none reads "(waiting for ...)" or "(no row ...)".
      const unresolved = [...run.html.matchAll(/data-ref="([^"]*)" data-state="(?:waiting|missing)">([^<]*)</g)];
      expect(unresolved.map((m) => `\${${m[1]}}: ${m[2]}`)).toEqual([]);
      mkdirSync('test-output/notebooks', { recursive: true });
      writeFileSync(`test-output/notebooks/${file.replace(/\.md$/, '.html')}`, run.html);
      await run.nb.dispose();
      // Notebook 03 trains two boards of seven strategies: minutes on a loaded two-core machine.
    }, 400_000);
  }
});
