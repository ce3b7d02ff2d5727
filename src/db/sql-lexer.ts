/**
 * Just enough of DuckDB's SQL lexer to find what a sql cell refers to, without being fooled by
 * text that only looks like a reference; and where a statement's `?` and `$n` placeholders are,
 * for query-limits.ts, which writes bound values in where a query must run in steps.
 *
 * It finds `$name` parameter references and identifiers (the names of other cells) outside
 * string literals ('...', E'...', $$...$$, $tag$...$tag$), quoted identifiers ("...") and
 * comments (line comments, and block comments nested as DuckDB nests them), and the problems
 * that make a cell unsafe or ambiguous to run: more than one statement, `?` or `$1` placeholders (a cell binds
 * its values by name), and unterminated strings or comments.
 */

export interface ParamRef {
  name: string;
  start: number;
  end: number;
}

export interface SqlProblem {
  offset: number;
  message: string;
}

export interface SqlScan {
  params: ParamRef[];
  /**
   * Names that may refer to a table, lowercased (DuckDB resolves names case-insensitively,
   * quoted or not). Left out: names being defined (`AS name`), qualified members (`a.name`)
   * and function calls (`name(`), which are never a cell's result table.
   */
  identifiers: Set<string>;
  /** Offset where a trailing `;` (and whatever whitespace or comments follow it) starts. */
  end: number;
  /**
   * Positional placeholders at [start, end): `?` takes the next value, `$n` the n-th (`index`
   * is 0-based). A sql cell refuses them (see `problems`); bound statements use them.
   */
  placeholders: { start: number; end: number; index: number }[];
  problems: SqlProblem[];
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
/** Parameter names and dollar-quote tags: no `$` inside (it would end a tag). */
const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

export function scanSql(sql: string): SqlScan {
  const params: ParamRef[] = [];
  const placeholders: SqlScan['placeholders'] = [];
  let questionMarks = 0;
  const identifiers = new Set<string>();
  const problems: SqlProblem[] = [];
  let end = sql.length;
  /** Offset of a `;` not yet known to be trailing. */
  let semicolon = -1;
  let i = 0;
  const n = sql.length;
  /** The last significant token: an identifier or keyword (lowercased), or a single character. */
  let previous = '';
  /** Whether a name found at [start, end) can name a table, from what surrounds it. */
  const mayNameTable = (start: number, end: number): boolean => {
    if (previous === 'as' || sql[start - 1] === '.' || previous === '.') return false;
    let k = end;
    while (k < n && /\s/.test(sql[k]!)) k++;
    return sql[k] !== '(';
  };

  /** End of the name starting at `from` (== from when there is none). */
  const nameAt = (from: number, start: RegExp, part: RegExp): number => {
    let j = from;
    if (j < n && start.test(sql[j]!)) {
      j++;
      while (j < n && part.test(sql[j]!)) j++;
    }
    return j;
  };

  /** A '...' literal from the quote at `q`; `backslash` for E'...' strings. Returns the end. */
  const stringAt = (q: number, backslash: boolean): number => {
    let j = q + 1;
    while (j < n) {
      const c = sql[j]!;
      if (backslash && c === '\\') j += 2;
      else if (c === "'" && sql[j + 1] === "'") j += 2;
      else if (c === "'") return j + 1;
      else j++;
    }
    problems.push({ offset: q, message: "this string is never closed: expected a closing quote (')" });
    return n;
  };

  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    const significant = !/\s/.test(c) && !(c === '-' && next === '-') && !(c === '/' && next === '*');
    if (significant && semicolon >= 0 && c !== ';') {
      problems.push({ offset: semicolon, message: 'a sql cell holds one query: expected nothing after this ;' });
      semicolon = -1;
    }

    if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (sql[j] === '/' && sql[j + 1] === '*') (depth++, (j += 2));
        else if (sql[j] === '*' && sql[j + 1] === '/') (depth--, (j += 2));
        else j++;
      }
      if (depth > 0) problems.push({ offset: i, message: 'this comment is never closed: expected */' });
      i = j;
    } else if (c === "'") {
      i = stringAt(i, false);
    } else if ((c === 'E' || c === 'e') && next === "'" && !IDENT_PART.test(sql[i - 1] ?? ' ')) {
      i = stringAt(i + 1, true);
    } else if (c === '"') {
      let j = i + 1;
      let name = '';
      for (;;) {
        if (j >= n) {
          problems.push({
            offset: i,
            message: 'this quoted name is never closed: expected a closing double quote (")',
          });
          break;
        }
        if (sql[j] === '"' && sql[j + 1] === '"') ((name += '"'), (j += 2));
        else if (sql[j] === '"') {
          j++;
          if (mayNameTable(i, j)) identifiers.add(name.toLowerCase());
          break;
        } else name += sql[j++];
      }
      i = j;
    } else if (c === '$') {
      const tagEnd = nameAt(i + 1, WORD_START, WORD_PART);
      if (sql[tagEnd] === '$') {
        // $$...$$ or $tag$...$tag$: a dollar-quoted string.
        const tag = sql.slice(i, tagEnd + 1);
        const close = sql.indexOf(tag, tagEnd + 1);
        if (close < 0) {
          problems.push({ offset: i, message: `this ${tag}-quoted string is never closed: expected ${tag}` });
          i = n;
        } else i = close + tag.length;
      } else if (tagEnd > i + 1) {
        params.push({ name: sql.slice(i + 1, tagEnd), start: i, end: tagEnd });
        i = tagEnd;
      } else if (next !== undefined && DIGIT.test(next)) {
        problems.push({
          offset: i,
          message: 'numbered placeholders ($1) are not used here: expected a parameter name like $min_confidence',
        });
        const numEnd = nameAt(i + 1, DIGIT, DIGIT);
        placeholders.push({ start: i, end: numEnd, index: Number(sql.slice(i + 1, numEnd)) - 1 });
        i = numEnd;
      } else i++;
    } else if (c === '?') {
      placeholders.push({ start: i, end: i + 1, index: questionMarks++ });
      problems.push({
        offset: i,
        message: '? placeholders are not used here: expected a parameter name like $min_confidence',
      });
      i++;
    } else if (c === ';') {
      if (semicolon < 0) semicolon = i;
      i++;
    } else if (IDENT_START.test(c)) {
      const j = nameAt(i, IDENT_START, IDENT_PART);
      const word = sql.slice(i, j).toLowerCase();
      if (mayNameTable(i, j)) identifiers.add(word);
      previous = word;
      i = j;
      continue;
    } else if (DIGIT.test(c)) {
      // A number (1e5, 0.75): its letters are not identifiers.
      i++;
      while (i < n && /[0-9A-Za-z_.]/.test(sql[i]!)) i++;
    } else i++;
    // Whatever was consumed last, if it was not whitespace or a comment, is now the previous token.
    if (significant) previous = c === '.' ? '.' : c;
  }
  if (semicolon >= 0) end = semicolon;
  return { params, identifiers, end, placeholders, problems };
}

/** 1-based line of `offset` within `sql`. */
export function lineInSql(sql: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (sql.charCodeAt(i) === 10) line++;
  return line;
}
