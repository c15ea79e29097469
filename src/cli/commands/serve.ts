import type { Command } from 'commander';
import { buildApp } from '../../serve/app.js';
import { findWebRoot } from '../../serve/web.js';
import { countActiveKeys, createApiKey } from '../../store/api-keys.js';
import { openStore } from '../../store/index.js';
import { configFrom, parseInteger, withStoreOptions, type StoreOptions } from '../context.js';

export interface ServeOptions extends StoreOptions {
  host?: string;
  port?: number;
}

/**
 * Serves the API until SIGINT/SIGTERM. On a store with no API key yet it creates an admin key
 * and prints it once, so a fresh install is usable without a separate step and never open.
 */
export async function serve(options: ServeOptions): Promise<void> {
  const config = configFrom(options);
  const store = await openStore({ url: config.db });
  if ((await countActiveKeys(store)) === 0) {
    const { token } = await createApiKey(store, 'bootstrap admin', 'admin');
    process.stderr.write(`no API keys yet: created an admin key (shown once, store it safely):\n  ${token}\n`);
  }
  const app = await buildApp({ store, config });
  const stop = async () => {
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  const address = await app.listen({ host: config.server.host, port: config.server.port });
  process.stderr.write(`threatminer API on ${address}  (OpenAPI: ${address}/openapi.json)\n`);
  process.stderr.write(findWebRoot() === null
    ? 'dashboard not built: run `make web` and restart to serve it\n'
    : `dashboard: ${address}/  (log in with an API key)\n`);
}

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('serve')
      .description('Serve the REST API (and /openapi.json)')
      .option('--host <host>', 'address to listen on (default 127.0.0.1)')
      .option('--port <port>', 'port (default 8080)', parseInteger('--port', 0, 65535)),
  ).action(async (options: ServeOptions) => serve(options));
}
