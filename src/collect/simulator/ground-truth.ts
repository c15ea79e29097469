import { z } from 'zod';
import { TOPICS } from './content.js';
import { ENGINES, externalPostId, type Community } from './model.js';
import { isoUtc } from './render/common.js';

/**
 * The simulator's ground truth: everything a crawler or analyser run against it should recover.
 * Versioned by `format`; consumers (crawler tests, the key-actor evaluation) validate with this
 * schema. Post ids are the external ids the engine exposes, i.e. what a crawler reports as
 * ForumRecord.post_id for that forum.
 */
export const GROUND_TRUTH_FORMAT = 'threatminer-simulator-ground-truth/1';

const IndicatorGT = z.object({
  type: z.enum(['ipv4', 'domain', 'url', 'md5', 'sha1', 'sha256', 'cve', 'btc', 'eth', 'jabber', 'telegram', 'onion']),
  value: z.string(),
  as_written: z.string(),
});

export const GroundTruth = z.object({
  format: z.literal(GROUND_TRUTH_FORMAT),
  seed: z.number().int(),
  now: z.string(),
  forums: z.array(
    z.object({
      slug: z.string(),
      name: z.string(),
      engine: z.enum(ENGINES),
      language: z.enum(['en', 'ru', 'zh']),
      utc_offset_minutes: z.number().int(),
      base_url: z.string(),
      onion_url: z.string(),
      login: z.object({ username: z.string(), password: z.string() }),
      boards: z.array(z.object({ id: z.number().int(), name: z.string(), parent: z.string(), login_required: z.boolean(), topics: z.array(z.enum(TOPICS)) })),
    }),
  ),
  key_actors: z.array(
    z.object({
      person: z.string(),
      speciality: z.array(z.enum(TOPICS)),
      aliases: z.array(z.object({ forum: z.string(), handle: z.string() })),
    }),
  ),
  authors: z.array(
    z.object({
      forum: z.string(),
      handle: z.string(),
      user_id: z.number().int(),
      person: z.string(),
      key_actor: z.boolean(),
      joined_at: z.string(),
      reputation: z.number().int(),
      post_count: z.number().int(),
    }),
  ),
  threads: z.array(
    z.object({
      forum: z.string(),
      thread_id: z.string(),
      board: z.string(),
      login_required: z.boolean(),
      title: z.string(),
      topic: z.enum(TOPICS),
      author: z.string(),
      post_count: z.number().int(),
    }),
  ),
  posts: z.array(
    z.object({
      forum: z.string(),
      post_id: z.string(),
      thread_id: z.string(),
      number: z.number().int(),
      author: z.string(),
      posted_at: z.string(),
      quotes: z.array(z.string()),
      reply_to: z.string().nullable(),
      body_text: z.string(),
      code: z.object({ language: z.string(), code: z.string() }).nullable(),
      indicators: z.array(IndicatorGT),
    }),
  ),
});
export type GroundTruth = z.infer<typeof GroundTruth>;

export function buildGroundTruth(community: Community, baseUrl: (slug: string) => string, onionUrl: (slug: string) => string): GroundTruth {
  const gt: GroundTruth = {
    format: GROUND_TRUTH_FORMAT,
    seed: community.seed,
    now: isoUtc(community.now),
    forums: [],
    key_actors: community.keyActors.map((k) => ({ person: k.personId, speciality: [...k.speciality], aliases: k.aliases.map((a) => ({ ...a })) })),
    authors: [],
    threads: [],
    posts: [],
  };
  for (const forum of community.forums) {
    const { spec } = forum;
    gt.forums.push({
      slug: spec.slug,
      name: spec.name,
      engine: spec.engine,
      language: spec.language,
      utc_offset_minutes: spec.utcOffsetMinutes,
      base_url: baseUrl(spec.slug),
      onion_url: onionUrl(spec.slug),
      login: { ...forum.login },
      boards: forum.boards.map((b) => ({ id: b.id, name: b.name, parent: b.parentName, login_required: b.loginRequired, topics: [...b.topics] })),
    });
    for (const a of forum.authors) {
      gt.authors.push({ forum: spec.slug, handle: a.handle, user_id: a.userId, person: a.personId, key_actor: a.keyActor, joined_at: isoUtc(a.joinedAt), reputation: a.reputation, post_count: a.postCount });
    }
    for (const board of forum.boards) {
      for (const thread of board.threads) {
        const handle = (id: number): string => forum.authors[id - 1]!.handle;
        gt.threads.push({ forum: spec.slug, thread_id: String(thread.id), board: board.name, login_required: board.loginRequired, title: thread.title, topic: thread.topic, author: handle(thread.posts[0]!.authorId), post_count: thread.posts.length });
        for (const post of thread.posts) {
          gt.posts.push({
            forum: spec.slug,
            post_id: externalPostId(spec.engine, thread, post),
            thread_id: String(thread.id),
            number: post.number,
            author: handle(post.authorId),
            posted_at: isoUtc(post.postedAt),
            quotes: post.quotes.map((q) => externalPostId(spec.engine, thread, q)),
            reply_to: post.replyTo === undefined ? null : externalPostId(spec.engine, thread, post.replyTo),
            body_text: post.text.paragraphs.join('\n'),
            code: post.text.code === undefined ? null : { ...post.text.code },
            indicators: post.text.indicators.map((i) => ({ type: i.type, value: i.value, as_written: i.asWritten })),
          });
        }
      }
    }
  }
  return gt;
}
