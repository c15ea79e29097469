import type { Store } from '../../store/index.js';
import { actorsDb } from './store.js';
import { estimateTimezone, type TimezoneEstimate } from './timezone.js';
import { ATTACK_TYPES, CONTACT_TYPES, INDICATOR_TYPES, MALWARE_TOOL_TYPES, NON_TECHNICAL_LABELS, normaliseType } from './types.js';

/**
 * A multi-dimensional portrait of one actor: everything an analyst needs on one page. The pure
 * `buildPortrait` works on plain rows (testable); `portrait(store, authorId)` gathers them with
 * per-actor queries, so it stays cheap on a large store and reads the last ranking run.
 */
export interface PortraitData {
  readonly author: { id: string; siteId: string; siteName: string; handle: string; reputation: number | null; postCount: number | null; joinedAt: string | null; profileUrl: string | null };
  readonly posts: readonly { id: string; threadId: string; threadTitle: string | null; board: string | null; postedAt: string | null; codeBlocks: number; startsThread: boolean }[];
  readonly entities: readonly { postId: string; type: string; value: string }[];
  readonly labels: readonly { postId: string; label: string; confidence: number }[];
  readonly languages: readonly { postId: string; language: string }[];
  /** Other authors this actor interacted with. */
  readonly interactions: readonly { authorId: string; handle: string; kind: 'replied-to' | 'replied-by' | 'quoted' | 'quoted-by' | 'co-thread'; count: number }[];
  readonly score: { score: number; rank: number; breakdown: unknown; computedAt: string } | null;
  readonly community: { id: number; members: readonly { authorId: string; handle: string; score: number | null }[] } | null;
  readonly aliases: readonly { authorId: string; siteName: string; handle: string; score: number; evidence: unknown }[];
  readonly minLabelConfidence?: number;
}

export interface Portrait {
  readonly actor: PortraitData['author'];
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly posts: number;
  readonly threadsStarted: number;
  readonly activity: {
    readonly monthly: readonly { month: string; posts: number }[];
    readonly hourUtc: readonly number[];
    readonly weekdayUtc: readonly number[];
    readonly timezone: TimezoneEstimate;
  };
  readonly languages: readonly { language: string; posts: number; share: number }[];
  readonly expertise: {
    readonly exploitCategories: readonly { label: string; posts: number }[];
    readonly attack: readonly { id: string; type: string; mentions: number }[];
    readonly boards: readonly { board: string; posts: number }[];
    readonly codePosts: number;
  };
  readonly associated: {
    readonly malwareTools: readonly { value: string; mentions: number }[];
    readonly cves: readonly { value: string; mentions: number }[];
    readonly indicators: readonly { type: string; value: string; mentions: number }[];
    readonly contacts: readonly { type: string; value: string; mentions: number }[];
  };
  readonly network: {
    readonly score: PortraitData['score'];
    readonly community: PortraitData['community'];
    readonly collaborators: readonly { authorId: string; handle: string; strength: number; replies: number; repliedBy: number; quotes: number; quotedBy: number; sharedThreads: number }[];
  };
  readonly aliases: PortraitData['aliases'];
}

const WEEKDAYS = 7;
const TOP = 15;

export function buildPortrait(data: PortraitData): Portrait {
  const minConfidence = data.minLabelConfidence ?? 0.5;
  const hourUtc = new Array<number>(24).fill(0);
  const weekdayUtc = new Array<number>(WEEKDAYS).fill(0);
  const monthly = new Map<string, number>();
  let first: string | null = null;
  let last: string | null = null;
  const boards = new Map<string, number>();
  let codePosts = 0;
  let threadsStarted = 0;
  for (const p of data.posts) {
    if (p.codeBlocks > 0) codePosts++;
    if (p.startsThread) threadsStarted++;
    if (p.board) boards.set(p.board, (boards.get(p.board) ?? 0) + 1);
    const t = p.postedAt ? Date.parse(p.postedAt) : Number.NaN;
    if (Number.isNaN(t)) continue;
    const d = new Date(t);
    const iso = d.toISOString();
    if (first === null || iso < first) first = iso;
    if (last === null || iso > last) last = iso;
    hourUtc[d.getUTCHours()]! += 1;
    weekdayUtc[d.getUTCDay()]! += 1;
    const month = iso.slice(0, 7);
    monthly.set(month, (monthly.get(month) ?? 0) + 1);
  }
  const langCounts = new Map<string, number>();
  for (const l of data.languages) langCounts.set(l.language, (langCounts.get(l.language) ?? 0) + 1);
  const labelled = new Map<string, number>();
  for (const l of data.labels) {
    const label = l.label.toLowerCase();
    if (l.confidence >= minConfidence && !NON_TECHNICAL_LABELS.has(label)) labelled.set(label, (labelled.get(label) ?? 0) + 1);
  }
  const attack = new Map<string, { id: string; type: string; mentions: number }>();
  const malware = new Map<string, number>();
  const cves = new Map<string, number>();
  const indicators = new Map<string, { type: string; value: string; mentions: number }>();
  const contacts = new Map<string, { type: string; value: string; mentions: number }>();
  for (const e of data.entities) {
    const type = normaliseType(e.type);
    const bump = (map: Map<string, { type: string; value: string; mentions: number }>) => {
      const key = `${type}\u0000${e.value}`;
      const entry = map.get(key) ?? { type, value: e.value, mentions: 0 };
      entry.mentions++;
      map.set(key, entry);
    };
    if (ATTACK_TYPES.has(type)) {
      const entry = attack.get(e.value) ?? { id: e.value, type, mentions: 0 };
      entry.mentions++;
      attack.set(e.value, entry);
    } else if (MALWARE_TOOL_TYPES.has(type)) malware.set(e.value, (malware.get(e.value) ?? 0) + 1);
    else if (type === 'cve') cves.set(e.value.toUpperCase(), (cves.get(e.value.toUpperCase()) ?? 0) + 1);
    else if (CONTACT_TYPES.has(type)) bump(contacts);
    else if (INDICATOR_TYPES.has(type)) bump(indicators);
  }
  const collab = new Map<string, { authorId: string; handle: string; strength: number; replies: number; repliedBy: number; quotes: number; quotedBy: number; sharedThreads: number }>();
  for (const i of data.interactions) {
    const entry = collab.get(i.authorId) ?? { authorId: i.authorId, handle: i.handle, strength: 0, replies: 0, repliedBy: 0, quotes: 0, quotedBy: 0, sharedThreads: 0 };
    if (i.kind === 'replied-to') entry.replies += i.count;
    else if (i.kind === 'replied-by') entry.repliedBy += i.count;
    else if (i.kind === 'quoted') entry.quotes += i.count;
    else if (i.kind === 'quoted-by') entry.quotedBy += i.count;
    else entry.sharedThreads += i.count;
    // Same relative weights as the graph defaults: direct interactions outweigh co-presence.
    entry.strength = entry.replies + entry.repliedBy + 1.5 * (entry.quotes + entry.quotedBy) + 0.2 * entry.sharedThreads;
    collab.set(i.authorId, entry);
  }
  const totalLang = [...langCounts.values()].reduce((a, b) => a + b, 0);
  return {
    actor: data.author,
    firstSeen: first ?? data.author.joinedAt,
    lastSeen: last,
    posts: data.posts.length,
    threadsStarted,
    activity: {
      monthly: [...monthly.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([month, posts]) => ({ month, posts })),
      hourUtc,
      weekdayUtc,
      timezone: estimateTimezone(hourUtc),
    },
    languages: [...langCounts.entries()].sort((a, b) => b[1] - a[1]).map(([language, posts]) => ({ language, posts, share: totalLang ? posts / totalLang : 0 })),
    expertise: {
      exploitCategories: topCounts(labelled).map(([label, posts]) => ({ label, posts })),
      attack: [...attack.values()].sort((a, b) => b.mentions - a.mentions).slice(0, TOP),
      boards: topCounts(boards).map(([board, posts]) => ({ board, posts })),
      codePosts,
    },
    associated: {
      malwareTools: topCounts(malware).map(([value, mentions]) => ({ value, mentions })),
      cves: topCounts(cves).map(([value, mentions]) => ({ value, mentions })),
      indicators: [...indicators.values()].sort((a, b) => b.mentions - a.mentions).slice(0, TOP),
      contacts: [...contacts.values()].sort((a, b) => b.mentions - a.mentions).slice(0, TOP),
    },
    network: {
      score: data.score,
      community: data.community,
      collaborators: [...collab.values()].sort((a, b) => b.strength - a.strength).slice(0, TOP),
    },
    aliases: data.aliases,
  };
}

function topCounts(map: Map<string, number>): [string, number][] {
  return [...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP);
}

/** Gathers the portrait of one author (by id) from the store; null when the author is unknown. */
export async function portrait(store: Store, authorId: string): Promise<Portrait | null> {
  const db = actorsDb(store);
  const author = await db.selectFrom('authors').innerJoin('sites', 'sites.id', 'authors.site_id')
    .select(['authors.id', 'authors.site_id', 'sites.name as site_name', 'authors.handle', 'authors.reputation', 'authors.post_count', 'authors.joined_at', 'authors.profile_url'])
    .where('authors.id', '=', authorId).executeTakeFirst();
  if (!author) return null;
  const posts = await db.selectFrom('posts')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .leftJoin('boards', 'boards.id', 'posts.board_id')
    .select(['posts.id', 'posts.thread_id', 'threads.title', 'boards.name as board', 'posts.posted_at', 'posts.code_blocks'])
    .where('posts.author_id', '=', authorId).execute();
  const postIds = posts.map((p) => p.id);
  const threadIds = [...new Set(posts.map((p) => p.thread_id))];
  const inChunks = async <T>(ids: readonly string[], run: (chunk: string[]) => Promise<T[]>): Promise<T[]> => {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += 500) out.push(...(await run(ids.slice(i, i + 500))));
    return out;
  };
  const [entities, labels, languages, outgoing, incoming, starters] = await Promise.all([
    inChunks(postIds, (c) => db.selectFrom('entities').select(['post_id', 'type', 'value']).where('post_id', 'in', c).execute()),
    inChunks(postIds, (c) => db.selectFrom('exploit_labels').select(['post_id', 'label', 'confidence']).where('post_id', 'in', c).execute()),
    inChunks(postIds, (c) => db.selectFrom('post_languages').select(['post_id', 'language']).where('post_id', 'in', c).execute()),
    inChunks(postIds, (c) => db.selectFrom('post_links').innerJoin('posts', 'posts.id', 'post_links.target_post_id').innerJoin('authors', 'authors.id', 'posts.author_id')
      .select(['authors.id as author_id', 'authors.handle', 'post_links.kind']).where('post_links.post_id', 'in', c).execute()),
    inChunks(postIds, (c) => db.selectFrom('post_links').innerJoin('posts', 'posts.id', 'post_links.post_id').innerJoin('authors', 'authors.id', 'posts.author_id')
      .select(['authors.id as author_id', 'authors.handle', 'post_links.kind']).where('post_links.target_post_id', 'in', c).execute()),
    // The first post of each thread the actor wrote in tells whether the actor started it.
    inChunks(threadIds, (c) => db.selectFrom('posts').select(['thread_id', 'author_id', 'posted_at', 'id']).where('thread_id', 'in', c).orderBy('posted_at').orderBy('id').execute()),
  ]);
  const starterOf = new Map<string, string>();
  const sharedThreads = new Map<string, Set<string>>();
  for (const row of starters) {
    if (!starterOf.has(row.thread_id)) starterOf.set(row.thread_id, row.author_id);
    if (row.author_id !== authorId) {
      const set = sharedThreads.get(row.author_id) ?? new Set<string>();
      set.add(row.thread_id);
      sharedThreads.set(row.author_id, set);
    }
  }
  const handles = new Map<string, string>();
  for (const r of [...outgoing, ...incoming]) handles.set(r.author_id, r.handle);
  const missing = [...sharedThreads.keys()].filter((id) => !handles.has(id));
  for (const row of await inChunks(missing, (c) => db.selectFrom('authors').select(['id', 'handle']).where('id', 'in', c).execute())) handles.set(row.id, row.handle);
  const interactions: { authorId: string; handle: string; kind: PortraitData['interactions'][number]['kind']; count: number }[] = [];
  const tally = (rows: { author_id: string; handle: string; kind: string }[], reply: 'replied-to' | 'replied-by', quote: 'quoted' | 'quoted-by') => {
    const counts = new Map<string, number>();
    for (const r of rows) {
      if (r.author_id === authorId) continue;
      const key = `${r.author_id}\u0000${r.kind === 'quote' ? quote : reply}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, count] of counts) {
      const [id, kind] = key.split('\u0000') as [string, typeof reply | typeof quote];
      interactions.push({ authorId: id, handle: handles.get(id) ?? id, kind, count });
    }
  };
  tally(outgoing, 'replied-to', 'quoted');
  tally(incoming, 'replied-by', 'quoted-by');
  for (const [id, set] of sharedThreads) interactions.push({ authorId: id, handle: handles.get(id) ?? id, kind: 'co-thread', count: set.size });

  const scoreRow = await db.selectFrom('actor_scores').select(['score', 'rank', 'breakdown', 'computed_at']).where('author_id', '=', authorId).executeTakeFirst();
  const communityRow = await db.selectFrom('actor_communities').select(['community', 'site_id']).where('author_id', '=', authorId).executeTakeFirst();
  let community: PortraitData['community'] = null;
  if (communityRow) {
    const members = await db.selectFrom('actor_communities')
      .innerJoin('authors', 'authors.id', 'actor_communities.author_id')
      .leftJoin('actor_scores', 'actor_scores.author_id', 'actor_communities.author_id')
      .select(['authors.id', 'authors.handle', 'actor_scores.score'])
      .where('actor_communities.community', '=', communityRow.community)
      .where('actor_communities.site_id', '=', communityRow.site_id)
      .where('authors.id', '!=', authorId)
      .orderBy('actor_scores.score', 'desc').limit(TOP).execute();
    community = { id: communityRow.community, members: members.map((m) => ({ authorId: m.id, handle: m.handle, score: m.score === null ? null : Number(m.score) })) };
  }
  const aliasRows = await db.selectFrom('alias_candidates')
    .select(['author_a', 'author_b', 'score', 'evidence'])
    .where((eb) => eb.or([eb('author_a', '=', authorId), eb('author_b', '=', authorId)]))
    .orderBy('score', 'desc').limit(TOP).execute();
  const aliasIds = aliasRows.map((r) => (r.author_a === authorId ? r.author_b : r.author_a));
  const aliasAuthors = await inChunks(aliasIds, (c) => db.selectFrom('authors').innerJoin('sites', 'sites.id', 'authors.site_id')
    .select(['authors.id', 'authors.handle', 'sites.name']).where('authors.id', 'in', c).execute());
  const aliasById = new Map(aliasAuthors.map((a) => [a.id, a]));

  return buildPortrait({
    author: {
      id: author.id, siteId: author.site_id, siteName: author.site_name, handle: author.handle,
      reputation: author.reputation === null ? null : Number(author.reputation), postCount: author.post_count === null ? null : Number(author.post_count),
      joinedAt: author.joined_at, profileUrl: author.profile_url,
    },
    posts: posts.map((p) => ({
      id: p.id, threadId: p.thread_id, threadTitle: p.title, board: p.board, postedAt: p.posted_at,
      codeBlocks: p.code_blocks && p.code_blocks !== '[]' ? 1 : 0, startsThread: starterOf.get(p.thread_id) === authorId,
    })),
    entities: entities.map((e) => ({ postId: e.post_id, type: e.type, value: e.value })),
    labels: labels.map((l) => ({ postId: l.post_id, label: l.label, confidence: Number(l.confidence) })),
    languages: languages.map((l) => ({ postId: l.post_id, language: l.language })),
    interactions,
    score: scoreRow ? { score: Number(scoreRow.score), rank: Number(scoreRow.rank), breakdown: safeJson(scoreRow.breakdown), computedAt: scoreRow.computed_at } : null,
    community,
    aliases: aliasRows.map((r, k) => {
      const other = aliasById.get(aliasIds[k] as string);
      return { authorId: aliasIds[k] as string, siteName: other?.name ?? '?', handle: other?.handle ?? '?', score: Number(r.score), evidence: safeJson(r.evidence) };
    }),
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
