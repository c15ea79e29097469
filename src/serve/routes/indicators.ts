import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { indicatorPivot, topIndicators } from '../../intel/indicators.js';
import type { Store } from '../../store/index.js';
import { ErrorBody, Pagination } from '../schemas.js';

export const indicatorRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  app.get('/indicators', {
    config: { role: 'read-only' },
    schema: {
      summary: 'Indicators by number of posts they appear in', tags: ['indicators'],
      querystring: Pagination.extend({ type: z.string().max(64).optional() }),
      response: { 200: z.object({ indicators: z.array(z.object({ type: z.string(), value: z.string(), posts: z.number(), lastSeen: z.string().nullable() })) }) },
    },
  }, async (request) => ({ indicators: await topIndicators(store, request.query) }));

  app.get('/indicators/pivot', {
    config: { role: 'read-only' },
    schema: {
      summary: 'Where an indicator was seen, by whom, first and last seen, and what co-occurs with it', tags: ['indicators'],
      querystring: z.object({ value: z.string().min(1).max(4000) }),
      response: {
        200: z.object({
          value: z.string(), types: z.array(z.string()), firstSeen: z.string().nullable(), lastSeen: z.string().nullable(), mentions: z.number(), flags: z.array(z.string()),
          sightings: z.array(z.object({ postId: z.string(), site: z.string(), thread: z.string().nullable(), author: z.string(), postedAt: z.string().nullable(), defanged: z.boolean() })),
          authors: z.array(z.object({ handle: z.string(), site: z.string(), mentions: z.number() })),
          coOccurring: z.array(z.object({ type: z.string(), value: z.string(), posts: z.number() })),
        }),
        404: ErrorBody,
      },
    },
  }, async (request, reply) => {
    const pivot = await indicatorPivot(store, request.query.value);
    if (pivot === null) return reply.code(404).send({ error: 'not_found', message: 'indicator not seen in any stored post' });
    return pivot;
  });
};
