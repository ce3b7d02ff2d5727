/**
 * Who pays whom: directed (from, to) relationships with a lifetime, a transfer rate and an amount
 * scale. One relationship per ordered pair, so a window's money flow rows are exactly the
 * relationships with at least one transfer in that window.
 *
 * Stable relationships mostly began before the horizon (the counterparty was known before the
 * window: high counterparty_stability); churned ones are new and short-lived, and a bursty
 * sender opens them on its burst days (mules fan out to fresh counterparties in one go).
 */
import { HORIZON_DAYS } from './calendar.ts';
import { BURST_DAYS, type Population } from './population.ts';
import { rng, WeightedSampler, type Rng } from './prng.ts';
import { ASSET_WEIGHTS, Pool, POOL_COUNT, POOL_OF_ROLE, PRICE_POINTS, Role, ROLES } from './roles.ts';

export interface Relationships {
  count: number;
  from: Int32Array;
  to: Int32Array;
  /** Alive on days [start, end), relative to the horizon start (start may be negative). */
  start: Int32Array;
  end: Int32Array;
  /** Transfers per day while alive. */
  rate: Float32Array;
  /** ln USD and spread of the amounts; `price` > 0 pins amounts to a merchant price point. */
  mu: Float32Array;
  sigma: Float32Array;
  price: Float32Array;
  asset: Uint8Array;
  /** The relationship in the opposite direction, or -1. */
  reverse: Int32Array;
}

type AddRelationship = (
  from: number,
  to: number,
  start: number,
  end: number,
  rate: number,
  mu: number,
  sigma: number,
  price: number,
  asset: number,
) => boolean;

class Growable {
  from: number[] = [];
  to: number[] = [];
  start: number[] = [];
  end: number[] = [];
  rate: number[] = [];
  mu: number[] = [];
  sigma: number[] = [];
  price: number[] = [];
  asset: number[] = [];
}

/** Receivers per pool, weighted by how attractive and how active they are. */
function buildPools(pop: Population): WeightedSampler[] {
  const members: number[][] = Array.from({ length: POOL_COUNT }, () => []);
  for (let a = 0; a < pop.size; a++) members[POOL_OF_ROLE[pop.role[a]!]!]!.push(a);
  return members.map((list) => {
    const items = Int32Array.from(list);
    const weights = list.map((a) => ROLES[pop.role[a]!]!.attract * Math.sqrt(pop.rate[a]! + 0.05));
    return new WeightedSampler(items, weights);
  });
}

/** Retail wallets grouped by community, so retail-to-retail payments stay mostly local. */
function retailByCommunity(pop: Population): { members: Int32Array; offsets: Int32Array } {
  const retail: number[] = [];
  for (let a = 0; a < pop.size; a++) if (POOL_OF_ROLE[pop.role[a]!] === Pool.Retail) retail.push(a);
  retail.sort((x, y) => pop.community[x]! - pop.community[y]! || x - y);
  let communities = 0;
  for (let a = 0; a < pop.size; a++) communities = Math.max(communities, pop.community[a]! + 1);
  const offsets = new Int32Array(communities + 1);
  for (const a of retail) offsets[pop.community[a]! + 1]!++;
  for (let c = 0; c < communities; c++) offsets[c + 1]! += offsets[c]!;
  return { members: Int32Array.from(retail), offsets };
}

function pickBurstDay(pop: Population, a: number, r: Rng): number {
  return pop.burstDay[a * BURST_DAYS + r.int(BURST_DAYS)]!;
}

export function buildRelationships(seed: number, pop: Population): Relationships {
  const r = rng(seed, 'relationships');
  const pools = buildPools(pop);
  const local = retailByCommunity(pop);
  const g = new Growable();
  const seen = new Set<number>();
  const n = pop.size;

  const add: AddRelationship = (from, to, start, end, rate, mu, sigma, price, asset) => {
    if (from === to) return false;
    const key = from * n + to;
    if (seen.has(key)) return false;
    seen.add(key);
    g.from.push(from);
    g.to.push(to);
    g.start.push(start);
    g.end.push(end);
    g.rate.push(rate);
    g.mu.push(mu);
    g.sigma.push(sigma);
    g.price.push(price);
    g.asset.push(asset);
    return true;
  };

  for (let a = 0; a < n; a++) {
    const role = pop.role[a]!;
    const spec = ROLES[role]!;
    const fanout = Math.max(spec.fanoutMin, Math.round(r.lognormal(Math.log(spec.fanout), spec.fanoutSigma)));
    const poolIds = Object.keys(spec.pays).map(Number);
    const poolWeights = poolIds.map((p) => spec.pays[p]!);
    const earliest = Math.max(pop.birth[a]!, -240);

    for (let k = 0; k < fanout; k++) {
      const pool = poolIds[r.pick(poolWeights)]!;
      let to: number;
      if (pool === Pool.Retail && r.chance(0.5)) {
        const c = pop.community[a]!;
        const lo = local.offsets[c]!;
        const hi = local.offsets[c + 1]!;
        to = hi > lo ? local.members[lo + r.int(hi - lo)]! : pools[Pool.Retail]!.draw(r);
      } else {
        to = pools[pool]!.size > 0 ? pools[pool]!.draw(r) : pools[Pool.Retail]!.draw(r);
      }
      if (to < 0) continue;

      // New, short-lived relationships (churn) versus long-standing ones.
      let start: number;
      let end: number;
      if (r.chance(pop.churn[a]!)) {
        const first = Math.max(0, pop.birth[a]!);
        start =
          pop.burst[a]! > 0.5 && r.chance(0.8)
            ? Math.max(first, pickBurstDay(pop, a, r))
            : first + r.int(Math.max(1, HORIZON_DAYS - first));
        end = start + 1 + r.int(4);
      } else {
        start = earliest + r.int(Math.max(1, HORIZON_DAYS - earliest));
        end = start + Math.max(14, Math.round(r.lognormal(Math.log(300), 0.6)));
      }

      const receiverRole = pop.role[to]!;
      // Short-lived relationships are used intensely; merchants see repeat customers.
      const rate =
        (pop.rate[a]! / fanout) *
        r.uniform(0.5, 1.5) *
        (end - start < 7 ? 3 : 1) *
        (receiverRole === Role.Merchant ? 4 : 1);
      const price = receiverRole === Role.Merchant ? PRICE_POINTS[r.int(PRICE_POINTS.length)]! : 0;
      const asset = r.chance(0.8) ? pop.asset[a]! : r.pick(ASSET_WEIGHTS);
      const mu = pop.amountMu[a]! + 0.4 * r.normal();
      if (!add(a, to, start, end, rate, mu, pop.amountSigma[a]!, price, asset)) continue;

      // Money sent back: traders and bots round-trip with exchanges and DEXes, layerers in rings.
      const back = Math.max(pop.reciprocity[a]!, receiverRole === Role.Dex ? 0.5 : 0);
      if (r.chance(back)) {
        const backRate = rate * r.uniform(0.85, 1.1);
        const returned = r.uniform(spec.returned[0], spec.returned[1]);
        add(to, a, start, end, backRate, mu + Math.log(returned), pop.amountSigma[a]!, 0, asset);
      }
    }
  }

  // Layering rings: layerers pass money around closed loops of three or four (the cycles
  // CYCLE_DETECTION looks for), alongside their one-way chains.
  const layerers: number[] = [];
  for (let a = 0; a < n; a++) if (pop.role[a] === Role.Layerer) layerers.push(a);
  for (let i = layerers.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [layerers[i], layerers[j]] = [layerers[j]!, layerers[i]!];
  }
  for (let i = 0; i + 3 <= layerers.length;) {
    const size = i + 4 <= layerers.length && r.chance(0.4) ? 4 : 3;
    const ring = layerers.slice(i, i + size);
    i += size;
    const start = -30 + r.int(HORIZON_DAYS);
    const end = start + 40 + r.int(40);
    const mu = pop.amountMu[ring[0]!]!;
    for (let k = 0; k < size; k++) {
      const from = ring[k]!;
      add(
        from,
        ring[(k + 1) % size]!,
        start,
        end,
        r.uniform(0.3, 0.8),
        mu + 0.1 * r.normal(),
        0.3,
        0,
        pop.asset[from]!,
      );
    }
  }

  addEscalations(seed, pop, pools, add);

  const count = g.from.length;
  const rel: Relationships = {
    count,
    from: Int32Array.from(g.from),
    to: Int32Array.from(g.to),
    start: Int32Array.from(g.start),
    end: Int32Array.from(g.end),
    rate: Float32Array.from(g.rate),
    mu: Float32Array.from(g.mu),
    sigma: Float32Array.from(g.sigma),
    price: Float32Array.from(g.price),
    asset: Uint8Array.from(g.asset),
    reverse: new Int32Array(count).fill(-1),
  };
  const index = new Map<number, number>();
  for (let i = 0; i < count; i++) index.set(rel.from[i]! * n + rel.to[i]!, i);
  for (let i = 0; i < count; i++) rel.reverse[i] = index.get(rel.to[i]! * n + rel.from[i]!) ?? -1;
  return rel;
}

/**
 * An escalating address (population.ts) opens three to six times its usual number of new
 * relationships within a week of its onset, each lasting to the end of the horizon, with busier
 * and larger transfers: over the next 30 days its degree and volume grow several-fold and its
 * velocity rises, the SOT's picture of an address that keeps expanding after its alert.
 */
function addEscalations(seed: number, pop: Population, pools: WeightedSampler[], add: AddRelationship): void {
  const r = rng(seed, 'escalation-relationships');
  for (let a = 0; a < pop.size; a++) {
    const onset = pop.escalation[a]!;
    if (onset < 0) continue;
    const spec = ROLES[pop.role[a]!]!;
    const usual = Math.max(spec.fanoutMin, spec.fanout);
    const extra = Math.max(12, Math.round(usual * r.uniform(3, 6)));
    const poolIds = Object.keys(spec.pays).map(Number);
    const poolWeights = poolIds.map((p) => spec.pays[p]!);
    // At least six transfers a day in all once it has escalated.
    const rate = Math.max(pop.rate[a]! / usual, 6 / extra) * r.uniform(1, 2);
    for (let k = 0; k < extra; k++) {
      const pool = poolIds[r.pick(poolWeights)]!;
      const to = pools[pool]!.size > 0 ? pools[pool]!.draw(r) : pools[Pool.Retail]!.draw(r);
      if (to < 0) continue;
      const start = onset + r.int(7);
      const asset = r.chance(0.8) ? pop.asset[a]! : r.pick(ASSET_WEIGHTS);
      add(a, to, start, HORIZON_DAYS, rate, pop.amountMu[a]! + 0.6 + 0.3 * r.normal(), pop.amountSigma[a]!, 0, asset);
    }
  }
}
