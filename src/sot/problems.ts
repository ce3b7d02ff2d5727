/** The problems a load reports: each names its file, and its column where there is one. */

export interface Problem {
  level: 'error' | 'warning';
  /** The file's path as the user gave it. */
  file: string;
  column?: string;
  /** A complete sentence that already names the file: shown as is. */
  message: string;
}

/** Thrown inside the loader for a file that cannot be loaded; turned into an error Problem. */
export class LoadError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly column?: string,
  ) {
    super(message);
    this.name = 'LoadError';
  }
}

/** What a cancelled load throws (its name is what callers test). */
export function abortError(): Error {
  const e = new Error('The load was cancelled');
  e.name = 'AbortError';
  return e;
}

/**
 * Whether DuckDB said it could not allocate: a plain "Out of Memory Error", the JSON of a failed
 * CREATE, or a COMMIT whose checkpoint found no block ("Failed to create checkpoint because of
 * error: could not allocate block of size ...", seen at 5M alerts).
 */
export function isOutOfMemory(message: string | undefined): boolean {
  return /Out of Memory|could not allocate block/i.test(message ?? '');
}
