/**
 * The proxy-label configuration: the local equivalent of the design's `training.label_strategy`
 * plus `proxy_label_config`, as one zod schema with the design's rule as its defaults.
 *
 *   positive  (label 1): severity in positive.severities AND confidence >= positive.min_confidence
 *   negative  (label 0): severity in negative.severities OR  confidence <  negative.max_confidence
 *   uncertain (NULL):    neither; `uncertain` says whether training drops those alerts or keeps
 *                        them unlabelled (semi-supervised strategies use them)
 *
 * An alert can satisfy both tests only when negative.max_confidence > positive.min_confidence;
 * `on_conflict` decides it. Its default, 'negative', is the design's own order (its pandas
 * function assigns the negative mask after the positive one, so negative wins).
 *
 * Configs are text (JSON or YAML) so this module stays free of the file system and runs in the
 * browser; the CLI reads and writes the files. Both the local shape and the design's YAML shape
 * (`training: {label_strategy, proxy_label_config: {positive_severity, ...}}`) load.
 */
import { MAX_YAML_DEPTH, nestingDepth, parseYaml, stringifyYaml } from '../util/yaml.ts';
import { z } from 'zod';
import { KNOWN_SEVERITIES } from '../sot/contracts.ts';
import {
  CONFLICT_RESOLUTIONS,
  RULE_FIELD_NAMES,
  RULE_FIELDS,
  ruleFieldAt,
  setRuleField,
  THRESHOLD_RANGE,
  UNCERTAIN_HANDLING,
  type RuleField,
} from './rule-fields.ts';
import { configIssues } from '../util/config-issues.ts';

export { CONFLICT_RESOLUTIONS, type ConflictResolution } from './rule-fields.ts';

export type Severity = (typeof KNOWN_SEVERITIES)[number];

/** Severities compare lowercased, as the normalised `alerts` view stores them. */
const SeveritySchema = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z.enum(KNOWN_SEVERITIES, {
    error: (issue) => `unknown severity ${JSON.stringify(issue.input)}: expected one of ${KNOWN_SEVERITIES.join(', ')}`,
  }),
);

const SeverityList = z.array(SeveritySchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  for (const s of list) {
    if (seen.has(s)) ctx.addIssue({ code: 'custom', message: `lists '${s}' twice` });
    seen.add(s);
  }
});

/** A threshold or weight in 0..1; the error's path names the field, so the message does not. */
const unitInterval = () => {
  const { min, max } = THRESHOLD_RANGE;
  return z
    .number({ error: (issue) => `must be a number between ${min} and ${max} (got ${JSON.stringify(issue.input)})` })
    .refine((x) => x >= min && x <= max, {
      error: (issue) => `must be between ${min} and ${max} (got ${String(issue.input)})${percentHint(issue.input)}`,
    });
};

/** A threshold written as a percentage (70) is the commonest slip: say what was probably meant. */
function percentHint(value: unknown): string {
  return typeof value === 'number' && value >= 2 && value <= 100
    ? `; confidences are shares of 1, so ${value}% is ${Number((value / 100).toFixed(6))}`
    : '';
}

/**
 * How label_confidence is derived from the alert's confidence c (NULL c gives NULL, except for
 * `constant`):
 * - confidence: c for positives, 1 - c for negatives (the design's "confidence weighting");
 * - constant:   the same `value` for every labelled alert;
 * - distance:   how far c lies past the threshold that labelled it, scaled into floor..1:
 *               positives floor + (1 - floor)(c - min)/(1 - min), negatives floor + (1 - floor)(max - c)/max,
 *               clamped to floor..1; a negative labelled by severity alone (c >= max) gets floor.
 */
export const LabelConfidenceSchema = z.discriminatedUnion(
  'method',
  [
    z.object({ method: z.literal('confidence') }).strict(),
    z.object({ method: z.literal('constant'), value: unitInterval().default(1) }).strict(),
    z.object({ method: z.literal('distance'), floor: unitInterval().default(0.5) }).strict(),
  ],
  { error: () => "method must be 'confidence', 'constant' or 'distance'" },
);
export type LabelConfidence = z.infer<typeof LabelConfidenceSchema>;

export const ProxyLabelConfigSchema = z
  .object({
    /** The rule's name; with the thresholds it makes up `labeled_by`. One line of text. */
    strategy: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'must be one line without control characters')
      .default('severity_confidence'),
    positive: z
      .object({
        severities: SeverityList.refine((l) => l.length > 0, 'must name at least one severity').default([
          'high',
          'critical',
        ]),
        min_confidence: unitInterval().default(0.7),
      })
      .strict()
      .prefault({}),
    negative: z
      .object({
        /** May be empty: a negative rule on confidence alone. */
        severities: SeverityList.default(['low', 'medium']),
        max_confidence: unitInterval().default(0.3),
      })
      .strict()
      .prefault({}),
    on_conflict: z
      .enum(CONFLICT_RESOLUTIONS, { error: () => "must be 'negative', 'positive' or 'uncertain'" })
      .default('negative'),
    uncertain: z.enum(UNCERTAIN_HANDLING, { error: () => "must be 'drop' or 'keep'" }).default('drop'),
    label_confidence: LabelConfidenceSchema.prefault({ method: 'confidence' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const s of c.positive.severities) {
      if (c.negative.severities.includes(s)) {
        ctx.addIssue({
          code: 'custom',
          path: ['negative', 'severities'],
          message: `severity '${s}' is in both positive.severities and negative.severities`,
        });
      }
    }
  });

export type ProxyLabelConfig = z.infer<typeof ProxyLabelConfigSchema>;
export type ProxyLabelConfigInput = z.input<typeof ProxyLabelConfigSchema>;

/** The design's rule, exactly: high/critical with confidence >= 0.7; low/medium or confidence < 0.3. */
export const DEFAULT_CONFIG: ProxyLabelConfig = ProxyLabelConfigSchema.parse({});

export type ConfigFormat = 'json' | 'yaml';

/** A configuration that does not validate; `issues` name the offending field. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(
      `${source}: invalid proxy-label configuration:\n${issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Validate a parsed object (local or design shape), filling defaults. */
export function parseConfig(value: unknown, source = 'config'): ProxyLabelConfig {
  const design = designBlockPath(value);
  const result = ProxyLabelConfigSchema.safeParse(fromDesignShape(value ?? {}));
  if (result.success) return result.data;
  const issues = configIssues(result.error);
  // A design-shape file is reported in its own names (`proxy_label_config.positive_confidence_threshold`),
  // never in the local shape's (`positive.min_confidence`), which the user did not write.
  throw new ConfigError(source, design ? issues.map((i) => ({ ...i, path: designPath(design, i.path) })) : issues);
}

/** Where the design's rule block sits in `value` (`training.proxy_label_config` or `proxy_label_config`), if it is one. */
function designBlockPath(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (isRecord(value.training) && isRecord(value.training.proxy_label_config)) return 'training.proxy_label_config';
  return isRecord(value.proxy_label_config) ? 'proxy_label_config' : undefined;
}

/** A local-shape issue path (`positive.min_confidence`) as the design names it, under its block. */
function designPath(block: string, path: string): string {
  const field = ruleFieldAt(path);
  const key = field && (RULE_FIELDS[field] as RuleField).design;
  if (!field || !key) return path ? `${block} (as ${path})` : block;
  const rest = path.slice(RULE_FIELDS[field].path.join('.').length);
  return `${block}.${key}${rest}`;
}

/** The format a file name implies: .json, or .yaml/.yml. */
export function formatOf(fileName: string): ConfigFormat {
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.ya?ml$/i.test(fileName)) return 'yaml';
  throw new ConfigError(fileName, [{ path: '', message: 'a configuration file must end in .json, .yaml or .yml' }]);
}

/** Parse configuration text; `source` (a file name) picks the format unless `format` is given. */
export function loadConfig(text: string, source: string, format: ConfigFormat = formatOf(source)): ProxyLabelConfig {
  // parseYaml bounds nesting itself; JSON.parse does not, and a deep value overflows the stack
  // when an error message quotes it.
  if (format === 'json' && nestingDepth(text, MAX_YAML_DEPTH) > MAX_YAML_DEPTH) {
    throw new ConfigError(source, [
      { path: '', message: `not valid JSON: it nests more than ${MAX_YAML_DEPTH} levels deep` },
    ]);
  }
  let value: unknown;
  try {
    value = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(source, [
      { path: '', message: `not valid ${format.toUpperCase()}: ${(e as Error).message}` },
    ]);
  }
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    throw new ConfigError(source, [
      { path: '', message: 'expected a mapping of fields (strategy, positive, negative, ...)' },
    ]);
  }
  return parseConfig(value, source);
}

/** The configuration as text, every field written out so the file documents the whole rule. */
export function saveConfig(config: ProxyLabelConfig, format: ConfigFormat): string {
  const checked = ProxyLabelConfigSchema.parse(config);
  if (format === 'json') return `${JSON.stringify(checked, null, 2)}\n`;
  return `# Label Lab proxy-label configuration (see docs/proxy-labels.md)\n${stringifyYaml(checked)}`;
}

/**
 * The design's YAML (model_config.yaml) names the same rule with flat keys (RULE_FIELDS' `design`):
 *   training: {label_strategy: proxy, proxy_label_config: {positive_severity: [...],
 *   positive_confidence_threshold, negative_severity: [...], negative_confidence_threshold}}
 * Either the whole `training` block or the bare `proxy_label_config` mapping is accepted.
 */
function fromDesignShape(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const training = isRecord(value.training) ? value.training : undefined;
  const design = training?.proxy_label_config ?? value.proxy_label_config;
  if (!isRecord(design)) return value;
  const strategy = training?.label_strategy;
  if (strategy !== undefined && strategy !== 'proxy') {
    throw new ConfigError('config', [
      {
        path: 'training.label_strategy',
        message: `is '${String(strategy)}'; only the 'proxy' strategy has a proxy-label configuration`,
      },
    ]);
  }
  const named = RULE_FIELD_NAMES.flatMap((field) => {
    const key = (RULE_FIELDS[field] as RuleField).design;
    return key === undefined ? [] : [{ field, key }];
  });
  const unknown = Object.keys(design).filter((k) => !named.some((n) => n.key === k));
  if (unknown.length > 0) {
    throw new ConfigError('config', [
      { path: 'proxy_label_config', message: `unknown fields ${unknown.map((k) => `'${k}'`).join(', ')}` },
    ]);
  }
  const local: Record<string, unknown> = { strategy: 'proxy', positive: {}, negative: {} };
  for (const { field, key } of named) if (design[key] !== undefined) setRuleField(local, field, design[key]);
  return local;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `labeled_by` for rows the rule labels: its name and every threshold, so a stored label says
 * exactly which rule made it, e.g.
 * `severity_confidence: positive high,critical & confidence >= 0.7; negative low,medium | confidence < 0.3; conflict negative`.
 */
export function ruleSignature(config: ProxyLabelConfig): string {
  const neg = config.negative.severities.length > 0 ? `${config.negative.severities.join(',')} | ` : '';
  return (
    `${config.strategy}: positive ${config.positive.severities.join(',')} & confidence >= ${config.positive.min_confidence}; ` +
    `negative ${neg}confidence < ${config.negative.max_confidence}; conflict ${config.on_conflict}`
  );
}

/** A copy with other thresholds: what a slider or a sweep cell changes. */
export function withThresholds(
  config: ProxyLabelConfig,
  minConfidence: number,
  maxConfidence: number,
): ProxyLabelConfig {
  return {
    ...config,
    positive: { ...config.positive, min_confidence: minConfidence },
    negative: { ...config.negative, max_confidence: maxConfidence },
  };
}
