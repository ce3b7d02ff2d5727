/**
 * Drag and drop anywhere on the window, whole folders included.
 *
 * Folders are walked with `webkitGetAsEntry` (the only cross-browser way to read a dropped
 * folder) and each file keeps its path relative to the drop, so a dropped snapshot folder still
 * reads as `.../snapshots/{network}/{date}/{window}/alerts.parquet` to the loader.
 */
import type { SourceFile } from '../sot/files.ts';
import { h } from './dom.ts';
import { fromBrowserFile } from './source-files.ts';

export function installDropTarget(onFiles: (files: SourceFile[]) => void, onError: (err: Error) => void): void {
  const overlay = h(
    'div',
    { class: 'drop-overlay', 'aria-hidden': 'true' },
    h(
      'div',
      { class: 'drop-overlay-card' },
      h('strong', {}, 'Drop to load'),
      h('span', {}, 'Parquet, Arrow or CSV files, META.json, or whole snapshot folders'),
    ),
  );
  document.body.append(overlay);

  // dragenter/dragleave fire for every child element crossed: count them to know when the
  // pointer has really left the window.
  let depth = 0;
  const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
  const show = (on: boolean) => overlay.classList.toggle('visible', on);

  window.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    show(true);
  });
  window.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault(); // without this the browser opens the file instead of dropping it here
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('dragleave', (e) => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) show(false);
  });
  window.addEventListener('drop', (e) => {
    if (!e.dataTransfer) return;
    e.preventDefault();
    depth = 0;
    show(false);
    // Entries must be taken now: the DataTransfer is emptied once this handler returns.
    const entries = Array.from(e.dataTransfer.items, (item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null));
    const looseFiles = Array.from(e.dataTransfer.files);
    collect(entries, looseFiles).then(
      (files) => {
        if (files.length > 0) onFiles(files);
      },
      (err: unknown) => onError(err instanceof Error ? err : new Error(String(err))),
    );
  });
}

/**
 * Files from the dropped entries; where the browser gives no entries (a synthetic drop, an old
 * browser) the plain file list is used, without folders.
 */
async function collect(entries: (FileSystemEntry | null)[], looseFiles: File[]): Promise<SourceFile[]> {
  const real = entries.filter((e): e is FileSystemEntry => e !== null);
  if (real.length === 0) return looseFiles.map((f) => fromBrowserFile(f, f.name));
  const out: SourceFile[] = [];
  for (const entry of real) await walk(entry, out);
  return out;
}

async function walk(entry: FileSystemEntry, out: SourceFile[]): Promise<void> {
  if (entry.name.startsWith('.')) return; // .DS_Store, .git and the like are never data
  if (isFile(entry)) {
    const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject));
    out.push(fromBrowserFile(file, entry.fullPath));
  } else if (isDirectory(entry)) {
    for (const child of await readAll(entry.createReader())) await walk(child, out);
  }
}

/** `readEntries` returns at most about 100 entries per call: call until it returns none. */
async function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

function isFile(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

function isDirectory(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}
