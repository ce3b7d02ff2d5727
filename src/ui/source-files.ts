/**
 * Where a load's files come from in the browser: the user's File objects (picker or drop) and
 * the bundled sample snapshot, fetched from the dev server or dist/. Each becomes the loader's
 * `SourceFile`, read only when the loader gets to it.
 */
import { labelFileFormat } from '../ingest/read.ts';
import { loadsWithSample, type SourceFile } from '../sot/files.ts';

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
  /** The sample's checked copy served beside it (vite.config.ts CheckedSample), if there is one. */
  checked?: string;
}

/** One fetch of the listing per page and base: every caller below reads the same one. */
const manifests = new Map<string, Promise<SampleManifest>>();

function sampleManifest(base: string): Promise<SampleManifest> {
  let manifest = manifests.get(base);
  if (!manifest) {
    manifest = (async () => {
      const res = await fetch(`${base}sample-data.json`);
      if (!res.ok) throw new Error(`the sample snapshot's listing could not be fetched (HTTP ${res.status})`);
      return (await res.json()) as SampleManifest;
    })();
    // A failed fetch is not kept: the next caller asks again.
    manifest.catch(() => manifests.delete(base));
    manifests.set(base, manifest);
  }
  return manifest;
}

/** Where the sample's checked copy is served, relative to `base`; undefined when it has none. */
export async function checkedSamplePath(base: string = import.meta.env.BASE_URL): Promise<string | undefined> {
  return (await sampleManifest(base)).checked;
}

/**
 * The sample's files are fetched at a low priority. A first visit requests all of them (46) at
 * once, as DuckDB's worker asks for its 34 MB wasm, the longest step to the first screen; over
 * HTTP/1.1 a browser opens six connections to a host and gives the next free one to the most
 * urgent request waiting, so the wasm no longer waits for most of the sample (measured: its
 * response came 0.4 s after it was asked for, behind the sample's files). The files are done long
 * before DuckDB is ready for them.
 */
export const SAMPLE_FETCH_PRIORITY: RequestPriority = 'low';

/** The listing of the bundled sample-data/, each entry a SourceFile fetched when it is read. */
async function sampleListing(base: string): Promise<SourceFile[]> {
  const manifest = await sampleManifest(base);
  return manifest.files.map((f) => ({
    path: f.path,
    size: f.size,
    read: async () => {
      const file = await fetch(`${base}sample-data/${f.path.split('/').map(encodeURIComponent).join('/')}`, {
        priority: SAMPLE_FETCH_PRIORITY,
      });
      if (!file.ok) throw new Error(`${f.path}: could not be fetched (HTTP ${file.status})`);
      return new Uint8Array(await file.arrayBuffer());
    },
  }));
}

/** The sample snapshot's files, or none when the build carries no sample-data/. */
export async function sampleFiles(base: string = import.meta.env.BASE_URL): Promise<SourceFile[]> {
  return (await sampleListing(base)).filter((f) => loadsWithSample(f.path));
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
