import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HostileMode, HostileOptions } from './hostile.js';
import { buildGroundTruth, type GroundTruth } from './ground-truth.js';
import { DEFAULT_FORUMS, SIZES, generateCommunity, minuteFloor, type Community, type ForumSpec, type SizeSpec } from './model.js';
import { startServer, type RequestLogEntry } from './server.js';
import { startSocksServer, type SocksRequestLog } from './socks.js';

export { GroundTruth, GROUND_TRUTH_FORMAT } from './ground-truth.js';
export { HOSTILE_MODES, parseHostileList, type HostileMode } from './hostile.js';
export { DEFAULT_FORUMS, ENGINES, SIZES, type Engine, type ForumSpec } from './model.js';

export interface SimulatorOptions {
  readonly seed?: number | undefined;
  /** 0 picks a free port. */
  readonly port?: number | undefined;
  /** Which forums to serve: slugs or engine names from the defaults, or full specs. */
  readonly forums?: readonly (string | ForumSpec)[] | undefined;
  readonly size?: keyof typeof SIZES | SizeSpec | undefined;
  readonly keyActors?: number | undefined;
  readonly hostile?: readonly HostileMode[] | undefined;
  readonly hostileOptions?: Partial<HostileOptions> | undefined;
  /** Also serve every forum as a .onion site through a local SOCKS5 proxy (the Tor path). */
  readonly socks?: boolean | { readonly port?: number } | undefined;
  readonly sessionMaxRequests?: number | undefined;
  readonly gzip?: boolean | undefined;
  /** Write the ground truth JSON here. */
  readonly out?: string | undefined;
  /** The simulated present (ms); default: now. */
  readonly now?: number | undefined;
}

export interface ForumEndpoint {
  readonly slug: string;
  readonly engine: string;
  readonly language: string;
  readonly url: string;
  readonly onionUrl: string;
  readonly login: { readonly username: string; readonly password: string };
}

/**
 * A crawl config for one simulated forum, shaped like the crawler's SiteConfig input (kept
 * structural so the simulator does not depend on the crawler).
 */
export interface SimulatedSiteConfig {
  readonly name: string;
  readonly url: string;
  readonly language: string;
  readonly timezone: string;
  readonly network: { readonly proxy?: string; readonly allowPrivateAddresses: boolean };
  readonly politeness: { readonly concurrency: number; readonly delayMs: number; readonly jitterMs: number };
  readonly auth: { readonly username: string; readonly password: string };
}

export interface Simulator {
  readonly url: string;
  readonly port: number;
  readonly socksPort: number | undefined;
  readonly forums: readonly ForumEndpoint[];
  readonly community: Community;
  readonly requestLog: RequestLogEntry[];
  readonly socksLog: SocksRequestLog[];
  readonly stats: { requests: number; bytes: number; notModified: number; logins: number };
  groundTruth(): GroundTruth;
  /**
   * Ready-made crawl configs for every forum (what `threatminer demo` crawls). The loopback
   * allowance is explicit here; with `onion: true` (and the simulator started with `socks`)
   * they point at the .onion addresses through the SOCKS proxy instead.
   */
  siteConfigs(options?: { readonly onion?: boolean; readonly delayMs?: number; readonly concurrency?: number }): SimulatedSiteConfig[];
  /** Append a reply to a thread (the simulated community keeps talking); returns its external id. */
  addReply(forumSlug: string, threadId?: number): string;
  close(): Promise<void>;
}

function resolveForums(list: SimulatorOptions['forums']): ForumSpec[] {
  if (list === undefined) return [...DEFAULT_FORUMS];
  return list.map((f) => {
    if (typeof f !== 'string') return f;
    const spec = DEFAULT_FORUMS.find((d) => d.slug === f || d.engine === f);
    if (spec === undefined) throw new Error(`unknown simulated forum "${f}" (known: ${DEFAULT_FORUMS.map((d) => `${d.slug}/${d.engine}`).join(', ')})`);
    return spec;
  });
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const now = minuteFloor(options.now ?? Date.now());
  const size = typeof options.size === 'string' ? SIZES[options.size] : (options.size ?? SIZES.small);
  const community = generateCommunity({ seed, now, forums: resolveForums(options.forums), size, keyActors: options.keyActors });
  const server = await startServer({
    community,
    port: options.port ?? 0,
    hostile: new Set(options.hostile ?? []),
    hostileOptions: options.hostileOptions,
    sessionMaxRequests: options.sessionMaxRequests,
    gzip: options.gzip,
  });
  const url = `http://127.0.0.1:${server.port}`;
  let socks: Awaited<ReturnType<typeof startSocksServer>> | undefined;
  if (options.socks) {
    const routes = new Map(community.forums.map((f) => [f.onionHost, server.port]));
    socks = await startSocksServer({ port: typeof options.socks === 'object' ? options.socks.port : 0, routes });
  }
  const forumUrl = (slug: string): string => `${url}/${slug}/`;
  const onionUrl = (slug: string): string => `http://${community.forums.find((f) => f.spec.slug === slug)!.onionHost}/${slug}/`;
  const groundTruth = (): GroundTruth => buildGroundTruth(community, forumUrl, onionUrl);
  const writeTruth = (): void => {
    if (options.out === undefined) return;
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, JSON.stringify(groundTruth(), null, 2));
  };
  writeTruth();
  let nextReply = 0;
  return {
    url,
    port: server.port,
    socksPort: socks?.port,
    forums: community.forums.map((f) => ({ slug: f.spec.slug, engine: f.spec.engine, language: f.spec.language, url: forumUrl(f.spec.slug), onionUrl: onionUrl(f.spec.slug), login: f.login })),
    community,
    requestLog: server.log,
    socksLog: socks?.log ?? [],
    stats: server.stats,
    groundTruth,
    siteConfigs(opts = {}) {
      return community.forums.map((f) => {
        const onion = opts.onion === true && socks !== undefined;
        const off = f.spec.utcOffsetMinutes;
        const tz = `${off < 0 ? '-' : '+'}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;
        return {
          name: f.spec.slug,
          url: onion ? onionUrl(f.spec.slug) : forumUrl(f.spec.slug),
          language: f.spec.language,
          timezone: tz,
          network: onion ? { proxy: `socks5h://127.0.0.1:${socks!.port}`, allowPrivateAddresses: false } : { allowPrivateAddresses: true },
          politeness: { concurrency: opts.concurrency ?? 2, delayMs: opts.delayMs ?? 0, jitterMs: 0 },
          auth: { ...f.login },
        };
      });
    },
    addReply(forumSlug, threadId) {
      const forum = community.forums.find((f) => f.spec.slug === forumSlug);
      if (forum === undefined) throw new Error(`unknown forum ${forumSlug}`);
      const threads = forum.boards.flatMap((b) => b.threads);
      const thread = threadId === undefined ? threads[0] : threads.find((t) => t.id === threadId);
      if (thread === undefined) throw new Error(`unknown thread ${threadId ?? ''}`);
      const author = forum.authors[nextReply++ % forum.authors.length]!;
      const last = thread.posts[thread.posts.length - 1]!;
      const maxId = Math.max(...forum.boards.flatMap((b) => b.threads.flatMap((t) => t.posts.map((p) => p.id))));
      const post = { id: maxId + 1, number: thread.posts.length + 1, authorId: author.userId, postedAt: minuteFloor(Date.now() - 60_000), text: { paragraphs: [`Follow-up ${nextReply}: still works.`], indicators: [] }, quotes: [last], replyTo: last };
      thread.posts.push(post);
      author.postCount++;
      writeTruth();
      return forum.spec.engine === 'discourse' ? `${thread.id}/${post.number}` : String(post.id);
    },
    async close() {
      await socks?.close();
      await server.close();
    },
  };
}
