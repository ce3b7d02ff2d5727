/**
 * Every query has a time limit, and a cancel really stops it (issue #14): a recursive CTE
 * without a bound fails its cell after the limit, in the runtime and in `lab run`, and the
 * database stays usable; a sql cell that reads its own name is a cycle, not a DuckDB error.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryInterrupted, rows, scalar, type Database } from '../src/db/database.ts';
import { openNodeDatabase, openNodeRuntime } from '../src/db/node.ts';
import { inlineParams } from '../src/db/query-limits.ts';
import { openNotebook } from '../src/notebook/runtime.ts';
import { alertsSql, parquetOf } from './fixtures/files.ts';

const FOREVER = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
  await db.exec('CREATE TABLE alerts AS SELECT range AS i, range % 7 AS g FROM range(100000)');
});
afterAll(() => db.close());

async function alertCount(): Promise<number> {
  return Number(scalar(await db.query('SELECT count(*) FROM alerts')));
}

describe('Database queries with limits', () => {
  it('stops a query that never ends after its time limit; the tables still answer', async () => {
    const started = performance.now();
    const e = await db.query(FOREVER, undefined, { timeoutMs: 300 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(QueryInterrupted);
    expect((e as QueryInterrupted).reason).toBe('timeout');
    expect((e as Error).message).toBe('query stopped after 0.3 s');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await alertCount()).toBe(100000);
  });

  it('stops a query when its signal aborts, with bound params too', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    const e = await db
      .query(
        'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < $1) SELECT count(*) FROM r',
        [1e15],
        {
          signal: abort.signal,
        },
      )
      .catch((err: unknown) => err);
    expect((e as QueryInterrupted).reason).toBe('cancelled');
    expect(await alertCount()).toBe(100000);
  });

  it('binds params as before when a query has limits', async () => {
    const limits = { timeoutMs: 10_000 };
    const got = rows(
      await db.query(
        "SELECT count(*) AS n, $2 AS s, $3 AS b, $4 AS z, 'a ? in a string' AS q FROM alerts WHERE g = $1 -- and ? here",
        [3, "it's", true, null],
        limits,
      ),
    );
    expect(got).toEqual([{ n: 14286, s: "it's", b: true, z: null, q: 'a ? in a string' }]);
    const positional = rows(await db.query('SELECT ? AS a, ? AS b', [0.5, 'x'], limits));
    expect(positional).toEqual([{ a: 0.5, b: 'x' }]);
    // The same types as a prepared statement binds: a number is a DOUBLE.
    const plain = await db.query('SELECT ? AS a', [42]);
    const stepped = await db.query('SELECT ? AS a', [42], limits);
    expect(String(stepped.schema.fields[0]!.type)).toBe(String(plain.schema.fields[0]!.type));
    expect(inlineParams("SELECT $1, '$1', \"?\", $$?$$, E'\\'?', ?", [1, 'x'])).toBe(
      "SELECT CAST(1 AS DOUBLE), '$1', \"?\", $$?$$, E'\\'?', CAST(1 AS DOUBLE)",
    );
  });

  it('runs queries one after another on a connection while one yields between its steps', async () => {
    const slow = db.query(FOREVER, undefined, { timeoutMs: 300 }).catch((e: unknown) => e);
    const quick = db.query('SELECT 42 AS v');
    expect(rows(await quick)).toEqual([{ v: 42 }]);
    expect(await slow).toBeInstanceOf(QueryInterrupted);
  });

  it('does not start a query whose run was cancelled while it waited; clean-up after a cancel still runs', async () => {
    const slow = db.query(FOREVER, undefined, { timeoutMs: 300 }).catch((e: unknown) => e);
    const abort = new AbortController();
    const queued = db.query('SELECT 1 AS v', undefined, { signal: abort.signal }).catch((e: unknown) => e);
    abort.abort();
    expect((await queued) as QueryInterrupted).toMatchObject({ reason: 'cancelled' });
    expect(await slow).toBeInstanceOf(QueryInterrupted);
    expect(rows(await db.query('SELECT 2 AS v', undefined, { signal: abort.signal }))).toEqual([{ v: 2 }]);
  });
});

describe('notebook cells', () => {
  const NOTEBOOK = (front: string) => `---
title: limits
${front}---

\`\`\`sql r
${FOREVER}
\`\`\`

\`\`\`sql ok
SELECT g, count(*) AS n FROM alerts GROUP BY g
\`\`\`

\`\`\`sql after
SELECT count(*) AS n FROM r
\`\`\`
`;

  it("stops a cell's query after the notebook's query_timeout, naming the cell and the limit; the rest runs", async () => {
    const nb = await openNotebook(NOTEBOOK('query_timeout: 0.5s\n'), { db, file: 'limits.md' });
    await nb.idle();
    expect(nb.cell('r')?.error?.message).toBe(
      "sql r: stopped after 0.5 s (the notebook's query_timeout); the query may not terminate, e.g. a recursive CTE without a bound",
    );
    expect(nb.cell('ok')?.status).toBe('done');
    expect(nb.cell('after')?.error?.upstream).toEqual(['r']);
    expect(await alertCount()).toBe(100000);
    await nb.dispose();
  });

  it('says apart how long a cell ran and how long it waited behind another cell for the connection', async () => {
    const nb = await openNotebook(NOTEBOOK('query_timeout: 0.5s\n'), { db, file: 'limits.md' });
    await nb.idle();
    const r = nb.cell('r')!;
    const ok = nb.cell('ok')!;
    // r held the connection for its 0.5 s; ok's query waited behind it, then ran at once.
    expect(r.waitedMs).toBeLessThan(100);
    expect(ok.waitedMs).toBeGreaterThan(300);
    expect(ok.durationMs! - ok.waitedMs!).toBeLessThan(ok.waitedMs!);
    await nb.dispose();
  });

  it('takes the limit given to the notebook over its front matter', async () => {
    const nb = await openNotebook(NOTEBOOK('query_timeout: 600\n'), {
      db,
      file: 'limits.md',
      queryTimeout: { ms: 200, source: 'lab run --query-timeout' },
    });
    await nb.idle();
    expect(nb.cell('r')?.error?.message).toMatch(/^sql r: stopped after 0\.2 s \(lab run --query-timeout\)/);
    await nb.dispose();
  });

  it('cancels a running cell: its query stops, the cell says so, the data stays', async () => {
    const nb = await openNotebook(NOTEBOOK(''), { db, file: 'limits.md' });
    for (let i = 0; i < 100 && nb.cell('r')?.status !== 'running'; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200));
    expect(nb.cancel('r')).toBe(true);
    await nb.idle();
    expect(nb.cell('r')?.error?.message).toMatch(/^sql r: cancelled: its query was stopped/);
    expect(nb.cell('ok')?.status).toBe('done');
    expect(await alertCount()).toBe(100000);
    // The cell runs again when asked (here it is cancelled again).
    nb.rerun('r');
    await new Promise((r) => setTimeout(r, 100));
    nb.cancel('r');
    await nb.idle();
    expect(nb.cell('r')?.runs).toBe(2);
    await nb.dispose();
  });

  it('refuses a bad query_timeout in the front matter', async () => {
    const nb = await openNotebook(NOTEBOOK('query_timeout: soon\n'), { db, file: 'limits.md' });
    expect(nb.doc.diagnostics.map((d) => d.message).join('\n')).toContain(
      'expected seconds, or a duration like 30s, 500ms or 2min',
    );
    await nb.dispose();
  });

  it('reports a sql cell that reads its own name as a cycle', async () => {
    const nb = await openNotebook(
      '```sql a\nSELECT * FROM a\n```\n\n```sql severity\nWITH severity AS (SELECT g AS severity FROM alerts) SELECT severity FROM severity\n```\n\n' +
        '```sql joined\nSELECT * FROM alerts x, (SELECT 1 AS joined) y, joined j WHERE x.g > 0\n```\n\n' +
        '```sql listed\nSELECT t.g, listed FROM (SELECT g, g AS listed FROM alerts) t, alerts b WHERE b.i = t.g\n```\n',
      { db, file: 'self.md' },
    );
    await nb.idle();
    expect(nb.cell('a')?.error?.message).toMatch(/^sql a reads a, its own name: a cell cannot read itself \(a cycle\)/);
    // In a FROM list after a comma (a comma join) it is read too.
    expect(nb.cell('joined')?.error?.message).toMatch(/^sql joined reads joined, its own name/);
    // Its own name as a column or a CTE of its own is no cycle, after a comma or not.
    expect(nb.cell('severity')?.status).toBe('done');
    expect(nb.cell('listed')?.status).toBe('done');
    await nb.dispose();
  });

  it('reports two sql cells that read each other as a cycle', async () => {
    const nb = await openNotebook('```sql a\nSELECT * FROM b\n```\n\n```sql b\nSELECT * FROM a\n```\n', {
      db,
      file: 'pair.md',
    });
    await nb.idle();
    expect(nb.cell('a')?.error?.message).toMatch(/^circular reference a → b → a/);
    expect(nb.cell('b')?.error?.message).toMatch(/^circular reference/);
    await nb.dispose();
  });
});

describe('lab run --query-timeout', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-timeout-'));
    const rt = await openNodeRuntime();
    writeFileSync(join(dir, 'alerts.parquet'), await parquetOf(rt, alertsSql({ n: 40 })));
    await rt.db.close();
    writeFileSync(
      join(dir, 'forever.md'),
      `---\ntitle: forever\n---\n\n\`\`\`sql r\n${FOREVER}\n\`\`\`\n\n\`\`\`sql kinds\nSELECT typology_type, count(*) AS n FROM alerts GROUP BY 1\n\`\`\`\n`,
    );
  });

  function lab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });
  }

  it('fails the cell after the limit, still writes the report, and exits non-zero', async () => {
    const out = join(dir, 'forever.html');
    const r = await lab(['run', join(dir, 'forever.md'), '--data', dir, '--query-timeout', '1', '--out', out]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'forever.md: sql r failed: sql r: stopped after 1 s (lab run --query-timeout); the query may not terminate, e.g. a recursive CTE without a bound',
    );
    expect(r.stdout).toContain('2 cells, 1 failed');
    expect(existsSync(out)).toBe(true);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('stopped after 1 s');
    expect(html).toMatch(/kinds · 3 rows/);
  }, 60_000);

  it('refuses a --query-timeout it cannot read, and says the limit in its help', async () => {
    const r = await lab(['run', join(dir, 'forever.md'), '--data', dir, '--query-timeout', 'soon', '--out', 'x.html']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('run: --query-timeout soon: expected seconds, or a duration like 30s, 500ms or 2min');
    const help = await lab(['run', '--help']);
    expect(help.stdout).toContain('[--query-timeout S]');
    expect(help.stdout).toContain("the front matter's query_timeout, else 60 s");
  }, 60_000);
});
