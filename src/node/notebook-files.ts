/**
 * Node-only: a notebook's data files for labels cells, from the folders it runs on (`lab run
 * --data`, the front matter's `data`). A path is looked up in each folder in turn; one outside
 * them (`..`, absolute) is refused by the cell's schema before it gets here.
 */
import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Runtime } from '../db/runtime.ts';
import type { NotebookFiles } from '../notebook/cells/context.ts';
import { filesFromPaths } from './files.ts';

export function notebookFilesIn(runtime: Runtime, dataPaths: string[]): NotebookFiles {
  const folders = dataPaths.filter((p) => existsSync(p) && statSync(p).isDirectory());
  return {
    runtime,
    async read(path) {
      for (const folder of folders) {
        const full = join(folder, path);
        // Named as the user would write it (sample-data/labels/...), not by its absolute path.
        if (existsSync(full) && statSync(full).isFile())
          return { ...(await filesFromPaths([full]))[0]!, path: relative(process.cwd(), full) || full };
      }
      throw new Error(`${path}: not found in the notebook's data (${folders.join(', ') || 'no data folder'})`);
    },
  };
}
