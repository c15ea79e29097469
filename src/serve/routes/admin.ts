import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runPipeline } from '../../analyse/pipeline.js';
import { loadAnalysers } from '../../analyse/registry.js';
import { Role, createApiKey, listApiKeys, revokeApiKey } from '../../store/api-keys.js';
import type { Store } from '../../store/index.js';
import { ErrorBody } from '../schemas.js';

const KeyInfo = z.object({ id: z.string(), name: z.string(), role: Role, createdAt: z.string(), revokedAt: z.string().nullable() });

export const adminRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  app.get('/keys', {
    config: { role: 'admin' },
    schema: { summary: 'API keys (never their secrets)', tags: ['admin'], response: { 200: z.object({ keys: z.array(KeyInfo) }) } },
  }, async () => ({ keys: await listApiKeys(store) }));

  app.post('/keys', {
    config: { role: 'admin' },
    schema: {
      summary: 'Create an API key; the token is shown once', tags: ['admin'],
      body: z.object({ name: z.string().min(1).max(200), role: Role }),
      response: { 201: z.object({ token: z.string(), key: KeyInfo }) },
    },
  }, async (request, reply) => reply.code(201).send(await createApiKey(store, request.body.name, request.body.role)));

  app.delete('/keys/:id', {
    config: { role: 'admin' },
    schema: { summary: 'Revoke an API key', tags: ['admin'], params: z.object({ id: z.string().max(64) }), response: { 204: z.null(), 404: ErrorBody } },
  }, async (request, reply) => {
    if (!(await revokeApiKey(store, request.params.id))) return reply.code(404).send({ error: 'not_found', message: `no active key ${request.params.id}` });
    return reply.code(204).send(null);
  });

  app.post('/analyze', {
    config: { role: 'analyst' },
    schema: {
      summary: 'Run the analysis pipeline over new and changed posts', tags: ['analysis'],
      body: z.object({ analysers: z.array(z.string().max(64)).max(32).optional(), rerun: z.array(z.string().max(64)).max(32).optional() }).default({}),
      response: { 200: z.object({ analysers: z.array(z.object({ analyser: z.string(), version: z.string(), posts: z.number(), rows: z.number(), seconds: z.number() })) }) },
    },
  }, async (request) => {
    const analysers = await loadAnalysers(request.body.analysers);
    return { analysers: await runPipeline(store, { analysers, rerun: request.body.rerun ?? [] }) };
  });
};
