/**
 * The proxy cell: the label rule with its fields bound to params, evaluated on the label cube and
 * published as in-memory results that plot and table cells draw. Checks the dependency order, that
 * a param move re-evaluates without touching the database (the cube is built once, rebuilt by a
 * rerun), that invalid rules fail in the cell naming the field and its param, that bad result
 * names are refused at parse time, and that counts match the SQL rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, type Database } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { parseConfig } from '../src/labels/config.ts';
import { proxyCountsQuery } from '../src/labels/proxy-sql.ts';
import type { ProxyResult } from '../src/notebook/cells/proxy.ts';
import { PROXY_PARTS } from '../src/notebook/cells/proxy-results.ts';
import { parseNotebook } from '../src/notebook/parse.ts';
import { renderReport } from '../src/notebook/report.ts';
import { openNotebook, type CellState, type Notebook } from '../src/notebook/runtime.ts';
import { headlessDocument } from '../src/node/headless-dom.ts';
import type { Lab } from '../src/sot/lab.ts';
import { labWith, randomAlertsSql, truthSql } from './labels-fixtures.ts';

let rt: Runtime;
let lab: Lab;
const ALERTS = randomAlertsSql(3000, 11);

beforeAll(async () => {
  rt = await openNodeRuntime();
  lab = await labWith(rt, ALERTS, { truthSql: truthSql(ALERTS, 11) });
});
afterAll(() => rt.db.close());

/** A database that counts its statements and the cube builds among them. */
function counting(db: Database) {
  const seen = { statements: 0, cubeBuilds: 0 };
  const wrapped: Database = {
    runtime: db.runtime,
    query(sql, params) {
      seen.statements++;
      if (/^CREATE OR REPLACE TEMP TABLE _label_cube AS/.test(sql)) seen.cubeBuilds++;
      return db.query(sql, params);
    },
    exec(sql, params) {
      return wrapped.query(sql, params).then(() => undefined);
    },
    registerFile: (n, b) => db.registerFile(n, b),
    dropFile: (n) => db.dropFile(n),
    insertIPC: (n, b, o) => db.insertIPC(n, b, o),
    connect: () => db.connect(),
    close: () => db.close(),
  };
  return { db: wrapped, seen };
}

/** Plot and table first, params last: the order of the file is not the order of the runs. */
const NOTEBOOK = `---
title: Proxy cell test
---

\`\`\`plot by_severity_plot
data: labels.by_severity
marks:
  - {type: barX, x: alerts, y: severity, fill: label}
\`\`\`

\`\`\`table rules
data: labels.rule_stats
columns: [rule, votes, coverage]
\`\`\`

\`\`\`plot sweep_plot
data: labels.sweep
marks:
  - {type: rect, x1: x1, x2: x2, y1: y1, y2: y2, fill: value, fx: metric}
  - {type: dot, data: labels.sweep_marker, x: max_confidence, y: min_confidence, fx: metric}
\`\`\`

\`\`\`proxy labels
positive_severities: $pos
min_confidence: $min_conf
negative_severities: $neg
max_confidence: $max_conf
uncertain: keep
\`\`\`

\`\`\`params knobs
- {name: min_conf, input: range, min: 0, max: 1, step: 0.01, value: 0.7}
- {name: max_conf, input: range, min: 0, max: 1, step: 0.01, value: 0.3}
- {name: pos, input: checkbox, options: [low, medium, high, critical, info], value: [high, critical]}
- {name: neg, input: checkbox, options: [low, medium, high, critical, info], value: [low, medium]}
\`\`\`
`;

const state = (nb: Notebook, id: string): CellState => nb.cell(id)!;
const proxyValue = (nb: Notebook): ProxyResult => {
  const v = state(nb, 'labels').value;
  if (v?.kind !== 'proxy')
    throw new Error(`labels is ${state(nb, 'labels').status}: ${state(nb, 'labels').error?.message}`);
  return v;
};

/** Label counts of the SQL rule, rescanning the alerts: what the cube must reproduce. */
async function sqlCounts(db: Database, config: ReturnType<typeof parseConfig>): Promise<Record<string, number>> {
  const q = proxyCountsQuery(config);
  const out: Record<string, number> = { positive: 0, negative: 0, uncertain: 0 };
  for (const r of rows<{ label: number | null; n: number }>(await db.query(q.sql, q.params))) {
    out[r.label === 1 ? 'positive' : r.label === 0 ? 'negative' : 'uncertain'] = Number(r.n);
  }
  return out;
}

describe('proxy cells', () => {
  it('run before the plots and tables that draw their results, which read them from memory', async () => {
    const t = counting(lab.db);
    const nb = await openNotebook(NOTEBOOK, { db: t.db, file: 'proxy.md', document: headlessDocument() });
    await nb.idle();
    expect(nb.cells.map((c) => [c.id, c.status])).toEqual([
      ['by_severity_plot', 'done'],
      ['rules', 'done'],
      ['sweep_plot', 'done'],
      ['labels', 'done'],
      ['knobs', 'done'],
    ]);
    const v = proxyValue(nb);
    expect(v.results.map((r) => r.name).sort()).toEqual(PROXY_PARTS.map((p) => `labels.${p}`).sort());
    expect(v.config).toEqual(parseConfig({ uncertain: 'keep' }));
    expect(v.bindings).toEqual({
      positive_severities: 'pos',
      min_confidence: 'min_conf',
      negative_severities: 'neg',
      max_confidence: 'max_conf',
    });
    const table = state(nb, 'rules').value;
    expect(table).toMatchObject({
      kind: 'table',
      source: 'labels.rule_stats',
      total: 2,
      columns: [{ name: 'rule' }, { name: 'votes' }, { name: 'coverage' }],
    });
    const plot = state(nb, 'by_severity_plot').value;
    expect(plot?.kind === 'plot' && plot.figure?.querySelectorAll('rect').length).toBeGreaterThan(0);
    // Nothing named after a result went into the database.
    const temp = rows<{ n: string }>(
      await lab.db.query(`SELECT table_name AS n FROM duckdb_tables() WHERE temporary`),
    ).map((r) => r.n);
    expect(temp.filter((n) => n.startsWith('labels'))).toEqual([]);
    expect(t.seen.cubeBuilds).toBe(1);
    await nb.dispose();
  });

  it('re-evaluate on a param move without a database statement, and agree with the SQL rule', async () => {
    const t = counting(lab.db);
    const nb = await openNotebook(NOTEBOOK, { db: t.db, file: 'proxy.md', document: headlessDocument() });
    await nb.idle();
    const before = proxyValue(nb);
    const runs = {
      labels: state(nb, 'labels').runs,
      plot: state(nb, 'sweep_plot').runs,
      table: state(nb, 'rules').runs,
    };
    const statements = t.seen.statements;

    nb.set('min_conf', 0.95);
    await nb.idle();
    const after = proxyValue(nb);
    expect(t.seen.statements).toBe(statements);
    expect(t.seen.cubeBuilds).toBe(1);
    expect(state(nb, 'labels').runs).toBe(runs.labels + 1);
    expect(state(nb, 'sweep_plot').runs).toBe(runs.plot + 1);
    expect(state(nb, 'rules').runs).toBe(runs.table + 1);
    expect(after.summary.positive).toBeLessThan(before.summary.positive);
    // The sweep grid does not depend on the thresholds: the same rows, only the marker moves.
    const part = (v: ProxyResult, p: string) => v.results.find((r) => r.name === `labels.${p}`)!;
    expect(part(after, 'sweep')).toBe(part(before, 'sweep'));
    expect(part(after, 'sweep_marker').rows[0]).toMatchObject({ min_confidence: 0.95, max_confidence: 0.3 });

    for (const config of [
      after.config,
      parseConfig({
        positive: { severities: ['critical'], min_confidence: 0.42 },
        negative: { severities: [], max_confidence: 0.61 },
        uncertain: 'keep',
      }),
    ]) {
      nb.set('min_conf', config.positive.min_confidence);
      nb.set('max_conf', config.negative.max_confidence);
      nb.set('pos', config.positive.severities);
      nb.set('neg', config.negative.severities);
      await nb.idle();
      const s = proxyValue(nb).summary;
      expect({ positive: s.positive, negative: s.negative, uncertain: s.uncertain }).toEqual(
        await sqlCounts(lab.db, config),
      );
    }
    await nb.dispose();
  });

  it('fail with the field and its param when the rule is invalid, and recover', async () => {
    const nb = await openNotebook(NOTEBOOK, { db: lab.db, file: 'proxy.md' });
    await nb.idle();
    nb.set('neg', ['low', 'high']);
    await nb.idle();
    expect(state(nb, 'labels')).toMatchObject({
      status: 'error',
      error: {
        message:
          "negative_severities ($neg = [low, high]): severity 'high' is in both positive.severities and negative.severities",
      },
    });
    expect(state(nb, 'sweep_plot')).toMatchObject({
      status: 'error',
      error: { message: 'depends on failed cell labels', upstream: ['labels'] },
    });
    nb.set('neg', ['low']);
    await nb.idle();
    expect(state(nb, 'labels').status).toBe('done');
    expect(state(nb, 'sweep_plot').status).toBe('done');

    nb.set('pos', []);
    await nb.idle();
    expect(state(nb, 'labels').error?.message).toBe('positive_severities ($pos = []): must name at least one severity');
    await nb.dispose();
  });

  it('rebuild the cube when the notebook is rerun (the data changed), and not otherwise', async () => {
    const t = counting(lab.db);
    const nb = await openNotebook(NOTEBOOK, { db: t.db, file: 'proxy.md' });
    await nb.idle();
    nb.rerun('rules');
    await nb.idle();
    expect(t.seen.cubeBuilds).toBe(1);
    nb.rerun();
    await nb.idle();
    expect(t.seen.cubeBuilds).toBe(2);
    nb.rerun('labels');
    await nb.idle();
    expect(t.seen.cubeBuilds).toBe(3);
    expect(state(nb, 'sweep_plot').status).toBe('done');
    await nb.dispose();
  });

  /** Cells naming results a proxy cell does not publish: an unknown part, the cell itself, another cell. */
  const BAD_REFS = `

\`\`\`table a
data: labels.counts_by_magic
\`\`\`

\`\`\`table b
data: labels
\`\`\`

\`\`\`plot c
data: nolabels.summary
marks: [{type: dot, x: alerts}]
\`\`\`
`;

  it('are checked when the file is read: fields, result names, a proxy cell used as a table', () => {
    const doc = parseNotebook(
      `\`\`\`proxy labels
min_confidence: 1.5
severities: [high]
\`\`\`${BAD_REFS}`,
      { file: 'bad.md' },
    );
    expect(doc.diagnostics.map((d) => `${d.line}: ${d.message}`)).toEqual([
      '2: proxy cell labels: min_confidence: expected at most 1, got number 1.5',
      "3: proxy cell labels: unknown key 'severities'",
    ]);
  });

  it('report dependents that name a missing result', async () => {
    const nb = await openNotebook(
      `\`\`\`proxy labels
min_confidence: 0.8
\`\`\`${BAD_REFS}`,
      { db: lab.db, file: 'refs.md' },
    );
    await nb.idle();
    const parts = PROXY_PARTS.map((p) => `labels.${p}`).join(', ');
    expect(state(nb, 'a').error?.message).toBe(
      `data labels.counts_by_magic: a proxy cell has no result counts_by_magic: expected one of ${parts}`,
    );
    expect(state(nb, 'b').error?.message).toBe(`data labels is a proxy cell: expected one of its results, ${parts}`);
    expect(state(nb, 'c').error?.message).toBe(
      'data nolabels.summary: nolabels is not a proxy cell of this notebook: expected a result of labels',
    );
    expect(state(nb, 'labels').status).toBe('done');
    await nb.dispose();
  });

  it('render in the headless report: counts, agreement with the truth, warnings', async () => {
    const document = headlessDocument();
    const nb = await openNotebook(NOTEBOOK, { db: lab.db, file: 'proxy.md', document });
    await nb.idle();
    const html = renderReport(nb, { document });
    const v = proxyValue(nb);
    const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(html).toContain(escaped(v.signature));
    expect(html).toContain(`<th>positive</th><td class="num">${v.summary.positive.toLocaleString('en-US')}</td>`);
    expect(html).toMatch(/Against ground truth \([\d,]+ alerts labelled by both/);
    expect(v.warnings.length).toBeGreaterThan(0);
    for (const w of v.warnings) expect(html).toContain(escaped(w.message));
    await nb.dispose();
  });
});
