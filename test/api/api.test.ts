import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/core/config.js';
import { buildApp } from '../../src/serve/app.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { sampleRecords } from '../helpers/fixtures.js';
import { describeEachStore, type StoreFactory } from '../helpers/stores.js';

async function setup(makeStore: StoreFactory, rateLimit = 1000) {
  const store = await makeStore();
  await store.ingest(sampleRecords());
  const config = loadConfig({ env: {}, file: undefined });
  config.server.rateLimit = rateLimit;
  const app = await buildApp({ store, config, logger: false });
  const admin = (await createApiKey(store, 'admin', 'admin')).token;
  const analyst = (await createApiKey(store, 'analyst', 'analyst')).token;
  const reader = (await createApiKey(store, 'reader', 'read-only')).token;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  return { store, app, admin, analyst, reader, as };
}

describeEachStore('api', (makeStore) => {
  test('OpenAPI document is public and lists every route', async () => {
    const { app } = await setup(makeStore);
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    const doc = response.json() as { openapi: string; paths: Record<string, unknown> };
    assert.match(doc.openapi, /^3\./);
    for (const path of ['/api/v1/posts/search', '/api/v1/posts/{id}', '/api/v1/indicators/pivot', '/api/v1/keys', '/api/v1/analyze', '/api/v1/stats']) {
      assert.ok(path in doc.paths, `${path} documented`);
    }
    await app.close();
  });

  test('keys: missing, malformed, revoked and under-privileged keys are refused', async () => {
    const { app, admin, reader, as } = await setup(makeStore);
    assert.equal((await app.inject({ url: '/api/v1/stats' })).statusCode, 401);
    assert.equal((await app.inject({ url: '/api/v1/stats', headers: as('tm_nope') })).statusCode, 401);
    assert.equal((await app.inject({ url: '/api/v1/stats', headers: { 'x-api-key': reader } })).statusCode, 200);
    assert.equal((await app.inject({ url: '/api/v1/keys', headers: as(reader) })).statusCode, 403);
    assert.equal((await app.inject({ method: 'POST', url: '/api/v1/analyze', headers: as(reader), payload: {} })).statusCode, 403);
    assert.equal((await app.inject({ url: `/api/v1/stats?api_key=${admin}` })).statusCode, 401, 'keys in URLs are not accepted');

    const created = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: as(admin), payload: { name: 'temp', role: 'read-only' } });
    assert.equal(created.statusCode, 201);
    const { token, key } = created.json() as { token: string; key: { id: string } };
    assert.equal((await app.inject({ url: '/api/v1/stats', headers: as(token) })).statusCode, 200);
    const listed = (await app.inject({ url: '/api/v1/keys', headers: as(admin) })).body;
    assert.ok(!listed.includes(token.slice(20)), 'secrets are never listed');
    assert.equal((await app.inject({ method: 'DELETE', url: `/api/v1/keys/${key.id}`, headers: as(admin) })).statusCode, 204);
    assert.equal((await app.inject({ url: '/api/v1/stats', headers: as(token) })).statusCode, 401);
    await app.close();
  });

  test('search, post, thread and stats', async () => {
    const { app, reader, as } = await setup(makeStore);
    const search = await app.inject({ url: '/api/v1/posts/search?q=exploit&limit=5', headers: as(reader) });
    assert.equal(search.statusCode, 200);
    const body = search.json() as { total: number; hits: { id: string; threadId: string; snippet: { text: string; highlights: [number, number][] } }[] };
    assert.equal(body.total, 2);
    const post = await app.inject({ url: `/api/v1/posts/${body.hits[0]!.id}`, headers: as(reader) });
    assert.equal(post.statusCode, 200);
    const detail = post.json() as { author: { handle: string }; thread: { title: string }; language: unknown };
    assert.ok(['ZeroCool', 'acid_burn'].includes(detail.author.handle));
    assert.equal(detail.thread.title, 'Apache RCE exploit for sale');
    const thread = await app.inject({ url: `/api/v1/threads/${body.hits[0]!.threadId}/posts`, headers: as(reader) });
    assert.equal((thread.json() as { posts: unknown[] }).posts.length, 2);
    assert.equal((await app.inject({ url: '/api/v1/posts/p_missing', headers: as(reader) })).statusCode, 404);
    const filtered = await app.inject({ url: '/api/v1/posts/search?site=darkfox&has_indicator=false', headers: as(reader) });
    assert.equal((filtered.json() as { total: number }).total, 3);
    const stats = (await app.inject({ url: '/api/v1/stats', headers: as(reader) })).json() as { totals: { posts: number }; sites: unknown[] };
    assert.equal(stats.totals.posts, 5);
    assert.equal(stats.sites.length, 3);
    await app.close();
  });

  test('bad input gets 400 with a message naming the problem', async () => {
    const { app, reader, admin, as } = await setup(makeStore);
    const cases = [
      '/api/v1/posts/search?limit=1000',
      '/api/v1/posts/search?has_indicator=maybe',
      `/api/v1/posts/search?q=${'x'.repeat(600)}`,
      '/api/v1/posts/search?q=-only',
      '/api/v1/posts/search?since=yesterday',
    ];
    for (const url of cases) {
      const response = await app.inject({ url, headers: as(reader) });
      assert.equal(response.statusCode, 400, url);
      assert.ok((response.json() as { message: string }).message.length > 0);
    }
    const badKey = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: as(admin), payload: { name: 'x', role: 'root' } });
    assert.equal(badKey.statusCode, 400);
    await app.close();
  });

  test('analysts run the pipeline through the API', async () => {
    const { app, analyst, as } = await setup(makeStore);
    const response = await app.inject({ method: 'POST', url: '/api/v1/analyze', headers: as(analyst), payload: { analysers: ['lang'] } });
    assert.equal(response.statusCode, 200);
    assert.deepEqual((response.json() as { analysers: { analyser: string; posts: number }[] }).analysers.map((a) => [a.analyser, a.posts]), [['lang', 5]]);
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/analyze', headers: as(analyst), payload: { analysers: ['nope'] } });
    assert.equal(unknown.statusCode, 400);
    assert.match((unknown.json() as { message: string }).message, /unknown analyser "nope"/);
    await app.close();
  });

  test('indicator pivot: where seen, by whom, first/last seen, co-occurring', async () => {
    const { app, analyst, reader, as } = await setup(makeStore);
    const analysed = await app.inject({ method: 'POST', url: '/api/v1/analyze', headers: as(analyst), payload: { analysers: ['iocs'] } });
    assert.equal(analysed.statusCode, 200);
    const top = (await app.inject({ url: '/api/v1/indicators?type=cve', headers: as(reader) })).json() as { indicators: { value: string; posts: number }[] };
    assert.deepEqual(top.indicators.map((i) => i.value), ['CVE-2017-5638']);
    const pivot = await app.inject({ url: '/api/v1/indicators/pivot?value=CVE-2017-5638', headers: as(reader) });
    assert.equal(pivot.statusCode, 200);
    const body = pivot.json() as { types: string[]; firstSeen: string; sightings: { author: string; site: string }[]; authors: { handle: string }[]; coOccurring: { value: string }[] };
    assert.deepEqual(body.types, ['cve']);
    assert.equal(body.firstSeen, '2024-03-01T10:00:00.000Z');
    assert.deepEqual(body.sightings.map((s) => [s.site, s.author]), [['darkfox', 'ZeroCool']]);
    assert.deepEqual(body.authors.map((a) => a.handle), ['ZeroCool']);
    assert.ok(body.coOccurring.length >= 1, 'the jabber handle in the same post co-occurs');
    const hasIndicator = (await app.inject({ url: '/api/v1/posts/search?has_indicator=true', headers: as(reader) })).json() as { total: number };
    assert.ok(hasIndicator.total >= 1);
    assert.equal((await app.inject({ url: '/api/v1/indicators/pivot?value=203.0.113.9', headers: as(reader) })).statusCode, 404);
    await app.close();
  });

  test('rate limiting per key', async () => {
    const { app, reader, as } = await setup(makeStore, 3);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await app.inject({ url: '/api/v1/stats', headers: as(reader) })).statusCode);
    assert.deepEqual(codes, [200, 200, 200, 429, 429]);
    await app.close();
  });
});
