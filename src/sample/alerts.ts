/**
 * The alerts table (alerts.parquet): an alert's exported columns from its candidate (typology,
 * confidence, evidence numbers) and the address's features, in the SOT typology detector's
 * formats: UUIDv5 alert_id of address-TYPOLOGY-date, lowercase severity bucketed from the
 * confidence, Python-style evidence_json, the detector's descriptions and risk indicators.
 * Which candidates become alerts is decided in export-selection.ts.
 */
import type { Table } from 'apache-arrow';
import * as col from './columns.ts';
import type { FeatureSet } from './features.ts';
import { alertId } from './ids.ts';
import type { Population } from './population.ts';
import { hash01 } from './prng.ts';
import { pyFloat, pyJson, type PyValue } from './pyjson.ts';
import { PATTERN_TYPES, severityOf, STRUCTURAL_FROM, T, TYPOLOGIES, type Candidates } from './typologies.ts';

/** Share of exported confidences that are NULL (real exports have a few). */
export const NULL_CONFIDENCE_SHARE = 0.005;
/** Share of structural alerts that carry their pattern_id / pattern_type (usually empty). */
const PATTERN_ID_SHARE = 0.2;

export interface Alert {
  id: string;
  row: number;
  address: number;
  typology: number;
  /** Confidence as computed (Float32 value); `confidenceNull` hides it in the export. */
  confidence: number;
  confidenceNull: boolean;
  severity: string;
  volume: number;
  description: string;
  evidence: string;
  risk: readonly string[];
  patternId: string;
  patternType: string;
  suspectedType: string;
  createdMs: number;
}

/** The detector's risk_indicators per typology, in TYPOLOGIES order. */
const RISK_INDICATORS: readonly (readonly string[])[] = [
  ['long_chain', 'sequential_transfers', 'low_branching'],
  ['small_transactions', 'below_threshold', 'frequent_activity'],
  ['high_reciprocity', 'limited_counterparties', 'bidirectional_flows'],
  ['many_recipients', 'burst_activity', 'rapid_distribution'],
  ['high_velocity', 'rapid_movement', 'burst_activity'],
  ['fresh_funds', 'immediate_exchange_transfer'],
  ['money_laundering_cycle', 'circular_flow', 'fund_obfuscation'],
  ['layering_scheme', 'multi_hop_transfer', 'fund_obfuscation'],
  ['smurfing_network', 'coordinated_transfers', 'threshold_evasion'],
  ['proximity_to_risk', 'risk_contamination', 'guilt_by_association'],
  ['concentration_pattern', 'fund_collection', 'aggregation_behavior'],
  ['distribution_pattern', 'fund_dispersal', 'broadcasting_behavior'],
];

/** detection_method in structural evidence, per pattern type (PATTERN_TYPES order). */
const DETECTION_METHODS = [
  'cycle_enumeration',
  'path_tracing',
  'community_density',
  'risk_propagation',
  'motif_census',
  'motif_census',
];

const usd2 = (x: number) => x.toFixed(2);
/** Python's f"{x:,.2f}" (thousands separators), without depending on the runtime's ICU data. */
const usdGrouped = (x: number, digits: number) => {
  const [whole, frac] = Math.abs(x).toFixed(digits).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (x < 0 ? '-' : '') + grouped + (frac ? '.' + frac : '');
};
const r2 = (x: number) => Math.round(x * 100) / 100;
const r4 = (x: number) => Math.round(x * 10000) / 10000;

/** The SOT's suspected_address_type inference for a typology. */
function suspectedType(typology: number, volume: number, participants: number): string {
  switch (typology) {
    case T.PEEL_CHAIN:
    case T.RAPID_FANOUT:
      return volume > 500_000 ? 'merchant' : 'wallet';
    case T.STRUCTURING:
    case T.PING_PONG:
    case T.VELOCITY_ANOMALY:
    case T.FRESH_TO_EXCHANGE:
    case T.SMURFING_NETWORK:
      return 'wallet';
    case T.MOTIF_FANIN:
    case T.MOTIF_FANOUT:
      return participants > 50 ? 'institutional' : 'wallet';
    default:
      return 'unknown';
  }
}

export function buildAlert(c: Candidates, i: number, fs: FeatureSet, pop: Population, seed: number): Alert {
  const d = fs.window;
  const v = c.row[i]!;
  const a = d.addr[v]!;
  const address = pop.address[a]!;
  const typology = c.typology[i]!;
  const name = TYPOLOGIES[typology]!;
  const n = (column: string) => fs.num[column]![v]!;
  const id = alertId(address, name, d.snapshot.date);
  const confidence = c.confidence[i]!;
  const vol = n('total_volume_usd');

  let evidence: { [key: string]: PyValue };
  let description: string;
  let volume = vol;
  let participants = 0;
  let patternId = '';
  let patternType = '';
  switch (typology) {
    case T.PEEL_CHAIN:
      evidence = {
        degree_out: n('degree_total'),
        volume_usd: pyFloat(vol),
        burst_factor: pyFloat(r4(n('burst_factor'))),
        sequential_pattern_indicator: true,
      };
      description = `Peel chain detected: ${n('degree_total')} recipients, $${usdGrouped(vol, 0)}`;
      break;
    case T.STRUCTURING: {
      const avg = c.aux1[i]!;
      evidence = {
        structuring_score: pyFloat(r4(n('structuring_score'))),
        transaction_count: n('tx_total_count'),
        avg_transaction_size: pyFloat(r2(avg)),
        volume_usd: pyFloat(vol),
      };
      description = `Structuring detected: ${n('tx_total_count')} transactions, avg $${usd2(avg)}`;
      break;
    }
    case T.PING_PONG:
      evidence = {
        reciprocity_ratio: pyFloat(r4(n('reciprocity_ratio'))),
        degree_total: n('degree_total'),
        volume_usd: pyFloat(vol),
        bidirectional_pattern: true,
      };
      description = `Ping-pong pattern: ${n('reciprocity_ratio').toFixed(2)} reciprocity ratio`;
      break;
    case T.RAPID_FANOUT:
      evidence = {
        degree_out: n('degree_total'),
        burst_factor: pyFloat(r4(n('burst_factor'))),
        volume_usd: pyFloat(vol),
        rapid_distribution: true,
      };
      description = `Rapid fanout: ${n('degree_total')} recipients, burst factor ${n('burst_factor').toFixed(2)}`;
      break;
    case T.VELOCITY_ANOMALY:
      evidence = {
        velocity_score: pyFloat(r4(n('velocity_score'))),
        burst_factor: pyFloat(r4(n('burst_factor'))),
        daily_velocity: pyFloat(r4(c.aux1[i]!)),
        volume_usd: pyFloat(vol),
      };
      description = `Velocity anomaly: score ${n('velocity_score').toFixed(2)}, burst ${n('burst_factor').toFixed(2)}`;
      break;
    case T.FRESH_TO_EXCHANGE: {
      const paid = c.exchanges.get(i) ?? [];
      volume = r2(c.aux1[i]!);
      evidence = {
        source_is_new: true,
        exchange_interactions: paid.map((x) => ({
          address: pop.address[x.address]!,
          type: 'CEX',
          label: x.label,
          volume_usd: pyFloat(r2(x.usd)),
        })),
        volume_usd: pyFloat(volume),
      };
      description = `New address sent $${usd2(volume)} to ${paid.length} known exchange(s).`;
      break;
    }
    default: {
      // Structural patterns share the SOT's evidence layout.
      const kind = typology - STRUCTURAL_FROM;
      patternType = PATTERN_TYPES[kind]!;
      const pid = `${patternType}_${id.replace(/-/g, '').slice(0, 16)}`;
      if (hash01(seed, 'pattern-id', id) < PATTERN_ID_SHARE) patternId = pid;
      else patternType = '';
      const risk = r4(confidence);
      evidence = {
        pattern_id: pid,
        pattern_type: PATTERN_TYPES[kind]!,
        severity_score: pyFloat(r4(risk * 0.9)),
        risk_score: pyFloat(risk),
        detection_method: DETECTION_METHODS[kind]!,
      };
      if (typology === T.CYCLE_DETECTION) {
        volume = r2(c.aux2[i]!);
        evidence['cycle_length'] = c.aux1[i]!;
        evidence['cycle_volume_usd'] = pyFloat(volume);
        description = `Money laundering cycle detected: ${c.aux1[i]!} addresses, $${usdGrouped(volume, 2)}`;
      } else if (typology === T.LAYERING_PATH) {
        volume = r2(c.aux2[i]!);
        evidence['path_depth'] = c.aux1[i]!;
        evidence['path_volume_usd'] = pyFloat(volume);
        description = `Layering path detected: ${c.aux1[i]!} hops, $${usdGrouped(volume, 2)}`;
      } else if (typology === T.SMURFING_NETWORK) {
        participants = c.aux1[i]!;
        evidence['network_size'] = participants;
        evidence['network_density'] = pyFloat(r4(c.aux2[i]!));
        description = `Smurfing network detected: ${participants} addresses, density ${c.aux2[i]!.toFixed(2)}`;
      } else if (typology === T.PROXIMITY_RISK) {
        evidence['distance_to_risk'] = c.aux1[i]!;
        evidence['risk_propagation_score'] = pyFloat(r4(confidence * (c.aux1[i] === 1 ? 1 : 0.5)));
        description = `Risk proximity detected: ${c.aux1[i]!} hops from high-risk address`;
      } else {
        participants = c.aux1[i]!;
        const fanIn = typology === T.MOTIF_FANIN;
        evidence['motif_type'] = fanIn ? 'fanin' : 'fanout';
        evidence['motif_participant_count'] = participants;
        description = fanIn
          ? `Fund collection pattern detected: ${participants} participants`
          : `Fund distribution pattern detected: ${participants} participants`;
      }
      evidence['evidence_transaction_count'] = n('tx_total_count');
      evidence['evidence_volume_usd'] = pyFloat(volume);
      evidence['anomaly_score'] = pyFloat(r4(n('global_anomaly_score')));
    }
  }

  // created_at is the insert time (ClickHouse DEFAULT now()): the detector inserts a window's
  // alerts in one batch in the small hours of the processing date.
  const w = d.snapshot.window;
  const createdMs =
    d.snapshot.day * col.DAY_MS +
    (w === 7 ? 1 : 2) * 3_600_000 +
    Math.floor(hash01(seed, 'created', d.snapshot.date, w) * 3_600) * 1000;
  return {
    id,
    row: v,
    address: a,
    typology,
    confidence,
    confidenceNull: hash01(seed, 'null-confidence', id, w) < NULL_CONFIDENCE_SHARE,
    severity: severityOf(confidence),
    volume,
    description,
    evidence: pyJson(evidence),
    risk: RISK_INDICATORS[typology]!,
    patternId,
    patternType,
    suspectedType: suspectedType(typology, volume, participants),
    createdMs,
  };
}

/** alerts.parquet of one window, ordered by alert_id. */
export function alertsTable(alerts: readonly Alert[], fs: FeatureSet, pop: Population): Table {
  const s = fs.window.snapshot;
  const rows = [...alerts].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const n = rows.length;
  return col.tableOf({
    window_days: col.u16(new Uint16Array(n).fill(s.window)),
    processing_date: col.date32(new Int32Array(n).fill(s.day)),
    alert_id: col.utf8(rows.map((x) => x.id)),
    address: col.utf8(rows.map((x) => pop.address[x.address]!)),
    typology_type: col.utf8(rows.map((x) => TYPOLOGIES[x.typology]!)),
    pattern_id: col.utf8(rows.map((x) => x.patternId)),
    pattern_type: col.utf8(rows.map((x) => x.patternType)),
    severity: col.utf8(rows.map((x) => x.severity)),
    suspected_address_type: col.utf8(rows.map((x) => x.suspectedType)),
    suspected_address_subtype: col.utf8(new Array<string>(n).fill('')),
    alert_confidence_score: col.f32(
      Float32Array.from(rows, (x) => x.confidence),
      Uint8Array.from(rows, (x) => (x.confidenceNull ? 1 : 0)),
    ),
    description: col.utf8(rows.map((x) => x.description)),
    volume_usd: col.decimal(
      rows.map((x) => x.volume),
      18,
      2,
    ),
    evidence_json: col.utf8(rows.map((x) => x.evidence)),
    risk_indicators: col.listUtf8(rows.map((x) => x.risk)),
    created_at: col.timestampFromMs(rows.map((x) => x.createdMs)),
  });
}
