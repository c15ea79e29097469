import type { Store } from '../store/index.js';

/** The analyst's pivot on one indicator: where it was seen, by whom, when, and with what. */
export interface IndicatorPivot {
  value: string;
  types: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  mentions: number;
  flags: string[];
  sightings: { postId: string; site: string; thread: string | null; author: string; postedAt: string | null; defanged: boolean }[];
  authors: { handle: string; site: string; mentions: number }[];
  coOccurring: { type: string; value: string; posts: number }[];
}

export async function indicatorPivot(store: Store, value: string, limit = 50): Promise<IndicatorPivot | null> {
  const db = store.db;
  const sightings = await db
    .selectFrom('entities')
    .innerJoin('posts', 'posts.id', 'entities.post_id')
    .innerJoin('sites', 'sites.id', 'posts.site_id')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .innerJoin('authors', 'authors.id', 'posts.author_id')
    .select(['entities.type', 'entities.flags', 'entities.defanged', 'posts.id as postId', 'sites.name as site', 'threads.title as thread', 'authors.handle as author', 'posts.posted_at as postedAt'])
    .where('entities.value', '=', value)
    .orderBy('posts.posted_at')
    .execute();
  if (sightings.length === 0) return null;
  const postIds = [...new Set(sightings.map((s) => s.postId))];
  const byAuthor = new Map<string, { handle: string; site: string; mentions: number }>();
  for (const s of sightings) {
    const key = `${s.site}\u0000${s.author}`;
    const entry = byAuthor.get(key) ?? { handle: s.author, site: s.site, mentions: 0 };
    entry.mentions++;
    byAuthor.set(key, entry);
  }
  const coOccurring = await db
    .selectFrom('entities')
    .select((eb) => ['entities.type', 'entities.value', eb.fn.count<number>('entities.post_id').distinct().as('posts')])
    .where('entities.post_id', 'in', postIds.slice(0, 1000))
    .where('entities.value', '!=', value)
    .groupBy(['entities.type', 'entities.value'])
    .orderBy('posts', 'desc')
    .orderBy('entities.value')
    .limit(limit)
    .execute();
  const dates = sightings.map((s) => s.postedAt).filter((d): d is string => d !== null).sort();
  const seenPosts = new Set<string>();
  return {
    value,
    types: [...new Set(sightings.map((s) => s.type))],
    firstSeen: dates[0] ?? null,
    lastSeen: dates[dates.length - 1] ?? null,
    mentions: sightings.length,
    flags: [...new Set(sightings.flatMap((s) => JSON.parse(s.flags) as string[]))],
    sightings: sightings
      .filter((s) => !seenPosts.has(s.postId) && seenPosts.add(s.postId))
      .slice(0, limit)
      .map((s) => ({ postId: s.postId, site: s.site, thread: s.thread, author: s.author, postedAt: s.postedAt, defanged: Boolean(s.defanged) })),
    authors: [...byAuthor.values()].sort((a, b) => b.mentions - a.mentions).slice(0, limit),
    coOccurring: coOccurring.map((c) => ({ type: c.type, value: c.value, posts: Number(c.posts) })),
  };
}

export async function topIndicators(store: Store, options: { type?: string | undefined; limit: number; offset: number }): Promise<{ type: string; value: string; posts: number; lastSeen: string | null }[]> {
  let query = store.db
    .selectFrom('entities')
    .innerJoin('posts', 'posts.id', 'entities.post_id')
    .select((eb) => ['entities.type', 'entities.value', eb.fn.count<number>('entities.post_id').distinct().as('posts'), eb.fn.max('posts.posted_at').as('lastSeen')])
    .groupBy(['entities.type', 'entities.value']);
  if (options.type !== undefined) query = query.where('entities.type', '=', options.type);
  const rows = await query.orderBy('posts', 'desc').orderBy('entities.value').limit(options.limit).offset(options.offset).execute();
  return rows.map((r) => ({ type: r.type, value: r.value, posts: Number(r.posts), lastSeen: r.lastSeen ?? null }));
}
