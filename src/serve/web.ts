import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The dashboard: the Vite build in web/dist served by the API server (same origin, so the
 * session cookie is SameSite=Strict and the CSP can say 'self' everywhere), and the security
 * headers for every response, API included.
 *
 * CSP: scripts only from our origin (no inline script, no eval); styles only from our origin
 * (charts and the graph draw on canvas; React sets styles through the CSSOM, which CSP allows);
 * no plugins, no framing, no <base> hijack, forms only to us.
 */
export const CONTENT_SECURITY_POLICY: Readonly<Record<string, string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'frame-src': ["'none'"],
  'manifest-src': ["'self'"],
};

/** The first built dashboard found: next to the sources (tsx) or the compiled package. */
export function findWebRoot(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '../../web/dist'), resolve(here, '../../../web/dist')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

export interface WebOptions {
  /** Directory of the built dashboard; null serves a page saying it is not built. */
  readonly root: string | null;
}

export async function registerWeb(app: FastifyInstance, options: WebOptions): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    frameguard: { action: 'deny' },
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
  });

  const root = options.root === null ? null : resolve(options.root);
  if (root === null) {
    app.get('/', { config: { role: 'public' }, schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send('The dashboard is not built. Run `make web` (or `npm run build:web`) and restart `threatminer serve`.\n'));
    return;
  }
  await app.register(fastifyStatic, { root, serve: false });
  // Hashed file names: a new build gets new names, so assets can be cached for good.
  app.get('/assets/*', { config: { role: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    return reply.sendFile(`assets/${path}`, root, { maxAge: '365d', immutable: true });
  });
  for (const file of ['favicon.svg']) {
    app.get(`/${file}`, { config: { role: 'public' }, schema: { hide: true } }, async (_request, reply) => reply.sendFile(file, root, { maxAge: '1d' }));
  }
  // Client-side routes all load the same page; unknown API paths stay JSON 404s.
  const page = async (request: { url: string }, reply: import('fastify').FastifyReply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send({ error: 'not_found', message: `no route ${request.url.split('?')[0]}` });
    // No cache for the page itself (the app hook sets no-store): it names the current assets.
    return reply.sendFile('index.html', root, { cacheControl: false });
  };
  app.get('/', { config: { role: 'public' }, schema: { hide: true } }, page);
  app.get('/*', { config: { role: 'public' }, schema: { hide: true } }, page);
}
