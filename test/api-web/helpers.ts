import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { loadConfig } from '../../src/core/config.js';
import { buildApp, type App } from '../../src/serve/app.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { openStore, type Store } from '../../src/store/index.js';
import { CVE, seedHostileStore } from '../e2e/seed.js';

export interface WebFixture {
  store: Store;
  app: App;
  admin: string;
  analyst: string;
  reader: string;
  dir: string;
}

/** A tiny built "dashboard" so serving and headers are tested without running Vite. */
export function fakeWebRoot(dir: string): string {
  const root = join(dir, 'web');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app")\n');
  return root;
}

export async function webFixture(store: Store, options: { webRoot?: string | null } = {}): Promise<WebFixture> {
  await seedHostileStore(store);
  const dir = mkdtempSync(join(tmpdir(), 'tm-web-'));
  const kevFile = join(dir, 'kev.json');
  writeFileSync(kevFile, JSON.stringify({ catalogVersion: 'test', vulnerabilities: [{ cveID: CVE, vendorProject: 'Apache', product: 'Struts', vulnerabilityName: 'Struts RCE', dateAdded: '2022-03-25', knownRansomwareCampaignUse: 'Known', cwes: [] }] }));
  const modelsDir = join(dir, 'models');
  mkdirSync(join(modelsDir, 'broken'), { recursive: true });
  writeFileSync(join(modelsDir, 'broken', 'card.json'), '{"name":"broken"}');
  const config = loadConfig({ env: {}, file: undefined });
  config.server.rateLimit = 10_000;
  const app = await buildApp({ store, config, logger: false, webRoot: options.webRoot === undefined ? fakeWebRoot(dir) : options.webRoot, kevFile, modelsDir });
  const admin = (await createApiKey(store, 'admin', 'admin')).token;
  const analyst = (await createApiKey(store, 'analyst', 'analyst')).token;
  const reader = (await createApiKey(store, 'reader', 'read-only')).token;
  return { store, app, admin, analyst, reader, dir };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Logs in with a key and returns the cookie header and CSRF token of the new session. */
export async function login(app: App, key: string): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { key } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const setCookie = String(response.headers['set-cookie']);
  const cookie = setCookie.split(';')[0]!;
  return { cookie, csrf: (response.json() as { csrfToken: string }).csrfToken, setCookie };
}

/**
 * One in-memory store and app for a whole test file, closed after it. Returns accessors
 * because the fixture exists only once `before` has run.
 */
export function useWebFixture(): { fx: () => WebFixture; store: () => Store } {
  let fixture: WebFixture | undefined;
  let opened: Store | undefined;
  before(async () => {
    opened = await openStore({ url: ':memory:' });
    fixture = await webFixture(opened);
  });
  after(async () => {
    await fixture?.app.close();
    await opened?.close();
  });
  return {
    fx: () => fixture ?? assert.fail('web fixture used before it was set up'),
    store: () => opened ?? assert.fail('store used before it was set up'),
  };
}
