/**
 * A proxy cell: the proxy-label rule with its fields taken from params, evaluated on the label
 * cube, its results published in memory for plot and table cells.
 *
 * The cube (LabelCube.build: one grouping query and a prefix-sum pass, seconds at a million
 * alerts) is built on the first run and kept in the notebook's memo until the data changes; a
 * param change only evaluates the rule on it (about a millisecond) and rebuilds the small tidy
 * results. Nothing is written to the database on a move.
 */
import type { Table } from 'apache-arrow';
import { ConfigError, parseConfig, ruleSignature, type ProxyLabelConfig } from '../../labels/config.ts';
import { LabelCube } from '../../labels/cube.ts';
import { ruleFieldAt, setRuleField } from '../../labels/rule-fields.ts';
import { proxyLabelsQuery } from '../../labels/proxy-sql.ts';
import { agreement, REFERENCES, summarize, type Agreement, type Summary } from '../../labels/stats.ts';
import { proxyWarnings, type ProxyWarning } from '../../labels/warnings.ts';
import { yamlBody, type CellKindModule } from '../cell-kind.ts';
import { PARAM_REF_PATTERN, PROXY_CONFIG_FIELDS, ProxySpec, type ProxyConfigField } from '../cell-schemas.ts';
import type { MemoryResult } from '../memory-results.ts';
import { paramRefsIn } from '../param-refs.ts';
import type { ParamValue } from '../params.ts';
import { renderProxyReport } from '../report-proxy.ts';
import { throwIfStale, type RunContext } from './context.ts';
import { PROXY_PARTS, proxyResults, sweepAxis } from './proxy-results.ts';

export interface ProxyCellSpec {
  kind: 'proxy';
  proxy: ProxySpec;
}

/** The memo key of the cube: one per notebook, shared by its proxy cells. */
export const CUBE_MEMO = 'label-cube';

export interface ProxyResult {
  kind: 'proxy';
  name: string;
  /** The rule as evaluated: every field filled in (defaults where the cell says nothing). */
  config: ProxyLabelConfig;
  /** `labeled_by` of the rule: its name and every threshold. */
  signature: string;
  /** The param each config field was taken from (fields written out in the cell are absent). */
  bindings: Partial<Record<ProxyConfigField, string>>;
  summary: Summary;
  /** Agreement with each reference present (ground truth, explicit labels). */
  agreement: Agreement[];
  warnings: ProxyWarning[];
  /** The in-memory results plot and table cells draw, by their full name (`labels.by_severity`). */
  results: MemoryResult[];
  /** Alerts the cube holds, and how long building it took (once per data). */
  cube: { alerts: number; buildMs: number };
  /** Milliseconds of this run spent evaluating the rule and building the results. */
  evaluateMs: number;
  /**
   * Every labelled alert row (explicit labels win, uncertain rows as the config's `uncertain`
   * says), as `lab proxy-labels` writes them: a query on the notebook's database, run on demand.
   */
  labelledAlerts(): Promise<Table>;
}

interface BuiltCube {
  cube: LabelCube;
  buildMs: number;
  /** Tells this build from the ones before it: what is kept over the cube is kept under it. */
  key: string;
}

/** Cubes built by this page or process, to key what is kept over each one. */
let cubesBuilt = 0;

export async function runProxyCell(name: string, spec: ProxySpec, ctx: RunContext): Promise<ProxyResult> {
  const { config, bindings } = proxyConfig(spec, ctx.params);
  const built = await ctx.memo<BuiltCube>(CUBE_MEMO, async () => {
    const started = performance.now();
    const cube = await LabelCube.build(ctx.db);
    return { cube, buildMs: performance.now() - started, key: `cube-${++cubesBuilt}` };
  });
  throwIfStale(ctx.signal);
  const started = performance.now();
  const { cube } = built;
  const evaluation = cube.evaluate(config);
  const warnings = proxyWarnings(cube, config, evaluation);
  const results = proxyResults({
    cell: name,
    cube,
    cubeKey: built.key,
    keep: ctx.keep,
    config,
    evaluation,
    warnings,
    grid: { positive: sweepAxis(spec.sweep.positive), negative: sweepAxis(spec.sweep.negative) },
    histogramWidth: spec.histogram_width,
  });
  const references = REFERENCES.filter((r) => (r === 'truth' ? cube.hasTruth : cube.hasExplicit));
  const db = ctx.db;
  return {
    kind: 'proxy',
    name,
    config,
    signature: ruleSignature(config),
    bindings,
    summary: summarize(evaluation.overall),
    agreement: references.map((r) => agreement(evaluation.overall, r)).filter((a): a is Agreement => a !== null),
    warnings,
    results,
    cube: { alerts: cube.alerts, buildMs: built.buildMs },
    evaluateMs: performance.now() - started,
    labelledAlerts: () => {
      const { sql, params } = proxyLabelsQuery(config);
      return db.query(`${sql}\nORDER BY processing_date, window_days, alert_id`, params);
    },
  };
}

/**
 * The cell's fields with the params' values filled in, checked as a whole by the label config's
 * schema. A problem is reported on the cell's own field, with the param it came from and its
 * value: "negative_severities ($neg_sev = [high, low]): severity 'high' is in both ...".
 */
export function proxyConfig(
  spec: ProxySpec,
  params: RunContext['params'],
): { config: ProxyLabelConfig; bindings: Partial<Record<ProxyConfigField, string>> } {
  const input: Record<string, unknown> = { positive: {}, negative: {} };
  const bindings: Partial<Record<ProxyConfigField, string>> = {};
  for (const field of PROXY_CONFIG_FIELDS) {
    const written = spec[field];
    if (written === undefined) continue;
    let value: unknown = written;
    const ref = typeof written === 'string' ? PARAM_REF_PATTERN.exec(written) : null;
    if (ref) {
      const param = params.get(ref[1]!);
      if (!param) throw new Error(`${field}: unknown parameter $${ref[1]}`);
      bindings[field] = ref[1]!;
      value = param.value;
    }
    setRuleField(input, field, value);
  }
  if (spec.label_confidence) input.label_confidence = spec.label_confidence;
  try {
    return { config: parseConfig(input, 'proxy cell'), bindings };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new Error(e.issues.map((i) => `${fieldOf(i.path, bindings, params)}${i.message}`).join('; '));
  }
}

/** `negative.severities.1` → `negative_severities ($neg_sev = [high, low]): `. */
function fieldOf(
  path: string,
  bindings: Partial<Record<ProxyConfigField, string>>,
  params: RunContext['params'],
): string {
  const field = ruleFieldAt(path);
  if (!field) return path ? `${path}: ` : '';
  const param = bindings[field];
  return param === undefined ? `${field}: ` : `${field} ($${param} = ${paramText(params.get(param)!.value)}): `;
}

function paramText(v: ParamValue): string {
  return Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
}

/** The proxy kind: it reads every `$name` among its fields, and publishes its results in memory. */
export const proxyCell: CellKindModule<'proxy', ProxyCellSpec, ProxyResult> = {
  kind: 'proxy',
  expected: 'a YAML proxy-label rule ({positive_severities: $pos, min_confidence: $min, ...})',
  parse: yamlBody(ProxySpec, (proxy) => ({ kind: 'proxy', proxy })),
  uses: ({ proxy }) => ({ params: paramRefsIn(proxy) }),
  publishes: { parts: PROXY_PARTS, example: 'by_severity', results: (value) => value.results },
  run: (cell, ctx) => runProxyCell(cell.name, cell.spec.proxy, ctx),
  report: (value, { el }) => [renderProxyReport(el, value)],
};
