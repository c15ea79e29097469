import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import type { DetailedLouvainOutput, LouvainOptions } from 'graphology-communities-louvain';
import type { AbstractGraph } from 'graphology-types';
import type { Csr } from './graph.js';
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
