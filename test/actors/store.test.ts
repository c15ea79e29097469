import { test } from 'node:test';
import { describeEachStore } from '../helpers/stores.js';
import assert from 'node:assert/strict';
import { parse as parseGraphml } from 'graphology-graphml';
import { parse as parseGexf } from 'graphology-gexf';
import { DirectedGraph } from 'graphology';
import type { ForumRecord } from '../../src/core/records.js';
import { loadActorInput, portrait, rankActors, resolveActor, runActorsJob, toGexf, toGraphml } from '../../src/analyse/actors/index.js';
import { actorsDb } from '../../src/analyse/actors/store.js';

/** Two forums; "vendor" sells on both under a leet variant and shares a Jabber id (as an entity). */
function records(): ForumRecord[] {
  const out: ForumRecord[] = [];
  const hostile = 'x<script>&"\'\u0001';
  for (const [site, vendor] of [['alpha', 'vendor_x'], ['beta', 'v3nd0r_x']] as const) {
    for (let t = 0; t < 3; t++) {
      out.push({ site, board: 'Exploits', thread_id: `${t}`, thread_title: `PoC ${t}`, post_id: `${t}-0`, author: vendor, author_reputation: 100,
        posted_at: `2025-0${t + 1}-10T1${t}:00:00Z`, body_text: `new exploit build ${t}`, code_blocks: [{ code: 'int main(){}' }] });
      for (const [k, who] of ['buyer1', 'buyer2', hostile].entries()) {
        out.push({ site, board: 'Exploits', thread_id: `${t}`, post_id: `${t}-${k + 1}`, author: who, author_reputation: k,
          posted_at: `2025-0${t + 1}-1${k + 1}T12:00:00Z`, body_text: `thanks @${vendor}`, quotes: [`${t}-0`] });
      }
    }
  }
  return out;
}

describeEachStore('actors store round trip', (makeStore) => {
test('rank job writes scores, communities and aliases; portrait and exports read them back', async () => {
  const store = await makeStore();
  {
    await store.ingest(records());
    // A shared Jabber id, as the indicator extractor would record it.
    const vendorPosts = await store.db.selectFrom('posts').innerJoin('authors', 'authors.id', 'posts.author_id')
      .select(['posts.id']).where('authors.handle', 'in', ['vendor_x', 'v3nd0r_x']).execute();
    const now = new Date().toISOString();
    await store.db.insertInto('entities').values(vendorPosts.slice(0, 1).concat(vendorPosts.slice(-1)).map((p) => ({
      post_id: p.id, type: 'xmpp', value: 'vendor@jabber.example', field: 'body_text', start: 0, end: 1, defanged: 0, context: null,
      flags: '[]', analyser: 'iocs', analyser_version: '1', model_version: null, created_at: now,
    }))).execute();

    const input = await loadActorInput(store);
    assert.equal(input.sites.length, 2);
    assert.ok(input.links.length >= 18, `links ${input.links.length}`);
    const job = await runActorsJob(store);
    assert.equal(job.written.scores, input.authors.length);
    const top = await store.db.selectFrom('actor_scores').innerJoin('authors', 'authors.id', 'actor_scores.author_id')
      .select(['authors.handle', 'actor_scores.rank', 'actor_scores.breakdown']).where('actor_scores.rank', '=', 1).execute();
    assert.deepEqual(top.map((r) => r.handle).sort(), ['v3nd0r_x', 'vendor_x']);
    assert.ok(JSON.parse(top[0]!.breakdown).groups.network.contribution > 0);

    const alias = job.aliases.find((c) => c.evidence.contacts.length > 0);
    assert.ok(alias, 'jabber-linked alias found');
    assert.ok(alias.score >= 0.8);
    const stored = await actorsDb(store).selectFrom('alias_candidates').selectAll().execute();
    assert.equal(stored.length, job.aliases.length);

    const actor = await resolveActor(store, 'alpha:VENDOR_X');
    assert.ok(actor);
    assert.equal(await resolveActor(store, 'alpha:nobody'), null);
    const p = await portrait(store, actor.id);
    assert.ok(p);
    assert.equal(p.posts, 3);
    assert.equal(p.threadsStarted, 3);
    assert.equal(p.expertise.codePosts, 3);
    assert.equal(p.network.score?.rank, 1);
    assert.ok(p.network.collaborators.some((c) => c.handle === 'buyer1' && c.quotedBy === 3));
    assert.equal(p.aliases[0]?.handle, 'v3nd0r_x');
    assert.equal(p.aliases[0]?.siteName, 'beta');
    assert.equal(p.associated.contacts[0]?.value, 'vendor@jabber.example');
    assert.ok(p.network.community);
    assert.equal(p.firstSeen, '2025-01-10T10:00:00.000Z');

    // Exports are well-formed XML even with a hostile handle, and parse back with the same graph.
    const result = rankActors(input);
    for (const [xml, parse] of [[toGraphml(result), parseGraphml], [toGexf(result), parseGexf]] as const) {
      assert.ok(!xml.includes('<script>'));
      assert.ok(!xml.includes('\u0001'));
      const graph = parse(DirectedGraph, xml);
      assert.equal(graph.order, result.graph.order);
      assert.equal(graph.size, result.graph.size);
      assert.ok(graph.someNode((_, attrs) => String(attrs.label).startsWith('x<script>&"\'')));
    }
    const top2 = toGraphml(result, { top: 2 });
    assert.equal(parseGraphml(DirectedGraph, top2).order, 2);
  }
});
});
