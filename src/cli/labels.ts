/**
 * `lab labels <import|quality|export>`: label ingestion and quality, headless.
 *
 *   lab labels import  --data DIR --file F [--mapping M] [--keep-unknown] [--yes] [--out OUT.parquet]
 *   lab labels quality --data DIR [--labels F ...] [--proxy | --proxy-config C] [--json]
 *   lab labels export  --data DIR --labels F [--labels F ...] [--effective [--include-proxy]] [--proxy | --proxy-config C] --out OUT.parquet
 *
 * --proxy applies the design's proxy rule (src/labels) before measuring, --proxy-config C the rule
 * in C; without either, proxy labels are only those the loaded alerts already carry.
 *
 * The CLI's database lives in memory for one command, so `import` is a check-and-convert step:
 * it prints the validation report, appends on confirmation (--yes, or a y at the prompt), and
 * with --out writes the resulting label events as Parquet, which other commands take as --labels.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import type { Database } from '../db/database.ts';
import { exportLabels, parseMapping, prepareLabelImport, type LabelMapping } from '../ingest/index.ts';
import { applyProxyLabels } from '../labels/apply.ts';
import { ConfigError, DEFAULT_CONFIG, loadConfig, ruleSignature, type ProxyLabelConfig } from '../labels/config.ts';
import { filesFromPaths } from '../node/files.ts';
import { labelQuality } from '../quality/index.ts';
import type { Command } from './commands.ts';
import { loadLab } from './commands.ts';
import { formatImportReport, formatQualityReport } from './label-report.ts';
import { CliError } from './output.ts';

type Values = Parameters<Command['run']>[0];

const strings = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []);

function need(values: Values, name: string, sub: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new CliError(`labels ${sub}: give --${name}`);
  return v;
}

async function readMapping(path: string | undefined): Promise<LabelMapping | undefined> {
  if (!path) return undefined;
  const text = await readFile(path, 'utf8').catch(() => {
    throw new CliError(`${path}: cannot read the mapping file`);
  });
  try {
    return parseMapping(text, path);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

async function runImport(values: Values): Promise<number> {
  const data = strings(values.data);
  if (data.length === 0)
    throw new CliError('labels import: give --data DIR (the alerts the labels are checked against)');
  const path = need(values, 'file', 'import');
  const mapping = await readMapping(values.mapping as string | undefined);
  const [file] = await filesFromPaths([path]).catch((e: Error) => {
    throw new CliError(e.message);
  });
  const { rt } = await loadLab(data);
  const pending = await prepareLabelImport(rt, file!, {
    mapping,
    unknownTargets: values['keep-unknown'] ? 'keep' : 'reject',
  });
  process.stdout.write(formatImportReport(pending.report));
  const code = pending.report.ok ? 0 : 1;
  if (pending.report.accepted === 0) {
    await pending.discard();
    process.stdout.write('nothing to append\n');
    return 1;
  }
  const yes = values.yes === true || (await confirm(`append ${pending.report.accepted} label events? [y/N] `));
  if (!yes) {
    await pending.discard();
    process.stdout.write('nothing was written (confirm with --yes)\n');
    return code;
  }
  const appended = await pending.commit();
  process.stdout.write(`appended ${appended.events} label events (batch ${appended.batchId})\n`);
  const out = values.out as string | undefined;
  if (out) {
    await writeFile(out, await exportLabels(rt, 'events'));
    process.stdout.write(`wrote the label events to ${out}\n`);
  } else {
    process.stdout.write(
      'the CLI keeps nothing between commands: add --out FILE.parquet to save the label events, then pass them with --labels\n',
    );
  }
  return code;
}

/** The proxy rule to apply: --proxy-config's, the default for --proxy, or none. */
async function proxyConfig(values: Values): Promise<ProxyLabelConfig | undefined> {
  const path = values['proxy-config'];
  if (typeof path === 'string') {
    const text = await readFile(path, 'utf8').catch(() => {
      throw new CliError(`${path}: cannot read the proxy-label configuration`);
    });
    try {
      return loadConfig(text, path);
    } catch (e) {
      throw new CliError(e instanceof ConfigError ? e.message : String(e));
    }
  }
  return values.proxy === true ? DEFAULT_CONFIG : undefined;
}

async function applyProxy(db: Database, config: ProxyLabelConfig | undefined): Promise<void> {
  if (!config) return;
  const r = await applyProxyLabels(db, config);
  process.stderr.write(
    `proxy rule ${ruleSignature(config)}: ${r.positive} positive, ${r.negative} negative, ${r.uncertain} uncertain alert rows\n`,
  );
}

async function runQuality(values: Values): Promise<number> {
  const data = strings(values.data);
  if (data.length === 0) throw new CliError('labels quality: give --data DIR');
  const config = await proxyConfig(values);
  const { lab, errors } = await loadLab(data, { labels: strings(values.labels) });
  await applyProxy(lab.db, config);
  const report = await labelQuality(lab.db);
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatQualityReport(report));
  return errors > 0 ? 1 : 0;
}

async function runExport(values: Values): Promise<number> {
  const data = strings(values.data);
  if (data.length === 0) throw new CliError('labels export: give --data DIR');
  const out = need(values, 'out', 'export');
  const config = await proxyConfig(values);
  const { rt, errors } = await loadLab(data, { labels: strings(values.labels) });
  await applyProxy(rt.db, config);
  const kind = values.effective ? 'effective' : 'events';
  await writeFile(out, await exportLabels(rt, kind, { includeProxy: values['include-proxy'] === true }));
  process.stdout.write(`wrote the ${kind === 'events' ? 'label events' : 'effective labels'} to ${out}\n`);
  return errors > 0 ? 1 : 0;
}

export const LABELS_COMMAND: Command = {
  name: 'labels',
  summary: 'import labels (check, confirm, append), report label quality, export labels as Parquet',
  usage: 'lab labels import|quality|export --data DIR [--file F] [--labels F]',
  options: {
    data: { type: 'string', multiple: true },
    file: { type: 'string' },
    mapping: { type: 'string' },
    labels: { type: 'string', multiple: true },
    yes: { type: 'boolean', default: false },
    'keep-unknown': { type: 'boolean', default: false },
    out: { type: 'string' },
    effective: { type: 'boolean', default: false },
    'include-proxy': { type: 'boolean', default: false },
    proxy: { type: 'boolean', default: false },
    'proxy-config': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run(values, positionals) {
    const [sub, ...rest] = positionals;
    if (rest.length > 0) throw new CliError(`labels: unexpected arguments ${rest.join(' ')}`);
    if (sub === 'import') return runImport(values);
    if (sub === 'quality') return runQuality(values);
    if (sub === 'export') return runExport(values);
    throw new CliError(
      `labels: say import, quality or export\n` +
        '  lab labels import  --data DIR --file F [--mapping M] [--keep-unknown] [--yes] [--out OUT.parquet]\n' +
        '  lab labels quality --data DIR [--labels F ...] [--proxy | --proxy-config C] [--json]\n' +
        '  lab labels export  --data DIR --labels F [--effective [--include-proxy]] [--proxy | --proxy-config C] --out OUT.parquet',
    );
  },
};
