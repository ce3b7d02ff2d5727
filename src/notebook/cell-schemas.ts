/**
 * The schemas of every cell body, in one place: what a params, plot or table cell may say.
 *
 * Cells are data, never code: each YAML body is validated here against a whitelist (strict
 * objects, enumerated mark types, transforms, reducers and scale options), so nothing in a
 * notebook file can reach a function call it was not meant to. A `sql` body is SQL text; its
 * checks live in db/sql-lexer.ts.
 *
 * Plot specs may refer to parameters as `$name` wherever a value goes (a channel, a number, a
 * domain entry). `plotSpecSchema(true)` accepts such references where numbers go (the file as
 * written; strings accept them anyway); `plotSpecSchema(false)` checks the spec again once the
 * references hold the parameters' values, so `thresholds: $typology` fails with a clear message.
 */
import { z } from 'zod';
import { LabelMappingSchema } from '../ingest/mapping.ts';
import { LabelConfidenceSchema } from '../labels/config.ts';
import { RULE_FIELD_NAMES, RULE_FIELDS, type RuleFieldName } from '../labels/rule-fields.ts';
import { TrainingConfigSchema } from '../experiment/config.ts';

/** Cell and parameter names: usable unquoted in SQL, and unambiguous there (no case games). */
export const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
export const Name = z
  .string()
  .regex(NAME_PATTERN, 'expected a lowercase name of letters, digits and _ starting with a letter (like by_severity)');

/** `$min_confidence`: a reference to a parameter. */
export const PARAM_REF_PATTERN = /^\$([a-z][a-z0-9_]*)$/;
export const ParamRef = z.string().regex(PARAM_REF_PATTERN, 'expected a parameter reference like $min_confidence');

/**
 * What a plot or table draws: a sql cell's result table (`by_severity`), or one of the in-memory
 * results a proxy cell publishes (`labels.by_severity`).
 */
export const DATA_REF_PATTERN = /^([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?$/;
export const DataRef = z
  .string()
  .regex(
    DATA_REF_PATTERN,
    "expected a result name: a sql cell's name like by_severity, or a proxy cell's result like labels.by_severity",
  );

export const Scalar = z.union([z.string(), z.number(), z.boolean()]);
export type Scalar = z.infer<typeof Scalar>;

// ---------------------------------------------------------------------------------------------
// params

/** A choice of a select or checkbox group: a bare value, or a value with the label shown. */
export const ParamOption = z.union([Scalar, z.strictObject({ value: Scalar, label: z.string() })]);
export type ParamOption = z.infer<typeof ParamOption>;

export function optionValue(o: ParamOption): Scalar {
  return typeof o === 'object' ? o.value : o;
}

export function optionLabel(o: ParamOption): string {
  return typeof o === 'object' ? o.label : String(o);
}

const paramBase = {
  name: Name,
  label: z.string().optional(),
  description: z.string().optional(),
};

const RangeParam = z.strictObject({
  ...paramBase,
  input: z.literal('range'),
  min: z.number(),
  max: z.number(),
  step: z.number().positive().optional(),
  value: z.number(),
});

const NumberParam = z.strictObject({
  ...paramBase,
  input: z.literal('number'),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().positive().optional(),
  value: z.number(),
});

const Options = z.array(ParamOption).min(1, 'expected at least one option');

const CheckboxParam = z.strictObject({
  ...paramBase,
  input: z.literal('checkbox'),
  options: Options,
  value: z.array(Scalar),
});
const SelectParam = z.strictObject({ ...paramBase, input: z.literal('select'), options: Options, value: Scalar });
const ToggleParam = z.strictObject({ ...paramBase, input: z.literal('toggle'), value: z.boolean() });
const TextParam = z.strictObject({
  ...paramBase,
  input: z.literal('text'),
  value: z.string(),
  placeholder: z.string().optional(),
});

/** The type every option of a param shares: a list param binds as a list of exactly that type. */
export function optionType(options: readonly ParamOption[]): 'string' | 'number' | 'boolean' {
  return typeof optionValue(options[0]!) as 'string' | 'number' | 'boolean';
}

export const ParamSpec = z
  .discriminatedUnion('input', [RangeParam, NumberParam, CheckboxParam, SelectParam, ToggleParam, TextParam])
  .superRefine((p, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (p.input === 'range' || p.input === 'number') {
      if (p.min !== undefined && p.max !== undefined && p.min >= p.max)
        issue(['max'], `expected max greater than min (${p.min})`);
      if ((p.min !== undefined && p.value < p.min) || (p.max !== undefined && p.value > p.max)) {
        issue(['value'], `expected a value between ${p.min ?? '-∞'} and ${p.max ?? '∞'}, got ${p.value}`);
      }
    }
    if (p.input === 'select' || p.input === 'checkbox') {
      const type = optionType(p.options);
      p.options.forEach((o, i) => {
        if (typeof optionValue(o) !== type)
          issue(['options', i], `expected every option to be a ${type} like the first one`);
      });
      const values = p.options.map(optionValue);
      const chosen = p.input === 'select' ? [p.value] : p.value;
      chosen.forEach((v, i) => {
        if (!values.includes(v)) {
          issue(
            p.input === 'select' ? ['value'] : ['value', i],
            `expected one of the options (${values.map((x) => JSON.stringify(x)).join(', ')}), got ${JSON.stringify(v)}`,
          );
        }
      });
    }
  });
export type ParamSpec = z.infer<typeof ParamSpec>;
export type ParamInput = ParamSpec['input'];

/** A params cell holds a list of params (a single mapping is accepted as a list of one). */
export const ParamsCellSpec = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? [v] : v),
  z.array(ParamSpec).min(1, 'expected at least one param'),
);

// ---------------------------------------------------------------------------------------------
// table

export const TableSpec = z.strictObject({
  /** The result shown: a sql cell, or a proxy cell's result (`labels.rule_stats`). */
  data: DataRef,
  /** Columns to show, in order (default: all). */
  columns: z.array(z.string().min(1)).min(1).optional(),
  /** Rows shown (the total count is always given). */
  limit: z.number().int().min(1).max(1000).default(50),
  title: z.string().optional(),
});
export type TableSpec = z.infer<typeof TableSpec>;

// ---------------------------------------------------------------------------------------------
// plot

export const MARK_TYPES = [
  'areaX',
  'areaY',
  'barX',
  'barY',
  'boxX',
  'boxY',
  'cell',
  'cellX',
  'cellY',
  'dot',
  'dotX',
  'dotY',
  'frame',
  'line',
  'lineX',
  'lineY',
  'link',
  'rect',
  'rectX',
  'rectY',
  'ruleX',
  'ruleY',
  'text',
  'textX',
  'textY',
  'tickX',
  'tickY',
] as const;
export type MarkType = (typeof MARK_TYPES)[number];

/** Channels a mark may map from columns (or set to constants). */
export const CHANNELS = [
  'x',
  'y',
  'x1',
  'x2',
  'y1',
  'y2',
  'fill',
  'stroke',
  'r',
  'opacity',
  'fillOpacity',
  'strokeOpacity',
  'text',
  'title',
  'fx',
  'fy',
  'z',
  'symbol',
  'rotate',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const REDUCERS = [
  'count',
  'sum',
  'mean',
  'median',
  'min',
  'max',
  'mode',
  'first',
  'last',
  'distinct',
  'deviation',
  'variance',
  'proportion',
  'proportion-facet',
  'identity',
] as const;

export const TRANSFORMS = ['binX', 'binY', 'bin', 'groupX', 'groupY', 'group', 'groupZ', 'stackX', 'stackY'] as const;
export type TransformName = (typeof TRANSFORMS)[number];

const SCALE_TYPES = [
  'linear',
  'log',
  'sqrt',
  'pow',
  'symlog',
  'time',
  'utc',
  'point',
  'band',
  'ordinal',
  'categorical',
  'sequential',
  'diverging',
  'quantize',
  'quantile',
  'threshold',
  'identity',
] as const;

const CURVES = [
  'linear',
  'step',
  'step-after',
  'step-before',
  'basis',
  'cardinal',
  'catmull-rom',
  'monotone-x',
  'monotone-y',
  'natural',
] as const;
const ANCHORS = [
  'top',
  'right',
  'bottom',
  'left',
  'top-left',
  'top-right',
  'bottom-left',
  'bottom-right',
  'middle',
] as const;

/**
 * Builds the plot schema; `refs` says whether `$param` references may stand where values go.
 * Strings in channel positions are column names (or CSS colours for fill and stroke, as in Plot).
 */
export function plotSpecSchema(refs: boolean) {
  const num = refs ? z.union([z.number(), ParamRef]) : z.number();
  const channel = z.union([z.string().min(1), z.number(), z.boolean(), z.null()]);
  const channels = Object.fromEntries(CHANNELS.map((c) => [c, channel.optional()])) as Record<
    Channel,
    z.ZodOptional<typeof channel>
  >;

  const outputs = z.partialRecord(z.enum(CHANNELS), z.enum(REDUCERS));
  const transform = z
    .strictObject({
      ...(Object.fromEntries(
        TRANSFORMS.filter((t) => !t.startsWith('stack')).map((t) => [t, outputs.optional()]),
      ) as Record<Exclude<TransformName, 'stackX' | 'stackY'>, z.ZodOptional<typeof outputs>>),
      stackX: z.literal(true).optional(),
      stackY: z.literal(true).optional(),
      /** bin: how many bins (or a d3 thresholds name), the bin width as `interval`, running totals. */
      thresholds: z.union([num, z.enum(['auto', 'freedman-diaconis', 'scott', 'sturges'])]).optional(),
      interval: z.union([num, z.enum(['day', 'week', 'month', 'year', 'hour'])]).optional(),
      cumulative: z.union([z.boolean(), z.literal(-1), z.literal(1)]).optional(),
      /** stack: `normalize` turns stacked counts into shares. */
      offset: z.enum(['normalize', 'center', 'wiggle']).optional(),
      order: z.enum(['value', 'sum', 'appearance', 'inside-out']).optional(),
      reverse: z.boolean().optional(),
    })
    .superRefine((t, ctx) => {
      const kinds = TRANSFORMS.filter((k) => t[k] !== undefined);
      if (kinds.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message: `expected exactly one of ${TRANSFORMS.join(', ')}, got ${kinds.length ? kinds.join(' and ') : 'none'}`,
        });
      }
    });

  const mark = z.strictObject({
    type: z.enum(MARK_TYPES),
    /** The result the mark draws (default: the plot's `data`). */
    data: DataRef.optional(),
    /** Constant data: one mark per value (a rule at 0, a threshold at $min_confidence). */
    values: z.array(Scalar).optional(),
    ...channels,
    transform: transform.optional(),
    strokeWidth: num.optional(),
    strokeDasharray: z
      .string()
      .regex(/^[\d.,\s]+$/, 'expected dash lengths like "4,2"')
      .optional(),
    fontSize: num.optional(),
    fontWeight: z.union([z.number(), z.enum(['normal', 'bold', 'lighter', 'bolder'])]).optional(),
    textAnchor: z.enum(['start', 'middle', 'end']).optional(),
    lineAnchor: z.enum(['top', 'middle', 'bottom']).optional(),
    frameAnchor: z.enum(ANCHORS).optional(),
    dx: num.optional(),
    dy: num.optional(),
    curve: z.enum(CURVES).optional(),
    marker: z.union([z.boolean(), z.enum(['dot', 'circle', 'circle-stroke', 'arrow', 'tick'])]).optional(),
    inset: num.optional(),
    insetLeft: num.optional(),
    insetRight: num.optional(),
    insetTop: num.optional(),
    insetBottom: num.optional(),
    rx: num.optional(),
    ry: num.optional(),
    /** Order an ordinal scale's domain by a channel: `{x: -y}` sorts bars by height, descending. */
    sort: z
      .strictObject({
        x: z.string().optional(),
        y: z.string().optional(),
        fx: z.string().optional(),
        fy: z.string().optional(),
        color: z.string().optional(),
        reverse: z.boolean().optional(),
        limit: z.number().int().optional(),
        /** How a channel's values are summarised per domain value (default max; sum for stacks). */
        reduce: z.enum(REDUCERS).optional(),
      })
      .optional(),
    /** Accepted for the browser; static reports have no pointer (use `title` for hover text). */
    tip: z.boolean().optional(),
  });

  const scale = z.strictObject({
    label: z.string().nullable().optional(),
    type: z.enum(SCALE_TYPES).optional(),
    domain: z.array(Scalar).optional(),
    range: z.array(Scalar).optional(),
    scheme: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'expected a colour scheme name like blues or tableau10')
      .optional(),
    legend: z.boolean().optional(),
    tickFormat: z.string().optional(),
    tickRotate: num.optional(),
    ticks: num.optional(),
    grid: z.boolean().optional(),
    nice: z.boolean().optional(),
    zero: z.boolean().optional(),
    reverse: z.boolean().optional(),
    percent: z.boolean().optional(),
    clamp: z.boolean().optional(),
    padding: num.optional(),
    base: num.optional(),
    exponent: num.optional(),
    pivot: num.optional(),
    /** How many colours a quantize scale cuts its domain into. */
    n: z.number().int().min(2).max(20).optional(),
    unknown: z.string().optional(),
    axis: z.enum(['top', 'bottom', 'left', 'right', 'both']).nullable().optional(),
  });

  return z.strictObject({
    /** The result the marks draw unless a mark names its own. */
    data: DataRef.optional(),
    marks: z.array(mark).min(1, 'expected at least one mark'),
    title: z.string().optional(),
    subtitle: z.string().optional(),
    caption: z.string().optional(),
    width: z.number().int().min(50).max(4000).optional(),
    height: z.number().int().min(30).max(4000).optional(),
    margin: num.optional(),
    marginTop: num.optional(),
    marginRight: num.optional(),
    marginBottom: num.optional(),
    marginLeft: num.optional(),
    inset: num.optional(),
    grid: z.boolean().optional(),
    x: scale.optional(),
    y: scale.optional(),
    fx: scale.optional(),
    fy: scale.optional(),
    color: scale.optional(),
    r: scale.optional(),
    opacity: scale.optional(),
    symbol: scale.optional(),
    /** Small multiples over the plot's data: one panel per value of these columns. */
    facet: z.strictObject({ x: z.string().optional(), y: z.string().optional() }).optional(),
  });
}

export const PlotSpecWithRefs = plotSpecSchema(true);
export const PlotSpec = plotSpecSchema(false);
export type PlotSpec = z.infer<typeof PlotSpec>;
export type MarkSpec = PlotSpec['marks'][number];

// ---------------------------------------------------------------------------------------------
// proxy

/** A field of a proxy cell: the value itself, or `$param` to take a param's value. */
const valueOrParam = <T extends z.ZodType>(value: T) => z.union([ParamRef, value]);

/** The rule's fields (src/labels/rule-fields.ts), each optional, its value written out or a `$param`. */
const ruleFields = Object.fromEntries(
  RULE_FIELD_NAMES.map((f) => [f, valueOrParam(RULE_FIELDS[f].type).optional()]),
) as { [F in RuleFieldName]: z.ZodOptional<z.ZodUnion<[typeof ParamRef, (typeof RULE_FIELDS)[F]['type']]>> };

/** A threshold grid of the sweep: `from`, `from + step`, ... up to `to`. */
const SweepAxis = z
  .strictObject({
    from: z.number().min(0).max(1),
    to: z.number().min(0).max(1),
    step: z
      .number()
      .min(0.005, 'expected a step of at least 0.005 (a finer grid is too many cells to redraw on every move)')
      .max(1),
  })
  .refine((a) => a.to >= a.from, { message: 'expected to >= from' });

/**
 * A proxy cell: the proxy-label rule (src/labels/config.ts) with each field either written out or
 * taken from a param. Only the field's type and range are checked here (RULE_FIELDS' `type`); the
 * whole rule (a severity in both lists, an unknown severity) is checked with the params' values
 * on every run, and the error names the cell's field and the param it came from.
 */
export const ProxySpec = z.strictObject({
  ...ruleFields,
  label_confidence: LabelConfidenceSchema.optional(),
  /** Width of the confidence histogram's bins. */
  histogram_width: z.number().min(0.005).max(0.5).default(0.02),
  /** The sweep's grid over (positive threshold x negative threshold). */
  sweep: z
    .strictObject({ positive: SweepAxis, negative: SweepAxis })
    .default({ positive: { from: 0.5, to: 1, step: 0.05 }, negative: { from: 0, to: 1, step: 0.05 } }),
});
export type ProxySpec = z.infer<typeof ProxySpec>;

/** The fields of a proxy cell that map onto the label configuration (and may name a param). */
export const PROXY_CONFIG_FIELDS: readonly RuleFieldName[] = RULE_FIELD_NAMES;
export type ProxyConfigField = RuleFieldName;

// ---------------------------------------------------------------------------------------------
// compare

/**
 * Training-config fields a compare cell does not take: it runs `strategies` (not the single
 * `strategy` of the single-model path), and the notebook's training runner picks the TF.js backend.
 */
export const COMPARE_REFUSED_FIELDS: Readonly<Record<string, string>> = {
  strategy: 'a compare cell runs the strategies listed in `strategies`',
  backend: "the notebook's training runner picks the fastest TF.js backend",
};

/** Whether a value is, or holds, a `$param` reference. */
function holdsParamRef(value: unknown): boolean {
  if (typeof value === 'string') return PARAM_REF_PATTERN.test(value);
  if (Array.isArray(value)) return value.some(holdsParamRef);
  if (value && typeof value === 'object') return Object.values(value).some(holdsParamRef);
  return false;
}

/** The body without the values that are or hold a `$param` (their defaults stand in while checking). */
function withoutParamRefs(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = withoutParamRefs(v as Record<string, unknown>);
    else if (!holdsParamRef(v)) out[k] = v;
  }
  return out;
}

/**
 * A compare cell: a training configuration (src/experiment/config.ts, the same fields as `lab
 * compare --config`), any field's value written out or taken from a param (`split: {groupBy:
 * $group_by}`). The body is kept as written; here it is checked against the training schema
 * with the param-bound fields left at their defaults, so a typo or a bad value is a problem of
 * the file. The whole configuration, params filled in, is checked again on every run, and an
 * error then names the field and its param.
 */
export const CompareSpec = z.record(z.string(), z.unknown()).check((ctx) => {
  for (const [field, why] of Object.entries(COMPARE_REFUSED_FIELDS)) {
    if (field in ctx.value)
      ctx.issues.push({
        code: 'custom',
        path: [field],
        message: `not a compare cell field: ${why}`,
        input: ctx.value[field],
      });
  }
  const checked = TrainingConfigSchema.safeParse(withoutParamRefs(ctx.value));
  if (!checked.success)
    for (const issue of checked.error.issues)
      ctx.issues.push({ ...issue, input: undefined } as (typeof ctx.issues)[number]);
});
export type CompareSpec = z.infer<typeof CompareSpec>;

// ---------------------------------------------------------------------------------------------
// labels, quality

/** A data file named by a notebook: relative, inside the data folder. */
export const DataFilePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), {
    message: 'expected a path inside the data folder, like labels/example-labels-v1.csv',
  });

/**
 * A labels cell: a label file imported as the Labels view would (src/ingest), once: the same
 * bytes already in the event log are reported, not appended again. `mapping` is the import's
 * mapping (other column names, label spellings, defaults), as `lab labels import --mapping`.
 */
export const LabelsSpec = z.strictObject({
  file: DataFilePath,
  mapping: LabelMappingSchema.optional(),
  unknown_targets: z.enum(['reject', 'keep']).default('reject'),
});
export type LabelsSpec = z.infer<typeof LabelsSpec>;

/** A quality cell: label coverage, agreement and kappa, and optionally suspected mislabels. */
export const QualitySpec = z.strictObject({
  /** Labels cells whose imports this report must include (it runs after them). */
  after: z.array(Name).default([]),
  /**
   * Write the design's default proxy rule into the alert rows first (as `lab proxy-labels`
   * does), so the proxy rule is one of the raters; without it only labels the rows already carry.
   */
  apply_proxy_rule: z.boolean().default(false),
  suspects: z
    .strictObject({
      labels: z.enum(['explicit', 'effective']).default('explicit'),
      folds: z.number().int().min(2).max(20).default(5),
      limit: z.number().int().min(1).max(1000).default(25),
    })
    .optional(),
});
export type QualitySpec = z.infer<typeof QualitySpec>;

// validate

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(d)), 'expected a real calendar date');

/**
 * A validate cell: a submission scored as the network's validator would (src/validator/): a scores
 * file among the notebook's data files, or a compare cell's strategy. Exactly one of `scores` and `from`.
 */
export const ValidateSpec = z
  .strictObject({
    /** A scores file among the notebook's data files. */
    scores: DataFilePath.optional(),
    /** Other miners' scores files (a miner column names several in one file), for Tier 2's consensus. */
    consensus: z.array(DataFilePath).default([]),
    /** The snapshot scored; by default the file's own processing_date, else the one its alert ids fit. */
    date: IsoDate.optional(),
    window: z.number().int().min(1).optional(),
    /** The day the validator scores it (the submission's age); default: the latest date loaded. */
    as_of: IsoDate.optional(),
    /** A compare cell of this notebook. */
    from: Name.optional(),
    /** With `from`: the strategy scored; default: the one with the highest mean final score. */
    strategy: z.string().min(1).optional(),
  })
  .superRefine((s, ctx) => {
    const say = (message: string, path: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
    if (s.scores === undefined && s.from === undefined)
      say('expected either scores (a scores file) or from (a compare cell)', 'scores');
    if (s.scores !== undefined && s.from !== undefined)
      say('give either scores or from, not both: one submission per cell', 'from');
    if (s.from === undefined && s.strategy !== undefined)
      say('strategy picks a strategy of `from`: give from', 'strategy');
    if (s.from !== undefined)
      for (const k of ['consensus', 'date', 'window', 'as_of'] as const)
        if (k === 'consensus' ? s.consensus.length > 0 : s[k] !== undefined)
          say(`${k} is for a scores file; with from, the compare cell's preview chose the snapshots`, k);
  });
export type ValidateSpec = z.infer<typeof ValidateSpec>;
