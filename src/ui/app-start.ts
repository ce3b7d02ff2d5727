/**
 * The app itself, loaded by early-start.ts once it has started what the first screen waits for
 * (DuckDB, the sample's files and hashes, the kept copies): open the loader, show the start page
 * on a first visit and the Data view after (or the notebook or doc the address names), load the
 * bundled sample snapshot, and take the user's files from then on.
 */
import { MILESTONES, reached } from './timeline.ts';
import type { Runtime } from '../db/runtime.ts';
import type { CheckedSnapshot, FileDigest } from '../sot/checked-cache.ts';
import type { SourceFile } from '../sot/files.ts';
import { Lab } from '../sot/lab.ts';
import { DataView } from './data-view.ts';
import { installDropTarget } from './drop.ts';
import { LabelSession } from './label-session.ts';
import { openLabelEventStore } from './label-store-idb.ts';
import { LabelsView } from './labels-view.ts';
import type { CheckedLoadCache } from './load-cache.ts';
import { describeFiles } from './load-controls.ts';
import { NotebooksView } from './notebooks-view.ts';
import { ReviewView } from './review-view.ts';
import { ScoresView } from './scores-view.ts';
import { installRoutes, routeAddress } from './app-routes.ts';
import { installScrollHints } from './scroll-hints.ts';
import { DocsView } from './docs-view.ts';
import { loadShippedNotebooks } from './shipped-notebooks.ts';
import { StartPage, startPageSeen } from './start-page.ts';
import { Shell } from './shell.ts';

/** What early-start.ts started before this module was even fetched. */
export interface EarlyStart {
  runtime: Promise<Runtime>;
  sample: Promise<{ files: SourceFile[]; digests: Promise<FileDigest[]> }>;
  keptCopies: Promise<CheckedLoadCache | undefined>;
  /** The sample's checked copy the build shipped, if any (fetched once, when first asked). */
  shipped: () => Promise<CheckedSnapshot | undefined>;
}

export async function start({ runtime, sample, keptCopies, shipped }: EarlyStart): Promise<void> {
  const root = document.getElementById('app');
  if (!root) throw new Error('index.html has no #app element');
  const shell = new Shell(root);
  shell.setEngineState('Starting DuckDB…', 'busy');
  shell.showMessage(
    'Starting the in-browser database',
    'DuckDB-WASM runs in this tab: nothing you load leaves your machine.',
  );

  let lab: Lab;
  try {
    lab = await Lab.open(await runtime);
  } catch (err) {
    shell.setEngineState('Engine failed', 'error');
    shell.showMessage('The database could not start', (err as Error).message, 'error');
    throw err;
  }
  shell.setEngineState('DuckDB-WASM · in this tab', 'ready');
  reached(MILESTONES.engineReady);

  // A first visit opens on the start page; later ones on the data (or what the address names).
  const firstVisit = !startPageSeen();
  const start = new StartPage(loadShippedNotebooks());
  shell.addView({ id: 'start', label: 'Start', element: start.element, onShow: () => start.shown() });
  const data = new DataView(lab);
  shell.addView({ id: 'data', label: 'Data', element: data.element });
  if (!firstVisit) shell.show('data');
  data.onTablesChanged((tables) => start.tablesChanged(tables));
  data.onLoadDone((label, problems) => start.loadDone(label, problems));
  void lab.tables().then(
    (tables) => start.tablesChanged(tables),
    () => undefined,
  );
  // One label session for every view that labels; its log is kept in IndexedDB between reloads.
  const labelStore = await openLabelEventStore();
  const labelSession = new LabelSession(lab.db, labelStore.store);
  const notebooks = new NotebooksView(lab, labelSession);
  shell.addView({ id: 'notebooks', label: 'Notebooks', element: notebooks.element, onShow: () => notebooks.shown() });
  data.onTablesChanged((tables) => notebooks.tablesChanged(tables));
  const labels = new LabelsView(lab, labelSession, labelStore);
  shell.addView({ id: 'labels', label: 'Labels', element: labels.element, onShow: () => labels.shown() });
  data.onTablesChanged(() => labels.tablesChanged());
  const review = new ReviewView(lab, labelSession);
  shell.addView({ id: 'review', label: 'Review', element: review.element, onShow: () => review.shown() });
  data.onTablesChanged((tables) => review.tablesChanged(tables));
  const scores = new ScoresView(lab, () => shell.show('scores'));
  shell.addView({ id: 'scores', label: 'Scores', element: scores.element });
  // The saved labels come back before any load starts: label_events refers to alert ids and
  // addresses, not to loaded rows, so it needs no alerts (they apply once the alerts arrive), and
  // its transaction on lab.db never interleaves with a load's view rebuilds on that connection.
  labels.restored(await labelSession.restore().catch((err: Error) => ({ error: err.message })));
  const docs = new DocsView();
  shell.addView({ id: 'docs', label: 'Docs', element: docs.element, onShow: () => void docs.shown() });
  // A link to a notebook or a doc (or a reload with one open) goes straight to it.
  installRoutes(shell, docs);
  routeAddress(shell, docs);
  installScrollHints(root);
  installDropTarget(
    // A dropped scores file is scored (the Scores view); everything else goes to the loader.
    (files) =>
      void scores.take(files).then(
        (rest) => {
          if (rest.length > 0) data.load(describeFiles(rest), rest);
        },
        (err: Error) => data.reportFailure('dropped files', `The dropped files could not be read: ${err.message}`),
      ),
    (err) => data.reportFailure('dropped files', `The dropped files could not be read: ${err.message}`),
  );

  try {
    const { files, digests } = await sample;
    if (files.length > 0) {
      notebooks.dataLoading('the sample snapshot');
      start.loadStarted('the sample snapshot');
      const cache = await keptCopies;
      data.load('the sample snapshot', files, { cache, digests, shipped });
      reached(MILESTONES.loadQueued);
    }
  } catch (err) {
    data.reportFailure('sample snapshot', (err as Error).message);
  }
}
