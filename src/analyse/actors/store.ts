import type { Kysely } from 'kysely';
import type { Database, Store } from '../../store/index.js';
import type { AliasCandidate } from './alias.js';
import type { RankResult } from './rank.js';
import type { ActorInput, ActorLink } from './types.js';

/**
 * The thin layer between the store and the pure actor functions: load an ActorInput, write
 * actor_scores / actor_communities / alias_candidates. Everything else works on plain arrays.
 */
export const ACTORS_ANALYSER = 'actors';
export const ACTORS_ANALYSER_VERSION = '1';

export interface AliasCandidatesTable {
  author_a: string;
  author_b: string;
  site_a: string;
  site_b: string;
  score: number;
  evidence: string;
  analyser: string;
  analyser_version: string;
  computed_at: string;
}

export interface ActorCommunitiesTable {
  author_id: string;
  site_id: string;
  community: number;
  computed_at: string;
}

/** The store's tables plus the two added by migration 0003_actors. */
export type ActorsDatabase = Database & { alias_candidates: AliasCandidatesTable; actor_communities: ActorCommunitiesTable };

export function actorsDb(store: Store): Kysely<ActorsDatabase> {
  return store.db as unknown as Kysely<ActorsDatabase>;
}

export interface LoadOptions {
  /** Site names or ids to restrict to; all sites when empty. */
  readonly sites?: readonly string[];
}

export async function loadActorInput(store: Store, options: LoadOptions = {}): Promise<ActorInput> {
  const db = store.db;
  let sites = await db.selectFrom('sites').select(['id', 'name']).execute();
  if (options.sites && options.sites.length > 0) {
    const wanted = new Set(options.sites);
    sites = sites.filter((s) => wanted.has(s.id) || wanted.has(s.name));
  }
  const siteIds = sites.map((s) => s.id);
  if (siteIds.length === 0) return { sites: [], authors: [], posts: [], links: [], entities: [], labels: [], languages: [], boards: [] };
  const [authors, posts, links, entities, labels, languages, boards] = await Promise.all([
    db.selectFrom('authors').select(['id', 'site_id', 'handle', 'reputation', 'post_count', 'joined_at']).where('site_id', 'in', siteIds).execute(),
    db.selectFrom('posts').select(['id', 'site_id', 'thread_id', 'board_id', 'author_id', 'posted_at', 'body_text', 'code_blocks']).where('site_id', 'in', siteIds).execute(),
    db.selectFrom('post_links').innerJoin('posts', 'posts.id', 'post_links.post_id')
      .select(['post_links.post_id', 'post_links.target_post_id', 'post_links.kind'])
      .where('posts.site_id', 'in', siteIds).execute(),
    db.selectFrom('entities').innerJoin('posts', 'posts.id', 'entities.post_id')
      .select(['entities.post_id', 'entities.type', 'entities.value'])
      .where('posts.site_id', 'in', siteIds).execute(),
    db.selectFrom('exploit_labels').innerJoin('posts', 'posts.id', 'exploit_labels.post_id')
      .select(['exploit_labels.post_id', 'exploit_labels.label', 'exploit_labels.confidence'])
      .where('posts.site_id', 'in', siteIds).execute(),
    db.selectFrom('post_languages').innerJoin('posts', 'posts.id', 'post_languages.post_id')
      .select(['post_languages.post_id', 'post_languages.language'])
      .where('posts.site_id', 'in', siteIds).execute(),
    db.selectFrom('boards').select(['id', 'name']).where('site_id', 'in', siteIds).execute(),
  ]);
  return {
    sites,
    authors: authors.map((a) => ({
      id: a.id, siteId: a.site_id, handle: a.handle, reputation: a.reputation === null ? null : Number(a.reputation),
      postCount: a.post_count === null ? null : Number(a.post_count), joinedAt: a.joined_at,
    })),
    posts: posts.map((p) => ({
      id: p.id, siteId: p.site_id, threadId: p.thread_id, boardId: p.board_id, authorId: p.author_id,
      postedAt: p.posted_at, bodyText: p.body_text, codeBlockCount: codeBlockCount(p.code_blocks),
    })),
    links: links.filter((l): l is typeof l & { target_post_id: string } => typeof l.target_post_id === 'string' && l.target_post_id.length > 0)
      .map((l): ActorLink => ({ postId: l.post_id, targetPostId: l.target_post_id, kind: l.kind === 'quote' ? 'quote' : 'reply' })),
    entities: entities.map((e) => ({ postId: e.post_id, type: e.type, value: e.value })),
    labels: labels.map((l) => ({ postId: l.post_id, label: l.label, confidence: Number(l.confidence) })),
    languages: languages.map((l) => ({ postId: l.post_id, language: l.language })),
    boards,
  };
}

function codeBlockCount(json: string): number {
  if (json === '[]' || json === '') return 0;
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.length : 0;
  } catch {
    return 0;
  }
}

const CHUNK = 400;

/** Replaces this analyser's actor_scores and actor_communities rows for the ranked sites. */
export async function writeActorScores(store: Store, result: RankResult, computedAt = new Date().toISOString()): Promise<number> {
  const db = actorsDb(store);
  const siteIds = [...new Set(result.scores.map((s) => s.siteId))];
  const community = result.metrics.community;
  await db.transaction().execute(async (trx) => {
    if (siteIds.length > 0) {
      await trx.deleteFrom('actor_scores').where('site_id', 'in', siteIds).execute();
      await trx.deleteFrom('actor_communities').where('site_id', 'in', siteIds).execute();
    }
    for (let i = 0; i < result.scores.length; i += CHUNK) {
      const chunk = result.scores.slice(i, i + CHUNK);
      await trx.insertInto('actor_scores').values(chunk.map((s) => ({
        author_id: s.authorId, site_id: s.siteId, score: s.score, rank: s.rank,
        breakdown: JSON.stringify({ ...s.breakdown, globalRank: s.globalRank }, finiteOrNull),
        analyser: ACTORS_ANALYSER, analyser_version: ACTORS_ANALYSER_VERSION, model_version: null, computed_at: computedAt,
      }))).execute();
      await trx.insertInto('actor_communities').values(chunk.map((s) => ({
        author_id: s.authorId, site_id: s.siteId,
        community: community[result.graph.nodeIndex.get(s.authorId) ?? -1] ?? -1, computed_at: computedAt,
      }))).execute();
    }
  });
  return result.scores.length;
}

export async function writeAliasCandidates(store: Store, candidates: readonly AliasCandidate[], computedAt = new Date().toISOString()): Promise<number> {
  const db = actorsDb(store);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('alias_candidates').where('analyser', '=', ACTORS_ANALYSER).execute();
    for (let i = 0; i < candidates.length; i += CHUNK) {
      await trx.insertInto('alias_candidates').values(candidates.slice(i, i + CHUNK).map((c) => ({
        author_a: c.a, author_b: c.b, site_a: c.siteA, site_b: c.siteB, score: c.score,
        evidence: JSON.stringify(c.evidence, finiteOrNull), analyser: ACTORS_ANALYSER, analyser_version: ACTORS_ANALYSER_VERSION, computed_at: computedAt,
      }))).execute();
    }
  });
  return candidates.length;
}

/** JSON has no NaN/Infinity: a missing reputation (NaN raw value) is written as null. */
function finiteOrNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/** Resolves `site:handle` (site name or id; handle case-insensitive) or a raw author id. */
export async function resolveActor(store: Store, ref: string): Promise<{ id: string; siteId: string; siteName: string; handle: string } | null> {
  const db = store.db;
  const byId = await db.selectFrom('authors').innerJoin('sites', 'sites.id', 'authors.site_id')
    .select(['authors.id', 'authors.site_id', 'sites.name', 'authors.handle']).where('authors.id', '=', ref).executeTakeFirst();
  if (byId) return { id: byId.id, siteId: byId.site_id, siteName: byId.name, handle: byId.handle };
  const colon = ref.indexOf(':');
  if (colon <= 0) return null;
  const site = ref.slice(0, colon);
  const handle = ref.slice(colon + 1).toLowerCase();
  const rows = await db.selectFrom('authors').innerJoin('sites', 'sites.id', 'authors.site_id')
    .select(['authors.id', 'authors.site_id', 'sites.name', 'authors.handle'])
    .where((eb) => eb.or([eb('sites.name', '=', site), eb('sites.id', '=', site)])).execute();
  const hit = rows.find((r) => r.handle.toLowerCase() === handle);
  return hit ? { id: hit.id, siteId: hit.site_id, siteName: hit.name, handle: hit.handle } : null;
}
