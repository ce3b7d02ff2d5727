import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Run the CLI as a user does; resolve with its exit code and output whatever the code. */
async function lab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const HEADER = 'window_days,processing_date,alert_id,address,typology_type,severity,alert_confidence_score\n';

describe('lab load', () => {
  it('prints the table summary for good files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-cli-'));
    await writeFile(
      join(dir, 'alerts.csv'),
      HEADER + '7,2026-01-05,a1,x1,PEEL_CHAIN,high,0.8\n7,2026-01-05,a2,x2,PEEL_CHAIN,LOW,0.4\n',
    );
    const r = await lab('load', '--data', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^alerts\s+2\s+\d+\s+1$/m);
  });

  it('exits non-zero with the message and no stack trace on a bad file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-cli-'));
    await mkdir(join(dir, 'more'));
    await writeFile(join(dir, 'alerts.csv'), HEADER + '7,2026-01-05,a1,x1,PEEL_CHAIN,high,0.8\n');
    await writeFile(join(dir, 'more', 'features.parquet'), 'PAR1 this is not parquet');
    const r = await lab('load', '--data', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: \/.*\/more\/features\.parquet: cannot read it as Parquet \(.+\)$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The good file still loaded and is listed.
    expect(r.stdout).toMatch(/^alerts\s+1\s/m);
  });

  it('says what is wrong with the command line', async () => {
    const r = await lab('load');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('lab: load: give --data DIR or file paths\n');
    const missing = await lab('load', '--data', '/nonexistent/folder');
    expect(missing.stderr).toBe('lab: /nonexistent/folder: no such file or directory\n');
  });

  it('takes the decoded-size limit per file from --max-decoded-bytes, and refuses a size it cannot read', async () => {
    const snapshot = 'sample-data/snapshots/torus/2025-10-06/7';
    const small = await lab('load', '--data', snapshot, '--max-decoded-bytes', '300KiB');
    expect(small.code).toBe(1);
    // Three of the four files decode to more than 300 KiB (money_flows only once decoded: its
    // footer's figure is Parquet's, smaller than Arrow's); the fourth still loads.
    expect(small.stderr).toMatch(
      /alerts\.parquet: refused: decoded, its footer says it takes [\d.]+ KiB, over the limit of 300\.0 KiB per file \(raise it with --max-decoded-bytes/,
    );
    expect(small.stderr).toMatch(/features\.parquet: refused/);
    expect(small.stderr).toMatch(/money_flows\.parquet: refused: decoded, it had reached [\d.]+ KiB before its end/);
    expect(small.stdout).toMatch(/^clusters\s+454\s/m);
    const bad = await lab('load', '--data', snapshot, '--max-decoded-bytes', 'lots');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      "lab: --max-decoded-bytes: expected a size such as 512MiB, 2GiB or a number of bytes, got 'lots'\n",
    );
  });
});
