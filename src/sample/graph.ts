/**
 * Graph measures of one window's money-flow graph, for the feature table's graph and k-hop
 * groups. PageRank and the k-core are exact; clustering is exact up to degree 40 and sampled
 * above; k-hop reach is estimated from walk counts with a saturation correction, and betweenness
 * and closeness are derived from those reach estimates (the SOT itself uses sampled
 * approximations at this scale; exact all-pairs measures would dominate the run time).
 */
import { rng } from './prng.ts';
import type { Relationships } from './relationships.ts';
import type { WindowData } from './window.ts';

export interface GraphMeasures {
  /** Undirected neighbours (unique counterparties) per row. */
  neighbours: Uint32Array;
  pagerank: Float64Array;
  betweenness: Float64Array;
  closeness: Float64Array;
  clustering: Float64Array;
  kcore: Uint32Array;
  khop1: Float64Array;
  khop2: Float64Array;
  khop3: Float64Array;
  khop1Volume: Float64Array;
  khop2Volume: Float64Array;
  khop3Volume: Float64Array;
}

/** Undirected simple graph in CSR form (each neighbour list sorted). */
interface Csr {
  start: Int32Array;
  adj: Int32Array;
}

function undirected(d: WindowData, rels: Relationships): Csr {
  const F = d.rows;
  const keep = new Uint8Array(d.flows);
  const start = new Int32Array(F + 1);
  for (let f = 0; f < d.flows; f++) {
    const rev = rels.reverse[d.flowRel[f]!]!;
    const revFlow = rev >= 0 ? d.flowOf[rev]! : -1;
    // A bidirectional pair is one undirected edge: keep the flow from the lower row.
    if (revFlow >= 0 && d.flowFromRow[f]! > d.flowToRow[f]!) continue;
    keep[f] = 1;
    start[d.flowFromRow[f]! + 1]!++;
    start[d.flowToRow[f]! + 1]!++;
  }
  for (let v = 0; v < F; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, F);
  const adj = new Int32Array(start[F]!);
  for (let f = 0; f < d.flows; f++) {
    if (!keep[f]) continue;
    const a = d.flowFromRow[f]!;
    const b = d.flowToRow[f]!;
    adj[fill[a]!++] = b;
    adj[fill[b]!++] = a;
  }
  for (let v = 0; v < F; v++) adj.subarray(start[v]!, start[v + 1]!).sort();
  return { start, adj };
}

function hasEdge(g: Csr, u: number, v: number): boolean {
  let lo = g.start[u]!;
  let hi = g.start[u + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = g.adj[mid]!;
    if (x === v) return true;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Directed PageRank over the flow rows (damping 0.85, dangling mass spread evenly). */
function pagerank(d: WindowData): Float64Array {
  const F = d.rows;
  const outDeg = new Uint32Array(F);
  for (let f = 0; f < d.flows; f++) outDeg[d.flowFromRow[f]!]!++;
  let pr = new Float64Array(F).fill(1 / F);
  let next = new Float64Array(F);
  for (let it = 0; it < 30; it++) {
    let dangling = 0;
    for (let v = 0; v < F; v++) if (outDeg[v] === 0) dangling += pr[v]!;
    next.fill((0.15 + 0.85 * dangling) / F);
    for (let f = 0; f < d.flows; f++) {
      const a = d.flowFromRow[f]!;
      next[d.flowToRow[f]!]! += (0.85 * pr[a]!) / outDeg[a]!;
    }
    [pr, next] = [next, pr];
  }
  return pr;
}

/** k-core numbers by bucket peeling (Batagelj and Zaversnik), O(edges). */
function kcore(g: Csr, F: number): Uint32Array {
  const deg = new Int32Array(F);
  let maxDeg = 0;
  for (let v = 0; v < F; v++) {
    deg[v] = g.start[v + 1]! - g.start[v]!;
    if (deg[v]! > maxDeg) maxDeg = deg[v]!;
  }
  const bin = new Int32Array(maxDeg + 2);
  for (let v = 0; v < F; v++) bin[deg[v]!]!++;
  let s = 0;
  for (let k = 0; k <= maxDeg; k++) {
    const c = bin[k]!;
    bin[k] = s;
    s += c;
  }
  const pos = new Int32Array(F);
  const vert = new Int32Array(F);
  for (let v = 0; v < F; v++) {
    pos[v] = bin[deg[v]!]!;
    vert[pos[v]!] = v;
    bin[deg[v]!]!++;
  }
  for (let k = maxDeg; k > 0; k--) bin[k] = bin[k - 1]!;
  bin[0] = 0;
  for (let i = 0; i < F; i++) {
    const v = vert[i]!;
    for (let j = g.start[v]!; j < g.start[v + 1]!; j++) {
      const u = g.adj[j]!;
      if (deg[u]! > deg[v]!) {
        const du = deg[u]!;
        const pu = pos[u]!;
        const pw = bin[du]!;
        const w = vert[pw]!;
        if (u !== w) {
          pos[u] = pw;
          vert[pu] = w;
          pos[w] = pu;
          vert[pw] = u;
        }
        bin[du]!++;
        deg[u] = du - 1;
      }
    }
  }
  return Uint32Array.from(deg);
}

function clustering(g: Csr, F: number, seed: number): Float64Array {
  const r = rng(seed, 'clustering');
  const out = new Float64Array(F);
  for (let v = 0; v < F; v++) {
    const s = g.start[v]!;
    const k = g.start[v + 1]! - s;
    if (k < 2) continue;
    let links = 0;
    let pairs = 0;
    if (k <= 40) {
      for (let i = 0; i < k; i++)
        for (let j = i + 1; j < k; j++, pairs++) if (hasEdge(g, g.adj[s + i]!, g.adj[s + j]!)) links++;
    } else {
      for (; pairs < 400; pairs++) {
        const i = r.int(k);
        let j = r.int(k - 1);
        if (j >= i) j++;
        if (hasEdge(g, g.adj[s + i]!, g.adj[s + j]!)) links++;
      }
    }
    out[v] = links / pairs;
  }
  return out;
}

/**
 * Distinct nodes reached by `walks` random endpoints among `room` unreached nodes: the expected
 * coverage room * (1 - exp(-walks / room)).
 */
function saturate(walks: number, room: number): number {
  return room <= 0 ? 0 : room * (1 - Math.exp(-walks / room));
}

export function graphMeasures(d: WindowData, rels: Relationships, volume: Float64Array, seed: number): GraphMeasures {
  const F = d.rows;
  const g = undirected(d, rels);
  const deg = new Float64Array(F);
  for (let v = 0; v < F; v++) deg[v] = g.start[v + 1]! - g.start[v]!;

  // Walk counts and walk volumes at distance 2 and 3.
  const walk2 = new Float64Array(F);
  const vol1 = new Float64Array(F);
  for (let v = 0; v < F; v++) {
    for (let j = g.start[v]!; j < g.start[v + 1]!; j++) {
      const u = g.adj[j]!;
      walk2[v]! += deg[u]! - 1;
      vol1[v]! += volume[u]!;
    }
  }
  const walk3 = new Float64Array(F);
  const vol2walk = new Float64Array(F);
  const vol3walk = new Float64Array(F);
  for (let v = 0; v < F; v++) {
    for (let j = g.start[v]!; j < g.start[v + 1]!; j++) {
      const u = g.adj[j]!;
      walk3[v]! += Math.max(0, walk2[u]! - (deg[v]! - 1));
      vol2walk[v]! += vol1[u]! - volume[v]!;
    }
  }
  for (let v = 0; v < F; v++) {
    for (let j = g.start[v]!; j < g.start[v + 1]!; j++) vol3walk[v]! += Math.max(0, vol2walk[g.adj[j]!]! - vol1[v]!);
  }

  const m: GraphMeasures = {
    neighbours: Uint32Array.from(deg),
    pagerank: pagerank(d),
    betweenness: new Float64Array(F),
    closeness: new Float64Array(F),
    clustering: clustering(g, F, seed),
    kcore: kcore(g, F),
    khop1: new Float64Array(F),
    khop2: new Float64Array(F),
    khop3: new Float64Array(F),
    khop1Volume: vol1,
    khop2Volume: new Float64Array(F),
    khop3Volume: new Float64Array(F),
  };
  const others = Math.max(1, F - 1);
  for (let v = 0; v < F; v++) {
    const k1 = deg[v]!;
    const k2 = Math.min(others, Math.round(k1 + saturate(walk2[v]!, others - k1)));
    const k3 = Math.min(others, Math.round(k2 + saturate(walk3[v]!, others - k2)));
    m.khop1[v] = k1;
    m.khop2[v] = k2;
    m.khop3[v] = k3;
    // Walk volumes double count nodes reached twice; scale by distinct/walks.
    m.khop2Volume[v] = vol1[v]! + vol2walk[v]! * (walk2[v]! > 0 ? (k2 - k1) / walk2[v]! : 0);
    m.khop3Volume[v] = m.khop2Volume[v]! + vol3walk[v]! * (walk3[v]! > 0 ? (k3 - k2) / walk3[v]! : 0);
    // Closeness from the reach profile: nodes beyond 3 hops are counted at distance 4.
    const distanceSum = k1 + 2 * (k2 - k1) + 3 * (k3 - k2) + 4 * (others - k3);
    m.closeness[v] = k1 > 0 ? others / distanceSum : 0;
    // Brokerage: neighbour pairs not linked to each other, times the reach the node bridges to.
    const open = (k1 * (k1 - 1) * (1 - m.clustering[v]!)) / 2;
    m.betweenness[v] = F > 2 ? Math.min(1, (open + k1 * (k2 - k1) * 0.5) / (((F - 1) * (F - 2)) / 2)) : 0;
  }
  return m;
}
