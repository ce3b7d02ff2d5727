/**
 * A labels cell: a label file checked and imported as it would be in the Labels view, its
 * validation report published for plot and table cells (`community.issues`).
 *
 * The file is one of the notebook's data files (`labels/example-labels-v1.csv`), read through the
 * host (NotebookFiles: the data folder headless, the app's bundled sample in the browser). A
 * notebook is opened again and again, and in the browser its labels persist in between, so the
 * import is `importLabelsOnce`: the same bytes already in the event log are found, reported, and
 * not appended twice. A file with errors appends nothing (as `lab labels import` without
 * --accept-valid): the report says why.
 *
 * Opening a notebook never writes labels: in the app (`writes: 'on-confirm'`) a run checks the
 * file and shows what it would append, and only the run the user's Confirm asks for
 * (`Notebook.confirm`) appends. Headless runs (`lab run`) import as they run and say so.
 */
import type { PlainValue } from '../../db/values.ts';
import { describeEarlier, describeFieldSource, importLabelsOnce, type ImportOnceResult } from '../../ingest/index.ts';
import { yamlBody, type CellKindModule } from '../cell-kind.ts';
import { LabelsSpec } from '../cell-schemas.ts';
import { labelsCellLines } from '../labels-text.ts';
import { memoryResultName, type MemoryColumn, type MemoryResult } from '../memory-results.ts';
import { throwIfStale, type NotebookWrites, type RunContext } from './context.ts';

export interface LabelsCellSpec {
  kind: 'labels';
  labels: LabelsSpec;
}

/** Every result a labels cell publishes, with what one row is. */
export const LABELS_RESULTS = {
  summary:
    'one row per fact of the import: fact (file, rows, accepted, rejected, dropped, positive, negative, alert-level, address-level, appended, waiting for confirmation, earlier import), value',
  fields: 'how each event field is filled: field, source (a column, detected or named, or the value every row gets)',
  issues: 'one row per kind of problem found: level, code, rows, message',
  by_source: 'accepted labels per label_source: label_source, labels',
  batches:
    'the event log after the import, one row per batch and source in the order appended: batch_id, label_source, events, positive, mean_confidence, first_labeled, last_labeled',
} as const;
export type LabelsPart = keyof typeof LABELS_RESULTS;
export const LABELS_PARTS = Object.keys(LABELS_RESULTS) as LabelsPart[];

export interface LabelsResult extends ImportOnceResult {
  kind: 'labels';
  name: string;
  /** How the notebook writes: 'on-confirm' shows `pending` and waits; 'on-run' imported as it ran. */
  writes: NotebookWrites;
  results: MemoryResult[];
}

export async function runLabelsCell(name: string, spec: LabelsSpec, ctx: RunContext): Promise<LabelsResult> {
  if (!ctx.files)
    throw new Error(
      `labels cell ${name}: this notebook was opened without access to data files, so ${spec.file} cannot be read`,
    );
  const file = await ctx.files.read(spec.file);
  throwIfStale(ctx.signal);
  // Once per data load: a param move never re-imports (the memo), and a second opening finds the
  // first import (importLabelsOnce). A check and an import are memos of their own: the check a
  // notebook shows on opening must not stand in for the import its Confirm asks for.
  const write = ctx.write;
  const outcome = await ctx.memo(`labels:${name}:${spec.file}:${write ? 'import' : 'check'}`, () =>
    importLabelsOnce(ctx.files!.runtime, file, {
      ...(spec.mapping && { mapping: spec.mapping }),
      unknownTargets: spec.unknown_targets,
      write,
    }),
  );
  if (outcome.appended) await ctx.files.labelsChanged?.(outcome.appended.events);
  return { kind: 'labels', name, writes: ctx.writes, ...outcome, results: labelsResults(name, outcome) };
}

function result(
  cell: string,
  part: LabelsPart,
  columns: MemoryColumn[],
  rows: Record<string, PlainValue>[],
): MemoryResult {
  return { kind: 'memory', name: memoryResultName(cell, part), columns, rows };
}

export function labelsResults(cell: string, outcome: ImportOnceResult): MemoryResult[] {
  const { report, appended, earlier, batches } = outcome;
  const s = report.summary;
  const facts: [string, PlainValue][] = [
    ['file', report.file],
    ['rows', report.rows],
    ['accepted', report.accepted],
    ['rejected', report.rejected],
    ['dropped', report.dropped],
    ['positive', s.positive],
    ['negative', s.negative],
    ['alert-level', s.alert],
    ['address-level', s.address],
    ['appended', appended?.events ?? 0],
    ['waiting for confirmation', outcome.pending],
    ['earlier import', earlier ? describeEarlier(earlier) : 'none'],
  ];
  return [
    result(
      cell,
      'summary',
      [
        { name: 'fact', type: 'VARCHAR' },
        { name: 'value', type: 'VARCHAR' },
      ],
      facts.map(([fact, value]) => ({ fact, value: String(value) })),
    ),
    result(
      cell,
      'fields',
      [
        { name: 'field', type: 'VARCHAR' },
        { name: 'source', type: 'VARCHAR' },
      ],
      report.fields.map((f) => ({ field: f.field, source: describeFieldSource(f) })),
    ),
    result(
      cell,
      'issues',
      [
        { name: 'level', type: 'VARCHAR' },
        { name: 'code', type: 'VARCHAR' },
        { name: 'rows', type: 'BIGINT' },
        { name: 'message', type: 'VARCHAR' },
      ],
      report.issues.map((i) => ({ level: i.level, code: i.code, rows: i.rows, message: i.message })),
    ),
    result(
      cell,
      'batches',
      [
        { name: 'batch_id', type: 'VARCHAR' },
        { name: 'label_source', type: 'VARCHAR' },
        { name: 'events', type: 'BIGINT' },
        { name: 'positive', type: 'BIGINT' },
        { name: 'mean_confidence', type: 'DOUBLE' },
        { name: 'first_labeled', type: 'VARCHAR' },
        { name: 'last_labeled', type: 'VARCHAR' },
      ],
      batches.map((b) => ({
        batch_id: b.batchId,
        label_source: b.source,
        events: b.events,
        positive: b.positive,
        mean_confidence: b.meanConfidence,
        first_labeled: b.firstLabeledAt,
        last_labeled: b.lastLabeledAt,
      })),
    ),
    result(
      cell,
      'by_source',
      [
        { name: 'label_source', type: 'VARCHAR' },
        { name: 'labels', type: 'BIGINT' },
      ],
      Object.entries(s.bySource).map(([label_source, labels]) => ({ label_source, labels })),
    ),
  ];
}

/** The labels kind: a file and a mapping, written out, so it reads nothing; it publishes its report. */
export const labelsCell: CellKindModule<'labels', LabelsCellSpec, LabelsResult> = {
  kind: 'labels',
  writes: true,
  expected: 'a YAML label import ({file: labels/example-labels-v1.csv, mapping: {...}, unknown_targets: reject})',
  parse: yamlBody(LabelsSpec, (labels) => ({ kind: 'labels', labels })),
  uses: () => ({}),
  publishes: { parts: LABELS_PARTS, example: 'issues', results: (value) => value.results },
  run: (cell, ctx) => runLabelsCell(cell.name, cell.spec.labels, ctx),
  report: (value, { el }) => labelsCellLines(value).map((line) => el('p', {}, line)),
};
