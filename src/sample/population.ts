/**
 * The address population and its latent truth: each address gets a role (illicit or not) and the
 * behavioural parameters the transfer simulation reads. None of this is exported directly; only
 * `illicit` reaches a file (ground_truth.parquet), everything else shows through the transfers.
 */
import { HORIZON_DAYS } from './calendar.ts';
import { ss58Address } from './ids.ts';
import { rng } from './prng.ts';
import { ASSET_WEIGHTS, isIllicitRole, Role, ROLE_COUNT, ROLES, THRESHOLDS } from './roles.ts';

/** Burst days per address (days on which a bursty address concentrates its transfers). */
export const BURST_DAYS = 3;

export interface Population {
  size: number;
  role: Uint8Array;
  illicit: Uint8Array;
  address: string[];
  /** Position of each address in sorted (byte) order, for ordering rows without string compares. */
  rank: Int32Array;
  /** Inverse of `rank`: the address at each sorted position. */
  byRank: Int32Array;
  /** First day of activity ever, relative to the horizon start (negative: before it). */
  birth: Int32Array;
  /** Dormant for months before the horizon, reactivated on `birth` (a day inside the horizon). */
  dormant: Uint8Array;
  /** Transfers sent per day while active. */
  rate: Float32Array;
  /** ln USD of a typical transfer, and its spread. */
  amountMu: Float32Array;
  amountSigma: Float32Array;
  /** Centre and spread (hours) of the UTC hour at which the address transacts. */
  peakHour: Float32Array;
  hourSpread: Float32Array;
  /** Relative weight of Saturday and Sunday. */
  weekend: Float32Array;
  /** Share of transfers on burst days, and the burst days (relative to the horizon start). */
  burst: Float32Array;
  burstDay: Int16Array;
  /** Share of outgoing amounts just under `THRESHOLDS[threshold]`. */
  structuring: Float32Array;
  threshold: Uint8Array;
  churn: Float32Array;
  reciprocity: Float32Array;
  /** Preferred asset (index into ASSETS). */
  asset: Uint8Array;
  /** Latent community (what a community-detection pass would recover). */
  community: Uint32Array;
  /**
   * Day (relative to the horizon start) from which the address expands: many new counterparties,
   * busier and larger transfers (see relationships.ts), or -1. Most illicit addresses escalate
   * at some point and a few benign ones grow too, which is what the evolution tier reads.
   */
  escalation: Int16Array;
  /** Number of addresses of each role. */
  roleCounts: number[];
}

/**
 * Simulated addresses per exported alert. The world then holds about twice as many alert
 * candidates as the export keeps, which lets the export favour addresses flagged by several
 * detectors (export-selection.ts). Calibrated on seed 42; README.md has the figures.
 */
export const ADDRESSES_PER_ALERT = 0.55;
const MIN_POPULATION = 600;

export function populationSizeFor(alerts: number): number {
  return Math.max(MIN_POPULATION, Math.round(alerts * ADDRESSES_PER_ALERT));
}

function roleCountsFor(size: number): number[] {
  const counts = ROLES.map((spec) => Math.max(spec.min, Math.round(spec.share * size)));
  const others = counts.reduce((a, b) => a + b, 0) - counts[Role.Retail]!;
  counts[Role.Retail] = Math.max(1, size - others);
  return counts;
}

export function buildPopulation(seed: number, size: number): Population {
  const roleCounts = roleCountsFor(size);
  const n = roleCounts.reduce((a, b) => a + b, 0);
  const r = rng(seed, 'population');

  // Roles in a shuffled order, so role does not follow address creation order.
  const role = new Uint8Array(n);
  let k = 0;
  for (let ro = 0; ro < ROLE_COUNT; ro++) for (let i = 0; i < roleCounts[ro]!; i++) role[k++] = ro;
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    const t = role[i]!;
    role[i] = role[j]!;
    role[j] = t;
  }

  const pop: Population = {
    size: n,
    role,
    illicit: new Uint8Array(n),
    address: new Array<string>(n),
    rank: new Int32Array(n),
    byRank: new Int32Array(n),
    birth: new Int32Array(n),
    dormant: new Uint8Array(n),
    rate: new Float32Array(n),
    amountMu: new Float32Array(n),
    amountSigma: new Float32Array(n),
    peakHour: new Float32Array(n),
    hourSpread: new Float32Array(n),
    weekend: new Float32Array(n),
    burst: new Float32Array(n),
    burstDay: new Int16Array(n * BURST_DAYS),
    structuring: new Float32Array(n),
    threshold: new Uint8Array(n),
    churn: new Float32Array(n),
    reciprocity: new Float32Array(n),
    asset: new Uint8Array(n),
    community: new Uint32Array(n),
    escalation: new Int16Array(n).fill(-1),
    roleCounts,
  };

  const communities = Math.max(1, Math.round(n / 150));
  const keyBytes = new Uint8Array(32);
  for (let a = 0; a < n; a++) {
    const spec = ROLES[role[a]!]!;
    pop.illicit[a] = isIllicitRole(role[a]!) ? 1 : 0;
    pop.address[a] = ss58Address(r.bytes(keyBytes));

    // Lifetime: fresh roles appear inside the horizon; a few old wallets wake up from dormancy.
    if (spec.fresh) {
      pop.birth[a] = r.int(HORIZON_DAYS);
    } else if (r.chance(0.03) && role[a] === Role.Retail) {
      pop.dormant[a] = 1;
      pop.birth[a] = r.int(HORIZON_DAYS);
    } else {
      pop.birth[a] = -1 - r.int(720);
    }

    pop.rate[a] = r.lognormal(Math.log(spec.rate), spec.rateSigma);
    pop.amountMu[a] = Math.log(spec.amount) + 0.35 * r.normal();
    pop.amountSigma[a] = spec.amountSigma * r.uniform(0.8, 1.2);

    // Working hours: most around European/American daytime (UTC 13-17); night owls and wallets
    // run from Asian time zones peak at UTC 0-5, which the SOT counts as "night".
    const nightOwl = r.chance(spec.night);
    pop.peakHour[a] = nightOwl ? r.uniform(0, 5) : (15 + 2.5 * r.normal() + 24) % 24;
    pop.hourSpread[a] =
      role[a] === Role.Bot || role[a] === Role.Exchange || role[a] === Role.Dex ? 12 : r.uniform(1.5, 4);
    pop.weekend[a] =
      role[a] === Role.Merchant || role[a] === Role.Institutional ? r.uniform(0.2, 0.6) : r.uniform(0.7, 1.4);

    pop.burst[a] = spec.burst > 0 ? r.beta(spec.burst, spec.burstConcentration) : 0;
    for (let b = 0; b < BURST_DAYS; b++) pop.burstDay[a * BURST_DAYS + b] = r.int(HORIZON_DAYS);
    pop.structuring[a] = spec.structuring > 0 ? r.beta(spec.structuring, 8) : 0;
    pop.threshold[a] = r.int(THRESHOLDS.length);
    pop.churn[a] = r.beta(Math.min(0.97, Math.max(0.03, spec.churn)), 10);
    pop.reciprocity[a] = spec.reciprocity;
    pop.asset[a] = r.pick(ASSET_WEIGHTS);
    pop.community[a] = r.int(communities);
  }

  // Sorted order of the address strings (they are ASCII, so code-unit order is byte order).
  drawEscalations(seed, pop);

  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) =>
    pop.address[x]! < pop.address[y]! ? -1 : pop.address[x]! > pop.address[y]! ? 1 : 0,
  );
  order.forEach((a, i) => {
    pop.rank[a] = i;
    pop.byRank[i] = a;
  });
  return pop;
}

/**
 * Share of each kind of address that escalates within the horizon. Drawn from a stream of its
 * own, so the rest of the world is the same with or without it. Onsets fall after the first 30
 * days (the first date's windows see the address as it was) and at least a week before the end.
 */
export const ESCALATION_SHARE = { illicit: 0.55, benign: 0.04 } as const;

function drawEscalations(seed: number, pop: Population): void {
  const r = rng(seed, 'escalation');
  const first = Math.min(30, HORIZON_DAYS - 8);
  for (let a = 0; a < pop.size; a++) {
    const share = pop.illicit[a] ? ESCALATION_SHARE.illicit : ESCALATION_SHARE.benign;
    const onset = first + r.int(Math.max(1, HORIZON_DAYS - 7 - first));
    if (r.chance(share)) pop.escalation[a] = onset;
  }
}
