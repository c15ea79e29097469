import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import YAML from 'yaml';
import { InputError, UserError } from '../../core/errors.js';
import type { Store } from '../../store/index.js';
import {
  loadActorInput, parseActorsConfig, portrait, rankActors, resolveActor, runActorsJob, toGexf, toGraphml,
  type ActorsConfig, type Portrait,
} from '../../analyse/actors/index.js';
import { withStore, withStoreOptions, parseInteger, parseList, type StoreOptions } from '../context.js';
import { terminalSafe } from '../render.js';

/**
 * `threatminer actors …`: key-hacker ranking (rank), the ranked list (top), one actor's portrait
 * (show) and Gephi exports (graph). See docs/actors.md.
 */
async function loadWeights(file: string | undefined): Promise<ActorsConfig> {
  if (file === undefined) return parseActorsConfig({});
  const text = await readFile(file, 'utf8').catch((err: unknown) => {
    throw new InputError(file, `cannot read (${err instanceof Error ? err.message : String(err)})`);
  });
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (err) {
    throw new InputError(file, `not YAML/JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return parseActorsConfig(raw, file);
}

const fmt = (n: number, digits = 3): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

interface RankOptions extends StoreOptions { weights?: string; site?: string[]; aliases: boolean; json?: boolean }
interface TopOptions extends StoreOptions { site?: string[]; limit: number; json?: boolean }
interface GraphOptions extends StoreOptions { format: string; out?: string; top?: number; site?: string[]; weights?: string }

export function register(program: Command): void {
  const actors = program.command('actors').description('Key-hacker identification: rank actors, list the top, show a portrait, export the graph');

  withStoreOptions(actors.command('rank').description('Compute key-actor scores and alias candidates and write them to the store'))
    .option('--weights <file>', 'YAML/JSON file overriding score weights and graph options (see docs/actors.md)')
    .option('--site <names>', 'comma-separated site names or ids (default: all)', parseList)
    .option('--no-aliases', 'skip cross-forum alias candidates')
    .option('--json', 'print a JSON summary')
    .action(async (options: RankOptions) => {
      const config = await loadWeights(options.weights);
      await withStore(options, async (store) => {
        const job = await runActorsJob(store, { config, ...(options.site ? { sites: options.site } : {}), alias: options.aliases ? {} : false });
        const r = job.result;
        const summary = {
          authors: r.graph.order, edges: r.graph.size, interactions: r.graph.kindCounts, communities: r.metrics.communityCount,
          modularity: r.metrics.modularity, betweenness: r.metrics.betweennessMode, written: job.written,
          timingsMs: Object.fromEntries(Object.entries({ ...job.timingsMs, ...r.timingsMs }).map(([k, v]) => [k, Math.round(v)])),
        };
        if (options.json) {
          process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
          return;
        }
        process.stdout.write(`ranked ${summary.authors} authors over ${summary.edges} weighted edges; ${summary.communities} communities (modularity ${fmt(summary.modularity)}), betweenness ${summary.betweenness}\n`);
        process.stdout.write(`wrote ${job.written.scores} actor_scores rows and ${job.written.aliases} alias candidates in ${Math.round((job.timingsMs.load ?? 0) + (job.timingsMs.rank ?? 0) + (job.timingsMs.aliases ?? 0) + (job.timingsMs.write ?? 0))} ms\n`);
        process.stdout.write('run `threatminer actors top` to list them\n');
      });
    });

  withStoreOptions(actors.command('top').description('List the highest-scoring actors from the last `actors rank`'))
    .option('--site <names>', 'comma-separated site names or ids', parseList)
    .option('--limit <n>', 'how many', parseInteger('--limit', 1, 100_000), 20)
    .option('--json', 'print JSON (rows with the full breakdown)')
    .action(async (options: TopOptions) => {
      await withStore(options, async (store) => {
        const rows = await topActors(store, options.site, options.limit);
        if (rows.length === 0) throw new UserError('no actor scores in the store: run `threatminer actors rank` first');
        if (options.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        process.stdout.write('  #  site rank  site                 handle                   score  network content seniority reputation\n');
        rows.forEach((r, k) => {
          const g = groupsOf(r.breakdown);
          process.stdout.write(`${String(k + 1).padStart(3)} ${String(r.rank).padStart(10)}  ${terminalSafe(r.site).padEnd(20).slice(0, 20)} ${terminalSafe(r.handle).padEnd(24).slice(0, 24)} ${fmt(r.score)}  ${fmt(g.network)}   ${fmt(g.content)}   ${fmt(g.seniority)}     ${fmt(g.reputation)}\n`);
        });
        process.stdout.write('(group columns are contributions to the score; `actors show <site:handle>` explains one actor)\n');
      });
    });

  withStoreOptions(actors.command('show').description('Portrait of one actor').argument('<actor>', 'site:handle (site name or id) or an author id'))
    .option('--json', 'print the portrait as JSON')
    .action(async (ref: string, options: StoreOptions & { json?: boolean }) => {
      await withStore(options, async (store) => {
        const actor = await resolveActor(store, ref);
        if (!actor) throw new InputError(ref, 'no such actor (expected site:handle or an author id)');
        const p = await portrait(store, actor.id);
        if (!p) throw new InputError(ref, 'no such actor');
        process.stdout.write(options.json ? `${JSON.stringify(p, null, 2)}\n` : renderPortrait(p));
      });
    });

  withStoreOptions(actors.command('graph').description('Export the interaction graph with metrics for Gephi'))
    .requiredOption('--format <format>', 'gexf or graphml')
    .option('--out <file>', 'write here instead of stdout')
    .option('--top <n>', 'only the top N actors and the edges among them', parseInteger('--top', 1, 10_000_000))
    .option('--site <names>', 'comma-separated site names or ids', parseList)
    .option('--weights <file>', 'YAML/JSON weights file, as for `actors rank`')
    .action(async (options: GraphOptions) => {
      if (options.format !== 'gexf' && options.format !== 'graphml') throw new InputError('--format', `must be gexf or graphml, got "${options.format}"`);
      const config = await loadWeights(options.weights);
      await withStore(options, async (store) => {
        const input = await loadActorInput(store, options.site ? { sites: options.site } : {});
        const result = rankActors(input, config);
        const siteNames = new Map(input.sites.map((s) => [s.id, s.name]));
        const exportOptions = { siteNames, ...(options.top === undefined ? {} : { top: options.top }) };
        const xml = options.format === 'gexf' ? toGexf(result, exportOptions) : toGraphml(result, exportOptions);
        if (options.out) {
          await writeFile(options.out, xml);
          process.stderr.write(`wrote ${options.out} (${result.graph.order} authors, ${result.graph.size} edges before --top)\n`);
        } else process.stdout.write(xml);
      });
    });
}

interface TopRow { authorId: string; site: string; handle: string; score: number; rank: number; breakdown: unknown }

async function topActors(store: Store, sites: readonly string[] | undefined, limit: number): Promise<TopRow[]> {
  let query = store.db.selectFrom('actor_scores')
    .innerJoin('authors', 'authors.id', 'actor_scores.author_id')
    .innerJoin('sites', 'sites.id', 'actor_scores.site_id')
    .select(['actor_scores.author_id', 'sites.name', 'authors.handle', 'actor_scores.score', 'actor_scores.rank', 'actor_scores.breakdown']);
  if (sites && sites.length > 0) query = query.where((eb) => eb.or([eb('sites.name', 'in', sites), eb('sites.id', 'in', sites)]));
  const rows = await query.orderBy('actor_scores.score', 'desc').orderBy('actor_scores.author_id').limit(limit).execute();
  return rows.map((r) => ({
    authorId: r.author_id, site: r.name, handle: r.handle, score: Number(r.score), rank: Number(r.rank),
    breakdown: (() => { try { return JSON.parse(r.breakdown) as unknown; } catch { return null; } })(),
  }));
}

function groupsOf(breakdown: unknown): Record<'network' | 'content' | 'seniority' | 'reputation', number> {
  const out = { network: Number.NaN, content: Number.NaN, seniority: Number.NaN, reputation: Number.NaN };
  const groups = (breakdown as { groups?: Record<string, { contribution?: unknown }> } | null)?.groups;
  if (!groups) return out;
  for (const k of Object.keys(out) as (keyof typeof out)[]) {
    const c = groups[k]?.contribution;
    if (typeof c === 'number') out[k] = c;
  }
  return out;
}

function renderPortrait(p: Portrait): string {
  const s = terminalSafe;
  const lines: string[] = [];
  const a = p.actor;
  lines.push(`${s(a.handle)} @ ${s(a.siteName)}  (author ${a.id})`);
  lines.push(`  reputation ${a.reputation ?? '-'}, posts ${p.posts} (${p.threadsStarted} threads started), joined ${a.joinedAt ?? '-'}`);
  lines.push(`  first seen ${p.firstSeen ?? '-'}, last seen ${p.lastSeen ?? '-'}`);
  const sc = p.network.score;
  if (sc) {
    lines.push(`\nkey-actor score ${fmt(sc.score)} (rank ${sc.rank} on the site, computed ${sc.computedAt})`);
    const groups = (sc.breakdown as { groups?: Record<string, { weight: number; value: number; contribution: number; features: Record<string, { raw: number | null; normalised: number; weight: number }> }> } | null)?.groups ?? {};
    for (const [name, g] of Object.entries(groups)) {
      if (g.weight === 0) continue;
      const feats = Object.entries(g.features).filter(([, f]) => f.weight > 0)
        .map(([k, f]) => `${k} ${f.raw === null ? '-' : fmt(f.raw, f.raw !== null && Math.abs(f.raw) < 0.01 ? 5 : 2)}→${fmt(f.normalised, 2)}`).join(', ');
      lines.push(`  ${name.padEnd(10)} ${fmt(g.contribution)} = ${fmt(g.weight, 2)} × ${fmt(g.value)}   [${feats}]`);
    }
  } else lines.push('\nno score yet: run `threatminer actors rank`');
  const tz = p.activity.timezone;
  lines.push(`\nactivity: ${p.activity.monthly.map((m) => `${m.month}:${m.posts}`).join(' ') || '-'}`);
  lines.push(`  hours (UTC) ${p.activity.hourUtc.join(' ')}`);
  lines.push(`  weekdays (UTC, Sun..Sat) ${p.activity.weekdayUtc.join(' ')}`);
  lines.push(`  time zone ${tz.utcOffsetHours === null ? 'unknown (too few dated posts)' : `UTC${tz.utcOffsetHours >= 0 ? '+' : ''}${tz.utcOffsetHours}`} (confidence ${fmt(tz.confidence, 2)}; quiet hours UTC ${tz.quietHoursUtc.join(',')})`);
  lines.push(`languages: ${p.languages.map((l) => `${l.language} ${Math.round(l.share * 100)}%`).join(', ') || '-'}`);
  lines.push(`expertise: ${p.expertise.exploitCategories.map((e) => `${s(e.label)}×${e.posts}`).join(', ') || '-'}; code in ${p.expertise.codePosts} posts`);
  lines.push(`  ATT&CK: ${p.expertise.attack.map((t) => `${s(t.id)}×${t.mentions}`).join(', ') || '-'}`);
  lines.push(`  boards: ${p.expertise.boards.map((b) => `${s(b.board)}×${b.posts}`).join(', ') || '-'}`);
  lines.push(`associated: malware/tools ${p.associated.malwareTools.map((m) => s(m.value)).join(', ') || '-'}`);
  lines.push(`  CVEs ${p.associated.cves.map((c) => s(c.value)).join(', ') || '-'}`);
  lines.push(`  indicators ${p.associated.indicators.map((i) => `${i.type}:${s(i.value)}`).join(', ') || '-'}`);
  lines.push(`  contacts ${p.associated.contacts.map((c) => `${c.type}:${s(c.value)}`).join(', ') || '-'}`);
  const community = p.network.community;
  lines.push(`\ncommunity ${community ? `#${community.id}: ${community.members.map((m) => s(m.handle)).join(', ') || '(alone)'}` : '-'}`);
  lines.push(`collaborators: ${p.network.collaborators.map((c) => `${s(c.handle)} (${fmt(c.strength, 1)})`).join(', ') || '-'}`);
  lines.push(`\nalias candidates:${p.aliases.length === 0 ? ' none' : ''}`);
  for (const alias of p.aliases) {
    const ev = alias.evidence as { contacts?: { type: string; value: string }[]; handle?: { similarity: number; strength: number } | null; stylometry?: { cosine: number; z: number; strength: number } | null } | null;
    const parts: string[] = [];
    for (const c of ev?.contacts ?? []) parts.push(`shared ${c.type} ${s(c.value)}`);
    if (ev?.handle && ev.handle.strength > 0) parts.push(`handle similarity ${fmt(ev.handle.similarity, 2)}`);
    if (ev?.stylometry && ev.stylometry.strength > 0) parts.push(`style z=${fmt(ev.stylometry.z, 1)}`);
    lines.push(`  ${fmt(alias.score, 2)}  ${s(alias.handle)} @ ${s(alias.siteName)}  — ${parts.join('; ') || 'weak evidence'}`);
  }
  return `${lines.join('\n')}\n`;
}
