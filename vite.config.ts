/**
 * Vite: the browser app, with the committed sample snapshot and the shipped notebooks served
 * beside it.
 *
 * sample-data/ is served at /sample-data/... and listed in /sample-data.json (paths relative to
 * sample-data/, sizes) which the app fetches at start to load the sample; notebooks/*.md the same
 * way at /notebooks/... and /notebooks.json, and docs/*.md (rendered by the Docs view) at
 * /docs/... and /docs.json. In dev a middleware serves them straight from disk; `vite build`
 * emits the files and the listings into dist/, with the sample checked at build time
 * (checkedSample below).
 */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, defineConfig, type LogLevel, type Plugin } from 'vite';
import { CHECKED_SAMPLE_FILE } from './src/sot/checked-file.ts';

/** LABEL_LAB_SAMPLE_DIR points the app at another snapshot folder (a real export, a fixture). */
const SAMPLE_DIR = resolve(
  process.env.LABEL_LAB_SAMPLE_DIR ?? fileURLToPath(new URL('./sample-data', import.meta.url)),
);
const NOTEBOOKS_DIR = fileURLToPath(new URL('./notebooks', import.meta.url));
const DOCS_DIR = fileURLToPath(new URL('./docs', import.meta.url));

/** One entry of a listing the app fetches (src/ui/source-files.ts and notebook-source.ts read it). */
interface ListedFile {
  path: string;
  size: number;
}

/** A folder served under `prefix` and listed in `manifest`; `include` picks files by relative path. */
interface ServedFolder {
  name: string;
  dir: string;
  prefix: string;
  manifest: string;
  include?: (path: string) => boolean;
  /** More fields for the listing (the sample's: the checked copy shipped beside it, if any). */
  listingExtra?: () => Promise<Record<string, unknown>>;
}

/** Every file under `dir` that `include` takes, dot-files skipped, sorted so the listing is stable. */
function listFolder(folder: ServedFolder, dir = folder.dir): ListedFile[] {
  if (!existsSync(dir)) return [];
  const out: ListedFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFolder(folder, full));
    else if (entry.isFile()) {
      const path = relative(folder.dir, full).split(sep).join('/');
      if (!folder.include || folder.include(path)) out.push({ path, size: statSync(full).size });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
};

async function listing(folder: ServedFolder): Promise<string> {
  return JSON.stringify({ files: listFolder(folder), ...(await folder.listingExtra?.()) });
}

function servedFolder(folder: ServedFolder): Plugin {
  let base = '/';
  return {
    name: folder.name,
    configResolved(config) {
      base = config.base;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
        if (!url.startsWith(base)) return next();
        const path = url.slice(base.length);
        if (path === folder.manifest) {
          listing(folder).then((json) => {
            res.setHeader('Content-Type', 'application/json');
            res.setHeader('Cache-Control', 'no-store');
            res.end(json);
          }, next);
          return;
        }
        if (!path.startsWith(folder.prefix)) return next();
        const rel = path.slice(folder.prefix.length);
        const file = resolve(folder.dir, rel);
        // Never serve anything outside the folder, whatever '..' the URL carries, nor what the listing leaves out.
        if (!file.startsWith(folder.dir + sep) || !existsSync(file) || !statSync(file).isFile()) return next();
        if (folder.include && !folder.include(relative(folder.dir, file).split(sep).join('/'))) return next();
        res.setHeader('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(file).size));
        res.setHeader('Cache-Control', 'no-store');
        createReadStream(file).pipe(res);
      });
    },
    async generateBundle() {
      const files = listFolder(folder);
      for (const f of files) {
        this.emitFile({
          type: 'asset',
          fileName: folder.prefix + f.path,
          source: readFileSync(join(folder.dir, f.path)),
        });
      }
      this.emitFile({ type: 'asset', fileName: folder.manifest, source: await listing(folder) });
    },
  };
}

/** Past this, a checked copy of the sample would cost more to download than checking it does. */
const CHECKED_SAMPLE_MAX_BYTES = 64 * 1024 ** 2;

/**
 * The sample checked by the Node loader (src/node/checked-sample.ts), which a first visit restores
 * instead of checking every file in the browser, once their digests match its key. `vite build`
 * ships it; the dev server only with LABEL_LAB_CHECKED_SAMPLE=1, so that development and the
 * browser tests run the browser's own load of the sample unless they ask. The sample's listing
 * names it (`checked`) where it is served: the app never asks for a file that is not there.
 */
class CheckedSample {
  /** Set once Vite has resolved its config: 'serve' (dev, preview) or 'build'. */
  command: 'serve' | 'build' = 'serve';
  private made: Promise<Uint8Array | undefined> | undefined;

  /** The copy's bytes, made once; undefined where none is served. */
  bytes(): Promise<Uint8Array | undefined> {
    if (this.command === 'serve' && process.env.LABEL_LAB_CHECKED_SAMPLE !== '1') return Promise.resolve(undefined);
    return (this.made ??= (async () => {
      const total = listFolder(SAMPLE_FOLDER).reduce((n, f) => n + f.size, 0);
      if (total > CHECKED_SAMPLE_MAX_BYTES) return undefined;
      // Imported here, not at the top: only a build (or a dev server asked to) starts DuckDB.
      const { checkedSampleFile } = await import('./src/node/checked-sample.ts');
      return checkedSampleFile(SAMPLE_DIR);
    })());
  }
}

const checked = new CheckedSample();

const SAMPLE_FOLDER: ServedFolder = {
  name: 'label-lab-sample-data',
  dir: SAMPLE_DIR,
  prefix: 'sample-data/',
  manifest: 'sample-data.json',
  listingExtra: async () => ((await checked.bytes()) ? { checked: CHECKED_SAMPLE_FILE } : {}),
};
const sampleData = servedFolder(SAMPLE_FOLDER);

const checkedSample: Plugin = {
  name: 'label-lab-checked-sample',
  configResolved(config) {
    checked.command = config.command;
  },
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      if ((req.url ?? '').split('?')[0] !== `${server.config.base}${CHECKED_SAMPLE_FILE}`) return next();
      checked.bytes().then((bytes) => {
        if (!bytes) return next();
        res.setHeader('Content-Type', 'application/gzip');
        res.setHeader('Cache-Control', 'no-store');
        res.end(bytes);
      }, next);
    });
  },
  async generateBundle() {
    const bytes = await checked.bytes();
    if (bytes) this.emitFile({ type: 'asset', fileName: CHECKED_SAMPLE_FILE, source: bytes });
  },
};

/** The shipped notebooks: the top-level .md files of notebooks/ (its README, if any, is not one). */
const shippedNotebooks = servedFolder({
  name: 'label-lab-notebooks',
  dir: NOTEBOOKS_DIR,
  prefix: 'notebooks/',
  manifest: 'notebooks.json',
  include: (path) => /^[^/]+\.md$/.test(path) && !/^readme\.md$/i.test(path),
});

/** The docs the app renders in its Docs view: the top-level .md files of docs/. */
const shippedDocs = servedFolder({
  name: 'label-lab-docs',
  dir: DOCS_DIR,
  prefix: 'docs/',
  manifest: 'docs.json',
  include: (path) => /^[^/]+\.md$/.test(path),
});

/**
 * duckdb-wasm's worker ships a source map naming arrow sources it does not ship; Vite warns
 * about each of ~30 of them whenever the worker is served. Only those warnings are dropped.
 */
export function quietLogger(level: LogLevel = 'info') {
  const logger = createLogger(level);
  // The message may come coloured (ANSI escapes before "Sourcemap"): compare its plain text.
  const noise = (msg: string) => {
    const plain = msg.replace(/\x1b\[[0-9;]*m/g, '');
    return plain.startsWith('Sourcemap for ') && plain.includes('@duckdb/duckdb-wasm/');
  };
  const { warn, warnOnce } = logger;
  logger.warn = (msg, opts) => void (noise(msg) || warn(msg, opts));
  logger.warnOnce = (msg, opts) => void (noise(msg) || warnOnce(msg, opts));
  return logger;
}

/**
 * Cross-origin isolation (COOP + COEP on every response, dev server and preview alike): it is what
 * gives the page and its workers SharedArrayBuffer, which the threaded builds need: TF.js's wasm
 * backend then trains on every core, and the gbm trainer builds its histograms in two workers.
 * The app loads nothing from another origin, so require-corp costs nothing. A static host that
 * does not send these headers still runs the app, single-threaded (crossOriginIsolated false).
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

const crossOriginIsolation: Plugin = {
  name: 'cross-origin-isolation',
  configureServer(server) {
    server.middlewares.use(isolate);
  },
  configurePreviewServer(server) {
    server.middlewares.use(isolate);
  },
};

function isolate(_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void): void {
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) res.setHeader(name, value);
  next();
}

export default defineConfig({
  customLogger: quietLogger(),
  plugins: [crossOriginIsolation, checkedSample, sampleData, shippedNotebooks, shippedDocs],
  optimizeDeps: {
    // Both load .wasm and worker files by URL; pre-bundling breaks those URLs.
    exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'],
    // duckdb-wasm (excluded above) imports apache-arrow: pre-bundle it up front so the page and
    // DuckDB share one copy from the first load, with no re-optimisation reload mid-session.
    include: ['apache-arrow'],
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
    // The checked sample's generateBundle runs the whole loader on purpose (about 5 s): Rolldown's
    // warning that a plugin took most of the build says nothing new.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
