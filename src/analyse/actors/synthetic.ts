import { mulberry32 } from './centrality.js';
import type { ActorAuthor, ActorEntity, ActorInput, ActorLabel, ActorLink, ActorPost } from './types.js';

/**
 * A seeded synthetic forum for the benchmark and scale tests: Zipf-distributed author activity,
 * threads on boards, explicit replies/quotes to earlier posts, exploit labels and indicators on
 * a share of posts. Not a realism model — the simulator (src/collect/simulator) is for that.
 */
export interface SyntheticOptions {
  readonly authors: number;
  readonly posts: number;
  readonly sites?: number;
  readonly postsPerThread?: number;
  readonly seed?: number;
  /** First post id number, so a follow-up batch gets fresh ids. */
  readonly postOffset?: number;
  readonly startMs?: number;
  readonly spanDays?: number;
}

const LABELS = ['rce', 'sqli', 'xss', 'lpe', 'malware', 'phishing', 'ddos', 'credentials'];

export function syntheticForum(options: SyntheticOptions): ActorInput {
  const rng = mulberry32(options.seed ?? 1);
  const sites = options.sites ?? 1;
  const perThread = options.postsPerThread ?? 12;
  const offset = options.postOffset ?? 0;
  const startMs = options.startMs ?? Date.UTC(2024, 0, 1);
  const spanMs = (options.spanDays ?? 730) * 86_400_000;
  const authors: ActorAuthor[] = [];
  for (let i = 0; i < options.authors; i++) {
    authors.push({
      id: `a${i}`, siteId: `s${i % sites}`, handle: `user${i}`,
      reputation: Math.round(1000 / (i + 1) ** 0.7 * rng() * 2), postCount: null, joinedAt: null,
    });
  }
  // Zipf(1) sampling by inverse CDF over a harmonic table, per site.
  const perSite = Math.ceil(options.authors / sites);
  const cdf = new Float64Array(perSite);
  let acc = 0;
  for (let k = 0; k < perSite; k++) { acc += 1 / (k + 1); cdf[k] = acc; }
  const pickAuthor = (site: number): number => {
    const r = rng() * acc;
    let lo = 0;
    let hi = perSite - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid]! < r) lo = mid + 1; else hi = mid; }
    const idx = lo * sites + site;
    return idx < options.authors ? idx : site;
  };
  const posts: ActorPost[] = [];
  const links: ActorLink[] = [];
  const labels: ActorLabel[] = [];
  const entities: ActorEntity[] = [];
  let threadNo = 0;
  let inThread = perThread;
  let threadPosts: string[] = [];
  let site = 0;
  for (let k = 0; k < options.posts; k++) {
    if (inThread >= perThread) {
      threadNo++;
      inThread = 0;
      threadPosts = [];
      site = Math.floor(rng() * sites);
    }
    const author = pickAuthor(site);
    const id = `p${offset + k}`;
    const t = startMs + Math.floor(((offset + k) / (offset + options.posts)) * spanMs);
    const technical = author % 7 === 0 ? rng() < 0.5 : rng() < 0.05;
    posts.push({
      id, siteId: `s${site}`, threadId: `t${offset}-${threadNo}`, boardId: `b${threadNo % 20}`, authorId: `a${author}`,
      postedAt: new Date(t).toISOString(), bodyText: '', codeBlockCount: technical && rng() < 0.5 ? 1 : 0,
    });
    if (threadPosts.length > 0 && rng() < 0.6) {
      const target = threadPosts[Math.floor(rng() * threadPosts.length)] as string;
      links.push({ postId: id, targetPostId: target, kind: rng() < 0.3 ? 'quote' : 'reply' });
    }
    if (technical) {
      labels.push({ postId: id, label: LABELS[Math.floor(rng() * LABELS.length)] as string, confidence: 0.9 });
      entities.push({ postId: id, type: 'cve', value: `CVE-2024-${1000 + Math.floor(rng() * 5000)}` });
    }
    threadPosts.push(id);
    inThread++;
  }
  const siteRows = Array.from({ length: sites }, (_, i) => ({ id: `s${i}`, name: `site${i}` }));
  return { sites: siteRows, authors, posts, links, labels, entities, languages: [], boards: [] };
}
