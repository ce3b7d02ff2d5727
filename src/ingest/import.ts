/**
 * A label import in two steps, so the user sees the report before anything is written:
 *
 *   const pending = await prepareLabelImport(rt, file, { mapping });
 *   show(pending.report);                       // errors, warnings, what would be appended
 *   const result = await pending.commit();      // or pending.discard()
 *
 * prepare reads the file into a staging table, maps it (mapping.ts), normalises it
 * (normalise.ts) and checks it against the loaded alerts (validate.ts), keeping the checked rows
 * in a TEMP table until commit or discard. A file that cannot be read or mapped still gives a
 * report (one error, nothing to append) rather than an exception, so every front shows problems
 * the same way.
 */
import type { Table } from 'apache-arrow';
import { ident, rows, type Database } from '../db/database.ts';
import type { Runtime } from '../db/runtime.ts';
import { baseName, type SourceFile } from '../sot/files.ts';
import { LoadError } from '../sot/problems.ts';
import { newBatchId } from './batch.ts';
import { appendAcceptedRows, type AppendResult } from './commit.ts';
import {
  MappingError,
  mappingFrom,
  resolveMapping,
  TARGET_FIELDS,
  type LabelMapping,
  type LabelMappingInput,
  type ResolvedMapping,
  type TargetField,
} from './mapping.ts';
import { normaliseRows } from './normalise.ts';
import { labelFileFormat, stageLabelsFile, type LabelFileFormat } from './read.ts';
import { checkRows, type ImportIssue, type UnknownTargets } from './validate.ts';

export type { ImportIssue, IssueCode, UnknownTargets } from './validate.ts';

/** A labeled_at up to this far ahead of the import is tolerated (clock skew, time zones). */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

export interface ImportOptions {
  /** The mapping (parsed or as written); auto-detection and defaults fill what it leaves out. */
  mapping?: LabelMapping | LabelMappingInput;
  /** What to do with labels for alerts or addresses that are not loaded (default 'reject'). */
  unknownTargets?: UnknownTargets;
  /** The time of the import (tests pin it); default now. */
  now?: Date;
  /** What the batch id names (`import:SUBJECT@time#...`); default the file's name. */
  batchSubject?: string;
}

/** How one event field is filled: from a file column (named or detected) or a default. */
export interface FieldSource {
  field: TargetField;
  column: string | null;
  detected: boolean;
  /** What rows get when the column is absent or a cell is empty. */
  fallback: string | null;
}

/** How a field is filled, in words: "column label (detected)", "no column: every row gets miner". */
export function describeFieldSource(f: FieldSource): string {
  if (f.column)
    return `column ${f.column}${f.detected ? ' (detected)' : ''}${f.fallback ? `; empty cells get ${f.fallback}` : ''}`;
  return f.fallback ? `no column: every row gets ${f.fallback}` : 'no column';
}

export interface ImportReport {
  file: string;
  format: LabelFileFormat | null;
  /** Records in the file. */
  rows: number;
  fields: FieldSource[];
  /** File columns nothing uses. */
  ignoredColumns: string[];
  issues: ImportIssue[];
  /** No errors: every row is either appended or deliberately left out by a rule. */
  ok: boolean;
  /** Events a commit appends. */
  accepted: number;
  /** Rows refused by an error. */
  rejected: number;
  /** Rows without an error left out by a rule (duplicates, a resolved conflict). */
  dropped: number;
  /** What the accepted rows hold. */
  summary: {
    alert: number;
    address: number;
    positive: number;
    negative: number;
    bySource: Record<string, number>;
  };
}

export interface PreparedImport {
  readonly report: ImportReport;
  /** The first accepted rows as they would be appended (for a preview table). */
  preview(limit?: number): Promise<Table>;
  /** Append the accepted rows as label events in one transaction; then the import is spent. */
  commit(): Promise<AppendResult>;
  /** Forget the import without writing anything. */
  discard(): Promise<void>;
}

let importCounter = 0;

export async function prepareLabelImport(
  rt: Runtime,
  file: SourceFile,
  opts: ImportOptions = {},
): Promise<PreparedImport> {
  const now = opts.now ?? new Date();
  const base = `_ingest_${++importCounter}`;
  const tables = { stage: `${base}_stage`, rows: `${base}_rows`, checked: `${base}_checked` };
  const drop = async () => {
    await rt.db.exec(`DROP TABLE IF EXISTS ${ident(tables.stage)}`);
    await rt.db.exec(`DROP TABLE IF EXISTS ${ident(tables.rows)}`);
    await rt.db.exec(`DROP TABLE IF EXISTS ${ident(tables.checked)}`);
  };
  try {
    const mapping = mappingFrom(opts.mapping ?? {});
    const staged = await stageLabelsFile(rt, tables.stage, file);
    const resolved = resolveMapping(mapping, [...staged.columns.keys()], file.path);
    const defaultLabeledAt = new Date(mapping.defaults.labeled_at ?? now).toISOString();
    await normaliseRows(rt.db, {
      stage: tables.stage,
      stageColumns: staged.columns,
      resolved,
      table: tables.rows,
      defaultLabeledAt,
    });
    await rt.db.exec(`DROP TABLE ${ident(tables.stage)}`);
    const counts = await checkRows(rt.db, {
      file: file.path,
      rowsTable: tables.rows,
      table: tables.checked,
      resolved,
      unknownTargets: opts.unknownTargets ?? 'reject',
      futureAfter: new Date(now.getTime() + FUTURE_TOLERANCE_MS).toISOString(),
      defaultLabeledAt,
    });
    await rt.db.exec(`DROP TABLE ${ident(tables.rows)}`);
    if (staged.rows === 0) {
      counts.issues.unshift({
        level: 'warning',
        code: 'empty-file',
        file: file.path,
        rows: 0,
        examples: [],
        message: `${file.path}: the file has no rows`,
      });
    }
    const report: ImportReport = {
      file: file.path,
      format: staged.format,
      rows: staged.rows,
      fields: fieldSources(resolved, defaultLabeledAt),
      ignoredColumns: resolved.ignored,
      issues: counts.issues,
      ok: !counts.issues.some((i) => i.level === 'error'),
      accepted: counts.accepted,
      rejected: counts.rejected,
      dropped: counts.dropped,
      summary: await summarise(rt.db, tables.checked),
    };
    return pending(rt.db, report, tables.checked, file.path, drop, opts.batchSubject);
  } catch (e) {
    await drop();
    if (!(e instanceof LoadError) && !(e instanceof MappingError)) throw e;
    return pending(rt.db, failedReport(file, e.message), null, file.path, async () => {});
  }
}

/** prepare and commit at once, for callers whose confirmation came before (the CLI's --labels, --yes). */
export async function importLabels(
  rt: Runtime,
  file: SourceFile,
  opts: ImportOptions = {},
): Promise<{ report: ImportReport; appended: AppendResult | null }> {
  const prepared = await prepareLabelImport(rt, file, opts);
  if (prepared.report.accepted === 0) {
    await prepared.discard();
    return { report: prepared.report, appended: null };
  }
  return { report: prepared.report, appended: await prepared.commit() };
}

function pending(
  db: Database,
  report: ImportReport,
  checked: string | null,
  path: string,
  drop: () => Promise<void>,
  subject = baseName(path),
): PreparedImport {
  let spent = false;
  const live = () => {
    if (spent) throw new Error(`${path}: this import was already committed or discarded; prepare it again`);
  };
  return {
    report,
    async preview(limit = 50) {
      live();
      if (!checked) return db.query(`SELECT NULL AS alert_id WHERE false`);
      return db.query(
        `SELECT source_row AS "row", scope, alert_id, address, label, label_source, label_confidence, labeled_at, labeled_by, note
         FROM ${ident(checked)} WHERE accepted ORDER BY source_row LIMIT ?`,
        [Math.max(0, Math.floor(limit))],
      );
    },
    async commit() {
      live();
      spent = true;
      try {
        if (!checked) return { batchId: '', events: 0, firstEventId: null, lastEventId: null };
        return await appendAcceptedRows(db, checked, newBatchId('import', subject));
      } finally {
        await drop();
      }
    },
    async discard() {
      if (spent) return;
      spent = true;
      await drop();
    },
  };
}

function fieldSources(resolved: ResolvedMapping, defaultLabeledAt: string): FieldSource[] {
  const d = resolved.mapping.defaults;
  const fallback: Partial<Record<TargetField, string | null>> = {
    label_source: d.label_source,
    labeled_by: d.labeled_by === '' ? "'' (nobody named)" : d.labeled_by,
    labeled_at: defaultLabeledAt,
    label_confidence: d.label_confidence === null ? null : String(d.label_confidence),
  };
  return TARGET_FIELDS.map((field) => ({
    field,
    column: resolved.columns[field] ?? null,
    detected: resolved.detected.includes(field),
    fallback: fallback[field] ?? null,
  }));
}

async function summarise(db: Database, checked: string): Promise<ImportReport['summary']> {
  const groups = rows<{ scope: string; label: number; label_source: string; n: number }>(
    await db.query(
      `SELECT scope, label, label_source, count(*) AS n FROM ${ident(checked)} WHERE accepted GROUP BY ALL`,
    ),
  );
  const summary: ImportReport['summary'] = { alert: 0, address: 0, positive: 0, negative: 0, bySource: {} };
  for (const g of groups) {
    const n = Number(g.n);
    if (g.scope === 'alert') summary.alert += n;
    else summary.address += n;
    if (Number(g.label) === 1) summary.positive += n;
    else summary.negative += n;
    summary.bySource[g.label_source] = (summary.bySource[g.label_source] ?? 0) + n;
  }
  return summary;
}

function failedReport(file: SourceFile, message: string): ImportReport {
  return {
    file: file.path,
    format: labelFileFormat(file.path) ?? null,
    rows: 0,
    fields: [],
    ignoredColumns: [],
    issues: [{ level: 'error', code: 'unreadable', file: file.path, rows: 0, examples: [], message }],
    ok: false,
    accepted: 0,
    rejected: 0,
    dropped: 0,
    summary: { alert: 0, address: 0, positive: 0, negative: 0, bySource: {} },
  };
}
