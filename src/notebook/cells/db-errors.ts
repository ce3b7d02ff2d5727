/**
 * DuckDB's error messages, placed in the notebook file. DuckDB quotes the statement it ran
 * ("LINE 2: FROM alertz" and a caret), and that statement is the cell's SQL behind the
 * `CREATE TEMP TABLE ... AS` that stores the result; the quote is replaced by the file line,
 * and the rest is kept on one line (it is shown in a cell and printed by the CLI).
 */
export function placeDbError(error: unknown, file: string, bodyLine: number): string {
  const message = error instanceof Error ? error.message : String(error);
  const m = /\n*LINE (\d+):[^\n]*(\n[ \t]*\^)?/.exec(message);
  const text = (m ? message.slice(0, m.index) : message)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  return m ? `${text} (at ${file}:${bodyLine + Number(m[1]) - 1})` : text;
}
