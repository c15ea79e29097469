import type { ActorAuthor, ActorLink, ActorPost } from './types.js';
import type { GraphConfig } from './config.js';

/**
 * The weighted, time-decayed author interaction graph, built incrementally.
 *
 * Nodes are author ids (already site-scoped by the store), so one graph holds every site: each
 * site is its own set of components and per-site views are a filter on `siteOf`. A directed edge
 * u → v means "u responded to v" (reply, quote, mention, implicit reply to the thread starter),
 * so attention flows to v as in PageRank. Co-participation adds both directions.
 *
 * Weights are decayed against a fixed anchor (the newest post of the first batch): a later post
 * simply weighs more than 1. Every centrality used downstream is invariant to scaling all weights
 * by one factor, so an incremental batch never has to rescale the edges already stored.
 */

const NODE_LIMIT = 2 ** 32 - 1; // node indices are stored in Uint32Array
const DAY_MS = 86_400_000;

// Linear-time: a fixed prefix class, then one bounded character class.
const MENTION_RE = /(?:^|[^\w@])@([A-Za-z0-9_][A-Za-z0-9_.-]{1,31})/g;

export type EdgeKind = 'reply' | 'quote' | 'mention' | 'thread' | 'coparticipation';

export interface Csr {
  readonly n: number;
  readonly start: Uint32Array;
  readonly target: Uint32Array;
  readonly weight: Float64Array;
  /** Sum of weights per node over this CSR's rows. */
  readonly weightSum: Float64Array;
}

/**
 * In-edges (the transpose of the out-CSR), sources ascending within each row. Gather kernels
 * (PageRank, HITS, eigenvector) read it; the graph keeps it merged like the out-CSR.
 */
export interface InCsr {
  readonly n: number;
  readonly start: Uint32Array;
  /** May be longer than the edge count (buffers kept for reuse); rows are bounded by `start`. */
  readonly source: Uint32Array;
  readonly weight: Float64Array;
}

/** Transpose of `out`; `reuse` lends its buffers when they are large enough. */
export function transposeCsr(out: Csr, reuse?: InCsr | { source: Uint32Array; weight: Float64Array }): InCsr {
  const { n, start, target, weight } = out;
  const m = start[n] ?? 0;
  const inStart = reuse && 'start' in reuse && reuse.start.length === n + 1 ? reuse.start.fill(0) : new Uint32Array(n + 1);
  // 10 % slack so a stream of small batches does not reallocate 12 MB each time.
  const cap = Math.ceil(m * 1.1);
  const source = reuse && reuse.source.length >= m ? reuse.source : new Uint32Array(cap);
  const inWeight = reuse && reuse.weight.length >= m ? reuse.weight : new Float64Array(cap);
  for (let j = 0; j < m; j++) inStart[target[j]! + 1]! += 1;
  for (let i = 0; i < n; i++) inStart[i + 1]! += inStart[i]!;
  const fill = inStart.slice(0, n);
  for (let u = 0; u < n; u++) {
    for (let j = start[u]!, end = start[u + 1]!; j < end; j++) {
      const at = fill[target[j]!]!++;
      source[at] = u;
      inWeight[at] = weight[j]!;
    }
  }
  return { n, start: inStart, source, weight: inWeight };
}

interface ThreadState {
  starter: number;
  recent: number[];
}

export class InteractionGraph {
  readonly nodeIds: string[] = [];
  readonly siteOf: string[] = [];
  readonly nodeIndex = new Map<string, number>();
  // Edge increments are appended to typed arrays (no per-edge objects: at a million edges a Map
  // costs seconds of GC) and merged into the cached CSR on demand, which empties the log.
  private src = new Uint32Array(1024);
  private dst = new Uint32Array(1024);
  private w = new Float64Array(1024);
  private length = 0;
  private merged: Csr | null = null;
  private undirected: Csr | null = null;
  /** Transposed CSR, merged together with `merged` once somebody asked for it. */
  private inMerged: InCsr | null = null;
  private inSpare: { source: Uint32Array; weight: Float64Array } | null = null;
  /** Interactions per kind, for reporting. */
  readonly kindCounts: Record<EdgeKind, number> = { reply: 0, quote: 0, mention: 0, thread: 0, coparticipation: 0 };
  private readonly postAuthor = new Map<string, number>();
  private readonly threads = new Map<string, ThreadState>();
  private readonly handles = new Map<string, number>();
  private anchorMs: number | null = null;

  constructor(private readonly config: GraphConfig) {}

  get order(): number {
    return this.nodeIds.length;
  }

  /** Distinct directed edges. */
  get size(): number {
    return this.outCsr().target.length;
  }

  /** Registers authors (nodes) and their handles for mention resolution. Idempotent. */
  addAuthors(authors: readonly ActorAuthor[]): void {
    for (const a of authors) {
      const idx = this.node(a.id, a.siteId);
      this.handles.set(`${a.siteId}\u0000${a.handle.toLowerCase()}`, idx);
    }
  }

  /**
   * Adds a batch of posts and their links. Posts must be new (not seen in an earlier batch);
   * within a batch they are processed in time order so co-participation windows are right.
   */
  addPosts(posts: readonly ActorPost[], links: readonly ActorLink[]): void {
    const linksByPost = new Map<string, ActorLink[]>();
    for (const link of links) {
      const list = linksByPost.get(link.postId);
      if (list) list.push(link);
      else linksByPost.set(link.postId, [link]);
    }
    const ordered = posts.map((p) => ({ p, t: p.postedAt === null ? Number.NaN : Date.parse(p.postedAt) }));
    ordered.sort((a, b) => (Number.isNaN(a.t) ? -Infinity : a.t) - (Number.isNaN(b.t) ? -Infinity : b.t) || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0));
    if (this.anchorMs === null) {
      let max = -Infinity;
      for (const { t } of ordered) if (!Number.isNaN(t) && t > max) max = t;
      this.anchorMs = Number.isFinite(max) ? max : 0;
    }
    // Register authors first so a reply whose target comes later in the same batch resolves.
    for (const { p } of ordered) this.postAuthor.set(p.id, this.node(p.authorId, p.siteId));
    const c = this.config;
    for (const { p, t } of ordered) {
      const u = this.postAuthor.get(p.id) as number;
      const decay = this.decay(t);
      let explicit = false;
      for (const link of linksByPost.get(p.id) ?? []) {
        const v = this.postAuthor.get(link.targetPostId);
        if (v === undefined) continue;
        explicit = true;
        if (link.kind === 'quote') this.add(u, v, c.quoteWeight * decay, 'quote');
        else this.add(u, v, c.replyWeight * decay, 'reply');
      }
      if (c.mentionWeight > 0) {
        for (const handle of mentions(p.bodyText)) {
          const v = this.handles.get(`${p.siteId}\u0000${handle}`);
          if (v !== undefined) this.add(u, v, c.mentionWeight * decay, 'mention');
        }
      }
      const thread = this.threads.get(p.threadId);
      if (!thread) {
        this.threads.set(p.threadId, { starter: u, recent: [u] });
        continue;
      }
      if (!explicit && c.threadStarterWeight > 0) this.add(u, thread.starter, c.threadStarterWeight * decay, 'thread');
      if (c.coParticipationWeight > 0) {
        for (const v of thread.recent) {
          this.add(u, v, c.coParticipationWeight * decay, 'coparticipation');
          this.add(v, u, c.coParticipationWeight * decay, 'coparticipation');
        }
      }
      const recent = thread.recent.filter((v) => v !== u);
      recent.push(u);
      if (recent.length > c.coParticipationWindow) recent.splice(0, recent.length - c.coParticipationWindow);
      thread.recent = recent;
    }
  }

  /** Directed edges as (source, target, weight) with node ids. */
  *edgeList(): Generator<[string, string, number]> {
    const out = this.outCsr();
    for (let u = 0; u < out.n; u++) {
      for (let j = out.start[u]!; j < out.start[u + 1]!; j++) {
        yield [this.nodeIds[u] as string, this.nodeIds[out.target[j]!] as string, out.weight[j]!];
      }
    }
  }

  /**
   * Out-edge CSR of the directed graph (responder → responded-to), duplicates merged. Cached;
   * after new posts only the rows with pending edges are merged, the untouched runs of rows are
   * block-copied, so an incremental batch costs O(m) memcpy plus O(pending) work. A returned
   * CSR is valid until the next `addPosts` (its arrays are reused by the merge after that).
   */
  outCsr(): Csr {
    const n = this.order;
    const old = this.merged;
    if (old && this.length === 0 && old.n === n) return old;
    // The transpose is patched from the same pending edges (the log is emptied below).
    if (old && this.inMerged) this.inMerged = this.mergePendingIn(this.inMerged, old.target.length, n);
    else if (!old) this.inMerged = null;
    const csr = old ? this.mergePending(old, n) : this.buildFromLog(n);
    this.merged = csr;
    this.undirected = null;
    this.length = 0;
    return csr;
  }

  private buildFromLog(n: number): Csr {
    const count = new Uint32Array(n + 1);
    for (let k = 0; k < this.length; k++) count[this.src[k]! + 1]! += 1;
    for (let i = 0; i < n; i++) count[i + 1]! += count[i]!;
    const fill = count.slice(0, n);
    const rawT = new Uint32Array(count[n]!);
    const rawW = new Float64Array(count[n]!);
    for (let k = 0; k < this.length; k++) {
      const at = fill[this.src[k]!]!++;
      rawT[at] = this.dst[k]!;
      rawW[at] = this.w[k]!;
    }
    const csr = mergeRows(n, count, rawT, rawW);
    // The raw (unmerged) arrays are at least as long as the merged ones: keep them as the
    // destination of the next incremental merge instead of allocating one then.
    this.spare = { target: rawT, weight: rawW };
    return csr;
  }

  private mergePending(old: Csr, n: number): Csr {
    const L = this.length;
    // Pending edges grouped by source row, in log order within a row (stable counting sort).
    const src = this.src;
    const order = countingOrder(src, n, identityOrder(L));
    const oldM = old.target.length;
    // Double buffering: the previous CSR's arrays become the next merge's destination, so a
    // stream of small batches does not allocate (and make the GC scan) 12 MB per million edges.
    let spare = this.spare;
    if (!spare || spare.target.length < oldM + L || spare.weight.length < oldM + L) {
      const capacity = Math.ceil((oldM + L) * 1.1);
      spare = { target: new Uint32Array(capacity), weight: new Float64Array(capacity) };
    }
    const { target, weight } = spare;
    this.spare = { target: new Uint32Array(old.target.buffer), weight: new Float64Array(old.weight.buffer) };
    const start = new Uint32Array(n + 1);
    const weightSum = new Float64Array(n);
    weightSum.set(old.weightSum.subarray(0, Math.min(n, old.n)));
    const slot = this.slotScratch(n);
    const { dst, w } = this;
    const pos = mergeTouchedRows(src, order, L, n, old.start, old.n, oldM, start,
      (from, to, at) => copyRowRun(old.start, old.n, oldM, from, to, old.target, old.weight, target, weight, at),
      (u, from, end, k, kEnd, at) => mergeOutRow(old.target, old.weight, from, end, order, k, kEnd, dst, w, target, weight, at, slot, weightSum, u));
    return { n, start, target: target.subarray(0, pos), weight: weight.subarray(0, pos), weightSum };
  }

  /**
   * In-edge CSR of the directed graph (its transpose), merged incrementally like `outCsr`: after
   * a batch only the rows (targets) with pending edges are merged — old in-row and pending
   * sources, both ascending, in one pass — and the untouched runs are block-copied. Weights are
   * summed in the same order as in the out-CSR, so both hold bit-identical values.
   */
  inCsr(): InCsr {
    const out = this.outCsr();
    if (!this.inMerged || this.inMerged.n !== out.n) {
      this.inMerged = transposeCsr(out, this.inSpare ?? undefined);
      // The second buffer of the double-buffered merge comes with the transpose, as the out-CSR's
      // does with the build (its raw arrays): the same memory a first update would allocate, but
      // not in the middle of that update, where 13 MB of new external memory at 1M edges tips V8
      // into a full mark-compact of the whole heap.
      const m = out.start[out.n] ?? 0;
      if (!this.inSpare || this.inSpare.source.length < m) {
        const capacity = Math.ceil(m * 1.1);
        this.inSpare = { source: new Uint32Array(capacity), weight: new Float64Array(capacity) };
      }
    }
    return this.inMerged;
  }

  private mergePendingIn(old: InCsr, oldM: number, n: number): InCsr {
    const L = this.length;
    const { src, dst, w } = this;
    // By target, then source, then log position: two stable counting passes (LSD).
    const order = countingOrder(dst, n, countingOrder(src, n, identityOrder(L)));
    let spare = this.inSpare;
    if (!spare || spare.source.length < oldM + L || spare.weight.length < oldM + L) {
      const capacity = Math.ceil((oldM + L) * 1.1);
      spare = { source: new Uint32Array(capacity), weight: new Float64Array(capacity) };
    }
    const { source, weight } = spare;
    this.inSpare = { source: old.source, weight: old.weight };
    const start = new Uint32Array(n + 1);
    mergeTouchedRows(dst, order, L, n, old.start, old.n, oldM, start,
      (from, to, at) => copyRowRun(old.start, old.n, oldM, from, to, old.source, old.weight, source, weight, at),
      (_v, from, end, k, kEnd, at) => mergeInRow(old.source, old.weight, from, end, order, k, kEnd, src, w, source, weight, at));
    return { n, start, source, weight };
  }

  private spare: { target: Uint32Array; weight: Float64Array } | null = null;
  private slot: Uint32Array | null = null;
  /** Zeroed scratch index (target → position + 1) reused across merges. */
  private slotScratch(n: number): Uint32Array {
    if (!this.slot || this.slot.length < n) this.slot = new Uint32Array(Math.max(n, 1024));
    return this.slot;
  }

  /** Symmetrised CSR (weights of u→v and v→u summed), for communities, cores, clustering, betweenness. */
  undirectedCsr(): Csr {
    const out = this.outCsr();
    if (this.undirected) return this.undirected;
    const n = out.n;
    const deg = new Uint32Array(n + 1);
    for (let u = 0; u < n; u++) {
      for (let j = out.start[u]!; j < out.start[u + 1]!; j++) {
        deg[u + 1]! += 1;
        deg[out.target[j]! + 1]! += 1;
      }
    }
    for (let i = 0; i < n; i++) deg[i + 1]! += deg[i]!;
    const fill = deg.slice(0, n);
    const rawT = new Uint32Array(deg[n]!);
    const rawW = new Float64Array(deg[n]!);
    for (let u = 0; u < n; u++) {
      for (let j = out.start[u]!; j < out.start[u + 1]!; j++) {
        const v = out.target[j]!;
        const w = out.weight[j]!;
        let at = fill[u]!++;
        rawT[at] = v; rawW[at] = w;
        at = fill[v]!++;
        rawT[at] = u; rawW[at] = w;
      }
    }
    this.undirected = mergeRows(n, deg, rawT, rawW);
    return this.undirected;
  }

  private node(id: string, siteId: string): number {
    let idx = this.nodeIndex.get(id);
    if (idx === undefined) {
      idx = this.nodeIds.length;
      if (idx >= NODE_LIMIT) throw new RangeError(`interaction graph: more than ${NODE_LIMIT} authors`);
      this.nodeIds.push(id);
      this.siteOf.push(siteId);
      this.nodeIndex.set(id, idx);
    }
    return idx;
  }

  private decay(t: number): number {
    const half = this.config.halfLifeDays;
    if (half <= 0 || Number.isNaN(t) || this.anchorMs === null) return 1;
    return 2 ** ((t - this.anchorMs) / (half * DAY_MS));
  }

  private add(u: number, v: number, w: number, kind: EdgeKind): void {
    if (u === v || !(w > 0)) return;
    if (this.length === this.src.length) {
      const grow = <T extends Uint32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.src = grow(this.src, (n) => new Uint32Array(n));
      this.dst = grow(this.dst, (n) => new Uint32Array(n));
      this.w = grow(this.w, (n) => new Float64Array(n));
    }
    this.src[this.length] = u;
    this.dst[this.length] = v;
    this.w[this.length] = w;
    this.length++;
    this.kindCounts[kind] += 1;
  }
}

function identityOrder(L: number): Uint32Array {
  const order = new Uint32Array(L);
  for (let k = 0; k < L; k++) order[k] = k;
  return order;
}

/** `input` (indices into `keys`) stably reordered by key (keys < n): one counting pass, no comparator. */
function countingOrder(keys: Uint32Array, n: number, input: Uint32Array): Uint32Array {
  const L = input.length;
  const count = new Uint32Array(n + 1);
  for (let k = 0; k < L; k++) count[keys[input[k]!]! + 1]! += 1;
  for (let i = 0; i < n; i++) count[i + 1]! += count[i]!;
  const out = new Uint32Array(L);
  for (let k = 0; k < L; k++) {
    const e = input[k]!;
    out[count[keys[e]!]!++] = e;
  }
  return out;
}

/**
 * One out-row of a merge: the old row [from, end) then the pending edges order[k0..k1) of this
 * source (`slot` maps a target to its position + 1 while the row is open). Returns the new end.
 */
function mergeOutRow(
  oldTarget: Uint32Array, oldWeight: Float64Array, from: number, end: number,
  order: Uint32Array, k0: number, k1: number, dst: Uint32Array, w: Float64Array,
  target: Uint32Array, weight: Float64Array, pos: number, slot: Uint32Array, weightSum: Float64Array, u: number,
): number {
  const rowBegin = pos;
  target.set(oldTarget.subarray(from, end), pos);
  weight.set(oldWeight.subarray(from, end), pos);
  for (let j = from; j < end; j++) slot[oldTarget[j]!] = ++pos;
  for (let k = k0; k < k1; k++) {
    const e = order[k]!;
    const v = dst[e]!;
    const x = w[e]!;
    weightSum[u]! += x;
    const at = slot[v]!;
    if (at > 0) weight[at - 1]! += x;
    else {
      target[pos] = v;
      weight[pos] = x;
      slot[v] = pos + 1;
      pos++;
    }
  }
  for (let j = rowBegin; j < pos; j++) slot[target[j]!] = 0;
  return pos;
}

/**
 * One in-row of a merge: the old row [from, end) (sources ascending) and the pending edges
 * order[k0..k1) to this target (sources ascending, log order among equal ones), merged in one
 * pass; a pending edge from an existing source adds to its weight. Returns the new end.
 */
function mergeInRow(
  oldSource: Uint32Array, oldWeight: Float64Array, from: number, end: number,
  order: Uint32Array, k0: number, k1: number, src: Uint32Array, w: Float64Array,
  source: Uint32Array, weight: Float64Array, pos: number,
): number {
  const rowBegin = pos;
  let j = from;
  for (let k = k0; k < k1; k++) {
    const e = order[k]!;
    const u = src[e]!;
    // Old entries with smaller sources: found by binary search, copied natively (busy authors'
    // in-rows run to thousands of entries, most of them untouched).
    let lo = j;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (oldSource[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    if (lo > j) {
      source.set(oldSource.subarray(j, lo), pos);
      weight.set(oldWeight.subarray(j, lo), pos);
      pos += lo - j;
      j = lo;
    }
    if (j < end && oldSource[j] === u) {
      source[pos] = u;
      weight[pos] = oldWeight[j]!;
      pos++;
      j++;
    }
    if (pos > rowBegin && source[pos - 1] === u) weight[pos - 1]! += w[e]!;
    else {
      source[pos] = u;
      weight[pos] = w[e]!;
      pos++;
    }
  }
  if (end > j) {
    source.set(oldSource.subarray(j, end), pos);
    weight.set(oldWeight.subarray(j, end), pos);
    pos += end - j;
  }
  return pos;
}

/**
 * Rows [row, to) of an old CSR are unchanged by a merge: one block copy to `pos`. Returns the
 * position after them. Row starts are filled afterwards in one pass (`fillStarts`).
 */
function copyRowRun(
  oldStart: Uint32Array, oldN: number, oldM: number, row: number, to: number,
  fromIndex: Uint32Array, fromWeight: Float64Array, index: Uint32Array, weight: Float64Array, pos: number,
): number {
  const from = row < oldN ? oldStart[row]! : oldM;
  const end = to < oldN ? oldStart[to]! : oldM;
  index.set(fromIndex.subarray(from, end), pos);
  weight.set(fromWeight.subarray(from, end), pos);
  return pos + end - from;
}

/** Row starts after a merge: old row lengths plus what each merged row gained (`gained[u]`). */
function fillStarts(start: Uint32Array, oldStart: Uint32Array, oldN: number, oldM: number, gained: Uint32Array): void {
  const n = start.length - 1;
  let at = 0;
  for (let r = 0; r < n; r++) {
    start[r] = at;
    const length = r < oldN ? (r + 1 < oldN ? oldStart[r + 1]! : oldM) - oldStart[r]! : 0;
    at += length + gained[r]!;
  }
  start[n] = at;
}

/** Rows given as [rowStart[u], rowStart[u+1]) in rawT/rawW; merges duplicate targets in O(m). */
export function mergeRows(n: number, rowStart: Uint32Array, rawT: Uint32Array, rawW: Float64Array): Csr {
  const acc = new Float64Array(n);
  const start = new Uint32Array(n + 1);
  const target = new Uint32Array(rawT.length);
  const weight = new Float64Array(rawT.length);
  const weightSum = new Float64Array(n);
  let k = 0;
  for (let u = 0; u < n; u++) {
    start[u] = k;
    const from = k;
    for (let j = rowStart[u]!; j < rowStart[u + 1]!; j++) {
      const v = rawT[j]!;
      if (acc[v] === 0) target[k++] = v;
      acc[v]! += rawW[j]!;
    }
    for (let j = from; j < k; j++) {
      const v = target[j]!;
      weight[j] = acc[v]!;
      weightSum[u]! += acc[v]!;
      acc[v] = 0;
    }
  }
  start[n] = k;
  return { n, start, target: target.slice(0, k), weight: weight.slice(0, k), weightSum };
}

/** Lower-cased @handles mentioned in a post body, deduplicated. */
export function mentions(text: string): Set<string> {
  const found = new Set<string>();
  if (!text.includes('@')) return found;
  for (const m of text.matchAll(MENTION_RE)) {
    let handle = (m[1] ?? '').toLowerCase();
    while (handle.endsWith('.') || handle.endsWith('-')) handle = handle.slice(0, -1);
    if (handle.length >= 2) found.add(handle);
  }
  return found;
}

export function buildInteractionGraph(
  config: GraphConfig,
  authors: readonly ActorAuthor[],
  posts: readonly ActorPost[],
  links: readonly ActorLink[],
): InteractionGraph {
  const graph = new InteractionGraph(config);
  graph.addAuthors(authors);
  graph.addPosts(posts, links);
  return graph;
}

/**
 * The walk both incremental CSR merges share: rows without pending edges are block-copied
 * (`copy`), each row with pending edges (`order[k..kEnd)`, grouped by `rowOf`) is merged with its
 * old entries (`merge`), and the row starts are rebuilt. Returns the number of entries written.
 */
function mergeTouchedRows(
  rowOf: Uint32Array, order: Uint32Array, L: number, n: number,
  oldStarts: Uint32Array, oldN: number, oldM: number, start: Uint32Array,
  copy: (fromRow: number, toRow: number, at: number) => number,
  merge: (row: number, from: number, end: number, k: number, kEnd: number, at: number) => number,
): number {
  const oldStart = (r: number): number => (r < oldN ? oldStarts[r]! : oldM);
  const gained = new Uint32Array(n);
  let pos = 0;
  let row = 0; // next row not yet written
  let k = 0;
  while (k < L) {
    const r = rowOf[order[k]!]!;
    pos = copy(row, r, pos);
    let kEnd = k;
    while (kEnd < L && rowOf[order[kEnd]!] === r) kEnd++;
    const from = oldStart(r);
    const end = oldStart(r + 1);
    const rowBegin = pos;
    pos = merge(r, from, end, k, kEnd, pos);
    gained[r] = pos - rowBegin - (end - from);
    k = kEnd;
    row = r + 1;
  }
  pos = copy(row, n, pos);
  fillStarts(start, oldStarts, oldN, oldM, gained);
  return pos;
}
