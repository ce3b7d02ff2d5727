/**
 * A notebook's data files in the app: labels cells read from the bundled sample (which holds the
 * community example set), import on the page's database, and tell the app's views when they
 * appended labels, so the event log is saved and the Labels and Review tabs refresh.
 */
import type { NotebookFiles } from '../notebook/cells/context.ts';
import type { Lab } from '../sot/lab.ts';
import type { LabelSession } from './label-session.ts';
import { sampleFile } from './source-files.ts';

export function appNotebookFiles(lab: Lab, labels: LabelSession): NotebookFiles {
  return {
    runtime: lab.runtime,
    read: (path) => sampleFile(path),
    labelsChanged: (events) => labels.changed({ kind: 'imported', events, origin: 'notebook' }),
  };
}
