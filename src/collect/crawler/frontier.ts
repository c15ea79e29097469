import type { Kysely } from 'kysely';

/**
 * The crawl frontier, persisted in the store (table crawl_frontier, migration 0002). A page is
 * marked done only after its records are ingested and the links it revealed are inserted, so a
 * crash at any point leaves it pending; re-fetching it re-ingests the same stable ids, which is a
 * no-op. That is the whole "nothing lost, nothing duplicated" argument.
 */
export type PageKind = 'index' | 'board' | 'thread' | 'profile';
export type RowState = 'pending' | 'done' | 'failed' | 'rejected';

export interface FrontierTable {
  site_id: string;
  url: string;
  kind: string;
  depth: number;
  state: string;
  attempts: number;
  group_key: string | null;
  board: string | null;
  hint: string | null;
  etag: string | null;
  last_modified: string | null;
  content_hash: string | null;
  last_status: number | null;
  last_error: string | null;
  discovered_at: string;
  fetched_at: string | null;
  updated_at: string;
}

type Db = Kysely<{ crawl_frontier: FrontierTable }>;

export interface FrontierRow {
  readonly url: string;
  readonly kind: PageKind;
  readonly depth: number;
  readonly attempts: number;
  readonly groupKey: string | null;
  readonly board: string | null;
  readonly hint: string | null;
  readonly etag: string | null;
  readonly lastModified: string | null;
}

export interface NewLink {
  readonly url: string;
  readonly kind: PageKind;
  readonly depth: number;
  readonly groupKey?: string | undefined;
  readonly board?: string | undefined;
  /** A listing's change marker for a thread (reply count): a different value re-queues the thread. */
  readonly hint?: string | undefined;
}

const KIND_ORDER: Record<PageKind, number> = { index: 0, board: 1, thread: 2, profile: 3 };

export class Frontier {
  private readonly db: Db;

  constructor(db: Kysely<unknown>, private readonly siteId: string) {
    this.db = db as unknown as Db;
  }

  /**
   * Decides what this run is. Pending rows left → resume a crash/interrupted run. Otherwise, if
   * the site was crawled before → incremental: hubs (index and listings) and transiently failed
   * pages go back to pending; threads only when their listing hint changes.
   */
  async begin(startUrl: string): Promise<'fresh' | 'resume' | 'incremental'> {
    const pending = await this.db.selectFrom('crawl_frontier').select('url').where('site_id', '=', this.siteId).where('state', '=', 'pending').limit(1).execute();
    const any = await this.db.selectFrom('crawl_frontier').select('url').where('site_id', '=', this.siteId).limit(1).execute();
    let mode: 'fresh' | 'resume' | 'incremental';
    if (pending.length > 0) mode = 'resume';
    else if (any.length > 0) {
      mode = 'incremental';
      await this.db
        .updateTable('crawl_frontier')
        .set({ state: 'pending', attempts: 0, updated_at: new Date().toISOString() })
        .where('site_id', '=', this.siteId)
        .where((eb) => eb.or([eb('kind', 'in', ['index', 'board']), eb('state', '=', 'failed')]))
        .execute();
    } else mode = 'fresh';
    await this.add([{ url: startUrl, kind: 'index', depth: 0 }]);
    return mode;
  }

  /** Pending rows, shallowest first, skipping those already handed out in this process. */
  async claim(limit: number, exclude: ReadonlySet<string>): Promise<FrontierRow[]> {
    const rows = await this.db
      .selectFrom('crawl_frontier')
      .selectAll()
      .where('site_id', '=', this.siteId)
      .where('state', '=', 'pending')
      .orderBy('depth')
      .orderBy('discovered_at')
      .limit(limit + exclude.size)
      .execute();
    return rows
      .filter((r) => !exclude.has(r.url))
      .sort((a, b) => a.depth - b.depth || KIND_ORDER[a.kind as PageKind] - KIND_ORDER[b.kind as PageKind])
      .slice(0, limit)
      .map((r) => ({ url: r.url, kind: r.kind as PageKind, depth: r.depth, attempts: r.attempts, groupKey: r.group_key, board: r.board, hint: r.hint, etag: r.etag, lastModified: r.last_modified }));
  }

  /** Inserts new links; re-queues a done thread whose listing hint changed. Returns how many were new. */
  async add(links: readonly NewLink[], trx?: Db): Promise<number> {
    if (links.length === 0) return 0;
    const db = trx ?? this.db;
    const unique = new Map<string, NewLink>();
    for (const l of links) if (!unique.has(l.url)) unique.set(l.url, l);
    const urls = [...unique.keys()];
    const existing = new Map<string, { state: string; hint: string | null; kind: string }>();
    for (let i = 0; i < urls.length; i += 500) {
      const rows = await db.selectFrom('crawl_frontier').select(['url', 'state', 'hint', 'kind']).where('site_id', '=', this.siteId).where('url', 'in', urls.slice(i, i + 500)).execute();
      for (const r of rows) existing.set(r.url, r);
    }
    const now = new Date().toISOString();
    const fresh = [...unique.values()].filter((l) => !existing.has(l.url));
    for (let i = 0; i < fresh.length; i += 200) {
      await db
        .insertInto('crawl_frontier')
        .values(
          fresh.slice(i, i + 200).map((l) => ({
            site_id: this.siteId,
            url: l.url,
            kind: l.kind,
            depth: l.depth,
            state: 'pending',
            attempts: 0,
            group_key: l.groupKey ?? null,
            board: l.board ?? null,
            hint: l.hint ?? null,
            etag: null,
            last_modified: null,
            content_hash: null,
            last_status: null,
            last_error: null,
            discovered_at: now,
            fetched_at: null,
            updated_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['site_id', 'url']).doNothing())
        .execute();
    }
    for (const l of unique.values()) {
      const row = existing.get(l.url);
      if (row === undefined || l.kind !== 'thread' || l.hint === undefined || row.hint === l.hint) continue;
      // The thread changed since we fetched it: every page of it goes back to pending (the
      // unchanged ones answer 304 to our conditional GET).
      await db.updateTable('crawl_frontier').set({ hint: l.hint, updated_at: now }).where('site_id', '=', this.siteId).where('url', '=', l.url).execute();
      if (row.state === 'done') {
        await db
          .updateTable('crawl_frontier')
          .set({ state: 'pending', attempts: 0, updated_at: now })
          .where('site_id', '=', this.siteId)
          .where((eb) => eb.or([eb('url', '=', l.url), eb('group_key', '=', l.groupKey ?? l.url)]))
          .where('state', '=', 'done')
          .execute();
      }
    }
    return fresh.length;
  }

  /** Marks pages fetched and inserts the links they revealed, atomically (one transaction). */
  async completeMany(items: readonly { url: string; status: number; etag?: string | undefined; lastModified?: string | undefined; contentHash?: string | undefined; links: readonly NewLink[] }[]): Promise<number> {
    if (items.length === 0) return 0;
    return this.db.transaction().execute(async (trx) => {
      const added = await this.add(items.flatMap((i) => i.links), trx);
      const now = new Date().toISOString();
      for (const result of items) {
        const update: Partial<FrontierTable> = { state: 'done', last_status: result.status, last_error: null, fetched_at: now, updated_at: now };
        if (result.etag !== undefined) update.etag = result.etag;
        if (result.lastModified !== undefined) update.last_modified = result.lastModified;
        if (result.contentHash !== undefined) update.content_hash = result.contentHash;
        await trx.updateTable('crawl_frontier').set(update).where('site_id', '=', this.siteId).where('url', '=', result.url).execute();
      }
      return added;
    });
  }

  async fail(url: string, state: 'pending' | 'failed' | 'rejected', attempts: number, error: string, status?: number): Promise<void> {
    await this.db
      .updateTable('crawl_frontier')
      .set({ state, attempts, last_error: error.slice(0, 1000), last_status: status ?? null, updated_at: new Date().toISOString() })
      .where('site_id', '=', this.siteId)
      .where('url', '=', url)
      .execute();
  }

  async counts(): Promise<Record<RowState, number>> {
    const rows = await this.db
      .selectFrom('crawl_frontier')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('site_id', '=', this.siteId)
      .groupBy('state')
      .execute();
    const out: Record<RowState, number> = { pending: 0, done: 0, failed: 0, rejected: 0 };
    for (const r of rows) out[r.state as RowState] = Number(r.n);
    return out;
  }
}
