// `npm run lint`: install the linter's own folder on first use (its lockfile pins ESLint,
// typescript-eslint and the TypeScript 5.9 they need), then lint the tree from the repository root.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const eslint = join(here, 'node_modules', '.bin', 'eslint');

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

if (!existsSync(eslint)) {
  console.log('Installing the linter (npm ci --prefix tools/lint)');
  const status = run('npm', ['ci', '--prefix', here, '--no-audit', '--no-fund'], root);
  if (status !== 0) process.exit(status);
}
process.exit(run(eslint, ['--config', join(here, 'eslint.config.js'), '--max-warnings', '0', '.'], root));
