/**
 * Batch ids: every append to label_events (an import, a restore, a label set in the app, an undo) gets
 * one, stored in label_events.batch_id (migration 003). Readable on purpose, so a history view
 * can say where an event came from without another table: `import:labels.csv@2026-02-01T12:00:00.000Z#3f9a1c`.
 */
export type BatchKind = 'import' | 'restore' | 'label' | 'retract';

export function newBatchId(kind: BatchKind, subject: string, at: Date = new Date()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(3));
  const suffix = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${kind}:${subject}@${at.toISOString()}#${suffix}`;
}
