/**
 * What the proxy cell's toolbar does, apart from drawing: the rule as a config file, a config
 * file back into the notebook's params, and the labelled alerts as Parquet.
 *
 * Loading sets the params the cell's fields are bound to; a field the cell writes out itself
 * cannot be changed by a file, and the user is told which ones differ rather than having them
 * silently ignored. The params are set together and put back as they were if any is refused
 * (a threshold outside a slider's range, a severity the checkbox group does not offer), so a
 * half-applied file never runs.
 */
import { tableToParquet, type ParquetCodec } from '../db/runtime.ts';
import { loadConfig, saveConfig, type ProxyLabelConfig } from '../labels/config.ts';
import { ruleFieldValue } from '../labels/rule-fields.ts';
import { PROXY_CONFIG_FIELDS, type ProxyConfigField } from '../notebook/cell-schemas.ts';
import type { ProxyResult } from '../notebook/cells/proxy.ts';
import type { ParamValue } from '../notebook/params.ts';
import type { SetParam } from './param-inputs.ts';

/** A config field's value, as the cell's field names it (src/labels/rule-fields.ts). */
function fieldValue(config: ProxyLabelConfig, field: ProxyConfigField): ParamValue {
  return ruleFieldValue(config, field) as ParamValue;
}

export interface LoadOutcome {
  /** Params set, with their new values. */
  set: { param: string; field: ProxyConfigField; value: ParamValue }[];
  /** Fields the cell fixes itself whose value in the file differs (not applied). */
  fixed: ProxyConfigField[];
  /** label_confidence differs and the cell has no param for it (not applied). */
  labelConfidenceDiffers: boolean;
}

/**
 * Parse `text` (JSON or YAML, by the file name) and set the params bound to the rule's fields.
 * Throws ConfigError for a file that does not validate, or the refused param's error (after
 * putting every param back).
 */
export function loadConfigIntoParams(
  text: string,
  fileName: string,
  current: ProxyResult,
  params: Record<string, ParamValue>,
  setParam: SetParam,
): LoadOutcome {
  const config = loadConfig(text, fileName);
  const outcome: LoadOutcome = {
    set: [],
    fixed: [],
    labelConfidenceDiffers: JSON.stringify(config.label_confidence) !== JSON.stringify(current.config.label_confidence),
  };
  for (const field of PROXY_CONFIG_FIELDS) {
    const value = fieldValue(config, field);
    const param = current.bindings[field];
    if (param !== undefined) outcome.set.push({ param, field, value });
    else if (JSON.stringify(value) !== JSON.stringify(fieldValue(current.config, field))) outcome.fixed.push(field);
  }
  const before = outcome.set.map((s) => [s.param, params[s.param]] as const);
  try {
    for (const s of outcome.set) setParam(s.param, s.value);
  } catch (e) {
    for (const [param, value] of before) if (value !== undefined) setParam(param, value);
    throw e;
  }
  return outcome;
}

/** The rule as a YAML config file's text: every field written out. */
export function configYaml(value: ProxyResult): string {
  return saveConfig(value.config, 'yaml');
}

/** The labelled alerts (explicit labels winning, as `lab proxy-labels --out` writes them) as Parquet. */
export async function labelledAlertsParquet(
  value: ProxyResult,
  codec: ParquetCodec,
): Promise<{ bytes: Uint8Array; rows: number }> {
  const table = await value.labelledAlerts();
  return { bytes: await tableToParquet(codec, table), rows: table.numRows };
}
