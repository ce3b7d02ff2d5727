/**
 * The network's address-label file (address-labels/torus_address_labels.parquet): one current
 * file, not point-in-time, several labels per address allowed, 5-15% of addresses covered.
 *
 * Labels follow the latent roles, imperfectly, as real label feeds do: exchanges, DEXes,
 * validators and bridges are mostly labelled; gambling sites are labelled high risk although the
 * planted truth calls them benign; a few retail wallets carry false scam reports; and most illicit
 * addresses carry no label at all (some only a harmless "wallet" one). So "risk_level high or
 * critical" (the template's notion of truth) agrees with the planted truth only in part.
 */
import type { Table } from 'apache-arrow';
import { DATE_DAYS, NETWORK, NETWORK_TYPE, WINDOWS } from './calendar.ts';
import * as col from './columns.ts';
import type { Population } from './population.ts';
import { rng, type Rng } from './prng.ts';
import { Role } from './roles.ts';

/** The SOT's type-to-risk map. */
export const RISK_BY_TYPE: Readonly<Record<string, 'low' | 'medium' | 'high' | 'critical'>> = {
  exchange: 'low',
  dex: 'low',
  institutional: 'low',
  staking: 'low',
  validator: 'low',
  miner: 'low',
  defi: 'medium',
  lending: 'medium',
  bridge: 'medium',
  merchant: 'medium',
  wallet: 'medium',
  unknown: 'medium',
  gambling: 'high',
  mixer: 'critical',
  scam: 'critical',
  dark_market: 'critical',
  sanctioned: 'critical',
};

/** Label sources by trust level, with the confidence each source reports. */
const SOURCES: Readonly<Record<string, readonly [source: string, confidence: number][]>> = {
  official: [['torus-foundation', 0.95]],
  verified: [
    ['chainswarm-curated', 0.9],
    ['exchange-disclosures', 0.88],
  ],
  blacklisted: [
    ['ofac-sdn', 0.95],
    ['scam-database', 0.85],
  ],
  community: [
    ['community-reports', 0.75],
    ['torus-explorer-tags', 0.78],
  ],
  unverified: [
    ['heuristic-clustering', 0.7],
    ['social-media-scrape', 0.72],
  ],
};

const EXCHANGES = ['Binance', 'Kraken', 'MEXC', 'Gate.io', 'Bitget', 'KuCoin', 'OKX', 'Bybit', 'HTX', 'Coinbase'];
const DEXES = ['TorSwap', 'HydraDX', 'StellaSwap', 'Polkaswap', 'ZenlinkDEX'];

export interface AddressLabels {
  rows: number;
  address: Int32Array;
  label: string[];
  type: string[];
  subtype: string[];
  risk: string[];
  trust: string[];
  source: string[];
  confidence: Float32Array;
  /** Per address: an exchange label (for FRESH_TO_EXCHANGE), or undefined. */
  exchangeLabel: (string | undefined)[];
  /** Per address: 1 when a critical label makes it a risk source (for PROXIMITY_RISK). */
  riskSource: Uint8Array;
  /** Per address: 1 when any label is high or critical. */
  highRisk: Uint8Array;
}

interface Draft {
  label: string;
  type: string;
  subtype: string;
  trust: keyof typeof SOURCES;
}

function labelsFor(role: number, a: number, r: Rng): Draft[] {
  const id = (a % 97) + 1;
  const pick = <T>(xs: readonly T[]): T => xs[r.int(xs.length)]!;
  const out: Draft[] = [];
  switch (role) {
    case Role.Exchange: {
      if (!r.chance(0.9)) break;
      const name = pick(EXCHANGES);
      const sub = pick(['hot_wallet', 'hot_wallet', 'deposit', 'cold_wallet']);
      out.push({
        label: `${name} ${sub.replace('_', ' ')} ${id}`,
        type: 'exchange',
        subtype: sub,
        trust: r.chance(0.5) ? 'official' : 'verified',
      });
      if (r.chance(0.3))
        out.push({ label: `${name} deposit cluster`, type: 'exchange', subtype: 'deposit', trust: 'community' });
      break;
    }
    case Role.Dex:
      if (r.chance(0.8)) {
        const type = pick(['dex', 'dex', 'defi', 'lending']);
        out.push({
          label: `${pick(DEXES)} ${type === 'lending' ? 'lending pool' : 'router'} v${1 + r.int(3)}`,
          type,
          subtype: 'contract',
          trust: 'verified',
        });
      }
      break;
    case Role.Validator:
      if (r.chance(0.85)) {
        const type = pick(['validator', 'validator', 'staking', 'miner']);
        out.push({
          label:
            type === 'staking'
              ? `Staking pool #${id}`
              : type === 'miner'
                ? `Block producer ${id}`
                : `Validator node ${id}`,
          type,
          subtype: '',
          trust: r.chance(0.5) ? 'official' : 'verified',
        });
      }
      break;
    case Role.Bridge:
      if (r.chance(0.9))
        out.push({ label: `Torus bridge escrow ${id}`, type: 'bridge', subtype: 'escrow', trust: 'official' });
      break;
    case Role.Institutional:
      if (r.chance(0.5))
        out.push({ label: `Fund treasury ${id}`, type: 'institutional', subtype: 'treasury', trust: 'verified' });
      break;
    case Role.Merchant:
      if (r.chance(0.3))
        out.push({
          label: `Merchant gateway ${id}`,
          type: 'merchant',
          subtype: 'payment_processor',
          trust: pick(['verified', 'community']),
        });
      break;
    case Role.Gambling:
      if (r.chance(0.6))
        out.push({
          label: `Online casino ${id}`,
          type: 'gambling',
          subtype: 'casino',
          trust: pick(['verified', 'community']),
        });
      break;
    case Role.Distributor:
      if (r.chance(0.3))
        out.push({ label: `Payroll distributor ${id}`, type: 'institutional', subtype: 'payroll', trust: 'community' });
      break;
    case Role.Whale:
    case Role.Trader:
    case Role.Bot:
      if (r.chance(role === Role.Bot ? 0.25 : 0.08))
        out.push({
          label: role === Role.Bot ? `Arbitrage bot ${id}` : `Active trader ${id}`,
          type: 'wallet',
          subtype: role === Role.Bot ? 'bot' : '',
          trust: 'unverified',
        });
      break;
    case Role.Retail:
    case Role.Fresh:
      if (r.chance(role === Role.Retail ? 0.07 : 0.04))
        out.push({
          label: r.chance(0.5) ? `Personal wallet ${id}` : `Unknown entity ${id}`,
          type: r.chance(0.6) ? 'wallet' : 'unknown',
          subtype: '',
          trust: pick(['community', 'unverified']),
        });
      // False reports: the occasional innocent wallet reported as a scam.
      if (r.chance(0.003))
        out.push({ label: `Reported phishing ${id}`, type: 'scam', subtype: 'phishing', trust: 'unverified' });
      break;
    case Role.Mixer:
      if (r.chance(0.8))
        out.push({
          label: `Mixing service ${id}`,
          type: 'mixer',
          subtype: 'tumbler',
          trust: pick(['blacklisted', 'verified']),
        });
      break;
    case Role.Collector:
      if (r.chance(0.5))
        out.push({
          label: `Investment scam ${id}`,
          type: 'scam',
          subtype: pick(['ponzi', 'phishing', 'fake_exchange']),
          trust: pick(['blacklisted', 'community']),
        });
      break;
    case Role.Mule:
    case Role.Layerer:
    case Role.Cashout:
    case Role.Structurer: {
      const flagged = role === Role.Structurer ? 0.06 : 0.1;
      if (r.chance(flagged)) {
        const type =
          role === Role.Structurer ? pick(['gambling', 'scam']) : pick(['sanctioned', 'dark_market', 'scam']);
        out.push({
          label:
            type === 'sanctioned'
              ? `Sanctioned entity ${id}`
              : type === 'dark_market'
                ? `Darknet vendor ${id}`
                : type === 'gambling'
                  ? `Betting wallet ${id}`
                  : `Fraud proceeds ${id}`,
          type,
          subtype: '',
          trust: type === 'sanctioned' ? 'blacklisted' : pick(['community', 'verified']),
        });
      } else if (r.chance(0.06)) {
        out.push({ label: `Personal wallet ${id}`, type: 'wallet', subtype: '', trust: 'unverified' });
      }
      break;
    }
  }
  return out;
}

export function buildAddressLabels(seed: number, pop: Population): AddressLabels {
  const r = rng(seed, 'address-labels');
  const rows: { a: number; d: Draft; source: string; confidence: number }[] = [];
  for (let a = 0; a < pop.size; a++) {
    for (const d of labelsFor(pop.role[a]!, a, r)) {
      const [source, base] = SOURCES[d.trust]![r.int(SOURCES[d.trust]!.length)]!;
      const confidence = Math.min(0.95, Math.max(0.7, Math.round((base + r.uniform(-0.02, 0.02)) * 100) / 100));
      rows.push({ a, d, source, confidence });
    }
  }
  // The export's order: (network, address, label).
  rows.sort((x, y) => pop.rank[x.a]! - pop.rank[y.a]! || (x.d.label < y.d.label ? -1 : x.d.label > y.d.label ? 1 : 0));

  const labels: AddressLabels = {
    rows: rows.length,
    address: Int32Array.from(rows, (x) => x.a),
    label: rows.map((x) => x.d.label),
    type: rows.map((x) => x.d.type),
    subtype: rows.map((x) => x.d.subtype),
    risk: rows.map((x) => RISK_BY_TYPE[x.d.type]!),
    trust: rows.map((x) => x.d.trust),
    source: rows.map((x) => x.source),
    confidence: Float32Array.from(rows, (x) => x.confidence),
    exchangeLabel: new Array<string | undefined>(pop.size),
    riskSource: new Uint8Array(pop.size),
    highRisk: new Uint8Array(pop.size),
  };
  rows.forEach((x, i) => {
    if (x.d.type === 'exchange') labels.exchangeLabel[x.a] ??= x.d.label;
    if (labels.risk[i] === 'critical') labels.riskSource[x.a] = 1;
    if (labels.risk[i] === 'critical' || labels.risk[i] === 'high') labels.highRisk[x.a] = 1;
  });
  return labels;
}

/**
 * The labels table. processing_date and window_days stamp the export (the latest date, the
 * longest window); the content is the current state, not a point-in-time view.
 */
export function addressLabelsTable(l: AddressLabels, pop: Population): Table {
  const n = l.rows;
  return col.tableOf({
    processing_date: col.date32(new Int32Array(n).fill(DATE_DAYS[DATE_DAYS.length - 1]!)),
    window_days: col.u16(new Uint16Array(n).fill(Math.max(...WINDOWS))),
    network: col.utf8(new Array<string>(n).fill(NETWORK)),
    address: col.utf8(Array.from(l.address, (a) => pop.address[a]!)),
    label: col.utf8(l.label),
    network_type: col.utf8(new Array<string>(n).fill(NETWORK_TYPE)),
    address_type: col.utf8(l.type),
    address_subtype: col.utf8(l.subtype),
    risk_level: col.utf8(l.risk),
    confidence_score: col.f32(l.confidence),
    trust_level: col.utf8(l.trust),
    source: col.utf8(l.source),
  });
}
