/**
 * Node-only: the bundled sample, loaded and checked here once, as the file a build ships beside
 * it (src/sot/checked-file.ts). A first visit whose sample files hash to this copy's key restores
 * it instead of decoding and checking them in the browser; any other files, or another loader
 * (the key covers the contracts and the cache version), make another key and a normal load.
 *
 * The files are named as the app names them (their paths under the sample folder, as the
 * /sample-data.json listing gives them), so the key and the report are the ones a browser load
 * would make. The load runs with the app's default decoded-size limit, the one its key carries
 * until a user changes it.
 */
import { relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sha256Hex } from '../db/runtime.ts';
import { openNodeRuntime } from '../db/node.ts';
import { checkedCacheKey } from '../sot/checked-cache.ts';
import { encodeCheckedSnapshot } from '../sot/checked-file.ts';
import { loadsWithSample, type SourceFile } from '../sot/files.ts';
import { Lab } from '../sot/lab.ts';
import { DEFAULT_MAX_DECODED_BYTES } from '../sot/stage.ts';
import { filesFromPaths } from './files.ts';

/** The files of the sample under `dir` that the app loads, named as its listing names them. */
export async function sampleFilesIn(dir: string): Promise<SourceFile[]> {
  const root = resolve(dir);
  return (await filesFromPaths([root]))
    .map((f) => ({ ...f, path: relative(root, resolve(f.path)).split(sep).join('/') }))
    .filter((f) => !f.path.split('/').some((part) => part.startsWith('.')) && loadsWithSample(f.path));
}

/**
 * The sample under `dir`, checked, as the gzip of a checked-load file (served as
 * CHECKED_SAMPLE_FILE: about a third of the Arrow bytes); undefined when it has no files to load.
 */
export async function checkedSampleFile(dir: string): Promise<Uint8Array | undefined> {
  const files = await sampleFilesIn(dir);
  if (files.length === 0) return undefined;
  const rt = await openNodeRuntime();
  try {
    const lab = await Lab.open(rt);
    const report = await lab.load(files, { maxDecodedBytes: DEFAULT_MAX_DECODED_BYTES });
    if (report.loaded.length === 0) return undefined;
    const digests = await Promise.all(
      files.map(async (f) => {
        const bytes = await f.read();
        return { path: f.path, size: bytes.byteLength, sha256: await sha256Hex(bytes) };
      }),
    );
    const key = await checkedCacheKey(digests, { maxDecodedBytes: DEFAULT_MAX_DECODED_BYTES });
    return gzipSync(encodeCheckedSnapshot(await lab.keepChecked(key, report)));
  } finally {
    await rt.db.close();
  }
}
