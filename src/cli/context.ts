import { Option, type Command } from 'commander';
import { loadConfig, type Config } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { openStore, type Store } from '../store/index.js';

/** Options every command that touches the store accepts. */
export function withStoreOptions(command: Command): Command {
  return command
    .addOption(new Option('--db <url>', 'database: postgres://… or a SQLite file path (default .threatminer/threatminer.db, env THREATMINER_DB)'))
    .addOption(new Option('--config <file>', 'configuration file (default ./threatminer.yml when present)'));
}

export interface StoreOptions {
  db?: string;
  config?: string;
}

export function configFrom(options: StoreOptions & { host?: string; port?: number }): Config {
  return loadConfig({ file: options.config, flags: { db: options.db, host: options.host, port: options.port } });
}

/** Opens the store for one command and always closes it, even when the command fails. */
export async function withStore<T>(options: StoreOptions, run: (store: Store, config: Config) => Promise<T>): Promise<T> {
  const config = configFrom(options);
  const store = await openStore({ url: config.db });
  try {
    return await run(store, config);
  } finally {
    await store.close();
  }
}

export function parseInteger(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InputError(name, `expected a whole number from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

export function parseList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

export function isTty(): boolean {
  return Boolean(process.stderr.isTTY);
}
