import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DirectedGraph, UndirectedGraph } from 'graphology';
import pagerankImport from 'graphology-metrics/centrality/pagerank.js';
import hitsImport from 'graphology-metrics/centrality/hits.js';
import eigenvectorImport from 'graphology-metrics/centrality/eigenvector.js';
import betweennessImport from 'graphology-metrics/centrality/betweenness.js';
import { InteractionGraph } from '../../src/analyse/actors/graph.js';
import { betweenness, clustering, coreNumbers, eigenvector, hits, mulberry32, pagerank, pagerankMulti, pagerankPushMulti } from '../../src/analyse/actors/centrality.js';
import { DEFAULT_ACTORS_CONFIG } from '../../src/analyse/actors/config.js';

/** A random weighted digraph built through InteractionGraph's edge log, plus graphology copies. */
function randomGraph(n: number, m: number, seed: number) {
  const rng = mulberry32(seed);
  const g = new InteractionGraph(DEFAULT_ACTORS_CONFIG.graph);
  g.addAuthors(Array.from({ length: n }, (_, i) => ({ id: `a${i}`, siteId: 's', handle: `h${i}`, reputation: null, postCount: null, joinedAt: null })));
  // Drive edges through posts: each post in its own thread replying to a random earlier post.
  const posts = [];
  const links = [];
  for (let i = 0; i < n; i++) posts.push({ id: `root${i}`, siteId: 's', threadId: `t${i}`, boardId: null, authorId: `a${i}`, postedAt: null, bodyText: '', codeBlockCount: 0 });
  for (let k = 0; k < m; k++) {
    const u = Math.floor(rng() * n);
    const v = Math.floor(rng() * n);
    posts.push({ id: `p${k}`, siteId: 's', threadId: `x${k}`, boardId: null, authorId: `a${u}`, postedAt: null, bodyText: '', codeBlockCount: 0 });
    links.push({ postId: `p${k}`, targetPostId: `root${v}`, kind: 'reply' as const });
  }
  g.addPosts(posts, links);
  const directed = new DirectedGraph();
  const undirected = new UndirectedGraph();
  for (let i = 0; i < n; i++) { directed.addNode(String(i)); undirected.addNode(String(i)); }
  for (const [s, t, w] of g.edgeList()) {
    const a = String(g.nodeIndex.get(s));
    const b = String(g.nodeIndex.get(t));
    directed.addEdge(a, b, { weight: w });
    if (undirected.hasEdge(a, b)) undirected.updateEdgeAttribute(a, b, 'weight', (x) => (x as number) + w);
    else undirected.addEdge(a, b, { weight: w });
  }
  return { g, directed, undirected };
}

// CommonJS modules: the default import is module.exports itself, which the typings call `.default`.
const pagerankRef = pagerankImport as unknown as typeof pagerankImport.default;
const hitsRef = hitsImport as unknown as typeof hitsImport.default;
const eigenvectorRef = eigenvectorImport as unknown as typeof eigenvectorImport.default;
const betweennessRef = betweennessImport as unknown as typeof betweennessImport.default;

const iter = { tolerance: 1e-12, maxIterations: 1000 };

test('edge log merges repeated interactions into one weighted edge', () => {
  const { g, directed } = randomGraph(30, 400, 3);
  assert.equal(g.size, directed.size);
  let total = 0;
  for (const [, , w] of g.edgeList()) total += w;
  assert.equal(Math.round(total), 400 - g.outCsr().n * 0 - countSelfLoops(g));
});

function countSelfLoops(g: InteractionGraph): number {
  return g.kindCounts.reply === 400 ? 0 : 400 - g.kindCounts.reply;
}

test('PageRank matches graphology-metrics on a weighted digraph', () => {
  const { g, directed } = randomGraph(60, 500, 1);
  const ours = pagerank(g.outCsr(), { ...iter, damping: 0.85 });
  const ref = pagerankRef(directed, { getEdgeWeight: 'weight', tolerance: 1e-12, maxIterations: 1000 });
  for (let i = 0; i < 60; i++) assert.ok(Math.abs(ours.values[i]! - ref[String(i)]!) < 1e-9, `node ${i}`);
  assert.ok(ours.converged);
});

test('personalised PageRank concentrates on the teleport set and sums to 1', () => {
  const { g } = randomGraph(60, 500, 2);
  const teleport = new Float64Array(60);
  teleport[5] = 0.5; teleport[9] = 0.5;
  const r = pagerank(g.outCsr(), { ...iter, damping: 0.85, teleport });
  const sum = r.values.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-9);
  const uniform = pagerank(g.outCsr(), { ...iter, damping: 0.85 });
  assert.ok(r.values[5]! > uniform.values[5]! && r.values[9]! > uniform.values[9]!);
});

test('multi-vector topic PageRank equals one personalised PageRank per topic', () => {
  const { g } = randomGraph(70, 600, 8);
  const out = g.outCsr();
  const rng = mulberry32(3);
  const teleports = [0, 1, 2].map(() => {
    const t = new Float64Array(70);
    for (let k = 0; k < 5; k++) t[Math.floor(rng() * 70)] = rng();
    const s = t.reduce((a, b) => a + b, 0);
    return t.map((v) => v / s);
  });
  const multi = pagerankMulti(out, { ...iter, damping: 0.85, teleports });
  teleports.forEach((teleport, k) => {
    const single = pagerank(out, { ...iter, damping: 0.85, teleport });
    for (let i = 0; i < 70; i++) assert.ok(Math.abs(multi[k]!.values[i]! - single.values[i]!) < 1e-10, `topic ${k} node ${i}`);
  });
});

test('residual-push update after new edges matches PageRank recomputed on the new graph', () => {
  const { g } = randomGraph(200, 1500, 9);
  const uniform = new Float64Array(200).fill(1 / 200);
  const topic = new Float64Array(200);
  topic[3] = 0.7; topic[50] = 0.3;
  const before = pagerankMulti(g.outCsr(), { ...iter, damping: 0.85, teleports: [uniform, topic] });
  // 40 new interactions, some from nodes that had no out-edges before.
  const rng = mulberry32(4);
  g.addPosts(
    Array.from({ length: 40 }, (_, k) => ({ id: `n${k}`, siteId: 's', threadId: `nt${k}`, boardId: null, authorId: `a${Math.floor(rng() * 200)}`, postedAt: null, bodyText: '', codeBlockCount: 0 })),
    Array.from({ length: 40 }, (_, k) => ({ postId: `n${k}`, targetPostId: `root${Math.floor(rng() * 200)}`, kind: 'reply' as const })),
  );
  const out = g.outCsr();
  const pushed = pagerankPushMulti(out, { damping: 0.85, teleports: [uniform, topic], starts: before.map((r) => r.values), epsilon: 1e-10 });
  const exact = pagerankMulti(out, { ...iter, damping: 0.85, teleports: [uniform, topic] });
  for (let t = 0; t < 2; t++) {
    let maxDiff = 0;
    for (let i = 0; i < 200; i++) maxDiff = Math.max(maxDiff, Math.abs(pushed[t]!.values[i]! - exact[t]!.values[i]!));
    assert.ok(maxDiff < 1e-8, `vector ${t}: max diff ${maxDiff}`);
    assert.ok(pushed[t]!.pushes > 0);
  }
});

test('warm-started PageRank converges to the same vector in fewer iterations', () => {
  const { g } = randomGraph(80, 800, 4);
  const cold = pagerank(g.outCsr(), { ...iter, damping: 0.85 });
  const warm = pagerank(g.outCsr(), { ...iter, damping: 0.85, start: cold.values });
  assert.ok(warm.iterations < cold.iterations);
  for (let i = 0; i < 80; i++) assert.ok(Math.abs(warm.values[i]! - cold.values[i]!) < 1e-9);
});

test('HITS matches graphology-metrics', () => {
  const { g, directed } = randomGraph(40, 300, 5);
  const ours = hits(g.outCsr(), iter);
  const ref = hitsRef(directed, { getEdgeWeight: 'weight', tolerance: 1e-14, maxIterations: 1000 });
  for (let i = 0; i < 40; i++) {
    assert.ok(Math.abs(ours.authorities[i]! - ref.authorities[String(i)]!) < 1e-6, `authority ${i}`);
    assert.ok(Math.abs(ours.hubs[i]! - ref.hubs[String(i)]!) < 1e-6, `hub ${i}`);
  }
});

test('eigenvector centrality matches graphology-metrics on the undirected graph', () => {
  const { g, undirected } = randomGraph(40, 300, 6);
  const ours = eigenvector(g.outCsr(), iter);
  const ref = eigenvectorRef(undirected, { getEdgeWeight: 'weight', tolerance: 1e-12, maxIterations: 1000 });
  for (let i = 0; i < 40; i++) assert.ok(Math.abs(ours.values[i]! - ref[String(i)]!) < 1e-6, `node ${i}`);
});

test('exact betweenness matches graphology-metrics (unweighted, undirected)', () => {
  const { g, undirected } = randomGraph(50, 120, 7);
  const ours = betweenness(g.undirectedCsr(), null);
  const ref = betweennessRef(undirected, { getEdgeWeight: null, normalized: false });
  for (let i = 0; i < 50; i++) assert.ok(Math.abs(ours[i]! - ref[String(i)]!) < 1e-6, `node ${i}: ${ours[i]} vs ${ref[String(i)]}`);
});

test('k-core and clustering on a hand-checked graph', () => {
  // Triangle 0-1-2, plus 2-3 and 3-4: cores [2,2,2,1,1]; clustering 0,1 → 1, 2 → 1/3.
  const g = new InteractionGraph({ ...DEFAULT_ACTORS_CONFIG.graph, coParticipationWeight: 0, threadStarterWeight: 0 });
  g.addAuthors([0, 1, 2, 3, 4].map((i) => ({ id: `a${i}`, siteId: 's', handle: `h${i}`, reputation: null, postCount: null, joinedAt: null })));
  const edges: [number, number][] = [[0, 1], [1, 2], [2, 0], [2, 3], [3, 4]];
  const posts = [0, 1, 2, 3, 4].map((i) => ({ id: `r${i}`, siteId: 's', threadId: `t${i}`, boardId: null, authorId: `a${i}`, postedAt: null, bodyText: '', codeBlockCount: 0 }));
  const links = edges.map(([u, v], k) => ({ postId: `e${k}`, targetPostId: `r${v}`, kind: 'reply' as const }));
  g.addPosts([...posts, ...edges.map(([u], k) => ({ id: `e${k}`, siteId: 's', threadId: `x${k}`, boardId: null, authorId: `a${u}`, postedAt: null, bodyText: '', codeBlockCount: 0 }))], links);
  const und = g.undirectedCsr();
  assert.deepEqual(Array.from(coreNumbers(und)), [2, 2, 2, 1, 1]);
  const c = clustering(und);
  assert.equal(c[0], 1);
  assert.equal(c[1], 1);
  assert.ok(Math.abs(c[2]! - 1 / 3) < 1e-12);
  assert.equal(c[3], 0);
});

test('sampled betweenness ranks the bridge path of a barbell graph on top', () => {
  const g = new InteractionGraph({ ...DEFAULT_ACTORS_CONFIG.graph, coParticipationWeight: 0, threadStarterWeight: 0 });
  const n = 41;
  g.addAuthors(Array.from({ length: n }, (_, i) => ({ id: `a${i}`, siteId: 's', handle: `h${i}`, reputation: null, postCount: null, joinedAt: null })));
  const pairs: [number, number][] = [];
  for (let i = 0; i < 20; i++) for (let j = i + 1; j < 20; j++) { pairs.push([i, j]); pairs.push([20 + i + 1, 20 + j + 1]); }
  pairs.push([0, 20], [20, 21]); // node 20 bridges the two cliques
  const roots = Array.from({ length: n }, (_, i) => ({ id: `r${i}`, siteId: 's', threadId: `t${i}`, boardId: null, authorId: `a${i}`, postedAt: null, bodyText: '', codeBlockCount: 0 }));
  g.addPosts([...roots, ...pairs.map(([u], k) => ({ id: `e${k}`, siteId: 's', threadId: `x${k}`, boardId: null, authorId: `a${u}`, postedAt: null, bodyText: '', codeBlockCount: 0 }))],
    pairs.map(([, v], k) => ({ postId: `e${k}`, targetPostId: `r${v}`, kind: 'reply' as const })));
  const bc = betweenness(g.undirectedCsr(), [1, 5, 25, 30, 12, 33]);
  // 0 – 20 – 21 is the only path between the cliques; every other node is a clique member.
  const top3 = Array.from(bc.keys()).sort((a, b) => bc[b]! - bc[a]!).slice(0, 3).sort((a, b) => a - b);
  assert.deepEqual(top3, [0, 20, 21]);
  assert.ok(bc[20]! > 10 * bc[5]!);
});

test('merging new posts batch by batch gives the same CSR as one batch (row merge, double buffering)', async () => {
  const { syntheticForum } = await import('../../src/analyse/actors/synthetic.js');
  const base = syntheticForum({ authors: 300, posts: 3000, seed: 11 });
  const sorted = (csr: ReturnType<InteractionGraph['outCsr']>, ids: readonly string[]) => {
    const rows: string[] = [];
    for (let u = 0; u < csr.n; u++) {
      const row: string[] = [];
      for (let j = csr.start[u]!; j < csr.start[u + 1]!; j++) row.push(`${ids[csr.target[j]!]}:${csr.weight[j]!.toFixed(9)}`);
      rows.push(`${ids[u]}>${row.sort().join(',')}|${csr.weightSum[u]!.toFixed(9)}`);
    }
    return rows.sort();
  };
  // No time decay: otherwise the batched graph's anchor (newest post of its first batch) scales
  // every weight by a constant factor, which the metrics ignore but an exact comparison would not.
  const config = { ...DEFAULT_ACTORS_CONFIG.graph, halfLifeDays: 0 };
  const one = new InteractionGraph(config);
  one.addAuthors(base.authors.slice(0, 200));
  one.addPosts(base.posts, base.links);
  const batched = new InteractionGraph(config);
  // New authors arrive with later batches (rows beyond the previous CSR's n).
  batched.addAuthors(base.authors.slice(0, 200));
  const cuts = [0, 1500, 1800, 1801, 2400, 3000];
  for (let c = 0; c + 1 < cuts.length; c++) {
    const posts = base.posts.slice(cuts[c], cuts[c + 1]);
    const ids = new Set(posts.map((p) => p.id));
    batched.addPosts(posts, base.links.filter((l) => ids.has(l.postId)));
    batched.outCsr();
  }
  const a = one.outCsr();
  const b = batched.outCsr();
  assert.equal(b.target.length, a.target.length);
  assert.deepEqual(sorted(b, batched.nodeIds), sorted(a, one.nodeIds));
});
