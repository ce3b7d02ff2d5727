import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import { COMMANDS } from '../src/cli/commands.ts';
import { CliError } from '../src/cli/output.ts';
import { alertsSql, parquetOf } from './fixtures/files.ts';

const labels = COMMANDS.find((c) => c.name === 'labels')!;
let dir: string;
/** The SOT files only: --data walks its folder, and label files there would count as stray data. */
let data: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-labels-'));
  data = join(dir, 'data');
  await mkdir(data);
  const rt = await openNodeRuntime();
  await writeFile(join(data, 'alerts.parquet'), await parquetOf(rt, alertsSql()));
  await writeFile(
    join(data, 'ground_truth.parquet'),
    await parquetOf(
      rt,
      `SELECT 'alert-' || i AS alert_id, DATE '2026-01-05' AS processing_date, i % 3 = 0 AS is_illicit FROM range(20) t(i)`,
    ),
  );
  await rt.db.close();
  await writeFile(
    join(dir, 'mine.csv'),
    'alertId,verdict,source,labelled_at\nalert-0,illicit,community,2026-01-10\nalert-1,benign,community,2026-01-10\nalert-3,illicit,validated,2026-01-11\nalert-4,maybe,community,2026-01-11\n',
  );
  await writeFile(join(dir, 'mapping.yaml'), 'columns:\n  label: verdict\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Run `lab labels ...` with stdout and stderr captured. */
async function lab(values: Record<string, unknown>, positionals: string[]) {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await labels.run(values as Parameters<typeof labels.run>[0], positionals);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('lab labels', () => {
  it('import prints the report and writes nothing without confirmation', async () => {
    const r = await lab({ data: [data], file: join(dir, 'mine.csv') }, ['import']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('  label             column verdict (detected)');
    expect(r.out).toContain("mine.csv: column verdict has 1 value that is not a known label spelling: 'maybe' (row 4)");
    expect(r.out).toContain(
      '3 label events to append (3 alert-level, 0 address-level; 2 positive, 1 negative; community 2, validated 1); 1 row refused by errors',
    );
    expect(r.out).toContain('nothing was written (confirm with --yes)');
  });

  it('import --yes --out writes the events, which quality and export take as --labels', async () => {
    const events = join(dir, 'events.parquet');
    const imported = await lab(
      { data: [data], file: join(dir, 'mine.csv'), mapping: join(dir, 'mapping.yaml'), yes: true, out: events },
      ['import'],
    );
    expect(imported.out).toMatch(/appended 3 label events \(batch import:mine\.csv sha256:[0-9a-f]{12}@/);
    expect((await readFile(events)).subarray(0, 4).toString()).toBe('PAR1');

    const quality = await lab({ data: [data], labels: [events] }, ['quality']);
    expect(quality.code).toBe(0);
    expect(quality.err).toContain(`labels: appended 3 label events from ${events} (0 rows refused, 0 left out)`);
    expect(quality.out).toContain('coverage: 20 alert rows (20 alert ids)');
    expect(quality.out).toMatch(/community\s+2\s+10\.0%\s+1\s+1\s+50\.0%/);
    expect(quality.out).toMatch(/community\s+truth\s+2\s+1\s+1\s+0\s+0\s+100\.0%\s+1\.000/);
    expect(quality.out).toContain("Cohen's kappa:");

    const json = await lab({ data: [data], labels: [events], json: true }, ['quality']);
    const parsed = JSON.parse(json.out) as { coverage: { alertRows: number }; agreement: { raters: string[] } };
    expect(parsed.coverage.alertRows).toBe(20);
    expect(parsed.agreement.raters).toEqual(['community', 'validated', 'effective', 'truth']);

    const effective = join(dir, 'effective.parquet');
    const exported = await lab({ data: [data], labels: [events], out: effective, effective: true }, ['export']);
    expect(exported.out).toContain(`wrote the effective labels to ${effective}`);
  });

  it('quality --proxy applies the proxy rule first, so proxy joins the comparison', async () => {
    const r = await lab({ data: [data], proxy: true }, ['quality']);
    expect(r.err).toMatch(/proxy rule severity_confidence: .*: \d+ positive, \d+ negative, \d+ uncertain alert rows/);
    expect(r.out).toMatch(/^proxy\s+[1-9]\d*\s+\d+\.\d%/m);
    expect(r.out).toMatch(/^proxy\s+truth\s+[1-9]\d*\s/m);
  });

  it('says which subcommands exist', async () => {
    await expect(lab({}, ['frobnicate'])).rejects.toThrow(CliError);
    await expect(lab({}, [])).rejects.toThrow(/labels: say import, quality or export/);
  });
});
