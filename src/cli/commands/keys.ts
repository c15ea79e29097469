import { Option, type Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { createApiKey, listApiKeys, revokeApiKey, type Role } from '../../store/api-keys.js';
import { withStore, withStoreOptions, type StoreOptions } from '../context.js';

export function register(program: Command): void {
  const keys = program.command('keys').description('Manage API keys (roles: admin, analyst, read-only)');
  withStoreOptions(
    keys.command('create').description('Create an API key and print its token once')
      .requiredOption('--name <name>', 'who or what the key is for')
      .addOption(new Option('--role <role>', 'what the key may do').choices(['admin', 'analyst', 'read-only']).default('read-only')),
  ).action(async (options: StoreOptions & { name: string; role: Role }) => {
    await withStore(options, async (store) => {
      const { token, key } = await createApiKey(store, options.name, options.role);
      process.stderr.write(`created key ${key.id} (${key.role}) for ${key.name}; the token is shown only now:\n`);
      process.stdout.write(`${token}\n`);
    });
  });
  withStoreOptions(keys.command('list').description('List API keys (never their secrets)')).action(async (options: StoreOptions) => {
    await withStore(options, async (store) => {
      for (const k of await listApiKeys(store)) {
        process.stdout.write(`${k.id}  ${k.role.padEnd(9)}  ${k.createdAt}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.name}\n`);
      }
    });
  });
  withStoreOptions(keys.command('revoke').description('Revoke an API key').argument('<id>', 'key id (from keys list)')).action(async (id: string, options: StoreOptions) => {
    await withStore(options, async (store) => {
      if (!(await revokeApiKey(store, id))) throw new UserError(`no active key with id ${id}`);
      process.stdout.write(`revoked ${id}\n`);
    });
  });
}
