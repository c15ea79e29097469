import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';

/**
 * Runs the same behavioural suite against SQLite and PostgreSQL. Each PostgreSQL suite gets a
 * schema of its own, dropped afterwards. Without a reachable PostgreSQL the suite is skipped
 * with a message saying how to enable it, unless TEST_REQUIRE_POSTGRES=1 (CI), where it fails.
 */
export type StoreFactory = () => Promise<Store>;

const postgresUrl = process.env.TEST_DATABASE_URL;
let postgresProbe: Promise<string | null> | undefined;

function probePostgres(): Promise<string | null> {
  postgresProbe ??= (async () => {
    if (!postgresUrl) return 'TEST_DATABASE_URL is not set';
    const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return null;
    } catch (err) {
      return `cannot reach ${postgresUrl}: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresProbe;
}

let schemaCounter = 0;

export function describeEachStore(name: string, suite: (makeStore: StoreFactory) => void): void {
  describe(`${name} [sqlite]`, () => {
    const dirs: string[] = [];
    const stores: Store[] = [];
    after(async () => {
      for (const s of stores) await s.close().catch(() => undefined);
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });
    suite(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tm-test-'));
      dirs.push(dir);
      const store = await openStore({ url: join(dir, 'test.db') });
      stores.push(store);
      return store;
    });
  });

  const skipReason = process.env.TEST_REQUIRE_POSTGRES === '1' ? null : probePostgresSync();
  describe(`${name} [postgres]`, { skip: skipReason ?? false }, () => {
    const schemas: string[] = [];
    const stores: Store[] = [];
    after(async () => {
      for (const s of stores) await s.close().catch(() => undefined);
      if (schemas.length === 0 || !postgresUrl) return;
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });
    suite(async () => {
      const reason = await probePostgres();
      if (reason !== null) throw new Error(`PostgreSQL required (TEST_REQUIRE_POSTGRES=1) but ${reason}`);
      const schema = `tm_test_${process.pid}_${Date.now().toString(36)}_${schemaCounter++}`;
      schemas.push(schema);
      const store = await openStore({ url: postgresUrl, schema });
      stores.push(store);
      return store;
    });
  });
}

/**
 * The skip decision must be made while tests are declared, which is synchronous; the runner
 * script (scripts/run-tests.mjs) probes PostgreSQL once and passes the answer in the env.
 */
function probePostgresSync(): string | null {
  const verdict = process.env.TEST_POSTGRES_STATUS;
  if (verdict === 'ok') return null;
  const reason = verdict ?? (postgresUrl ? 'not probed' : 'TEST_DATABASE_URL is not set');
  return `PostgreSQL suite skipped: ${reason}. Set TEST_DATABASE_URL=postgres://user@host:5432/db to run it.`;
}
