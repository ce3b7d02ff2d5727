/**
 * A real ClickHouse engine for the parity test: chdb (embedded ClickHouse 26.x), kept out of the
 * app's dependencies in tools/chdb with its own pinned lockfile and installed on first use.
 *
 * `npm install --no-save` rather than `npm ci`: the lockfile can only list chdb's native library
 * for this platform (the registry serves no other platform's build), and `npm ci` rejects a
 * lockfile missing optional platform packages. `--no-save` installs exactly the locked versions
 * and leaves package.json and the lockfile alone. chdb's install script is a no-op, hence
 * `--ignore-scripts`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHDB_DIR = resolve(fileURLToPath(new URL('../tools/chdb', import.meta.url)));

/** The part of chdb's Session the tests use. */
export interface ChdbSession {
  query(sql: string, format?: string): string;
  cleanup(): void;
}

/** Install tools/chdb when missing; returns the seconds the install took (0 when present). */
export function ensureChdb(): number {
  if (existsSync(join(CHDB_DIR, 'node_modules', 'chdb', 'package.json'))) return 0;
  const started = performance.now();
  execFileSync('npm', ['install', '--prefix', CHDB_DIR, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 600_000,
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(`  [chdb] installed tools/chdb in ${seconds.toFixed(1)} s`);
  return seconds;
}

/** A fresh chdb session in its own temporary directory. */
export function openChdb(): ChdbSession {
  ensureChdb();
  const require = createRequire(join(CHDB_DIR, 'package.json'));
  const { Session } = require('chdb') as { Session: new () => ChdbSession };
  return new Session();
}

/** Run a query and parse its JSONEachRow output. */
export function chRows<T = Record<string, unknown>>(session: ChdbSession, sql: string): T[] {
  const text = session.query(sql, 'JSONEachRow');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
