/** The compare kind in the app: its leaderboard view (compare-cell-output.ts), which its Run button trains. */
import type { CompareResult } from '../notebook/cells/compare.ts';
import type { CellKindView } from './cell-kind-view.ts';
import { CompareOutput } from './compare-cell-output.ts';

export const compareCellView: CellKindView<CompareResult> = {
  label: 'Compare',
  language: 'yaml',
  add: {
    label: 'Compare strategies',
    stem: 'board',
    // Every strategy, on unseen addresses; nothing trains until Run comparison is pressed.
    body: () =>
      'strategies: [proxy, supervised, self-training, autoencoder, isolation-forest, rule]\nsplit: {method: time, groupBy: address}\nsupervised: {target: address-labels}\n',
  },
  runTrains: true,
  // Resolved its configuration but has not trained: done running, yet nothing was trained.
  notDone: (value) => (value.state !== 'done' ? 'not trained' : undefined),
  output(host) {
    // Kept across runs: its source choice and messages stay.
    const compare = new CompareOutput({
      train: () => host.run(),
      cancel: (part) => host.cancel(part),
      parquet: host.parquet,
    });
    return {
      show(value, _block, place) {
        place(compare.element);
        compare.show(value);
      },
      showProgress(progress, place) {
        place(compare.element);
        compare.showProgress(progress);
      },
      dispose: () => compare.dispose(),
    };
  },
};
