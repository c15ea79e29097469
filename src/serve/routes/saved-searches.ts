import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Store } from '../../store/index.js';
import { ErrorBody, IdParam, SearchQuery } from '../schemas.js';
import { webDb } from '../web-db.js';

/** The search page's filters, stored as they are sent to /posts/search (minus paging). */
const SavedParams = SearchQuery.omit({ limit: true, offset: true, has_indicator: true }).extend({ has_indicator: z.enum(['true', 'false']).optional() });
const SavedSearch = z.object({ id: z.string(), name: z.string(), params: SavedParams, createdBy: z.string(), createdAt: z.string() });

export const savedSearchRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  const db = webDb(store);

  app.get('/saved-searches', {
    config: { role: 'read-only' },
    schema: { summary: 'Saved searches', tags: ['posts'], response: { 200: z.object({ searches: z.array(SavedSearch) }) } },
  }, async () => {
    const rows = await db.selectFrom('saved_searches').selectAll().orderBy('name').execute();
    return {
      searches: rows.flatMap((r) => {
        const params = SavedParams.safeParse(JSON.parse(r.params));
        return params.success ? [{ id: r.id, name: r.name, params: params.data, createdBy: r.created_by, createdAt: r.created_at }] : [];
      }),
    };
  });

  app.post('/saved-searches', {
    config: { role: 'analyst' },
    schema: { summary: 'Save a search', tags: ['posts'], body: z.object({ name: z.string().trim().min(1).max(200), params: SavedParams }), response: { 201: SavedSearch, 400: ErrorBody } },
  }, async (request, reply) => {
    const row = { id: randomUUID(), name: request.body.name, params: JSON.stringify(request.body.params), created_by: request.apiKey!.name, created_at: new Date().toISOString() };
    await db.insertInto('saved_searches').values(row).execute();
    return reply.code(201).send({ id: row.id, name: row.name, params: request.body.params, createdBy: row.created_by, createdAt: row.created_at });
  });

  app.delete('/saved-searches/:id', {
    config: { role: 'analyst' },
    schema: { summary: 'Delete a saved search', tags: ['posts'], params: IdParam, response: { 204: z.null(), 404: ErrorBody } },
  }, async (request, reply) => {
    const deleted = await db.deleteFrom('saved_searches').where('id', '=', request.params.id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return reply.code(404).send({ error: 'not_found', message: `no saved search ${request.params.id}` });
    return reply.code(204).send(null);
  });
};
