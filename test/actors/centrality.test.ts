import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DirectedGraph, UndirectedGraph } from 'graphology';
import pagerankImport from 'graphology-metrics/centrality/pagerank.js';
import hitsImport from 'graphology-metrics/centrality/hits.js';
import eigenvectorImport from 'graphology-metrics/centrality/eigenvector.js';
import betweennessImport from 'graphology-metrics/centrality/betweenness.js';
import { InteractionGraph } from '../../src/analyse/actors/graph.js';
import { betweenness, clustering, coreNumbers, eigenvector, hits, inCsr, mulberry32, pagerank, pagerankMulti, pagerankPushMulti } from '../../src/analyse/actors/centrality.js';
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

/** Dense power iteration straight from the definitions: the reference for the gather kernels. */
function denseReference(n: number, edges: readonly (readonly [number, number, number])[]) {
  const A = Array.from({ length: n }, () => new Float64Array(n));
  for (const [u, v, w] of edges) A[u]![v]! += w;
  const outSum = A.map((row) => row.reduce((a, b) => a + b, 0));
  const pagerankRef = (p: Float64Array, alpha: number): Float64Array => {
    let x = Float64Array.from(p);
    for (let it = 0; it < 500; it++) {
      let dangle = 0;
      for (let u = 0; u < n; u++) if (outSum[u] === 0) dangle += x[u]!;
      const next = new Float64Array(n);
      for (let v = 0; v < n; v++) {
        let s = 0;
        for (let u = 0; u < n; u++) if (outSum[u]! > 0) s += (alpha * A[u]![v]! * x[u]!) / outSum[u]!;
        next[v] = s + (alpha * dangle + 1 - alpha) * p[v]!;
      }
      x = next;
    }
    return x;
  };
  const scale = (x: Float64Array, by: (x: Float64Array) => number) => { const s = by(x); return x.map((v) => v / s); };
  const sum = (x: Float64Array) => x.reduce((a, b) => a + b, 0);
  const max = (x: Float64Array) => x.reduce((a, b) => Math.max(a, b), 0);
  const l2 = (x: Float64Array) => Math.sqrt(x.reduce((a, b) => a + b * b, 0));
  let h = new Float64Array(n).fill(1 / n);
  let auth = new Float64Array(n);
  for (let it = 0; it < 3000; it++) {
    auth = new Float64Array(n);
    for (let u = 0; u < n; u++) for (let v = 0; v < n; v++) auth[v]! += A[u]![v]! * h[u]!;
    const nh = new Float64Array(n);
    for (let u = 0; u < n; u++) for (let v = 0; v < n; v++) nh[u]! += A[u]![v]! * auth[v]!;
    h = scale(nh, max);
  }
  let e = new Float64Array(n).fill(1 / n);
  for (let it = 0; it < 3000; it++) {
    const ne = Float64Array.from(e);
    for (let u = 0; u < n; u++) for (let v = 0; v < n; v++) { ne[v]! += A[u]![v]! * e[u]!; ne[u]! += A[u]![v]! * e[v]!; }
    e = scale(ne, l2);
  }
  return { pagerankRef, hubs: scale(h, sum), authorities: scale(auth, sum), eigenvector: e };
}

test('gather kernels (PageRank ×13 vectors, HITS, eigenvector) equal a dense reference, incl. dangling nodes and reused transposes', () => {
  const { g } = randomGraph(40, 150, 21);
  const out = g.outCsr();
  const n = out.n;
  const edges: [number, number, number][] = [];
  for (let u = 0; u < n; u++) for (let j = out.start[u]!; j < out.start[u + 1]!; j++) edges.push([u, out.target[j]!, out.weight[j]!]);
  assert.ok(Array.from(out.weightSum).some((w) => w === 0), 'the graph has dangling nodes');
  const ref = denseReference(n, edges);
  const rng = mulberry32(5);
  // 13 vectors exercise every block width of the kernel (8 + 4 + 1).
  const teleports = Array.from({ length: 13 }, (_, k) => {
    const t = new Float64Array(n);
    if (k === 12) return t.fill(1 / n);
    for (let i = 0; i < 4; i++) t[Math.floor(rng() * n)] = rng() + 0.1;
    const s = t.reduce((a, b) => a + b, 0);
    return t.map((v) => v / s);
  });
  // A transpose of a bigger graph lends its buffers: stale entries past the edge count must not leak in.
  const bigger = inCsr(randomGraph(40, 400, 22).g.outCsr());
  const inEdges = inCsr(out, bigger);
  assert.equal(inEdges.source, bigger.source);
  for (const opts of [{}, { inEdges }]) {
    const multi = pagerankMulti(out, { ...iter, damping: 0.85, teleports, ...opts });
    teleports.forEach((p, k) => {
      const want = ref.pagerankRef(p, 0.85);
      for (let i = 0; i < n; i++) assert.ok(Math.abs(multi[k]!.values[i]! - want[i]!) < 1e-9, `vector ${k} node ${i}`);
    });
    const h = hits(out, { ...iter, ...opts });
    const e = eigenvector(out, { ...iter, ...opts });
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(h.hubs[i]! - ref.hubs[i]!) < 1e-8, `hub ${i}`);
      assert.ok(Math.abs(h.authorities[i]! - ref.authorities[i]!) < 1e-8, `authority ${i}`);
      assert.ok(Math.abs(e.values[i]! - ref.eigenvector[i]!) < 1e-8, `eigenvector ${i}`);
    }
  }
});

test('the graph merges its transposed CSR batch by batch to exactly the transpose of the merged out-CSR', () => {
  const rng = mulberry32(31);
  const g = new InteractionGraph(DEFAULT_ACTORS_CONFIG.graph);
  let authors = 30;
  const author = (i: number) => ({ id: `a${i}`, siteId: 's', handle: `h${i}`, reputation: null, postCount: null, joinedAt: null });
  g.addAuthors(Array.from({ length: authors }, (_, i) => author(i)));
  const roots = Array.from({ length: authors }, (_, i) => ({ id: `root${i}`, siteId: 's', threadId: `t${i}`, boardId: null, authorId: `a${i}`, postedAt: null, bodyText: '', codeBlockCount: 0 }));
  g.addPosts(roots, []);
  let post = 0;
  for (let batch = 0; batch < 6; batch++) {
    if (batch === 3) {
      // New authors in the middle of the stream: the transpose gains rows.
      g.addAuthors(Array.from({ length: 5 }, (_, k) => author(authors + k)));
      g.addPosts(Array.from({ length: 5 }, (_, k) => ({ ...roots[0]!, id: `root${authors + k}`, threadId: `t${authors + k}`, authorId: `a${authors + k}` })), []);
      authors += 5;
    }
    const posts = [];
    const links = [];
    // Few distinct pairs, so batches both add to existing edges and create new ones.
    for (let k = 0; k < 60; k++, post++) {
      const u = Math.floor(rng() * authors);
      const v = Math.floor(rng() * Math.min(authors, 12));
      posts.push({ id: `p${post}`, siteId: 's', threadId: `x${post}`, boardId: null, authorId: `a${u}`, postedAt: null, bodyText: '', codeBlockCount: 0 });
      links.push({ postId: `p${post}`, targetPostId: `root${v}`, kind: rng() < 0.5 ? ('quote' as const) : ('reply' as const) });
    }
    g.addPosts(posts, links);
    const merged = g.inCsr();
    const fresh = inCsr(g.outCsr());
    assert.deepEqual([...merged.start], [...fresh.start], `batch ${batch}: row starts`);
    const m = fresh.start[fresh.n]!;
    assert.deepEqual([...merged.source.subarray(0, m)], [...fresh.source.subarray(0, m)], `batch ${batch}: sources`);
    assert.deepEqual([...merged.weight.subarray(0, m)], [...fresh.weight.subarray(0, m)], `batch ${batch}: weights (bit-identical)`);
  }
});
