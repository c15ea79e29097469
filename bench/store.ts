/**
 * npm run bench:store [-- --posts N] [--queries N] [--skip-postgres]
 *
 * Import throughput (posts/s) and search latency (p50/p95) on N generated posts (default 1M),
 * SQLite and PostgreSQL side by side, with baselines measured in the same run:
 *   import baseline  = reading + JSON.parse + schema validation only (the ceiling for any store)
 *   search baseline  = a bare SQLite FTS5 MATCH … LIMIT 20 (no joins, filters or snippets)
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { importFile } from '../src/collect/import/import-file.js';
import { ForumRecord } from '../src/core/records.js';
import { openStore, type SearchParams, type Store } from '../src/store/index.js';
import { toFts5, parseQuery } from '../src/store/query.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const POSTS = arg('posts', 1_000_000);
const QUERIES = arg('queries', 200);
const skipPostgres = args.includes('--skip-postgres');
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// Deterministic generator: Zipf-distributed vocabulary like forum text, plus identifiers.
let seed = 42;
const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const WORDS = ['exploit', 'selling', 'price', 'access', 'shell', 'rdp', 'vpn', 'dump', 'database', 'botnet', 'loader', 'crypter', 'ransomware', 'stealer', 'logs', 'cards', 'cvv', 'fullz', 'bank', 'escrow', 'btc', 'monero', 'jabber', 'telegram', 'contact', 'pm', 'me', 'the', 'a', 'for', 'with', 'and', 'to', 'of', 'in', 'is', 'new', 'fresh', 'private', 'public', 'poc', 'rce', 'lpe', 'sqli', 'xss', 'bypass', 'edr', 'av', 'fud', 'panel', 'builder', 'source', 'code', 'tutorial', 'guide', 'how', 'working', 'tested', 'windows', 'linux', 'apache', 'nginx', 'wordpress', 'plugin', 'vulnerability', 'zero', 'day', 'leak', 'combo', 'list', 'email', 'password', 'hash', 'crack', 'proxy', 'socks', 'ddos', 'stresser', 'booter', 'layer7', 'cloudflare'];
for (let i = 0; i < 4000; i++) WORDS.push(`w${i.toString(36)}x`);
const zipf = () => WORDS[Math.min(WORDS.length - 1, Math.floor(Math.pow(random(), 2.2) * WORDS.length))]!;
const sentence = (n: number) => Array.from({ length: n }, zipf).join(' ');

async function generate(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++) {
    const record = {
      site: `forum${i % 8}`, board: `board${i % 40}`, thread_id: `t${Math.floor(i / 12)}`, thread_title: sentence(6),
      post_id: String(i), author: `user${Math.floor(Math.pow(random(), 3) * 50_000)}`,
      posted_at: new Date(Date.UTC(2020, 0, 1) + i * 90_000).toISOString(),
      body_text: `${sentence(25 + (i % 30))} CVE-20${20 + (i % 5)}-${1000 + (i % 9000)} ${sentence(10)}`,
      ...(i % 5 === 0 ? { quotes: [String(i - 1)] } : {}),
    };
    if (!out.write(`${JSON.stringify(record)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve) => out.end(resolve));
}

async function parseOnly(path: string): Promise<number> {
  const started = performance.now();
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(path) })) {
    if (ForumRecord.safeParse(JSON.parse(line)).success) n++;
  }
  return n / ((performance.now() - started) / 1000);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function queries(): SearchParams[] {
  const list: SearchParams[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const kind = i % 6;
    if (kind === 0) list.push({ q: WORDS[i % 80]! });
    else if (kind === 1) list.push({ q: `${WORDS[i % 80]} ${WORDS[(i * 7) % 80]}` });
    else if (kind === 2) list.push({ q: `"${WORDS[i % 40]} ${WORDS[(i + 1) % 40]}"` });
    else if (kind === 3) list.push({ q: WORDS[80 + (i * 13) % 4000]!, site: `forum${i % 8}` });
    else if (kind === 4) list.push({ q: `${WORDS[i % 80]} OR ${WORDS[80 + i]}`, since: '2021-01-01' });
    else list.push({ q: `cve-20${20 + (i % 5)}-${1000 + i}` });
  }
  return list;
}

async function measureSearch(store: Store): Promise<{ p50: number; p95: number }> {
  const timings: number[] = [];
  const list = queries();
  for (const params of list.slice(0, 10)) await store.search(params); // warm caches
  for (const params of list) {
    const started = performance.now();
    await store.search(params);
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  return { p50: percentile(timings, 50), p95: percentile(timings, 95) };
}

async function measureBareFts(store: Store): Promise<{ p50: number; p95: number }> {
  const timings: number[] = [];
  const db = await store.searchDb();
  for (const params of queries()) {
    const match = toFts5(parseQuery(params.q ?? ''));
    const started = performance.now();
    await sql`SELECT rowid FROM posts_fts WHERE posts_fts MATCH ${match} ORDER BY rank LIMIT 20`.execute(db);
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  return { p50: percentile(timings, 50), p95: percentile(timings, 95) };
}

const dir = mkdtempSync(join(tmpdir(), 'tm-bench-'));
const file = join(dir, 'posts.jsonl');
console.error(`generating ${POSTS} posts …`);
await generate(file, POSTS);
console.error(`  ${(statSync(file).size / 1e6).toFixed(0)} MB`);

const rows: string[][] = [];
console.error('baseline: read + parse + validate …');
const ceiling = await parseOnly(file);
rows.push(['baseline: read+parse+validate', POSTS.toString(), ceiling.toFixed(0), '1.00', '', '', '']);

let sqliteBare: { p50: number; p95: number } | null = null;
for (const dialect of ['sqlite', 'postgres'] as const) {
  if (dialect === 'postgres' && skipPostgres) continue;
  const schema = `tm_bench_${process.pid}`;
  const store = await openStore(dialect === 'sqlite' ? { url: join(dir, 'bench.db') } : { url: postgresUrl, schema });
  try {
    console.error(`${dialect}: importing …`);
    const summary = await importFile(store, file, { batchSize: 2000 });
    const rate = summary.inserted / summary.seconds;
    console.error(`${dialect}: searching …`);
    if (dialect === 'postgres') await sql`ANALYZE`.execute(store.db);
    const latency = await measureSearch(store);
    if (dialect === 'sqlite') sqliteBare = await measureBareFts(store);
    rows.push([`${dialect}: import + search`, summary.inserted.toString(), rate.toFixed(0), (rate / ceiling).toFixed(2), latency.p50.toFixed(1), latency.p95.toFixed(1), sqliteBare ? (latency.p95 / sqliteBare.p95).toFixed(2) : '']);
  } finally {
    if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
    await store.close();
  }
}
if (sqliteBare) rows.push(['baseline: bare FTS5 MATCH LIMIT 20', '', '', '', sqliteBare.p50.toFixed(1), sqliteBare.p95.toFixed(1), '1.00']);

const header = ['run', 'posts', 'posts/s', 'x ceiling', 'search p50 ms', 'search p95 ms', 'p95 x bare FTS'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`\nbench:store — ${POSTS} posts, ${QUERIES} queries, node ${process.version}, ${new Date().toISOString()}`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
console.log('\ntargets: SQLite import >= 20000 posts/s; search p95 < 50 ms at 1M posts');
rmSync(dir, { recursive: true, force: true });
