/**
 * Node-only: files on disk as `SourceFile`s. A directory is walked recursively; each file's path
 * is the directory as the user typed it joined with the file's place under it, so messages name
 * files the way the user knows them, and the snapshot layout
 * (snapshots/{network}/{date}/{window}/) is recognised wherever inside it the user pointed.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, normalize, relative, sep } from 'node:path';
import type { SourceFile } from '../sot/files.ts';

export async function filesFromPaths(paths: string[]): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => {
      throw new Error(`${p}: no such file or directory`);
    });
    if (s.isDirectory()) out.push(...(await walk(p)));
    else out.push(diskFile(p, shownPath(p), s.size));
  }
  return out;
}

async function walk(root: string): Promise<SourceFile[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: SourceFile[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const full = join(e.parentPath, e.name);
    files.push(diskFile(full, shownPath(join(root, relative(root, full))), (await stat(full)).size));
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** '/'-separated, without a leading './'. */
function shownPath(p: string): string {
  return normalize(p).split(sep).join('/').replace(/^\.\//, '');
}

function diskFile(full: string, path: string, size: number): SourceFile {
  return { path, size, read: async () => new Uint8Array(await readFile(full)) };
}
