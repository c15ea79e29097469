import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTENT_SECURITY_POLICY } from '../../src/serve/web.js';
import { bearer, useWebFixture } from './helpers.js';

const web = useWebFixture();

function parseCsp(header: string): Map<string, string[]> {
  return new Map(header.split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0] !== '').map(([name, ...values]) => [name!, values]));
}

test('the dashboard page carries a strict CSP and the security headers', async () => {
  const page = await web.fx().app.inject({ url: '/' });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-type']), /text\/html/);
  const csp = parseCsp(String(page.headers['content-security-policy']));
  assert.deepEqual(csp.get('script-src'), ["'self'"]);
  assert.deepEqual(csp.get('style-src'), ["'self'"]);
  assert.deepEqual(csp.get('object-src'), ["'none'"]);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(csp.get('base-uri'), ["'none'"]);
  for (const [, values] of csp) {
    for (const v of values) assert.ok(!["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", '*', 'http:', 'https:'].includes(v), `no ${v}`);
  }
  assert.equal(page.headers['x-frame-options'], 'DENY');
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.equal(page.headers['referrer-policy'], 'no-referrer');
  assert.equal(page.headers['cross-origin-opener-policy'], 'same-origin');
  assert.match(String(page.headers['permissions-policy']), /camera=\(\)/);
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.ok(Object.keys(CONTENT_SECURITY_POLICY).length >= 10);
});

test('API responses carry the headers too; unknown API paths are JSON 404s and need no key to say so', async () => {
  const api = await web.fx().app.inject({ url: '/api/v1/stats', headers: bearer(web.fx().reader) });
  assert.ok(String(api.headers['content-security-policy']).includes("frame-ancestors 'none'"));
  const missing = await web.fx().app.inject({ url: '/api/v1/nope' });
  assert.equal(missing.statusCode, 404);
  assert.equal((missing.json() as { error: string }).error, 'not_found');
});

test('client-side routes load the app page; assets are cached for good; no directory escapes', async () => {
  for (const path of ['/search?q=x', '/posts/abc', '/actors/graph', '/indicators/pivot?value=1.2.3.4']) {
    const r = await web.fx().app.inject({ url: path });
    assert.equal(r.statusCode, 200, path);
    assert.match(r.body, /<div id="root">/);
  }
  const asset = await web.fx().app.inject({ url: '/assets/app.js' });
  assert.equal(asset.statusCode, 200);
  assert.match(String(asset.headers['cache-control']), /immutable/);
  for (const path of ['/assets/../index.html', '/assets/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2fkev.json']) {
    const r = await web.fx().app.inject({ url: path });
    assert.ok(r.statusCode === 404 || r.statusCode === 403 || /<div id="root">/.test(r.body), `${path}: ${r.statusCode}`);
    assert.ok(!r.body.includes('vulnerabilities'), `${path} must not reach files outside the web root`);
  }
});

test('without a build the root says how to build it', async () => {
  const { buildApp } = await import('../../src/serve/app.js');
  const { loadConfig } = await import('../../src/core/config.js');
  const app = await buildApp({ store: web.store(), config: loadConfig({ env: {}, file: undefined }), logger: false, webRoot: null });
  const r = await app.inject({ url: '/' });
  assert.match(r.body, /make web/);
  await app.close();
});
