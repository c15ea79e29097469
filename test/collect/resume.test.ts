import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { crawlSite, loadSiteConfig } from '../../src/collect/crawler/index.js';
import { openStore } from '../../src/store/index.js';
import { offsetString, storedPosts, truthPosts, withSim } from './helpers.js';

test('kill -9 in the middle of a crawl: the re-run resumes with nothing lost and nothing duplicated', { timeout: 90_000 }, async () => {
  await withSim({ forums: ['phpbb'], size: 'small' }, async (sim) => {
    const gt = sim.groundTruth();
    const forum = gt.forums[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'tm-resume-'));
    const db = join(dir, 'crawl.db');
    const site = join(dir, 'site.yml');
    writeFileSync(
      site,
      [
        `name: ${forum.slug}`,
        `url: ${forum.base_url}`,
        `language: ${forum.language}`,
        `timezone: "${offsetString(forum.utc_offset_minutes)}"`,
        'network: { allowPrivateAddresses: true }',
        // Slow enough that the kill lands mid-crawl.
        'politeness: { concurrency: 2, delayMs: 15, jitterMs: 5 }',
        `auth: { username: ${forum.login.username}, password: ${forum.login.password} }`,
      ].join('\n'),
    );
    try {
      const child = spawn(process.execPath, ['bin/threatminer.js', 'crawl', '--site', site, '--db', db], {
        env: { ...process.env, THREATMINER_FROM_SOURCE: '1' },
        stdio: 'ignore',
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      const startRequests = sim.stats.requests;
      while (sim.stats.requests - startRequests < 30) {
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      child.kill('SIGKILL');
      const { signal } = await exited;
      assert.equal(signal, 'SIGKILL', 'the crawl was killed, not finished');

      const store = await openStore({ url: db });
      try {
        const before = (await storedPosts(store, forum.slug)).length;
        const truth = truthPosts(gt, forum.slug);
        assert.ok(before < truth.length, `killed mid-way (${before}/${truth.length} posts stored)`);
        const summary = await crawlSite(loadSiteConfig(site), store);
        assert.equal(summary.mode, 'resume');
        const after = await storedPosts(store, forum.slug);
        const ids = after.map((p) => p.external_id);
        assert.equal(new Set(ids).size, ids.length, 'no duplicate posts');
        assert.deepEqual([...ids].sort(), truth.map((t) => t.post_id).sort(), 'every post, exactly once');
        const links = await store.db.selectFrom('post_links').select(['post_id', 'kind', 'target_external_id']).execute();
        assert.equal(new Set(links.map((l) => `${l.post_id}|${l.kind}|${l.target_external_id}`)).size, links.length, 'no duplicate edges');
        assert.equal(links.filter((l) => l.kind === 'quote').length, truth.reduce((n, t) => n + t.quotes.length, 0));
        const frontier = await store.db
          .selectFrom('crawl_frontier' as never)
          .select(['state' as never])
          .execute() as { state: string }[];
        assert.equal(frontier.filter((r) => r.state === 'pending').length, 0);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
