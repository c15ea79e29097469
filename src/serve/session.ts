import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Role, verifyApiKey, type ApiKeyInfo } from '../store/api-keys.js';
import type { Store } from '../store/index.js';
import { ErrorBody } from './schemas.js';
import { webDb } from './web-db.js';

/**
 * Browser sessions for the dashboard. The analyst pastes an API key once into the login form;
 * the server checks it and answers with an opaque session cookie (HttpOnly, SameSite=Strict,
 * Secure over https), so the key never sits in the page, in storage or in a URL. Only the
 * SHA-256 of the cookie is stored. A session ends at logout, after IDLE_MS without requests, after
 * MAX_AGE_MS in all, or as soon as its key is revoked (the key is re-checked on every request).
 *
 * CSRF: SameSite=Strict already keeps other sites' requests cookie-less; on top of that every
 * state-changing request authenticated by the cookie must echo the session's CSRF token in the
 * `X-CSRF-Token` header (synchronizer token, compared in constant time), which a cross-site form
 * cannot set.
 */
export const SESSION_COOKIE = 'tm_session';
export const CSRF_HEADER = 'x-csrf-token';
export const MAX_AGE_MS = 12 * 3600_000;
export const IDLE_MS = 2 * 3600_000;
/** last_seen_at is written at most this often, so reads do not turn into writes. */
const TOUCH_MS = 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export interface SessionInfo {
  key: ApiKeyInfo;
  csrfToken: string;
  expiresAt: string;
}

export async function createSession(store: Store, key: ApiKeyInfo, now = Date.now()): Promise<{ cookie: string; info: SessionInfo }> {
  const cookie = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now + MAX_AGE_MS).toISOString();
  const at = new Date(now).toISOString();
  const db = webDb(store);
  // Expired rows of anyone are swept on login, which keeps the table small without a timer.
  await db.deleteFrom('web_sessions').where('expires_at', '<', at).execute();
  await db.insertInto('web_sessions').values({ id_hash: sha256(cookie), key_id: key.id, csrf_token: csrfToken, created_at: at, last_seen_at: at, expires_at: expiresAt }).execute();
  return { cookie, info: { key, csrfToken, expiresAt } };
}

function cookieOf(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return null;
  const value = fastifyCookie.parse(header)[SESSION_COOKIE];
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
}

/** The live session behind the request's cookie, or null (and a dead row is removed). */
export async function sessionOf(store: Store, request: FastifyRequest, now = Date.now()): Promise<SessionInfo | null> {
  const cookie = cookieOf(request);
  if (cookie === null) return null;
  const db = webDb(store);
  const idHash = sha256(cookie);
  const row = await db.selectFrom('web_sessions')
    .innerJoin('api_keys', 'api_keys.id', 'web_sessions.key_id')
    .select(['web_sessions.csrf_token', 'web_sessions.expires_at', 'web_sessions.last_seen_at', 'api_keys.id', 'api_keys.name', 'api_keys.role', 'api_keys.created_at', 'api_keys.revoked_at'])
    .where('web_sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (row === undefined) return null;
  const lastSeen = Date.parse(row.last_seen_at);
  if (row.revoked_at !== null || Date.parse(row.expires_at) <= now || lastSeen + IDLE_MS <= now) {
    await db.deleteFrom('web_sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  if (now - lastSeen > TOUCH_MS) await db.updateTable('web_sessions').set({ last_seen_at: new Date(now).toISOString() }).where('id_hash', '=', idHash).execute();
  return {
    key: { id: row.id, name: row.name, role: Role.parse(row.role), createdAt: row.created_at, revokedAt: null },
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

/** True when the request may change state: safe methods always, others with the CSRF token. */
export function csrfOk(request: FastifyRequest, session: SessionInfo): boolean {
  if (SAFE_METHODS.has(request.method)) return true;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

function setCookie(request: FastifyRequest, reply: FastifyReply, value: string, maxAgeSeconds: number): void {
  reply.header('set-cookie', fastifyCookie.serialize(SESSION_COOKIE, value, {
    httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/', maxAge: maxAgeSeconds,
  }));
}

const SessionBody = z.object({
  role: Role, name: z.string(), keyId: z.string(), csrfToken: z.string().nullable(), expiresAt: z.string().nullable(),
});

export const sessionRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  app.post('/session', {
    config: { role: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: {
      summary: 'Log in to the dashboard: exchange an API key (in the body, never the URL) for a session cookie',
      tags: ['session'], security: [],
      body: z.object({ key: z.string().min(1).max(200) }),
      response: { 200: SessionBody, 401: ErrorBody },
    },
  }, async (request, reply) => {
    const key = await verifyApiKey(store, request.body.key.trim());
    if (key === null) return reply.code(401).send({ error: 'unauthorized', message: 'unknown or revoked API key' });
    const { cookie, info } = await createSession(store, key);
    setCookie(request, reply, cookie, MAX_AGE_MS / 1000);
    return { role: key.role, name: key.name, keyId: key.id, csrfToken: info.csrfToken, expiresAt: info.expiresAt };
  });

  app.get('/session', {
    config: { role: 'read-only' },
    schema: { summary: 'Who is logged in (session cookie or API key) and the CSRF token for the session', tags: ['session'], response: { 200: SessionBody } },
  }, async (request) => {
    const key = request.apiKey!;
    const session = request.session;
    return { role: key.role, name: key.name, keyId: key.id, csrfToken: session?.csrfToken ?? null, expiresAt: session?.expiresAt ?? null };
  });

  app.delete('/session', {
    config: { role: 'public' },
    schema: { summary: 'Log out: end the session and clear its cookie', tags: ['session'], security: [], response: { 204: z.null(), 403: ErrorBody } },
  }, async (request, reply) => {
    const session = await sessionOf(store, request);
    if (session !== null) {
      if (!csrfOk(request, session)) return reply.code(403).send({ error: 'forbidden', message: `logout needs the ${CSRF_HEADER} header` });
      const cookie = cookieOf(request);
      if (cookie !== null) await webDb(store).deleteFrom('web_sessions').where('id_hash', '=', sha256(cookie)).execute();
    }
    setCookie(request, reply, '', 0);
    return reply.code(204).send(null);
  });
};
