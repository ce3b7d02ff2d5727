/**
 * The proxy-label rule's fields, once: for each field, its flat name (a notebook proxy cell's
 * field, `min_confidence`), where it sits in the configuration (`positive.min_confidence`), its
 * name in the design's YAML (`positive_confidence_threshold`), and the type and range a value
 * written on its own must have. The configuration's schema (config.ts), the design-shape reader,
 * the proxy cell's spec and its errors, and the app's config loading all read this table.
 *
 * One name per threshold in code, too: `minConfidence` for the positive test's threshold
 * (`confidence >= minConfidence`), `maxConfidence` for the negative test's (`confidence < maxConfidence`).
 */
import { z } from 'zod';

/** Every threshold is a confidence in 0..1. */
export const THRESHOLD_RANGE = { min: 0, max: 1 } as const;

export const CONFLICT_RESOLUTIONS = ['negative', 'positive', 'uncertain'] as const;
export type ConflictResolution = (typeof CONFLICT_RESOLUTIONS)[number];

export const UNCERTAIN_HANDLING = ['drop', 'keep'] as const;

export interface RuleField {
  /** Where it sits in the configuration's nested shape. */
  path: readonly [string] | readonly [string, string];
  /** Its name in the design's `proxy_label_config`, when the design has it. */
  design?: string;
  /**
   * What a value written on its own must be (a proxy cell's field): its type and range only. The
   * whole rule (a severity in both lists, an unknown severity) is checked by the configuration's
   * schema, with the messages config.ts gives.
   */
  type: z.ZodType;
}

const threshold = () => z.number().min(THRESHOLD_RANGE.min).max(THRESHOLD_RANGE.max);

export const RULE_FIELDS = {
  strategy: { path: ['strategy'], type: z.string().min(1) },
  positive_severities: { path: ['positive', 'severities'], design: 'positive_severity', type: z.array(z.string()) },
  min_confidence: { path: ['positive', 'min_confidence'], design: 'positive_confidence_threshold', type: threshold() },
  negative_severities: { path: ['negative', 'severities'], design: 'negative_severity', type: z.array(z.string()) },
  max_confidence: { path: ['negative', 'max_confidence'], design: 'negative_confidence_threshold', type: threshold() },
  on_conflict: { path: ['on_conflict'], type: z.enum(CONFLICT_RESOLUTIONS) },
  uncertain: { path: ['uncertain'], type: z.enum(UNCERTAIN_HANDLING) },
} as const satisfies Record<string, RuleField>;

export type RuleFieldName = keyof typeof RULE_FIELDS;
export const RULE_FIELD_NAMES = Object.keys(RULE_FIELDS) as RuleFieldName[];

/** A field's value in a configuration (lists copied), as a proxy cell's field holds it. */
export function ruleFieldValue(config: object, field: RuleFieldName): unknown {
  let value: unknown = config;
  for (const key of RULE_FIELDS[field].path) value = (value as Record<string, unknown>)[key];
  return Array.isArray(value) ? [...(value as unknown[])] : value;
}

/** Put a field's value where it sits in a configuration being built (`{positive: {}, negative: {}}` and up). */
export function setRuleField(input: Record<string, unknown>, field: RuleFieldName, value: unknown): void {
  const path = RULE_FIELDS[field].path;
  if (path.length === 1) input[path[0]] = value;
  else ((input[path[0]] ??= {}) as Record<string, unknown>)[path[1]] = value;
}

/** The field a configuration path (`negative.severities.1`, from an error) falls in, if any. */
export function ruleFieldAt(path: string): RuleFieldName | undefined {
  return RULE_FIELD_NAMES.find((f) => {
    const at = RULE_FIELDS[f].path.join('.');
    return path === at || path.startsWith(`${at}.`);
  });
}
