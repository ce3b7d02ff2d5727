/**
 * Node-only: files on disk as `SourceFile`s. A directory is walked recursively, with paths kept
 * relative to it so the snapshot layout (snapshots/{network}/{date}/{window}/) is recognised.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { SourceFile } from '../sot/files.ts';

export async function filesFromPaths(paths: string[]): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => {
      throw new Error(`${p}: no such file or directory`);
    });
    if (s.isDirectory()) out.push(...(await walk(p)));
    else out.push(diskFile(p, basename(p), s.size));
  }
  return out;
}

async function walk(root: string): Promise<SourceFile[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: SourceFile[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const full = join(e.parentPath, e.name);
    files.push(diskFile(full, relative(root, full).split(sep).join('/'), (await stat(full)).size));
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

function diskFile(full: string, path: string, size: number): SourceFile {
  return { path, size, read: async () => new Uint8Array(await readFile(full)) };
}
