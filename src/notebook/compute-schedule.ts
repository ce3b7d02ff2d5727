/**
 * When a notebook computes after a change. @observablehq/runtime waits for the next animation
 * frame before it recomputes anything (it was made for notebooks whose cells animate), so in a
 * browser every param change first waits 0 to 16 ms, 8 on average, for a frame: more than a proxy
 * cell's whole evaluation (about 1 ms at a million alerts), and most of a 10 ms budget for
 * showing new counts. Cells here are async functions that draw nothing themselves (the view draws
 * their results), so nothing needs the frame: compute on a microtask instead, after the task
 * that made the change. Changes made together (several `set`s in one handler, a loaded config)
 * are still computed once, together.
 *
 * The runtime's scheduler is its `_computeSoon` method, a writable property of its prototype; it
 * is replaced on the one instance only, and only where the frame wait exists (Node schedules with
 * setImmediate already). Should a later version drop the method, the runtime keeps its own
 * schedule: slower, never wrong.
 */
import type { Runtime } from '@observablehq/runtime';

interface Scheduler {
  _computeSoon?: () => Promise<void>;
  _computeNow?: () => Promise<void>;
  _disposed?: boolean;
}

export function computeWithoutFrameWait(runtime: Runtime): void {
  if (typeof requestAnimationFrame !== 'function') return;
  const r = runtime as unknown as Scheduler;
  const now = r._computeNow;
  if (typeof r._computeSoon !== 'function' || typeof now !== 'function') return;
  r._computeSoon = () => Promise.resolve().then(() => (r._disposed ? undefined : now.call(r)));
}
