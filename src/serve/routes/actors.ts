import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { portrait } from '../../analyse/actors/index.js';
import type { Store } from '../../store/index.js';
import { ErrorBody, IdParam, Pagination } from '../schemas.js';
import { webDb } from '../web-db.js';

/**
 * Key hackers for the dashboard, read from the last `threatminer actors rank` run (actor_scores,
 * actor_communities, alias_candidates). Nothing here recomputes the ranking: a request stays
 * cheap on a large store, and an empty table means "not ranked yet", which the page says.
 */
const Group = z.object({ weight: z.number(), value: z.number(), contribution: z.number() });
const RankedActor = z.object({
  authorId: z.string(), handle: z.string(), site: z.string(), rank: z.number(), globalRank: z.number().nullable(), score: z.number(),
  community: z.number().nullable(), posts: z.number().nullable(), reputation: z.number().nullable(), computedAt: z.string(),
  groups: z.record(z.string(), Group), topTopics: z.array(z.object({ topic: z.string(), normalised: z.number() })),
});

const StoredBreakdown = z.object({
  groups: z.record(z.string(), z.object({ weight: z.number().nullable(), value: z.number().nullable(), contribution: z.number().nullable() }).loose()).default({}),
  topTopics: z.array(z.object({ topic: z.string(), normalised: z.number() })).default([]),
  globalRank: z.number().nullable().optional(),
}).loose();

function parseBreakdown(text: string): z.infer<typeof StoredBreakdown> {
  try {
    const parsed = StoredBreakdown.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch { /* a malformed row shows an empty breakdown rather than failing the page */ }
  return { groups: {}, topTopics: [] };
}

const Count = z.object({ value: z.string(), mentions: z.number() });
const Portrait = z.object({
  actor: z.object({ id: z.string(), siteId: z.string(), siteName: z.string(), handle: z.string(), reputation: z.number().nullable(), postCount: z.number().nullable(), joinedAt: z.string().nullable(), profileUrl: z.string().nullable() }),
  firstSeen: z.string().nullable(), lastSeen: z.string().nullable(), posts: z.number(), threadsStarted: z.number(),
  activity: z.object({
    monthly: z.array(z.object({ month: z.string(), posts: z.number() })), hourUtc: z.array(z.number()), weekdayUtc: z.array(z.number()),
    timezone: z.object({ utcOffsetHours: z.number().nullable(), confidence: z.number(), troughShare: z.number().nullable(), quietHoursUtc: z.array(z.number()) }),
  }),
  languages: z.array(z.object({ language: z.string(), posts: z.number(), share: z.number() })),
  expertise: z.object({
    exploitCategories: z.array(z.object({ label: z.string(), posts: z.number() })),
    attack: z.array(z.object({ id: z.string(), type: z.string(), mentions: z.number() })),
    boards: z.array(z.object({ board: z.string(), posts: z.number() })),
    codePosts: z.number(),
  }),
  associated: z.object({
    malwareTools: z.array(Count), cves: z.array(Count),
    indicators: z.array(Count.extend({ type: z.string() })), contacts: z.array(Count.extend({ type: z.string() })),
  }),
  network: z.object({
    score: z.object({ score: z.number(), rank: z.number(), computedAt: z.string() }).nullable(),
    community: z.object({ id: z.number(), members: z.array(z.object({ authorId: z.string(), handle: z.string(), score: z.number().nullable() })) }).nullable(),
    collaborators: z.array(z.object({ authorId: z.string(), handle: z.string(), strength: z.number(), replies: z.number(), repliedBy: z.number(), quotes: z.number(), quotedBy: z.number(), sharedThreads: z.number() })),
  }),
  aliases: z.array(z.object({ authorId: z.string(), siteName: z.string(), handle: z.string(), score: z.number() })),
});

export const actorRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  const db = webDb(store);

  app.get('/actors', {
    config: { role: 'read-only' },
    schema: {
      summary: 'Key hackers by score from the last ranking run, with the score breakdown', tags: ['actors'],
      querystring: Pagination.extend({ site: z.string().max(1000).optional() }),
      response: { 200: z.object({ total: z.number(), actors: z.array(RankedActor) }) },
    },
  }, async (request) => {
    const { limit, offset, site } = request.query;
    let base = db.selectFrom('actor_scores').innerJoin('authors', 'authors.id', 'actor_scores.author_id').innerJoin('sites', 'sites.id', 'actor_scores.site_id');
    if (site !== undefined) base = base.where('sites.name', '=', site);
    const [count, rows] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      base.leftJoin('actor_communities', 'actor_communities.author_id', 'actor_scores.author_id')
        .select(['authors.id', 'authors.handle', 'sites.name as site', 'actor_scores.rank', 'actor_scores.score', 'actor_scores.breakdown', 'actor_scores.computed_at',
          'actor_communities.community', 'authors.post_count', 'authors.reputation'])
        .orderBy('actor_scores.score', 'desc').orderBy('authors.id').limit(limit).offset(offset).execute(),
    ]);
    return {
      total: Number(count.n),
      actors: rows.map((r) => {
        const b = parseBreakdown(r.breakdown);
        return {
          authorId: r.id, handle: r.handle, site: r.site, rank: r.rank, globalRank: b.globalRank ?? null, score: r.score,
          community: r.community ?? null, posts: r.post_count, reputation: r.reputation, computedAt: r.computed_at,
          groups: Object.fromEntries(Object.entries(b.groups).map(([k, g]) => [k, { weight: g.weight ?? 0, value: g.value ?? 0, contribution: g.contribution ?? 0 }])),
          topTopics: b.topTopics,
        };
      }),
    };
  });

  app.get('/actors/graph', {
    config: { role: 'read-only' },
    schema: {
      summary: 'The interaction network among the top actors (replies and quotes between them), with communities', tags: ['actors'],
      querystring: z.object({ limit: z.coerce.number().int().min(2).max(1000).default(200), site: z.string().max(1000).optional() }),
      response: {
        200: z.object({
          nodes: z.array(z.object({ id: z.string(), handle: z.string(), site: z.string(), score: z.number(), rank: z.number(), community: z.number().nullable() })),
          edges: z.array(z.object({ source: z.string(), target: z.string(), weight: z.number() })),
        }),
      },
    },
  }, async (request) => {
    let top = db.selectFrom('actor_scores').innerJoin('authors', 'authors.id', 'actor_scores.author_id').innerJoin('sites', 'sites.id', 'actor_scores.site_id')
      .leftJoin('actor_communities', 'actor_communities.author_id', 'actor_scores.author_id')
      .select(['authors.id', 'authors.handle', 'sites.name as site', 'actor_scores.score', 'actor_scores.rank', 'actor_communities.community']);
    if (request.query.site !== undefined) top = top.where('sites.name', '=', request.query.site);
    const nodes = await top.orderBy('actor_scores.score', 'desc').orderBy('authors.id').limit(request.query.limit).execute();
    if (nodes.length === 0) return { nodes: [], edges: [] };
    const ids = nodes.map((n) => n.id);
    const links = await db.selectFrom('post_links')
      .innerJoin('posts as a', 'a.id', 'post_links.post_id')
      .innerJoin('posts as b', 'b.id', 'post_links.target_post_id')
      .select((eb) => ['a.author_id as source', 'b.author_id as target', eb.fn.countAll<number>().as('n')])
      .where('a.author_id', 'in', ids).where('b.author_id', 'in', ids).whereRef('a.author_id', '!=', 'b.author_id')
      .groupBy(['a.author_id', 'b.author_id']).execute();
    // Undirected for drawing: a→b and b→a add up.
    const edges = new Map<string, { source: string; target: string; weight: number }>();
    for (const l of links) {
      const [s, t] = l.source < l.target ? [l.source, l.target] : [l.target, l.source];
      const key = `${s}\u0000${t}`;
      const edge = edges.get(key) ?? { source: s, target: t, weight: 0 };
      edge.weight += Number(l.n);
      edges.set(key, edge);
    }
    return {
      nodes: nodes.map((n) => ({ id: n.id, handle: n.handle, site: n.site, score: n.score, rank: n.rank, community: n.community ?? null })),
      edges: [...edges.values()],
    };
  });

  app.get('/actors/:id', {
    config: { role: 'read-only' },
    schema: { summary: 'An actor\'s portrait: activity, expertise, associated indicators, network and aliases', tags: ['actors'], params: IdParam, response: { 200: Portrait, 404: ErrorBody } },
  }, async (request, reply) => {
    const p = await portrait(store, request.params.id);
    if (p === null) return reply.code(404).send({ error: 'not_found', message: `no actor ${request.params.id}` });
    // JSON has no NaN (e.g. the time-zone trough share of an actor with too few posts): a JSON
    // round trip turns non-finite numbers into null, which the schema allows.
    return JSON.parse(JSON.stringify(p)) as z.infer<typeof Portrait>;
  });
};
