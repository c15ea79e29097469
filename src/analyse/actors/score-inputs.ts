import type { AuthorFeatures } from './features.js';
import type { ActorAuthor } from './types.js';

/**
 * The per-author inputs of the score that are not network metrics — content, seniority and
 * reputation columns, each author's site and handle — as typed columns indexed like
 * `graph.nodeIds`. A full ranking fills them with one pass over every author (two map lookups
 * each); an incremental update copies the previous columns (a memcpy) and refreshes only the
 * authors the batch touched plus the new nodes. Copying instead of patching in place keeps the
 * previous result's lazily built breakdowns true to the data they were scored on.
 */
export class ScoreInputs {
  private constructor(
    readonly n: number,
    readonly exploitPosts: Float64Array,
    readonly codePosts: Float64Array,
    readonly indicators: Float64Array,
    readonly malwareTools: Float64Array,
    readonly tenureDays: Float64Array,
    readonly activeMonths: Float64Array,
    readonly consistency: Float64Array,
    readonly reputation: Float64Array,
    /** 1 where the forum shows no reputation for the author (excluded from its percentile). */
    readonly repMissing: Uint8Array,
    /** Site number of each node; `siteNames[k]` is its id. */
    readonly siteOfNode: Uint32Array,
    readonly siteNames: readonly string[],
    readonly handles: readonly string[],
    /** Whether any reputation differs from the inputs this was derived from (percentiles must be redone). */
    readonly reputationChanged: boolean,
    /** Percentile of reputation within the site, memoised by the scorer while `reputationChanged` is false. */
    public percentile: { values: Float64Array; perSite: readonly boolean[] } | null,
  ) {}

  static build(
    nodeIds: readonly string[],
    features: ReadonlyMap<string, AuthorFeatures>,
    authors: ReadonlyMap<string, ActorAuthor>,
    sites: readonly string[],
  ): ScoreInputs {
    const n = nodeIds.length;
    const f64 = (): Float64Array => new Float64Array(n);
    const inputs = new ScoreInputs(n, f64(), f64(), f64(), f64(), f64(), f64(), f64(), f64(), new Uint8Array(n), new Uint32Array(n), [], new Array<string>(n), true, null);
    const siteNo = new Map<string, number>();
    for (let i = 0; i < n; i++) inputs.fill(i, nodeIds[i] as string, features, authors, sites, siteNo);
    return inputs;
  }

  /**
   * Inputs after an incremental batch: nodes added since (index ≥ this.n) and the `changed`
   * authors are read again; everyone else keeps the copied values.
   */
  update(
    nodeIds: readonly string[],
    nodeIndex: ReadonlyMap<string, number>,
    features: ReadonlyMap<string, AuthorFeatures>,
    authors: ReadonlyMap<string, ActorAuthor>,
    sites: readonly string[],
    changed: Iterable<string>,
  ): ScoreInputs {
    const n = nodeIds.length;
    const grow = <T extends Float64Array | Uint8Array | Uint32Array>(a: T, make: (k: number) => T): T => {
      const b = make(n);
      b.set(a.subarray(0, Math.min(n, a.length)) as never);
      return b;
    };
    const f64 = (a: Float64Array): Float64Array => grow(a, (k) => new Float64Array(k));
    const next = new ScoreInputs(
      n, f64(this.exploitPosts), f64(this.codePosts), f64(this.indicators), f64(this.malwareTools), f64(this.tenureDays),
      f64(this.activeMonths), f64(this.consistency), f64(this.reputation), grow(this.repMissing, (k) => new Uint8Array(k)),
      grow(this.siteOfNode, (k) => new Uint32Array(k)), [...this.siteNames], this.handles.slice(), n !== this.n, this.percentile,
    );
    const siteNo = new Map(next.siteNames.map((s, k) => [s, k]));
    for (let i = this.n; i < n; i++) next.fill(i, nodeIds[i] as string, features, authors, sites, siteNo);
    for (const id of changed) {
      const i = nodeIndex.get(id);
      if (i === undefined || i >= this.n) continue;
      const before = next.repMissing[i] ? null : next.reputation[i];
      next.fill(i, id, features, authors, sites, siteNo);
      const after = next.repMissing[i] ? null : next.reputation[i];
      if (before !== after) (next as { reputationChanged: boolean }).reputationChanged = true;
    }
    if (next.reputationChanged) next.percentile = null;
    return next;
  }

  private fill(
    i: number,
    id: string,
    features: ReadonlyMap<string, AuthorFeatures>,
    authors: ReadonlyMap<string, ActorAuthor>,
    sites: readonly string[],
    siteNo: Map<string, number>,
  ): void {
    const f = features.get(id);
    const author = authors.get(id);
    this.exploitPosts[i] = f?.exploitPosts ?? 0;
    this.codePosts[i] = f?.codePosts ?? 0;
    this.indicators[i] = f?.indicators ?? 0;
    this.malwareTools[i] = f?.malwareTools ?? 0;
    this.tenureDays[i] = f?.tenureDays ?? 0;
    this.activeMonths[i] = f?.activeMonths ?? 0;
    this.consistency[i] = f?.consistency ?? 0;
    const r = author?.reputation ?? f?.reputation ?? null;
    this.repMissing[i] = r === null ? 1 : 0;
    this.reputation[i] = r ?? 0;
    const site = sites[i] ?? author?.siteId ?? '';
    let k = siteNo.get(site);
    if (k === undefined) {
      k = this.siteNames.length;
      siteNo.set(site, k);
      (this.siteNames as string[]).push(site);
    }
    this.siteOfNode[i] = k;
    (this.handles as string[])[i] = author?.handle ?? id;
  }
}
