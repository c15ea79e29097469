import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/core/config.js';
import { buildApp } from '../../src/serve/app.js';
import { revokeApiKey } from '../../src/store/api-keys.js';
import { webDb } from '../../src/serve/web-db.js';
import { bearer, login, useWebFixture } from './helpers.js';

const web = useWebFixture();

test('login exchanges a key for an HttpOnly, SameSite=Strict session cookie; the key is not echoed', async () => {
  const bad = await web.fx().app.inject({ method: 'POST', url: '/api/v1/session', payload: { key: 'tm_000000000000_nope' } });
  assert.equal(bad.statusCode, 401);
  assert.equal(bad.headers['set-cookie'], undefined);
  const response = await web.fx().app.inject({ method: 'POST', url: '/api/v1/session', payload: { key: web.fx().reader } });
  assert.equal(response.statusCode, 200);
  const setCookie = String(response.headers['set-cookie']);
  assert.match(setCookie, /^tm_session=[A-Za-z0-9_-]{43};/);
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Strict/);
  assert.match(setCookie, /Path=\//);
  assert.doesNotMatch(setCookie, /Secure/, 'plain http on loopback: no Secure flag, or the browser would drop it');
  assert.ok(!response.body.includes(web.fx().reader.slice(20)), 'the key is not in the response');
  const body = response.json() as { role: string; csrfToken: string };
  assert.equal(body.role, 'read-only');
  assert.ok(body.csrfToken.length >= 32);
  const rows = await webDb(web.store()).selectFrom('web_sessions').select('id_hash').execute();
  const value = setCookie.split(';')[0]!.split('=')[1]!;
  assert.ok(rows.every((r) => r.id_hash !== value), 'only a hash of the cookie is stored');
});

test('the cookie is Secure behind https (a trusted proxy saying so), not because a client claims it', async () => {
  const claimed = await web.fx().app.inject({ method: 'POST', url: '/api/v1/session', payload: { key: web.fx().reader }, headers: { 'x-forwarded-proto': 'https' } });
  assert.doesNotMatch(String(claimed.headers['set-cookie']), /Secure/, 'trustProxy is off: the header is ignored');
  const config = loadConfig({ env: {}, file: undefined });
  config.server.trustProxy = true;
  const proxied = await buildApp({ store: web.store(), config, logger: false, webRoot: null });
  const response = await proxied.inject({ method: 'POST', url: '/api/v1/session', payload: { key: web.fx().reader }, headers: { 'x-forwarded-proto': 'https' } });
  assert.match(String(response.headers['set-cookie']), /; Secure/);
  await proxied.close();
});

test('the session authenticates reads; writes need the CSRF header; roles are enforced', async () => {
  const reader = await login(web.fx().app, web.fx().reader);
  const analyst = await login(web.fx().app, web.fx().analyst);
  assert.equal((await web.fx().app.inject({ url: '/api/v1/stats', headers: { cookie: reader.cookie } })).statusCode, 200);
  const who = (await web.fx().app.inject({ url: '/api/v1/session', headers: { cookie: analyst.cookie } })).json() as { role: string; csrfToken: string };
  assert.equal(who.role, 'analyst');
  assert.equal(who.csrfToken, analyst.csrf);
  const payload = { name: 'acme', items: [{ kind: 'domain', value: 'example.net' }] };
  assert.equal((await web.fx().app.inject({ method: 'POST', url: '/api/v1/watchlists', headers: { cookie: analyst.cookie }, payload })).statusCode, 403, 'no CSRF token');
  assert.equal((await web.fx().app.inject({ method: 'POST', url: '/api/v1/watchlists', headers: { cookie: analyst.cookie, 'x-csrf-token': reader.csrf }, payload })).statusCode, 403, 'another session\'s token');
  assert.equal((await web.fx().app.inject({ method: 'POST', url: '/api/v1/watchlists', headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf }, payload })).statusCode, 201);
  assert.equal((await web.fx().app.inject({ method: 'POST', url: '/api/v1/watchlists', headers: { cookie: reader.cookie, 'x-csrf-token': reader.csrf }, payload })).statusCode, 403, 'read-only cannot edit');
  assert.equal((await web.fx().app.inject({ url: '/api/v1/keys', headers: { cookie: analyst.cookie } })).statusCode, 403, 'keys need admin');
  // API keys keep working without CSRF tokens (they are not ambient credentials).
  assert.equal((await web.fx().app.inject({ method: 'POST', url: '/api/v1/watchlists', headers: bearer(web.fx().analyst), payload })).statusCode, 201);
});

test('keys and sessions are never taken from the URL', async () => {
  const reader = await login(web.fx().app, web.fx().reader);
  const value = reader.cookie.split('=')[1]!;
  assert.equal((await web.fx().app.inject({ url: `/api/v1/stats?tm_session=${value}` })).statusCode, 401);
  assert.equal((await web.fx().app.inject({ url: `/api/v1/stats?api_key=${web.fx().reader}` })).statusCode, 401);
});

test('logout ends the session and clears the cookie', async () => {
  const s = await login(web.fx().app, web.fx().reader);
  assert.equal((await web.fx().app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: s.cookie } })).statusCode, 403, 'logout needs CSRF too');
  const out = await web.fx().app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
  assert.equal(out.statusCode, 204);
  assert.match(String(out.headers['set-cookie']), /tm_session=;.*Max-Age=0/);
  assert.equal((await web.fx().app.inject({ url: '/api/v1/stats', headers: { cookie: s.cookie } })).statusCode, 401);
});

test('sessions die with their key, and when expired or idle', async () => {
  const temp = await web.fx().app.inject({ method: 'POST', url: '/api/v1/keys', headers: bearer(web.fx().admin), payload: { name: 'temp', role: 'read-only' } });
  const { token, key } = temp.json() as { token: string; key: { id: string } };
  const s = await login(web.fx().app, token);
  assert.equal((await web.fx().app.inject({ url: '/api/v1/stats', headers: { cookie: s.cookie } })).statusCode, 200);
  await revokeApiKey(web.store(), key.id);
  assert.equal((await web.fx().app.inject({ url: '/api/v1/stats', headers: { cookie: s.cookie } })).statusCode, 401);

  const expiring = await login(web.fx().app, web.fx().reader);
  await webDb(web.store()).updateTable('web_sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
  assert.equal((await web.fx().app.inject({ url: '/api/v1/stats', headers: { cookie: expiring.cookie } })).statusCode, 401);

  const idle = await login(web.fx().app, web.fx().reader);
  await webDb(web.store()).updateTable('web_sessions').set({ last_seen_at: new Date(Date.now() - 3 * 3600_000).toISOString() }).execute();
  assert.equal((await web.fx().app.inject({ url: '/api/v1/stats', headers: { cookie: idle.cookie } })).statusCode, 401);
});

test('malformed cookies are ignored', async () => {
  for (const cookie of ['tm_session=', 'tm_session=../../etc/passwd', `tm_session=${'a'.repeat(5000)}`, 'tm_session="; x']) {
    assert.equal((await web.fx().app.inject({ url: '/api/v1/stats', headers: { cookie } })).statusCode, 401, cookie.slice(0, 40));
  }
});
