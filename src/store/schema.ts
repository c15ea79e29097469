import type { ColumnType, Generated, RawBuilder } from 'kysely';

/**
 * Table types for the Kysely query layer. Both dialects store timestamps as ISO-8601 UTC text
 * (sortable, identical across SQLite and PostgreSQL) and JSON as text.
 */
export interface SitesTable {
  id: string;
  name: string;
  base_url: string | null;
  engine: string | null;
  language: string | null;
  network: string | null;
  kind: string | null;
  created_at: string;
}

export interface BoardsTable {
  id: string;
  site_id: string;
  name: string;
  parent_name: string | null;
  url: string | null;
}

export interface ThreadsTable {
  id: string;
  site_id: string;
  board_id: string;
  external_id: string | null;
  title: string | null;
  url: string | null;
  created_at: string;
}

export interface AuthorsTable {
  id: string;
  site_id: string;
  handle: string;
  joined_at: string | null;
  post_count: number | null;
  reputation: number | null;
  profile_url: string | null;
  first_seen: string | null;
  last_seen: string | null;
}

export interface PostsTable {
  /** Insertion order, stable; the SQLite FTS rowid (migration 0005). */
  seq: Generated<number>;
  id: string;
  site_id: string;
  board_id: string;
  thread_id: string;
  author_id: string;
  external_id: string | null;
  posted_at: string | null;
  posted_at_raw: string | null;
  title: string | null;
  body_text: string;
  body_html: string | null;
  /** JSON array of { language?, code } */
  code_blocks: string;
  /** JSON array of { name, url?, size?, sha256? } */
  attachments: string;
  url: string | null;
  content_hash: string;
  imported_at: string;
  updated_at: string;
  /** PostgreSQL only: the tsvector written by ingest; SQLite indexes into posts_fts instead. */
  search?: ColumnType<unknown, RawBuilder<unknown> | undefined, RawBuilder<unknown> | undefined>;
}

export interface PostLinksTable {
  post_id: string;
  kind: 'quote' | 'reply';
  target_external_id: string;
  target_post_id: string;
}

interface Provenance {
  analyser: string;
  analyser_version: string;
  model_version: string | null;
  created_at: string;
}

export interface PostLanguagesTable extends Provenance {
  post_id: string;
  language: string;
  confidence: number;
}

export interface EntitiesTable extends Provenance {
  id: Generated<number>;
  post_id: string;
  type: string;
  value: string;
  field: string;
  start: number;
  end: number;
  defanged: number;
  context: string | null;
  /** JSON array of strings, e.g. ["private"] */
  flags: string;
}

export interface ExploitLabelsTable extends Provenance {
  post_id: string;
  label: string;
  confidence: number;
  /** JSON array of { token, weight } */
  evidence: string;
}

export interface EventsTable extends Provenance {
  id: Generated<number>;
  post_id: string;
  type: string;
  confidence: number;
  trigger: string | null;
  arguments: string;
}

export interface ActorScoresTable {
  author_id: string;
  site_id: string;
  score: number;
  rank: number;
  /** JSON object: component → contribution */
  breakdown: string;
  analyser: string;
  analyser_version: string;
  model_version: string | null;
  computed_at: string;
}

export interface AlertsTable {
  id: string;
  kind: string;
  severity: string;
  title: string;
  detail: string;
  post_id: string | null;
  entity_value: string | null;
  created_at: string;
  acknowledged_at: string | null;
}

export interface AnalysisStateTable {
  post_id: string;
  analyser: string;
  analyser_version: string;
  content_hash: string;
  analysed_at: string;
}

/** Progress of a file import, so a crashed import resumes where its last batch committed. */
export interface ImportCheckpointsTable {
  /** hash of the file's absolute path, size and mtime: a changed file starts over */
  source_key: string;
  path: string;
  /** last input line (1-based; CSV: record number) whose batch committed */
  line: number;
  rows_ok: number;
  rows_bad: number;
  updated_at: string;
  completed_at: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  role: 'admin' | 'analyst' | 'read-only';
  /** scrypt hash of the secret part; the secret itself is never stored */
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
}

/**
 * SQLite only: the FTS5 index; `rank` is bm25 within a MATCH query. It lives in the search index
 * file and is visible on `store.searchDb()`, not on `store.db` (search-index.ts).
 */
export interface PostsFtsTable {
  rowid: number;
  title: string;
  body: string;
  rank: number;
}

export interface Database {
  posts_fts: PostsFtsTable;
  sites: SitesTable;
  boards: BoardsTable;
  threads: ThreadsTable;
  authors: AuthorsTable;
  posts: PostsTable;
  post_links: PostLinksTable;
  post_languages: PostLanguagesTable;
  entities: EntitiesTable;
  exploit_labels: ExploitLabelsTable;
  events: EventsTable;
  actor_scores: ActorScoresTable;
  alerts: AlertsTable;
  analysis_state: AnalysisStateTable;
  api_keys: ApiKeysTable;
  import_checkpoints: ImportCheckpointsTable;
}
