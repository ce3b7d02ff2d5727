/** `lab labels quality`: coverage per rater and agreement (Cohen's kappa) between raters. */
import { labelQuality } from '../quality/index.ts';
import { defineCommand, noArguments } from './command.ts';
import { formatQualityReport } from './label-report.ts';
import { applyProxyRule, PROXY_OPTIONS, proxyRuleOption } from './labels-proxy-option.ts';
import { loadLab, DATA_OPTIONS, dataLimits } from './load-lab.ts';
import { CliError } from './output.ts';

export const labelsQualityCommand = defineCommand({
  name: 'labels quality',
  summary: 'label coverage per rater and the agreement between raters',
  usage: 'lab labels quality --data DIR [--labels F ...] [--proxy | --proxy-config C] [--json]',
  options: { ...DATA_OPTIONS, labels: { type: 'list' }, ...PROXY_OPTIONS, json: { type: 'flag' } },
  async run(options, positionals) {
    noArguments(labelsQualityCommand, positionals);
    if (options.data.length === 0) throw new CliError('labels quality: give --data DIR');
    const config = await proxyRuleOption(options);
    const { lab, errors } = await loadLab(options.data, { ...dataLimits(options), labels: options.labels });
    await applyProxyRule(lab.db, config);
    const report = await labelQuality(lab.db);
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatQualityReport(report));
    return errors > 0 ? 1 : 0;
  },
});
