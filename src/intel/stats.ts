import type { Store } from '../store/index.js';

export interface SiteStats {
  id: string;
  name: string;
  engine: string | null;
  network: string | null;
  language: string | null;
  posts: number;
  authors: number;
  firstPost: string | null;
  lastPost: string | null;
}

export interface StoreStats {
  sites: SiteStats[];
  totals: { posts: number; authors: number; threads: number; entities: number; exploitLabels: number; analysed: Record<string, number> };
}

export async function storeStats(store: Store): Promise<StoreStats> {
  const db = store.db;
  const count = async (table: 'posts' | 'authors' | 'threads' | 'entities' | 'exploit_labels') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const sites = await db
    .selectFrom('sites')
    .leftJoin('posts', 'posts.site_id', 'sites.id')
    .select((eb) => [
      'sites.id', 'sites.name', 'sites.engine', 'sites.network', 'sites.language',
      eb.fn.count<number>('posts.id').as('posts'),
      eb.fn.count<number>('posts.author_id').distinct().as('authors'),
      eb.fn.min('posts.posted_at').as('firstPost'),
      eb.fn.max('posts.posted_at').as('lastPost'),
    ])
    .groupBy(['sites.id', 'sites.name', 'sites.engine', 'sites.network', 'sites.language'])
    .orderBy('sites.name')
    .execute();
  const analysed = await db.selectFrom('analysis_state').select((eb) => ['analyser', eb.fn.countAll<number>().as('n')]).groupBy('analyser').execute();
  return {
    sites: sites.map((s) => ({ ...s, posts: Number(s.posts), authors: Number(s.authors), firstPost: s.firstPost ?? null, lastPost: s.lastPost ?? null })),
    totals: {
      posts: await count('posts'),
      authors: await count('authors'),
      threads: await count('threads'),
      entities: await count('entities'),
      exploitLabels: await count('exploit_labels'),
      analysed: Object.fromEntries(analysed.map((a) => [a.analyser, Number(a.n)])),
    },
  };
}
