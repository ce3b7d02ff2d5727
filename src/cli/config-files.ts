/**
 * Reading the configuration files commands take (--config, --proxy-config, --training-config,
 * --mapping), with one style of error: a missing file is "PATH: no such configuration file", an
 * unreadable one says why, and a file that does not parse gets its parser's message, which names
 * the file and the field. Any other error is a bug and is left to surface as one.
 */
import { readFile } from 'node:fs/promises';
import { parseMapping, MappingError, type LabelMapping } from '../ingest/index.ts';
import { ConfigError, DEFAULT_CONFIG, loadConfig, type ProxyLabelConfig } from '../labels/config.ts';
import {
  loadTrainingConfig,
  parseTrainingConfig,
  TrainingConfigError,
  type TrainingConfig,
} from '../experiment/config.ts';
import {
  DEFAULT_VALIDATOR_CONFIG,
  loadValidatorConfig,
  ValidatorConfigError,
  type ValidatorConfig,
} from '../validator/config.ts';
import { CliError } from './output.ts';

type ErrorClass = abstract new (...args: never[]) => Error;

async function readConfigFile<T>(
  path: string,
  parse: (text: string, path: string) => T,
  userErrors: readonly ErrorClass[],
  what = 'configuration',
): Promise<T> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new CliError(
      e.code === 'ENOENT' ? `${path}: no such ${what} file` : `${path}: cannot read it (${e.message})`,
    );
  });
  try {
    return parse(text, path);
  } catch (e) {
    if (userErrors.some((c) => e instanceof c)) throw new CliError((e as Error).message);
    throw e;
  }
}

/** The proxy-label rule of FILE, or the design's default rule without one. */
export async function readProxyConfig(path: string | undefined): Promise<ProxyLabelConfig> {
  return path ? readConfigFile(path, loadConfig, [ConfigError]) : DEFAULT_CONFIG;
}

/** The training configuration of FILE, or the defaults without one. */
export async function readTrainingConfig(path: string | undefined): Promise<TrainingConfig> {
  return path ? readConfigFile(path, loadTrainingConfig, [TrainingConfigError]) : parseTrainingConfig({});
}

/** The validator's configuration of FILE (its own validation_config.json loads), or the shipped defaults. */
export async function readValidatorConfig(path: string | undefined): Promise<ValidatorConfig> {
  return path ? readConfigFile(path, loadValidatorConfig, [ValidatorConfigError]) : DEFAULT_VALIDATOR_CONFIG;
}

/** A label import's column mapping (`lab labels import --mapping`), or none: columns are detected. */
export async function readMapping(path: string | undefined): Promise<LabelMapping | undefined> {
  return path ? readConfigFile(path, parseMapping, [MappingError], 'mapping') : undefined;
}
