import robotsParserModule from 'robots-parser';
import { UserError } from '../../core/errors.js';
import { contentHash, stableId } from '../../core/ids.js';
import { ForumRecord } from '../../core/records.js';
import type { Store } from '../../store/index.js';
import { parseSiteConfig, type ResolvedSite, type SiteConfigInput } from './config.js';
import { CookieJar } from './cookies.js';
import { normaliseDate, type DateContext } from './dates.js';
import {
  detectEngine, extractBoard, extractIndex, extractProfile, extractThread, findLoginForm, needsLogin, parseHtml,
  ProfileMismatchError, showsLoginForm, type Doc, type ThreadPage,
} from './extract.js';
import { Frontier, type FrontierRow, type NewLink } from './frontier.js';
import { FetchError, HttpClient, type ErrorKind, type FetchResult } from './http.js';
import { backoffMs, HostGate, sleep } from './politeness.js';
import { BUILTIN_PROFILES } from './profiles/builtin.js';
import type { EngineProfile } from './profiles/types.js';
import { checkScope, defaultInclude, normaliseUrl, type ScopeRules } from './scope.js';

export interface CrawlProgress {
  readonly pages: number;
  readonly notModified: number;
  readonly posts: number;
  readonly queued: number;
  readonly errors: number;
  readonly lastUrl: string;
}

export interface CrawlSummary {
  readonly site: string;
  readonly profile: string;
  mode: 'fresh' | 'resume' | 'incremental';
  /** Pages fetched with a full response. */
  pages: number;
  /** Conditional requests answered 304 (unchanged since the last crawl). */
  notModified: number;
  /** Posts parsed and handed to the store. */
  posts: number;
  postsInserted: number;
  postsUpdated: number;
  postsUnchanged: number;
  newAuthors: number;
  profiles: number;
  logins: number;
  bytes: number;
  /** Wall time spent committing batches (posts via store.ingest, then frontier rows). */
  ingestMs: number;
  frontierMs: number;
  errors: Partial<Record<ErrorKind, number>>;
  durationMs: number;
  stoppedBy: 'complete' | 'max-pages' | 'max-duration' | 'signal';
  frontier: { pending: number; done: number; failed: number; rejected: number };
}

export interface CrawlOptions {
  readonly onProgress?: ((p: CrawlProgress) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Hooks for tests and benchmarks: called after each page is fully stored. */
  readonly onPageStored?: ((url: string) => void) | undefined;
}

/**
 * Crawls one site into the store: resumes or continues (incrementally) what the frontier holds,
 * politely, and returns a summary. Errors on individual pages are counted by kind and never stop
 * the crawl; a profile that no longer matches the site does (it would only produce noise).
 */
export async function crawlSite(site: ResolvedSite | SiteConfigInput, store: Store, options: CrawlOptions = {}): Promise<CrawlSummary> {
  const resolved: ResolvedSite = 'config' in site && 'baseDir' in site ? site : parseSiteConfig(site, 'site config');
  const crawler = new Crawler(resolved, store, options);
  return crawler.run();
}

const PROFILE_LIST = Object.values(BUILTIN_PROFILES);

// The store's id rules (STORE-CONTRACT): site = stableId('s', site), author = stableId('a', site, lower(handle)).
const siteIdOf = (site: string): string => stableId('s', site);
const authorIdOf = (site: string, handle: string): string => stableId('a', site, handle.toLowerCase());

interface Robots {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}
// robots-parser is CommonJS (`module.exports = fn`); its typings do not survive NodeNext.
const robotsParser = robotsParserModule as unknown as (url: string, contents: string) => Robots;

class Crawler {
  private readonly config;
  private readonly client: HttpClient;
  private readonly gate: HostGate;
  private readonly jar: CookieJar;
  private readonly frontier: Frontier;
  private readonly siteId: string;
  private readonly scope: ScopeRules;
  private readonly started = Date.now();
  private profile: EngineProfile | undefined;
  private robots: Robots | undefined;
  private readonly queue: FrontierRow[] = [];
  private readonly inFlight = new Set<string>();
  private readonly delayed = new Set<string>();
  private readonly seenLinks = new Set<string>();
  private readonly chainSeen = new Map<string, Set<string>>();
  private readonly chainLength = new Map<string, number>();
  private loginPromise: Promise<void> | undefined;
  private consecutiveLoginFailures = 0;
  private mismatches = 0;
  private mismatchError: ProfileMismatchError | undefined;
  private successes = 0;
  private stop: CrawlSummary['stoppedBy'] | undefined;
  private refilling: Promise<void> | undefined;
  /** Workers waiting for another page to finish (it may reveal new links). */
  private idleWaiters: (() => void)[] = [];
  private readonly summary: CrawlSummary;

  constructor(
    private readonly site: ResolvedSite,
    private readonly store: Store,
    private readonly options: CrawlOptions,
  ) {
    this.config = site.config;
    const c = this.config;
    this.siteId = siteIdOf(c.name);
    this.profile = site.profile;
    this.scope = {
      include: c.scope.include ?? [defaultInclude(c.url)],
      exclude: c.scope.exclude,
      stripParams: c.scope.stripParams,
      maxUrlLength: c.limits.maxUrlLength,
    };
    this.client = new HttpClient({
      proxy: c.network.proxy,
      allowPrivateAddresses: c.network.allowPrivateAddresses,
      userAgent: c.userAgent,
      maxBodyBytes: c.limits.maxPageBytes,
      maxDecompressedBytes: c.limits.maxDecompressedBytes,
      timeoutMs: c.limits.requestTimeoutMs,
      maxRedirects: c.limits.maxRedirects,
      connections: c.politeness.concurrency,
      allowRedirect: (url) => {
        const n = normaliseUrl(url, this.scope.stripParams);
        return n !== undefined && checkScope(n, this.scope) === 'ok';
      },
    });
    this.gate = new HostGate(c.politeness.concurrency, c.politeness.delayMs, c.politeness.jitterMs);
    this.jar = c.auth !== undefined && 'cookieJar' in c.auth ? CookieJar.fromFile(new URL(c.auth.cookieJar, `file://${site.baseDir}/`).pathname) : new CookieJar();
    this.frontier = new Frontier(store.db as unknown as import('kysely').Kysely<unknown>, this.siteId);
    this.summary = {
      site: c.name,
      profile: this.profile?.version ?? 'auto',
      mode: 'fresh',
      pages: 0,
      notModified: 0,
      posts: 0,
      postsInserted: 0,
      postsUpdated: 0,
      postsUnchanged: 0,
      newAuthors: 0,
      profiles: 0,
      logins: 0,
      bytes: 0,
      ingestMs: 0,
      frontierMs: 0,
      errors: {},
      durationMs: 0,
      stoppedBy: 'complete',
      frontier: { pending: 0, done: 0, failed: 0, rejected: 0 },
    };
  }

  private get dateContext(): DateContext {
    return { now: new Date(), timezone: this.config.timezone, dateOrder: this.config.dateOrder ?? (this.config.language === undefined || this.config.language === 'en' ? 'mdy' : 'dmy') };
  }

  async run(): Promise<CrawlSummary> {
    const start = normaliseUrl(this.config.url, this.scope.stripParams);
    if (start === undefined) throw new UserError(`site ${this.config.name}: invalid start URL ${this.config.url}`);
    const authorsBefore = await this.countAuthors();
    try {
      if (this.config.politeness.respectRobots) await this.loadRobots(start);
      if (this.profile === undefined) await this.detect(start);
      this.summary.mode = await this.frontier.begin(start);
      (this.summary as { profile: string }).profile = this.profile!.version;
      if (this.config.auth !== undefined && 'username' in this.config.auth) await this.login();
      const workers = Array.from({ length: this.config.politeness.concurrency }, () => this.worker());
      await Promise.all(workers);
      await this.flush();
      if (this.writeError !== undefined) throw this.writeError;
      if (this.mismatchError !== undefined) throw this.mismatchError;
    } finally {
      await this.client.close();
    }
    this.summary.newAuthors = (await this.countAuthors()) - authorsBefore;
    this.summary.frontier = await this.frontier.counts();
    this.summary.durationMs = Date.now() - this.started;
    this.summary.stoppedBy = this.stop ?? 'complete';
    return this.summary;
  }

  private async countAuthors(): Promise<number> {
    const row = await this.store.db.selectFrom('authors').select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', '=', this.siteId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  private error(kind: ErrorKind): void {
    this.summary.errors[kind] = (this.summary.errors[kind] ?? 0) + 1;
  }

  private async loadRobots(start: string): Promise<void> {
    const robotsUrl = new URL('/robots.txt', start).href;
    try {
      const res = await this.fetchRetrying(robotsUrl, {});
      // A missing robots.txt (4xx) allows everything, by the robots exclusion standard.
      this.robots = robotsParser(robotsUrl, res.status === 200 ? res.body : '');
      // Crawl-delay (seconds) can only slow us down, and is capped so a hostile value cannot stall a run.
      const crawlDelay = this.robots.getCrawlDelay(this.config.userAgent);
      if (crawlDelay !== undefined && Number.isFinite(crawlDelay) && crawlDelay > 0) this.gate.atLeast(Math.min(crawlDelay, 60) * 1000);
    } catch {
      this.robots = robotsParser(robotsUrl, '');
    }
  }

  private async detect(start: string): Promise<void> {
    let res: FetchResult;
    try {
      res = await this.fetchRetrying(start, {});
    } catch (err) {
      throw new UserError(`site ${this.config.name}: cannot fetch the start page ${start} to detect the engine: ${(err as Error).message}`, { cause: err });
    }
    const doc = parseHtml(res.body);
    const found = detectEngine(doc, res.body, PROFILE_LIST);
    if (found === undefined) {
      throw new UserError(`site ${this.config.name}: could not detect the forum engine at ${start} (known: ${Object.keys(BUILTIN_PROFILES).join(', ')}); set "engine:" or give a custom "profile:" in the site config`);
    }
    this.profile = found;
  }

  private async login(): Promise<void> {
    this.loginPromise ??= this.doLogin().finally(() => {
      this.loginPromise = undefined;
    });
    return this.loginPromise;
  }

  private async doLogin(): Promise<void> {
    const auth = this.config.auth;
    if (auth === undefined || !('username' in auth)) return;
    const profile = this.profile!;
    const loginUrl = new URL(profile.login.page, this.config.url).href;
    try {
      const page = await this.fetchRetrying(loginUrl, {});
      const form = findLoginForm(parseHtml(page.body), profile, page.url);
      if (form === undefined) throw new FetchError('login-failed', `no login form (selector "${profile.login.form}") at ${loginUrl}`, false);
      const fields = form.fields.filter(([name]) => name !== profile.login.username && name !== profile.login.password);
      fields.push([profile.login.username, auth.username], [profile.login.password, auth.password]);
      const result = await this.fetchRetrying(form.action, { method: 'POST', form: fields, referer: loginUrl });
      if (result.status >= 400 || showsLoginForm(parseHtml(result.body), profile)) {
        throw new FetchError('login-failed', `login as ${auth.username} at ${form.action} was refused (HTTP ${result.status})`, false);
      }
      this.summary.logins++;
      this.consecutiveLoginFailures = 0;
    } catch (err) {
      this.consecutiveLoginFailures++;
      this.error('login-failed');
      throw err;
    }
  }

  /** For the requests around the crawl (robots, detection, login): polite, with retries. */
  private async fetchRetrying(url: string, opts: Omit<import('./http.js').FetchOptions, 'jar'>): Promise<FetchResult> {
    for (let attempt = 1; ; attempt++) {
      const release = await this.gate.acquire();
      try {
        return await this.client.fetch(url, { ...opts, jar: this.jar });
      } catch (err) {
        if (!(err instanceof FetchError) || !err.retryable || attempt > this.config.politeness.maxRetries) throw err;
        this.error(err.kind);
        if (err.retryAfterMs !== undefined) this.gate.pause(Math.min(err.retryAfterMs, this.config.politeness.backoffMaxMs));
        await sleep(err.retryAfterMs ?? backoffMs(attempt, this.config.politeness.backoffBaseMs, this.config.politeness.backoffMaxMs));
      } finally {
        release();
      }
    }
  }

  private shouldStop(): boolean {
    if (this.stop !== undefined) return true;
    if (this.options.signal?.aborted) this.stop = 'signal';
    else if (this.summary.pages + this.summary.notModified >= this.config.limits.maxPages) this.stop = 'max-pages';
    else if (this.config.limits.maxDurationSec > 0 && Date.now() - this.started > this.config.limits.maxDurationSec * 1000) this.stop = 'max-duration';
    return this.stop !== undefined;
  }

  private async next(): Promise<FrontierRow | undefined> {
    for (;;) {
      if (this.shouldStop()) return undefined;
      const row = this.queue.shift();
      if (row !== undefined) return row;
      if (this.refilling === undefined) {
        this.refilling = (async () => {
          const exclude = new Set([...this.inFlight, ...this.delayed]);
          const rows = await this.frontier.claim(64, exclude);
          this.queue.push(...rows);
        })().finally(() => {
          this.refilling = undefined;
        });
      }
      await this.refilling;
      if (this.queue.length > 0) continue;
      // Nothing pending in the store: done, unless other workers may still discover pages or
      // a retry is waiting out its backoff.
      if (this.inFlight.size === 0 && this.delayed.size === 0) return undefined;
      await new Promise<void>((resolve) => {
        this.idleWaiters.push(resolve);
        // Retries wake themselves up through the queue; poll as a backstop.
        setTimeout(resolve, 50).unref?.();
      });
    }
  }

  private async worker(): Promise<void> {
    for (;;) {
      const row = await this.next();
      if (row === undefined) return;
      this.inFlight.add(row.url);
      let handedOff = false;
      try {
        handedOff = await this.process(row);
      } finally {
        // A page handed to the write batcher stays in flight until its batch is committed.
        if (!handedOff) this.settled(row.url);
      }
    }
  }

  private settled(url: string): void {
    this.inFlight.delete(url);
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Write batching: parsed pages queue here and are committed together — their posts in one
   * store.ingest() transaction, then their frontier rows (done + discovered links) in one more.
   * A page counts as done only after both commit, so a crash loses nothing; it only means a few
   * pages are fetched again.
   */
  private readonly batch: { url: string; status: number; etag?: string | undefined; lastModified?: string | undefined; contentHash?: string | undefined; links: NewLink[]; records: ForumRecord[] }[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private writeError: unknown;
  private static readonly BATCH_PAGES = 16;
  private static readonly BATCH_DELAY_MS = 25;

  private async submit(item: Crawler['batch'][number]): Promise<void> {
    if (this.writeError !== undefined) throw this.writeError;
    this.batch.push(item);
    if (this.batch.length >= Crawler.BATCH_PAGES) this.flush();
    else this.batchTimer ??= setTimeout(() => this.flush(), Crawler.BATCH_DELAY_MS);
    // Backpressure: do not run further ahead of the database than one batch.
    if (this.batch.length >= Crawler.BATCH_PAGES) await this.flushing;
  }

  private flush(): Promise<void> {
    if (this.batchTimer !== undefined) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    const items = this.batch.splice(0);
    if (items.length === 0) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      try {
        const records = items.flatMap((i) => i.records);
        const t0 = performance.now();
        if (records.length > 0) {
          const result = await this.store.ingest(records);
          this.summary.posts += records.length;
          this.summary.postsInserted += result.inserted;
          this.summary.postsUpdated += result.updated;
          this.summary.postsUnchanged += result.unchanged;
        }
        const t1 = performance.now();
        await this.frontier.completeMany(items);
        this.summary.ingestMs += t1 - t0;
        this.summary.frontierMs += performance.now() - t1;
        for (const i of items) this.options.onPageStored?.(i.url);
      } catch (err) {
        this.writeError ??= err;
        this.stop ??= 'signal';
      } finally {
        for (const i of items) this.settled(i.url);
      }
    });
    return this.flushing;
  }

  private async process(row: FrontierRow): Promise<boolean> {
    const profile = this.profile!;
    // Rows from an earlier run whose URL the current config no longer covers (the site moved,
    // the scope changed) are retired, not fetched.
    if (checkScope(row.url, this.scope) !== 'ok') {
      this.error('out-of-scope');
      await this.frontier.fail(row.url, 'rejected', row.attempts, 'outside the scope of the current site config');
      return false;
    }
    if (this.robots !== undefined && this.robots.isAllowed(row.url, this.config.userAgent) === false) {
      this.error('robots-disallowed');
      await this.frontier.fail(row.url, 'rejected', row.attempts, 'disallowed by robots.txt');
      return false;
    }
    const release = await this.gate.acquire();
    let res: FetchResult;
    try {
      res = await this.client.fetch(row.url, { jar: this.jar, etag: row.etag ?? undefined, lastModified: row.lastModified ?? undefined });
    } catch (err) {
      release();
      await this.failed(row, err);
      return false;
    }
    release();
    this.summary.bytes += res.bytes;
    if (res.notModified) {
      this.summary.notModified++;
      await this.submit({ url: row.url, status: 304, links: [], records: [] });
      this.progress(row.url);
      return true;
    }
    let doc: Doc;
    try {
      doc = parseHtml(res.body);
    } catch (err) {
      await this.failed(row, new FetchError('network', `${row.url}: unparseable HTML: ${(err as Error).message}`, false));
      return false;
    }
    if ((row.kind === 'board' || row.kind === 'thread') && needsLogin(doc, res.status, profile)) {
      const auth = this.config.auth;
      if (auth !== undefined && 'username' in auth && this.consecutiveLoginFailures < 3) {
        // The session expired (or was never there): log in again and retry this page.
        try {
          await this.login();
        } catch {
          /* counted in doLogin; the retry below fails again and is recorded */
        }
        await this.failed(row, new FetchError('login-required', `${row.url}: needs a login`, this.consecutiveLoginFailures < 3));
        return false;
      }
      this.error('login-required');
      await this.frontier.fail(row.url, 'rejected', row.attempts, 'login required and no credentials configured', res.status);
      return false;
    }
    if (res.status >= 400) {
      await this.failed(row, new FetchError('http-4xx', `${row.url}: HTTP ${res.status}`, res.status === 408, res.status));
      return false;
    }
    this.summary.pages++;
    try {
      const { links, records } = await this.handle(row, doc, res);
      this.successes++;
      await this.submit({ url: row.url, status: res.status, etag: res.etag, lastModified: res.lastModified, contentHash: contentHash(res.body), links, records });
    } catch (err) {
      if (err instanceof ProfileMismatchError) {
        this.mismatches++;
        this.error('profile-mismatch');
        await this.frontier.fail(row.url, 'failed', row.attempts + 1, err.message, res.status);
        // One odd page is noise; a redesign breaks most pages. Stop then, naming the selector.
        if (this.mismatches >= 3 && this.mismatches > this.successes) {
          this.mismatchError ??= err;
          this.stop = 'signal';
        }
        return false;
      }
      throw err;
    }
    this.progress(row.url);
    return true;
  }

  private progress(url: string): void {
    this.options.onProgress?.({
      pages: this.summary.pages,
      notModified: this.summary.notModified,
      posts: this.summary.posts,
      queued: this.queue.length,
      errors: Object.values(this.summary.errors).reduce((a, b) => a + (b ?? 0), 0),
      lastUrl: url,
    });
  }

  private async failed(row: FrontierRow, err: unknown): Promise<void> {
    const e = err instanceof FetchError ? err : new FetchError('network', (err as Error)?.message ?? String(err), true);
    const attempts = row.attempts + 1;
    this.error(e.kind);
    if (e.retryAfterMs !== undefined) this.gate.pause(Math.min(e.retryAfterMs, this.config.politeness.backoffMaxMs));
    if (!e.retryable || attempts > this.config.politeness.maxRetries) {
      await this.frontier.fail(row.url, e.retryable ? 'failed' : 'rejected', attempts, `${e.kind}: ${e.message}`, e.status);
      return;
    }
    await this.frontier.fail(row.url, 'pending', attempts, `${e.kind}: ${e.message}`, e.status);
    const wait = e.retryAfterMs ?? backoffMs(attempts, this.config.politeness.backoffBaseMs, this.config.politeness.backoffMaxMs);
    this.delayed.add(row.url);
    setTimeout(() => {
      this.delayed.delete(row.url);
      this.queue.push({ ...row, attempts });
    }, Math.min(wait, this.config.politeness.backoffMaxMs)).unref?.();
  }

  /** Turns links found on a page into frontier rows, applying scope, depth and trap rules. */
  private link(raw: string, kind: NewLink['kind'], depth: number, extra: Partial<NewLink> = {}): NewLink | undefined {
    const url = normaliseUrl(raw, this.scope.stripParams);
    if (url === undefined) return undefined;
    const verdict = checkScope(url, this.scope);
    if (verdict !== 'ok') {
      if (verdict === 'trap') this.error('trap');
      return undefined;
    }
    if (depth > this.config.limits.maxDepth) return undefined;
    return { url, kind, depth, ...extra };
  }

  /** Follow a "next page" link unless the chain is a trap (too long, or repeating content). */
  private nextInChain(row: FrontierRow, next: string | undefined, fingerprint: string, empty: boolean): NewLink | undefined {
    if (next === undefined) return undefined;
    const group = row.groupKey ?? row.url;
    if (empty) {
      this.error('trap');
      return undefined;
    }
    const seen = this.chainSeen.get(group) ?? new Set<string>();
    this.chainSeen.set(group, seen);
    if (seen.has(fingerprint)) {
      this.error('trap');
      return undefined;
    }
    seen.add(fingerprint);
    const length = (this.chainLength.get(group) ?? 1) + 1;
    this.chainLength.set(group, length);
    if (length > this.config.limits.maxPagesPerChain) {
      this.error('trap');
      return undefined;
    }
    return this.link(next, row.kind, row.depth, { groupKey: group, board: row.board ?? undefined });
  }

  private async handle(row: FrontierRow, doc: Doc, res: FetchResult): Promise<{ links: NewLink[]; records: ForumRecord[] }> {
    const profile = this.profile!;
    const out: NewLink[] = [];
    let records: ForumRecord[] = [];
    const push = (l: NewLink | undefined): void => {
      if (l !== undefined) out.push(l);
    };
    const boardsWanted = this.config.scope.boards?.map((b) => b.toLowerCase());
    switch (row.kind) {
      case 'index': {
        for (const b of extractIndex(doc, profile, res.url)) {
          if (boardsWanted !== undefined && !boardsWanted.includes(b.text.toLowerCase())) continue;
          push(this.link(b.url, 'board', row.depth + 1, { board: b.text }));
        }
        return { links: out, records };
      }
      case 'board': {
        const page = extractBoard(doc, profile, res.url);
        for (const t of page.threads) {
          const l = this.link(t.url, 'thread', row.depth + 1, { board: row.board ?? undefined, hint: t.hint });
          if (l !== undefined) out.push({ ...l, groupKey: l.url });
        }
        for (const b of page.subBoards) push(this.link(b.url, 'board', row.depth + 1, { board: b.text }));
        const fingerprint = contentHash(...page.threads.map((t) => t.url));
        push(this.nextInChain(row, page.next, fingerprint, page.threads.length === 0 && page.subBoards.length === 0));
        return { links: out, records };
      }
      case 'thread': {
        let page: ThreadPage;
        try {
          page = extractThread(doc, profile, res.url);
        } catch (err) {
          // Past the last page of a thread (infinite pagination) is an empty page, not a redesign.
          if (err instanceof ProfileMismatchError && err.field === 'thread.post' && row.groupKey !== null && row.groupKey !== row.url) {
            this.error('trap');
            return { links: out, records };
          }
          throw err;
        }
        records = this.toRecords(row, page, res.url);
        for (const p of page.posts) {
          if (!this.config.profiles || p.authorUrl === undefined || this.seenLinks.has(p.authorUrl)) continue;
          this.seenLinks.add(p.authorUrl);
          push(this.link(p.authorUrl, 'profile', row.depth + 1));
        }
        push(this.nextInChain(row, page.next, contentHash(...page.posts.map((p) => p.postId)), page.posts.length === 0));
        return { links: out, records };
      }
      case 'profile': {
        const p = extractProfile(doc, profile, res.url);
        const joined = p.joinedRaw === undefined ? undefined : normaliseDate(p.joinedRaw, this.dateContext);
        const set: { reputation?: number; post_count?: number; joined_at?: string; profile_url: string } = { profile_url: res.url };
        if (p.reputation !== undefined) set.reputation = p.reputation;
        if (p.postCount !== undefined) set.post_count = p.postCount;
        if (joined !== undefined) set.joined_at = joined;
        await this.store.db.updateTable('authors').set(set).where('id', '=', authorIdOf(this.config.name, p.handle)).execute();
        this.summary.profiles++;
        return { links: out, records };
      }
    }
  }

  private toRecords(row: FrontierRow, page: ThreadPage, url: string): ForumRecord[] {
    const c = this.config;
    const ctx = this.dateContext;
    const network = new URL(c.url).hostname.endsWith('.onion') ? 'onion' : 'clear';
    const threadUrl = row.groupKey ?? url;
    const records: ForumRecord[] = [];
    for (const p of page.posts) {
      const posted = normaliseDate(p.dateRaw, ctx);
      const candidate = {
        site: c.name,
        site_url: c.url,
        site_engine: this.profile!.name,
        ...(c.language !== undefined ? { site_language: c.language } : {}),
        site_network: network,
        site_kind: c.kind,
        ...(page.board ?? row.board ? { board: (page.board ?? row.board)! } : {}),
        ...(page.boardParent !== undefined ? { board_parent: page.boardParent } : {}),
        thread_id: page.threadId,
        thread_title: page.title,
        thread_url: threadUrl,
        post_id: p.postId,
        author: p.author,
        ...(p.authorUrl !== undefined ? { author_profile_url: p.authorUrl } : {}),
        ...(p.authorPostCount !== undefined ? { author_post_count: p.authorPostCount } : {}),
        ...(posted !== undefined ? { posted_at: posted } : {}),
        posted_at_raw: p.dateRaw,
        body_text: p.bodyText,
        body_html: p.bodyHtml,
        quotes: p.quotes,
        // None of the supported engines marks a reply target except by quoting: the first quote is it.
        ...(p.quotes[0] !== undefined ? { reply_to: p.quotes[0] } : {}),
        code_blocks: p.code,
        url: `${url}#${p.postId}`,
      };
      const parsed = ForumRecord.safeParse(candidate);
      if (parsed.success) records.push(parsed.data);
      else this.error('invalid-record');
    }
    return records;
  }
}
