import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, scalar, type Database, type SqlValue } from '../src/db/database.ts';
import { openNodeDatabase } from '../src/db/node.ts';
import { openNotebook, type CellState, type Notebook } from '../src/notebook/runtime.ts';

let base: Database;
beforeAll(async () => {
  base = await openNodeDatabase();
  await base.exec(`CREATE TABLE alerts AS
    SELECT 'a' || i AS alert_id, ['PEEL_CHAIN', 'STRUCTURING', 'PING_PONG'][1 + i % 3] AS typology_type, (i % 100) / 100.0 AS conf
    FROM range(300) t(i)`);
});
afterAll(() => base.close());

/** A database that logs the result tables it creates and can hold a statement until released. */
function instrumented(db: Database) {
  const created: { name: string; params: readonly SqlValue[] }[] = [];
  const gates: { name: string; params: readonly SqlValue[]; release: () => void }[] = [];
  let hold: string | undefined;
  const wrapped: Database = {
    runtime: db.runtime,
    async query(sql, params) {
      const m = /^CREATE OR REPLACE TEMP TABLE "([^"]+)"/.exec(sql);
      if (m) {
        created.push({ name: m[1]!, params: params ?? [] });
        if (m[1] === hold)
          await new Promise<void>((release) => gates.push({ name: m[1]!, params: params ?? [], release }));
      }
      return db.query(sql, params);
    },
    async exec(sql, params) {
      await wrapped.query(sql, params);
    },
    registerFile: (n, b) => db.registerFile(n, b),
    dropFile: (n) => db.dropFile(n),
    insertIPC: (n, b, o) => db.insertIPC(n, b, o),
    connect: () => db.connect(),
    close: () => db.close(),
  };
  return {
    db: wrapped,
    created,
    gates,
    holdResult(name: string | undefined) {
      hold = name;
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error('timed out');
}

const state = (nb: Notebook, id: string): CellState => nb.cell(id)!;
const sqlRows = (s: CellState) => (s.value?.kind === 'sql' ? rows(s.value.preview) : undefined);

const NOTEBOOK = `---
title: Runtime test
---

\`\`\`params knobs
- {name: min_conf, input: range, min: 0, max: 1, step: 0.01, value: 0.5}
- {name: types, input: checkbox, options: [PEEL_CHAIN, STRUCTURING, PING_PONG], value: [PEEL_CHAIN, STRUCTURING]}
- {name: limit, input: number, value: 10}
\`\`\`

\`\`\`table top_table
data: top
\`\`\`

\`\`\`sql top
SELECT * FROM filtered ORDER BY conf DESC LIMIT $limit
\`\`\`

\`\`\`sql filtered
SELECT * FROM alerts WHERE conf >= $min_conf AND list_contains($types, typology_type)
\`\`\`

\`\`\`sql counts
SELECT typology_type, count(*) AS n FROM filtered GROUP BY 1 ORDER BY 1
\`\`\`

\`\`\`plot counts_plot
data: counts
marks:
  - {type: barY, x: typology_type, y: n}
  - {type: ruleY, y: $min_conf}
\`\`\`

\`\`\`sql unrelated
SELECT count(*) AS n FROM alerts
\`\`\`
`;

describe('running a notebook', () => {
  it('runs cells in dependency order, whatever their order in the file', async () => {
    const t = instrumented(base);
    const nb = await openNotebook(NOTEBOOK, { db: t.db, file: 'rt.md' });
    await nb.idle();
    const order = t.created.map((c) => c.name);
    expect(order.indexOf('filtered')).toBeLessThan(order.indexOf('top'));
    expect(order.indexOf('filtered')).toBeLessThan(order.indexOf('counts'));
    expect(nb.cells.map((c) => [c.id, c.status])).toEqual([
      ['knobs', 'done'],
      ['top_table', 'done'],
      ['top', 'done'],
      ['filtered', 'done'],
      ['counts', 'done'],
      ['counts_plot', 'done'],
      ['unrelated', 'done'],
    ]);
    const filtered = state(nb, 'filtered').value;
    expect(filtered).toMatchObject({ kind: 'sql', rowCount: 100, bound: [0.5, 'PEEL_CHAIN', 'STRUCTURING'] });
    expect(state(nb, 'top_table').value).toMatchObject({ kind: 'table', total: 10, source: 'top' });
    expect(state(nb, 'counts_plot').value).toMatchObject({
      kind: 'plot',
      spec: { marks: [{ type: 'barY' }, { type: 'ruleY', y: 0.5 }] },
    });
    expect(state(nb, 'knobs').value).toEqual({
      kind: 'params',
      values: { min_conf: 0.5, types: ['PEEL_CHAIN', 'STRUCTURING'], limit: 10 },
    });
    // Later cells (and the app's SQL console) read results by the cell's name.
    expect(Number(scalar(await base.query('SELECT count(*) FROM filtered')))).toBe(100);
    await nb.dispose();
  });

  it('re-runs only what depends on a changed param', async () => {
    const nb = await openNotebook(NOTEBOOK, { db: base });
    await nb.idle();
    const runs = () => Object.fromEntries(nb.cells.map((c) => [c.id, c.runs]));
    expect(runs()).toEqual({ knobs: 1, top_table: 1, top: 1, filtered: 1, counts: 1, counts_plot: 1, unrelated: 1 });

    nb.set('limit', 3);
    await nb.idle();
    expect(runs()).toEqual({ knobs: 2, top_table: 2, top: 2, filtered: 1, counts: 1, counts_plot: 1, unrelated: 1 });
    expect(state(nb, 'top_table').value).toMatchObject({ total: 3 });

    nb.set('min_conf', 0.9);
    await nb.idle();
    expect(runs()).toEqual({ knobs: 3, top_table: 3, top: 3, filtered: 2, counts: 2, counts_plot: 2, unrelated: 1 });
    expect(sqlRows(state(nb, 'counts'))).toEqual([
      { typology_type: 'PEEL_CHAIN', n: 10 },
      { typology_type: 'STRUCTURING', n: 10 },
    ]);
    await nb.dispose();
  });

  it('re-runs an edited cell and its dependents only', async () => {
    const nb = await openNotebook(NOTEBOOK, { db: base });
    await nb.idle();
    nb.editCell('counts', 'SELECT typology_type, count(*) AS n, max(conf) AS top FROM filtered GROUP BY 1 ORDER BY 1');
    await nb.idle();
    expect(Object.fromEntries(nb.cells.map((c) => [c.id, c.runs]))).toEqual({
      knobs: 1,
      top_table: 1,
      top: 1,
      filtered: 1,
      counts: 2,
      counts_plot: 2,
      unrelated: 1,
    });
    expect(sqlRows(state(nb, 'counts'))![0]).toEqual({ typology_type: 'PEEL_CHAIN', n: 50, top: 0.99 });
    await nb.dispose();
  });

  it('binds initial param values and checks values set later', async () => {
    const nb = await openNotebook(NOTEBOOK, { db: base, params: { types: ['PING_PONG'], min_conf: 0.95 } });
    await nb.idle();
    expect(sqlRows(state(nb, 'counts'))).toEqual([{ typology_type: 'PING_PONG', n: 5 }]);
    expect(() => nb.set('min_conf', 2)).toThrow('min_conf: expected a number between 0 and 1, got 2');
    expect(() => nb.set('types', ['MIXER'])).toThrow(
      'types: expected one of "PEEL_CHAIN", "STRUCTURING", "PING_PONG", got "MIXER"',
    );
    expect(() => nb.set('nope', 1)).toThrow('no param named nope');
    await nb.dispose();
  });
});

describe('stale runs', () => {
  // Released at once: the stale run ends before the runtime's next frame sees the change.
  // Released later: the runtime has already started the new version when the old one ends.
  for (const releaseAfterFrames of [false, true]) {
    it(`never shows the result of a run whose param changed while it ran (${releaseAfterFrames ? 'released later' : 'released at once'})`, async () => {
      const t = instrumented(base);
      t.holdResult('filtered');
      const nb = await openNotebook(NOTEBOOK, { db: t.db });
      const shown: CellState[] = [];
      nb.on('cell', (s) => {
        if (s.status !== 'running') shown.push(s);
      });
      await until(() => t.gates.length === 1);
      expect(t.gates[0]!.params).toEqual([0.5, 'PEEL_CHAIN', 'STRUCTURING']);

      // Two quick moves while the first query is still in the database.
      nb.set('min_conf', 0.7);
      nb.set('min_conf', 0.9);
      t.holdResult(undefined);
      if (releaseAfterFrames) await new Promise((r) => setTimeout(r, 30));
      t.gates[0]!.release();
      await nb.idle();

      // The stale query did run to completion (it cannot be interrupted) ...
      expect(t.created.filter((c) => c.name === 'filtered').map((c) => c.params[0])).toEqual([0.5, 0.9]);
      // ... but neither it nor anything downstream of it was shown, not even as an error.
      expect(shown.filter((s) => s.status === 'error')).toEqual([]);
      const shownFiltered = shown
        .filter((s) => s.id === 'filtered')
        .map((s) => (s.value?.kind === 'sql' ? s.value.bound[0] : undefined));
      expect(shownFiltered).toEqual([0.9]);
      expect(shown.filter((s) => s.id === 'counts')).toHaveLength(1);
      expect(
        shown
          .filter((s) => s.id === 'counts_plot')
          .map((s) => (s.value?.kind === 'plot' ? s.value.spec.marks[1]!.y : undefined)),
      ).toEqual([0.9]);
      expect(state(nb, 'filtered').value).toMatchObject({ rowCount: 20, bound: [0.9, 'PEEL_CHAIN', 'STRUCTURING'] });
      expect(Number(scalar(await base.query('SELECT count(*) FROM filtered')))).toBe(20);
      await nb.dispose();
    });
  }
});

describe('errors', () => {
  const BROKEN = `\`\`\`sql good
SELECT 1 AS x
\`\`\`

\`\`\`sql bad
SELECT x,
  nope
FROM good
\`\`\`

\`\`\`sql downstream
SELECT * FROM bad
\`\`\`

\`\`\`table downstream_table
data: downstream
\`\`\`

\`\`\`plot broken_spec
data: good
marks:
  - {type: dot, x: x, y: missing_column}
\`\`\`

\`\`\`table bad_body
data: [unclosed
\`\`\`

\`\`\`table typo
data: gooood
\`\`\`
`;

  it('keeps each error in its cell and tells dependents which cell failed', async () => {
    const nb = await openNotebook(BROKEN, { db: base, file: 'broken.md' });
    await nb.idle();
    const summary = Object.fromEntries(nb.cells.map((c) => [c.id, c.status === 'error' ? c.error!.message : c.status]));
    expect(summary).toEqual({
      good: 'done',
      bad: expect.stringMatching(
        /^Binder Error: Referenced column "nope" not found in FROM clause!.* \(at broken\.md:7\)$/,
      ),
      downstream: 'depends on failed cell bad',
      downstream_table: 'depends on failed cell bad',
      broken_spec: "mark 1 (dot): y: no column 'missing_column' in good: expected one of x",
      bad_body: expect.stringMatching(/^broken\.md:26: table cell bad_body: invalid YAML/),
      typo: 'data gooood is not a sql cell of this notebook: expected one of good, bad, downstream',
    });
    expect(nb.cell('downstream_table')!.error!.upstream).toEqual(['bad']);
    expect(nb.cell('bad')!.error!.upstream).toBeUndefined();

    // Fixing the cell clears its dependents too.
    nb.editCell('bad', 'SELECT x, x + 1 AS y FROM good');
    await nb.idle();
    expect(nb.cells.filter((c) => c.status === 'error').map((c) => c.id)).toEqual(['broken_spec', 'bad_body', 'typo']);
    expect(sqlRows(nb.cell('downstream')!)).toEqual([{ x: 1, y: 2 }]);
    await nb.dispose();
  });

  it('reports unknown params, circular references and names that would hide SOT tables', async () => {
    const nb = await openNotebook(
      `\`\`\`sql a\nSELECT * FROM b WHERE $missing\n\`\`\`\n\n\`\`\`sql b\nSELECT * FROM c\n\`\`\`\n\n\`\`\`sql c\nSELECT * FROM b\n\`\`\`\n\n\`\`\`sql src\nSELECT 1\n\`\`\`\n`,
      { db: base },
    );
    await base.exec('CREATE TABLE src AS SELECT 1 AS x');
    await nb.idle();
    expect(Object.fromEntries(nb.cells.map((c) => [c.id, c.error?.message]))).toEqual({
      a: 'unknown parameter $missing: expected a params cell that declares it',
      b: 'circular reference b → c → b: expected sql cells to read each other in one direction only',
      c: 'circular reference b → c → b: expected sql cells to read each other in one direction only',
      src: 'the name src is taken by the table src: rename the cell (its result table would hide the table)',
    });
    await nb.dispose();
    await base.exec('DROP TABLE src');
  });
});

describe('lifecycle', () => {
  it('drops its result tables when disposed, and two open notebooks cannot share a name', async () => {
    const one = await openNotebook('```sql shared\nSELECT 1 AS x\n```\n', { db: base });
    await one.idle();
    const two = await openNotebook('```sql shared\nSELECT 2 AS x\n```\n', { db: base });
    await two.idle();
    expect(two.cell('shared')!.error!.message).toBe(
      'the result name shared is in use by another open notebook: expected a name of its own',
    );
    expect(rows(await base.query('SELECT x FROM shared'))).toEqual([{ x: 1 }]);
    await one.dispose();
    await two.dispose();
    expect(
      rows(await base.query("SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name = 'shared'")),
    ).toEqual([]);
  });

  it('takes a whole new text and re-runs only what changed', async () => {
    const text =
      '```params p\n- {name: n, input: number, value: 1}\n```\n\n```sql a\nSELECT $n AS v\n```\n\n```sql b\nSELECT 2 AS w\n```\n';
    const nb = await openNotebook(text, { db: base });
    await nb.idle();
    nb.set('n', 5);
    await nb.idle();
    nb.setSource(text.replace('SELECT 2 AS w', 'SELECT 3 AS w') + '\nMore prose.\n');
    await nb.idle();
    expect(nb.cells.map((c) => [c.id, c.runs])).toEqual([
      ['p', 2],
      ['a', 2],
      ['b', 2],
      ['md-3', 1],
    ]);
    // The param kept the value it was set to: its declaration did not change.
    expect(nb.params).toEqual({ n: 5 });
    nb.setSource(text.replace('value: 1', 'value: 7'));
    await nb.idle();
    expect(nb.params).toEqual({ n: 7 });
    expect(sqlRows(nb.cell('a')!)).toEqual([{ v: 7 }]);
    await nb.dispose();
  });
});
