import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors.js';
import { crawlSite, loadSiteConfig, parseSiteConfig, ProfileMismatchError, BUILTIN_PROFILES } from '../../src/collect/crawler/index.js';
import { isBlockedAddress } from '../../src/collect/crawler/ssrf.js';
import { crawlInto, memoryStore, siteFor, storedPosts, truthPosts, withSim } from './helpers.js';

test('SSRF guard classifies special-purpose addresses', () => {
  for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '100.64.0.1']) {
    assert.equal(isBlockedAddress(a), true, a);
  }
  for (const a of ['8.8.8.8', '185.220.101.1', '2a00:1450:4001::1']) assert.equal(isBlockedAddress(a), false, a);
});

test('SSRF guard: a loopback site is refused unless the config explicitly allows it', async () => {
  await withSim({ forums: ['xenforo'] }, async (sim) => {
    const store = await memoryStore();
    try {
      const site = { ...siteFor(sim, 'xenforo'), network: { allowPrivateAddresses: false } };
      // Auto-detection needs the start page, which the guard refuses.
      await assert.rejects(crawlSite(site, store), /refused to connect to 127\.0\.0\.1.*allowPrivateAddresses/);
      // With the engine given, the crawl runs but every page is refused and nothing is fetched.
      const summary = await crawlSite({ ...site, engine: 'xenforo', auth: undefined, politeness: { respectRobots: false, delayMs: 0, jitterMs: 0 } }, store);
      assert.ok((summary.errors['ssrf-blocked'] ?? 0) > 0);
      assert.equal(summary.pages, 0);
      assert.equal(sim.requestLog.length, 0, 'no request reached the server');
    } finally {
      await store.close();
    }
  });
});

test('.onion sites need a SOCKS proxy: the config is refused before any lookup', () => {
  assert.throws(() => parseSiteConfig({ name: 'x', url: 'http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz234567.onion/' }, 'site.yml'), (err: unknown) => err instanceof InputError && /SOCKS5/.test(err.message));
  assert.throws(() => parseSiteConfig({ name: 'x', url: 'http://abc.onion/', network: { proxy: 'http://127.0.0.1:8118' } }, 'site.yml'), /SOCKS5/);
  assert.doesNotThrow(() => parseSiteConfig({ name: 'x', url: 'http://abc.onion/', network: { proxy: 'socks5h://127.0.0.1:9050' } }, 'site.yml'));
});

test('bad site configs name the field', () => {
  assert.throws(() => parseSiteConfig({ name: 'x', url: 'not a url' }, 'site.yml'), /site\.yml: url/);
  assert.throws(() => parseSiteConfig({ name: 'x', url: 'http://a.example/', timezone: 'Mars/Olympus' }, 'site.yml'), /timezone/);
  assert.throws(() => parseSiteConfig({ name: 'x', url: 'http://a.example/', politeness: { concurrency: 0 } }, 'site.yml'), /politeness\.concurrency/);
});

test('a profile that no longer matches stops the crawl with an error naming the selector', async () => {
  await withSim({ forums: ['phpbb'] }, async (sim) => {
    const store = await memoryStore();
    try {
      const broken = structuredClone(BUILTIN_PROFILES.phpbb!);
      broken.thread.post = 'div.post-redesigned';
      broken.version = 'phpbb-broken/1';
      const err = await crawlSite({ ...siteFor(sim, 'phpbb'), engine: 'custom', profile: broken }, store).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ProfileMismatchError, String(err));
      assert.match(err.message, /thread\.post \(selector "div\.post-redesigned"\) matched nothing/);
    } finally {
      await store.close();
    }
  });
});

test('robots.txt is honoured when configured and ignored when not', async () => {
  await withSim({ forums: ['mybb'] }, async (sim) => {
    const store = await memoryStore();
    try {
      const site = siteFor(sim, 'mybb');
      const polite = await crawlInto(store, site);
      assert.equal(polite.errors['robots-disallowed'], 1);
      assert.equal(sim.requestLog.some((r) => r.path.includes('fid=905')), false, 'disallowed staff board never requested');
      assert.ok(sim.requestLog.every((r) => r.userAgent.startsWith('threatminer/')), 'configured user agent sent');
      const store2 = await memoryStore();
      await crawlInto(store2, { ...site, politeness: { ...site.politeness, respectRobots: false } });
      await store2.close();
      assert.equal(sim.requestLog.some((r) => r.path.includes('fid=905')), true);
    } finally {
      await store.close();
    }
  });
});

test('an expiring session is renewed by logging in again; nothing behind the login is lost', async () => {
  await withSim({ forums: ['xenforo'], sessionMaxRequests: 6 }, async (sim) => {
    const store = await memoryStore();
    try {
      const summary = await crawlInto(store, siteFor(sim, 'xenforo'));
      assert.ok(summary.logins > 1, `re-logged in (${summary.logins} logins)`);
      const truth = truthPosts(sim.groundTruth(), 'breachden');
      assert.equal((await storedPosts(store, 'breachden')).length, truth.length);
    } finally {
      await store.close();
    }
  });
});

test('without credentials, members-only boards are reported as login-required; an imported cookie jar opens them', async () => {
  await withSim({ forums: ['discourse'] }, async (sim) => {
    const gt = sim.groundTruth();
    const forum = gt.forums[0]!;
    const privateThreads = new Set(gt.threads.filter((t) => t.login_required).map((t) => t.thread_id));
    const truth = truthPosts(gt, forum.slug);
    const store = await memoryStore();
    try {
      const anon = await crawlInto(store, { ...siteFor(sim, 'discourse'), auth: undefined });
      assert.ok((anon.errors['login-required'] ?? 0) > 0);
      assert.equal((await storedPosts(store, forum.slug)).length, truth.filter((t) => !privateThreads.has(t.thread_id)).length);
    } finally {
      await store.close();
    }
    // Log in by hand, as a user would in a browser, and export the session cookie.
    const page = await fetch(`${forum.base_url}login`);
    const token = /name="authenticity_token" value="([^"]+)"/.exec(await page.text())![1]!;
    const res = await fetch(`${forum.base_url}session`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ authenticity_token: token, login: forum.login.username, password: forum.login.password }) });
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!.split('=');
    const dir = mkdtempSync(join(tmpdir(), 'tm-jar-'));
    writeFileSync(join(dir, 'cookies.txt'), `# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\t${cookie[0]}\t${cookie[1]}\n`);
    writeFileSync(join(dir, 'site.yml'), `name: ${forum.slug}\nurl: ${forum.base_url}\nnetwork: { allowPrivateAddresses: true }\npoliteness: { delayMs: 0, jitterMs: 0 }\nauth: { cookieJar: cookies.txt }\n`);
    const store2 = await memoryStore();
    try {
      await crawlSite(loadSiteConfig(join(dir, 'site.yml')), store2);
      assert.equal((await storedPosts(store2, forum.slug)).length, truth.length);
    } finally {
      await store2.close();
    }
  });
});

test('the example site configs load, and the custom-profile example crawls only its boards', async () => {
  for (const f of ['simulator-xenforo.yml', 'simulator-phpbb-ru.yml', 'simulator-vbulletin-zh.yml', 'custom-profile.yml']) {
    assert.doesNotThrow(() => loadSiteConfig(join('examples/sites', f)), f);
  }
  assert.equal(loadSiteConfig('examples/sites/onion-via-tor.yml').config.network.proxy, 'socks5h://127.0.0.1:9050');
  await withSim({ forums: ['xenforo'] }, async (sim) => {
    const resolved = loadSiteConfig('examples/sites/custom-profile.yml');
    const forum = sim.forums[0]!;
    resolved.config.url = forum.url;
    resolved.config.politeness.delayMs = 0;
    resolved.config.politeness.jitterMs = 0;
    const store = await memoryStore();
    try {
      const summary = await crawlSite(resolved, store);
      assert.equal(summary.profile, 'xenforo-custom/1');
      const boards = await store.db.selectFrom('boards').select('name').execute();
      assert.deepEqual(boards.map((b) => b.name).sort(), ['Exploits & Vulnerabilities', 'Marketplace']);
    } finally {
      await store.close();
    }
  });
});

test('robots.txt Crawl-delay slows the crawl down (never speeds it up)', async () => {
  const { createServer } = await import('node:http');
  const hits: number[] = [];
  const server = createServer((req, res) => {
    if (req.url === '/robots.txt') return void res.end('User-agent: *\nCrawl-delay: 0.2\n');
    hits.push(Date.now());
    res.setHeader('content-type', 'text/html');
    res.end(req.url === '/' ? '<html id="XF"><body><h3 class="node-title"><a href="/forums/a.1/">A</a></h3><h3 class="node-title"><a href="/forums/b.2/">B</a></h3></body></html>' : '<html id="XF"><body></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const store = await memoryStore();
  try {
    const port = (server.address() as import('node:net').AddressInfo).port;
    const summary = await crawlSite({ name: 'cd', url: `http://127.0.0.1:${port}/`, engine: 'xenforo', network: { allowPrivateAddresses: true }, politeness: { delayMs: 0, jitterMs: 0, concurrency: 2 } }, store);
    assert.equal(summary.pages, 3);
    // Two gaps of ≥ 200 ms between request starts; measured at the server, so allow for arrival jitter.
    const span = hits[hits.length - 1]! - hits[0]!;
    assert.ok(span >= 300, `3 requests spread over ${span} ms`);
  } finally {
    await store.close();
    server.close();
  }
});
