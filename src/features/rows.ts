/**
 * The rows table: the feature matrix's rows in a fixed order, created once per matrix. Labels of
 * any kind are joined to it and come back by row number, so typed arrays line up with the matrix
 * without alert ids ever passing through JavaScript.
 */

/** The temporary table holding the matrix's rows in order. */
export const ROWS_TABLE = '_ml_rows';

/**
 * Columns of the rows table: row_idx (the matrix row), the alert keys and address, day (the
 * processing date as days since 1970), group_idx (one per alert_id: the split keeps a group
 * together), unit_idx (one per alert_id and processing date: the evaluated alert, whose windows
 * are scored as one) and address_idx (one per address, for splits that keep addresses apart).
 */
export function rowsTableSql(): string {
  return `CREATE OR REPLACE TEMP TABLE ${ROWS_TABLE} AS
SELECT CAST(row_number() OVER (ORDER BY processing_date, alert_id, window_days) - 1 AS INTEGER) AS row_idx,
  alert_id, window_days, processing_date, address,
  CAST(processing_date - DATE '1970-01-01' AS INTEGER) AS day,
  CAST(dense_rank() OVER (ORDER BY alert_id) - 1 AS INTEGER) AS group_idx,
  CAST(dense_rank() OVER (ORDER BY alert_id, processing_date) - 1 AS INTEGER) AS unit_idx,
  CAST(dense_rank() OVER (ORDER BY address) - 1 AS INTEGER) AS address_idx
FROM alerts`;
}

/** Per-row integers the split and evaluation use, in row order. */
export function rowInfoSql(): string {
  return `SELECT day, group_idx, unit_idx, address_idx FROM ${ROWS_TABLE} ORDER BY row_idx`;
}
