import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachStore } from '../helpers/stores.js';
import { CVE, DOMAIN, HOSTILE_AUTHOR, IP } from '../e2e/seed.js';
import { bearer, webFixture } from './helpers.js';

describeEachStore('dashboard api', (makeStore) => {
  test('overview, exploits, actors, watchlists, saved searches and models on seeded data', async (t) => {
    const fx = await webFixture(await makeStore());
    const get = async <T>(url: string, token = fx.reader): Promise<T> => {
      const r = await fx.app.inject({ url, headers: bearer(token) });
      assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
      return r.json() as T;
    };
    t.after(() => fx.app.close());

    await t.test('overview', async () => {
      const o = await get<{ totals: { posts: number }; perDay: { days: string[]; series: { label: string; counts: number[] }[] }; exploitsForKnownCves: { cves: string[]; kev: boolean }[]; keyActors: unknown[]; leaks: { title: string }[]; kevAvailable: boolean }>('/api/v1/overview?days=60');
      assert.ok(o.totals.posts > 50);
      assert.equal(o.perDay.days.length, 60);
      assert.equal(o.perDay.days.at(-1), '2024-03-06', 'the window ends at the newest post');
      const perDay = o.perDay.series.reduce((s, x) => s + x.counts.reduce((a, b) => a + b, 0), 0);
      assert.equal(perDay, o.totals.posts, 'every post in the window is counted once');
      assert.ok(o.kevAvailable);
      assert.ok(o.exploitsForKnownCves.length > 0 && o.exploitsForKnownCves[0]!.kev, 'KEV exploits first');
      assert.ok(o.exploitsForKnownCves[0]!.cves.includes(CVE));
      assert.ok(o.keyActors.length > 0);
      assert.ok(o.leaks.some((l) => l.title.startsWith('Bank database dump')));
    });

    await t.test('exploits: filters and trend', async () => {
      const all = await get<{ total: number; labels: { label: string; posts: number }[]; rows: { label: string; cves: { cve: string; kev: boolean }[] }[] }>('/api/v1/exploits?limit=100');
      assert.ok(all.total > 0);
      assert.equal(all.labels.reduce((s, l) => s + l.posts, 0), all.total);
      const remote = await get<typeof all>('/api/v1/exploits?label=remote&limit=100');
      assert.ok(remote.rows.length > 0 && remote.rows.every((r) => r.label === 'remote'));
      const byCve = await get<typeof all>(`/api/v1/exploits?cve=${CVE.toLowerCase()}&limit=100`);
      assert.ok(byCve.rows.length > 0 && byCve.rows.every((r) => r.cves.some((c) => c.cve === CVE && c.kev)));
      const kev = await get<typeof all>('/api/v1/exploits?kev=true&limit=100');
      const notKev = await get<typeof all>('/api/v1/exploits?kev=false&limit=100');
      assert.equal(kev.total + notKev.total, all.total);
      assert.ok(notKev.rows.every((r) => r.cves.every((c) => !c.kev)));
      assert.equal((await fx.app.inject({ url: '/api/v1/exploits?cve=not-a-cve', headers: bearer(fx.reader) })).statusCode, 400);
      const trend = await get<{ days: string[]; series: { label: string; counts: number[] }[] }>('/api/v1/exploits/trend?days=45');
      assert.equal(trend.days.length, 45);
      assert.equal(trend.series.reduce((s, x) => s + x.counts.reduce((a, b) => a + b, 0), 0), all.total);
    });

    await t.test('actors: ranking, graph, portrait', async () => {
      const ranking = await get<{ total: number; actors: { authorId: string; handle: string; score: number; groups: Record<string, { contribution: number }> }[] }>('/api/v1/actors?limit=5');
      assert.ok(ranking.total >= 10);
      assert.ok(ranking.actors.every((a, i) => i === 0 || ranking.actors[i - 1]!.score >= a.score));
      assert.ok('network' in ranking.actors[0]!.groups);
      const graph = await get<{ nodes: { id: string }[]; edges: { source: string; target: string; weight: number }[] }>('/api/v1/actors/graph?limit=50');
      assert.ok(graph.nodes.length >= 10 && graph.edges.length > 0);
      const ids = new Set(graph.nodes.map((n) => n.id));
      assert.ok(graph.edges.every((e) => ids.has(e.source) && ids.has(e.target) && e.source < e.target && e.weight > 0));
      const portrait = await get<{ actor: { handle: string }; posts: number; activity: { hourUtc: number[] } }>(`/api/v1/actors/${encodeURIComponent(ranking.actors[0]!.authorId)}`);
      assert.equal(portrait.actor.handle, ranking.actors[0]!.handle);
      assert.equal(portrait.activity.hourUtc.length, 24);
      assert.equal((await fx.app.inject({ url: '/api/v1/actors/nope', headers: bearer(fx.reader) })).statusCode, 404);
    });

    await t.test('watchlists: CRUD by analysts, matches for every kind, read-only can look', async () => {
      const body = { name: 'ACME', items: [
        { kind: 'domain', value: 'Example.NET' }, { kind: 'cidr', value: '203.0.113.0/24' }, { kind: 'cve', value: CVE.toLowerCase() },
        { kind: 'brand', value: 'combolist' }, { kind: 'product', value: 'Apache Struts' },
      ] };
      assert.equal((await fx.app.inject({ method: 'POST', url: '/api/v1/watchlists', headers: bearer(fx.reader), payload: body })).statusCode, 403);
      const bad = await fx.app.inject({ method: 'POST', url: '/api/v1/watchlists', headers: bearer(fx.analyst), payload: { name: 'x', items: [{ kind: 'cidr', value: '10.0.0.0/99' }] } });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /CIDR/);
      const created = await fx.app.inject({ method: 'POST', url: '/api/v1/watchlists', headers: bearer(fx.analyst), payload: body });
      assert.equal(created.statusCode, 201, created.body);
      const list = created.json() as { id: string; items: { kind: string; value: string }[] };
      assert.deepEqual(list.items.find((i) => i.kind === 'cve')?.value, CVE, 'normalised');
      const m = await get<{ matches: { kind: string; matched: string; via: string; postId: string }[] }>(`/api/v1/watchlists/${list.id}/matches`);
      const kinds = new Set(m.matches.map((x) => x.kind));
      for (const kind of ['domain', 'cidr', 'cve', 'brand', 'product']) assert.ok(kinds.has(kind), `a ${kind} match`);
      assert.ok(m.matches.some((x) => x.kind === 'domain' && x.matched === DOMAIN), 'subdomain of a watched domain');
      assert.ok(m.matches.some((x) => x.kind === 'domain' && x.matched === `https://${DOMAIN}/drop.zip`), 'URL on a watched domain');
      assert.ok(m.matches.some((x) => x.kind === 'cidr' && x.matched === IP));
      assert.ok(!m.matches.some((x) => x.kind === 'cidr' && x.matched.startsWith('198.51.100.')), 'outside the range');
      const put = await fx.app.inject({ method: 'PUT', url: `/api/v1/watchlists/${list.id}`, headers: bearer(fx.analyst), payload: { name: 'ACME 2', items: [{ kind: 'cidr', value: '198.51.100.0/30' }] } });
      assert.equal(put.statusCode, 200);
      const m2 = await get<{ matches: { matched: string }[] }>(`/api/v1/watchlists/${list.id}/matches`);
      assert.deepEqual([...new Set(m2.matches.map((x) => x.matched))].sort(), ['198.51.100.0', '198.51.100.1', '198.51.100.2', '198.51.100.3']);
      assert.equal((await fx.app.inject({ method: 'DELETE', url: `/api/v1/watchlists/${list.id}`, headers: bearer(fx.analyst) })).statusCode, 204);
      assert.equal((await fx.app.inject({ url: `/api/v1/watchlists/${list.id}/matches`, headers: bearer(fx.reader) })).statusCode, 404);
    });

    await t.test('saved searches', async () => {
      const saved = await fx.app.inject({ method: 'POST', url: '/api/v1/saved-searches', headers: bearer(fx.analyst), payload: { name: 'struts', params: { q: 'struts', has_indicator: 'true' } } });
      assert.equal(saved.statusCode, 201);
      const listed = await get<{ searches: { name: string; params: { q: string } }[] }>('/api/v1/saved-searches');
      assert.deepEqual(listed.searches.map((s) => [s.name, s.params.q]), [['struts', 'struts']]);
      assert.equal((await fx.app.inject({ method: 'POST', url: '/api/v1/saved-searches', headers: bearer(fx.reader), payload: { name: 'x', params: {} } })).statusCode, 403);
    });

    await t.test('models: cards that fail validation are reported, not hidden', async () => {
      const models = await get<{ models: unknown[]; problems: string[] }>('/api/v1/models');
      assert.deepEqual(models.models, []);
      assert.equal(models.problems.length, 1);
      assert.match(models.problems[0]!, /^models\/broken\/card\.json/);
    });

    await t.test('hostile data comes back as data', async () => {
      const search = await get<{ hits: { author: string }[] }>('/api/v1/posts/search?q=combolist');
      assert.ok(search.hits.some((h) => h.author === HOSTILE_AUTHOR), 'stored verbatim; escaping is the renderer\'s job');
    });
  });
});
