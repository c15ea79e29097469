import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENGINES } from '../../src/collect/simulator/index.js';
import { crawlInto, dateTolerance, memoryStore, siteFor, storedLinks, storedPosts, truthPosts, withSim } from './helpers.js';

for (const engine of ENGINES) {
  test(`${engine}: a crawl recovers every post, author, quote and reply edge of the ground truth`, async () => {
    await withSim({ forums: [engine] }, async (sim) => {
      const store = await memoryStore();
      try {
        const forum = sim.forums[0]!;
        const summary = await crawlInto(store, siteFor(sim, forum.slug));
        assert.equal(summary.stoppedBy, 'complete');
        assert.equal(summary.profile.startsWith(engine), true, `detected ${summary.profile}`);
        assert.equal(summary.logins, 1);
        const gt = sim.groundTruth();
        const truth = truthPosts(gt, forum.slug);
        const stored = await storedPosts(store, forum.slug);
        assert.equal(stored.length, truth.length, 'post count');
        const byId = new Map(stored.map((p) => [p.external_id, p]));
        for (const t of truth) {
          const s = byId.get(t.post_id);
          assert.ok(s, `post ${t.post_id} missing`);
          assert.equal(s.author, t.author, `author of ${t.post_id}`);
          assert.equal(s.thread_external, t.thread_id, `thread of ${t.post_id}`);
          assert.equal(s.body_text, t.body_text, `body of ${t.post_id}`);
          const code = JSON.parse(s.code_blocks) as { code: string }[];
          assert.equal(code[0]?.code ?? null, t.code?.code ?? null, `code of ${t.post_id}`);
          assert.ok(s.posted_at !== null, `date of ${t.post_id} (${s.posted_at_raw}) parsed`);
          const diff = Math.abs(Date.parse(s.posted_at) - Date.parse(t.posted_at));
          assert.ok(diff <= dateTolerance(s.posted_at_raw), `date of ${t.post_id}: "${s.posted_at_raw}" → ${s.posted_at}, truth ${t.posted_at}`);
        }
        const links = await storedLinks(store);
        const quotes = links.filter((l) => l.kind === 'quote').map((l) => `${l.post}>${l.target}`).sort();
        const replies = links.filter((l) => l.kind === 'reply').map((l) => `${l.post}>${l.target}`).sort();
        assert.deepEqual(quotes, truth.flatMap((t) => t.quotes.map((q) => `${t.post_id}>${q}`)).sort(), 'quote edges');
        assert.deepEqual(replies, truth.filter((t) => t.reply_to !== null).map((t) => `${t.post_id}>${t.reply_to}`).sort(), 'reply edges');
        // Profiles: every author who posted has the reputation shown on their profile page.
        const authors = await store.db.selectFrom('authors').select(['handle', 'reputation']).execute();
        const truthAuthors = new Map(gt.authors.filter((a) => a.forum === forum.slug).map((a) => [a.handle, a]));
        assert.equal(authors.length, new Set(truth.map((t) => t.author)).size, 'authors');
        for (const a of authors) assert.equal(a.reputation, truthAuthors.get(a.handle)?.reputation, `reputation of ${a.handle}`);

        // Incremental: nothing changed → conditional requests only, nothing new.
        const again = await crawlInto(store, siteFor(sim, forum.slug));
        assert.equal(again.mode, 'incremental');
        assert.equal(again.postsInserted, 0);
        // Unchanged hubs answer 304. (A page showing "N minutes ago" may legitimately change if a
        // minute boundary passes between the two crawls, hence the small allowance.)
        assert.ok(again.notModified > 0 && again.pages <= 2, `re-crawl fetched ${again.pages} full pages, ${again.notModified} unchanged`);
        // The community posts a reply: the next crawl fetches the changed pages and stores it.
        const added = sim.addReply(forum.slug);
        const third = await crawlInto(store, siteFor(sim, forum.slug));
        assert.equal(third.postsInserted, 1);
        assert.ok(third.pages <= 6, `only changed pages refetched, got ${third.pages}`);
        assert.ok((await storedPosts(store, forum.slug)).some((p) => p.external_id === added));
      } finally {
        await store.close();
      }
    });
  });
}

test('PostgreSQL: crawl, resume-safe frontier and incremental re-crawl work the same', async (t) => {
  const url = process.env.TEST_DATABASE_URL;
  if (url === undefined || url === '') {
    t.skip('TEST_DATABASE_URL is not set');
    return;
  }
  const { openStore } = await import('../../src/store/index.js');
  const schema = `crawl_test_${process.pid}`;
  await withSim({ forums: ['phpbb'] }, async (sim) => {
    const store = await openStore({ url, schema });
    try {
      const forum = sim.forums[0]!;
      const first = await crawlInto(store, siteFor(sim, forum.slug));
      const truth = truthPosts(sim.groundTruth(), forum.slug);
      assert.equal(first.postsInserted, truth.length);
      assert.equal((await storedPosts(store, forum.slug)).length, truth.length);
      const again = await crawlInto(store, siteFor(sim, forum.slug));
      assert.equal(again.mode, 'incremental');
      assert.equal(again.postsInserted, 0);
    } finally {
      await store.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await store.close();
    }
  });
});

test('a site that moved (new port) retires the old frontier rows instead of fetching them', async () => {
  const store = await memoryStore();
  try {
    for (let run = 0; run < 2; run++) {
      await withSim({ forums: ['mybb'] }, async (sim) => {
        const summary = await crawlInto(store, siteFor(sim, 'mybb'));
        assert.equal(summary.stoppedBy, 'complete');
        if (run === 1) {
          assert.ok((summary.errors['out-of-scope'] ?? 0) > 0, JSON.stringify(summary.errors));
          assert.equal(summary.errors.network ?? 0, 0, 'old URLs were not fetched');
        }
      });
    }
  } finally {
    await store.close();
  }
});
