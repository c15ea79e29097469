import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { encodeWindows1251 } from './charset.js';
import { DEFAULT_HOSTILE, STAFF_BOARD, TRAP_BOARDS, type HostileMode, type HostileOptions } from './hostile.js';
import type { Community, SimBoard, SimForum } from './model.js';
import { renderers } from './render/index.js';
import type { RenderContext } from './render/common.js';
import type { Route } from './render/types.js';

/**
 * The simulator's HTTP server: every forum lives under its own path prefix (/<slug>/) on one
 * loopback port, rendered by its engine's renderer. Sessions, CSRF, ETags, gzip, robots.txt and
 * the hostile modes are handled here so the renderers only produce markup.
 */
export interface RequestLogEntry {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly status: number;
  readonly userAgent: string;
  readonly loggedIn: boolean;
}

export interface ServerOptions {
  readonly community: Community;
  readonly port: number;
  readonly hostile: ReadonlySet<HostileMode>;
  readonly hostileOptions?: Partial<HostileOptions> | undefined;
  /** A session cookie stops working after this many requests (to exercise re-login). */
  readonly sessionMaxRequests?: number | undefined;
  readonly gzip?: boolean | undefined;
  /** Keep at most this many entries in the request log (oldest dropped). */
  readonly logLimit?: number | undefined;
}

export interface SimServer {
  readonly server: http.Server;
  readonly port: number;
  readonly log: RequestLogEntry[];
  readonly stats: { requests: number; bytes: number; notModified: number; logins: number };
  close(): Promise<void>;
}

interface Session {
  readonly forum: string;
  requests: number;
}

/** Disallows each engine's URL of the staff board (id 905) and the search pages. */
const ROBOTS = `User-agent: *
Disallow: /*/search.php
Disallow: /*/search/
Disallow: /*/forums/staff.905/
Disallow: /*fid=905
Disallow: /*f=905
Disallow: /*/c/staff/905
`;

export async function startServer(options: ServerOptions): Promise<SimServer> {
  const hostile = { ...DEFAULT_HOSTILE, ...options.hostileOptions };
  const sessions = new Map<string, Session>();
  const csrf = new Map<string, string>(options.community.forums.map((f) => [f.spec.slug, createHash('sha256').update(`${options.community.seed}:${f.spec.slug}`).digest('hex').slice(0, 32)]));
  const log: RequestLogEntry[] = [];
  const stats = { requests: 0, bytes: 0, notModified: 0, logins: 0 };
  const logLimit = options.logLimit ?? 200_000;
  let bomb: Buffer | undefined;
  const sockets = new Set<import('node:net').Socket>();
  const charsets = new WeakMap<http.ServerResponse, 'windows-1251'>();

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    stats.requests++;
    const n = stats.requests;
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const cookies = parseCookies(req.headers.cookie);
    const record = (status: number, loggedIn = false): void => {
      if (log.length >= logLimit) log.shift();
      log.push({ method: req.method ?? 'GET', host: req.headers.host ?? '', path: url.pathname + url.search, status, userAgent: String(req.headers['user-agent'] ?? ''), loggedIn });
    };
    if (options.hostile.has('slow')) await sleep(hostile.slowMs);
    if (url.pathname === '/robots.txt') {
      record(200);
      return send(req, res, 200, ROBOTS, 'text/plain; charset=utf-8');
    }
    if (options.hostile.has('rate-limit') && n % hostile.rateLimitEvery === 0) {
      record(429);
      res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/html' });
      return void res.end('<h1>429 Too Many Requests</h1>');
    }
    if (options.hostile.has('server-errors') && n % hostile.errorEvery === 0) {
      record(503);
      res.writeHead(n % (hostile.errorEvery * 2) === 0 ? 500 : 503, { 'content-type': 'text/html' });
      return void res.end('<h1>Service Unavailable</h1>');
    }
    const [, slug = '', ...restParts] = url.pathname.split('/');
    const forum = options.community.forums.find((f) => f.spec.slug === slug);
    if (forum === undefined) {
      if (url.pathname === '/') {
        record(200);
        const list = options.community.forums.map((f) => `<li><a href="/${f.spec.slug}/">${f.spec.name}</a> (${f.spec.engine}, ${f.spec.language})</li>`).join('');
        return send(req, res, 200, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>threatminer simulator</title></head><body><ul>${list}</ul></body></html>`);
      }
      record(404);
      return send(req, res, 404, '<h1>Not found</h1>');
    }
    const path = `/${restParts.join('/')}`;
    const base = `/${slug}`;
    if (forum.spec.charset === 'windows-1251') charsets.set(res, 'windows-1251');
    const sessionId = cookies.get(`tm_sess_${slug}`);
    const session = sessionId === undefined ? undefined : sessions.get(sessionId);
    let loggedIn = false;
    if (session !== undefined && sessionId !== undefined) {
      session.requests++;
      if (options.sessionMaxRequests !== undefined && session.requests > options.sessionMaxRequests) sessions.delete(sessionId);
      else loggedIn = true;
    }

    if (path.startsWith('/_trap/')) return trap(req, res, path, base, record);

    const renderer = renderers[forum.spec.engine];
    const extraBoards: SimBoard[] = [staffBoard(forum), ...TRAP_BOARDS.filter((t) => options.hostile.has(t.mode)).map((t) => extraBoard(forum, t.id, t.slug))];
    const ctx: RenderContext = {
      community: options.community,
      forum,
      base,
      now: Date.now(),
      loggedIn,
      csrf: csrf.get(slug) ?? '',
      malformed: options.hostile.has('malformed'),
      infinitePagination: options.hostile.has('infinite-pagination'),
      extraBoards,
    };
    if (path === '/search.php' || path.startsWith('/search/')) {
      record(200, loggedIn);
      return send(req, res, 200, '<html><body>search results</body></html>');
    }
    const route = renderer.route(path, url.searchParams);
    if (route === undefined) {
      record(404, loggedIn);
      return send(req, res, 404, '<!DOCTYPE html><html><body><h1>Not found</h1></body></html>');
    }
    if (route.kind === 'login') {
      if (req.method === 'POST') {
        const form = new URLSearchParams(await readBody(req, 16_384));
        const f = renderer.loginFields;
        const expectedToken = forum.spec.engine === 'vbulletin' ? 'guest' : ctx.csrf;
        if (form.get(f.csrf) !== expectedToken) {
          record(400, loggedIn);
          return send(req, res, 400, renderer.login(ctx, 'Security error: the form token was missing or wrong.'));
        }
        if (form.get(f.username) !== forum.login.username || form.get(f.password) !== forum.login.password) {
          record(200, loggedIn);
          return send(req, res, 200, renderer.login(ctx, 'Incorrect username or password.'));
        }
        const id = randomBytes(16).toString('hex');
        sessions.set(id, { forum: slug, requests: 0 });
        stats.logins++;
        record(303, true);
        res.writeHead(303, { location: `${base}/`, 'set-cookie': `tm_sess_${slug}=${id}; Path=${base}; HttpOnly; SameSite=Lax` });
        return void res.end();
      }
      record(200, loggedIn);
      return send(req, res, 200, renderer.login(ctx));
    }
    if (route.kind === 'board') {
      const trapBoard = TRAP_BOARDS.find((t) => t.id === route.boardId && options.hostile.has(t.mode));
      if (trapBoard !== undefined) {
        const path = { slow: '/_trap/slow', huge: '/_trap/huge', bomb: '/_trap/bomb', 'redirect-loop': '/_trap/loop/a' }[trapBoard.mode as 'slow'];
        return trap(req, res, path, base, record);
      }
      if (route.boardId === STAFF_BOARD.id) {
        record(200, loggedIn);
        return send(req, res, 200, renderer.board(ctx, staffBoard(forum), 1));
      }
    }
    const page = resolve(forum, route);
    if (page === undefined) {
      record(404, loggedIn);
      return send(req, res, 404, '<!DOCTYPE html><html><body><h1>Not found</h1></body></html>');
    }
    if (page.loginRequired && !loggedIn) {
      record(renderer.noPermissionStatus, loggedIn);
      return send(req, res, renderer.noPermissionStatus, renderer.noPermission(ctx));
    }
    const html = page.render(ctx);
    if (html === undefined) {
      record(404, loggedIn);
      return send(req, res, 404, '<!DOCTYPE html><html><body><h1>Not found</h1></body></html>');
    }
    record(200, loggedIn);
    return send(req, res, 200, html);
  }

  function resolve(forum: SimForum, route: Exclude<Route, { kind: 'login' }>): { loginRequired: boolean; render: (ctx: RenderContext) => string | undefined } | undefined {
    const renderer = renderers[forum.spec.engine];
    switch (route.kind) {
      case 'index':
        return { loginRequired: false, render: (ctx) => renderer.index(ctx) };
      case 'board': {
        const board = forum.boards.find((b) => b.id === route.boardId);
        if (board === undefined || !(route.page >= 1)) return undefined;
        return {
          loginRequired: board.loginRequired,
          render: (ctx) => (route.page > pages(board.threads.length, 'board', forum) && !ctx.infinitePagination ? undefined : renderer.board(ctx, board, route.page)),
        };
      }
      case 'thread': {
        for (const board of forum.boards) {
          const thread = board.threads.find((t) => t.id === route.threadId);
          if (thread === undefined) continue;
          if (!(route.page >= 1)) return undefined;
          return {
            loginRequired: board.loginRequired,
            render: (ctx) => (route.page > pages(thread.posts.length, 'thread', forum) && !ctx.infinitePagination ? undefined : renderer.thread(ctx, thread, route.page)),
          };
        }
        return undefined;
      }
      case 'member': {
        const author = forum.authors[route.userId - 1];
        return author === undefined ? undefined : { loginRequired: false, render: (ctx) => renderer.member(ctx, author) };
      }
      case 'memberHandle': {
        const author = forum.authors.find((a) => a.handle === route.handle);
        return author === undefined ? undefined : { loginRequired: false, render: (ctx) => renderer.member(ctx, author) };
      }
    }
  }

  async function trap(req: http.IncomingMessage, res: http.ServerResponse, path: string, base: string, record: (s: number) => void): Promise<void> {
    if (path === '/_trap/slow' && options.hostile.has('slow')) {
      record(200);
      // Headers at once, then one byte a second: only a total-time cap stops this.
      res.writeHead(200, { 'content-type': 'text/html' });
      for (let i = 0; i < 120 && !res.destroyed; i++) {
        res.write(' ');
        await sleep(1000);
      }
      return void res.end();
    }
    if (path === '/_trap/huge' && options.hostile.has('huge')) {
      record(200);
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, '<p>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</p>\n');
      let sent = 0;
      while (sent < hostile.hugeBytes && !res.destroyed) {
        if (!res.write(chunk)) {
          await new Promise<void>((r) => {
            const done = (): void => {
              res.off('drain', done);
              res.off('close', done);
              r();
            };
            res.on('drain', done);
            res.on('close', done);
          });
        }
        sent += chunk.length;
      }
      return void res.end();
    }
    if (path === '/_trap/bomb' && options.hostile.has('bomb')) {
      record(200);
      bomb ??= gzipSync(Buffer.alloc(hostile.bombBytes, 0), { level: 9 });
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      return void res.end(bomb);
    }
    if (path.startsWith('/_trap/loop/') && options.hostile.has('redirect-loop')) {
      record(302);
      res.writeHead(302, { location: `${base}/_trap/loop/${path.endsWith('/a') ? 'b' : 'a'}` });
      return void res.end();
    }
    record(404);
    return send(req, res, 404, '<h1>Not found</h1>');
  }

  function send(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8'): void {
    const legacy = charsets.get(res) === 'windows-1251' && type.startsWith('text/html');
    const raw = legacy ? encodeWindows1251(body) : Buffer.from(body, 'utf8');
    if (legacy) type = 'text/html; charset=windows-1251';
    const etag = `"${createHash('sha1').update(raw).digest('base64url')}"`;
    if (status === 200 && req.headers['if-none-match'] === etag) {
      stats.notModified++;
      res.writeHead(304, { etag });
      return void res.end();
    }
    const gzip = options.gzip !== false && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && raw.length > 1024;
    const out = gzip ? gzipSync(raw, { level: 1 }) : raw;
    stats.bytes += out.length;
    res.writeHead(status, {
      'content-type': type,
      'content-length': String(out.length),
      etag,
      vary: 'Accept-Encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(out);
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolvePromise());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('simulator: no address');
  return {
    server,
    port: address.port,
    log,
    stats,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function extraBoard(forum: SimForum, id: number, slug: string): SimBoard {
  return { id, name: slug, slug, parentName: forum.spec.language === 'ru' ? 'Разное' : forum.spec.language === 'zh' ? '其他' : 'Misc', topics: [], loginRequired: false, threads: [] };
}

function staffBoard(forum: SimForum): SimBoard {
  return extraBoard(forum, STAFF_BOARD.id, STAFF_BOARD.slug);
}

function pages(items: number, kind: 'board' | 'thread', forum: SimForum): number {
  const per = kind === 'board' ? (forum.spec.engine === 'discourse' ? 30 : 20) : forum.spec.engine === 'xenforo' || forum.spec.engine === 'discourse' ? 20 : 10;
  return Math.max(1, Math.ceil(items / per));
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
