import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError, errorMessage } from './errors.js';
import { describeZodError } from './validate.js';

/**
 * Configuration: defaults < config file < environment < command-line flags, validated once.
 * The file is `threatminer.yml` in the working directory, or the one given with --config.
 */
export const Config = z
  .object({
    db: z.string().min(1).optional(),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** requests per minute per API key (or per address before authentication) */
        rateLimit: z.number().int().min(1).max(1_000_000).default(600),
        trustProxy: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    analysers: z.array(z.string().min(1)).optional(),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .prefault({}),
  })
  .strict();
export type Config = z.output<typeof Config>;
export type ConfigInput = z.input<typeof Config>;

export const DEFAULT_CONFIG_FILE = 'threatminer.yml';

const ENVIRONMENT: readonly [string, (input: ConfigInput, value: string) => void][] = [
  ['THREATMINER_DB', (c, v) => { c.db = v; }],
  ['THREATMINER_HOST', (c, v) => { c.server = { ...c.server, host: v }; }],
  ['THREATMINER_PORT', (c, v) => { c.server = { ...c.server, port: Number(v) }; }],
  ['THREATMINER_RATE_LIMIT', (c, v) => { c.server = { ...c.server, rateLimit: Number(v) }; }],
  ['THREATMINER_LOG_LEVEL', (c, v) => { c.log = { level: v as Config['log']['level'] }; }],
];

export interface LoadConfigOptions {
  readonly file?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** Values from command-line flags; undefined entries are ignored. */
  readonly flags?: { db?: string | undefined; host?: string | undefined; port?: number | undefined };
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  let input: ConfigInput = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new InputError(file, `cannot read config: ${errorMessage(err)}`);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text, { maxAliasCount: 100 });
    } catch (err) {
      throw new InputError(file, `invalid YAML: ${errorMessage(err)}`);
    }
    const checked = Config.safeParse(parsed ?? {});
    if (!checked.success) throw new InputError(file, describeZodError(checked.error));
    input = parsed as ConfigInput;
  }
  for (const [name, apply] of ENVIRONMENT) {
    const value = env[name];
    if (value !== undefined && value !== '') apply(input, value);
  }
  const flags = options.flags ?? {};
  if (flags.db !== undefined) input.db = flags.db;
  if (flags.host !== undefined) input.server = { ...input.server, host: flags.host };
  if (flags.port !== undefined) input.server = { ...input.server, port: flags.port };
  const result = Config.safeParse(input);
  if (!result.success) throw new InputError(file === undefined ? 'configuration (environment/flags)' : `configuration (${file}, environment, flags)`, describeZodError(result.error));
  return result.data;
}
