/**
 * The labelling session's state (src/active/review-state.ts): moving through a batch, labels
 * and skips, undo across them, the running count, and swapping in a refreshed queue.
 */
import { describe, expect, it } from 'vitest';
import type { QueueEntry } from '../src/active/retrain.ts';
import { ReviewState } from '../src/active/review-state.ts';

const entry = (alertId: string, rank = 1): QueueEntry => ({
  rank,
  alertId,
  processingDate: '2026-01-05',
  windowDays: 7,
  address: `addr-${alertId}`,
  typology: 'PEEL_CHAIN',
  severity: 'high',
  p: 0.5,
  priority: 0,
});

const batchOf = (...ids: string[]) => ids.map((id, i) => entry(id, i + 1));

function started(...ids: string[]): ReviewState {
  const s = new ReviewState();
  s.replaceQueue(batchOf(...ids), ids.length);
  return s;
}

const states = (s: ReviewState) =>
  s.items.map((i) =>
    i.state.kind === 'labelled' ? `${i.entry.alertId}=${i.state.label}` : `${i.entry.alertId}:${i.state.kind}`,
  );

describe('ReviewState', () => {
  it('labels and skips move to the next open alert; the tally counts them', () => {
    const s = started('a', 'b', 'c', 'd');
    const p = s.label(1)!;
    expect(p).toMatchObject({ kind: 'label', alertId: 'a', address: 'addr-a', label: 1, eventId: null });
    s.saved(p, 11);
    expect(s.current()!.entry.alertId).toBe('b');
    s.skip();
    expect(s.current()!.entry.alertId).toBe('c');
    s.label(0);
    expect(states(s)).toEqual(['a=1', 'b:skipped', 'c=0', 'd:open']);
    expect(s.tally()).toEqual({ labelled: 2, positives: 1, negatives: 1, skipped: 1, left: 1 });
    expect(s.done()).toBe(false);
    s.label(1);
    expect(s.done()).toBe(true);
    // Nothing open: the cursor stays on the last alert.
    expect(s.current()!.entry.alertId).toBe('d');
  });

  it('wraps round to an open alert skipped over with the arrow keys', () => {
    const s = started('a', 'b', 'c');
    expect(s.move(1)).toBe(true);
    s.label(1);
    s.label(0);
    expect(s.current()!.entry.alertId).toBe('a');
    expect(s.move(-1)).toBe(false);
    expect(s.goTo(5)).toBe(false);
  });

  it('undo takes back the last action, returns to its alert, and the tally follows', () => {
    const s = started('a', 'b', 'c');
    const first = s.label(1)!;
    s.saved(first, 1);
    s.skip();
    const undoSkip = s.undo()!;
    expect(undoSkip).toMatchObject({ kind: 'skip', alertId: 'b' });
    expect(s.current()!.entry.alertId).toBe('b');
    expect(states(s)).toEqual(['a=1', 'b:open', 'c:open']);
    const undoLabel = s.undo()!;
    expect(undoLabel).toMatchObject({ kind: 'label', alertId: 'a', eventId: 1 });
    expect(s.current()!.entry.alertId).toBe('a');
    expect(s.tally()).toEqual({ labelled: 0, positives: 0, negatives: 0, skipped: 0, left: 3 });
    expect(s.undo()).toBeNull();
  });

  it('relabelling an alert is a new action; undoing it brings the earlier label back', () => {
    const s = started('a', 'b');
    s.saved(s.label(1)!, 1);
    s.move(-1);
    expect(s.label(1)).toBeNull(); // the same label again adds nothing
    s.move(-1);
    const change = s.label(0)!;
    s.saved(change, 2);
    expect(s.tally()).toMatchObject({ labelled: 1, positives: 0, negatives: 1 });
    expect(s.undo()).toBe(change);
    expect(states(s)).toEqual(['a=1', 'b:open']);
    expect(s.tally()).toMatchObject({ labelled: 1, positives: 1, negatives: 0 });
  });

  it('a labelled alert is not skipped; a skipped one can still be labelled', () => {
    const s = started('a', 'b');
    s.label(1);
    s.move(-1);
    expect(s.skip()).toBeNull();
    expect(states(s)).toEqual(['a=1', 'b:open']);
    s.skip();
    s.goTo(1);
    s.label(0);
    expect(s.tally()).toMatchObject({ labelled: 2, skipped: 0 });
  });

  it('a failed save gives the alert back its state and leaves nothing to undo', () => {
    const s = started('a', 'b');
    const action = s.label(1)!;
    s.failed(action);
    expect(states(s)).toEqual(['a:open', 'b:open']);
    expect(s.lastAction()).toBeNull();
    expect(s.tally().labelled).toBe(0);
  });

  it('a refreshed queue leaves out what this session labelled or skipped, up to the batch size', () => {
    const s = started('a', 'b', 'c');
    s.saved(s.label(1)!, 1);
    s.skip();
    s.label(0);
    expect(s.done()).toBe(true);
    const dropped = s.replaceQueue(batchOf('b', 'c', 'x', 'y', 'z'), 2);
    expect(dropped).toBe(2);
    expect(states(s)).toEqual(['x:open', 'y:open']);
    expect(s.index).toBe(0);
    // The session's count carries over; the batch's is new.
    expect(s.tally()).toEqual({ labelled: 2, positives: 1, negatives: 1, skipped: 1, left: 2 });
    // Undo reaches back into the earlier batch: it returns the action, the batch is untouched.
    expect(s.undo()).toMatchObject({ kind: 'label', alertId: 'c' });
    expect(states(s)).toEqual(['x:open', 'y:open']);
    // An alert whose label was undone may be queued again.
    s.replaceQueue(batchOf('c', 'b'), 5);
    expect(states(s)).toEqual(['c:open']);
  });

  it('an empty queue is never done', () => {
    const s = new ReviewState();
    expect(s.done()).toBe(false);
    expect(s.current()).toBeNull();
    expect(s.label(1)).toBeNull();
    expect(s.skip()).toBeNull();
  });
});
