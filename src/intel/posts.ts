import type { Store } from '../store/index.js';
import { postsWithContext } from '../store/post-context.js';

/** Read models over the store for the API, the CLI and the dashboard. */

export interface PostDetail {
  id: string;
  site: string;
  board: string;
  thread: { id: string; title: string | null; url: string | null };
  author: { id: string; handle: string; reputation: number | null };
  postedAt: string | null;
  postedAtRaw: string | null;
  bodyText: string;
  codeBlocks: { language?: string; code: string }[];
  attachments: { name: string; url?: string; size?: number }[];
  url: string | null;
  language: { code: string; confidence: number } | null;
  entities: { type: string; value: string; field: string; start: number; end: number; defanged: boolean; flags: string[] }[];
  exploitLabels: { label: string; confidence: number; evidence: { token: string; weight: number }[]; modelVersion: string | null }[];
  quotes: { kind: string; targetPostId: string }[];
}

export async function getPost(store: Store, id: string): Promise<PostDetail | null> {
  const row = await postsWithContext(store.db)
    .select([
      'posts.id', 'sites.name as site', 'boards.name as board', 'threads.id as threadId', 'threads.title as threadTitle',
      'threads.url as threadUrl', 'authors.id as authorId', 'authors.handle', 'authors.reputation', 'posts.posted_at',
      'posts.posted_at_raw', 'posts.body_text', 'posts.code_blocks', 'posts.attachments', 'posts.url',
    ])
    .where('posts.id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return null;
  const [language, entities, labels, links] = await Promise.all([
    store.db.selectFrom('post_languages').select(['language', 'confidence']).where('post_id', '=', id).executeTakeFirst(),
    store.db.selectFrom('entities').select(['type', 'value', 'field', 'start', 'end', 'defanged', 'flags']).where('post_id', '=', id).orderBy('start').execute(),
    store.db.selectFrom('exploit_labels').select(['label', 'confidence', 'evidence', 'model_version']).where('post_id', '=', id).orderBy('confidence', 'desc').execute(),
    store.db.selectFrom('post_links').select(['kind', 'target_post_id']).where('post_id', '=', id).execute(),
  ]);
  return {
    id: row.id,
    site: row.site,
    board: row.board,
    thread: { id: row.threadId, title: row.threadTitle, url: row.threadUrl },
    author: { id: row.authorId, handle: row.handle, reputation: row.reputation },
    postedAt: row.posted_at,
    postedAtRaw: row.posted_at_raw,
    bodyText: row.body_text,
    codeBlocks: JSON.parse(row.code_blocks) as PostDetail['codeBlocks'],
    attachments: JSON.parse(row.attachments) as PostDetail['attachments'],
    url: row.url,
    language: language === undefined ? null : { code: language.language, confidence: language.confidence },
    entities: entities.map((e) => ({ type: e.type, value: e.value, field: e.field, start: e.start, end: e.end, defanged: Boolean(e.defanged), flags: JSON.parse(e.flags) as string[] })),
    exploitLabels: labels.map((l) => ({ label: l.label, confidence: l.confidence, evidence: JSON.parse(l.evidence) as PostDetail['exploitLabels'][number]['evidence'], modelVersion: l.model_version })),
    quotes: links.map((l) => ({ kind: l.kind, targetPostId: l.target_post_id })),
  };
}

export interface ThreadPost {
  id: string;
  author: string;
  postedAt: string | null;
  bodyText: string;
}

export async function getThreadPosts(store: Store, threadId: string, limit: number, offset: number): Promise<{ title: string | null; site: string; posts: ThreadPost[] } | null> {
  const thread = await store.db
    .selectFrom('threads')
    .innerJoin('sites', 'sites.id', 'threads.site_id')
    .select(['threads.title', 'sites.name as site'])
    .where('threads.id', '=', threadId)
    .executeTakeFirst();
  if (thread === undefined) return null;
  const posts = await store.db
    .selectFrom('posts')
    .innerJoin('authors', 'authors.id', 'posts.author_id')
    .select(['posts.id', 'authors.handle as author', 'posts.posted_at as postedAt', 'posts.body_text as bodyText'])
    .where('posts.thread_id', '=', threadId)
    .orderBy('posts.posted_at')
    .orderBy('posts.id')
    .limit(limit)
    .offset(offset)
    .execute();
  return { title: thread.title, site: thread.site, posts };
}
