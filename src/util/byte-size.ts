/**
 * Byte sizes as people write and read them: `formatBytes(1073741824)` is "1.0 GiB", and
 * `parseByteSize('2GiB')` is 2147483648. Binary units (KiB, MiB, GiB); KB/MB/GB are read as the
 * same binary units, since that is what users of memory limits mean by them.
 */

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** A positive size ("500MB", "1.5 GiB", "1073741824"), or an Error saying what was expected. */
export function parseByteSize(text: string, what = 'size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt]?)(?:i?b)?|b)\s*$/i.exec(text);
  const n = m ? Number(m[1]) * UNITS[(m[2] ?? '').toLowerCase()]! : NaN;
  if (!Number.isFinite(n) || n < 1 || !Number.isSafeInteger(Math.round(n)))
    throw new Error(`${what}: expected a size such as 512MiB, 2GiB or a number of bytes, got '${text}'`);
  return Math.round(n);
}
