/**
 * Labels and quality cells: a labels cell imports a data file through the host's NotebookFiles
 * (once: a second opening finds the first import), publishes its report for tables, and a quality
 * cell that follows it reports coverage and agreement including those labels. Opened as the app
 * opens it (`writes: 'on-confirm'`), neither writes anything until confirmed. Bad bodies fail
 * with the field and what was expected.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import type { NotebookFiles } from '../src/notebook/cells/context.ts';
import type { LabelsResult } from '../src/notebook/cells/labels-import.ts';
import type { QualityResult } from '../src/notebook/cells/quality.ts';
import type { TableResult } from '../src/notebook/cells/table.ts';
import { parseNotebook } from '../src/notebook/parse.ts';
import { labelsCellLines, qualityCellLines } from '../src/notebook/labels-text.ts';
import { openNotebook } from '../src/notebook/runtime.ts';
import { memFile } from './fixtures/files.ts';
import { alertsLab } from './ingest-fixtures.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

const LABELS_CSV = `alert_id,label,label_source,labeled_by
alert-1,1,community,community:ann
alert-2,0,community,community:ann
alert-3,1,validated,validated:v1
alert-99,1,community,community:ann
`;

function files(changed: number[] = []): NotebookFiles {
  return {
    runtime: rt,
    read: async (path) => {
      if (path !== 'labels/set.csv') throw new Error(`${path}: not found in the notebook's data`);
      return memFile('data/labels/set.csv', LABELS_CSV);
    },
    labelsChanged: async (events) => void changed.push(events),
  };
}

const NOTEBOOK = `\`\`\`labels community
file: labels/set.csv
unknown_targets: keep
\`\`\`

\`\`\`table issues
data: community.issues
\`\`\`

\`\`\`quality quality
after: [community]
\`\`\`

\`\`\`table coverage
data: quality.coverage
\`\`\`
`;

describe('labels and quality cells', () => {
  it('import once, report, and measure quality after the import', async () => {
    await alertsLab(rt);
    const changed: number[] = [];
    const nb = await openNotebook(parseNotebook(NOTEBOOK, { file: 'nb.md' }), {
      db: rt.db,
      files: files(changed),
      writes: 'on-run',
    });
    await nb.idle();
    const labels = nb.cell('community')!.value as LabelsResult;
    expect(labels.report.accepted).toBe(4);
    expect(labels.appended?.events).toBe(4);
    expect(labelsCellLines(labels).join(' ')).toMatch(/a headless run \(lab run\) imports as it runs/);
    expect(changed).toEqual([4]);
    expect((nb.cell('issues')!.value as TableResult).total).toBe(labels.report.issues.length);
    const quality = nb.cell('quality')!.value as QualityResult;
    const community = quality.report.coverage.raters.find((r) => r.rater === 'community')!;
    expect(community).toMatchObject({ positive: 1, negative: 1 });
    expect((nb.cell('coverage')!.value as TableResult).total).toBe(quality.report.coverage.raters.length);
    await nb.dispose();

    // Opened again on the same database (a reload in the app keeps the event log): nothing appended.
    const again = await openNotebook(parseNotebook(NOTEBOOK, { file: 'nb.md' }), {
      db: rt.db,
      files: files(changed),
      writes: 'on-run',
    });
    await again.idle();
    const second = again.cell('community')!.value as LabelsResult;
    expect(second.appended).toBeNull();
    expect(second.earlier?.events).toBe(4);
    expect(second.pending).toBe(0);
    expect(labelsCellLines(second).join(' ')).toMatch(
      /already imported on \d{4}-\d\d-\d\d \d\d:\d\d UTC as batch import:set\.csv sha256:/,
    );
    expect(changed).toEqual([4]);
    const n = rows<{ n: number }>(await rt.db.query('SELECT count(*) AS n FROM label_events'))[0]!.n;
    expect(Number(n)).toBe(4);
    await again.dispose();
  });

  it('opened as the app opens it, writes no labels and no label columns until confirmed', async () => {
    await alertsLab(rt);
    const changed: number[] = [];
    const count = async (sql: string) => Number(rows<{ n: number }>(await rt.db.query(sql))[0]!.n);
    const body = NOTEBOOK.replace('after: [community]', 'after: [community]\napply_proxy_rule: true');
    const nb = await openNotebook(parseNotebook(body, { file: 'nb.md' }), { db: rt.db, files: files(changed) });
    await nb.idle();
    const checked = nb.cell('community')!.value as LabelsResult;
    expect(checked).toMatchObject({ appended: null, earlier: null, pending: 4, writes: 'on-confirm' });
    expect(labelsCellLines(checked).join(' ')).toMatch(/Nothing written yet: confirming appends 4 label events/);
    const quality = nb.cell('quality')!.value as QualityResult;
    expect(quality.proxyRule?.state).toBe('pending');
    expect(qualityCellLines(quality).join(' ')).toMatch(/The proxy rule is not applied yet/);
    expect(await count('SELECT count(*) AS n FROM label_events')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM raw_alerts WHERE label_source IS NOT NULL')).toBe(0);
    expect(changed).toEqual([]);

    // Confirm: the import appends once, and the quality cell after it sees the labels.
    nb.confirm('community');
    await nb.idle();
    const imported = nb.cell('community')!.value as LabelsResult;
    expect(imported.appended?.events).toBe(4);
    expect(labelsCellLines(imported).join(' ')).toMatch(/as confirmed/);
    expect(changed).toEqual([4]);
    expect(await count('SELECT count(*) AS n FROM label_events')).toBe(4);
    expect(await count('SELECT count(*) AS n FROM raw_alerts WHERE label_source IS NOT NULL')).toBe(0);

    // The proxy rule is written only on its own Confirm; then the cell says it is applied.
    nb.confirm('quality');
    await nb.idle();
    expect((nb.cell('quality')!.value as QualityResult).proxyRule?.state).toBe('written');
    const applied = await count("SELECT count(*) AS n FROM raw_alerts WHERE label_source = 'proxy'");
    expect(applied).toBeGreaterThan(0);
    nb.rerun('quality');
    await nb.idle();
    expect((nb.cell('quality')!.value as QualityResult).proxyRule).toMatchObject({
      state: 'applied',
      preview: { applied },
    });
    // A rerun of the labels cell checks again and finds the confirmed import.
    nb.rerun('community');
    await nb.idle();
    expect(nb.cell('community')!.value).toMatchObject({ appended: null, pending: 0, earlier: { events: 4 } });
    expect(() => nb.confirm('issues')).toThrow(/no cell issues that writes labels: expected one of community, quality/);
    await nb.dispose();
  });

  it('fails a labels cell without file access, or whose file is missing, naming the file', async () => {
    await alertsLab(rt);
    const noFiles = await openNotebook(parseNotebook(NOTEBOOK, { file: 'nb.md' }), { db: rt.db });
    await noFiles.idle();
    expect(noFiles.cell('community')!.error?.message).toMatch(
      /without access to data files, so labels\/set\.csv cannot be read/,
    );
    expect(noFiles.cell('quality')!.error?.message).toMatch(/depends on failed cell community/);
    await noFiles.dispose();

    const missing = await openNotebook(
      parseNotebook(NOTEBOOK.replace('labels/set.csv', 'labels/other.csv'), { file: 'nb.md' }),
      { db: rt.db, files: files() },
    );
    await missing.idle();
    expect(missing.cell('community')!.error?.message).toMatch(/labels\/other\.csv: not found/);
    await missing.dispose();
  });

  it('refuses a path outside the data folder and an `after` that is not a labels cell', async () => {
    const bad = parseNotebook('```labels up\nfile: ../secrets.csv\n```\n\n```quality q\nafter: [nothing]\n```\n', {
      file: 'bad.md',
    });
    const messages = bad.diagnostics.map((d) => d.message).join('\n');
    expect(messages).toMatch(/file: expected a path inside the data folder/);
    await alertsLab(rt);
    const nb = await openNotebook(parseNotebook('```quality q\nafter: [nothing]\n```\n', { file: 'q.md' }), {
      db: rt.db,
    });
    await nb.idle();
    expect(nb.cell('q')!.error?.message).toMatch(/after: nothing is not a labels cell of this notebook/);
    await nb.dispose();
  });
});
