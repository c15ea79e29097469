import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { UserError } from '../core/errors.js';
import type { Config } from '../core/config.js';
import type { Store } from '../store/index.js';
import { authHook, tokenOf } from './auth.js';
import { adminRoutes } from './routes/admin.js';
import { indicatorRoutes } from './routes/indicators.js';
import { postRoutes } from './routes/posts.js';
import { actorRoutes } from './routes/actors.js';
import { exploitRoutes, kevLoader } from './routes/exploits.js';
import { modelRoutes } from './routes/models.js';
import { overviewRoutes } from './routes/overview.js';
import { savedSearchRoutes } from './routes/saved-searches.js';
import { watchlistRoutes } from './routes/watchlists.js';
import { sessionRoutes } from './session.js';
import { findWebRoot, registerWeb } from './web.js';

export interface AppOptions {
  readonly store: Store;
  readonly config: Config;
  /** pino logger options; `false` silences logs (tests). */
  readonly logger?: boolean | { level: string };
  /** Built dashboard directory; default: web/dist when built; null: no dashboard. */
  readonly webRoot?: string | null;
  /** CISA KEV JSON for the exploit pages; default: THREATMINER_KEV_FILE. */
  readonly kevFile?: string;
  /** Model cards directory; default: THREATMINER_MODELS or models/. */
  readonly modelsDir?: string;
}

export type App = FastifyInstance;

/**
 * The REST API. Every route declares zod schemas for its input and output, which validate
 * requests, shape responses (nothing undeclared leaks) and generate /openapi.json. Every route
 * needs an API key unless it is marked public; the role it needs is part of its config.
 */
export async function buildApp(options: AppOptions): Promise<App> {
  const { store, config } = options;
  const app = Fastify({
    logger: options.logger === false ? false : {
      level: typeof options.logger === 'object' ? options.logger.level : config.log.level,
      redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
    },
    trustProxy: config.server.trustProxy,
    bodyLimit: 1 << 20,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('apiKey', null);
  app.decorateRequest('session', null);
  await registerWeb(app, { root: options.webRoot === undefined ? findWebRoot() : options.webRoot });

  await app.register(swagger, {
    openapi: {
      info: { title: 'threatminer API', version: '1', description: 'Proactive cyber threat intelligence from hacker forums.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'tm_… API key' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(rateLimit, {
    max: config.server.rateLimit,
    timeWindow: '1 minute',
    // One bucket per key (by its public id part), so a team behind one address is not throttled
    // together; unauthenticated requests share the bucket of their address.
    keyGenerator: (request) => {
      const token = tokenOf(request);
      const id = token?.match(/^tm_([a-z0-9]{12})_/)?.[1];
      return id !== undefined ? `key:${id}` : `ip:${request.ip}`;
    },
  });
  app.addHook('onRequest', authHook(store));
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    reply.header('referrer-policy', 'no-referrer');
  });
  app.setErrorHandler((error, request, reply) => {
    const err = error as { validation?: unknown; statusCode?: number; message: string; code?: string };
    if (err.validation !== undefined || err.code === 'FST_ERR_VALIDATION') {
      return reply.code(400).send({ error: 'bad_request', message: err.message });
    }
    if (error instanceof UserError) return reply.code(400).send({ error: 'bad_request', message: error.message });
    if (err.statusCode !== undefined && err.statusCode < 500) return reply.code(err.statusCode).send({ error: 'request_error', message: err.message });
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: 'internal', message: 'internal server error' });
  });

  app.get('/health', { config: { role: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/openapi.json', { config: { role: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(postRoutes, { prefix: '/api/v1', store });
  await app.register(indicatorRoutes, { prefix: '/api/v1', store });
  await app.register(adminRoutes, { prefix: '/api/v1', store });
  const kev = kevLoader(options.kevFile ?? process.env.THREATMINER_KEV_FILE);
  await app.register(sessionRoutes, { prefix: '/api/v1', store });
  await app.register(overviewRoutes, { prefix: '/api/v1', store, kev });
  await app.register(exploitRoutes, { prefix: '/api/v1', store, kev });
  await app.register(actorRoutes, { prefix: '/api/v1', store });
  await app.register(watchlistRoutes, { prefix: '/api/v1', store });
  await app.register(savedSearchRoutes, { prefix: '/api/v1', store });
  await app.register(modelRoutes, { prefix: '/api/v1', ...(options.modelsDir === undefined ? {} : { modelsDir: options.modelsDir }) });
  await app.ready();
  return app;
}
