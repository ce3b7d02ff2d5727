/**
 * Node-only: files on disk as `SourceFile`s. A directory is walked recursively; each file's path
 * is the directory as the user typed it joined with the file's place under it, so messages name
 * files the way the user knows them, and the snapshot layout
 * (snapshots/{network}/{date}/{window}/) is recognised wherever inside it the user pointed.
 *
 * Symbolic links are followed (a miner links one download into several folders), each real
 * directory walked once so a link cycle ends. Only regular files are read: a FIFO, a socket or a
 * device would block `readFile` forever or stream without end, so it is refused by name at once.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import type { SourceFile } from '../sot/files.ts';

export async function filesFromPaths(paths: string[]): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => {
      throw new Error(`${p}: no such file or directory`);
    });
    if (s.isDirectory()) out.push(...(await walk(p)));
    else if (s.isFile()) out.push(diskFile(p, shownPath(p), s.size));
    else throw new Error(`${p}: not a regular file (${kindOf(s)}); give a data file or a folder`);
  }
  return out;
}

async function walk(root: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  const seen = new Set<string>();
  const visit = async (dir: string) => {
    const real = await realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await visit(full);
      else if (e.isFile()) files.push(diskFile(full, shownPath(full), (await stat(full)).size));
      else if (e.isSymbolicLink()) {
        // A dangling link, or one to a FIFO, is left out as the walk leaves out sockets.
        const target = await stat(full).catch(() => undefined);
        if (target?.isDirectory()) await visit(full);
        else if (target?.isFile()) files.push(diskFile(full, shownPath(full), target.size));
      }
    }
  };
  await visit(root);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

function kindOf(s: Stats): string {
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return 'not a file or a folder';
}

/** '/'-separated, without a leading './'. */
function shownPath(p: string): string {
  return normalize(p).split(sep).join('/').replace(/^\.\//, '');
}

function diskFile(full: string, path: string, size: number): SourceFile {
  return { path, size, read: async () => new Uint8Array(await readFile(full)) };
}
