import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/index.js';
import { roleAllows, verifyApiKey, type ApiKeyInfo, type Role } from '../store/api-keys.js';
import { CSRF_HEADER, csrfOk, sessionOf, type SessionInfo } from './session.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: ApiKeyInfo | null;
    /** The dashboard session when the request was authenticated by its cookie. */
    session: SessionInfo | null;
  }
  interface FastifyContextConfig {
    /** Least role a route needs; `public` routes need no key. */
    role?: Role | 'public';
  }
}

/** The token from `Authorization: Bearer …` or `X-API-Key`; never from the URL. */
export function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : null;
}

export function authHook(store: Store) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const needed = request.routeOptions.config.role ?? 'admin';
    request.apiKey = null;
    if (needed === 'public') return;
    const token = tokenOf(request);
    request.session = null;
    if (token === null) {
      // No key header: a dashboard session cookie may stand in for it (see session.ts).
      const session = await sessionOf(store, request);
      if (session !== null) {
        if (!csrfOk(request, session)) {
          await reply.code(403).send({ error: 'forbidden', message: `state-changing requests with a session need the ${CSRF_HEADER} header` });
          return;
        }
        request.session = session;
        request.apiKey = session.key;
        if (!roleAllows(session.key.role, needed)) {
          await reply.code(403).send({ error: 'forbidden', message: `this route needs the ${needed} role; the key has ${session.key.role}` });
        }
        return;
      }
      await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'an API key is required (Authorization: Bearer tm_…)' });
      return;
    }
    const key = await verifyApiKey(store, token);
    if (key === null) {
      await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'unknown or revoked API key' });
      return;
    }
    request.apiKey = key;
    if (!roleAllows(key.role, needed)) {
      await reply.code(403).send({ error: 'forbidden', message: `this route needs the ${needed} role; the key has ${key.role}` });
    }
  };
}
