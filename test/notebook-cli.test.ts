/** `lab run` end to end, as a user runs it: a real process, files on disk, exit codes, stderr. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import { alertsSql, parquetOf } from './fixtures/files.ts';

let dir: string;

const NOTEBOOK = `---
title: CLI test
---

\`\`\`params p
- {name: min_conf, input: range, min: 0, max: 1, value: 0.5}
- {name: kinds, input: checkbox, options: [PEEL_CHAIN, STRUCTURING, PING_PONG], value: [PEEL_CHAIN]}
\`\`\`

\`\`\`sql picked
SELECT typology_type, count(*) AS n FROM alerts
WHERE alert_confidence_score >= $min_conf AND list_contains($kinds, typology_type)
GROUP BY 1
\`\`\`

\`\`\`plot picked_plot
data: picked
marks:
  - {type: barY, x: typology_type, y: n}
\`\`\`
`;

function lab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-run-'));
  const rt = await openNodeRuntime();
  writeFileSync(join(dir, 'alerts.parquet'), await parquetOf(rt, alertsSql({ n: 40 })));
  await rt.db.close();
  writeFileSync(join(dir, 'good.md'), NOTEBOOK);
  writeFileSync(join(dir, 'bad.md'), NOTEBOOK.replace('GROUP BY 1', 'GROUP BY 1, nope'));
  writeFileSync(
    join(dir, 'reader.md'),
    "```sql secrets\nSELECT * FROM read_csv('/etc/passwd', header = false, sep = ':')\n```\n",
  );
});

describe('lab run', () => {
  it('runs a notebook with --set overrides and writes a self-contained report', async () => {
    const out = join(dir, 'good.html');
    const r = await lab([
      'run',
      join(dir, 'good.md'),
      '--data',
      join(dir, 'alerts.parquet'),
      '--set',
      'min_conf=0.7',
      '--set',
      'kinds=PEEL_CHAIN,PING_PONG',
      '--out',
      out,
    ]);
    expect(r.stderr).not.toMatch(/failed/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${out}: 3 cells, 0 failed`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('min_conf = 0.7; kinds = PEEL_CHAIN, PING_PONG');
    expect(html).toMatch(/<svg/);
    expect(html).not.toMatch(/<script/i);
  }, 90_000);

  it('still writes the report when a cell fails, then exits non-zero without a stack trace', async () => {
    const out = join(dir, 'bad.html');
    const r = await lab(['run', join(dir, 'bad.md'), '--data', join(dir, 'alerts.parquet'), '--out', out]);
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(true);
    expect(r.stderr).toContain('sql picked failed: Binder Error');
    expect(r.stderr).toContain('plot picked_plot failed: depends on failed cell picked');
    expect(r.stderr).toContain('lab: run: 2 of 3 cells failed (the report shows where)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 90_000);

  it('lets notebook SQL read the loaded data only, not local files', async () => {
    const r = await lab([
      'run',
      join(dir, 'reader.md'),
      '--data',
      join(dir, 'alerts.parquet'),
      '--out',
      join(dir, 'reader.html'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sql secrets failed: Permission Error: Cannot access file "/etc/passwd"');
    expect(readFileSync(join(dir, 'reader.html'), 'utf8')).not.toContain('root:');
  }, 60_000);

  it('names the param when a --set value does not fit it, before loading any data', async () => {
    const r = await lab([
      'run',
      join(dir, 'good.md'),
      '--data',
      join(dir, 'missing-folder'),
      '--set',
      'min_conf=2',
      '--out',
      join(dir, 'x.html'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `lab: run: ${join(dir, 'good.md')}: --set min_conf: expected a number between 0 and 1, got 2\n`,
    );
    // 1e999 reads as Infinity: still the notebook and the param, not a stack or a silent clamp.
    const inf = await lab(['run', join(dir, 'good.md'), '--set', 'min_conf=1e999', '--out', join(dir, 'x.html')]);
    expect(inf.code).toBe(1);
    expect(inf.stderr).toBe(`lab: run: ${join(dir, 'good.md')}: --set min_conf: expected a number, got '1e999'\n`);
  }, 60_000);
});
