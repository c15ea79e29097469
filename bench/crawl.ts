/**
 * npm run bench:crawl — crawler throughput on loopback against the forum simulator.
 *
 * The simulator runs in a child process; the crawler runs here under the V8 CPU profiler. The
 * baseline, measured in the same run, is a fetch-only pass over exactly the URLs the crawl
 * visited (same HTTP client, same concurrency, no parsing, no storing), so the ratio says what
 * parsing + storing cost on top of moving the bytes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { crawlSite, type CrawlSummary } from '../src/collect/crawler/index.js';
import { HttpClient } from '../src/collect/crawler/http.js';
import { openStore } from '../src/store/index.js';

const SIZE = process.env.BENCH_SIZE ?? 'medium';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

interface SimInfo {
  url: string;
  forums: { slug: string; engine: string; language: string; url: string; login: { username: string; password: string } }[];
  posts: number;
}

const child = spawn(process.execPath, ['--import', 'tsx', 'bench/crawl/sim-server.ts', '1', SIZE], { stdio: ['ignore', 'pipe', 'inherit'] });
const info = await new Promise<SimInfo>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as SimInfo));
});
const offsets: Record<string, string> = { en: 'UTC', ru: '+03:00', zh: '+08:00' };
const dir = mkdtempSync(join(tmpdir(), 'tm-bench-crawl-'));
const store = await openStore({ url: join(dir, 'bench.db') });

// BENCH_PROFILE=0 measures without the profiler's own overhead.
const profiling = process.env.BENCH_PROFILE !== '0';
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 1000 });
if (profiling) await session.post('Profiler.start');
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const summaries: CrawlSummary[] = [];
for (const f of info.forums) {
  summaries.push(
    await crawlSite(
      {
        name: f.slug,
        url: f.url,
        language: f.language,
        timezone: f.slug === 'shadowbay' ? '-05:00' : (offsets[f.language] ?? 'UTC'),
        network: { allowPrivateAddresses: true },
        politeness: { concurrency: CONCURRENCY, delayMs: 0, jitterMs: 0, respectRobots: false },
        auth: { username: f.login.username, password: f.login.password },
      },
      store,
    ),
  );
}
const crawlMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const crawlCpuMs = (cpu.user + cpu.system) / 1000;
const { profile } = profiling ? await session.post('Profiler.stop') : { profile: { nodes: [], samples: [], timeDeltas: [] } };
if (process.env.BENCH_PROFILE_OUT) (await import('node:fs')).writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(profile));
session.disconnect();

// Baseline: fetch-only over the same URLs with the same client settings.
const urls = (await store.db.selectFrom('crawl_frontier' as never).select(['url' as never]).where('state' as never, '=', 'done' as never).execute()) as { url: string }[];
const client = new HttpClient({ allowPrivateAddresses: true, userAgent: 'bench', maxBodyBytes: 8 << 20, maxDecompressedBytes: 32 << 20, timeoutMs: 30_000, maxRedirects: 5, connections: CONCURRENCY });
const cpu1 = process.cpuUsage();
const t1 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < urls.length) {
      const u = urls[next++]!.url;
      await client.fetch(u).catch(() => undefined);
    }
  }),
);
const fetchMs = performance.now() - t1;
const fetchCpu = process.cpuUsage(cpu1);
const fetchCpuMs = (fetchCpu.user + fetchCpu.system) / 1000;
await client.close();
await store.close();
child.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });

const pages = summaries.reduce((n, s) => n + s.pages, 0);
const posts = summaries.reduce((n, s) => n + s.posts, 0);
const crawlRate = pages / (crawlMs / 1000);
const fetchRate = urls.length / (fetchMs / 1000);
const rows: [string, string][] = [
  ['simulated forums / posts', `${info.forums.length} / ${info.posts}`],
  ['pages fetched+parsed+stored', String(pages)],
  ['posts parsed+stored', String(posts)],
  ['crawl wall time', `${(crawlMs / 1000).toFixed(2)} s`],
  ['  of which committing posts (store.ingest)', `${(summaries.reduce((n, s) => n + s.ingestMs, 0) / 1000).toFixed(2)} s`],
  ['  of which committing frontier rows', `${(summaries.reduce((n, s) => n + s.frontierMs, 0) / 1000).toFixed(2)} s`],
  ['crawler pages/s', crawlRate.toFixed(1)],
  ['crawler posts/s', (posts / (crawlMs / 1000)).toFixed(1)],
  ['baseline fetch-only pages/s (same URLs)', fetchRate.toFixed(1)],
  ['ratio crawler / fetch-only (wall)', (crawlRate / fetchRate).toFixed(2)],
  // CPU-time figures do not depend on how busy the machine is (others' jobs, the simulator).
  ['crawler CPU per page', `${(crawlCpuMs / pages).toFixed(2)} ms${profiling ? ' (incl. profiler)' : ''}`],
  ['crawler pages per CPU-second', (pages / (crawlCpuMs / 1000)).toFixed(1)],
  ['fetch-only pages per CPU-second', (urls.length / (fetchCpuMs / 1000)).toFixed(1)],
  ['ratio per CPU-second crawler / fetch-only', (pages / crawlCpuMs / (urls.length / fetchCpuMs)).toFixed(2)],
  ['load average (1 min) during run', (await import('node:os')).loadavg()[0]!.toFixed(1)],
  ['target ≥200 pages/s (wall)', crawlRate >= 200 ? 'met' : 'NOT met'],
];
console.log(`\nbench:crawl — size ${SIZE}, concurrency ${CONCURRENCY}, loopback, SQLite file store\n`);
console.log('| measure | value |\n|---|---|');
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);

// CPU profile: self time by component.
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const p = profile as unknown as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const selfUs = new Map<number, number>();
p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const byComponent = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
for (const node of p.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  total += us;
  const url = node.callFrame.url;
  let component: string;
  if (url === '') component = node.callFrame.functionName.startsWith('(') ? node.callFrame.functionName : 'native/V8';
  else if (url.includes('/node_modules/')) component = url.split('/node_modules/').pop()!.split('/').slice(0, url.includes('/node_modules/@') ? 2 : 1).join('/');
  else if (url.includes('/src/')) component = `src/${url.split('/src/').pop()!.split('/').slice(0, 2).join('/')}`;
  else if (url.startsWith('node:')) component = url.split('/').slice(0, 2).join('/');
  else component = 'other';
  byComponent.set(component, (byComponent.get(component) ?? 0) + us);
  const fn = `${node.callFrame.functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
}
const top = (m: Map<string, number>, n: number): [string, number][] => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
console.log(`\nCPU profile of the crawler process (${(total / 1000).toFixed(0)} ms sampled over ${(crawlMs / 1000).toFixed(1)} s wall)\n`);
console.log('| component | self ms | share |\n|---|---|---|');
for (const [k, us] of top(byComponent, 14)) console.log(`| ${k} | ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)}% |`);
console.log('\n| hottest functions | self ms |\n|---|---|');
for (const [k, us] of top(byFunction, 10)) console.log(`| ${k} | ${(us / 1000).toFixed(0)} |`);
