/**
 * `lab proxy-labels`: derive proxy labels for loaded SOT data and write them out, and/or emit the
 * same rule as a ClickHouse script for the real pipeline.
 *
 *   lab proxy-labels --data DIR [--labels FILE ...] [--config FILE] --out labels.parquet|labels.csv [--keep-uncertain]
 *   lab proxy-labels [--config FILE] --clickhouse rule.sql [--clickhouse-mode update|select|both]
 *
 * Explicit labels (label files given with --labels, imported as in `lab labels import`) win over
 * the rule; label_source says who labelled each row. The counts per label and source go to
 * stdout, the rule's warnings to stderr.
 */
import { writeFile } from 'node:fs/promises';
import { DataType, Precision, type Table } from 'apache-arrow';
import { tableToParquet } from '../db/runtime.ts';
import { rows, type Database } from '../db/database.ts';
import { proxyLabelsClickHouse } from '../labels/clickhouse.ts';
import { ruleSignature } from '../labels/config.ts';
import { LabelCube } from '../labels/cube.ts';
import { proxyLabelsQuery } from '../labels/proxy-sql.ts';
import { proxyWarnings } from '../labels/warnings.ts';
import { defineCommand } from './command.ts';
import { readProxyConfig } from './config-files.ts';
import { loadLab, DATA_OPTIONS, dataLimits } from './load-lab.ts';
import { CliError, formatTable } from './output.ts';

/** The columns written: the alert's key (alert_id recurs across windows) and its label. */
const OUTPUT_COLUMNS = [
  'alert_id',
  'window_days',
  'processing_date',
  'label',
  'label_source',
  'label_confidence',
] as const;

export const proxyLabelsCommand = defineCommand({
  name: 'proxy-labels',
  summary: 'derive proxy labels (explicit labels win) and write Parquet/CSV, or emit the rule as ClickHouse SQL',
  usage:
    'lab proxy-labels --data DIR [--labels FILE] [--config FILE] --out FILE [--keep-uncertain] [--clickhouse FILE]',
  options: {
    ...DATA_OPTIONS,
    labels: { type: 'list' },
    config: { type: 'string' },
    out: { type: 'string' },
    'keep-uncertain': { type: 'flag' },
    clickhouse: { type: 'string' },
    'clickhouse-mode': { type: 'string', default: 'update' },
  },
  async run(options) {
    const config = await readProxyConfig(options.config);
    const { data, out, clickhouse } = options;
    if (!out && !clickhouse)
      throw new CliError('proxy-labels: give --out FILE (with --data DIR) and/or --clickhouse FILE');
    if (out && data.length === 0) throw new CliError('proxy-labels: --out needs --data DIR to label');
    if (out) outputFormat(out);

    if (clickhouse) {
      const mode = options['clickhouse-mode'];
      if (mode !== 'update' && mode !== 'select' && mode !== 'both') {
        throw new CliError(`proxy-labels: --clickhouse-mode must be update, select or both, not '${mode}'`);
      }
      await writeFile(clickhouse, proxyLabelsClickHouse(config, { mode }));
      process.stdout.write(`ClickHouse script written to ${clickhouse}\n`);
    }
    if (!out) return 0;

    const { lab, rt, errors } = await loadLab(data, { ...dataLimits(options), labels: options.labels });
    const keepUncertain = options['keep-uncertain'] || config.uncertain === 'keep';
    const { sql, params } = proxyLabelsQuery(config, { keepUncertain });
    const labelled = `SELECT ${OUTPUT_COLUMNS.join(', ')} FROM (${sql}) ORDER BY processing_date, window_days, alert_id`;
    const table = await lab.db.query(labelled, params);
    await writeFile(out, outputFormat(out) === 'csv' ? toCsv(table) : await tableToParquet(rt.parquet, table));

    process.stdout.write(`rule: ${ruleSignature(config)}\n`);
    process.stdout.write(await countsTable(lab.db, labelled, params));
    process.stdout.write(
      `${table.numRows.toLocaleString('en-US')} rows written to ${out}${keepUncertain ? ' (uncertain rows kept, label empty)' : ''}\n`,
    );
    const cube = await LabelCube.build(lab.db);
    for (const w of proxyWarnings(cube, config)) process.stderr.write(`${w.level}: ${w.message}\n`);
    return errors > 0 ? 1 : 0;
  },
});

function outputFormat(path: string): 'parquet' | 'csv' {
  if (/\.parquet$/i.test(path)) return 'parquet';
  if (/\.csv$/i.test(path)) return 'csv';
  throw new CliError(`proxy-labels: --out must end in .parquet or .csv (got ${path})`);
}

async function countsTable(db: Database, labelled: string, params: Parameters<Database['query']>[1]): Promise<string> {
  const counts = rows<{ label: string; label_source: string; alerts: number }>(
    await db.query(
      `SELECT CASE label WHEN 1 THEN 'positive' WHEN 0 THEN 'negative' ELSE 'uncertain' END AS label, label_source, alerts
      FROM (SELECT label, label_source, CAST(count(*) AS DOUBLE) AS alerts FROM (${labelled}) GROUP BY label, label_source)
      ORDER BY coalesce(-label, 1), label_source`,
      params,
    ),
  );
  return formatTable(
    ['label', 'source', 'alerts'],
    counts.map((c) => [c.label, c.label_source, c.alerts]),
  );
}

/** RFC 4180 CSV: a header, then one line per row; NULL is an empty field, dates are YYYY-MM-DD. */
export function toCsv(table: Table): string {
  const fields = table.schema.fields;
  const cols = fields.map((_, i) => table.getChildAt(i)!);
  const format = fields.map((f) => {
    if (DataType.isDate(f.type)) return (v: unknown) => new Date(Number(v)).toISOString().slice(0, 10);
    if (DataType.isFloat(f.type) && f.type.precision === Precision.SINGLE)
      return (v: unknown) => float32Text(Number(v));
    return (v: unknown) => {
      const s = String(v);
      return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
  });
  const lines = [fields.map((f) => f.name).join(',')];
  for (let r = 0; r < table.numRows; r++) {
    lines.push(
      cols
        .map((c, i) => {
          const v = c.get(r);
          return v === null || v === undefined ? '' : format[i]!(v);
        })
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A FLOAT column's value in the fewest digits that read back as the same Float32: label
 * confidence 0.7 is stored as 0.699999988 and written as 0.7.
 */
export function float32Text(v: number): string {
  for (let digits = 1; digits <= 9; digits++) {
    const text = v.toPrecision(digits);
    if (Math.fround(Number(text)) === v) return String(Number(text));
  }
  return String(v);
}
