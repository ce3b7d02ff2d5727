/**
 * One contract per SOT table: which columns must be there, which are known but optional, what
 * kind of value each holds, and the value checks a file must pass before it is merged.
 *
 * The contracts are data validated by zod, so a malformed contract fails loudly at start-up,
 * and the loader, the normalising views and the docs all read the same definitions. Columns not
 * named here (the ~95 feature columns, which differ between exports) are kept as they come.
 */
import { z } from 'zod';

/**
 * The kinds of value a column may hold. Each maps to one storage type in the raw tables, wide
 * enough for every variant seen in real exports (Decimal128 of any precision, Float32 or
 * Float64, UInt16..UInt64, dates written as strings).
 */
export const ColumnKind = z.enum([
  'string',
  'number',
  'integer',
  'boolean',
  'date',
  'timestamp',
  'epoch_ms',
  'string_list',
]);
export type ColumnKind = z.infer<typeof ColumnKind>;

export const ColumnSpec = z.object({
  name: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  kind: ColumnKind,
  required: z.boolean().default(false),
  /** Inclusive bounds for numbers. NULLs are allowed unless `notNull`. */
  range: z.tuple([z.number(), z.number()]).optional(),
  /** Allowed values for strings, compared lowercased and trimmed. */
  values: z.array(z.string()).optional(),
  /** Whether an unknown value is an error or only a warning (real exports drift). */
  valuesStrict: z.boolean().default(true),
  notNull: z.boolean().default(false),
  /** Count NULLs and report them as a warning (for example NULL confidences). */
  reportNulls: z.boolean().default(false),
  /** Why the column matters, shown in errors and docs. */
  note: z.string().optional(),
});
export type ColumnSpec = z.infer<typeof ColumnSpec>;

export const TableContract = z.object({
  /** The normalised view's name, and the stem of its file name (alerts.parquet). */
  name: z.string(),
  /** The raw table the files are merged into. */
  raw: z.string(),
  /** Whether a snapshot without it is still complete (clusters, money flows, labels are optional). */
  optional: z.boolean(),
  /** Other file stems that mean this table (old or template names). */
  aliases: z.array(z.string()).default([]),
  /** Columns that identify a row; a file may not repeat a key already loaded. */
  key: z.array(z.string()).min(1).optional(),
  columns: z.array(ColumnSpec),
  description: z.string(),
});
export type TableContract = z.infer<typeof TableContract>;

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
/** 'info' appears in some older exports; it is accepted and kept as its own level. */
export const KNOWN_SEVERITIES = [...SEVERITIES, 'info'] as const;
export const WINDOW_DAYS = [7, 30, 90, 195] as const;

const keys = (extra: z.input<typeof ColumnSpec>[] = []): z.input<typeof ColumnSpec>[] => [
  { name: 'window_days', kind: 'integer', required: true, notNull: true, range: [1, 366] },
  { name: 'processing_date', kind: 'date', required: true, notNull: true },
  ...extra,
];

const contracts = [
  {
    name: 'alerts',
    raw: 'raw_alerts',
    optional: false,
    aliases: ['raw_alerts'],
    key: ['alert_id', 'window_days', 'processing_date'],
    description: 'One row per alert raised by the SOT rules for an address in a snapshot.',
    columns: keys([
      { name: 'alert_id', kind: 'string', required: true, notNull: true },
      { name: 'address', kind: 'string', required: true, notNull: true },
      { name: 'typology_type', kind: 'string', required: true },
      {
        name: 'severity',
        kind: 'string',
        required: true,
        values: [...KNOWN_SEVERITIES],
        reportNulls: true,
        note: "the proxy rule's severity tests fail on a NULL severity",
      },
      {
        name: 'alert_confidence_score',
        kind: 'number',
        required: true,
        range: [0, 1],
        reportNulls: true,
        note: 'the template fills NULL confidences with 0.5',
      },
      { name: 'volume_usd', kind: 'number' },
      { name: 'pattern_id', kind: 'string' },
      { name: 'pattern_type', kind: 'string' },
      { name: 'suspected_address_type', kind: 'string' },
      { name: 'suspected_address_subtype', kind: 'string' },
      { name: 'description', kind: 'string' },
      { name: 'evidence_json', kind: 'string' },
      { name: 'risk_indicators', kind: 'string_list' },
      { name: 'created_at', kind: 'timestamp' },
      { name: 'network', kind: 'string', note: 'only in older exports' },
    ]),
  },
  {
    name: 'features',
    raw: 'raw_features',
    optional: false,
    aliases: ['raw_features'],
    key: ['address', 'window_days', 'processing_date'],
    description: 'One row per (window_days, processing_date, address): ~95 behavioural and graph features.',
    columns: keys([
      { name: 'address', kind: 'string', required: true, notNull: true },
      { name: 'first_activity_timestamp', kind: 'epoch_ms' },
      { name: 'last_activity_timestamp', kind: 'epoch_ms' },
      { name: 'confidence_score', kind: 'number', range: [0, 1] },
    ]),
  },
  {
    name: 'clusters',
    raw: 'raw_clusters',
    optional: true,
    aliases: ['raw_clusters', 'alert_clusters'],
    key: ['cluster_id', 'window_days', 'processing_date'],
    description: 'Groups of related alerts; in practice same_entity clusters of one address.',
    columns: keys([
      { name: 'cluster_id', kind: 'string', required: true, notNull: true },
      { name: 'cluster_type', kind: 'string', required: true },
      { name: 'primary_address', kind: 'string' },
      { name: 'pattern_id', kind: 'string' },
      { name: 'primary_alert_id', kind: 'string' },
      { name: 'related_alert_ids', kind: 'string_list' },
      { name: 'addresses_involved', kind: 'string_list' },
      { name: 'total_alerts', kind: 'integer', range: [0, Number.MAX_SAFE_INTEGER] },
      { name: 'total_volume_usd', kind: 'number' },
      { name: 'severity_max', kind: 'string', values: [...KNOWN_SEVERITIES] },
      { name: 'confidence_avg', kind: 'number', range: [0, 1] },
      { name: 'earliest_alert_timestamp', kind: 'epoch_ms' },
      { name: 'latest_alert_timestamp', kind: 'epoch_ms' },
    ]),
  },
  {
    name: 'money_flows',
    raw: 'raw_money_flows',
    optional: true,
    aliases: ['raw_money_flows'],
    key: ['from_address', 'to_address', 'window_days', 'processing_date'],
    description: 'One row per (from, to) address pair in the window, with totals and activity patterns.',
    columns: keys([
      { name: 'from_address', kind: 'string', required: true, notNull: true },
      { name: 'to_address', kind: 'string', required: true, notNull: true },
      { name: 'tx_count', kind: 'integer', required: true, range: [0, Number.MAX_SAFE_INTEGER] },
      // Sums of transfers: a negative one is a broken export, not a flow.
      { name: 'amount_sum', kind: 'number', range: [0, Number.MAX_VALUE] },
      { name: 'amount_usd_sum', kind: 'number', required: true, range: [0, Number.MAX_VALUE] },
      { name: 'first_seen_timestamp', kind: 'epoch_ms' },
      { name: 'last_seen_timestamp', kind: 'epoch_ms' },
      { name: 'active_days', kind: 'integer' },
      { name: 'avg_tx_size_usd', kind: 'number', range: [0, Number.MAX_VALUE] },
      { name: 'unique_assets', kind: 'integer' },
      { name: 'dominant_asset', kind: 'string' },
      { name: 'reciprocity_ratio', kind: 'number', range: [0, 1] },
      { name: 'is_bidirectional', kind: 'boolean' },
    ]),
  },
  {
    name: 'address_labels',
    raw: 'raw_address_labels',
    optional: true,
    aliases: ['raw_address_labels'],
    description: 'Known labels of addresses (exchange, mixer, scam, ...): one current file per network.',
    columns: [
      { name: 'processing_date', kind: 'date' },
      { name: 'window_days', kind: 'integer' },
      { name: 'network', kind: 'string' },
      { name: 'address', kind: 'string', required: true, notNull: true },
      { name: 'label', kind: 'string', required: true },
      { name: 'network_type', kind: 'string' },
      { name: 'address_type', kind: 'string' },
      { name: 'address_subtype', kind: 'string' },
      { name: 'risk_level', kind: 'string', required: true, values: [...SEVERITIES] },
      { name: 'confidence_score', kind: 'number', range: [0, 1] },
      {
        name: 'trust_level',
        kind: 'string',
        values: ['verified', 'community', 'unverified', 'official', 'blacklisted'],
        valuesStrict: false,
      },
      { name: 'source', kind: 'string' },
    ],
  },
  {
    name: 'ground_truth',
    raw: 'raw_ground_truth',
    optional: true,
    aliases: ['truth'],
    key: ['alert_id', 'processing_date'],
    description: 'Confirmed outcomes per alert (the sample data plants one; a miner may bring their own).',
    columns: [
      { name: 'alert_id', kind: 'string', required: true, notNull: true },
      { name: 'address', kind: 'string' },
      { name: 'processing_date', kind: 'date', required: true, notNull: true },
      { name: 'is_illicit', kind: 'boolean', required: true, notNull: true },
      { name: 'confirmed_at', kind: 'timestamp' },
    ],
  },
] satisfies z.input<typeof TableContract>[];

export const CONTRACTS: readonly TableContract[] = contracts.map((c) => TableContract.parse(c));

export type TableName = (typeof contracts)[number]['name'];

export function contractFor(name: string): TableContract {
  const c = CONTRACTS.find((t) => t.name === name);
  if (!c) throw new Error(`no contract for table ${name}`);
  return c;
}

/** The table a file stem names: 'alerts', 'raw_alerts', 'torus_address_labels' -> address_labels. */
export function contractForStem(stem: string): TableContract | undefined {
  const s = stem.toLowerCase();
  return (
    CONTRACTS.find((c) => c.name === s || c.aliases.includes(s)) ??
    // address-labels/{network}_address_labels.parquet
    (s.endsWith('_address_labels') ? contractFor('address_labels') : undefined)
  );
}
