/**
 * The sample-data generator: builds the latent world once, then writes one processing date at a
 * time (both windows), so memory holds the world plus two windows, never the whole export.
 *
 *   DIR/snapshots/{network}/{date}/{window}/{alerts,features,clusters,money_flows}.parquet + META.json
 *   DIR/snapshots/{network}/{later date}/{window}/features.parquet + META.json (features only)
 *   DIR/address-labels/{network}_address_labels.parquet
 *   DIR/ground_truth.parquet
 *   DIR/labels/example-labels-v1.parquet and .csv
 *
 * Same seed and alert count give the same bytes in every file: all randomness comes from named
 * seeded streams or id hashes, and every table has a fixed row order.
 */
import { join } from 'node:path';
import { initNodeParquet } from '../db/node.ts';
import { addressLabelsTable, buildAddressLabels } from './address-labels.ts';
import { Agreement } from './agreement.ts';
import { alertsTable, buildAlert, type Alert } from './alerts.ts';
import { EVOLUTION_DAYS, LATER_ONLY_DATES, NETWORK, PROCESSING_DATES, snapshotsOf, type Snapshot } from './calendar.ts';
import { buildClusters, clustersTable } from './clusters.ts';
import { buildExampleLabels, exampleLabelsCsv, exampleLabelsTable } from './example-labels.ts';
import { selectExport, splitQuota } from './export-selection.ts';
import { computeFeatures, featureTable, type FeatureSet } from './features.ts';
import { groundTruthTable, sortTruth, type TruthRow } from './ground-truth.ts';
import { moneyFlowsTable } from './money-flows.ts';
import { buildPopulation, populationSizeFor, type Population } from './population.ts';
import { buildRelationships } from './relationships.ts';
import { simulateTransfers } from './transfers.ts';
import { findCandidates, TYPOLOGIES, type Candidates } from './typologies.ts';
import { buildOutIndex, sliceWindow } from './window.ts';
import { snapshotMeta, writeMeta, writeParquet, writeText, type SnapshotCounts } from './writer.ts';

export interface SampleOptions {
  alerts: number;
  seed: number;
  out: string;
  /** Progress messages (the CLI prints them; tests pass nothing). */
  log?: (message: string) => void;
}

export interface SnapshotSummary {
  batchId: string;
  dir: string;
  counts: SnapshotCounts;
  candidates: number;
  /** Feature rows kept because their address was alerted 30 days earlier in this window. */
  evolutionRows: number;
}

export interface SampleSummary {
  network: string;
  seed: number;
  population: number;
  illicitAddresses: number;
  relationships: number;
  transfers: number;
  snapshots: SnapshotSummary[];
  addressLabels: {
    rows: number;
    addresses: number;
    coverage: number;
    illicitLabelledHighRisk: number;
    highRiskIllicit: number;
  };
  groundTruth: { alerts: number; illicit: number };
  exampleLabels: { rows: number; agreeWithTruth: number; validated: number };
  agreement: Agreement;
  typologies: Record<string, number>;
  severities: Record<string, number>;
  nullConfidences: number;
}

export const EXAMPLE_LABELS_NAME = 'example-labels-v1';

function quotaPerDate(total: number, dates: number): number[] {
  return Array.from(
    { length: dates },
    (_, i) => Math.floor((total * (i + 1)) / dates) - Math.floor((total * i) / dates),
  );
}

function snapshotKey(day: number, window: number): string {
  return `${day}/${window}`;
}

/** Ascending union of two ascending row lists. */
function unionSorted(a: Int32Array, b: Int32Array): Int32Array {
  if (b.length === 0) return a;
  return Int32Array.from(new Set([...a, ...b])).sort();
}

/** A features-only snapshot folder: features.parquet and its META.json (counts and sha256 of that file). */
async function writeLaterSnapshot(
  out: string,
  s: Snapshot,
  fs: FeatureSet,
  pop: Population,
  rows: Int32Array,
  addressLabels: number,
): Promise<SnapshotSummary> {
  const dir = join(out, 'snapshots', NETWORK, s.date, String(s.window));
  const hashes = { 'features.parquet': await writeParquet(join(dir, 'features.parquet'), featureTable(fs, pop, rows)) };
  const counts: SnapshotCounts = {
    alerts: 0,
    features: rows.length,
    clusters: 0,
    money_flows: 0,
    address_labels: addressLabels,
  };
  const meta = snapshotMeta(NETWORK, s, counts, hashes);
  await writeMeta(join(dir, 'META.json'), meta);
  return { batchId: meta.batch_id, dir, counts, candidates: 0, evolutionRows: rows.length };
}

export async function generateSample(opts: SampleOptions): Promise<SampleSummary> {
  const log = opts.log ?? (() => {});
  const { seed, out } = opts;
  await initNodeParquet();

  const t0 = performance.now();
  const pop = buildPopulation(seed, populationSizeFor(opts.alerts));
  const rels = buildRelationships(seed, pop);
  const transfers = simulateTransfers(seed, pop, rels);
  const outIndex = buildOutIndex(pop, rels);
  const labels = buildAddressLabels(seed, pop);
  log(
    `world: ${pop.size} addresses, ${rels.count} relationships, ${transfers.count} transfers (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );

  await writeParquet(join(out, 'address-labels', `${NETWORK}_address_labels.parquet`), addressLabelsTable(labels, pop));

  const agreement = new Agreement();
  const typologies: Record<string, number> = Object.fromEntries(TYPOLOGIES.map((t) => [t, 0]));
  const severities: Record<string, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  let nullConfidences = 0;
  const truth = new Map<string, TruthRow>();
  const snapshots: SnapshotSummary[] = [];
  const quotas = quotaPerDate(opts.alerts, PROCESSING_DATES.length);
  // Addresses alerted per snapshot: the snapshot 30 days on exports their feature rows too, so
  // their evolution can be read (a real export has every active address; the sample a subset).
  const alerted = new Map<string, Set<number>>();
  const evolutionRowsOf = (fs: FeatureSet): Int32Array => {
    const s = fs.window.snapshot;
    const earlier = alerted.get(snapshotKey(s.day - EVOLUTION_DAYS, s.window));
    if (!earlier) return new Int32Array(0);
    const rows: number[] = [];
    for (let v = 0; v < fs.window.rows; v++) if (earlier.has(fs.window.addr[v]!)) rows.push(v);
    return Int32Array.from(rows);
  };

  for (const [di, date] of PROCESSING_DATES.entries()) {
    const windows: { fs: FeatureSet; cand: Candidates }[] = [];
    for (const snapshot of snapshotsOf(date)) {
      const data = sliceWindow(snapshot, pop, rels, outIndex, transfers);
      const fs = computeFeatures(data, pop, rels, seed);
      windows.push({ fs, cand: findCandidates(fs, rels, labels, seed) });
    }
    const keep = splitQuota(
      quotas[di]!,
      windows.map((x) => x.cand.count),
    );
    if (keep.reduce((a, b) => a + b, 0) < quotas[di]!) {
      log(
        `warning: ${date} has only ${windows.reduce((s, x) => s + x.cand.count, 0)} alert candidates for a quota of ${quotas[di]}`,
      );
    }

    for (const [wi, { fs, cand }] of windows.entries()) {
      const s = fs.window.snapshot;
      const selection = selectExport(fs, cand, pop, keep[wi]!, seed);
      const alerts: Alert[] = selection.alerts.map((i) => buildAlert(cand, i, fs, pop, seed));
      const clusters = buildClusters(alerts, fs, pop);
      const evolutionRows = evolutionRowsOf(fs);
      const featureRows = unionSorted(selection.rows, evolutionRows);
      alerted.set(snapshotKey(s.day, s.window), new Set(alerts.map((a) => a.address)));
      for (const a of alerts) {
        const illicit = pop.illicit[a.address] === 1;
        agreement.add(a, illicit);
        typologies[TYPOLOGIES[a.typology]!]!++;
        severities[a.severity]!++;
        if (a.confidenceNull) nullConfidences++;
        if (!truth.has(a.id)) truth.set(a.id, { id: a.id, address: a.address, day: s.day, illicit });
      }

      const dir = join(out, 'snapshots', NETWORK, s.date, String(s.window));
      const hashes: Record<string, string> = {};
      hashes['alerts.parquet'] = await writeParquet(join(dir, 'alerts.parquet'), alertsTable(alerts, fs, pop));
      hashes['features.parquet'] = await writeParquet(
        join(dir, 'features.parquet'),
        featureTable(fs, pop, featureRows),
      );
      hashes['clusters.parquet'] = await writeParquet(join(dir, 'clusters.parquet'), clustersTable(clusters, fs, pop));
      hashes['money_flows.parquet'] = await writeParquet(
        join(dir, 'money_flows.parquet'),
        moneyFlowsTable(fs.window, pop, rels, selection.flows),
      );
      const counts: SnapshotCounts = {
        alerts: alerts.length,
        features: featureRows.length,
        clusters: clusters.length,
        money_flows: selection.flows.length,
        address_labels: labels.rows,
      };
      const meta = snapshotMeta(NETWORK, s, counts, hashes);
      await writeMeta(join(dir, 'META.json'), meta);
      snapshots.push({
        batchId: meta.batch_id,
        dir,
        counts,
        candidates: cand.count,
        evolutionRows: evolutionRows.length,
      });
      log(
        `${meta.batch_id}: ${counts.alerts} alerts (of ${cand.count} candidates), ${counts.features} feature rows (${evolutionRows.length} for alerts ${EVOLUTION_DAYS} days before), ${counts.clusters} clusters, ${counts.money_flows} money flows (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      );
    }
  }

  // The later snapshots without alerts: only the feature rows of the addresses alerted 30 days before.
  for (const date of LATER_ONLY_DATES) {
    for (const snapshot of snapshotsOf(date)) {
      const fs = computeFeatures(sliceWindow(snapshot, pop, rels, outIndex, transfers), pop, rels, seed);
      const rows = evolutionRowsOf(fs);
      snapshots.push(await writeLaterSnapshot(out, snapshot, fs, pop, rows, labels.rows));
      log(
        `${NETWORK}-${date}-${snapshot.window}d: features only, ${rows.length} rows (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      );
    }
  }

  const truthRows = sortTruth([...truth.values()]);
  await writeParquet(join(out, 'ground_truth.parquet'), groundTruthTable(truthRows, pop, seed));
  const examples = buildExampleLabels(truthRows, seed);
  await writeParquet(join(out, 'labels', `${EXAMPLE_LABELS_NAME}.parquet`), exampleLabelsTable(examples, pop));
  await writeText(join(out, 'labels', `${EXAMPLE_LABELS_NAME}.csv`), exampleLabelsCsv(examples, pop));

  let illicitAddresses = 0;
  let illicitLabelled = 0;
  let highRiskAddresses = 0;
  let highRiskIllicit = 0;
  for (let a = 0; a < pop.size; a++) {
    illicitAddresses += pop.illicit[a]!;
    if (labels.highRisk[a]) {
      highRiskAddresses++;
      highRiskIllicit += pop.illicit[a]!;
      illicitLabelled += pop.illicit[a]!;
    }
  }
  const labelledAddresses = new Set(labels.address).size;
  log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return {
    network: NETWORK,
    seed,
    population: pop.size,
    illicitAddresses,
    relationships: rels.count,
    transfers: transfers.count,
    snapshots,
    addressLabels: {
      rows: labels.rows,
      addresses: labelledAddresses,
      coverage: labelledAddresses / pop.size,
      illicitLabelledHighRisk: illicitLabelled / Math.max(1, illicitAddresses),
      highRiskIllicit: highRiskIllicit / Math.max(1, highRiskAddresses),
    },
    groundTruth: { alerts: truthRows.length, illicit: truthRows.filter((t) => t.illicit).length },
    exampleLabels: {
      rows: examples.length,
      agreeWithTruth: examples.filter((e) => (e.label === 1) === e.truth).length,
      validated: examples.filter((e) => e.source === 'validated').length,
    },
    agreement,
    typologies,
    severities,
    nullConfidences,
  };
}
