/**
 * A small hand-labelled set (labels/example-labels-v1.parquet and .csv) in the label schema the
 * design adds: label 1/0 (TINYINT), label_source 'validated' or 'community', label_confidence
 * (FLOAT), labeled_at (TIMESTAMP), labeled_by, plus the alert's address and processing_date.
 *
 * The labels mostly agree with the planted truth: validated labels about 98%, community labels
 * about 90% (community reviewers err both ways). Alerts are drawn uniformly from all distinct
 * alerts, so the set has about the alerts' base rate.
 */
import type { Table } from 'apache-arrow';
import { isoDate, isoTimestamp } from './calendar.ts';
import * as col from './columns.ts';
import type { TruthRow } from './ground-truth.ts';
import type { Population } from './population.ts';
import { hash01, rng } from './prng.ts';

export const EXAMPLE_LABELS = 300;
const VALIDATED_SHARE = 1 / 3;
const VALIDATED_AGREEMENT = 0.98;
const COMMUNITY_AGREEMENT = 0.9;
const COMMUNITY = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
const VALIDATORS = ['validator-01', 'validator-02', 'validator-03'];

export interface ExampleLabel {
  id: string;
  address: number;
  day: number;
  label: 0 | 1;
  source: 'validated' | 'community';
  confidence: number;
  labeledAtMs: number;
  labeledBy: string;
  /** The planted truth, for reporting agreement (not exported). */
  truth: boolean;
}

export function buildExampleLabels(truth: readonly TruthRow[], seed: number): ExampleLabel[] {
  const r = rng(seed, 'example-labels');
  const chosen = [...truth]
    .map((t) => ({ t, key: hash01(seed, 'example-pick', t.id) }))
    .sort((x, y) => x.key - y.key)
    .slice(0, EXAMPLE_LABELS)
    .map((x) => x.t)
    .sort((x, y) => x.day - y.day || (x.id < y.id ? -1 : 1));
  return chosen.map((t) => {
    const validated = r.chance(VALIDATED_SHARE);
    const agrees = r.chance(validated ? VALIDATED_AGREEMENT : COMMUNITY_AGREEMENT);
    const label = (t.illicit === agrees ? 1 : 0) as 0 | 1;
    const confidence = Math.round((validated ? r.uniform(0.95, 1) : r.uniform(0.6, 0.9)) * 100) / 100;
    const labeledAtMs = (t.day + 3 + r.int(26)) * col.DAY_MS + r.int(86_400) * 1000;
    const labeledBy = validated
      ? `validated:${VALIDATORS[r.int(VALIDATORS.length)]!}`
      : `community:${COMMUNITY[r.int(COMMUNITY.length)]!}`;
    return {
      id: t.id,
      address: t.address,
      day: t.day,
      label,
      source: validated ? 'validated' : 'community',
      confidence,
      labeledAtMs,
      labeledBy,
      truth: t.illicit,
    };
  });
}

export function exampleLabelsTable(labels: readonly ExampleLabel[], pop: Population): Table {
  return col.tableOf({
    alert_id: col.utf8(labels.map((l) => l.id)),
    address: col.utf8(labels.map((l) => pop.address[l.address]!)),
    processing_date: col.date32(Int32Array.from(labels, (l) => l.day)),
    label: col.i8(Int8Array.from(labels, (l) => l.label)),
    label_source: col.utf8(labels.map((l) => l.source)),
    label_confidence: col.f32(Float32Array.from(labels, (l) => l.confidence)),
    labeled_at: col.timestampFromMs(labels.map((l) => l.labeledAtMs)),
    labeled_by: col.utf8(labels.map((l) => l.labeledBy)),
  });
}

/** The same rows as CSV (header, ISO dates, "YYYY-MM-DD HH:MM:SS" UTC timestamps). */
export function exampleLabelsCsv(labels: readonly ExampleLabel[], pop: Population): string {
  const lines = ['alert_id,address,processing_date,label,label_source,label_confidence,labeled_at,labeled_by'];
  for (const l of labels) {
    lines.push(
      [
        l.id,
        pop.address[l.address]!,
        isoDate(l.day),
        l.label,
        l.source,
        l.confidence,
        isoTimestamp(l.labeledAtMs),
        l.labeledBy,
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}
