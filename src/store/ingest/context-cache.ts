import type { Database } from '../schema.js';
import { maxIso, minIso } from './normalise.js';

type Site = Database['sites'];
type Board = Database['boards'];
type Thread = Database['threads'];
type Author = Database['authors'];

/**
 * What one SQLite connection last wrote for each site, board, thread and author, so that a bulk
 * import skips upserts that would change nothing: a dump repeats the same thread on every
 * reply and the same author on every post, and each skipped upsert saves an index probe and a
 * row rewrite. The writer clears it when another connection commits (PRAGMA data_version) and
 * when a transaction rolls back, so it never claims a row the database does not hold.
 */
export class ContextCache {
  private sites = new Map<string, Site>();
  private boards = new Set<string>();
  private threads = new Map<string, { title: boolean; url: boolean }>();
  private authors = new Map<string, Author>();
  private version: number | null = null;

  /** Called inside the write transaction with the current data_version. */
  validate(dataVersion: number): void {
    if (this.version !== dataVersion) this.clear();
    this.version = dataVersion;
  }

  committed(dataVersion: number): void {
    this.version = dataVersion;
    // Bounded memory on huge multi-site dumps: start over rather than grow without limit.
    if (this.authors.size + this.threads.size > MAX_ENTRIES) this.clear();
  }

  clear(): void {
    this.sites.clear();
    this.boards.clear();
    this.threads.clear();
    this.authors.clear();
    this.version = null;
  }

  needsSite(site: Site): boolean {
    const known = this.sites.get(site.id);
    const merged: Site = known === undefined ? site : {
      ...known,
      base_url: site.base_url ?? known.base_url, engine: site.engine ?? known.engine, language: site.language ?? known.language,
      network: site.network ?? known.network, kind: site.kind ?? known.kind,
    };
    if (known !== undefined && sameValues(known, merged)) return false;
    this.sites.set(site.id, merged);
    return true;
  }

  needsBoard(board: Board): boolean {
    if (this.boards.has(board.id)) return false; // boards are insert-only (ON CONFLICT DO NOTHING)
    this.boards.add(board.id);
    return true;
  }

  /** Threads keep their first title and url (coalesce(old, new)): only a missing one can change. */
  needsThread(thread: Thread): boolean {
    const known = this.threads.get(thread.id);
    if (known !== undefined && (known.title || thread.title === null) && (known.url || thread.url === null)) return false;
    this.threads.set(thread.id, { title: (known?.title ?? false) || thread.title !== null, url: (known?.url ?? false) || thread.url !== null });
    return true;
  }

  /**
   * Mirrors the author upsert: profile fields take the newest non-null value, seen dates widen.
   * With `seenDeferred` (bulk mode widens seen ranges at the end) a change of the seen range
   * alone needs no upsert, and the entry keeps the stored range: the cache may remember a
   * narrower range than the row holds (costing an upsert later), never a wider one.
   */
  needsAuthor(author: Author, seenDeferred = false): boolean {
    const known = this.authors.get(author.id);
    if (known === undefined) {
      this.authors.set(author.id, author);
      return true;
    }
    const merged = mergeAuthor(known, author);
    if (sameValues(known, merged)) return false;
    if (seenDeferred && sameProfile(known, merged)) return false;
    this.authors.set(author.id, merged);
    return true;
  }
}

/** What an upsert of `author` over the stored `known` leaves: the first handle, the latest non-null profile fields, the widest seen range. */
function mergeAuthor(known: Author, author: Author): Author {
  return {
    ...known,
    joined_at: author.joined_at ?? known.joined_at,
    post_count: author.post_count ?? known.post_count,
    reputation: author.reputation ?? known.reputation,
    profile_url: author.profile_url ?? known.profile_url,
    first_seen: minIso(known.first_seen, author.first_seen),
    last_seen: maxIso(known.last_seen, author.last_seen),
  };
}

const MAX_ENTRIES = 500_000;

/**
 * One row per author across several batches, merged as consecutive upserts would merge them
 * (the first handle, the latest non-null profile fields, the widest seen range): a transaction
 * over several batches then upserts each author once, not once per batch.
 */
export function mergeAuthors(groups: readonly (readonly Author[])[]): readonly Author[] {
  if (groups.length === 1) return groups[0]!;
  const merged = new Map<string, Author>();
  for (const group of groups) {
    for (const author of group) {
      const known = merged.get(author.id);
      merged.set(author.id, known === undefined ? author : mergeAuthor(known, author));
    }
  }
  return [...merged.values()];
}

function sameProfile(a: Author, b: Author): boolean {
  return a.joined_at === b.joined_at && a.post_count === b.post_count && a.reputation === b.reputation && a.profile_url === b.profile_url;
}

function sameValues<T extends object>(a: T, b: T): boolean {
  for (const key of Object.keys(a) as (keyof T)[]) if (a[key] !== b[key]) return false;
  return true;
}
