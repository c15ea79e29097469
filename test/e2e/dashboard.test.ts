import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/core/config.js';
import { buildApp, type App } from '../../src/serve/app.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { openStore, type Store } from '../../src/store/index.js';
import { CVE, HOSTILE_AUTHOR, HOSTILE_TITLE, PAYLOADS, seedHostileStore } from './seed.js';

/**
 * The dashboard in a real browser (Debian's chromium, headless) against a server on loopback
 * with hostile forum data: log in, search, open a post, pivot on an indicator, open an actor's
 * portrait and the graph, visit every page. Asserts on what is shown, that no payload ran (no
 * window.__pwned* flag, no dialog), that the app itself never trips its CSP, and saves
 * screenshots to test-artifacts/dashboard/.
 */
const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '../..');
const WEB_ROOT = join(ROOT, 'web', 'dist');
const SHOTS = join(ROOT, 'test-artifacts', 'dashboard');
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (Debian package "chromium"; make test installs it via scripts/setup-system.sh)`;

let store: Store;
let app: App;
let base: string;
let context: BrowserContext;
let page: Page;
let analystKey: string;
let dir: string;
const dialogs: string[] = [];
const pageErrors: string[] = [];

before(async () => {
  if (skip !== false) return;
  if (!existsSync(join(WEB_ROOT, 'index.html'))) {
    // make builds it first; a bare `node scripts/run-tests.mjs e2e` builds it here.
    const built = spawnSync('npm', ['run', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(built.status, 0, 'npm run build:web');
  }
  dir = mkdtempSync(join(tmpdir(), 'tm-e2e-'));
  store = await openStore({ url: join(dir, 'e2e.db') });
  await seedHostileStore(store);
  analystKey = (await createApiKey(store, 'e2e analyst', 'analyst')).token;
  const config = loadConfig({ env: {}, file: undefined });
  config.server.rateLimit = 100_000;
  app = await buildApp({ store, config, logger: false, webRoot: WEB_ROOT });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  mkdirSync(SHOTS, { recursive: true });
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
    viewport: { width: 1366, height: 850 },
    acceptDownloads: true,
  });
  // Runs before any page script; records CSP violations caused by the app itself.
  // (Browser-side code is given as strings: the repo's tsconfig has no DOM types.)
  await context.addInitScript(`
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
  `);
  page = context.pages()[0] ?? await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.setDefaultTimeout(15_000);
});

after(async () => {
  await context?.close().catch(() => undefined);
  await app?.close().catch(() => undefined);
  await store?.close().catch(() => undefined);
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Nothing from the data ran, the app broke no CSP rule, no link from data is a script URL. */
async function assertClean(where: string): Promise<void> {
  const state = await page.evaluate(`({
    pwned: Object.keys(window).filter((k) => k.startsWith('__pwned')),
    csp: window.__csp,
    badLinks: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') || '').filter((h) => !/^(\\/|https?:\\/\\/|#|blob:)/.test(h)),
    bodyVisible: getComputedStyle(document.body).display !== 'none',
    injected: document.querySelectorAll('#root script, #root iframe, #root svg[onload], #root img[onerror], #root style').length,
  })`) as { pwned: string[]; csp: string[]; badLinks: string[]; bodyVisible: boolean; injected: number };
  assert.deepEqual(state.pwned, [], `${where}: a payload ran`);
  assert.deepEqual(dialogs, [], `${where}: a dialog opened`);
  assert.deepEqual(state.csp, [], `${where}: CSP violations`);
  assert.deepEqual(state.badLinks, [], `${where}: non-http links`);
  assert.ok(state.bodyVisible, `${where}: CSS injection hid the page`);
  assert.equal(state.injected, 0, `${where}: markup from data reached the DOM`);
  assert.deepEqual(pageErrors, [], `${where}: page errors`);
}

test('dashboard: login, search, post, indicator pivot, actor portrait and graph, every page — with hostile data', { skip, timeout: 120_000 }, async () => {
  // Login: the key goes in a POST body; the page keeps only an HttpOnly cookie.
  await page.goto(base);
  await page.getByLabel('API key').fill('tm_000000000000_wrong');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').waitFor();
  await page.getByLabel('API key').fill(analystKey);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  assert.ok(!page.url().includes(analystKey.slice(3, 15)), 'no key in the URL');
  assert.equal(await page.evaluate('document.cookie'), '', 'the session cookie is HttpOnly');
  const storage = await page.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })') as string;
  assert.ok(!storage.includes('tm_'), 'no key in web storage');
  await page.locator('canvas').first().waitFor();
  await page.getByText('Leak announcements').waitFor();
  // Both Overview charts report being drawn (bench:web times the first load by these marks).
  await page.waitForFunction('performance.getEntriesByName("chart-drawn").length >= 2');
  const drawn = await page.evaluate('performance.getEntriesByName("chart-drawn").map((m) => m.detail).sort()') as string[];
  assert.deepEqual(drawn, ['Posts per board', 'Posts per day, stacked by site']);
  await shot('01-overview');
  await assertClean('overview');

  // Search with a highlight, hostile title shown as text.
  await page.getByRole('link', { name: 'Search', exact: true }).click();
  await page.getByLabel('Search words').fill('struts');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const firstHit = page.locator('.hit-row .title a').first();
  await firstHit.waitFor();
  assert.equal(await firstHit.textContent(), HOSTILE_TITLE, 'the title is shown verbatim, as text');
  assert.ok((await page.locator('mark.hit').count()) > 0, 'search words highlighted');
  assert.match(page.url(), /\/search\?q=struts/);
  await shot('02-search');
  await assertClean('search');

  // Post view: payloads as text, entities highlighted, no clickable javascript: link.
  await firstHit.click();
  await page.getByRole('heading', { name: 'Indicators' }).waitFor();
  const body = await page.getByTestId('post-body').textContent();
  assert.ok(body?.includes(PAYLOADS.script) && body.includes(PAYLOADS.img) && body.includes(PAYLOADS.css), 'payloads shown as text');
  assert.ok((await page.locator('[data-testid="post-body"] mark.ent-cve').count()) > 0, 'CVE highlighted in the body');
  assert.equal(await page.getByRole('link', { name: 'original' }).count(), 0, 'a javascript: post URL is not a link');
  assert.ok((await page.locator('.labels .label').count()) > 0, 'exploit label with confidence');
  await page.getByRole('heading', { name: 'Thread' }).waitFor();
  await shot('03-post');
  await assertClean('post');

  // Pivot on the CVE: where, who, when, co-occurring; export CSV.
  await page.locator('aside').getByRole('link', { name: CVE }).click();
  await page.getByRole('heading', { name: 'Where it was seen' }).waitFor();
  assert.match(await page.locator('h1').textContent() ?? '', new RegExp(CVE));
  assert.ok((await page.locator('table tbody tr').count()) >= 3, 'sightings listed');
  await page.getByText('evil-c2.example.net').first().waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^indicator,post,site,thread,author,posted_at,defanged\r\n/);
  assert.ok(csv.includes(CVE));
  await shot('04-pivot');
  await assertClean('pivot');

  // From a sighting to the post by the hostile author, then to that author's portrait.
  await page.locator('table tbody tr', { hasText: HOSTILE_AUTHOR }).first().getByRole('link').click();
  await page.getByRole('heading', { name: 'Indicators' }).waitFor();
  await page.locator('.post .meta').getByRole('link', { name: HOSTILE_AUTHOR }).click();
  await page.getByRole('heading', { name: 'Activity by hour (UTC)' }).waitFor();
  assert.equal(await page.locator('#actor-title .handle').textContent(), HOSTILE_AUTHOR);
  await shot('05-portrait');
  await assertClean('portrait');

  // Ranking and the sigma.js graph.
  await page.getByRole('link', { name: 'Actors', exact: true }).click();
  await page.getByRole('heading', { name: 'Key actors' }).waitFor();
  assert.ok((await page.locator('table tbody tr').count()) >= 10);
  await page.getByRole('link', { name: 'Network graph →' }).click();
  await page.getByTestId('actor-graph').locator('canvas').first().waitFor();
  await page.getByText(/\d+ actors · \d+ links/).waitFor();
  await page.waitForTimeout(300);
  await shot('06-graph');
  await assertClean('graph');
  await page.getByText('Actors in the graph (list)').click();
  await page.locator('details .chips a').first().click();
  await page.getByRole('heading', { name: 'Network' }).waitFor();

  // Exploits, watchlists (an analyst creates one and sees matches), models.
  await page.getByRole('link', { name: 'Exploits', exact: true }).click();
  await page.getByRole('heading', { name: 'Trend per label' }).waitFor();
  await page.locator('canvas').first().waitFor();
  await page.getByText(/\d+ labelled posts/).waitFor();
  await shot('07-exploits');
  await assertClean('exploits');

  await page.getByRole('link', { name: 'Watchlists', exact: true }).click();
  await page.getByText('No watchlists yet').waitFor();
  await page.getByLabel('Name').fill('ACME <script>window.__pwned_wl=1</script>');
  await page.getByLabel(/Items, one per line/).fill(`domain: example.net\ncidr: 203.0.113.0/24\ncve: ${CVE}\nbrand: combolist`);
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: /Matches for ACME/ }).waitFor();
  assert.ok((await page.locator('table tbody tr').count()) >= 4, 'matches listed');
  await shot('08-watchlists');
  await assertClean('watchlists');

  await page.getByRole('link', { name: 'Models', exact: true }).click();
  await page.getByRole('heading', { name: 'Models', exact: true }).waitFor();
  await page.locator('.card, [data-testid="empty"]').first().waitFor();
  await shot('09-models');

  // Dark theme, keyboard focus visible, then log out.
  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  await page.getByRole('link', { name: 'Overview', exact: true }).click();
  await page.locator('canvas').first().waitFor();
  assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'dark');
  // Keyboard: after a navigation focus moves to the content; on a fresh load Tab reaches the skip link first.
  await page.getByRole('link', { name: 'Search', exact: true }).click();
  await page.getByRole('heading', { name: 'Search', exact: true }).waitFor();
  assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'main', 'focus moves to the content after navigating');
  await page.goto(base);
  await page.locator('canvas').first().waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate('document.activeElement && document.activeElement.textContent'), 'Skip to content', 'the first Tab reaches the skip link');
  await shot('10-overview-dark');
  await assertClean('dark overview');

  // A small laptop: no page scrolls sideways, even with long hostile strings.
  await page.setViewportSize({ width: 1024, height: 700 });
  for (const path of ['/', '/search?q=struts', '/exploits', '/actors']) {
    await page.goto(`${base}${path}`);
    await page.locator('h1').first().waitFor();
    await page.locator('.state.loading').first().waitFor({ state: 'detached' }).catch(() => undefined);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth') as number;
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px at 1024 px`);
  }
  await shot('11-actors-1024');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('API key').waitFor();
  const after = await page.evaluate(`fetch('/api/v1/stats').then((r) => r.status)`);
  assert.equal(after, 401, 'logged out for real');
});
