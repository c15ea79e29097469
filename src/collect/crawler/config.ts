import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { validateTimezone } from './dates.js';
import { BUILTIN_PROFILES } from './profiles/builtin.js';
import { EngineProfile } from './profiles/types.js';

/**
 * A site to crawl, as written in `site.yml` (or JSON). Everything has a safe default except the
 * name and start URL; see docs/crawling.md for the full reference.
 */
export const SiteConfig = z
  .object({
    /** The site's name in the store (ForumRecord.site). */
    name: z.string().min(1).max(200),
    /** Start URL: the forum index. */
    url: z.string().url(),
    /** Engine profile: "auto" (detect from the start page), a built-in name, or "custom". */
    engine: z.enum(['auto', 'custom', ...Object.keys(BUILTIN_PROFILES)] as [string, ...string[]]).default('auto'),
    /** A custom profile, inline or as a path to a YAML/JSON file (relative to this config). */
    profile: z.union([z.string(), EngineProfile]).optional(),
    language: z.string().max(16).optional(),
    kind: z.enum(['forum', 'market']).default('forum'),
    /** The timezone the forum prints dates in: "+03:00", "UTC" or an IANA name. */
    timezone: z.string().default('UTC'),
    /** Reading of ambiguous numeric dates like 04-05-2026. */
    dateOrder: z.enum(['mdy', 'dmy']).optional(),
    userAgent: z.string().min(1).max(500).default('threatminer/0.1 (+https://github.com/threatminer/threatminer; research crawler)'),
    network: z
      .object({
        /** http://, https://, socks5:// or socks5h:// (SOCKS always resolves names remotely). */
        proxy: z.string().url().optional(),
        /** Allow loopback/private/link-local targets (e.g. the local simulator). Off by default. */
        allowPrivateAddresses: z.boolean().default(false),
      })
      .strict()
      .default({ allowPrivateAddresses: false }),
    politeness: z
      .object({
        concurrency: z.number().int().min(1).max(32).default(2),
        delayMs: z.number().int().min(0).default(500),
        jitterMs: z.number().int().min(0).default(250),
        maxRetries: z.number().int().min(0).max(10).default(4),
        backoffBaseMs: z.number().int().min(1).default(500),
        backoffMaxMs: z.number().int().min(1).default(60_000),
        respectRobots: z.boolean().default(true),
      })
      .strict()
      .default({ concurrency: 2, delayMs: 500, jitterMs: 250, maxRetries: 4, backoffBaseMs: 500, backoffMaxMs: 60_000, respectRobots: true }),
    limits: z
      .object({
        maxPageBytes: z.number().int().min(1024).default(8 * 1024 * 1024),
        maxDecompressedBytes: z.number().int().min(1024).default(32 * 1024 * 1024),
        requestTimeoutMs: z.number().int().min(100).default(30_000),
        maxDepth: z.number().int().min(0).default(8),
        maxPages: z.number().int().min(1).default(1_000_000),
        /** Pages followed through one listing's or thread's "next" chain. */
        maxPagesPerChain: z.number().int().min(1).default(5_000),
        /** Wall-clock budget for one run, seconds (0 = none). */
        maxDurationSec: z.number().min(0).default(0),
        maxRedirects: z.number().int().min(0).max(20).default(5),
        maxUrlLength: z.number().int().min(64).default(2048),
      })
      .strict()
      .default({ maxPageBytes: 8 * 1024 * 1024, maxDecompressedBytes: 32 * 1024 * 1024, requestTimeoutMs: 30_000, maxDepth: 8, maxPages: 1_000_000, maxPagesPerChain: 5_000, maxDurationSec: 0, maxRedirects: 5, maxUrlLength: 2048 }),
    scope: z
      .object({
        /** URL prefixes a link must start with (default: the start URL's directory). */
        include: z.array(z.string().min(1)).optional(),
        /** Substrings that exclude a URL (logout links, search, …). */
        exclude: z.array(z.string().min(1)).default(['logout', 'do=logout', 'mode=logout', 'action=logout']),
        /** Query parameters dropped when normalising URLs (session ids). */
        stripParams: z.array(z.string().min(1)).default(['sid', 's', 'PHPSESSID', 'sessionid', 'sessionhash']),
        /** Only crawl boards with these names (case-insensitive); default all. */
        boards: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .default({ exclude: ['logout', 'do=logout', 'mode=logout', 'action=logout'], stripParams: ['sid', 's', 'PHPSESSID', 'sessionid', 'sessionhash'] }),
    auth: z
      .union([
        z.object({ username: z.string().min(1), password: z.string().min(1) }).strict(),
        z.object({ cookieJar: z.string().min(1) }).strict(),
      ])
      .optional(),
    /** Fetch author profile pages (join date, post count, reputation). */
    profiles: z.boolean().default(true),
  })
  .strict();
export type SiteConfig = z.infer<typeof SiteConfig>;
export type SiteConfigInput = z.input<typeof SiteConfig>;

export interface ResolvedSite {
  readonly config: SiteConfig;
  /** Explicit profile (built-in or custom); undefined = detect from the start page. */
  readonly profile: EngineProfile | undefined;
  /** Directory relative paths in the config resolve against. */
  readonly baseDir: string;
}

export function parseSiteConfig(input: unknown, source: string, baseDir = process.cwd()): ResolvedSite {
  const parsed = SiteConfig.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(source, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid site config'}`);
  }
  const config = parsed.data;
  try {
    validateTimezone(config.timezone);
  } catch {
    throw new InputError(source, `timezone: unknown timezone "${config.timezone}" (use "+03:00", "UTC" or an IANA name)`);
  }
  const host = new URL(config.url).hostname;
  const proxy = config.network.proxy === undefined ? undefined : new URL(config.network.proxy);
  if (proxy !== undefined && !/^(https?|socks5h?):$/.test(proxy.protocol)) {
    throw new InputError(source, `network.proxy: unsupported proxy scheme ${proxy.protocol} (use http, https, socks5 or socks5h)`);
  }
  if (host.endsWith('.onion') && (proxy === undefined || !proxy.protocol.startsWith('socks'))) {
    throw new InputError(source, `network.proxy: ${host} is a .onion site and can only be reached through a SOCKS5 proxy (e.g. socks5h://127.0.0.1:9050); refusing to resolve it locally`);
  }
  let profile: EngineProfile | undefined;
  if (config.engine === 'custom' || config.profile !== undefined) {
    if (config.profile === undefined) throw new InputError(source, 'profile: engine "custom" needs a profile (inline or a file path)');
    profile = typeof config.profile === 'string' ? loadProfileFile(resolve(baseDir, config.profile)) : config.profile;
  } else if (config.engine !== 'auto') {
    profile = BUILTIN_PROFILES[config.engine];
  }
  return { config, profile, baseDir };
}

function readStructured(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(path, `cannot read: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return path.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new InputError(path, `not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function loadProfileFile(path: string): EngineProfile {
  const parsed = EngineProfile.safeParse(readStructured(path));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(path, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid profile'}`);
  }
  return parsed.data;
}

export function loadSiteConfig(path: string): ResolvedSite {
  return parseSiteConfig(readStructured(path), path, dirname(resolve(path)));
}
