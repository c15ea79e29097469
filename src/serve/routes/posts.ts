import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getPost, getThreadPosts } from '../../intel/posts.js';
import { storeStats } from '../../intel/stats.js';
import type { Store } from '../../store/index.js';
import { ErrorBody, IdParam, Pagination, PostDetail, SearchHit, SearchQuery } from '../schemas.js';

export const postRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  app.get('/posts/search', {
    config: { role: 'read-only' },
    schema: {
      summary: 'Full-text search over posts with filters; results ranked, snippets with highlight ranges',
      tags: ['posts'],
      querystring: SearchQuery,
      response: { 200: z.object({ total: z.number(), totalCapped: z.boolean(), hits: z.array(SearchHit) }), 400: ErrorBody },
    },
  }, async (request) => {
    const { has_indicator: hasIndicator, ...rest } = request.query;
    return store.search({ ...rest, hasIndicator });
  });

  app.get('/posts/:id', {
    config: { role: 'read-only' },
    schema: { summary: 'One post with its entities, exploit labels and language', tags: ['posts'], params: IdParam, response: { 200: PostDetail, 404: ErrorBody } },
  }, async (request, reply) => {
    const post = await getPost(store, request.params.id);
    if (post === null) return reply.code(404).send({ error: 'not_found', message: `no post ${request.params.id}` });
    return post;
  });

  app.get('/threads/:id/posts', {
    config: { role: 'read-only' },
    schema: {
      summary: 'The posts of a thread in order', tags: ['posts'], params: IdParam, querystring: Pagination,
      response: {
        200: z.object({ title: z.string().nullable(), site: z.string(), posts: z.array(z.object({ id: z.string(), author: z.string(), postedAt: z.string().nullable(), bodyText: z.string() })) }),
        404: ErrorBody,
      },
    },
  }, async (request, reply) => {
    const thread = await getThreadPosts(store, request.params.id, request.query.limit, request.query.offset);
    if (thread === null) return reply.code(404).send({ error: 'not_found', message: `no thread ${request.params.id}` });
    return thread;
  });

  app.get('/stats', {
    config: { role: 'read-only' },
    schema: {
      summary: 'Volumes per site and analysis coverage', tags: ['stats'],
      response: {
        200: z.object({
          sites: z.array(z.object({
            id: z.string(), name: z.string(), engine: z.string().nullable(), network: z.string().nullable(), language: z.string().nullable(),
            posts: z.number(), authors: z.number(), firstPost: z.string().nullable(), lastPost: z.string().nullable(),
          })),
          totals: z.object({
            posts: z.number(), authors: z.number(), threads: z.number(), entities: z.number(), exploitLabels: z.number(), analysed: z.record(z.string(), z.number()),
          }),
        }),
      },
    },
  }, async () => storeStats(store));
};
