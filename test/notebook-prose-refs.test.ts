/**
 * Inline expressions in prose: parsed by a fixed grammar (never evaluated), resolved from the
 * cells' published values, escaped where rendered, and a visible placeholder when a value is not
 * there; inside a code span, or without a resolver, the text stays as written.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/notebook/markdown.ts';
import { parseProseRef, proseRefs, resolveProseRef, type RefSource } from '../src/notebook/prose-refs.ts';
import { awaitingConfirmation } from '../src/notebook/prose-values.ts';
import type { CellState } from '../src/notebook/runtime.ts';

const ENTRIES = {
  columns: ['strategy', 'roc_auc', 'note'],
  rows: [
    { strategy: 'proxy', roc_auc: 0.58312, note: '<b>x</b>' },
    { strategy: 'rule', roc_auc: 0.546, note: null },
  ],
};

function lookup(cell: string): RefSource {
  if (cell === 'board') return { state: 'done', rows: (part) => (part === 'entries' ? ENTRIES : null) };
  if (cell === 'untrained') return { state: 'done', waiting: true, rows: () => ({ columns: ['roc_auc'], rows: [] }) };
  if (cell === 'later') return { state: 'waiting' };
  if (cell === 'broken') return { state: 'failed' };
  if (cell === 'counts')
    return { state: 'done', rows: (part) => (part ? null : { columns: ['n'], rows: [{ n: 12345 }] }) };
  return { state: 'missing' };
}

const text = (source: string) => resolveProseRef(parseProseRef(source)!, lookup);

describe('prose inline expressions', () => {
  it('parses the grammar and nothing else', () => {
    expect(parseProseRef('board.entries[strategy=proxy].roc_auc | .3')).toEqual({
      source: 'board.entries[strategy=proxy].roc_auc | .3',
      cell: 'board',
      part: 'entries',
      filters: [{ column: 'strategy', value: 'proxy' }],
      column: 'roc_auc',
      format: { percent: false, decimals: 3 },
    });
    expect(parseProseRef('counts.n')).toMatchObject({ cell: 'counts', column: 'n', filters: [] });
    expect(parseProseRef('counts.n')?.part).toBeUndefined();
    for (const bad of ['alert(1)', 'board.entries[0].x', 'a', 'a.b.c.d', 'board.entries[strategy=proxy]', 'x.y | eval'])
      expect(parseProseRef(bad), bad).toBeNull();
    expect(proseRefs('A ${board.entries.roc_auc} and ${not an expression} and ${counts.n}').map((r) => r.cell)).toEqual(
      ['board', 'counts'],
    );
  });

  it('resolves values, formats them, and says what is missing', () => {
    expect(text('board.entries[strategy=proxy].roc_auc')).toEqual({ text: '0.58312', state: 'ok' });
    expect(text('board.entries[strategy=rule].roc_auc | .2')).toEqual({ text: '0.55', state: 'ok' });
    expect(text('board.entries.roc_auc | %')).toEqual({ text: '58%', state: 'ok' });
    expect(text('board.entries.roc_auc | .1%')).toEqual({ text: '58.3%', state: 'ok' });
    expect(text('counts.n')).toEqual({ text: '12,345', state: 'ok' });
    expect(text('untrained.entries.roc_auc')).toEqual({ text: '(waiting for untrained)', state: 'waiting' });
    expect(text('later.x.y')).toEqual({ text: '(waiting for later)', state: 'waiting' });
    expect(text('broken.x.y')).toEqual({ text: '(broken failed)', state: 'missing' });
    expect(text('nothing.x.y')).toEqual({ text: '(no cell nothing)', state: 'missing' });
    expect(text('board.entries[strategy=gbm].roc_auc').text).toBe('(no row strategy=gbm in board.entries)');
    // While a labels cell's import waits for Confirm, a row it would bring is still to come.
    const ref = parseProseRef('board.entries[strategy=gbm].roc_auc')!;
    expect(resolveProseRef(ref, lookup, ['community'])).toEqual({
      text: '(waiting for your confirmation in cell community)',
      state: 'waiting',
    });
    // A row that is there reads as ever.
    expect(resolveProseRef(parseProseRef('board.entries[strategy=rule].roc_auc')!, lookup, ['community'])).toEqual({
      text: '0.546',
      state: 'ok',
    });
    expect(text('board.entries.brier').text).toBe('(no column brier in board.entries)');
    expect(text('board.roc.fpr').text).toBe('(no result board.roc)');
  });

  it('renders values escaped, placeholders visibly, code spans and resolver-less text as written', () => {
    const html = renderMarkdown(
      'Proxy **${board.entries[strategy=proxy].roc_auc | .3}**, note ${board.entries.note}, `${board.entries.note}`, ${later.x.y}.',
      undefined,
      (ref) => resolveProseRef(ref, lookup),
    );
    expect(html).toContain(
      '<strong><span class="nb-ref" data-ref="board.entries[strategy=proxy].roc_auc | .3" data-state="ok">0.583</span></strong>',
    );
    expect(html).toContain('data-state="ok">&lt;b&gt;x&lt;/b&gt;</span>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('<code>${board.entries.note}</code>');
    expect(html).toContain('data-state="waiting">(waiting for later)</span>');
    expect(renderMarkdown('Plain ${board.entries.roc_auc}.')).toBe('<p>Plain ${board.entries.roc_auc}.</p>\n');
  });

  it('names the cells whose writes wait for Confirm, and no others', () => {
    const labels = (id: string, pending: number, appended: boolean): CellState =>
      ({
        id,
        kind: 'labels',
        line: 1,
        status: 'done',
        runs: 1,
        value: { kind: 'labels', pending, appended: appended ? { events: pending, batchId: 1 } : null },
      }) as unknown as CellState;
    const quality = (id: string, rule: 'pending' | 'applied' | undefined): CellState =>
      ({
        id,
        kind: 'quality',
        line: 1,
        status: 'done',
        runs: 1,
        value: { kind: 'quality', ...(rule && { proxyRule: { state: rule } }) },
      }) as unknown as CellState;
    expect(
      awaitingConfirmation([
        labels('community', 500, false),
        labels('validated', 0, false),
        labels('imported', 12, true),
        { id: 'md-1', kind: 'markdown', line: 1, status: 'done', value: { kind: 'markdown', text: 'x' }, runs: 1 },
        { ...labels('rerunning', 7, false), status: 'running' },
        quality('quality', 'pending'),
        quality('quality_applied', 'applied'),
        quality('quality_no_rule', undefined),
      ]),
    ).toEqual(['community', 'quality']);
  });
});
