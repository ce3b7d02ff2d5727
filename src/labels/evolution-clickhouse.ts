/**
 * The evolution labels as a ClickHouse script, for a miner whose SOT data lives in ClickHouse: a
 * view `evolution_labels` over raw_alerts and raw_features with exactly the columns and rows the
 * lab computes in DuckDB (src/labels/evolution.ts renders both; test/evolution-clickhouse.test.ts
 * checks them row for row on chdb). Safe to run twice.
 */
import type { PatternThresholds } from '../validator/config.ts';
import { DEFAULT_HORIZON_DAYS, evolutionLabelsQuery } from './evolution.ts';

export const EVOLUTION_VIEW = 'evolution_labels';

export interface EvolutionScriptOptions {
  horizonDays?: number;
  patterns?: PatternThresholds;
}

export function evolutionLabelsClickHouse(opts: EvolutionScriptOptions = {}): string {
  const horizon = opts.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const { sql } = evolutionLabelsQuery({ ...opts, horizonDays: horizon, dialect: 'clickhouse' });
  const header = [
    "-- Label Lab: evolution labels for ClickHouse (the validator's Tier 3B patterns). Generated; edit the configuration, not this file.",
    `-- horizon: ${horizon} days; thresholds and ranges as literals below (src/validator/config.ts).`,
    '-- Per alert of raw_alerts whose address has raw_features rows at its date and at date + horizon, same window.',
    '-- Run with: clickhouse-client --multiquery < this-file.sql',
  ];
  return `${header.join('\n')}\n\nCREATE OR REPLACE VIEW ${EVOLUTION_VIEW} AS\n${sql};\n`;
}
