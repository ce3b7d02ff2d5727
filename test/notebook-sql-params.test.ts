import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, scalar, type Database } from '../src/db/database.ts';
import { openNodeDatabase } from '../src/db/node.ts';
import type { ParamSpec } from '../src/notebook/cell-schemas.ts';
import type { ParamValue } from '../src/notebook/params.ts';
import { scanSql } from '../src/db/sql-lexer.ts';
import { bindSql } from '../src/notebook/sql-params.ts';

const num = (name: string, value: number): [string, { spec: ParamSpec; value: ParamValue }] => [
  name,
  { spec: { name, input: 'number', value }, value },
];
const text = (name: string, value: string): [string, { spec: ParamSpec; value: ParamValue }] => [
  name,
  { spec: { name, input: 'text', value }, value },
];
const list = (
  name: string,
  options: (string | number)[],
  value: (string | number)[],
): [string, { spec: ParamSpec; value: ParamValue }] => [
  name,
  { spec: { name, input: 'checkbox', options, value }, value },
];

describe('finding references', () => {
  it('finds $params and identifiers outside strings, quoted names and comments', () => {
    const sql = `SELECT a.x, "by_Day".n, 'it''s $not_a_param' AS s, E'\\' $nor_this' AS e, $$ $nor $tag$ this $$ AS d,
      $t$ $still_not $t$ AS t, "$quoted" -- $commented
      /* $block /* $nested */ $still_comment */
      FROM alerts a JOIN By_Severity ON TRUE WHERE x >= $min_confidence AND y = $typ AND z <= $min_confidence`;
    const scan = scanSql(sql);
    expect(scan.problems).toEqual([]);
    expect(scan.params.map((p) => p.name)).toEqual(['min_confidence', 'typ', 'min_confidence']);
    expect(scan.identifiers).toContain('by_day');
    expect(scan.identifiers).toContain('by_severity');
    expect(scan.identifiers).toContain('alerts');
    expect(scan.identifiers).toContain('$quoted');
    expect(scan.identifiers).not.toContain('not_a_param');
    expect(scan.identifiers).not.toContain('commented');
  });

  it('leaves out names being defined, qualified members and function calls', () => {
    const scan = scanSql(
      'WITH c AS (SELECT count(*) AS by_day, t.by_week, "t"."by_month" FROM by_year AS t) SELECT "x" AS "by_hour", sum(n) FROM c',
    );
    expect([...scan.identifiers].sort()).toEqual(['as', 'by_year', 'c', 'from', 'n', 'select', 't', 'with', 'x']);
  });

  it('does not read numbers, casts or identifiers with $ inside as references', () => {
    const scan = scanSql('SELECT 1e5 AS e, x::DOUBLE, a$b FROM t');
    expect(scan.params).toEqual([]);
    expect([...scan.identifiers].sort()).toEqual(['a$b', 'as', 'double', 'from', 'select', 't', 'x']);
  });

  it('allows one trailing semicolon, and comments after it', () => {
    const sql = 'SELECT 1 AS x; -- done\n';
    const scan = scanSql(sql);
    expect(scan.problems).toEqual([]);
    expect(sql.slice(0, scan.end)).toBe('SELECT 1 AS x');
    expect(scanSql('SELECT 1; /* a */ SELECT 2').problems.map((p) => p.offset)).toEqual([8]);
  });

  it('reports what cannot be bound by name or never ends', () => {
    const problems = (sql: string) => scanSql(sql).problems.map((p) => p.message);
    expect(problems('SELECT ?')).toEqual([
      '? placeholders are not used here: expected a parameter name like $min_confidence',
    ]);
    expect(problems('SELECT $1')).toEqual([
      'numbered placeholders ($1) are not used here: expected a parameter name like $min_confidence',
    ]);
    expect(problems('SELECT "abc')).toEqual(['this quoted name is never closed: expected a closing double quote (")']);
    expect(problems('SELECT 1 /* /* */')).toEqual(['this comment is never closed: expected */']);
    expect(problems('SELECT $x$ abc')).toEqual(['this $x$-quoted string is never closed: expected $x$']);
  });
});

describe('binding', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openNodeDatabase();
    await db.exec(
      `CREATE TABLE alerts AS SELECT * FROM (VALUES ('a1', 'PEEL_CHAIN', 0.95), ('a2', 'STRUCTURING', 0.65), ('a3', 'PING_PONG', 0.8)) t(alert_id, typology_type, conf)`,
    );
  });
  afterAll(() => db.close());

  it('replaces $name with ? and binds values in order, a repeated param each time', () => {
    const b = bindSql(
      'SELECT * FROM alerts WHERE conf >= $min AND conf < $max OR conf = $min;',
      new Map([num('min', 0.7), num('max', 0.9)]),
    );
    expect(b).toEqual({
      sql: 'SELECT * FROM alerts WHERE conf >= ? AND conf < ? OR conf = ?',
      params: [0.7, 0.9, 0.7],
    });
  });

  it('binds a checkbox group as a typed list, one placeholder per element (and an empty list)', async () => {
    const sql = 'SELECT alert_id FROM alerts WHERE list_contains($types, typology_type) ORDER BY 1';
    const b = bindSql(
      sql,
      new Map([list('types', ['PEEL_CHAIN', 'STRUCTURING', 'PING_PONG'], ['PEEL_CHAIN', 'PING_PONG'])]),
    );
    expect(b.sql).toBe(
      'SELECT alert_id FROM alerts WHERE list_contains(([?, ?]::VARCHAR[]), typology_type) ORDER BY 1',
    );
    expect(rows(await db.query(b.sql, b.params)).map((r) => r.alert_id)).toEqual(['a1', 'a3']);

    const none = bindSql(sql, new Map([list('types', ['PEEL_CHAIN'], [])]));
    expect(none).toEqual({
      sql: 'SELECT alert_id FROM alerts WHERE list_contains(([]::VARCHAR[]), typology_type) ORDER BY 1',
      params: [],
    });
    expect(rows(await db.query(none.sql, none.params))).toEqual([]);

    const numbers = bindSql(
      'SELECT count(*) FROM alerts WHERE conf = ANY($levels)',
      new Map([list('levels', [0.95, 0.8, 0.65], [0.95, 0.8])]),
    );
    expect(numbers.sql).toContain('([?, ?]::DOUBLE[])');
    expect(Number(scalar(await db.query(numbers.sql, numbers.params)))).toBe(2);
  });

  it('keeps an injection attempt a value: it is compared, never run', async () => {
    const attack = "x' OR '1'='1'; DROP TABLE alerts; --";
    const b = bindSql(
      'SELECT count(*) AS n, any_value($q) AS echoed FROM alerts WHERE alert_id = $q',
      new Map([text('q', attack)]),
    );
    expect(b.sql).not.toContain('DROP');
    const [r] = rows<{ n: number; echoed: string | null }>(await db.query(b.sql, b.params));
    expect(r!.n).toBe(0);
    expect(Number(scalar(await db.query('SELECT count(*) FROM alerts')))).toBe(3);

    const quoted = bindSql("SELECT $q AS v, '$q' AS literal", new Map([text('q', 'a\'b"c$$d')]));
    expect(rows(await db.query(quoted.sql, quoted.params))).toEqual([{ v: 'a\'b"c$$d', literal: '$q' }]);
  });

  it('refuses an unknown parameter and SQL with problems', () => {
    expect(() => bindSql('SELECT $nope', new Map())).toThrow('unknown parameter $nope');
    expect(() => bindSql('SELECT 1; SELECT 2', new Map())).toThrow('a sql cell holds one query');
  });
});
