import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankActors, rescore, updateRanking } from '../../src/analyse/actors/rank.js';
import { ablation, DEFAULT_ACTORS_CONFIG, parseActorsConfig } from '../../src/analyse/actors/config.js';
import { mentions } from '../../src/analyse/actors/graph.js';
import { syntheticForum } from '../../src/analyse/actors/synthetic.js';
import type { ActorInput, ActorPost } from '../../src/analyse/actors/types.js';
import { InputError } from '../../src/core/errors.js';
import { sortByScore } from '../../src/analyse/actors/score.js';
import { mulberry32 } from '../../src/analyse/actors/centrality.js';

/**
 * A hand-built forum: "guru" opens exploit threads with code that everyone replies to; "chatty"
 * posts as much but only small talk, replying to others; the rest reply a little.
 */
function forum(): ActorInput {
  const authors = ['guru', 'chatty', 'u1', 'u2', 'u3', 'u4', 'u5'].map((h) => ({
    id: `a-${h}`, siteId: 's1', handle: h, reputation: h === 'guru' ? 500 : h === 'chatty' ? 20 : 5, postCount: null, joinedAt: null,
  }));
  const posts: ActorPost[] = [];
  const links: { postId: string; targetPostId: string; kind: 'reply' | 'quote' }[] = [];
  const labels: { postId: string; label: string; confidence: number }[] = [];
  const entities: { postId: string; type: string; value: string }[] = [];
  let k = 0;
  const post = (author: string, thread: string, day: number, extra: Partial<ActorPost> = {}): string => {
    const id = `p${k++}`;
    posts.push({ id, siteId: 's1', threadId: thread, boardId: 'b1', authorId: `a-${author}`, postedAt: new Date(Date.UTC(2025, 0, 1 + day, 12)).toISOString(), bodyText: '', codeBlockCount: 0, ...extra });
    return id;
  };
  for (let t = 0; t < 6; t++) {
    const root = post('guru', `t${t}`, t * 20, { codeBlockCount: 1 });
    labels.push({ postId: root, label: 'rce', confidence: 0.9 });
    entities.push({ postId: root, type: 'cve', value: `CVE-2025-000${t}` });
    for (const u of ['u1', 'u2', 'u3', 'u4', 'u5']) links.push({ postId: post(u, `t${t}`, t * 20 + 1), targetPostId: root, kind: 'quote' });
  }
  for (let t = 0; t < 6; t++) {
    const root = post('u1', `c${t}`, t * 20 + 2);
    for (let r = 0; r < 5; r++) links.push({ postId: post('chatty', `c${t}`, t * 20 + 3), targetPostId: root, kind: 'reply' });
  }
  return { sites: [{ id: 's1', name: 'site1' }], authors, posts, links, labels, entities, languages: [], boards: [] };
}

test('the technical hub ranks first, and every score equals the sum of its breakdown', () => {
  const result = rankActors(forum());
  assert.equal(result.scores[0]?.handle, 'guru');
  for (const s of result.scores) {
    const groups = Object.values(s.breakdown.groups);
    const total = groups.reduce((a, g) => a + g.contribution, 0);
    assert.ok(Math.abs(total - s.score) < 1e-9, `${s.handle}: ${total} vs ${s.score}`);
    const weights = groups.reduce((a, g) => a + g.weight, 0);
    assert.ok(Math.abs(weights - 1) < 1e-9);
    assert.ok(s.score >= 0 && s.score <= 1);
  }
  const guru = result.scores[0]!;
  assert.equal(guru.breakdown.groups.content.features.exploitPosts?.raw, 6);
  assert.equal(guru.breakdown.topTopics[0]?.topic, 'rce');
  // JSON output carries the lazily built breakdown.
  assert.ok(JSON.stringify(guru).includes('"exploitPosts"'));
});

test('ablations: content-only scores the talker 0, network-only still sees his activity', () => {
  const result = rankActors(forum());
  const content = rescore(result, ablation(DEFAULT_ACTORS_CONFIG, 'content').weights);
  assert.equal(content[0]?.handle, 'guru');
  assert.equal(content.find((s) => s.handle === 'chatty')?.score, 0);
  const network = rescore(result, ablation(DEFAULT_ACTORS_CONFIG, 'network').weights);
  assert.ok((network.find((s) => s.handle === 'chatty')?.score ?? 0) > (network.find((s) => s.handle === 'u5')?.score ?? 1));
  assert.equal(network[0]?.breakdown.groups.content.weight, 0);
});

test('a site without reputation renormalises the other groups instead of scoring zero there', () => {
  const input = forum();
  const noRep = { ...input, authors: input.authors.map((a) => ({ ...a, reputation: null })) };
  const s = rankActors(noRep).scores[0]!;
  assert.equal(s.breakdown.groups.reputation.weight, 0);
  const w = DEFAULT_ACTORS_CONFIG.weights;
  assert.ok(Math.abs(s.breakdown.groups.network.weight - w.network / (w.network + w.content + w.seniority)) < 1e-12);
});

test('weights are validated with a message naming the bad key', () => {
  assert.throws(() => parseActorsConfig({ weights: { network: -1 } }, 'w.yml'), (err: unknown) => err instanceof InputError && /w\.yml: weights\.network/.test(err.message));
  assert.throws(() => parseActorsConfig({ graph: { nope: 1 } }, 'w.yml'), InputError);
  assert.equal(parseActorsConfig({ weights: { content: 2 } }).weights.content, 2);
});

test('incremental update agrees with a full recompute on the top of the ranking', () => {
  const base = syntheticForum({ authors: 2000, posts: 12000, seed: 5 });
  const delta = syntheticForum({ authors: 2000, posts: 600, seed: 6, postOffset: 12000 });
  const full = rankActors(base);
  const inc = updateRanking(full, { ...delta, authors: [], sites: [] });
  const union = rankActors({ ...base, posts: [...base.posts, ...delta.posts], links: [...base.links, ...delta.links], labels: [...base.labels, ...delta.labels], entities: [...base.entities, ...delta.entities] });
  const top = (r: typeof inc, k: number) => new Set(r.scores.slice(0, k).map((s) => s.authorId));
  const a = top(inc, 50);
  const overlap = [...top(union, 50)].filter((id) => a.has(id)).length;
  assert.ok(overlap >= 45, `top-50 overlap ${overlap}`);
  assert.ok(inc.metrics.stale.includes('communities'));
  assert.equal(inc.postsSinceFull, 600);
});

test('chained incremental updates (new authors in one batch) patch the kept PageRank state and stay close to a full recompute', () => {
  const base = syntheticForum({ authors: 2000, posts: 12000, seed: 5 });
  let result = rankActors(base);
  let union: ActorInput = base;
  for (let b = 0; b < 3; b++) {
    const delta = syntheticForum({ authors: b === 1 ? 2100 : 2000, posts: 300, seed: 6 + b, postOffset: 12000 + 300 * b });
    const newAuthors = delta.authors.filter((a) => !result.authors.has(a.id));
    if (b === 1) assert.ok(newAuthors.length > 0);
    result = updateRanking(result, { ...delta, authors: newAuthors, sites: [] });
    union = {
      ...union, authors: [...union.authors, ...newAuthors], posts: [...union.posts, ...delta.posts], links: [...union.links, ...delta.links],
      labels: [...union.labels, ...delta.labels], entities: [...union.entities, ...delta.entities],
    };
    const full = rankActors(union);
    assert.equal(result.metrics.iterations.pagerankPatched, 1, `batch ${b}: teleport counts patched, not rebuilt`);
    assert.equal(result.graph.order, full.graph.order);
    const at = new Map(full.graph.nodeIds.map((id, i) => [id, i]));
    const l1 = (mine: Float64Array, theirs: Float64Array): number => result.graph.nodeIds.reduce((sum, id, i) => sum + Math.abs(mine[i]! - theirs[at.get(id)!]!), 0);
    // Warm-started fixed points against the recomputed ones (both L1-normalised vectors).
    assert.ok(l1(result.metrics.pagerank, full.metrics.pagerank) < 1e-4, `batch ${b}: PageRank L1 ${l1(result.metrics.pagerank, full.metrics.pagerank)}`);
    for (const [topic, values] of full.metrics.topicPagerank) {
      const mine = result.metrics.topicPagerank.get(topic);
      assert.ok(mine, `batch ${b}: topic ${topic} present`);
      assert.ok(l1(mine, values) < 1e-3, `batch ${b}: topic ${topic} L1 ${l1(mine, values)}`);
    }
    assert.ok(l1(result.metrics.authorities, full.metrics.authorities) < 1e-3, `batch ${b}: authorities`);
    assert.ok(l1(result.metrics.eigenvector, full.metrics.eigenvector) < 1e-2, `batch ${b}: eigenvector`);
    // Scores: the carried-over metrics (betweenness, coreness, …) are the only real difference.
    const fullScore = new Map(full.scores.map((s) => [s.authorId, s.score]));
    const rankIn = new Map(result.scores.map((s, i) => [s.authorId, i]));
    let d2 = 0;
    let maxDiff = 0;
    full.scores.forEach((s, i) => { d2 += (rankIn.get(s.authorId)! - i) ** 2; });
    for (const s of result.scores) maxDiff = Math.max(maxDiff, Math.abs(s.score - fullScore.get(s.authorId)!));
    const n = full.scores.length;
    assert.ok(1 - (6 * d2) / (n * (n * n - 1)) > 0.999, `batch ${b}: Spearman ρ over all authors`);
    assert.ok(maxDiff < 0.05, `batch ${b}: max |Δscore| ${maxDiff}`);
    const top = new Set(full.scores.slice(0, 50).map((s) => s.authorId));
    assert.ok(result.scores.slice(0, 50).filter((s) => top.has(s.authorId)).length >= 48, `batch ${b}: top-50 overlap`);
  }
});

test('mentions: handles after @, not e-mail addresses, trailing dots trimmed', () => {
  assert.deepEqual([...mentions('thanks @Guru. and @u_1, mail me at bob@example.com')].sort(), ['guru', 'u_1']);
  assert.equal(mentions('@'.repeat(50_000)).size, 0);
});

test('mention edges connect authors on the same site only', () => {
  const input = forum();
  const extra = { ...input, posts: [...input.posts, { id: 'm1', siteId: 's1', threadId: 'zz', boardId: null, authorId: 'a-u5', postedAt: null, bodyText: 'ping @chatty', codeBlockCount: 0 }] };
  const result = rankActors(extra);
  assert.equal(result.graph.kindCounts.mention, 1);
});

test('staleness policy: once the posts since the last full run exceed maxStaleFraction, an update recomputes everything', () => {
  const base = syntheticForum({ authors: 500, posts: 3000, seed: 8 });
  const batch = (k: number) => ({ ...syntheticForum({ authors: 500, posts: 200, seed: 20 + k, postOffset: 3000 + 200 * k }), authors: [], sites: [] });
  const full = rankActors(base);
  const first = updateRanking(full, batch(0));
  assert.deepEqual([first.postsSinceFull, first.postsAtFull], [200, 3000]);
  assert.equal(first.metrics.betweennessMode, 'carried-over');
  const second = updateRanking(first, batch(1)); // 400 > 0.1 × 3000
  assert.deepEqual([second.postsSinceFull, second.postsAtFull], [0, 3400]);
  assert.deepEqual(second.metrics.stale, []);
  assert.notEqual(second.metrics.betweennessMode, 'carried-over');
  const forced = updateRanking(second, batch(2), { full: true });
  assert.equal(forced.postsSinceFull, 0);
  assert.deepEqual(forced.metrics.stale, []);
});

test('sortByScore orders like a comparator sort: score descending, ids breaking exact and near ties', () => {
  const rng = mulberry32(11);
  const n = 5000;
  const ids = Array.from({ length: n }, (_, i) => `id${(i * 7919) % n}`);
  // Exact ties (0 and a few repeated values), near ties closer than the packed key's precision,
  // and ordinary spread.
  const repeated = [0.25, 0.5, 0.125];
  const score = Float64Array.from({ length: n }, (_, i) => {
    const r = rng();
    if (r < 0.2) return 0;
    if (r < 0.4) return repeated[i % 3]!;
    if (r < 0.6) return 0.3 + (i % 5) * 1e-13;
    return rng();
  });
  const want = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]! || (ids[a]! < ids[b]! ? -1 : 1));
  assert.deepEqual([...sortByScore(score, ids)], want);
  assert.throws(() => sortByScore(Float64Array.of(0.1, Number.NaN), ['a', 'b']), /score NaN of b/);
});
