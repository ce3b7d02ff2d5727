/**
 * Work an open notebook keeps across runs until its data changes (RunContext.memo and keep): the
 * label cube, an import done once, a sweep over the cube. Each entry remembers which cells asked
 * for it, so re-running a cell (the user asked, or a load changed the data) forgets what that
 * cell built and the next run builds it again; a param move never does.
 */

interface Entry {
  value: unknown;
  users: Set<string>;
}

export class MemoCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * Async builds run one after another: a build forgotten by a rerun may still be running, and
   * its statements must not interleave with its replacement's (both write the same temp tables).
   */
  private chain: Promise<unknown> = Promise.resolve();

  /** The `memo` of a run of `cell`: the first call with a key builds, later ones share the promise. */
  memo(cell: string): <T>(key: string, build: () => Promise<T>) => Promise<T> {
    return <T>(key: string, build: () => Promise<T>): Promise<T> => {
      let entry = this.entries.get(key);
      if (!entry) {
        const value = this.chain.then(() => build());
        this.chain = value.catch(() => undefined);
        const created: Entry = { value, users: new Set() };
        entry = created;
        this.entries.set(key, created);
        // A failed build is not kept: the next run tries again.
        value.catch(() => {
          if (this.entries.get(key) === created) this.entries.delete(key);
        });
      }
      entry.users.add(cell);
      return entry.value as Promise<T>;
    };
  }

  /** The `keep` of a run of `cell`: a synchronous build, kept like a memo (a throw keeps nothing). */
  keep(cell: string): <T>(key: string, build: () => T) => T {
    return <T>(key: string, build: () => T): T => {
      let entry = this.entries.get(key);
      if (!entry) {
        entry = { value: build(), users: new Set() };
        this.entries.set(key, entry);
      }
      entry.users.add(cell);
      return entry.value as T;
    };
  }

  /** Forget what these cells asked for (everything, without cells): it is built again. */
  forget(cells?: readonly string[]): void {
    for (const [key, entry] of this.entries) {
      if (cells === undefined || cells.some((c) => entry.users.has(c))) this.entries.delete(key);
    }
  }
}
