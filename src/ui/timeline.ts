/**
 * The app's start-up milestones as User Timing marks (performance.mark), so a benchmark, a test
 * or a user's DevTools can read how long each step of the first screen took, from navigation.
 * bench/first-screen.ts prints them.
 */
export const MILESTONES = {
  /** DuckDB-WASM instantiated, the raw tables, migrations and views created. */
  engineReady: 'label-lab:engine-ready',
  /** The sample's listing fetched and its load queued. */
  loadQueued: 'label-lab:load-queued',
  /** The first load finished and its tables are listed: the first screen has its data. */
  firstTablesListed: 'label-lab:first-tables-listed',
  /** The sample came from its checked copy kept in this browser (a later visit, same files). */
  restoredFromCache: 'label-lab:restored-from-cache',
  /** The sample came from the checked copy the build shipped beside it (a first visit, same files). */
  restoredFromShipped: 'label-lab:restored-from-shipped',
  /** The checked sample was kept in this browser for the next visit (after the first screen). */
  checkedCopyKept: 'label-lab:checked-copy-kept',
} as const;

export type Milestone = (typeof MILESTONES)[keyof typeof MILESTONES];

/** Mark a milestone the first time it is reached (later loads do not move it). */
export function reached(milestone: Milestone): void {
  if (performance.getEntriesByName(milestone, 'mark').length === 0) performance.mark(milestone);
}
