import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crawlInto, memoryStore, siteFor, storedPosts, truthPosts, withSim } from './helpers.js';

test('a .onion forum is crawled through SOCKS5 with remote DNS only', async () => {
  await withSim({ forums: ['vbulletin'], socks: true }, async (sim) => {
    const store = await memoryStore();
    try {
      const forum = sim.forums[0]!;
      const onionHost = new URL(forum.onionUrl).hostname;
      // No allowPrivateAddresses: the only loopback contact is the configured proxy itself.
      const summary = await crawlInto(store, {
        ...siteFor(sim, forum.slug),
        url: forum.onionUrl,
        network: { proxy: `socks5h://127.0.0.1:${sim.socksPort}`, allowPrivateAddresses: false },
      });
      assert.equal(summary.stoppedBy, 'complete');
      const truth = truthPosts(sim.groundTruth(), forum.slug);
      assert.equal((await storedPosts(store, forum.slug)).length, truth.length);
      const site = await store.db.selectFrom('sites').select(['network', 'base_url']).executeTakeFirstOrThrow();
      assert.equal(site.network, 'onion');
      // Every connection went through the proxy, addressed by name (ATYP domain), never by IP.
      assert.ok(sim.socksLog.length > 0);
      assert.ok(sim.socksLog.every((c) => c.addressType === 'domain' && c.host === onionHost && c.accepted), JSON.stringify(sim.socksLog.slice(0, 3)));
      assert.ok(sim.requestLog.every((r) => r.host === onionHost), 'all requests carried the onion Host header');
    } finally {
      await store.close();
    }
  });
});
