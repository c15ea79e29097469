import {
  INDICATOR_TYPES, MALWARE_TOOL_TYPES, NON_TECHNICAL_LABELS, normaliseType,
  type ActorEntity, type ActorInput, type ActorLabel, type ActorPost,
} from './types.js';

/**
 * Per-author content, seniority and reputation features (Marin & Shakarian 2018 groups),
 * computed in one pass over posts, labels and entities.
 */
export interface AuthorFeatures {
  posts: number;
  /** Posts with at least one technical exploit label at or above the confidence threshold. */
  exploitPosts: number;
  codePosts: number;
  /** Distinct indicator values (CVE, hashes, IPs, domains …) the author shared. */
  indicators: number;
  /** Distinct malware / tool names. */
  malwareTools: number;
  /** Technical topic → posts, from exploit labels. */
  topics: Map<string, number>;
  firstMs: number;
  lastMs: number;
  /** Distinct calendar months (UTC) with a post. */
  activeMonths: number;
  /** 1 − coefficient of variation of monthly post counts over the active span, clamped to [0,1]. */
  consistency: number;
  tenureDays: number;
  reputation: number | null;
}

export interface PostIndex {
  readonly labelsByPost: Map<string, ActorLabel[]>;
  readonly entitiesByPost: Map<string, ActorEntity[]>;
}

export function indexByPost(input: Pick<ActorInput, 'labels' | 'entities'>): PostIndex {
  const labelsByPost = new Map<string, ActorLabel[]>();
  for (const l of input.labels) push(labelsByPost, l.postId, l);
  const entitiesByPost = new Map<string, ActorEntity[]>();
  for (const e of input.entities) push(entitiesByPost, e.postId, e);
  return { labelsByPost, entitiesByPost };
}

export function technicalLabels(labels: readonly ActorLabel[] | undefined, minConfidence: number): string[] {
  if (!labels) return [];
  const out: string[] = [];
  for (const l of labels) {
    const label = l.label.toLowerCase();
    if (l.confidence >= minConfidence && !NON_TECHNICAL_LABELS.has(label)) out.push(label);
  }
  return out;
}

// Sets are created on first use: most authors never share an indicator or name a tool.
type Entry = { id: string; f: AuthorFeatures; months: Map<number, number>; ind: Set<string> | null; mal: Set<string> | null };

/**
 * Accumulates features batch by batch so an incremental update only touches the new posts;
 * `snapshot()` finalises the derived fields (distinct counts, tenure, consistency).
 */
export class FeatureAccumulator {
  private readonly byAuthor = new Map<string, Entry>();
  /** Authors touched since the last snapshot: only their derived fields are recomputed. */
  private dirty = new Set<Entry>();
  private readonly result = new Map<string, AuthorFeatures>();
  /** Technical topic → posts over every author (top topics without a pass over all authors). */
  private readonly topics = new Map<string, number>();
  private touchedIds: readonly string[] = [];

  constructor(private readonly minLabelConfidence: number) {}

  add(input: Pick<ActorInput, 'authors' | 'posts'>, index: PostIndex): void {
    for (const a of input.authors) {
      const entry = this.ensure(a.id);
      entry.f.reputation = a.reputation;
      const joined = a.joinedAt ? Date.parse(a.joinedAt) : Number.NaN;
      if (!Number.isNaN(joined)) entry.f.firstMs = Math.min(entry.f.firstMs, joined);
      this.dirty.add(entry);
    }
    for (const p of input.posts) {
      const entry = this.ensure(p.authorId);
      addPost(entry, p, index, this.minLabelConfidence, this.topics);
      this.dirty.add(entry);
    }
  }

  /**
   * Features of every author seen so far. The map and its objects are live: a later `add` +
   * `snapshot` updates them in place (an incremental update supersedes the previous result).
   */
  snapshot(): ReadonlyMap<string, AuthorFeatures> {
    const ids: string[] = [];
    for (const { id, f, months, ind, mal } of this.dirty) {
      ids.push(id);
      f.indicators = ind?.size ?? 0;
      f.malwareTools = mal?.size ?? 0;
      f.activeMonths = months.size;
      if (Number.isFinite(f.firstMs) && Number.isFinite(f.lastMs)) f.tenureDays = Math.max(0, (f.lastMs - f.firstMs) / 86_400_000);
      f.consistency = consistency(months);
    }
    this.dirty = new Set();
    this.touchedIds = ids;
    return this.result;
  }

  /** Authors whose features the last `snapshot` recomputed (an incremental update rescales only these). */
  get lastTouched(): readonly string[] {
    return this.touchedIds;
  }

  /** Posts per technical topic over all authors (live). */
  get topicTotals(): ReadonlyMap<string, number> {
    return this.topics;
  }

  /** How many authors were touched since the last snapshot (read before `snapshot`). */
  get touched(): number {
    return this.dirty.size;
  }

  private ensure(authorId: string): Entry {
    let entry = this.byAuthor.get(authorId);
    if (!entry) {
      entry = {
        id: authorId,
        f: {
          posts: 0, exploitPosts: 0, codePosts: 0, indicators: 0, malwareTools: 0, topics: new Map(),
          firstMs: Infinity, lastMs: -Infinity, activeMonths: 0, consistency: 0, tenureDays: 0, reputation: null,
        },
        months: new Map(), ind: null, mal: null,
      };
      this.byAuthor.set(authorId, entry);
      this.result.set(authorId, entry.f);
    }
    return entry;
  }
}

export function computeFeatures(input: ActorInput, index: PostIndex, minLabelConfidence: number): ReadonlyMap<string, AuthorFeatures> {
  const acc = new FeatureAccumulator(minLabelConfidence);
  acc.add(input, index);
  return acc.snapshot();
}

function addPost(
  entry: Entry,
  p: ActorPost,
  index: PostIndex,
  minLabelConfidence: number,
  topicTotals: Map<string, number>,
): void {
  const f = entry.f;
  f.posts++;
  if (p.codeBlockCount > 0) f.codePosts++;
  const postLabels = index.labelsByPost.get(p.id);
  if (postLabels) {
    const labels = technicalLabels(postLabels, minLabelConfidence);
    if (labels.length > 0) f.exploitPosts++;
    for (const l of labels) {
      f.topics.set(l, (f.topics.get(l) ?? 0) + 1);
      topicTotals.set(l, (topicTotals.get(l) ?? 0) + 1);
    }
  }
  const entities = index.entitiesByPost.get(p.id);
  if (entities) {
    for (const e of entities) {
      const type = normaliseType(e.type);
      if (MALWARE_TOOL_TYPES.has(type)) (entry.mal ??= new Set()).add(e.value.toLowerCase());
      else if (INDICATOR_TYPES.has(type)) (entry.ind ??= new Set()).add(`${type}:${e.value.toLowerCase()}`);
    }
  }
  const at = p.postedAt;
  const t = at ? Date.parse(at) : Number.NaN;
  if (!Number.isNaN(t)) {
    if (t < f.firstMs) f.firstMs = t;
    if (t > f.lastMs) f.lastMs = t;
    const month = monthIndex(at as string, t);
    entry.months.set(month, (entry.months.get(month) ?? 0) + 1);
  }
}

/** Calendar month number; read straight from an ISO-8601 UTC string, else via Date. */
function monthIndex(iso: string, ms: number): number {
  if (iso.length >= 7 && iso.charCodeAt(4) === 45 && (iso.endsWith('Z') || iso.endsWith('+00:00'))) {
    const year = Number(iso.slice(0, 4));
    const month = Number(iso.slice(5, 7));
    if (Number.isInteger(year) && month >= 1 && month <= 12) return year * 12 + month - 1;
  }
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** Regular posting over the active span scores near 1; one burst scores near 0. */
function consistency(months: Map<number, number>): number {
  if (months.size === 0) return 0;
  let lo = Infinity;
  let hi = -Infinity;
  let total = 0;
  for (const [m, c] of months) {
    lo = Math.min(lo, m);
    hi = Math.max(hi, m);
    total += c;
  }
  const span = hi - lo + 1;
  if (span < 2) return 0;
  const mean = total / span;
  let variance = 0;
  for (let m = lo; m <= hi; m++) variance += ((months.get(m) ?? 0) - mean) ** 2;
  const cv = Math.sqrt(variance / span) / mean;
  return Math.max(0, Math.min(1, 1 - cv / Math.sqrt(span)));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
