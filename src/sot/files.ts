/**
 * Files as the loader sees them, whatever they came from (a browser File, a drop, a fetch of the
 * bundled sample, a path on disk), and how a path maps to a table and a snapshot.
 */
import { contractForStem, type TableContract } from './contracts.ts';

export interface SourceFile {
  /** Relative, '/'-separated: 'snapshots/torus/2026-01-05/7/alerts.parquet' or 'alerts.csv'. */
  path: string;
  size: number;
  read(): Promise<Uint8Array>;
}

export type FileFormat = 'parquet' | 'arrow' | 'csv';

/**
 * Whether a file of the bundled sample (its path under sample-data/) is loaded with it: labels/
 * holds example label files for the labelling workflow, not SOT tables, and README or notes
 * files are documentation. They are served, but the automatic load leaves them out.
 */
export function loadsWithSample(path: string): boolean {
  return !/^labels\/|\.(md|txt)$/i.test(path);
}

/** Where a file sits in the SOT layout `snapshots/{network}/{processing_date}/{window_days}/`. */
export interface SnapshotPlace {
  network: string;
  processingDate: string;
  windowDays: number;
  /** The folder, used to pair data files with their META.json. */
  dir: string;
}

export type Classified =
  | { kind: 'table'; file: SourceFile; contract: TableContract; format: FileFormat; snapshot?: SnapshotPlace }
  | { kind: 'meta'; file: SourceFile; dir: string }
  | { kind: 'unknown'; file: SourceFile; reason: string; level: 'error' | 'warning' }
  /** Documentation beside the data (README.md, CHANGELOG.md, notes): skipped without a word. */
  | { kind: 'doc'; file: SourceFile };

const FORMATS: Record<string, FileFormat> = {
  parquet: 'parquet',
  arrow: 'arrow',
  arrows: 'arrow',
  feather: 'arrow',
  ipc: 'arrow',
  csv: 'csv',
};

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function snapshotPlace(path: string): SnapshotPlace | undefined {
  const m = /(?:^|\/)snapshots\/([^/]+)\/(\d{4}-\d{2}-\d{2})\/(\d+)\/[^/]+$/.exec(path);
  if (!m) return undefined;
  return { network: m[1]!, processingDate: m[2]!, windowDays: Number(m[3]), dir: dirName(path) };
}

export function classify(file: SourceFile): Classified {
  const name = baseName(file.path);
  if (name === 'META.json') return { kind: 'meta', file, dir: dirName(file.path) };
  const dot = name.lastIndexOf('.');
  const ext = dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  const format = FORMATS[ext];
  if (/^(md|txt|markdown)$/.test(ext)) return { kind: 'doc', file };
  // Stray files in a dropped folder (.DS_Store, a zip) deserve a warning, not an error.
  if (!format) {
    return {
      kind: 'unknown',
      level: 'warning',
      file,
      reason: `${file.path}: skipped, not a Parquet, Arrow IPC or CSV file`,
    };
  }
  // A snapshot folder may carry label sets beside its tables (sample-data/labels/): those are
  // imported as labels, not merged as SOT tables.
  if (/(^|\/)labels\//.test(file.path)) {
    return {
      kind: 'unknown',
      level: 'warning',
      file,
      reason: `${file.path}: skipped, files under labels/ are label sets: import them as labels`,
    };
  }
  const stem = name.slice(0, dot);
  const contract = contractForStem(stem);
  if (!contract) {
    return {
      kind: 'unknown',
      level: 'error',
      file,
      reason: `${name}: the file name does not name an SOT table (expected alerts, features, clusters, money_flows, address_labels, {network}_address_labels or ground_truth)`,
    };
  }
  return { kind: 'table', file, contract, format, snapshot: snapshotPlace(file.path) };
}
