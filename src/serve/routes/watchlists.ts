import { randomUUID } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Store } from '../../store/index.js';
import { ErrorBody, IdParam } from '../schemas.js';
import { webDb, type WebDatabase } from '../web-db.js';

/**
 * Watchlists: an organisation registers its domains, IP ranges, products, brands and CVEs and
 * sees every stored post or entity that matches — the proactive part. Alerting on new matches is a
 * later issue; this is the register and the match query.
 */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const CVE = /^CVE-\d{4}-\d{4,7}$/;

export const WatchItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('domain'), value: z.string().trim().toLowerCase().regex(DOMAIN, 'a domain name like example.com') }),
  z.object({ kind: z.literal('cidr'), value: z.string().trim().refine(isCidr, 'an IP address or CIDR range like 203.0.113.0/24') }),
  z.object({ kind: z.literal('product'), value: z.string().trim().min(2).max(200) }),
  z.object({ kind: z.literal('brand'), value: z.string().trim().min(2).max(200) }),
  z.object({ kind: z.literal('cve'), value: z.string().trim().toUpperCase().regex(CVE, 'a CVE id like CVE-2024-1234') }),
]);
export type WatchItem = z.infer<typeof WatchItem>;

const WatchlistBody = z.object({ name: z.string().trim().min(1).max(200), items: z.array(WatchItem).max(1000) });
const Watchlist = z.object({
  id: z.string(), name: z.string(), createdBy: z.string(), createdAt: z.string(), updatedAt: z.string(),
  items: z.array(z.object({ kind: z.string(), value: z.string() })),
});
const Match = z.object({
  kind: z.string(), item: z.string(), matched: z.string(), via: z.enum(['entity', 'text']),
  postId: z.string(), site: z.string(), threadTitle: z.string().nullable(), author: z.string(), authorId: z.string(), postedAt: z.string().nullable(),
});

function isCidr(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  if (extra !== undefined || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function blockListOf(value: string): BlockList {
  const list = new BlockList();
  const [address = '', bits] = value.split('/');
  const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) list.addAddress(address, type);
  else list.addSubnet(address, Number(bits), type);
  return list;
}

/** LIKE pattern text with its wildcards escaped (used with ESCAPE '\'). */
const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const MATCH_CAP = 200;

export const watchlistRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  const db = webDb(store);

  async function load(id?: string): Promise<z.infer<typeof Watchlist>[]> {
    let lists = db.selectFrom('watchlists').selectAll().orderBy('name');
    if (id !== undefined) lists = lists.where('id', '=', id);
    const rows = await lists.execute();
    if (rows.length === 0) return [];
    const items = await db.selectFrom('watchlist_items').select(['watchlist_id', 'kind', 'value']).where('watchlist_id', 'in', rows.map((r) => r.id)).orderBy('kind').orderBy('value').execute();
    return rows.map((r) => ({
      id: r.id, name: r.name, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
      items: items.filter((i) => i.watchlist_id === r.id).map((i) => ({ kind: i.kind, value: i.value })),
    }));
  }

  async function writeItems(trx: Kysely<WebDatabase>, id: string, items: readonly WatchItem[], at: string): Promise<void> {
    await trx.deleteFrom('watchlist_items').where('watchlist_id', '=', id).execute();
    const unique = [...new Map(items.map((i) => [`${i.kind}\u0000${i.value}`, i])).values()];
    if (unique.length > 0) await trx.insertInto('watchlist_items').values(unique.map((i) => ({ id: randomUUID(), watchlist_id: id, kind: i.kind, value: i.value, created_at: at }))).execute();
  }

  app.get('/watchlists', {
    config: { role: 'read-only' },
    schema: { summary: 'All watchlists with their items', tags: ['watchlists'], response: { 200: z.object({ watchlists: z.array(Watchlist) }) } },
  }, async () => ({ watchlists: await load() }));

  app.post('/watchlists', {
    config: { role: 'analyst' },
    schema: { summary: 'Create a watchlist', tags: ['watchlists'], body: WatchlistBody, response: { 201: Watchlist, 400: ErrorBody } },
  }, async (request, reply) => {
    const id = randomUUID();
    const at = new Date().toISOString();
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('watchlists').values({ id, name: request.body.name, created_by: request.apiKey!.name, created_at: at, updated_at: at }).execute();
      await writeItems(trx, id, request.body.items, at);
    });
    return reply.code(201).send((await load(id))[0]!);
  });

  app.put('/watchlists/:id', {
    config: { role: 'analyst' },
    schema: { summary: 'Replace a watchlist\'s name and items', tags: ['watchlists'], params: IdParam, body: WatchlistBody, response: { 200: Watchlist, 404: ErrorBody } },
  }, async (request, reply) => {
    const at = new Date().toISOString();
    const found = await db.transaction().execute(async (trx) => {
      const updated = await trx.updateTable('watchlists').set({ name: request.body.name, updated_at: at }).where('id', '=', request.params.id).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return false;
      await writeItems(trx, request.params.id, request.body.items, at);
      return true;
    });
    if (!found) return reply.code(404).send({ error: 'not_found', message: `no watchlist ${request.params.id}` });
    return (await load(request.params.id))[0]!;
  });

  app.delete('/watchlists/:id', {
    config: { role: 'analyst' },
    schema: { summary: 'Delete a watchlist', tags: ['watchlists'], params: IdParam, response: { 204: z.null(), 404: ErrorBody } },
  }, async (request, reply) => {
    const deleted = await db.deleteFrom('watchlists').where('id', '=', request.params.id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return reply.code(404).send({ error: 'not_found', message: `no watchlist ${request.params.id}` });
    await db.deleteFrom('watchlist_items').where('watchlist_id', '=', request.params.id).execute();
    return reply.code(204).send(null);
  });

  app.get('/watchlists/:id/matches', {
    config: { role: 'read-only' },
    schema: {
      summary: 'Every stored post or entity matching the watchlist: domains (and subdomains, URLs, e-mails), IPs in ranges, CVEs, product and brand names in text',
      tags: ['watchlists'], params: IdParam,
      response: { 200: z.object({ watchlist: Watchlist, matches: z.array(Match), capped: z.boolean() }), 404: ErrorBody },
    },
  }, async (request, reply) => {
    const list = (await load(request.params.id))[0];
    if (list === undefined) return reply.code(404).send({ error: 'not_found', message: `no watchlist ${request.params.id}` });
    const postColumns = ['posts.id as postId', 'sites.name as site', 'threads.title as threadTitle', 'authors.handle as author', 'authors.id as authorId', 'posts.posted_at as postedAt'] as const;
    const entityQuery = () => db.selectFrom('entities')
      .innerJoin('posts', 'posts.id', 'entities.post_id').innerJoin('sites', 'sites.id', 'posts.site_id')
      .innerJoin('threads', 'threads.id', 'posts.thread_id').innerJoin('authors', 'authors.id', 'posts.author_id')
      .select([...postColumns, 'entities.value as matched']);
    const matches: z.infer<typeof Match>[] = [];
    for (const item of list.items) {
      if (matches.length >= MATCH_CAP) break;
      const room = MATCH_CAP - matches.length;
      let rows: { postId: string; site: string; threadTitle: string | null; author: string; authorId: string; postedAt: string | null; matched: string }[] = [];
      let via: 'entity' | 'text' = 'entity';
      if (item.kind === 'domain') {
        const d = likeEscape(item.value);
        rows = await entityQuery().where((eb) => eb.or([
          eb(sql`lower(entities.value)`, '=', item.value),
          eb(sql`lower(entities.value)`, 'like', sql`${`%.${d}`} escape '\\'`),
          eb(sql`lower(entities.value)`, 'like', sql`${`%@${d}`} escape '\\'`),
          eb(sql`lower(entities.value)`, 'like', sql`${`%://${d}%`} escape '\\'`),
          eb(sql`lower(entities.value)`, 'like', sql`${`%.${d}/%`} escape '\\'`),
        ])).orderBy('posts.posted_at', 'desc').limit(room).execute();
      } else if (item.kind === 'cve') {
        rows = await entityQuery().where('entities.type', 'in', ['cve', 'vulnerability']).where(sql`upper(entities.value)`, '=', item.value)
          .orderBy('posts.posted_at', 'desc').limit(room).execute();
      } else if (item.kind === 'cidr') {
        // net.BlockList does the range test; candidates are the distinct stored IP values.
        const blocks = blockListOf(item.value);
        const ips = await db.selectFrom('entities').select('value').distinct().where('type', 'in', ['ipv4', 'ipv6', 'ip']).execute();
        const inRange = ips.map((r) => r.value).filter((v) => {
          const family = isIP(v);
          return family !== 0 && blocks.check(v, family === 6 ? 'ipv6' : 'ipv4');
        });
        for (let i = 0; i < inRange.length && rows.length < room; i += 500) {
          rows.push(...(await entityQuery().where('entities.value', 'in', inRange.slice(i, i + 500)).orderBy('posts.posted_at', 'desc').limit(room - rows.length).execute()));
        }
      } else {
        via = 'text';
        const phrase = `"${item.value.replace(/"/g, ' ')}"`;
        const result = await store.search({ q: phrase, limit: Math.min(room, 100) });
        rows = result.hits.map((h) => ({ postId: h.id, site: h.site, threadTitle: h.threadTitle, author: h.author, authorId: '', postedAt: h.postedAt, matched: item.value }));
        if (rows.length > 0) {
          const authorIds = await db.selectFrom('posts').select(['id', 'author_id']).where('id', 'in', rows.map((r) => r.postId)).execute();
          const byPost = new Map(authorIds.map((a) => [a.id, a.author_id]));
          rows = rows.map((r) => ({ ...r, authorId: byPost.get(r.postId) ?? '' }));
        }
      }
      for (const r of rows) matches.push({ kind: item.kind, item: item.value, via, ...r });
    }
    return { watchlist: list, matches, capped: matches.length >= MATCH_CAP };
  });
};
