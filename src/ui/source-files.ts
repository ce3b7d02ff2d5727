/**
 * Where a load's files come from in the browser: the user's File objects (picker or drop) and
 * the bundled sample snapshot, fetched from the dev server or dist/. Each becomes the loader's
 * `SourceFile`, read only when the loader gets to it.
 */
import { labelFileFormat } from '../ingest/read.ts';
import type { SourceFile } from '../sot/files.ts';

/** A picked or dropped file; `path` keeps its folder so the snapshot layout is recognised. */
export function fromBrowserFile(file: File, path: string = file.webkitRelativePath || file.name): SourceFile {
  return {
    path: path.replace(/^\/+/, ''),
    size: file.size,
    read: async () => new Uint8Array(await file.arrayBuffer()),
  };
}

/**
 * The same files with their bytes requested now, while something else (DuckDB starting) runs:
 * `read()` then takes what already arrived. Each file's bytes are handed over once and not kept,
 * so they are freed when the loader is done with them; a second read fetches again.
 */
export function readingAhead(files: SourceFile[]): SourceFile[] {
  return files.map((f) => {
    let early: Promise<Uint8Array> | undefined = f.read();
    early.catch(() => {}); // a failed fetch is reported when the loader reads the file
    return {
      ...f,
      read: () => {
        const bytes = early ?? f.read();
        early = undefined;
        return bytes;
      },
    };
  });
}

/** The listing vite.config.ts serves at /sample-data.json. */
interface SampleManifest {
  files: { path: string; size: number }[];
}

/**
 * labels/ holds example label files for the labelling workflow, not SOT tables, and README or
 * notes files are documentation: they are served, but the automatic load leaves them out.
 */
const NOT_AUTO_LOADED = /^labels\/|\.(md|txt)$/i;

/** The listing of the bundled sample-data/, each entry a SourceFile fetched when it is read. */
async function sampleListing(base: string): Promise<SourceFile[]> {
  const res = await fetch(`${base}sample-data.json`);
  if (!res.ok) throw new Error(`the sample snapshot's listing could not be fetched (HTTP ${res.status})`);
  const manifest = (await res.json()) as SampleManifest;
  return manifest.files.map((f) => ({
    path: f.path,
    size: f.size,
    read: async () => {
      const file = await fetch(`${base}sample-data/${f.path.split('/').map(encodeURIComponent).join('/')}`);
      if (!file.ok) throw new Error(`${f.path}: could not be fetched (HTTP ${file.status})`);
      return new Uint8Array(await file.arrayBuffer());
    },
  }));
}

/** The sample snapshot's files, or none when the build carries no sample-data/. */
export async function sampleFiles(base: string = import.meta.env.BASE_URL): Promise<SourceFile[]> {
  return (await sampleListing(base)).filter((f) => !NOT_AUTO_LOADED.test(f.path));
}

/** The example label files under the sample's labels/ (the community example set), for the Labels view. */
export async function sampleLabelFiles(base: string = import.meta.env.BASE_URL): Promise<SourceFile[]> {
  return (await sampleListing(base)).filter(
    (f) => /^labels\/[^/]+$/.test(f.path) && labelFileFormat(f.path) !== undefined,
  );
}

/** One file of the bundled sample by its path (a notebook's labels cell); fails naming it when absent. */
export async function sampleFile(path: string, base: string = import.meta.env.BASE_URL): Promise<SourceFile> {
  const listing = await sampleListing(base);
  const file = listing.find((f) => f.path === path);
  if (!file)
    throw new Error(
      `${path}: not in the app's sample data (it has ${
        listing
          .filter((f) => f.path.startsWith('labels/'))
          .map((f) => f.path)
          .join(', ') || 'no label files'
      })`,
    );
  return file;
}
