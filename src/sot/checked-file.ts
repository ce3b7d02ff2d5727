/**
 * A checked load (checked-cache.ts) as one file, so a build can ship the bundled sample already
 * checked: a first visit then restores it as a second visit restores its IndexedDB copy, instead
 * of decoding and checking every file (src/node/checked-sample.ts writes it, vite.config.ts
 * serves it, src/ui/load-controls.ts reads it).
 *
 * Layout: the magic line, a 4-byte little-endian header length, the header (UTF-8 JSON: the
 * snapshot without its IPC bytes, each part's byte length instead), then each part's IPC bytes
 * in the header's order (the tables, then `_loaded_files`). Reading checks only the layout; the
 * parts' digests and counts are checked by snapshotIntact before anything is restored, and the
 * key says whether the copy is of the files at hand at all.
 */
import type { CheckedSnapshot, KeptTable } from './checked-cache.ts';

/** The sample's checked copy as a build ships it (gzip), beside /sample-data.json. */
export const CHECKED_SAMPLE_FILE = 'sample-checked.bin.gz';

const MAGIC = new TextEncoder().encode('label-lab checked load 1\n');

type PartHeader = Omit<KeptTable, 'ipc'> & { bytes: number };

interface Header {
  key: string;
  savedAt: number;
  report: CheckedSnapshot['report'];
  tables: PartHeader[];
  loadedFiles: PartHeader;
}

export class CheckedFileError extends Error {}

export function encodeCheckedSnapshot(s: CheckedSnapshot): Uint8Array {
  const part = ({ ipc, ...rest }: KeptTable): PartHeader => ({ ...rest, bytes: ipc.byteLength });
  const header: Header = {
    key: s.key,
    savedAt: s.savedAt,
    report: s.report,
    tables: s.tables.map(part),
    loadedFiles: part(s.loadedFiles),
  };
  const head = new TextEncoder().encode(JSON.stringify(header));
  const parts = [...s.tables, s.loadedFiles].map((t) => t.ipc);
  const out = new Uint8Array(MAGIC.length + 4 + head.length + parts.reduce((n, p) => n + p.byteLength, 0));
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, head.length, true);
  out.set(head, MAGIC.length + 4);
  let at = MAGIC.length + 4 + head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** The snapshot in `bytes`; throws CheckedFileError, naming `source`, when the layout is not this one. */
export function decodeCheckedSnapshot(bytes: Uint8Array, source: string): CheckedSnapshot {
  const fail = (why: string): never => {
    throw new CheckedFileError(`${source}: not a checked load (${why})`);
  };
  if (bytes.byteLength < MAGIC.length + 4 || MAGIC.some((b, i) => bytes[i] !== b)) fail('no header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = view.getUint32(MAGIC.length, true);
  let at = MAGIC.length + 4;
  if (at + headLength > bytes.byteLength) fail('its header runs past its end');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(at, at + headLength))) as Header;
  } catch {
    return fail('its header is not JSON');
  }
  at += headLength;
  if (typeof header.key !== 'string' || !Array.isArray(header.tables) || !header.loadedFiles || !header.report) {
    fail('its header lacks the key, the tables or the report');
  }
  const take = ({ bytes: n, ...rest }: PartHeader): KeptTable => {
    if (!Number.isInteger(n) || n < 0 || at + n > bytes.byteLength) fail(`part ${rest.table} runs past its end`);
    // A copy of its own: the parts outlive the download's buffer and go to DuckDB's worker.
    const ipc = bytes.slice(at, at + n);
    at += n;
    return { ...rest, ipc };
  };
  const tables = header.tables.map(take);
  const loadedFiles = take(header.loadedFiles);
  if (at !== bytes.byteLength) fail('bytes left after its last part');
  return { key: header.key, savedAt: header.savedAt, report: header.report, tables, loadedFiles };
}
