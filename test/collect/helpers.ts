import { crawlSite, type CrawlSummary, type SiteConfigInput } from '../../src/collect/crawler/index.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/collect/simulator/index.js';
import type { GroundTruth } from '../../src/collect/simulator/ground-truth.js';
import { openStore, type Store } from '../../src/store/index.js';

export function offsetString(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A site config for one simulated forum, fast and explicit about the loopback allowance. */
export function siteFor(sim: Simulator, slug: string, overrides: Partial<SiteConfigInput> = {}): SiteConfigInput {
  const gt = sim.groundTruth();
  const forum = gt.forums.find((f) => f.slug === slug || f.engine === slug);
  if (forum === undefined) throw new Error(`no forum ${slug}`);
  return {
    name: forum.slug,
    url: forum.base_url,
    language: forum.language,
    timezone: offsetString(forum.utc_offset_minutes),
    network: { allowPrivateAddresses: true },
    politeness: { concurrency: 2, delayMs: 0, jitterMs: 0, backoffBaseMs: 20, backoffMaxMs: 2000, maxRetries: 6 },
    limits: { requestTimeoutMs: 5000 },
    auth: { username: forum.login.username, password: forum.login.password },
    ...overrides,
  };
}

export async function withSim<T>(options: SimulatorOptions, fn: (sim: Simulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ seed: 11, size: 'tiny', ...options });
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

export async function crawlInto(store: Store, site: SiteConfigInput): Promise<CrawlSummary> {
  return crawlSite(site, store);
}

export async function memoryStore(): Promise<Store> {
  return openStore({ url: ':memory:' });
}

export interface StoredPost {
  external_id: string | null;
  author: string;
  posted_at: string | null;
  posted_at_raw: string | null;
  body_text: string;
  code_blocks: string;
  thread_external: string | null;
}

export async function storedPosts(store: Store, site: string): Promise<StoredPost[]> {
  return store.db
    .selectFrom('posts')
    .innerJoin('authors', 'authors.id', 'posts.author_id')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .innerJoin('sites', 'sites.id', 'posts.site_id')
    .select(['posts.external_id', 'authors.handle as author', 'posts.posted_at', 'posts.posted_at_raw', 'posts.body_text', 'posts.code_blocks', 'threads.external_id as thread_external'])
    .where('sites.name', '=', site)
    .execute();
}

export async function storedLinks(store: Store): Promise<{ post: string; kind: string; target: string }[]> {
  const rows = await store.db
    .selectFrom('post_links')
    .innerJoin('posts', 'posts.id', 'post_links.post_id')
    .select(['posts.external_id as post', 'post_links.kind', 'post_links.target_external_id as target'])
    .execute();
  return rows.map((r) => ({ post: r.post ?? '', kind: r.kind, target: r.target }));
}

export function truthPosts(gt: GroundTruth, forum: string): GroundTruth['posts'] {
  return gt.posts.filter((p) => p.forum === forum);
}

/** Allowed error of a parsed date: "N hours ago" only carries the hour. */
export function dateTolerance(raw: string | null): number {
  return raw !== null && /hour|час|小时/.test(raw) ? 3_600_000 : 60_000;
}
