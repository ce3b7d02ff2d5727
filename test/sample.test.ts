/**
 * The sample-data generator: determinism, layout and META.json, the exact column types, the
 * SOT's severity rules, the planted truth's partial agreement with the proxy rule, and the
 * example label set. Runs the generator twice with a small alert count (a few seconds each).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import * as pq from 'parquet-wasm/esm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeParquet } from '../src/db/node.ts';
import { proxyClass } from '../src/sample/agreement.ts';
import {
  dayOf,
  EVOLUTION_DAYS,
  isoDate,
  LATER_ONLY_DATES,
  NETWORK,
  PROCESSING_DATES,
  WINDOWS,
} from '../src/sample/calendar.ts';
import { EXAMPLE_LABELS } from '../src/sample/example-labels.ts';
import { FEATURE_COLUMNS } from '../src/sample/features.ts';
import { generateSample, type SampleSummary } from '../src/sample/generate.ts';
import { alertId } from '../src/sample/ids.ts';
import { FRESH_CONFIDENCE, severityOf, TYPOLOGIES } from '../src/sample/typologies.ts';

const ALERTS = 2000;
const SEED = 7;
let dirA = '';
let dirB = '';
let summary: SampleSummary;

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(relative(dir, join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

async function readTable(path: string): Promise<Table> {
  return tableFromIPC(pq.readParquet(await readFile(path)).intoIPCStream());
}

function snapshotDir(root: string, date: string, window: number): string {
  return join(root, 'snapshots', NETWORK, date, String(window));
}

function typeOf(t: Table, column: string): string {
  const field = t.schema.fields.find((f) => f.name === column);
  if (!field) throw new Error(`missing column ${column}`);
  return String(field.type);
}

beforeAll(async () => {
  await initNodeParquet();
  dirA = await mkdtemp(join(tmpdir(), 'label-lab-sample-a-'));
  dirB = await mkdtemp(join(tmpdir(), 'label-lab-sample-b-'));
  summary = await generateSample({ alerts: ALERTS, seed: SEED, out: dirA });
  await generateSample({ alerts: ALERTS, seed: SEED, out: dirB });
});

afterAll(async () => {
  for (const dir of [dirA, dirB]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe('sample-data generator', () => {
  it('writes the same bytes for the same seed and alert count', async () => {
    const files = await listFiles(dirA);
    expect(files).toEqual(await listFiles(dirB));
    // Full snapshots: 4 Parquet files and META.json; later, features-only ones: features.parquet and META.json.
    expect(files.length).toBe(
      PROCESSING_DATES.length * WINDOWS.length * 5 + LATER_ONLY_DATES.length * WINDOWS.length * 2 + 4,
    );
    for (const f of files) expect(await sha256Of(join(dirB, f)), f).toBe(await sha256Of(join(dirA, f)));
  });

  it('lays out the snapshots and META.json as the SOT exporter does', async () => {
    const labels = await readTable(join(dirA, 'address-labels', `${NETWORK}_address_labels.parquet`));
    let alerts = 0;
    for (const date of PROCESSING_DATES) {
      for (const window of WINDOWS) {
        const dir = snapshotDir(dirA, date, window);
        const meta = JSON.parse(await readFile(join(dir, 'META.json'), 'utf8'));
        expect(meta.schema_version).toBe('1.0.0');
        expect(meta.batch_id).toBe(`${NETWORK}-${date}-${window}d`);
        expect(meta.network).toBe(NETWORK);
        expect(meta.processing_date).toBe(date);
        expect(meta.window_days).toBe(window);
        expect(meta.generated_at).toMatch(new RegExp(`^${date}T\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$`));
        expect(Object.keys(meta.sha256).sort()).toEqual([
          'alerts.parquet',
          'clusters.parquet',
          'features.parquet',
          'money_flows.parquet',
        ]);
        for (const [name, digest] of Object.entries(meta.sha256)) expect(await sha256Of(join(dir, name))).toBe(digest);
        const counts = {
          alerts: (await readTable(join(dir, 'alerts.parquet'))).numRows,
          features: (await readTable(join(dir, 'features.parquet'))).numRows,
          clusters: (await readTable(join(dir, 'clusters.parquet'))).numRows,
          money_flows: (await readTable(join(dir, 'money_flows.parquet'))).numRows,
          address_labels: labels.numRows,
        };
        expect(meta.counts).toEqual(counts);
        alerts += counts.alerts;
      }
    }
    expect(alerts).toBe(ALERTS);
  });

  it('writes the later snapshots evolution needs: the addresses alerted 30 days before, same window', async () => {
    const all: string[] = [...PROCESSING_DATES, ...LATER_ONLY_DATES];
    let pairs = 0;
    for (const date of PROCESSING_DATES) {
      const later = isoDate(dayOf(date) + EVOLUTION_DAYS);
      if (!all.includes(later)) continue;
      for (const window of WINDOWS) {
        pairs++;
        const alerted = new Set(
          (await readTable(join(snapshotDir(dirA, date, window), 'alerts.parquet'))).getChild('address')!.toArray(),
        );
        const laterAddresses = new Set(
          (await readTable(join(snapshotDir(dirA, later, window), 'features.parquet'))).getChild('address')!.toArray(),
        );
        const covered = [...alerted].filter((a) => laterAddresses.has(a)).length;
        // Addresses that fell silent in the later window have no feature row there.
        expect(covered / alerted.size, `${date} -> ${later}, ${window} days`).toBeGreaterThan(0.5);
      }
    }
    // At least two alert dates have their +30 snapshot (the validator preview needs them).
    expect(pairs).toBeGreaterThanOrEqual(2 * WINDOWS.length);

    for (const date of LATER_ONLY_DATES) {
      const base = isoDate(dayOf(date) - EVOLUTION_DAYS);
      for (const window of WINDOWS) {
        const dir = snapshotDir(dirA, date, window);
        const meta = JSON.parse(await readFile(join(dir, 'META.json'), 'utf8'));
        expect(meta.batch_id).toBe(`${NETWORK}-${date}-${window}d`);
        expect(Object.keys(meta.sha256)).toEqual(['features.parquet']);
        expect(await sha256Of(join(dir, 'features.parquet'))).toBe(meta.sha256['features.parquet']);
        const features = await readTable(join(dir, 'features.parquet'));
        expect(meta.counts).toMatchObject({ alerts: 0, features: features.numRows, clusters: 0, money_flows: 0 });
        const alerted = new Set(
          (await readTable(join(snapshotDir(dirA, base, window), 'alerts.parquet'))).getChild('address')!.toArray(),
        );
        const addresses = features.getChild('address')!.toArray() as string[];
        expect(addresses.length).toBeGreaterThan(0);
        for (const a of addresses) expect(alerted.has(a), a).toBe(true);
      }
    }
  });

  it('writes the SOT column types', async () => {
    const dir = snapshotDir(dirA, PROCESSING_DATES[0], 7);
    const alerts = await readTable(join(dir, 'alerts.parquet'));
    expect(alerts.schema.fields.map((f) => f.name)).toEqual([
      'window_days',
      'processing_date',
      'alert_id',
      'address',
      'typology_type',
      'pattern_id',
      'pattern_type',
      'severity',
      'suspected_address_type',
      'suspected_address_subtype',
      'alert_confidence_score',
      'description',
      'volume_usd',
      'evidence_json',
      'risk_indicators',
      'created_at',
    ]);
    expect(typeOf(alerts, 'window_days')).toBe('Uint16');
    expect(typeOf(alerts, 'processing_date')).toBe('Date32<DAY>');
    expect(typeOf(alerts, 'alert_confidence_score')).toBe('Float32');
    expect(typeOf(alerts, 'volume_usd')).toBe('Decimal[18e+2]');
    expect(typeOf(alerts, 'risk_indicators')).toBe('List<Utf8>');
    expect(typeOf(alerts, 'created_at')).toBe('Timestamp<MICROSECOND>');

    const features = await readTable(join(dir, 'features.parquet'));
    expect(features.schema.fields.map((f) => f.name)).toEqual([
      'window_days',
      'processing_date',
      'address',
      ...FEATURE_COLUMNS.map(([n]) => n),
    ]);
    expect(FEATURE_COLUMNS.length).toBe(95);
    const expected: Record<string, string> = {
      degree_in: 'Uint32',
      total_in_usd: 'Decimal[18e+2]',
      khop1_volume_usd: 'Decimal[38e+6]',
      amount_variance: 'Float64',
      tx_total_count: 'Uint64',
      peak_hour: 'Uint8',
      burst_factor: 'Float32',
      dominant_asset_in: 'Utf8',
      hourly_activity: 'List<Uint16>',
      daily_activity: 'List<Uint16>',
      is_exchange_like: 'Bool',
      kcore: 'Uint32',
      first_activity_timestamp: 'Uint64',
      last_activity_timestamp: 'Uint64',
    };
    for (const [column, type] of Object.entries(expected)) expect(typeOf(features, column), column).toBe(type);
    const hourly = features.getChild('hourly_activity')!.get(0)!;
    const daily = features.getChild('daily_activity')!.get(0)!;
    expect(hourly.length).toBe(24);
    expect(daily.length).toBe(7);

    const flows = await readTable(join(dir, 'money_flows.parquet'));
    const flowTypes: Record<string, string> = {
      tx_count: 'Uint64',
      amount_sum: 'Decimal[38e+6]',
      amount_usd_sum: 'Decimal[18e+2]',
      first_seen_timestamp: 'Uint64',
      active_days: 'Uint32',
      hourly_pattern: 'List<Uint16>',
      weekly_pattern: 'List<Uint16>',
      reciprocity_ratio: 'Float32',
      is_bidirectional: 'Bool',
      processing_date: 'Utf8',
      window_days: 'Int64',
    };
    for (const [column, type] of Object.entries(flowTypes)) expect(typeOf(flows, column), column).toBe(type);

    const clusters = await readTable(join(dir, 'clusters.parquet'));
    const clusterTypes: Record<string, string> = {
      related_alert_ids: 'List<Utf8>',
      addresses_involved: 'List<Utf8>',
      total_alerts: 'Uint32',
      total_volume_usd: 'Decimal[18e+2]',
      confidence_avg: 'Float32',
      earliest_alert_timestamp: 'Uint64',
      latest_alert_timestamp: 'Uint64',
    };
    for (const [column, type] of Object.entries(clusterTypes)) expect(typeOf(clusters, column), column).toBe(type);

    const labels = await readTable(join(dirA, 'address-labels', `${NETWORK}_address_labels.parquet`));
    expect(labels.schema.fields.map((f) => f.name)).toEqual([
      'processing_date',
      'window_days',
      'network',
      'address',
      'label',
      'network_type',
      'address_type',
      'address_subtype',
      'risk_level',
      'confidence_score',
      'trust_level',
      'source',
    ]);
    expect(typeOf(labels, 'confidence_score')).toBe('Float32');

    const truth = await readTable(join(dirA, 'ground_truth.parquet'));
    expect(typeOf(truth, 'is_illicit')).toBe('Bool');
    expect(typeOf(truth, 'confirmed_at')).toBe('Timestamp<MICROSECOND>');
    expect(typeOf(truth, 'processing_date')).toBe('Date32<DAY>');
  });

  it('buckets severity from confidence exactly and follows the emission rules', async () => {
    let nulls = 0;
    let rows = 0;
    const emittedAbove: Record<string, number> = { PING_PONG: 0.7, VELOCITY_ANOMALY: 0.7 };
    for (const date of PROCESSING_DATES) {
      for (const window of WINDOWS) {
        const t = await readTable(join(snapshotDir(dirA, date, window), 'alerts.parquet'));
        const ids = new Set<string>();
        for (let i = 0; i < t.numRows; i++) {
          rows++;
          const id = t.getChild('alert_id')!.get(i) as string;
          const address = t.getChild('address')!.get(i) as string;
          const typology = t.getChild('typology_type')!.get(i) as string;
          const confidence = t.getChild('alert_confidence_score')!.get(i) as number | null;
          const severity = t.getChild('severity')!.get(i) as string;
          expect(id).toBe(alertId(address, typology, date));
          expect(ids.has(id)).toBe(false);
          ids.add(id);
          expect(TYPOLOGIES).toContain(typology);
          expect(['low', 'medium', 'high', 'critical']).toContain(severity);
          if (confidence === null) {
            nulls++;
            continue;
          }
          expect(severity).toBe(severityOf(confidence));
          if (typology === 'FRESH_TO_EXCHANGE') expect(confidence).toBe(Math.fround(FRESH_CONFIDENCE));
          else if (TYPOLOGIES.indexOf(typology as never) < TYPOLOGIES.indexOf('CYCLE_DETECTION')) {
            expect(confidence).toBeGreaterThan(emittedAbove[typology] ?? 0.6);
          } else expect(confidence).toBeGreaterThanOrEqual(0.5);
        }
      }
    }
    expect(nulls).toBeGreaterThan(0);
    expect(nulls / rows).toBeLessThan(0.02);
    const lows = summary.severities['low']!;
    expect(lows / ALERTS).toBeLessThan(0.1);
  });

  it('plants a truth the proxy rule only partly recovers', async () => {
    const truth = await readTable(join(dirA, 'ground_truth.parquet'));
    const illicit = new Map<string, boolean>();
    for (let i = 0; i < truth.numRows; i++) {
      const id = truth.getChild('alert_id')!.get(i) as string;
      const positive = truth.getChild('is_illicit')!.get(i) as boolean;
      const confirmed = truth.getChild('confirmed_at')!.get(i) as number | null;
      const day = truth.getChild('processing_date')!.get(i) as number;
      illicit.set(id, positive);
      if (positive) {
        expect(confirmed).not.toBeNull();
        const lagDays = (confirmed! - day) / 86_400_000;
        expect(lagDays).toBeGreaterThanOrEqual(7);
        expect(lagDays).toBeLessThan(31);
      } else expect(confirmed).toBeNull();
    }
    const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
    for (const date of PROCESSING_DATES) {
      for (const window of WINDOWS) {
        const t = await readTable(join(snapshotDir(dirA, date, window), 'alerts.parquet'));
        for (let i = 0; i < t.numRows; i++) {
          const id = t.getChild('alert_id')!.get(i) as string;
          expect(illicit.has(id)).toBe(true);
          const cls = proxyClass(
            t.getChild('severity')!.get(i) as string,
            t.getChild('alert_confidence_score')!.get(i) as number | null,
          );
          const y = illicit.get(id)!;
          if (cls === 'positive') counts[y ? 'tp' : 'fp']++;
          else if (cls === 'negative') counts[y ? 'fn' : 'tn']++;
        }
      }
    }
    const precision = counts.tp / (counts.tp + counts.fp);
    const recall = counts.tp / (counts.tp + counts.fn);
    // Confidence carries signal, but plenty of benign alerts are confident and illicit ones are not.
    expect(precision).toBeGreaterThan(0.2);
    expect(precision).toBeLessThan(0.75);
    expect(recall).toBeGreaterThan(0.25);
    expect(recall).toBeLessThan(0.85);
    expect(counts.fp).toBeGreaterThan(counts.tp * 0.5);
    expect(counts.fn).toBeGreaterThan(0);
  });

  it('hides the truth from every single feature column', async () => {
    const truth = await readTable(join(dirA, 'ground_truth.parquet'));
    const illicitAddress = new Map<string, boolean>();
    for (let i = 0; i < truth.numRows; i++)
      illicitAddress.set(truth.getChild('address')!.get(i) as string, truth.getChild('is_illicit')!.get(i) as boolean);
    const numeric = FEATURE_COLUMNS.filter(([, kind]) => kind !== 'utf8' && kind !== 'hourly' && kind !== 'daily').map(
      ([n]) => n,
    );
    const x: Record<string, number[]> = Object.fromEntries(numeric.map((n) => [n, []]));
    const y: number[] = [];
    for (const date of PROCESSING_DATES) {
      const t = await readTable(join(snapshotDir(dirA, date, 30), 'features.parquet'));
      for (let i = 0; i < t.numRows; i++) {
        const label = illicitAddress.get(t.getChild('address')!.get(i) as string);
        if (label === undefined) continue; // only alerted addresses have a truth
        y.push(label ? 1 : 0);
        for (const n of numeric) {
          const v = t.getChild(n)!.get(i);
          x[n]!.push(
            typeof v === 'number'
              ? v
              : typeof v === 'bigint'
                ? Number(v)
                : typeof v === 'boolean'
                  ? Number(v)
                  : Number(String(v)),
          );
        }
      }
    }
    expect(y.filter((v) => v === 1).length).toBeGreaterThan(20);
    for (const n of numeric) {
      const auc = aucOf(x[n]!, y);
      expect(Math.max(auc, 1 - auc), n).toBeLessThan(0.9);
    }
  });

  it('writes the example label set in the label schema', async () => {
    const t = await readTable(join(dirA, 'labels', 'example-labels-v1.parquet'));
    expect(t.numRows).toBe(EXAMPLE_LABELS);
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'alert_id:Utf8',
      'address:Utf8',
      'processing_date:Date32<DAY>',
      'label:Int8',
      'label_source:Utf8',
      'label_confidence:Float32',
      'labeled_at:Timestamp<MICROSECOND>',
      'labeled_by:Utf8',
    ]);
    const truth = await readTable(join(dirA, 'ground_truth.parquet'));
    const illicit = new Map<string, boolean>();
    for (let i = 0; i < truth.numRows; i++)
      illicit.set(truth.getChild('alert_id')!.get(i) as string, truth.getChild('is_illicit')!.get(i) as boolean);
    let agree = 0;
    for (let i = 0; i < t.numRows; i++) {
      const label = t.getChild('label')!.get(i) as number;
      expect([0, 1]).toContain(label);
      expect(['community', 'validated']).toContain(t.getChild('label_source')!.get(i));
      expect(t.getChild('labeled_by')!.get(i)).toMatch(/^(community|validated):/);
      if ((label === 1) === illicit.get(t.getChild('alert_id')!.get(i) as string)) agree++;
    }
    expect(agree / t.numRows).toBeGreaterThan(0.85);
    expect(agree).toBeLessThan(t.numRows);
    const csv = (await readFile(join(dirA, 'labels', 'example-labels-v1.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('alert_id,address,processing_date,label,label_source,label_confidence,labeled_at,labeled_by');
    expect(csv.length).toBe(EXAMPLE_LABELS + 1);
    expect(csv[1]!.split(',')[0]).toBe(t.getChild('alert_id')!.get(0));
  });
});

/** Area under the ROC curve of score x for labels y (ties count half). */
function aucOf(x: number[], y: number[]): number {
  const order = x.map((v, i) => i).sort((a, b) => x[a]! - x[b]!);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && x[order[j]!] === x[order[i]!]) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++)
      if (y[order[k]!]) {
        rankSum += rank;
        positives++;
      }
    i = j;
  }
  const negatives = y.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
