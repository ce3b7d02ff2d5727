/**
 * How a labels file's columns and values map onto a label event: a zod schema with sensible
 * defaults, auto-detection of the usual column names, and resolution against the columns a file
 * actually has.
 *
 * Users bring labels from spreadsheets, notebooks and other tools, so names and spellings vary
 * (`alertId`, `is_illicit`, `class`; 1/0, true/false, illicit/benign). Anything the mapping does
 * not name is detected from the column names; an explicit `null` switches a field off. Mappings
 * are text (YAML or JSON) so this module stays free of the file system and runs in the browser.
 */
import { parseYaml, stringifyYaml } from '../util/yaml.ts';
import { z } from 'zod';
import type { LabelSource } from '../migrations/index.ts';

/** The event fields a file can supply, in the order reports list them. */
export const TARGET_FIELDS = [
  'alert_id',
  'address',
  'label',
  'label_source',
  'label_confidence',
  'labeled_at',
  'labeled_by',
  'note',
] as const;
export type TargetField = (typeof TARGET_FIELDS)[number];

/**
 * Sources an import may claim. 'proxy' is not one: proxy labels are derived from the alerts by
 * the rule, and an imported "proxy" label would outrank nothing yet pollute the rule's share.
 */
export const IMPORT_SOURCES = ['miner', 'community', 'validated'] as const satisfies readonly LabelSource[];
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/**
 * What to do when one key (alert or address, per source) has both labels in one file: refuse
 * those rows ('error'), keep only the newest of each key, drop them all, or keep them all
 * ('keep-all': the file is a label history, such as an events export, and precedence picks the
 * newest while the older labels stay in the history).
 */
export const CONFLICT_POLICIES = ['error', 'keep-newest', 'drop', 'keep-all'] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

/** Spellings compare lowercased and trimmed, and as text: a DOUBLE 1 reads '1.0'. */
export const DEFAULT_POSITIVE = [
  '1',
  '1.0',
  'true',
  't',
  'yes',
  'y',
  'illicit',
  'positive',
  'malicious',
  'fraud',
  'fraudulent',
  'scam',
];
export const DEFAULT_NEGATIVE = [
  '0',
  '0.0',
  'false',
  'f',
  'no',
  'n',
  'benign',
  'licit',
  'negative',
  'legitimate',
  'legit',
  'clean',
];

const spelling = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => s.length > 0, 'must not be empty');

const columnName = z.string().min(1, 'must name a column').nullable().optional();

const importSource = z.enum(IMPORT_SOURCES, {
  error: (issue) =>
    `must be one of ${IMPORT_SOURCES.join(', ')} (got ${JSON.stringify(issue.input)}); proxy labels come from the rule, not from files`,
});

export const LabelMappingSchema = z
  .object({
    /** The file's column for each field; a missing entry is detected, `null` means "not in this file". */
    columns: z
      .object(Object.fromEntries(TARGET_FIELDS.map((f) => [f, columnName])) as Record<TargetField, typeof columnName>)
      .strict()
      .prefault({}),
    /**
     * What a row labels: 'alert' (alert_id required), 'address' (every alert of the address; an
     * alert_id column is ignored), or 'auto': a row with an alert_id labels that alert, a row
     * with only an address labels the address.
     */
    scope: z.enum(['auto', 'alert', 'address']).default('auto'),
    labels: z
      .object({
        positive: z.array(spelling).min(1).default(DEFAULT_POSITIVE),
        negative: z.array(spelling).min(1).default(DEFAULT_NEGATIVE),
      })
      .strict()
      .prefault({})
      .superRefine((l, ctx) => {
        for (const s of l.positive) {
          if (l.negative.includes(s))
            ctx.addIssue({ code: 'custom', message: `'${s}' is spelled both positive and negative` });
        }
      }),
    /** Extra spellings of label_source values ('reviewed' -> 'validated'); the names themselves always work. */
    sources: z.record(spelling, importSource).default({}),
    /** Values for fields the file lacks, or leaves empty in a row. */
    defaults: z
      .object({
        label_source: importSource.default('miner'),
        labeled_by: z.string().default(''),
        /** ISO date-time; without it, rows with no labeled_at get the time of the import. */
        labeled_at: z
          .string()
          .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date-time such as 2026-02-01T12:00:00Z')
          .optional(),
        label_confidence: z.number().min(0).max(1).nullable().default(null),
      })
      .strict()
      .prefault({}),
    on_conflict: z
      .enum(CONFLICT_POLICIES, { error: () => `must be one of ${CONFLICT_POLICIES.join(', ')}` })
      .default('error'),
  })
  .strict();

export type LabelMapping = z.infer<typeof LabelMappingSchema>;
export type LabelMappingInput = z.input<typeof LabelMappingSchema>;

export const DEFAULT_MAPPING: LabelMapping = LabelMappingSchema.parse({});

/** Raised for a mapping that does not parse or does not fit the file. */
export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

/** Validate a mapping given as an object (from the UI). Errors name the field's path. */
export function mappingFrom(input: unknown, source = 'the mapping'): LabelMapping {
  const parsed = LabelMappingSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map(
    (i) => `  ${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`,
  );
  throw new MappingError(`${source} is not a valid label mapping:\n${lines.join('\n')}`);
}

/**
 * A mapping as YAML, as `parseMapping` (and `lab labels import --mapping`) reads it back: every
 * field written out, so the file says exactly what the import will do.
 */
export function mappingYaml(mapping: LabelMapping): string {
  return `# Label Lab label mapping: lab labels import --mapping FILE, or Load mapping in the Labels tab\n${stringifyYaml(mapping)}`;
}

/** Parse a mapping written as YAML or JSON (YAML is a superset of JSON). */
export function parseMapping(text: string, fileName = 'the mapping'): LabelMapping {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new MappingError(`${fileName}: cannot read it as YAML or JSON (${(e as Error).message.split('\n')[0]})`);
  }
  return mappingFrom(value, fileName);
}

/**
 * Column names tried for each field, most specific first, compared without case, spaces,
 * dashes or underscores. `id` is last for alert_id: a generic id column is only taken when
 * nothing more telling exists.
 */
const CANDIDATES: Record<TargetField, string[]> = {
  alert_id: ['alert_id', 'alertid', 'alert', 'alert_uuid', 'id'],
  address: ['address', 'addr', 'wallet', 'wallet_address', 'account', 'account_id'],
  label: ['label', 'is_illicit', 'illicit', 'is_fraud', 'fraud', 'is_positive', 'target', 'class', 'y', 'verdict'],
  label_source: ['label_source', 'labelsource', 'source'],
  label_confidence: ['label_confidence', 'labelconfidence', 'confidence', 'conf', 'certainty'],
  labeled_at: [
    'labeled_at',
    'labelled_at',
    'label_time',
    'labeled_on',
    'labelled_on',
    'timestamp',
    'created_at',
    'updated_at',
    'time',
  ],
  labeled_by: ['labeled_by', 'labelled_by', 'labeler', 'labeller', 'annotator', 'reviewer', 'author', 'user'],
  note: ['note', 'notes', 'comment', 'comments', 'reason'],
};

const squash = (name: string) => name.toLowerCase().replace(/[\s_\-.]/g, '');

/** The file column for each field that auto-detection finds, never one column twice. */
export function detectColumns(columns: readonly string[]): Partial<Record<TargetField, string>> {
  const bySquashed = new Map<string, string>();
  for (const c of columns) if (!bySquashed.has(squash(c))) bySquashed.set(squash(c), c);
  const used = new Set<string>();
  const found: Partial<Record<TargetField, string>> = {};
  for (const field of TARGET_FIELDS) {
    for (const candidate of CANDIDATES[field]) {
      const column = bySquashed.get(squash(candidate));
      if (column !== undefined && !used.has(column)) {
        found[field] = column;
        used.add(column);
        break;
      }
    }
  }
  return found;
}

/** A mapping applied to one file: the column behind each field, and how each was chosen. */
export interface ResolvedMapping {
  mapping: LabelMapping;
  columns: Partial<Record<TargetField, string>>;
  /** Fields whose column came from auto-detection rather than the mapping. */
  detected: TargetField[];
  /** File columns no field uses (processing_date, window_days, anything else): left out. */
  ignored: string[];
}

/**
 * Fit `mapping` to a file's columns. Throws MappingError (naming the file) when a named column
 * is missing, the label column cannot be found, or nothing identifies what a row labels.
 */
export function resolveMapping(
  mapping: LabelMapping,
  fileColumns: readonly string[],
  fileName: string,
): ResolvedMapping {
  const detected = detectColumns(fileColumns);
  const columns: Partial<Record<TargetField, string>> = {};
  const auto: TargetField[] = [];
  const exact = new Map(fileColumns.map((c) => [c, c]));
  const folded = new Map(fileColumns.map((c) => [c.toLowerCase(), c]));
  // Named columns first, so a detected guess never takes a column the mapping gave another field.
  for (const field of TARGET_FIELDS) {
    const named = mapping.columns[field];
    if (named === null || named === undefined) continue;
    const column = exact.get(named) ?? folded.get(named.toLowerCase());
    if (column === undefined) {
      throw new MappingError(
        `${fileName}: the mapping takes ${field} from column '${named}', which the file does not have (it has ${fileColumns.join(', ')})`,
      );
    }
    columns[field] = column;
  }
  for (const field of TARGET_FIELDS) {
    const guess = detected[field];
    if (mapping.columns[field] !== undefined || guess === undefined) continue;
    if (Object.values(columns).includes(guess)) continue;
    columns[field] = guess;
    auto.push(field);
  }
  if (mapping.scope === 'address') delete columns.alert_id;
  if (!columns.label) {
    throw new MappingError(
      `${fileName}: no label column found (tried ${CANDIDATES.label.join(', ')}); name it in the mapping as columns.label (the file has ${fileColumns.join(', ')})`,
    );
  }
  if (mapping.scope === 'alert' && !columns.alert_id) {
    throw new MappingError(
      `${fileName}: the mapping labels alerts but no alert_id column was found; name it as columns.alert_id`,
    );
  }
  if (mapping.scope === 'address' && !columns.address) {
    throw new MappingError(
      `${fileName}: the mapping labels addresses but no address column was found; name it as columns.address`,
    );
  }
  if (!columns.alert_id && !columns.address) {
    throw new MappingError(
      `${fileName}: neither an alert_id nor an address column was found, so the labels cannot be tied to alerts; name one as columns.alert_id or columns.address (the file has ${fileColumns.join(', ')})`,
    );
  }
  const usedColumns = new Set(Object.values(columns));
  return { mapping, columns, detected: auto, ignored: fileColumns.filter((c) => !usedColumns.has(c)) };
}
