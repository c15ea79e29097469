import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import type { DetailedLouvainOutput, LouvainOptions } from 'graphology-communities-louvain';
import type { AbstractGraph } from 'graphology-types';
import { mergeRows, type Csr } from './graph.js';
import { mulberry32 } from './centrality.js';

// The package is CommonJS with an `export default` declaration; under NodeNext the default
// import is the module.exports function, whose `detailed` the typings do not surface.
const louvain = louvainModule as unknown as { detailed(graph: AbstractGraph, options?: LouvainOptions): DetailedLouvainOutput };

/**
 * Louvain communities via graphology-communities-louvain on the symmetrised interaction graph.
 * Node keys are CSR indices so the graphology copy stays small; the caller maps them back.
 */
export function louvainCommunities(und: Csr, options: { resolution: number; seed: number }): { community: Int32Array; count: number; modularity: number } {
  const graph = undirectedGraphology(und);
  const community = new Int32Array(und.n).fill(-1);
  if (graph.size === 0) {
    for (let i = 0; i < und.n; i++) community[i] = i;
    return { community, count: und.n, modularity: 0 };
  }
  const detailed = louvain.detailed(graph, {
    getEdgeWeight: 'weight',
    resolution: options.resolution,
    rng: mulberry32(options.seed),
  });
  let next = detailed.count;
  for (let i = 0; i < und.n; i++) {
    const c = detailed.communities[String(i)];
    // Isolated authors are not in the graphology copy: each is its own community.
    community[i] = c === undefined ? next++ : c;
  }
  return { community, count: next, modularity: detailed.modularity };
}

/** graphology UndirectedGraph with node keys "0".."n-1" and a `weight` edge attribute. */
export function undirectedGraphology(und: Csr, includeIsolated = false): UndirectedGraph {
  const graph = new UndirectedGraph({ multi: false, allowSelfLoops: false });
  for (let u = 0; u < und.n; u++) {
    if (includeIsolated || und.start[u + 1]! > und.start[u]!) graph.addNode(String(u));
  }
  for (let u = 0; u < und.n; u++) {
    for (let j = und.start[u]!; j < und.start[u + 1]!; j++) {
      const v = und.target[j]!;
      if (v > u) graph.addUndirectedEdgeWithKey(j, String(u), String(v), { weight: und.weight[j]! });
    }
  }
  return graph;
}

/**
 * Louvain on CSR (Blondel et al. 2008): local moving in random order, then aggregation, until no
 * node moves. Same objective and gain as graphology-communities-louvain; it exists because at a
 * million edges building the graphology copy costs more than the whole rest of the ranking
 * (see docs/actors.md), so large graphs use this and small ones the library.
 */
export function louvainCsr(und: Csr, options: { resolution: number; seed: number; maxLevels?: number }): { community: Int32Array; count: number; modularity: number } {
  const rng = mulberry32(options.seed);
  const res = options.resolution;
  const original = und.n;
  const membership = Int32Array.from({ length: original }, (_, i) => i);
  let g = und;
  const maxLevels = options.maxLevels ?? 32;
  for (let level = 0; level < maxLevels; level++) {
    const n = g.n;
    const k = g.weightSum;
    let m2 = 0;
    for (let i = 0; i < n; i++) m2 += k[i]!;
    if (m2 === 0) break;
    const comm = Int32Array.from({ length: n }, (_, i) => i);
    const tot = Float64Array.from(k);
    const neighW = new Float64Array(n);
    const touched = new Int32Array(n);
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = order[i]!; order[i] = order[j]!; order[j] = t;
    }
    let movedAny = false;
    for (let pass = 0; pass < 100; pass++) {
      let moved = 0;
      for (const i of order) {
        const ci = comm[i]!;
        let nt = 0;
        neighW[ci] = 0;
        touched[nt++] = ci;
        for (let j = g.start[i]!; j < g.start[i + 1]!; j++) {
          const v = g.target[j]!;
          if (v === i) continue;
          const c = comm[v]!;
          if (neighW[c] === 0 && c !== ci) touched[nt++] = c;
          neighW[c]! += g.weight[j]!;
        }
        const ki = k[i]!;
        tot[ci]! -= ki;
        let best = ci;
        let bestGain = neighW[ci]! - (res * tot[ci]! * ki) / m2;
        for (let t = 1; t < nt; t++) {
          const c = touched[t]!;
          const gain = neighW[c]! - (res * tot[c]! * ki) / m2;
          if (gain > bestGain + 1e-12) {
            bestGain = gain;
            best = c;
          }
        }
        tot[best]! += ki;
        if (best !== ci) {
          comm[i] = best;
          moved++;
        }
        for (let t = 0; t < nt; t++) neighW[touched[t]!] = 0;
      }
      if (moved === 0) break;
      movedAny = true;
    }
    if (!movedAny) break;
    // Renumber and aggregate.
    const relabel = new Int32Array(n).fill(-1);
    let count = 0;
    for (let i = 0; i < n; i++) if (relabel[comm[i]!] === -1) relabel[comm[i]!] = count++;
    for (let u = 0; u < original; u++) membership[u] = relabel[comm[membership[u]!]!]!;
    const rowCount = new Uint32Array(count + 1);
    for (let u = 0; u < n; u++) rowCount[relabel[comm[u]!]! + 1]! += g.start[u + 1]! - g.start[u]!;
    for (let c = 0; c < count; c++) rowCount[c + 1]! += rowCount[c]!;
    const fill = rowCount.slice(0, count);
    const rawT = new Uint32Array(g.target.length);
    const rawW = new Float64Array(g.target.length);
    for (let u = 0; u < n; u++) {
      const cu = relabel[comm[u]!]!;
      for (let j = g.start[u]!; j < g.start[u + 1]!; j++) {
        const at = fill[cu]!++;
        rawT[at] = relabel[comm[g.target[j]!]!]!;
        rawW[at] = g.weight[j]!;
      }
    }
    g = mergeRows(count, rowCount, rawT, rawW);
    if (count === n) break;
  }
  let count = 0;
  const seen = new Int32Array(original).fill(-1);
  for (let u = 0; u < original; u++) {
    const c = membership[u]!;
    if (seen[c] === -1) seen[c] = count++;
    membership[u] = seen[c]!;
  }
  return { community: membership, count, modularity: modularity(und, membership, res) };
}

/** Newman modularity of a partition of the undirected weighted graph. */
export function modularity(und: Csr, community: Int32Array, resolution = 1): number {
  let m2 = 0;
  for (let i = 0; i < und.n; i++) m2 += und.weightSum[i]!;
  if (m2 === 0) return 0;
  const inside = new Map<number, number>();
  const tot = new Map<number, number>();
  for (let u = 0; u < und.n; u++) {
    const cu = community[u]!;
    tot.set(cu, (tot.get(cu) ?? 0) + und.weightSum[u]!);
    for (let j = und.start[u]!; j < und.start[u + 1]!; j++) if (community[und.target[j]!] === cu) inside.set(cu, (inside.get(cu) ?? 0) + und.weight[j]!);
  }
  let q = 0;
  for (const [c, t] of tot) q += (inside.get(c) ?? 0) / m2 - resolution * (t / m2) ** 2;
  return q;
}
