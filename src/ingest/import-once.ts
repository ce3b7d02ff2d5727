/**
 * Importing a file that may have been imported before: a notebook that walks through an import
 * runs it each time it is opened, and the labels persist between openings (the browser's event
 * log), so a second opening must find the first import rather than append the same events again.
 *
 * The batch names the file by its content: `import:NAME sha256:HEX12@time#...`. The same bytes
 * give the same subject whatever the file is called now, and a changed file imports anew.
 *
 * Every import path checks here (the Labels tab's panel, a notebook's labels cell, `lab labels
 * import`): `prepareLabelImportOnce` makes the report and finds an earlier import of the same
 * bytes, and `describeEarlier` is the one sentence each of them shows for it.
 */
import { rows, type Database } from '../db/database.ts';
import { sha256Hex, type Runtime } from '../db/runtime.ts';
import { LABEL_EVENTS_TABLE } from '../migrations/index.ts';
import type { SourceFile } from '../sot/files.ts';
import type { AppendResult } from './commit.ts';
import { prepareLabelImport, type ImportOptions, type ImportReport, type PreparedImport } from './import.ts';

export interface EarlierImport {
  batchId: string;
  events: number;
  /** When it was imported (ISO), from the batch id. */
  at: string;
}

export interface ImportOnceResult {
  report: ImportReport;
  /** The event log by batch after this call. */
  batches: BatchSummary[];
  /** What this call appended; null when nothing was (an earlier import, or no accepted rows). */
  appended: AppendResult | null;
  /** The import of the same bytes found in the event log, when there was one. */
  earlier: EarlierImport | null;
  /**
   * Events a confirmation would append now: the accepted rows of a check that wrote nothing
   * (`write: false`), 0 once appended, when imported before, or when nothing was accepted.
   */
  pending: number;
}

/** A checked import and, when the same bytes were imported before, that import. */
export interface PreparedOnce {
  /** Named by content (`contentSubject`), so its batch is found the next time. */
  prepared: PreparedImport;
  earlier: EarlierImport | null;
}

/** "already imported on 2026-12-03 12:03 UTC as batch import:..." : the same words on every path. */
export function describeEarlier(earlier: EarlierImport): string {
  const when = /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(earlier.at)
    ? `${earlier.at.slice(0, 16).replace('T', ' ')} UTC`
    : earlier.at;
  return `already imported on ${when} as batch ${earlier.batchId} (${earlier.events} event${earlier.events === 1 ? '' : 's'})`;
}

/** The content part of a subject: `sha256:HEX12`. */
export async function contentTag(bytes: Uint8Array): Promise<string> {
  return `sha256:${(await sha256Hex(bytes)).slice(0, 12)}`;
}

/** `NAME sha256:HEX12`: what an import of these bytes is called in its batch id. */
export function contentSubject(path: string, tag: string): string {
  return `${path.split('/').pop() ?? path} ${tag}`;
}

export interface BatchSummary {
  batchId: string;
  source: string;
  events: number;
  positive: number;
  /** Mean label_confidence (null when none was given). */
  meanConfidence: number | null;
  firstLabeledAt: string;
  lastLabeledAt: string;
}

/** The event log one batch (and source) a row, in the order the batches were appended. */
export async function labelBatches(db: Database): Promise<BatchSummary[]> {
  const found = rows<{
    batch_id: string;
    source: string;
    n: number;
    pos: number;
    conf: number | null;
    first: string;
    last: string;
  }>(
    await db.query(
      `SELECT batch_id, CAST(label_source AS VARCHAR) AS source, count(*) AS n, count(*) FILTER (WHERE label = 1) AS pos,
         avg(label_confidence) AS conf, CAST(min(labeled_at) AS VARCHAR) AS first, CAST(max(labeled_at) AS VARCHAR) AS last
       FROM ${LABEL_EVENTS_TABLE} GROUP BY ALL ORDER BY min(event_id), source`,
    ),
  );
  return found.map((b) => ({
    batchId: b.batch_id,
    source: b.source,
    events: Number(b.n),
    positive: Number(b.pos),
    meanConfidence: b.conf === null ? null : Number(b.conf),
    firstLabeledAt: b.first,
    lastLabeledAt: b.last,
  }));
}

/** The earliest batch that imported a file with this content (`contentTag`), under any name. */
export async function findImport(db: Database, tag: string): Promise<EarlierImport | null> {
  const found = rows<{ batch_id: string; n: number }>(
    await db.query(
      `SELECT batch_id, count(*) AS n FROM ${LABEL_EVENTS_TABLE}
       WHERE starts_with(batch_id, 'import:') AND contains(batch_id, ?) GROUP BY batch_id ORDER BY min(event_id) LIMIT 1`,
      [` ${tag}@`],
    ),
  )[0];
  if (!found) return null;
  const at = /@([^#]+)#/.exec(found.batch_id)?.[1] ?? '';
  return { batchId: found.batch_id, events: Number(found.n), at };
}

/**
 * Check the file as an import would (the report, nothing written) and look for an earlier import
 * of the same bytes. The caller commits or discards `prepared`; committing when `earlier` is set
 * would append the same events a second time, which is what every path here refuses.
 */
export async function prepareLabelImportOnce(
  rt: Runtime,
  file: SourceFile,
  opts: Omit<ImportOptions, 'batchSubject'> = {},
): Promise<PreparedOnce> {
  const bytes = await file.read();
  const tag = await contentTag(bytes);
  const again: SourceFile = { ...file, read: async () => bytes };
  const prepared = await prepareLabelImport(rt, again, { ...opts, batchSubject: contentSubject(file.path, tag) });
  return { prepared, earlier: await findImport(rt.db, tag) };
}

/**
 * Check the file and, with `write` (the default), append its accepted rows unless the same bytes
 * were imported before: then the report is still made (it says what the file holds) but nothing
 * is written. Without `write` nothing is ever written: `pending` says what a confirmation would
 * append (a notebook opened in the app shows that and waits for the user).
 */
export async function importLabelsOnce(
  rt: Runtime,
  file: SourceFile,
  opts: Omit<ImportOptions, 'batchSubject'> & { write?: boolean } = {},
): Promise<ImportOnceResult> {
  const { write = true, ...importOpts } = opts;
  const { prepared, earlier } = await prepareLabelImportOnce(rt, file, importOpts);
  if (earlier || prepared.report.accepted === 0 || !write) {
    await prepared.discard();
    const pending = earlier ? 0 : prepared.report.accepted;
    return { report: prepared.report, appended: null, earlier, pending, batches: await labelBatches(rt.db) };
  }
  const appended = await prepared.commit();
  return { report: prepared.report, appended, earlier: null, pending: 0, batches: await labelBatches(rt.db) };
}
