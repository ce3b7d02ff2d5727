/**
 * Files on disk: Parquet through parquet-wasm (snappy, row groups of 100k rows, as a large
 * export would have) and the snapshot's META.json in the exporter's format (json.dump with
 * indent=2: two-space indentation, no trailing newline).
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tableToIPC, type Table } from 'apache-arrow';
import { ipcToParquet } from '../db/parquet.ts';
import type { Snapshot } from './calendar.ts';

export const ROW_GROUP_SIZE = 100_000;
export const SCHEMA_VERSION = '1.0.0';

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function writeBytes(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

/** Write a table as Parquet; returns the file's sha256 (hex). */
export async function writeParquet(path: string, table: Table): Promise<string> {
  const bytes = await ipcToParquet(tableToIPC(table, 'stream'), { rowGroupSize: ROW_GROUP_SIZE });
  await writeBytes(path, bytes);
  return sha256(bytes);
}

export async function writeText(path: string, text: string): Promise<void> {
  await writeBytes(path, text);
}

export interface SnapshotCounts {
  alerts: number;
  features: number;
  clusters: number;
  money_flows: number;
  address_labels: number;
}

export interface SnapshotMeta {
  schema_version: string;
  batch_id: string;
  network: string;
  processing_date: string;
  window_days: number;
  generated_at: string;
  counts: SnapshotCounts;
  sha256: Record<string, string>;
}

/**
 * META.json content. generated_at is derived from the processing date and window (the exporter
 * runs in the early hours of the processing date, after the detectors), never from the clock.
 */
export function snapshotMeta(
  network: string,
  s: Snapshot,
  counts: SnapshotCounts,
  hashes: Record<string, string>,
): SnapshotMeta {
  return {
    schema_version: SCHEMA_VERSION,
    batch_id: `${network}-${s.date}-${s.window}d`,
    network,
    processing_date: s.date,
    window_days: s.window,
    generated_at: `${s.date}T04:${s.window === 7 ? '10' : '40'}:00.000000Z`,
    counts,
    sha256: hashes,
  };
}

export async function writeMeta(path: string, meta: SnapshotMeta): Promise<void> {
  await writeBytes(path, JSON.stringify(meta, null, 2));
}
