/**
 * Inline expressions in notebook prose: `${board.entries[strategy=proxy].roc_auc}` stands for a
 * value a cell computed, so the text beside a board never quotes last week's run.
 *
 *   ${CELL.COLUMN}                     a sql cell's result, its first row
 *   ${CELL.PART.COLUMN}                a published result (`board.entries`), its first row
 *   ${CELL.PART[COL=VALUE][...].COLUMN} the first row whose COL reads VALUE (every filter must hold)
 *   ${... | .3}  ${... | %}  ${... | .1%}  fixed decimals, a percentage (0 or N decimals)
 *
 * Safe by construction: an expression is parsed by a regular grammar (names, `[col=value]`
 * filters, one format), never evaluated; it only reads values cells already published, and the
 * text it gives is escaped like any other text where it is shown. A value that is not there yet
 * reads as a visible placeholder, never an error: "(waiting for board)" while the cell has not
 * run or trained, "(no row strategy=gbm in board.entries)" when the filter matches nothing.
 */
import type { PlainValue } from '../db/values.ts';
import { formatValue } from './format-value.ts';

const NAME = '[a-z_][a-z0-9_]*';
/** The whole grammar; a `${...}` that does not match it is left as the text it is. */
const EXPR = new RegExp(
  `^(${NAME})(?:\\.(${NAME}))?((?:\\[${NAME}=[^\\]\\n]*\\])*)\\.(${NAME})(?:\\s*\\|\\s*(\\.\\d|%|\\.\\d%))?$`,
  'i',
);
const FILTER = new RegExp(`\\[(${NAME})=([^\\]\\n]*)\\]`, 'gi');

export interface ProseRef {
  /** The text between `${` and `}`, as written. */
  source: string;
  cell: string;
  /** A published result's part (`entries` of `board.entries`); absent for a sql cell. */
  part?: string;
  filters: { column: string; value: string }[];
  column: string;
  format?: { decimals?: number; percent: boolean };
}

/** The expression inside `${...}`, or null when it is not one (the text then stays as written). */
export function parseProseRef(source: string): ProseRef | null {
  const m = EXPR.exec(source.trim());
  if (!m) return null;
  const [, cell, part, filterText, column, fmt] = m;
  const filters = [...(filterText ?? '').matchAll(FILTER)].map((f) => ({ column: f[1]!, value: f[2]!.trim() }));
  const format = fmt
    ? { percent: fmt.endsWith('%'), ...(fmt.startsWith('.') && { decimals: Number(fmt[1]) }) }
    : undefined;
  return { source, cell: cell!, ...(part && { part }), filters, column: column!, ...(format && { format }) };
}

/** Every `${...}` in `text` that parses, in order (the cells prose depends on). */
export function proseRefs(text: string): ProseRef[] {
  const out: ProseRef[] = [];
  for (const m of text.matchAll(/\$\{([^}\n]{1,300})\}/g)) {
    const ref = parseProseRef(m[1]!);
    if (ref) out.push(ref);
  }
  return out;
}

/** A cell as an expression sees it: whether it has a value yet, and its rows by part. */
export type RefSource =
  | { state: 'missing' }
  | { state: 'waiting' }
  | { state: 'failed' }
  | {
      state: 'done';
      /** The rows of `part` (undefined: the cell's own result, a sql cell's), or null when it has no such part. */
      rows(
        part: string | undefined,
      ): { columns: readonly string[]; rows: readonly Record<string, PlainValue>[] } | null;
      /** Set when the cell's results are empty on purpose (a compare cell not trained yet). */
      waiting?: boolean;
    };

export interface RefText {
  text: string;
  /** `ok`: a value; anything else is a placeholder, styled apart. */
  state: 'ok' | 'waiting' | 'missing';
}

/**
 * The text an expression stands for now. `awaiting` names the cells whose writes wait for the
 * user's Confirm (prose-values.ts awaitingConfirmation): until then a row they would bring (the
 * community labels against the ground truth) is not missing but still to come.
 */
export function resolveProseRef(
  ref: ProseRef,
  lookup: (cell: string) => RefSource,
  awaiting: readonly string[] = [],
): RefText {
  const src = lookup(ref.cell);
  const where = ref.part ? `${ref.cell}.${ref.part}` : ref.cell;
  if (src.state === 'missing') return { text: `(no cell ${ref.cell})`, state: 'missing' };
  if (src.state === 'waiting') return { text: `(waiting for ${ref.cell})`, state: 'waiting' };
  if (src.state === 'failed') return { text: `(${ref.cell} failed)`, state: 'missing' };
  const table = src.rows(ref.part);
  if (!table) return { text: `(no result ${where})`, state: 'missing' };
  if (table.rows.length === 0 && src.waiting) return { text: `(waiting for ${ref.cell})`, state: 'waiting' };
  for (const c of [...ref.filters.map((f) => f.column), ref.column])
    if (!table.columns.includes(c)) return { text: `(no column ${c} in ${where})`, state: 'missing' };
  const row = table.rows.find((r) => ref.filters.every((f) => cellText(r[f.column] ?? null) === f.value));
  if (!row) {
    if (awaiting.length > 0) {
      const cells = `cell${awaiting.length > 1 ? 's' : ''} ${awaiting.join(', ')}`;
      return { text: `(waiting for your confirmation in ${cells})`, state: 'waiting' };
    }
    const filter = ref.filters.map((f) => `${f.column}=${f.value}`).join(', ');
    return { text: filter ? `(no row ${filter} in ${where})` : `(no rows in ${where})`, state: 'missing' };
  }
  return { text: formatRefValue(row[ref.column] ?? null, ref.format), state: 'ok' };
}

/** How a filter compares: the value as plain text (numbers as JavaScript writes them). */
function cellText(v: PlainValue): string {
  if (v === null) return 'null';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

function formatRefValue(v: PlainValue, format: ProseRef['format']): string {
  if (typeof v !== 'number' || !format) return formatValue(v);
  const x = format.percent ? v * 100 : v;
  const text = format.decimals !== undefined ? x.toFixed(format.decimals) : x.toFixed(format.percent ? 0 : 3);
  return format.percent ? `${text}%` : text;
}
