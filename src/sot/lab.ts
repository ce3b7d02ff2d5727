/**
 * The loaded lab: the SOT tables in DuckDB, and the one entry point that loads files into them.
 *
 * A load takes any mix of files (whole snapshot folders, loose tables, META.json manifests),
 * decodes each into a staging table, checks it against its contract and its snapshot's
 * META.json, and only then merges it. Each file stands alone: a file with problems is reported
 * and skipped while the other files of the same load go on, and nothing already loaded changes
 * (each merge is one transaction). Loads run one at a time.
 */
import type { Table } from 'apache-arrow';
import { ident, rows, type Database } from '../db/database.ts';
import { sha256Hex, type Runtime } from '../db/runtime.ts';
import { createEffectiveLabelsView, migrate } from '../migrations/index.ts';
import { exportChecked, restoreChecked, snapshotIntact, type CheckedSnapshot } from './checked-cache.ts';
import { checkStaged } from './checks.ts';
import { CONTRACTS, contractFor, type TableContract } from './contracts.ts';
// A META.json describes the files in its own folder, whether or not the path shows the layout.
import { baseName, classify, dirName, snapshotPlace, type Classified, type SourceFile } from './files.ts';
import { addMissingColumns, mergeFiles, type MergeInput } from './merge.ts';
import { parseMeta, type SnapshotMeta } from './meta.ts';
import { abortError, isOutOfMemory, LoadError, type Problem } from './problems.ts';
import { createRawTables, LOADED_FILES, rawColumns } from './schema.ts';
import { decodeParquet, stageFile } from './stage.ts';
import { parseByteSize } from '../util/byte-size.ts';
import type { DecodeAhead } from './decode-ahead.ts';
import { createView, createViews } from './views.ts';

export type { Problem } from './problems.ts';
export type { SourceFile } from './files.ts';

export interface LoadProgress {
  file: string;
  phase: 'read' | 'decode' | 'check' | 'merge';
  /** Share of the whole load done, 0..1 (weighted by file size). */
  fraction: number;
}

export interface LoadedFile {
  path: string;
  table: string;
  rows: number;
  /** Milliseconds per phase, for the load's summary and the benchmarks. */
  ms: Record<LoadProgress['phase'], number>;
  /** The file's id in `_loaded_files`, which its rows carry as `_file_id`. */
  fileId?: number;
}

export interface LoadReport {
  loaded: LoadedFile[];
  problems: Problem[];
}

export interface TableSummary {
  name: string;
  rows: number;
  columns: { name: string; type: string }[];
  /** How many loaded files the table's rows came from. */
  files: number;
}

export interface LoadOptions {
  onProgress?: (p: LoadProgress) => void;
  signal?: AbortSignal;
  /** Refuse a file that would decode to more bytes than this (stage.ts: DEFAULT_MAX_DECODED_BYTES). */
  maxDecodedBytes?: number;
}

type MetaEntry = { meta: SnapshotMeta; path: string };

/** What a load knows of what is loaded (Lab.loadState), kept up to date as it merges. */
interface LoadState {
  /** Files loaded, `loadedKey(table, sha256)` -> the path they were loaded from. */
  loadedFiles: Map<string, string>;
  /** Each raw table's columns, until the load adds some. */
  rawColumns: Map<string, Map<string, string>>;
}

const loadedKey = (table: string, sha256: string) => `${table}\u0000${sha256}`;

type TableFile = Extract<Classified, { kind: 'table' }>;

/**
 * A file read, hashed and (Parquet) being decoded ahead of its turn in DuckDB: while one file is
 * staged, checked and merged, the next is read and decoded (in the browser, in the Parquet
 * worker, on the other core).
 */
/**
 * Checked files wait, staged, until about this much (rows x columns x 8 bytes) is pending, then
 * merge in one transaction (merge.ts says why): large enough that each commit appends more than
 * a row group, small enough that the waiting staging tables stay a fraction of the tab's memory.
 */
const MERGE_BATCH_BYTES = 256 * 1024 * 1024;

/** A file staged and checked, waiting for its batch to merge. */
interface PendingMerge {
  input: MergeInput;
  loaded: Omit<LoadedFile, 'fileId'>;
  /** Where its progress ends in the load's fraction. */
  fractionDone: number;
}

interface ReadAhead {
  read: Promise<{ bytes: Uint8Array; sha: string; ms: number }>;
  parquet?: Promise<DecodeAhead>;
  /** Settles once the file's decode has stopped (or its read failed); never rejects. */
  settled: Promise<void>;
}

// Where each phase ends, as a share of one file's work.
const PHASE_END = { read: 0.1, decode: 0.7, check: 0.85, merge: 1 } as const;

export class Lab {
  private queue: Promise<unknown> = Promise.resolve();
  private stageCounter = 0;

  /**
   * `writer` is a second connection that loads stage and merge through: its transactions stay
   * its own, so queries on `db` (the UI's, a notebook's) never see or interrupt a half-done merge.
   */
  private constructor(
    private readonly rt: Runtime,
    private readonly writer: Database,
  ) {}

  get db(): Database {
    return this.rt.db;
  }

  /** The database and the Parquet codec, for core code that takes a Runtime (label imports, exports). */
  get runtime(): Runtime {
    return this.rt;
  }

  /** Create the raw tables, apply the label migrations and build the normalising views. */
  static async open(rt: Runtime): Promise<Lab> {
    await createRawTables(rt.db);
    // migrate() also (re)creates the effective_labels view.
    await migrate(rt.db);
    await createViews(rt.db);
    return new Lab(rt, await rt.db.connect());
  }

  load(files: SourceFile[], opts: LoadOptions = {}): Promise<LoadReport> {
    return this.queued(() => this.loadNow(files, opts));
  }

  /** Run `fn` after the loads (and keeps, restores) queued before it. */
  private queued<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * What is loaded, to keep under `key` for the next visit (checked-cache.ts): call it after a
   * load into an empty lab; it runs before any load queued after it.
   */
  keepChecked(key: string, report: LoadReport): Promise<CheckedSnapshot> {
    return this.queued(() => exportChecked(this.writer, key, report));
  }

  /**
   * Put back a load kept by keepChecked, when nothing is loaded yet; false, with nothing
   * changed, when it cannot (the caller then loads the files normally).
   */
  restoreChecked(snapshot: CheckedSnapshot): Promise<boolean> {
    return this.queued(async () => {
      if (!(await snapshotIntact(snapshot))) return false;
      if (!(await restoreChecked(this.writer, snapshot))) return false;
      await createViews(this.db);
      await createEffectiveLabelsView(this.db);
      return true;
    });
  }

  private async loadNow(files: SourceFile[], opts: LoadOptions): Promise<LoadReport> {
    const report: LoadReport = { loaded: [], problems: [] };
    const classified = files.map(classify);
    for (const c of classified) {
      if (c.kind === 'unknown') report.problems.push({ level: c.level, file: c.file.path, message: c.reason });
    }
    const metas = await this.readMetas(classified, report);
    const tableFiles = classified.filter((c): c is TableFile => c.kind === 'table');
    const totalBytes = tableFiles.reduce((n, f) => n + Math.max(1, f.file.size), 0);
    let doneBytes = 0;
    let pending: PendingMerge[] = [];
    let pendingBytes = 0;
    const batchBytes = await this.mergeBatchBytes();
    const known = await this.loadState();
    let outOfMemoryAt: number | undefined;
    // Merges report progress for files checked earlier: the bar never moves back.
    let shown = 0;
    const onProgress = (p: LoadProgress) => {
      shown = Math.max(shown, p.fraction);
      opts.onProgress?.({ ...p, fraction: shown });
    };
    // The next file starts only once this one's decode has ended, so the decoder never holds two
    // files at once: a panic on one must not fail the other.
    let ahead: Promise<ReadAhead | undefined> | undefined =
      tableFiles.length > 0 ? Promise.resolve(this.readAhead(tableFiles[0]!, opts)) : undefined;
    // After running out of memory, the same file once more, once the waiting files have merged.
    let retry: ReadAhead | undefined;
    for (let i = 0; i < tableFiles.length; i++) {
      const f = tableFiles[i]!;
      const retrying = retry !== undefined;
      const current = retry ?? (await ahead);
      retry = undefined;
      if (!current) throw abortError();
      const next = tableFiles[i + 1];
      ahead = next && current.settled.then(() => (opts.signal?.aborted ? undefined : this.readAhead(next, opts)));
      const size = Math.max(1, f.file.size);
      const start = doneBytes;
      const progress = (phase: LoadProgress['phase'], within: number) =>
        onProgress({ file: f.file.path, phase, fraction: (start + size * within) / totalBytes });
      try {
        const checked = await this.loadOne(
          f,
          current,
          metas.get(dirName(f.file.path)),
          report,
          progress,
          opts,
          pending,
          known,
        );
        if (checked) {
          pending.push({ ...checked, fractionDone: (start + size) / totalBytes });
          pendingBytes += checked.input.rows * checked.input.plan.length * 8;
          if (pendingBytes >= batchBytes) {
            const full = await this.mergePending(pending, report, onProgress, known);
            pending = [];
            pendingBytes = 0;
            // Memory ran out while merging: every later file would fail the same way.
            if (full) outOfMemoryAt = i;
          }
        }
      } catch (e) {
        if ((e as Error).name === 'AbortError') {
          await stopReadAhead(await ahead);
          // Checked but not merged: a cancelled load keeps what it had merged, nothing half-done.
          await this.dropStages(pending);
          throw e;
        }
        if (isOutOfMemory((e as Error).message)) {
          if (!retrying && pending.length > 0) {
            // The files waiting for their batch hold memory in their staging tables: merge them
            // (which drops those), then try this file again on its own.
            await stopReadAhead(await ahead);
            await stopReadAhead(current);
            await this.mergePending(pending, report, onProgress, known);
            pending = [];
            pendingBytes = 0;
            retry = this.readAhead(f, opts);
            i--;
            continue;
          }
          // Every later file would fail the same way: stop, keep what is loaded and what was checked.
          report.problems.push(await this.outOfMemory(f.file.path));
          outOfMemoryAt = i;
          break;
        }
        // Whatever went wrong, it went wrong with this file: the next file still loads.
        if (e instanceof LoadError) {
          report.problems.push({ level: 'error', file: e.file, column: e.column, message: e.message });
        } else {
          const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
          report.problems.push({
            level: 'error',
            file: f.file.path,
            message: `${f.file.path}: could not be loaded (${why}); nothing of it was merged`,
          });
        }
      } finally {
        await stopReadAhead(current);
      }
      doneBytes += size;
      if (outOfMemoryAt !== undefined) break;
    }
    if (outOfMemoryAt !== undefined) {
      await stopReadAhead(await ahead);
      const rest = tableFiles.slice(outOfMemoryAt + 1);
      if (rest.length > 0)
        report.problems.push({
          level: 'error',
          file: rest[0]!.file.path,
          message: `${rest.length === 1 ? rest[0]!.file.path : `${rest.length} more files (${rest[0]!.file.path} and after)`}: not loaded, the load stopped when DuckDB ran out of memory`,
        });
    }
    await this.mergePending(pending, report, onProgress, known);
    this.reportMissingFromMeta(metas, tableFiles, report);
    await this.reportUnmatchedFeatures(report);
    return report;
  }

  /**
   * Merge the waiting files in one batch; each one's outcome goes into the report. Whether
   * DuckDB ran out of memory on any of them.
   */
  private async mergePending(
    pending: PendingMerge[],
    report: LoadReport,
    onProgress: (p: LoadProgress) => void,
    known: LoadState,
  ): Promise<boolean> {
    if (pending.length === 0) return false;
    let full = false;
    const last = pending.at(-1)!;
    onProgress({ file: last.input.path, phase: 'merge', fraction: pending[0]!.fractionDone });
    try {
      const outcomes = await mergeFiles(
        this.writer,
        pending.map((p) => p.input),
      );
      for (const [i, outcome] of outcomes.entries()) {
        const p = pending[i]!;
        if ('error' in outcome) {
          const e = outcome.error;
          if (isOutOfMemory(e.message)) {
            full = true;
            report.problems.push(await this.outOfMemory(e.file));
          } else report.problems.push({ level: 'error', file: e.file, column: e.column, message: e.message });
        } else {
          report.loaded.push({ ...p.loaded, ms: { ...p.loaded.ms, merge: outcome.ms }, fileId: outcome.fileId });
          known.loadedFiles.set(loadedKey(p.input.contract.name, p.input.sha256), p.input.path);
        }
      }
    } finally {
      await this.dropStages(pending);
    }
    onProgress({ file: last.input.path, phase: 'merge', fraction: last.fractionDone });
    return full;
  }

  /**
   * How much checked data may wait for its batch: MERGE_BATCH_BYTES, or an eighth of DuckDB's
   * memory limit when that is smaller, so waiting staging tables never crowd out the merge itself.
   */
  private async mergeBatchBytes(): Promise<number> {
    const limit = await this.memoryLimit();
    try {
      return Math.min(MERGE_BATCH_BYTES, parseByteSize(limit) / 8);
    } catch {
      return MERGE_BATCH_BYTES; // a limit DuckDB writes in a way we do not read
    }
  }

  /** DuckDB's memory limit as it writes it ("3.1 GiB"), or '' if it cannot say. */
  private memoryLimit(): Promise<string> {
    return this.writer
      .query(`SELECT current_setting('memory_limit') AS v`)
      .then((t) => String(rows<{ v: string }>(t)[0]?.v ?? ''))
      .catch(() => '');
  }

  /**
   * DuckDB's "Out of Memory Error" (or its JSON form from a failed CREATE) in words: the limit it
   * hit, that nothing loaded is lost, and what to do. In-memory DuckDB has nowhere to spill.
   */
  private async outOfMemory(path: string): Promise<Problem> {
    const limit = await this.memoryLimit();
    return {
      level: 'error',
      file: path,
      message: `${path}: not loaded: DuckDB ran out of memory (its memory limit${limit ? `, ${limit},` : ''} is full; an in-memory database cannot spill to disk). What was loaded before stays; load fewer snapshots at once`,
    };
  }

  /** One statement (one round trip) for all of them. */
  private async dropStages(pending: PendingMerge[]): Promise<void> {
    if (pending.length === 0) return;
    await this.writer.exec(pending.map((p) => `DROP TABLE IF EXISTS ${ident(p.input.stage)};`).join('\n'));
  }

  /**
   * What a load needs to know of what is loaded, read once rather than once per file: the files
   * already loaded (at its start), and each raw table's columns (at the first file of that table).
   */
  private async loadState(): Promise<LoadState> {
    const loadedFiles = new Map<string, string>();
    for (const r of rows<{ sha256: string; table_name: string; path: string }>(
      await this.writer.query(`SELECT sha256, table_name, min(path) AS path FROM ${LOADED_FILES} GROUP BY 1, 2`),
    ))
      loadedFiles.set(loadedKey(r.table_name, r.sha256), r.path);
    return { loadedFiles, rawColumns: new Map() };
  }

  /** Feature rows no alert joins to are kept but unused: say how many, per file just loaded. */
  private async reportUnmatchedFeatures(report: LoadReport): Promise<void> {
    const ids = report.loaded.filter((l) => l.table === 'features' && l.fileId !== undefined);
    if (ids.length === 0) return;
    // One query for every file of the load; file ids are our own integers.
    let counted: Table;
    try {
      counted = await this.writer.query(
        `SELECT f._file_id AS id, count(*) AS n FROM raw_features f
         WHERE f._file_id IN (${ids.map((l) => Number(l.fileId)).join(', ')}) AND NOT EXISTS (
           SELECT 1 FROM raw_alerts a WHERE a.address = f.address AND a.processing_date = f.processing_date
             AND a.window_days = f.window_days)
         GROUP BY 1`,
      );
    } catch (e) {
      // A load that filled DuckDB's memory has said so; this count is only a warning, and what
      // loaded must stay.
      if (!isOutOfMemory((e as Error).message)) throw e;
      report.problems.push({
        level: 'warning',
        file: ids[0]!.path,
        message: `${ids.length === 1 ? ids[0]!.path : `${ids.length} features files (${ids[0]!.path} and others)`}: not counted which rows match no loaded alert: DuckDB's memory is full`,
      });
      return;
    }
    const counts = new Map(rows<{ id: number; n: number }>(counted).map((r) => [Number(r.id), Number(r.n)]));
    for (const l of ids) {
      const n = counts.get(Number(l.fileId)) ?? 0;
      if (n === 0) continue;
      report.problems.push({
        level: 'warning',
        file: l.path,
        message: `${l.path}: ${n} of ${l.rows} row${l.rows === 1 ? '' : 's'} match no loaded alert on (address, processing_date, window_days); they are kept, but no alert uses them`,
      });
    }
  }

  /** Start reading `f`, then (Parquet) decoding it; failures surface when loadOne takes them. */
  private readAhead(f: TableFile, opts: LoadOptions): ReadAhead {
    const t0 = performance.now();
    const path = f.file.path;
    const read = (async () => {
      const bytes = await f.file.read().catch((e: unknown) => {
        // A failed fetch or a dropped file that vanished is this file's problem, not the load's.
        throw new LoadError(path, `${path}: could not be read (${e instanceof Error ? e.message : String(e)})`);
      });
      return { bytes, sha: await sha256Hex(bytes), ms: performance.now() - t0 };
    })();
    const parquet =
      f.format === 'parquet'
        ? read.then((r) =>
            decodeParquet(this.rt.parquet, path, r.bytes, {
              signal: opts.signal,
              maxDecodedBytes: opts.maxDecodedBytes,
            }),
          )
        : undefined;
    // Marked handled here: a load that stops early never takes them.
    read.catch(() => {});
    parquet?.catch(() => {});
    const settled = (parquet ? parquet.then((d) => d.settled) : read.then(() => {})).catch(() => {});
    return { read, parquet, settled };
  }

  private async loadOne(
    f: TableFile,
    ahead: ReadAhead,
    meta: MetaEntry | undefined,
    report: LoadReport,
    progress: (phase: LoadProgress['phase'], within: number) => void,
    opts: LoadOptions,
    waiting: readonly PendingMerge[],
    known: LoadState,
  ): Promise<Omit<PendingMerge, 'fractionDone'> | undefined> {
    const signal = opts.signal;
    const path = f.file.path;
    const ms = { read: 0, decode: 0, check: 0, merge: 0 };
    let phaseStart = performance.now();
    const phaseDone = (phase: LoadProgress['phase']) => {
      const now = performance.now();
      ms[phase] += now - phaseStart;
      phaseStart = now;
    };
    const name = baseName(path);
    const check = () => {
      if (signal?.aborted) throw abortError();
    };
    check();
    progress('read', 0);
    const { bytes, sha, ms: readMs } = await ahead.read;
    check();
    progress('read', PHASE_END.read);
    phaseDone('read');
    // Read ahead while the file before was merged: its own time, not the wait for it.
    ms.read = readMs;

    const expectedSha = meta?.meta.sha256[name];
    if (meta && expectedSha && expectedSha.toLowerCase() !== sha) {
      throw new LoadError(
        path,
        `${path}: its sha256 is ${sha.slice(0, 12)}… but ${meta.path} says ${expectedSha.slice(0, 12)}…: the file is damaged or not the one the snapshot was made with`,
      );
    }
    if (meta && !expectedSha) {
      report.problems.push({
        level: 'warning',
        file: path,
        message: `${path}: ${meta.path} lists no sha256 for ${name}, so the file could not be verified`,
      });
    }
    const already =
      waiting.find((p) => p.input.sha256 === sha && p.input.contract.name === f.contract.name)?.input.path ??
      known.loadedFiles.get(loadedKey(f.contract.name, sha));
    if (already !== undefined) {
      report.problems.push({
        level: 'warning',
        file: path,
        message: `${path}: skipped, the same file is already loaded (as ${already})`,
      });
      return undefined;
    }

    const stage = `_stage_${++this.stageCounter}`;
    const w = { db: this.writer, parquet: this.rt.parquet };
    let waits = false;
    try {
      progress('decode', PHASE_END.read);
      const staged = await stageFile(w, stage, path, f.format, bytes, {
        signal,
        maxDecodedBytes: opts.maxDecodedBytes,
        parquet: await ahead.parquet,
        onChunk: (x) => progress('decode', PHASE_END.read + x * (PHASE_END.decode - PHASE_END.read)),
      });
      check();
      phaseDone('decode');
      progress('check', PHASE_END.decode);
      const place = f.snapshot
        ? {
            processingDate: f.snapshot.processingDate,
            windowDays: f.snapshot.windowDays,
            from: `its folder ${f.snapshot.dir}`,
          }
        : meta && { processingDate: meta.meta.processing_date, windowDays: meta.meta.window_days, from: meta.path };
      const existing = known.rawColumns.get(f.contract.name) ?? (await rawColumns(this.writer, f.contract));
      known.rawColumns.set(f.contract.name, existing);
      const result = await checkStaged(this.writer, stage, path, f.contract, existing, {
        staged,
        format: f.format,
        // address_labels carry no snapshot of their own, whatever folder they sit in.
        place: f.contract.key?.includes('processing_date') ? place : undefined,
      });
      report.problems.push(...result.problems);
      const expectedRows = meta?.meta.counts[f.contract.name];
      if (expectedRows !== undefined && expectedRows !== result.rows) {
        throw new LoadError(
          path,
          `${path}: has ${result.rows} rows but ${meta!.path} counts ${expectedRows} ${f.contract.name}: the file is incomplete or not the snapshot's own`,
        );
      }
      if (result.problems.some((p) => p.level === 'error') || result.rows === 0) return undefined;
      check();
      phaseDone('check');
      progress('merge', PHASE_END.check);
      const input: MergeInput = {
        contract: f.contract,
        stage,
        plan: result.plan,
        path,
        sha256: sha,
        rows: result.rows,
        snapshot: f.snapshot,
        ...(result.at ? { at: result.at } : {}),
      };
      // Most files of a snapshot bring no new columns: their views stay valid as they are.
      if ((await addMissingColumns(this.writer, input, existing)).length > 0) {
        known.rawColumns.delete(f.contract.name);
        await this.refreshViews(f.contract);
      }
      phaseDone('merge');
      waits = true;
      return { input, loaded: { path, table: f.contract.name, rows: result.rows, ms } };
    } finally {
      // A checked file's staging table waits for its batch (mergePending drops it).
      if (!waits) await this.writer.exec(`DROP TABLE IF EXISTS ${ident(stage)}`);
    }
  }

  /** Views break when their table gains columns; rebuild the ones over `contract`'s table. */
  private async refreshViews(contract: TableContract): Promise<void> {
    await createView(this.db, contract);
    if (contract.name === 'alerts') await createEffectiveLabelsView(this.db);
  }

  private async readMetas(classified: Classified[], report: LoadReport): Promise<Map<string, MetaEntry>> {
    const metas = new Map<string, MetaEntry>();
    for (const c of classified) {
      if (c.kind !== 'meta') continue;
      try {
        const text = new TextDecoder().decode(await c.file.read());
        const meta = parseMeta(c.file.path, text);
        // A META.json in another snapshot's folder describes other files: its digests and
        // counts cannot vouch for these.
        const place = snapshotPlace(c.file.path);
        if (place && (place.processingDate !== meta.processing_date || place.windowDays !== meta.window_days)) {
          throw new Error(
            `${c.file.path}: says processing_date ${meta.processing_date}, window_days ${meta.window_days}, but its folder is ${place.processingDate}/${place.windowDays}`,
          );
        }
        metas.set(c.dir, { meta, path: c.file.path });
      } catch (e) {
        report.problems.push({
          level: 'error',
          file: c.file.path,
          message: `${(e as Error).message}; the snapshot's files are loaded unverified`,
        });
      }
    }
    return metas;
  }

  private reportMissingFromMeta(metas: Map<string, MetaEntry>, files: TableFile[], report: LoadReport): void {
    for (const [dir, { meta, path }] of metas) {
      const present = new Set(files.filter((f) => dirName(f.file.path) === dir).map((f) => baseName(f.file.path)));
      for (const listed of Object.keys(meta.sha256)) {
        // The SOT exporter lists the network's address labels here too, though that file lives
        // in address-labels/ under another name.
        if (!present.has(listed) && listed !== 'address_labels.parquet') {
          report.problems.push({
            level: 'warning',
            file: path,
            message: `${path} lists ${listed}, which was not among the loaded files`,
          });
        }
      }
    }
  }

  /** Every SOT table with rows, plus the label events once there are any. */
  async tables(): Promise<TableSummary[]> {
    const counts = rows<{ table_name: string; files: number }>(
      await this.db.query(`SELECT table_name, count(*)::INTEGER AS files FROM ${LOADED_FILES} GROUP BY 1`),
    );
    const files = new Map(counts.map((c) => [c.table_name, c.files]));
    const out: TableSummary[] = [];
    for (const c of CONTRACTS) {
      const summary = await this.summary(c.name, files.get(c.name) ?? 0);
      if (summary.rows > 0) out.push(summary);
    }
    const events = await this.summary('label_events', 0);
    if (events.rows > 0) out.push(events);
    return out;
  }

  private async summary(name: string, files: number): Promise<TableSummary> {
    const n = rows<{ n: number }>(await this.db.query(`SELECT count(*) AS n FROM ${ident(name)}`))[0]!.n;
    const columns = rows<{ column_name: string; column_type: string }>(
      await this.db.query(`DESCRIBE ${ident(name)}`),
    ).map((c) => ({
      name: c.column_name,
      type: c.column_type,
    }));
    return { name, rows: Number(n), columns, files };
  }

  /** The first rows of a table or view, for display. */
  async preview(name: string, limit = 50): Promise<Table> {
    const known = new Set([...CONTRACTS.map((c) => c.name), 'label_events', 'effective_labels']);
    if (!known.has(name)) throw new Error(`unknown table ${name}`);
    return this.db.query(`SELECT * FROM ${ident(name)} LIMIT ?`, [Math.max(0, Math.floor(limit))]);
  }

  /** The contract of a loaded table, for the UI's column notes. */
  contract(name: string): TableContract {
    return contractFor(name);
  }
}

/** Stop a read-ahead's decode (its file was refused, skipped or cancelled) and wait for it to end. */
async function stopReadAhead(ahead: ReadAhead | undefined): Promise<void> {
  if (!ahead) return;
  const decode = await ahead.parquet?.catch(() => undefined);
  decode?.cancel();
  await ahead.settled;
}
