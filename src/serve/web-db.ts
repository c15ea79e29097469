import type { Kysely } from 'kysely';
import type { ActorsDatabase } from '../analyse/actors/store.js';
import type { Store } from '../store/index.js';

/** Tables added by migration 0004_sessions_watchlists for the web dashboard. */
export interface WebSessionsTable {
  /** SHA-256 of the cookie value; the value itself is never stored */
  id_hash: string;
  key_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface WatchlistsTable {
  id: string;
  name: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface WatchlistItemsTable {
  id: string;
  watchlist_id: string;
  kind: string;
  value: string;
  created_at: string;
}

export interface SavedSearchesTable {
  id: string;
  name: string;
  params: string;
  created_by: string;
  created_at: string;
}

/** The columns of the crawler's frontier (migration 0002) that crawl health reads. */
export interface CrawlFrontierColumns {
  site_id: string;
  url: string;
  state: string;
  fetched_at: string | null;
  last_error: string | null;
}

export type WebDatabase = ActorsDatabase & {
  crawl_frontier: CrawlFrontierColumns;
  web_sessions: WebSessionsTable;
  watchlists: WatchlistsTable;
  watchlist_items: WatchlistItemsTable;
  saved_searches: SavedSearchesTable;
};

export function webDb(store: Store): Kysely<WebDatabase> {
  return store.db as unknown as Kysely<WebDatabase>;
}
