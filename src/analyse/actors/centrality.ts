import { seededRandom as mulberry32 } from '../../core/random.js';
import { transposeCsr, type Csr, type InCsr } from './graph.js';

export type { InCsr };

/**
 * Centralities on compressed sparse rows. graphology-metrics computes the same quantities (the
 * tests check we agree with it on small graphs), but at 100k nodes / 1M edges its per-call
 * index building and object maps dominate, and it has neither a personalised teleport vector
 * (needed for topic-specific PageRank) nor a warm start (needed for incremental updates).
 */

export interface IterativeResult {
  readonly values: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

export interface IterationOptions {
  readonly tolerance: number;
  readonly maxIterations: number;
}

/**
 * PageRank with a teleport distribution (uniform when omitted). Dangling nodes' mass follows the
 * teleport vector, which makes the topic-specific variant a proper personalised PageRank.
 */
export function pagerank(
  out: Csr,
  options: IterationOptions & { readonly damping: number; readonly teleport?: Float64Array; readonly start?: Float64Array },
): IterativeResult {
  const { n, start, target, weight, weightSum } = out;
  const alpha = options.damping;
  const p = options.teleport ?? new Float64Array(n).fill(n === 0 ? 0 : 1 / n);
  let x = options.start ? Float64Array.from(options.start) : Float64Array.from(p);
  normaliseL1(x);
  let next = new Float64Array(n);
  const dangling: number[] = [];
  for (let i = 0; i < n; i++) if (weightSum[i] === 0) dangling.push(i);
  let iterations = 0;
  let converged = false;
  while (iterations < options.maxIterations) {
    iterations++;
    let dangle = 0;
    for (const i of dangling) dangle += x[i]!;
    next.fill(0);
    for (let i = 0; i < n; i++) {
      const share = x[i]!;
      if (share === 0) continue;
      const f = (alpha * share) / (weightSum[i] || 1);
      for (let j = start[i]!, end = start[i + 1]!; j < end; j++) next[target[j]!]! += f * weight[j]!;
    }
    const base = alpha * dangle + (1 - alpha);
    let error = 0;
    for (let i = 0; i < n; i++) {
      const v = next[i]! + base * p[i]!;
      next[i] = v;
      error += Math.abs(v - x[i]!);
    }
    [x, next] = [next, x];
    if (error < n * options.tolerance) {
      converged = true;
      break;
    }
  }
  return { values: x, iterations, converged };
}

/**
 * In-edges of an out-CSR (its transpose), raw weights, sources in ascending order per row. The
 * fixed points below gather over it: each node sums its in-neighbours' values, so the writes are
 * sequential instead of scattered over the whole vector (a push kernel's `next[target] +=` misses
 * the cache on almost every edge at 100k nodes × T interleaved vectors). The interaction graph
 * keeps it merged between batches (`graph.inCsr()`); this builds one from scratch.
 */
export function inCsr(out: Csr, reuse?: InCsr): InCsr {
  return transposeCsr(out, reuse);
}

/**
 * Several personalised PageRanks at once (topic-specific PageRank): the T vectors are interleaved
 * so each iteration streams the edge arrays once for all topics instead of once per topic.
 * Iterates until every vector has converged; each result equals `pagerank` with that teleport
 * vector (up to summation order). Pull kernel: x is pre-scaled by α / out-strength once per
 * iteration (n×T multiplies), then every node gathers its in-edges.
 */
export function pagerankMulti(
  out: Csr,
  options: IterationOptions & {
    readonly damping: number;
    readonly teleports: readonly Float64Array[];
    /** Warm starts; a shorter vector (fewer nodes than now) is padded with zeros. */
    readonly starts?: readonly (Float64Array | undefined)[];
    /** Scratch buffers reused between calls (four n×T arrays), to spare the GC on repeated runs. */
    readonly scratch?: Float64Array[];
    /** Transpose of `out` when the caller already has it (shared with HITS and eigenvector). */
    readonly inEdges?: InCsr;
  },
): IterativeResult[] {
  const { n } = out;
  const T = options.teleports.length;
  if (T === 0) return [];
  const scratch = options.scratch ?? [];
  for (let b = 0; b < 2; b++) if (scratch[b]?.length !== n * T) scratch[b] = new Float64Array(n * T);
  const p = scratch[0]!;
  const x = scratch[1]!;
  // Interleave node-major: sequential writes (a topic-major loop strides through the n×T arrays
  // once per topic).
  const inits = options.teleports.map((tele, t) => {
    const init = options.starts?.[t] ?? tele;
    let sum = 0;
    const len = Math.min(n, init.length);
    for (let i = 0; i < len; i++) sum += init[i]!;
    return sum > 0 ? { init, f: 1 / sum, len } : { init: tele, f: 1, len: n };
  });
  for (let i = 0, at = 0; i < n; i++) {
    for (let t = 0; t < T; t++, at++) {
      const s0 = inits[t]!;
      p[at] = options.teleports[t]![i]!;
      x[at] = i < s0.len ? s0.init[i]! * s0.f : 0;
    }
  }
  const run = pagerankInterleaved(out, {
    ...options, T, p, pScale: new Float64Array(T).fill(1), x, inEdges: options.inEdges ?? inCsr(out), scratch: scratch.slice(2),
  });
  // The three iteration buffers rotate; keep all of them for the next call.
  [scratch[1], scratch[2], scratch[3]] = [run.x, run.spare[0]!, run.spare[1]!];
  return run.iterations.map((iterations, t) => ({ values: deinterleave(run.x, n, T, t), iterations, converged: run.converged[t]! }));
}

// The hot loops live in small functions of typed arrays and numbers only: V8 keeps their
// optimised code between calls (one call per round), whereas a long function entered once per
// update was re-entered in the interpreter and OSR-compiled anew every time (≈ 0.1 s per update
// of boxed-double garbage and compile time, measured with --trace-opt/--trace-deopt).

/** Nodes without out-edges. */
function danglingNodes(weightSum: Float64Array, n: number): Uint32Array {
  let count = 0;
  for (let i = 0; i < n; i++) if (weightSum[i] === 0) count++;
  const nodes = new Uint32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (weightSum[i] === 0) nodes[k++] = i;
  return nodes;
}

/** dangle[t] = Σ over dangling nodes of x[i·T + t]. */
function danglingMass(dangling: Uint32Array, T: number, x: Float64Array, dangle: Float64Array): void {
  dangle.fill(0);
  for (let k = 0; k < dangling.length; k++) {
    const b = dangling[k]! * T;
    for (let t = 0; t < T; t++) dangle[t]! += x[b + t]!;
  }
}

/** y = α · x / out-strength, row by row (dangling rows 0). */
function scaleRows(n: number, T: number, weightSum: Float64Array, alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0, at = 0; i < n; i++) {
    const ws = weightSum[i]!;
    const inv = ws === 0 ? 0 : alpha / ws;
    for (let t = 0; t < T; t++, at++) y[at] = inv * x[at]!;
  }
}

/** One PageRank round for T interleaved vectors: next = gather(y) + base·p; error[t] += |next − x|. */
function pagerankSweep(
  n: number, T: number, inStart: Uint32Array, source: Uint32Array, inWeight: Float64Array,
  y: Float64Array, p: Float64Array, base: Float64Array, x: Float64Array, next: Float64Array, error: Float64Array,
): void {
  for (let v = 0; v < n; v++) {
    const b = v * T;
    const j0 = inStart[v]!;
    const j1 = inStart[v + 1]!;
    // Eight (then four) vectors per sweep of the in-row, summed in locals (registers): a generic
    // inner loop over T re-loads and re-stores next[] on every edge.
    let t0 = 0;
    for (; t0 + 8 <= T; t0 += 8) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
      for (let j = j0; j < j1; j++) {
        const f = inWeight[j]!;
        const s = source[j]! * T + t0;
        a0 += f * y[s]!; a1 += f * y[s + 1]!; a2 += f * y[s + 2]!; a3 += f * y[s + 3]!;
        a4 += f * y[s + 4]!; a5 += f * y[s + 5]!; a6 += f * y[s + 6]!; a7 += f * y[s + 7]!;
      }
      next[b + t0] = a0; next[b + t0 + 1] = a1; next[b + t0 + 2] = a2; next[b + t0 + 3] = a3;
      next[b + t0 + 4] = a4; next[b + t0 + 5] = a5; next[b + t0 + 6] = a6; next[b + t0 + 7] = a7;
    }
    for (; t0 + 4 <= T; t0 += 4) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let j = j0; j < j1; j++) {
        const f = inWeight[j]!;
        const s = source[j]! * T + t0;
        a0 += f * y[s]!; a1 += f * y[s + 1]!; a2 += f * y[s + 2]!; a3 += f * y[s + 3]!;
      }
      next[b + t0] = a0; next[b + t0 + 1] = a1; next[b + t0 + 2] = a2; next[b + t0 + 3] = a3;
    }
    for (; t0 < T; t0++) {
      let a0 = 0;
      for (let j = j0; j < j1; j++) a0 += inWeight[j]! * y[source[j]! * T + t0]!;
      next[b + t0] = a0;
    }
    for (let t = 0; t < T; t++) {
      const val = next[b + t]! + base[t]! * p[b + t]!;
      next[b + t] = val;
      error[t]! += Math.abs(val - x[b + t]!);
    }
  }
}

/** `pagerankSweep` for the vectors with moving[t] = 1 only; the others are copied from x. */
function pagerankSweepSome(
  n: number, T: number, inStart: Uint32Array, source: Uint32Array, inWeight: Float64Array,
  y: Float64Array, p: Float64Array, base: Float64Array, x: Float64Array, next: Float64Array, error: Float64Array, moving: Uint8Array,
): void {
  for (let v = 0; v < n; v++) {
    const b = v * T;
    const j0 = inStart[v]!;
    const j1 = inStart[v + 1]!;
    for (let t = 0; t < T; t++) {
      if (moving[t] === 0) {
        next[b + t] = x[b + t]!;
        continue;
      }
      let a0 = 0;
      for (let j = j0; j < j1; j++) a0 += inWeight[j]! * y[source[j]! * T + t]!;
      const val = a0 + base[t]! * p[b + t]!;
      next[b + t] = val;
      error[t]! += Math.abs(val - x[b + t]!);
    }
  }
}

/** out[v] = Σ over v's row of weight · x[index] (a gather over a CSR, in- or out-edges). */
function gatherRows(n: number, rowStart: Uint32Array, index: Uint32Array, weight: Float64Array, x: Float64Array, out: Float64Array): void {
  for (let v = 0; v < n; v++) {
    let s = 0;
    for (let j = rowStart[v]!, end = rowStart[v + 1]!; j < end; j++) s += x[index[j]!]! * weight[j]!;
    out[v] = s;
  }
}

/** out[i] = x[i] + Σ_out w · x[target] + Σ_in w · x[source]: one step of (I + A + Aᵀ)x. */
function symmetricStep(
  n: number, start: Uint32Array, target: Uint32Array, weight: Float64Array,
  inStart: Uint32Array, source: Uint32Array, inWeight: Float64Array, x: Float64Array, out: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let j = start[i]!, end = start[i + 1]!; j < end; j++) s += x[target[j]!]! * weight[j]!;
    for (let j = inStart[i]!, end = inStart[i + 1]!; j < end; j++) s += x[source[j]!]! * inWeight[j]!;
    out[i] = s;
  }
}

/** Σ |a − b|. */
function l1Distance(a: Float64Array, b: Float64Array, n: number): number {
  let error = 0;
  for (let i = 0; i < n; i++) error += Math.abs(a[i]! - b[i]!);
  return error;
}

/** Column t of a node-major n×T array. */
export function deinterleave(x: Float64Array, n: number, T: number, t: number): Float64Array {
  const values = new Float64Array(n);
  for (let i = 0, at = t; i < n; i++, at += T) values[i] = x[at]!;
  return values;
}

/**
 * The multi-vector PageRank iteration on node-major interleaved n×T arrays, the form an
 * incremental update keeps between batches. Teleport t of node i is p[i·T + t] · pScale[t]
 * (unnormalised counts and one scale per vector, so a batch patches only the touched authors'
 * counts and the totals). `x` holds the start; the iteration swaps buffers, so the final iterate
 * is returned as `x` (the given array or a scratch buffer) and the other two as `spare`, to be
 * handed back next time.
 */
export function pagerankInterleaved(
  out: Csr,
  options: IterationOptions & {
    readonly damping: number;
    readonly T: number;
    readonly p: Float64Array;
    readonly pScale: Float64Array;
    readonly x: Float64Array;
    readonly inEdges: InCsr;
    /** Up to two n×T buffers to iterate in (allocated when missing or of another size). */
    readonly scratch?: readonly (Float64Array | undefined)[];
  },
): { x: Float64Array; spare: Float64Array[]; iterations: number[]; converged: boolean[] } {
  const { n, weightSum } = out;
  const { T, p, pScale } = options;
  const { start: inStart, source, weight: inWeight } = options.inEdges;
  const alpha = options.damping;
  const buffer = (b: number): Float64Array => {
    const given = options.scratch?.[b];
    return given?.length === n * T ? given : new Float64Array(n * T);
  };
  let x = options.x;
  let next = buffer(0);
  const y = buffer(1);
  const dangling = danglingNodes(weightSum, n);
  const dangle = new Float64Array(T);
  const base = new Float64Array(T);
  const error = new Float64Array(T);
  const iterations = new Array<number>(T).fill(0);
  const converged = new Array<boolean>(T).fill(false);
  let round = 0;
  while (round < options.maxIterations && converged.includes(false)) {
    round++;
    danglingMass(dangling, T, x, dangle);
    for (let t = 0; t < T; t++) base[t] = (alpha * dangle[t]! + (1 - alpha)) * pScale[t]!;
    scaleRows(n, T, weightSum, alpha, x, y);
    error.fill(0);
    // When only a few vectors still move (a warm start: typically one topic needs a round more
    // than the rest), sweep just those and carry the converged ones over unchanged.
    let active = 0;
    for (let t = 0; t < T; t++) if (!converged[t]) active++;
    if (T >= 4 && active * 4 <= T) {
      const moving = new Uint8Array(T);
      for (let t = 0; t < T; t++) moving[t] = converged[t] ? 0 : 1;
      pagerankSweepSome(n, T, inStart, source, inWeight, y, p, base, x, next, error, moving);
    } else pagerankSweep(n, T, inStart, source, inWeight, y, p, base, x, next, error);
    [x, next] = [next, x];
    for (let t = 0; t < T; t++) {
      if (converged[t]) continue;
      iterations[t] = round;
      if (error[t]! < n * options.tolerance) converged[t] = true;
    }
  }
  return { x, spare: [next, y], iterations, converged };
}

/**
 * Incremental (topic) PageRank by residual push, after Zhang, Lofgren & Goel (KDD 2016). From
 * the previous vectors, the exact residual r = F(x) − x of the PageRank fixed point on the new
 * graph is computed in one pass over the edges (all vectors at once); then only nodes whose
 * residual exceeds `epsilon` push it to their out-neighbours. After a small batch of posts the
 * residual is concentrated around the changed rows, so this touches a small part of the graph
 * instead of running power iterations over all of it. Residual that reaches dangling nodes
 * belongs to the teleport vector; its solution is the PageRank vector itself (scaled by
 * 1/(1−α)), so it is folded in at the end. Error per node is at most ~epsilon/(1−α).
 */
export function pagerankPushMulti(
  out: Csr,
  options: { readonly damping: number; readonly teleports: readonly Float64Array[]; readonly starts: readonly Float64Array[]; readonly epsilon: number },
): (IterativeResult & { pushes: number })[] {
  const { n, start, target, weight, weightSum } = out;
  const T = options.teleports.length;
  const alpha = options.damping;
  const xs = options.starts.map((s0) => {
    const x = Float64Array.from(s0);
    normaliseL1(x);
    return x;
  });
  // Exact residuals, one interleaved edge pass for all vectors.
  const flow = new Float64Array(n * T);
  const dangle = new Float64Array(T);
  for (let u = 0; u < n; u++) {
    if (weightSum[u] === 0) {
      for (let t = 0; t < T; t++) dangle[t]! += xs[t]![u]!;
      continue;
    }
    const inv = alpha / weightSum[u]!;
    for (let j = start[u]!, end = start[u + 1]!; j < end; j++) {
      const f = inv * weight[j]!;
      const dst = target[j]! * T;
      for (let t = 0; t < T; t++) flow[dst + t]! += f * xs[t]![u]!;
    }
  }
  return options.teleports.map((p, t) => {
    const x = xs[t]!;
    const r = new Float64Array(n);
    const base = 1 - alpha + alpha * dangle[t]!;
    for (let v = 0; v < n; v++) r[v] = flow[v * T + t]! + base * p[v]! - x[v]!;
    const eps = options.epsilon;
    const queue: number[] = [];
    const queued = new Uint8Array(n);
    for (let v = 0; v < n; v++) if (Math.abs(r[v]!) > eps) { queue.push(v); queued[v] = 1; }
    let toTeleport = 0;
    let pushes = 0;
    for (let head = 0; head < queue.length; head++) {
      const u = queue[head]!;
      queued[u] = 0;
      const ru = r[u]!;
      if (Math.abs(ru) <= eps) continue;
      pushes++;
      x[u]! += ru;
      r[u] = 0;
      if (weightSum[u] === 0) {
        toTeleport += alpha * ru;
        continue;
      }
      const f = (alpha * ru) / weightSum[u]!;
      for (let j = start[u]!, end = start[u + 1]!; j < end; j++) {
        const v = target[j]!;
        r[v]! += f * weight[j]!;
        if (!queued[v] && Math.abs(r[v]!) > eps) { queued[v] = 1; queue.push(v); }
      }
      // Keep the queue array from growing without bound on long runs.
      if (head > 1_000_000 && head * 2 > queue.length) { queue.splice(0, head + 1); head = -1; }
    }
    if (toTeleport !== 0) {
      const sum = x.reduce((a, b) => a + b, 0);
      const scale = toTeleport / (1 - alpha) / (sum || 1);
      for (let v = 0; v < n; v++) x[v]! += scale * x[v]!;
    }
    normaliseL1(x);
    return { values: x, iterations: 1, converged: true, pushes };
  });
}

/** A copy of a warm start, zero-padded when the graph gained nodes since. */
function padded(start: Float64Array, n: number) {
  const x = new Float64Array(n);
  x.set(start.subarray(0, Math.min(n, start.length)));
  return x;
}

/** HITS on the directed graph: hubs respond to many authorities, authorities are responded to. */
export function hits(out: Csr, options: IterationOptions & { readonly start?: { hubs: Float64Array }; readonly inEdges?: InCsr }): {
  hubs: Float64Array;
  authorities: Float64Array;
  iterations: number;
  converged: boolean;
} {
  const { n, start, target, weight } = out;
  const { start: inStart, source, weight: inWeight } = options.inEdges ?? inCsr(out);
  let h = options.start ? padded(options.start.hubs, n) : new Float64Array(n).fill(n === 0 ? 0 : 1 / n);
  // Iterates are max-normalised: a warm start (stored L1-normalised) must be on the same scale.
  if (options.start) normaliseMax(h);
  const a = new Float64Array(n);
  let spare = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  while (iterations < options.maxIterations) {
    iterations++;
    // Both half-steps gather: authorities over in-edges, hubs over out-edges.
    gatherRows(n, inStart, source, inWeight, h, a);
    const nextH = spare;
    gatherRows(n, start, target, weight, a, nextH);
    normaliseMax(a);
    normaliseMax(nextH);
    const error = l1Distance(nextH, h, n);
    spare = h;
    h = nextH;
    if (error < n * options.tolerance) {
      converged = true;
      break;
    }
  }
  normaliseL1(h);
  normaliseL1(a);
  return { hubs: h, authorities: a, iterations, converged };
}

/**
 * Eigenvector centrality of the symmetrised graph (A + Aᵀ), iterating x ← x + (A + Aᵀ)x (stable on
 * bipartite parts). Works from the directed CSR, so incremental updates need no undirected copy.
 */
export function eigenvector(out: Csr, options: IterationOptions & { readonly start?: Float64Array; readonly inEdges?: InCsr }): IterativeResult {
  const { n, start, target, weight } = out;
  const { start: inStart, source, weight: inWeight } = options.inEdges ?? inCsr(out);
  let x = options.start ? padded(options.start, n) : new Float64Array(n).fill(n === 0 ? 0 : 1 / n);
  let next = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  while (iterations < options.maxIterations) {
    iterations++;
    // (x + Ax + Aᵀx)[i]: gather over out-edges and in-edges, no scattered writes.
    symmetricStep(n, start, target, weight, inStart, source, inWeight, x, next);
    normaliseL2(next);
    const error = l1Distance(next, x, n);
    [x, next] = [next, x];
    if (error < n * options.tolerance) {
      converged = true;
      break;
    }
  }
  return { values: x, iterations, converged };
}

/** k-core number of every node (Batagelj–Zaveršnik bucket algorithm, unweighted, O(m)). */
export function coreNumbers(und: Csr): Uint32Array {
  const { n, start } = und;
  const deg = new Uint32Array(n);
  let maxDeg = 0;
  for (let i = 0; i < n; i++) {
    deg[i] = start[i + 1]! - start[i]!;
    if (deg[i]! > maxDeg) maxDeg = deg[i]!;
  }
  const bin = new Uint32Array(maxDeg + 1);
  for (let i = 0; i < n; i++) bin[deg[i]!]! += 1;
  let s = 0;
  for (let d = 0; d <= maxDeg; d++) {
    const c = bin[d]!;
    bin[d] = s;
    s += c;
  }
  const pos = new Uint32Array(n);
  const vert = new Uint32Array(n);
  for (let v = 0; v < n; v++) {
    pos[v] = bin[deg[v]!]!;
    vert[pos[v]!] = v;
    bin[deg[v]!]! += 1;
  }
  for (let d = maxDeg; d > 0; d--) bin[d] = bin[d - 1]!;
  bin[0] = 0;
  for (let i = 0; i < n; i++) {
    const v = vert[i]!;
    for (let j = start[v]!; j < start[v + 1]!; j++) {
      const u = und.target[j]!;
      if (deg[u]! > deg[v]!) {
        const du = deg[u]!;
        const pu = pos[u]!;
        const pw = bin[du]!;
        const w = vert[pw]!;
        if (u !== w) {
          pos[u] = pw; vert[pu] = w;
          pos[w] = pu; vert[pw] = u;
        }
        bin[du]! += 1;
        deg[u] = du - 1;
      }
    }
  }
  return deg;
}

/**
 * Local clustering coefficient (unweighted). Triangles are counted once per edge oriented from
 * lower to higher (degree, id) rank, which bounds work by O(m^1.5) even with forum "hubs".
 */
export function clustering(und: Csr): Float64Array {
  const { n, start, target } = und;
  const degree = (v: number): number => start[v + 1]! - start[v]!;
  const higher = (u: number, v: number): boolean => degree(v) > degree(u) || (degree(v) === degree(u) && v > u);
  const fwdStart = new Uint32Array(n + 1);
  for (let u = 0; u < n; u++) {
    let c = 0;
    for (let j = start[u]!; j < start[u + 1]!; j++) if (higher(u, target[j]!)) c++;
    fwdStart[u + 1] = fwdStart[u]! + c;
  }
  const fwd = new Uint32Array(fwdStart[n]!);
  for (let u = 0, k = 0; u < n; u++) for (let j = start[u]!; j < start[u + 1]!; j++) if (higher(u, target[j]!)) fwd[k++] = target[j]!;
  const triangles = new Float64Array(n);
  const mark = new Int32Array(n).fill(-1);
  for (let u = 0; u < n; u++) {
    for (let j = fwdStart[u]!; j < fwdStart[u + 1]!; j++) mark[fwd[j]!] = u;
    for (let j = fwdStart[u]!; j < fwdStart[u + 1]!; j++) {
      const v = fwd[j]!;
      for (let k = fwdStart[v]!; k < fwdStart[v + 1]!; k++) {
        const w = fwd[k]!;
        if (mark[w] === u) {
          triangles[u]! += 1; triangles[v]! += 1; triangles[w]! += 1;
        }
      }
    }
  }
  const result = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    const d = degree(u);
    result[u] = d < 2 ? 0 : (2 * triangles[u]!) / (d * (d - 1));
  }
  return result;
}

/**
 * Betweenness on the unweighted undirected graph (interaction strength is not a distance).
 * With `sources` = every node it is Brandes' exact algorithm (undirected pairs counted once);
 * with a sample of k sources it is the Brandes–Pich estimator, scaled by n/k.
 */
export function betweenness(und: Csr, sources: readonly number[] | null): Float64Array {
  const { n, start, target } = und;
  const bc = new Float64Array(n);
  const sigma = new Float64Array(n);
  const dist = new Int32Array(n);
  const delta = new Float64Array(n);
  const order = new Uint32Array(n);
  const list = sources ?? Array.from({ length: n }, (_, i) => i);
  for (const s of list) {
    sigma.fill(0);
    dist.fill(-1);
    delta.fill(0);
    sigma[s] = 1;
    dist[s] = 0;
    let head = 0;
    let tail = 0;
    order[tail++] = s;
    while (head < tail) {
      const v = order[head++]!;
      const dv = dist[v]!;
      for (let j = start[v]!; j < start[v + 1]!; j++) {
        const w = target[j]!;
        if (dist[w]! < 0) {
          dist[w] = dv + 1;
          order[tail++] = w;
        }
        if (dist[w] === dv + 1) sigma[w]! += sigma[v]!;
      }
    }
    for (let i = tail - 1; i > 0; i--) {
      const w = order[i]!;
      const dw = dist[w]!;
      const coeff = (1 + delta[w]!) / sigma[w]!;
      for (let j = start[w]!; j < start[w + 1]!; j++) {
        const v = target[j]!;
        if (dist[v] === dw - 1) delta[v]! += sigma[v]! * coeff;
      }
      bc[w]! += delta[w]!;
    }
  }
  const scale = (sources === null ? 1 : n / Math.max(1, list.length)) * 0.5;
  for (let i = 0; i < n; i++) bc[i]! *= scale;
  return bc;
}

/** Deterministic sample of k distinct node indices (mulberry32 + partial Fisher–Yates). */
export function sampleNodes(n: number, k: number, seed: number): number[] {
  const rng = mulberry32(seed);
  const pool = Uint32Array.from({ length: n }, (_, i) => i);
  const take = Math.min(k, n);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return Array.from(pool.subarray(0, take));
}


function normaliseL1(x: Float64Array): void {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  if (s > 0) for (let i = 0; i < x.length; i++) x[i]! /= s;
}

function normaliseL2(x: Float64Array): void {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  const norm = Math.sqrt(s);
  if (norm > 0) for (let i = 0; i < x.length; i++) x[i]! /= norm;
}

function normaliseMax(x: Float64Array): void {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (x[i]! > m) m = x[i]!;
  if (m > 0) for (let i = 0; i < x.length; i++) x[i]! /= m;
}

export { mulberry32 };
