/** `lab labels export`: the label events, or the effective labels, as Parquet. */
import { writeFile } from 'node:fs/promises';
import { exportLabels } from '../ingest/index.ts';
import { defineCommand, noArguments } from './command.ts';
import { applyProxyRule, PROXY_OPTIONS, proxyRuleOption } from './labels-proxy-option.ts';
import { loadLab, DATA_OPTIONS, dataLimits } from './load-lab.ts';
import { CliError } from './output.ts';

export const labelsExportCommand = defineCommand({
  name: 'labels export',
  summary: 'write the label events, or the effective labels, as Parquet',
  usage:
    'lab labels export  --data DIR --labels F [--effective [--include-proxy]] [--proxy | --proxy-config C] --out OUT.parquet',
  options: {
    ...DATA_OPTIONS,
    labels: { type: 'list' },
    effective: { type: 'flag' },
    'include-proxy': { type: 'flag' },
    ...PROXY_OPTIONS,
    out: { type: 'string' },
  },
  async run(options, positionals) {
    noArguments(labelsExportCommand, positionals);
    if (options.data.length === 0) throw new CliError('labels export: give --data DIR');
    const out = options.out;
    if (!out) throw new CliError('labels export: give --out');
    const config = await proxyRuleOption(options);
    const { rt, errors } = await loadLab(options.data, { ...dataLimits(options), labels: options.labels });
    await applyProxyRule(rt.db, config);
    const kind = options.effective ? 'effective' : 'events';
    await writeFile(out, await exportLabels(rt, kind, { includeProxy: options['include-proxy'] }));
    process.stdout.write(`wrote the ${kind === 'events' ? 'label events' : 'effective labels'} to ${out}\n`);
    return errors > 0 ? 1 : 0;
  },
});
