import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Posts joined with the site, board, thread and author they belong to, for display. */
export function postsWithContext(db: Kysely<Database>) {
  return db
    .selectFrom('posts')
    .innerJoin('sites', 'sites.id', 'posts.site_id')
    .innerJoin('boards', 'boards.id', 'posts.board_id')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .innerJoin('authors', 'authors.id', 'posts.author_id');
}
