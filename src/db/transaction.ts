/**
 * Ending a failed transaction. DuckDB leaves a failed statement's transaction open but aborted,
 * to be rolled back; but where the failure was the COMMIT itself, or DuckDB ran out of memory
 * while committing, there is no transaction left, and a plain ROLLBACK would throw "cannot
 * rollback - no transaction is active" over the error that matters. (Seen at 5M alerts in
 * bench:load-sizes, where that message escaped the load.)
 */
import type { Database } from './database.ts';

export async function rollback(db: Database): Promise<void> {
  try {
    await db.exec('ROLLBACK');
  } catch (e) {
    if (!/no transaction is active/i.test((e as Error).message)) throw e;
  }
}
