/**
 * A first look at a labels file before it is mapped: its columns, their types and their most
 * common values. A front shows this so the user can tie each event field to a column (or see
 * why detection picked one) and check that the label column's spellings are the ones the
 * mapping reads, before the import itself is prepared.
 *
 * Values are shown as the importer reads them (normalise.ts): cast to text and trimmed, empty
 * cells as missing; a label spelling compares lowercased, as `labelSpelling` does here.
 */
import { ident, rows } from '../db/database.ts';
import type { Runtime } from '../db/runtime.ts';
import type { SourceFile } from '../sot/files.ts';
import { detectColumns, type LabelMapping, type TargetField } from './mapping.ts';
import { stageLabelsFile, type LabelFileFormat } from './read.ts';

export interface PeekedColumn {
  name: string;
  /** DuckDB type as staged. */
  type: string;
  /** The most common values (text, trimmed), most common first, with their counts. */
  top: { value: string; rows: number }[];
  /** Distinct non-empty values. */
  distinct: number;
  /** Rows where the cell is empty. */
  empty: number;
}

export interface PeekedFile {
  file: string;
  format: LabelFileFormat;
  rows: number;
  columns: PeekedColumn[];
  /** What auto-detection would take for each field (mapping.ts). */
  detected: Partial<Record<TargetField, string>>;
}

let peekCounter = 0;

/** Read `file` and describe its columns; throws LoadError (naming the file) when it cannot be read. */
export async function peekLabelsFile(rt: Runtime, file: SourceFile, top = 8): Promise<PeekedFile> {
  const stage = `_peek_labels_${++peekCounter}`;
  try {
    const staged = await stageLabelsFile(rt, stage, file);
    const columns: PeekedColumn[] = [];
    for (const [name, type] of staged.columns) {
      const value = `NULLIF(trim(CAST(${ident(name)} AS VARCHAR)), '')`;
      const counts = rows<{ distinct: number; empty: number }>(
        await rt.db.query(
          `SELECT count(DISTINCT ${value}) AS "distinct", count(*) FILTER (WHERE ${value} IS NULL) AS empty FROM ${ident(stage)}`,
        ),
      )[0]!;
      const common = rows<{ value: string; n: number }>(
        await rt.db.query(
          `SELECT ${value} AS value, count(*) AS n FROM ${ident(stage)} WHERE ${value} IS NOT NULL GROUP BY 1 ORDER BY n DESC, value LIMIT ?`,
          [top],
        ),
      );
      columns.push({
        name,
        type,
        top: common.map((c) => ({ value: c.value, rows: Number(c.n) })),
        distinct: Number(counts.distinct),
        empty: Number(counts.empty),
      });
    }
    return {
      file: file.path,
      format: staged.format,
      rows: staged.rows,
      columns,
      detected: detectColumns([...staged.columns.keys()]),
    };
  } finally {
    await rt.db.exec(`DROP TABLE IF EXISTS ${ident(stage)}`);
  }
}

/** How the mapping reads one label value: as the importer compares it, lowercased. */
export function labelSpelling(value: string, labels: LabelMapping['labels']): 'positive' | 'negative' | null {
  const v = value.trim().toLowerCase();
  if (labels.positive.includes(v)) return 'positive';
  if (labels.negative.includes(v)) return 'negative';
  return null;
}
