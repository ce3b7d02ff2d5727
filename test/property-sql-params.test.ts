/**
 * Property tests (fast-check) on parameter binding: src/notebook/sql-params.ts (bindSql),
 * sql-lexer.ts (scanSql), params.ts (checkParamValue, paramValueFromText) and param-refs.ts.
 * - `$name` references outside strings and comments become `?` (a list, one `?` per element),
 *   and nothing else in the text changes: whatever the values hold (quotes, `$`, `--`, `;`,
 *   newlines), the SQL sent is the template's, never the value, and the bound values are the
 *   inputs, in reference order;
 * - `$name` inside a string literal, quoted name or comment is never a reference;
 * - run through DuckDB, every bound value comes back exactly as given;
 * - scanSql never throws; bindSql throws only an Error naming the problem; a param's value
 *   checks throw only ParamValueError naming the param.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, type Database } from '../src/db/database.ts';
import { openNodeDatabase } from '../src/db/node.ts';
import type { ParamSpec } from '../src/notebook/cell-schemas.ts';
import { paramRefsIn } from '../src/notebook/param-refs.ts';
import { checkParamValue, ParamValueError, paramValueFromText, type ParamValue } from '../src/notebook/params.ts';
import { scanSql } from '../src/db/sql-lexer.ts';
import { bindSql } from '../src/notebook/sql-params.ts';

/** Values built to break a query if spliced: SQL's own punctuation, over-represented. */
const hostileString = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "'",
        '"',
        '$',
        '$$',
        '$a$',
        '--',
        ';',
        '\n',
        '\r\n',
        '/*',
        '*/',
        '?',
        '\\',
        "''",
        ' OR 1=1',
        '\u0000',
      ),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
    ),
    { maxLength: 10 },
  )
  .map((p) => p.join(''));

const nameArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);

type Piece = { text: string } | { ref: string };

/** SQL text around the references: words, literals and comments that mention `$name` themselves. */
const sqlPiece = (names: string[]): fc.Arbitrary<Piece> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...names).map((ref) => ({ ref })) },
    {
      weight: 4,
      arbitrary: fc
        .oneof(
          fc.constantFrom('SELECT', 'x', '=', ',', '(', ')', 'AND', '1', 'list_contains(', 'alerts', '::VARCHAR', '+'),
          fc.constantFrom(...names).map((n) => `'$${n}'`),
          fc.constantFrom(...names).map((n) => `"$${n}"`),
          fc.constantFrom(...names).map((n) => `-- $${n}\n`),
          fc.constantFrom(...names).map((n) => `/* $${n} /* $${n} */ */`),
          fc.constantFrom(...names).map((n) => `$$ $${n} $$`),
          fc.constantFrom(...names).map((n) => `E'\\' $${n}'`),
          hostileString.map((s) => `'${s.replace(/\u0007/g, '').replace(/'/g, "''")}'`),
        )
        .map((text) => ({ text })),
    },
  );

const textSpec = (name: string, value: string): ParamSpec => ({ name, input: 'text', value });

/** A value as bound: it starts with BEL, which no template holds, so any splice would show. */
const MARK = '\u0007';
const markedString = hostileString.map((s) => `${MARK}${s}`);

const boundArb = fc.uniqueArray(nameArb, { minLength: 1, maxLength: 4 }).chain((names) =>
  fc.record({
    pieces: fc.array(sqlPiece(names), { minLength: 1, maxLength: 12 }),
    values: fc.tuple(
      ...names.map((n) =>
        fc.oneof(
          markedString.map((v) => [n, { spec: textSpec(n, v), value: v as ParamValue }] as const),
          fc
            .uniqueArray(markedString, { minLength: 1, maxLength: 4 })
            .chain((options) =>
              fc
                .subarray(options)
                .map(
                  (value) =>
                    [
                      n,
                      { spec: { name: n, input: 'checkbox', options, value } as ParamSpec, value: value as ParamValue },
                    ] as const,
                ),
            ),
        ),
      ),
    ),
  }),
);

describe('bindSql', () => {
  it('replaces each reference with placeholders and nothing else, binding the values in order', () => {
    fc.assert(
      fc.property(boundArb, ({ pieces, values }) => {
        const map = new Map(values);
        const sql = pieces.map((p) => ('ref' in p ? `$${p.ref}` : p.text)).join(' ');
        const placeholder = (name: string) => {
          const v = map.get(name)!.value;
          return Array.isArray(v) ? `([${v.map(() => '?').join(', ')}]::VARCHAR[])` : '?';
        };
        const bound = bindSql(sql, map);
        expect(bound.sql).toBe(pieces.map((p) => ('ref' in p ? placeholder(p.ref) : p.text)).join(' '));
        expect(bound.params).toEqual(
          pieces.flatMap((p) => {
            if (!('ref' in p)) return [];
            const v = map.get(p.ref)!.value;
            return Array.isArray(v) ? v : [v];
          }),
        );
        // Every value starts with MARK and no template holds one: no value, nor any part of one, was spliced.
        expect(bound.sql).not.toContain(MARK);
      }),
      { numRuns: 300 },
    );
  });

  it('scanSql never throws, and bindSql throws only an Error with a message', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc
        .array(
          fc.constantFrom(
            "'",
            '"',
            '$',
            '$a$',
            '$$',
            '--',
            '/*',
            '*/',
            ';',
            '?',
            '$1',
            '$x',
            "E'",
            '\\',
            ' ',
            '\n',
            'a',
          ),
          {
            maxLength: 20,
          },
        )
        .map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, (sql) => {
        const scan = scanSql(sql);
        for (const p of scan.problems) expect(p.message.length).toBeGreaterThan(0);
        try {
          bindSql(sql, new Map([['x', { spec: textSpec('x', ''), value: 'v' }]]), scan);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).constructor).toBe(Error);
          expect((e as Error).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('bound values through DuckDB', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openNodeDatabase();
  });
  afterAll(() => db.close());

  it('come back exactly as given, text and lists alike', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileString.map((s) => s.replace(/\u0000/g, '')),
        fc.array(
          hostileString.map((s) => s.replace(/\u0000/g, '')),
          { maxLength: 4 },
        ),
        async (value, list) => {
          const values = new Map<string, { spec: ParamSpec; value: ParamValue }>([
            ['q', { spec: textSpec('q', value), value }],
            ['l', { spec: { name: 'l', input: 'checkbox', options: ['o', ...list], value: list }, value: list }],
          ]);
          const bound = bindSql("SELECT $q AS v, $l AS l, '$q' AS literal, $q = $q AS same -- $q\n;", values);
          const [r] = rows<{ v: string; l: { toArray(): string[] } | string[]; literal: string; same: boolean }>(
            await db.query(bound.sql, bound.params),
          );
          expect(r!.v).toBe(value);
          expect([...(Array.isArray(r!.l) ? r!.l : r!.l.toArray())]).toEqual(list);
          expect(r!.literal).toBe('$q');
          expect(r!.same).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('param values', () => {
  const specArb: fc.Arbitrary<ParamSpec> = fc.oneof(
    fc.constant({ name: 'r', input: 'range', min: 0, max: 1, step: 0.1, value: 0.5 } as ParamSpec),
    fc.constant({ name: 'n', input: 'number', value: 3 } as ParamSpec),
    fc.constant({ name: 't', input: 'toggle', value: true } as ParamSpec),
    fc.constant({ name: 's', input: 'text', value: '' } as ParamSpec),
    fc.constant({ name: 'sel', input: 'select', options: ['a', 'b'], value: 'a' } as ParamSpec),
    fc.constant({ name: 'sn', input: 'select', options: [0.5, 0.8], value: 0.5 } as ParamSpec),
    fc.constant({ name: 'cb', input: 'checkbox', options: ['x', 'y', 'z'], value: ['x'] } as ParamSpec),
  );

  const expectParamError = (e: unknown, spec: ParamSpec) => {
    expect(e).toBeInstanceOf(ParamValueError);
    expect((e as Error).message).toMatch(new RegExp(`^${spec.name}: .`));
  };

  it('paramValueFromText returns a value the param accepts, or throws ParamValueError naming it', () => {
    fc.assert(
      fc.property(
        specArb,
        fc.oneof(hostileString, fc.constantFrom('0.5', '1e400', 'NaN', 'yes', 'a,b', 'x, y', '')),
        (spec, text) => {
          let value: ParamValue;
          try {
            value = paramValueFromText(spec, text);
          } catch (e) {
            expectParamError(e, spec);
            return;
          }
          expect(checkParamValue(spec, value)).toEqual(value);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('checkParamValue returns the value or throws ParamValueError naming the param, for any value', () => {
    // A bigint is what a BIGINT column of a query result holds: a value a notebook may well pass to nb.set.
    const anyValue = fc.oneof(
      fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true }),
      fc.bigInt().map((b) => [b]),
    );
    fc.assert(
      fc.property(specArb, anyValue, (spec, value) => {
        try {
          expect(checkParamValue(spec, value)).toEqual(value);
        } catch (e) {
          expectParamError(e, spec);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('paramRefsIn finds exactly the whole-string $name values, however deep', () => {
    const leaf = fc.oneof(
      nameArb.map((n) => ({ ref: n })),
      fc
        .oneof(
          hostileString,
          nameArb.map((n) => ` $${n}`),
          nameArb.map((n) => `$${n}$`),
        )
        .map((s) => ({ text: s })),
    );
    const tree = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 3 }), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (t) => {
        const refs = new Set<string>();
        const toValue = (n: unknown): unknown => {
          if (Array.isArray(n)) return n.map(toValue);
          const o = n as Record<string, unknown>;
          if (typeof o.ref === 'string' && Object.keys(o).length === 1) {
            refs.add(o.ref);
            return `$${o.ref}`;
          }
          if (typeof o.text === 'string' && Object.keys(o).length === 1) return o.text;
          return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, toValue(v)]));
        };
        const value = toValue(t);
        const found = paramRefsIn(value);
        // Text that happens to be a whole `$name` is a reference too.
        const all = new Set(refs);
        const walk = (v: unknown): void => {
          if (typeof v === 'string') {
            const m = /^\$([a-z][a-z0-9_]*)$/.exec(v);
            if (m) all.add(m[1]!);
          } else if (Array.isArray(v)) v.forEach(walk);
          else if (v && typeof v === 'object') Object.values(v).forEach(walk);
        };
        walk(value);
        expect([...found].sort()).toEqual([...all].sort());
        for (const r of refs) expect(found.has(r)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
