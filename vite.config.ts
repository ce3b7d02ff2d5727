/**
 * Vite: the browser app, with the committed sample snapshot served beside it.
 *
 * sample-data/ is served at /sample-data/... and listed in /sample-data.json (paths relative to
 * sample-data/, sizes) which the app fetches at start to load the sample. In dev a middleware
 * serves both straight from disk; `vite build` emits the files and the listing into dist/.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, defineConfig, type LogLevel, type Plugin } from 'vite';

/** LABEL_LAB_SAMPLE_DIR points the app at another snapshot folder (a real export, a fixture). */
const SAMPLE_DIR = resolve(process.env.LABEL_LAB_SAMPLE_DIR ?? fileURLToPath(new URL('./sample-data', import.meta.url)));
const SAMPLE_PREFIX = 'sample-data/';
const MANIFEST = 'sample-data.json';

/** One entry of the listing the app fetches (src/ui/sample.ts reads the same shape). */
interface SampleEntry {
  path: string;
  size: number;
}

/** Every file under sample-data/, dot-files skipped, sorted so the listing is stable. */
function listSample(dir = SAMPLE_DIR): SampleEntry[] {
  if (!existsSync(dir)) return [];
  const out: SampleEntry[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSample(full));
    else if (entry.isFile()) out.push({ path: relative(SAMPLE_DIR, full).split(sep).join('/'), size: statSync(full).size });
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

function sampleData(): Plugin {
  let base = '/';
  return {
    name: 'label-lab-sample-data',
    configResolved(config) {
      base = config.base;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
        if (!url.startsWith(base)) return next();
        const path = url.slice(base.length);
        if (path === MANIFEST) {
          res.setHeader('Content-Type', 'application/json');
          res.setHeader('Cache-Control', 'no-store');
          res.end(JSON.stringify({ files: listSample() }));
          return;
        }
        if (!path.startsWith(SAMPLE_PREFIX)) return next();
        const file = resolve(SAMPLE_DIR, path.slice(SAMPLE_PREFIX.length));
        // Never serve anything outside sample-data/, whatever '..' the URL carries.
        if (!file.startsWith(SAMPLE_DIR + sep) || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(file).size));
        res.setHeader('Cache-Control', 'no-store');
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      const files = listSample();
      for (const f of files) {
        this.emitFile({ type: 'asset', fileName: SAMPLE_PREFIX + f.path, source: readFileSync(join(SAMPLE_DIR, f.path)) });
      }
      this.emitFile({ type: 'asset', fileName: MANIFEST, source: JSON.stringify({ files }) });
    },
  };
}

/**
 * duckdb-wasm's worker ships a source map naming arrow sources it does not ship; Vite warns
 * about each of ~30 of them whenever the worker is served. Only those warnings are dropped.
 */
export function quietLogger(level: LogLevel = 'info') {
  const logger = createLogger(level);
  const noise = (msg: string) => msg.startsWith('Sourcemap for ') && msg.includes('@duckdb/duckdb-wasm/');
  const { warn, warnOnce } = logger;
  logger.warn = (msg, opts) => void (noise(msg) || warn(msg, opts));
  logger.warnOnce = (msg, opts) => void (noise(msg) || warnOnce(msg, opts));
  return logger;
}

export default defineConfig({
  customLogger: quietLogger(),
  plugins: [sampleData()],
  optimizeDeps: {
    // Both load .wasm and worker files by URL; pre-bundling breaks those URLs.
    exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'],
    // duckdb-wasm (excluded above) imports apache-arrow: pre-bundle it up front so the page and
    // DuckDB share one copy from the first load, with no re-optimisation reload mid-session.
    include: ['apache-arrow'],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
});
