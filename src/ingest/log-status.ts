/**
 * The Labels status line: how many label events the event log holds and what changed it last,
 * in one sentence. One count (the event log itself) and one last change, so the line never
 * disagrees with itself ("602 label events · Restored 604"), and the Labels view writes it
 * again after every import, label, undo and restore.
 */
import { rows, type Database } from '../db/database.ts';
import { LABEL_EVENTS_TABLE } from '../migrations/index.ts';

export interface LabelLogCount {
  events: number;
  batches: number;
}

export async function labelLogCount(db: Database): Promise<LabelLogCount> {
  const found = rows<{ events: number; batches: number }>(
    await db.query(`SELECT count(*) AS events, count(DISTINCT batch_id) AS batches FROM ${LABEL_EVENTS_TABLE}`),
  )[0];
  return { events: Number(found?.events ?? 0), batches: Number(found?.batches ?? 0) };
}

/** What changed the log last, as the app's label session announces it. */
export interface LastLabelChange {
  kind: 'restored' | 'imported' | 'labelled' | 'restored-label';
  events: number;
  /** An import made by a notebook's labels cell, not the Labels tab. */
  origin?: 'notebook';
  /** When, as the reader's clock shows it ("13:05"); for a restore, when the log was saved. */
  at?: string;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function labelStatusLine(count: LabelLogCount, last: LastLabelChange | null): string {
  if (count.events === 0)
    return last && last.kind !== 'restored'
      ? 'No label events in this browser: the last change left none.'
      : 'No labels were saved in this browser yet: import some, or give them in Review.';
  const held = `${plural(count.events, 'label event')} in this browser`;
  if (!last) return `${held}.`;
  const at = last.at ? ` at ${last.at}` : '';
  switch (last.kind) {
    case 'restored':
      // Right after the restore the two counts are the same: say it once.
      return last.events === count.events
        ? `Restored ${plural(last.events, 'label event')} saved in this browser${at}.`
        : `${held}; ${plural(last.events, 'label event')} were restored at start (saved${at}).`;
    case 'imported':
      return `${held}; last change: ${plural(last.events, 'label event')} imported${last.origin === 'notebook' ? ' by a notebook' : ''}${at}.`;
    case 'labelled':
      return `${held}; last change: ${plural(last.events, 'label event')} given in Review${at}.`;
    case 'restored-label':
      return `${held}; last change: an earlier label restored from its history${at}.`;
  }
}
