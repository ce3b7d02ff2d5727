/**
 * Property tests (fast-check) on the notebook format (src/notebook/parse.ts and write.ts):
 * - parseNotebook never throws, whatever the text, and write(parse(text)) gives back the same
 *   bytes, so parse -> write -> parse is the same document;
 * - a generated notebook (front matter, prose with fenced blocks and cell-like lines inside
 *   them, sql, params, plot and table cells with unique names, fences of 3 to 5 backticks or
 *   tildes, bodies holding shorter fences) parses to exactly the cells it was written with, with
 *   no diagnostics;
 * - setCellBody and insertCell with any body (fences included) keep every other block as it was
 *   and give the cell exactly that body.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNotebook, RESERVED_NAMES } from '../src/notebook/parse.ts';
import { cellBlocks, type CellKind } from '../src/notebook/types.ts';
import { insertCell, setCellBody, writeNotebook } from '../src/notebook/write.ts';

/** Text whose lines often look like fences, front matter or cell headers. */
const fenceyText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '```',
        '````',
        '~~~',
        '```sql a\n',
        '```sql\n',
        '```params p\n',
        '```plot q\n',
        '```text\n',
        '   ```',
        '    ```',
        '---\n',
        'title: x\n',
        '- name: a\n  input: text\n  value: ""\n',
        '\n',
        '\r\n',
        '\r',
        ' ',
        '`',
        'SELECT 1\n',
        '```sql alerts\n',
        '```sql a b\n',
        '```sql Bad\n',
      ),
      fc.string({ unit: 'binary', maxLength: 8 }),
    ),
    { maxLength: 30 },
  )
  .map((p) => p.join(''));

describe('parse and write', () => {
  it('never throws, and writes back the exact text it parsed', () => {
    fc.assert(
      fc.property(fc.oneof(fenceyText, fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        const doc = parseNotebook(text, { file: 'x.md' });
        const written = writeNotebook(doc);
        expect(written).toBe(text);
        expect(parseNotebook(written, { file: 'x.md' })).toEqual(doc);
        for (const d of doc.diagnostics) expect(d.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });
});

interface GenCell {
  kind: CellKind;
  name: string;
  body: string;
  fence: string;
}
type Unit = { prose: string } | GenCell;

const nameArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/).filter((n) => !RESERVED_NAMES.has(n));

/** A prose line that can never open a fence or front matter: it starts with a letter. */
const proseLine = fc
  .string({ unit: 'grapheme', maxLength: 30 })
  .map((s) => `P${s.replace(/[\r\n\u2028\u2029\u0085]/g, ' ')}`);

/** Prose: lines, blank lines, and fenced blocks that are not cells, holding cell-like lines. */
const proseArb = fc
  .array(
    fc.oneof(
      proseLine.map((l) => `${l}\n`),
      fc.constant('\n'),
      fc
        .record({
          char: fc.constantFrom('`', '~'),
          n: fc.integer({ min: 4, max: 5 }),
          lang: fc.constantFrom('text', 'bash', ''),
        })
        .map(({ char, n, lang }) => {
          const f = char.repeat(n);
          return `${f}${lang}\n\`\`\`sql looks_like_a_cell\nSELECT 1\n\`\`\`\n${f}\n`;
        }),
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((parts) => ({ prose: parts.join('') }));

/** A body line that cannot close `fence`: a shorter run of its character, or text. */
const bodyLine = (fence: string, kind: CellKind) =>
  fc.oneof(
    {
      weight: 3,
      arbitrary:
        kind === 'sql'
          ? fc.constantFrom('SELECT 1 AS one', '-- a ``` comment', "SELECT '~~~' AS t")
          : fc.constant('# note'),
    },
    { weight: 1, arbitrary: fc.constant(fence[0]!.repeat(fence.length - 1)) },
    { weight: 1, arbitrary: fc.constant(`x ${fence}`) },
  );

const BODIES: Record<string, (name: string) => string> = {
  params: (n) => `- name: ${n}_p\n  input: range\n  min: 0\n  max: 1\n  value: 0.5\n`,
  plot: () => 'data: alerts\nmarks:\n  - {type: dot, x: alert_confidence_score}\n',
  table: () => 'data: alerts\n',
};

const cellArb = (name: string): fc.Arbitrary<GenCell> =>
  fc
    .record({
      kind: fc.constantFrom('sql' as const, 'params' as const, 'plot' as const, 'table' as const),
      fence: fc
        .record({ char: fc.constantFrom('`', '~'), n: fc.integer({ min: 3, max: 5 }) })
        .map(({ char, n }) => char.repeat(n)),
    })
    .chain(({ kind, fence }) =>
      (kind === 'sql'
        ? fc.array(bodyLine(fence, kind), { maxLength: 4 }).map((ls) => `SELECT 1\n${ls.map((l) => `${l}\n`).join('')}`)
        : fc
            .array(bodyLine(fence, kind), { maxLength: 3 })
            .map((ls) => `${BODIES[kind]!(name)}${ls.map((l) => `# ${l}\n`).join('')}`)
      ).map((body) => ({ kind, name, body, fence })),
    );

const notebookArb = fc
  .record({
    title: fc.option(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), { nil: undefined }),
    names: fc.uniqueArray(nameArb, { maxLength: 6 }),
    prose: fc.array(proseArb, { minLength: 7, maxLength: 7 }),
    proseAt: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
    finalNewline: fc.boolean(),
  })
  .chain((r) =>
    fc.tuple(...r.names.map((n) => cellArb(n))).map((cells) => {
      const units: Unit[] = [];
      cells.forEach((c, i) => {
        if (r.proseAt[i]) units.push(r.prose[i]!);
        units.push(c);
      });
      if (r.proseAt[6]) units.push(r.prose[6]!);
      return { title: r.title, units, finalNewline: r.finalNewline };
    }),
  );

function writeGenerated(nb: { title?: string; units: Unit[]; finalNewline: boolean }): string {
  let text = nb.title === undefined ? '' : `---\ntitle: ${JSON.stringify(nb.title)}\n---\n`;
  for (const u of nb.units) {
    text += 'prose' in u ? u.prose : `${u.fence}${u.kind} ${u.name}\n${u.body}${u.fence}\n`;
  }
  return nb.finalNewline ? text : text.replace(/\n$/, '');
}

describe('generated notebooks', () => {
  it('parse to the cells they were written with, without diagnostics, and write back the same text', () => {
    fc.assert(
      fc.property(notebookArb, (nb) => {
        const text = writeGenerated(nb);
        const doc = parseNotebook(text, { file: 'gen.md' });
        expect(doc.diagnostics).toEqual([]);
        expect(doc.frontMatter?.data?.title).toBe(nb.title);
        const cells = nb.units.filter((u): u is GenCell => !('prose' in u));
        expect(cellBlocks(doc).map((c) => ({ kind: c.kind, name: c.name, body: c.body }))).toEqual(
          cells.map((c) => ({ kind: c.kind, name: c.name, body: c.body })),
        );
        for (const c of cellBlocks(doc)) expect(c.spec).not.toBeNull();
        // Prose keeps its fenced blocks, cell-like lines inside them included.
        const prose = doc.blocks.flatMap((b) => (b.type === 'prose' ? [b.text] : [])).join('');
        let wantProse = nb.units.flatMap((u) => ('prose' in u ? [u.prose] : [])).join('');
        const last = nb.units[nb.units.length - 1];
        if (!nb.finalNewline && last !== undefined && 'prose' in last) wantProse = wantProse.replace(/\n$/, '');
        expect(prose).toBe(wantProse);
        expect(writeNotebook(doc)).toBe(text);
        expect(parseNotebook(writeNotebook(doc), { file: 'gen.md' })).toEqual(doc);
      }),
      { numRuns: 200 },
    );
  });

  /** Any body: fences of either character and any length, at any indent, CRLF, no final newline. */
  const anyBody = fc
    .array(
      fc.oneof(
        fc.constantFrom('```', '````', '~~~', '~~~~~', '   ```', '```sql x', '```\r', '---', 'SELECT 1', '', ' '),
        fc.string({ unit: 'grapheme', maxLength: 10 }).map((s) => s.replace(/[\r\n]/g, '')),
      ),
      { maxLength: 8 },
    )
    .chain((lines) => fc.boolean().map((end) => lines.join('\n') + (end ? '\n' : '')));

  it('setCellBody gives the cell exactly the new body and leaves every other block as it was', () => {
    fc.assert(
      fc.property(
        notebookArb.filter((nb) => nb.units.some((u) => !('prose' in u))),
        fc.nat(),
        anyBody,
        (nb, at, body) => {
          const doc = parseNotebook(writeGenerated({ ...nb, finalNewline: true }), { file: 'gen.md' });
          const cells = cellBlocks(doc);
          const target = cells[at % cells.length]!;
          const next = setCellBody(doc, target.name, body);
          const want = body === '' || body.endsWith('\n') ? body : `${body}\n`;
          expect(cellBlocks(next).map((c) => c.name)).toEqual(cells.map((c) => c.name));
          for (const c of cellBlocks(next)) {
            const before = cells.find((b) => b.name === c.name)!;
            expect(c.body).toBe(c.name === target.name ? want : before.body);
            expect(c.kind).toBe(before.kind);
          }
          expect(next.blocks.filter((b) => b.type === 'prose').map((b) => (b.type === 'prose' ? b.text : ''))).toEqual(
            doc.blocks.filter((b) => b.type === 'prose').map((b) => (b.type === 'prose' ? b.text : '')),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('insertCell adds exactly one cell with the body given, wherever it goes', () => {
    fc.assert(
      fc.property(notebookArb, nameArb, anyBody, fc.nat(), (nb, name, body, at) => {
        const doc = parseNotebook(writeGenerated(nb), { file: 'gen.md' });
        fc.pre(!cellBlocks(doc).some((c) => c.name === name));
        const ids = doc.blocks.map((b) => (b.type === 'cell' ? b.name : b.id));
        const after = at % (ids.length + 1) === ids.length ? undefined : ids[at % (ids.length + 1)];
        const next = insertCell(doc, { kind: 'sql', name, body }, after);
        const want = body === '' || body.endsWith('\n') ? body : `${body}\n`;
        const added = cellBlocks(next).filter((c) => c.name === name);
        expect(added.map((c) => c.body)).toEqual([want]);
        expect(
          cellBlocks(next)
            .filter((c) => c.name !== name)
            .map((c) => [c.name, c.body]),
        ).toEqual(cellBlocks(doc).map((c) => [c.name, c.body]));
      }),
      { numRuns: 200 },
    );
  });
});
