/**
 * Statements run on every new connection, in both runtimes.
 *
 * `autoload_known_extensions = false`: with no network, DuckDB-WASM's attempt to download an
 * extension (parquet, json, ...) hangs forever in Node and fails with a confusing "function
 * signature mismatch" in Chromium. Better an immediate "extension not loaded" error.
 */
export const SESSION_SETUP_SQL = `SET autoload_known_extensions = false; SET autoinstall_known_extensions = false;`;
