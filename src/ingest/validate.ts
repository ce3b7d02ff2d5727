/**
 * The validation report for a labels file, computed in SQL against the loaded alerts before
 * anything is written.
 *
 * Every row gets a flag per check in a TEMP table (`checked`), with `accepted` marking the rows a
 * commit would append; the report counts each flag, quotes up to five offending values with their
 * rows, and names the file and column, as the SOT loader's messages do. Errors reject rows (the
 * rest can still be imported); warnings only inform, or say which rows a rule left out.
 *
 * Decisions (also in docs/labelling-guideline.md):
 * - a conflict is one alert (or address) with label 1 and label 0 from the SAME source in one
 *   file; two sources disagreeing is not an error but what the agreement matrix measures; the
 *   mapping's on_conflict resolves it (mapping.ts, CONFLICT_POLICIES);
 * - a duplicate repeats another row's target, source, label, labeller and labeled_at (the same
 *   label recorded twice): only the later row is imported. The same labeller giving the same
 *   label at another time is history, not a duplicate;
 * - a labeled_at more than a day ahead of the import is refused: it would stay "newest" and win
 *   over every later label of its source;
 * - labels for alerts (or addresses) that are not loaded are refused by default, since a typo'd
 *   id would otherwise vanish silently; `unknownTargets: 'keep'` imports them for later loads.
 */
import { ident, rows, type Database, type SqlValue } from '../db/database.ts';
import { ALERTS_TABLE } from '../migrations/index.ts';
import {
  DEFAULT_NEGATIVE,
  DEFAULT_POSITIVE,
  IMPORT_SOURCES,
  type ConflictPolicy,
  type ResolvedMapping,
  type TargetField,
} from './mapping.ts';

export type IssueCode =
  | 'unreadable'
  | 'empty-file'
  | 'no-target'
  | 'label-empty'
  | 'label-unknown'
  | 'source-proxy'
  | 'source-unknown'
  | 'confidence-unreadable'
  | 'confidence-range'
  | 'labeled-at-unreadable'
  | 'labeled-at-future'
  | 'labeled-at-missing'
  | 'unknown-alert'
  | 'unknown-address'
  | 'address-mismatch'
  | 'duplicate'
  | 'conflict';

export interface ImportIssue {
  level: 'error' | 'warning';
  code: IssueCode;
  file: string;
  /** The file's column the issue is about, when there is one. */
  column?: string;
  /** How many rows it concerns. */
  rows: number;
  /** The first offending rows (1-based record numbers) and what they hold, up to five. */
  examples: { row: number; value: string }[];
  /** A complete sentence that names the file, the column and the first row. */
  message: string;
}

export type UnknownTargets = 'reject' | 'keep';

export interface CheckInput {
  file: string;
  /** The normalised rows table (normalise.ts). */
  rowsTable: string;
  /** The TEMP table to create, with the flags and `accepted`. */
  table: string;
  resolved: ResolvedMapping;
  unknownTargets: UnknownTargets;
  /** Labels after this instant (ISO) count as "in the future". */
  futureAfter: string;
  /** The labeled_at rows without one got, for the message. */
  defaultLabeledAt: string;
}

export interface CheckCounts {
  issues: ImportIssue[];
  accepted: number;
  rejected: number;
  /** Rows without an error that a rule left out (duplicates, resolved conflicts). */
  dropped: number;
}

/** Conditions per check, over the `flagged` rows; `valid` is the absence of every error. */
function flagsSql(input: CheckInput, bind: (v: SqlValue) => string): string {
  const futureAfter = bind(input.futureAfter);
  return `
    r.scope IS NULL AS f_no_target,
    r.label IS NULL AND r.label_text IS NULL AS f_label_empty,
    r.label IS NULL AND r.label_text IS NOT NULL AS f_label_unknown,
    r.source_text = 'proxy' AS f_source_proxy,
    r.source_text IS NOT NULL AND r.source_text <> 'proxy' AND r.label_source IS NULL AS f_source_unknown,
    r.confidence_text IS NOT NULL AND r.label_confidence IS NULL AS f_confidence_unreadable,
    r.label_confidence IS NOT NULL AND (isnan(r.label_confidence) OR r.label_confidence < 0 OR r.label_confidence > 1) AS f_confidence_range,
    r.labeled_at_text IS NOT NULL AND r.labeled_at IS NULL AS f_labeled_at_unreadable,
    coalesce(r.labeled_at > CAST(${futureAfter} AS TIMESTAMP), false) AS f_labeled_at_future,
    r.labeled_at_text IS NULL AS f_labeled_at_missing,
    r.scope = 'alert' AND ka.alert_id IS NULL AS f_unknown_alert,
    r.scope = 'address' AND kd.address IS NULL AS f_unknown_address,
    coalesce(r.scope = 'alert' AND r.address IS NOT NULL AND ka.address IS NOT NULL AND ka.address <> r.address, false) AS f_address_mismatch`;
}

const ROW_ERRORS = [
  'f_no_target',
  'f_label_empty',
  'f_label_unknown',
  'f_source_proxy',
  'f_source_unknown',
  'f_confidence_unreadable',
  'f_confidence_range',
  'f_labeled_at_unreadable',
  'f_labeled_at_future',
];

/** Build the checked table: every row with its flags, conflict groups and `accepted`. */
async function buildChecked(db: Database, input: CheckInput, policy: ConflictPolicy): Promise<void> {
  const params: SqlValue[] = [];
  const bind = (v: SqlValue) => {
    params.push(v);
    return `$${params.length}`;
  };
  const unknownRejects = input.unknownTargets === 'reject';
  const valid = [...ROW_ERRORS, ...(unknownRejects ? ['f_unknown_alert', 'f_unknown_address'] : [])]
    .map((f) => `coalesce(${f}, false)`)
    .join(' OR ');
  const target = `coalesce(alert_id, address)`;
  const policyParam = `CAST(${bind(policy)} AS VARCHAR)`;
  const group = `scope, ${target}, label_source`;
  await db.exec(
    `CREATE TEMP TABLE ${ident(input.table)} AS
    WITH known_alerts AS (
      SELECT alert_id, min(address) AS address FROM ${ALERTS_TABLE} GROUP BY alert_id
    ),
    known_addresses AS (SELECT DISTINCT address FROM ${ALERTS_TABLE}),
    flagged AS (
      SELECT r.*, ${flagsSql(input, bind)}
      FROM ${ident(input.rowsTable)} AS r
      LEFT JOIN known_alerts AS ka ON r.scope = 'alert' AND ka.alert_id = r.alert_id
      LEFT JOIN known_addresses AS kd ON r.scope = 'address' AND kd.address = r.address
    ),
    validated AS (SELECT *, NOT (${valid}) AS valid FROM flagged),
    grouped AS (
      SELECT *,
        -- Groups are formed among valid rows only: a row already refused cannot conflict.
        CASE WHEN valid THEN min(label) OVER (PARTITION BY valid, ${group}) <> max(label) OVER (PARTITION BY valid, ${group}) ELSE false END AS f_conflict,
        CASE WHEN valid THEN row_number() OVER (PARTITION BY valid, ${group} ORDER BY labeled_at DESC, source_row DESC) END AS newest_in_group,
        CASE WHEN valid THEN row_number() OVER (PARTITION BY valid, ${group}, label, labeled_by, labeled_at ORDER BY source_row DESC) END AS newest_of_same
      FROM validated
    )
    SELECT *,
      (NOT f_conflict OR ${policyParam} = 'keep-all') AND coalesce(newest_of_same > 1, false) AS f_duplicate,
      CASE
        WHEN NOT valid THEN false
        WHEN f_conflict AND ${policyParam} = 'keep-all' THEN newest_of_same = 1
        WHEN f_conflict THEN ${policyParam} = 'keep-newest' AND newest_in_group = 1
        ELSE newest_of_same = 1
      END AS accepted,
      NOT valid OR (f_conflict AND ${policyParam} = 'error') AS rejected
    FROM grouped
    ORDER BY source_row`,
    params,
  );
}

interface Check {
  code: IssueCode;
  flag: string;
  level: 'error' | 'warning';
  /** The field whose column the issue names. */
  field: TargetField;
  /** SQL for the value quoted in examples. */
  value: string;
  message: (c: { n: number; first: number; shown: string; column: string; keys: number }) => string;
}

const s = (n: number) => (n === 1 ? '' : 's');
const quoteList = (list: string[]) => list.map((x) => `'${x}'`).join(', ');

function checks(input: CheckInput, policy: ConflictPolicy, loadedAlerts: number): Check[] {
  const f = input.file;
  const cols = input.resolved.columns;
  const { positive, negative } = input.resolved.mapping.labels;
  const spellingHint =
    positive.join() === DEFAULT_POSITIVE.join() && negative.join() === DEFAULT_NEGATIVE.join()
      ? `known spellings: positive ${quoteList(positive.slice(0, 8))}..., negative ${quoteList(negative.slice(0, 8))}...; add others under labels.positive / labels.negative in the mapping`
      : `the mapping's spellings are positive ${quoteList(positive)} and negative ${quoteList(negative)}`;
  const keep = input.unknownTargets === 'keep';
  const unknownTail = keep
    ? 'imported anyway (they take effect once those alerts are loaded)'
    : 'those rows are not imported (pass unknown targets as "keep" to import them for later loads)';
  return [
    {
      code: 'no-target',
      flag: 'f_no_target',
      level: 'error',
      field: cols.alert_id ? 'alert_id' : 'address',
      value: `'(empty)'`,
      message: ({ n, first }) =>
        `${f}: ${n} row${s(n)} name${n === 1 ? 's' : ''} neither an alert (${cols.alert_id ? `column ${cols.alert_id}` : 'no alert_id column'}) nor an address (${cols.address ? `column ${cols.address}` : 'no address column'}), so ${n === 1 ? 'it labels' : 'they label'} nothing (first at row ${first})`,
    },
    {
      code: 'label-empty',
      flag: 'f_label_empty',
      level: 'error',
      field: 'label',
      value: `'(empty)'`,
      message: ({ n, first, column }) =>
        `${f}: column ${column} is empty in ${n} row${s(n)} (first at row ${first}): a label must be 1 or 0`,
    },
    {
      code: 'label-unknown',
      flag: 'f_label_unknown',
      level: 'error',
      field: 'label',
      value: 'label_text',
      message: ({ n, first, column, shown }) =>
        `${f}: column ${column} has ${n} value${s(n)} that ${n === 1 ? 'is' : 'are'} not a known label spelling: ${shown}; ${spellingHint}`,
    },
    {
      code: 'source-proxy',
      flag: 'f_source_proxy',
      level: 'error',
      field: 'label_source',
      value: 'source_text',
      message: ({ n, first, column }) =>
        `${f}: column ${column} says 'proxy' in ${n} row${s(n)} (first at row ${first}): proxy labels come from the proxy rule and cannot be imported; use ${IMPORT_SOURCES.join(', ')}`,
    },
    {
      code: 'source-unknown',
      flag: 'f_source_unknown',
      level: 'error',
      field: 'label_source',
      value: 'source_text',
      message: ({ n, first, column, shown }) =>
        `${f}: column ${column} has ${n} value${s(n)} that ${n === 1 ? 'is' : 'are'} not a label source: ${shown}; expected ${IMPORT_SOURCES.join(', ')}, or map other spellings under sources in the mapping`,
    },
    {
      code: 'confidence-unreadable',
      flag: 'f_confidence_unreadable',
      level: 'error',
      field: 'label_confidence',
      value: 'confidence_text',
      message: ({ n, first, column, shown }) =>
        `${f}: column ${column} has ${n} value${s(n)} that cannot be read as a number: ${shown}; give a confidence between 0 and 1`,
    },
    {
      code: 'confidence-range',
      flag: 'f_confidence_range',
      level: 'error',
      field: 'label_confidence',
      value: 'confidence_text',
      message: ({ n, first, column, shown }) =>
        `${f}: column ${column} has ${n} value${s(n)} outside 0..1: ${shown}; a confidence is a share, so 90% is written 0.9`,
    },
    {
      code: 'labeled-at-unreadable',
      flag: 'f_labeled_at_unreadable',
      level: 'error',
      field: 'labeled_at',
      value: 'labeled_at_text',
      message: ({ n, first, column, shown }) =>
        `${f}: column ${column} has ${n} value${s(n)} that cannot be read as a date-time: ${shown}; write ISO 8601, e.g. 2026-02-01T12:00:00Z`,
    },
    {
      code: 'labeled-at-future',
      flag: 'f_labeled_at_future',
      level: 'error',
      field: 'labeled_at',
      value: 'coalesce(labeled_at_text, CAST(labeled_at AS VARCHAR))',
      message: ({ n, first, column, shown }) =>
        `${f}: column ${column} has ${n} value${s(n)} in the future (after ${input.futureAfter}): ${shown}; a future labeled_at would stay the newest label of its source and win over every later one`,
    },
    {
      code: 'labeled-at-missing',
      flag: 'f_labeled_at_missing AND valid',
      level: 'warning',
      field: 'labeled_at',
      value: `'(empty)'`,
      message: ({ n, first, column }) =>
        `${f}: column ${column} is empty in ${n} row${s(n)} (first at row ${first}); ${n === 1 ? 'it gets' : 'they get'} labeled_at ${input.defaultLabeledAt}`,
    },
    {
      code: 'unknown-alert',
      flag: 'f_unknown_alert',
      level: keep ? 'warning' : 'error',
      field: 'alert_id',
      value: 'alert_id',
      message: ({ n, first, column, shown }) =>
        `${f}: column ${column} has ${n} alert id${s(n)} that ${n === 1 ? 'is' : 'are'} not among the ${loadedAlerts} loaded alerts: ${shown}; ${unknownTail}`,
    },
    {
      code: 'unknown-address',
      flag: 'f_unknown_address',
      level: keep ? 'warning' : 'error',
      field: 'address',
      value: 'address',
      message: ({ n, first, column, shown }) =>
        `${f}: column ${column} has ${n} address${n === 1 ? '' : 'es'} with no loaded alert: ${shown}; ${unknownTail}`,
    },
    {
      code: 'address-mismatch',
      flag: 'f_address_mismatch AND valid',
      level: 'warning',
      field: 'address',
      value: `alert_id || ' has ' || address`,
      message: ({ n, first, column, shown }) =>
        `${f}: column ${column} disagrees with the loaded alert's address in ${n} row${s(n)}: ${shown}; the alert_id decides what is labelled, the address is kept as written`,
    },
    {
      code: 'duplicate',
      flag: 'f_duplicate',
      level: 'warning',
      field: cols.alert_id ? 'alert_id' : 'address',
      value: `coalesce(alert_id, address)`,
      message: ({ n, first, shown }) =>
        `${f}: ${n} row${s(n)} repeat${n === 1 ? 's' : ''} the target, label_source, label, labeled_by and labeled_at of another row: ${shown}; only one of each is imported`,
    },
    {
      code: 'conflict',
      flag: 'f_conflict',
      level: policy === 'error' ? 'error' : 'warning',
      field: 'label',
      value: `coalesce(alert_id, address) || ' = ' || label || ' (' || label_source || ')'`,
      message: ({ n, first, shown, keys }) => {
        const head = `${f}: ${keys} alert${keys === 1 ? '' : 's'} or address${keys === 1 ? '' : 'es'} ha${keys === 1 ? 's' : 've'} both label 1 and label 0 from the same source (${n} rows): ${shown}`;
        if (policy === 'keep-newest')
          return `${head}; resolved by keeping the newest label of each (by labeled_at, then the later row)`;
        if (policy === 'drop') return `${head}; resolved by importing none of them`;
        if (policy === 'keep-all') return `${head}; all are imported as a history, and the newest of each takes effect`;
        return `${head}; none of them is imported: fix the file, or choose on_conflict keep-newest, drop or keep-all in the mapping`;
      },
    },
  ];
}

/** Build the checked table and report on it. */
export async function checkRows(db: Database, input: CheckInput): Promise<CheckCounts> {
  const policy = input.resolved.mapping.on_conflict;
  await buildChecked(db, input, policy);
  const loadedAlerts = Number(
    rows<{ n: number }>(await db.query(`SELECT count(DISTINCT alert_id) AS n FROM ${ALERTS_TABLE}`))[0]!.n,
  );
  // Without a labeled_at column every row gets the default, which is no news; the report's
  // field list says so once instead.
  const list = checks(input, policy, loadedAlerts).filter(
    (c) => c.code !== 'labeled-at-missing' || input.resolved.columns.labeled_at,
  );
  const t = ident(input.table);
  const totals = rows<Record<string, number | null>>(
    await db.query(
      `SELECT count(*) FILTER (WHERE accepted) AS accepted,
        count(*) FILTER (WHERE rejected) AS rejected,
        count(*) FILTER (WHERE NOT rejected AND NOT accepted) AS dropped,
        ${list.map((c, i) => `count(*) FILTER (WHERE ${c.flag}) AS n${i}, min(source_row) FILTER (WHERE ${c.flag}) AS r${i}`).join(',\n        ')}
      FROM ${t}`,
    ),
  )[0]!;
  const issues: ImportIssue[] = [];
  for (const [i, c] of list.entries()) {
    const n = Number(totals[`n${i}`] ?? 0);
    if (n === 0) continue;
    const examples = rows<{ row: number; value: string | null }>(
      await db.query(
        `SELECT source_row AS row, CAST(${c.value} AS VARCHAR) AS value FROM ${t} WHERE ${c.flag} ORDER BY source_row LIMIT 5`,
      ),
    ).map((e) => ({ row: Number(e.row), value: e.value ?? '(empty)' }));
    const keys =
      c.code === 'conflict'
        ? Number(
            rows<{ k: number }>(
              await db.query(
                `SELECT count(DISTINCT (scope, coalesce(alert_id, address), label_source)) AS k FROM ${t} WHERE f_conflict`,
              ),
            )[0]!.k,
          )
        : 0;
    const shown = examples.map((e) => `'${e.value}' (row ${e.row})`).join(', ') + (n > examples.length ? ', ...' : '');
    const column = input.resolved.columns[c.field];
    issues.push({
      level: c.level,
      code: c.code,
      file: input.file,
      column,
      rows: n,
      examples,
      // A default can fail a check too (a default labeled_at in the future): say it was the default.
      message: c.message({
        n,
        first: Number(totals[`r${i}`]),
        shown,
        column: column ?? `${c.field} (no column: the default)`,
        keys,
      }),
    });
  }
  return {
    issues,
    accepted: Number(totals.accepted ?? 0),
    rejected: Number(totals.rejected ?? 0),
    dropped: Number(totals.dropped ?? 0),
  };
}
