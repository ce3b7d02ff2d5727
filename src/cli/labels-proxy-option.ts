/**
 * --proxy and --proxy-config C, shared by `lab labels quality` and `lab labels export`: apply the
 * design's proxy rule (src/labels), or the rule in C, before measuring or exporting. Without
 * either, proxy labels are only those the loaded alerts already carry.
 */
import type { Database } from '../db/database.ts';
import { applyProxyLabels } from '../labels/apply.ts';
import { ruleSignature, type ProxyLabelConfig } from '../labels/config.ts';
import { readProxyConfig } from './config-files.ts';

export const PROXY_OPTIONS = {
  proxy: { type: 'flag' },
  'proxy-config': { type: 'string' },
} as const;

/** The proxy rule to apply: --proxy-config's, the default for --proxy, or none. */
export async function proxyRuleOption(options: {
  proxy: boolean;
  'proxy-config': string | undefined;
}): Promise<ProxyLabelConfig | undefined> {
  if (options['proxy-config'] !== undefined) return readProxyConfig(options['proxy-config']);
  return options.proxy ? readProxyConfig(undefined) : undefined;
}

export async function applyProxyRule(db: Database, config: ProxyLabelConfig | undefined): Promise<void> {
  if (!config) return;
  const r = await applyProxyLabels(db, config);
  process.stderr.write(
    `proxy rule ${ruleSignature(config)}: ${r.positive} positive, ${r.negative} negative, ${r.uncertain} uncertain alert rows\n`,
  );
}
