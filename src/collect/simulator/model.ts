import { openingPost, replyText, threadTitle, titleSlots, type GeneratedText, type Language, type Topic } from './content.js';
import { onionHost, personContacts, type PersonContacts } from './indicators.js';
import { hashString, Rng } from './rng.js';

/**
 * The generative model of a hacker community. One seed gives one community: people (a few of
 * them key actors present on several forums under aliases), forums with boards, threads and
 * posts with reply/quote structure. Renderers turn it into engine markup; the ground truth file
 * is derived from it, so both always agree.
 */
export const ENGINES = ['xenforo', 'mybb', 'phpbb', 'vbulletin', 'discourse'] as const;
export type Engine = (typeof ENGINES)[number];

export interface ForumSpec {
  readonly slug: string;
  readonly name: string;
  readonly engine: Engine;
  readonly language: Language;
  /** Fixed UTC offset the forum displays its dates in (minutes), like a board's default timezone. */
  readonly utcOffsetMinutes: number;
  /** Response charset; legacy Russian boards often still serve windows-1251. */
  readonly charset?: 'utf-8' | 'windows-1251';
}

export interface SizeSpec {
  readonly threadsPerBoard: number;
  readonly minPosts: number;
  readonly maxPosts: number;
  readonly authorsPerForum: number;
}

export interface SimAuthor {
  readonly userId: number;
  readonly handle: string;
  readonly personId: string;
  readonly keyActor: boolean;
  readonly joinedAt: number;
  readonly reputation: number;
  readonly signature: string | undefined;
  /** Relative activity weight (Pareto-distributed): who writes the posts. */
  readonly weight: number;
  /** The Jabber / Telegram accounts this person gives out on this forum. */
  readonly contacts: PersonContacts;
  postCount: number;
}

export interface SimPost {
  /** Forum-wide numeric id (engines with global post ids use it). */
  readonly id: number;
  /** 1-based position in the thread. */
  readonly number: number;
  readonly authorId: number;
  readonly postedAt: number;
  readonly text: GeneratedText;
  readonly quotes: SimPost[];
  readonly replyTo: SimPost | undefined;
}

export interface SimThread {
  readonly id: number;
  readonly boardId: number;
  readonly title: string;
  readonly slug: string;
  readonly topic: Topic;
  readonly posts: SimPost[];
}

export interface SimBoard {
  readonly id: number;
  readonly name: string;
  readonly slug: string;
  readonly parentName: string;
  readonly topics: readonly Topic[];
  readonly loginRequired: boolean;
  readonly threads: SimThread[];
}

export interface SimForum {
  readonly spec: ForumSpec;
  readonly onionHost: string;
  readonly boards: SimBoard[];
  readonly authors: SimAuthor[];
  readonly login: { readonly username: string; readonly password: string };
}

export interface KeyActor {
  readonly personId: string;
  readonly aliases: { forum: string; handle: string }[];
  readonly speciality: readonly Topic[];
}

export interface Community {
  readonly seed: number;
  readonly now: number;
  readonly forums: SimForum[];
  readonly keyActors: KeyActor[];
}

export const DEFAULT_FORUMS: readonly ForumSpec[] = [
  { slug: 'breachden', name: 'BreachDen', engine: 'xenforo', language: 'en', utcOffsetMinutes: 0 },
  { slug: 'shadowbay', name: 'ShadowBay Forum', engine: 'mybb', language: 'en', utcOffsetMinutes: -300 },
  { slug: 'hackzona', name: 'ХакЗона', engine: 'phpbb', language: 'ru', utcOffsetMinutes: 180, charset: 'windows-1251' },
  { slug: 'anwang', name: '暗网技术论坛', engine: 'vbulletin', language: 'zh', utcOffsetMinutes: 480 },
  { slug: 'exploitdev', name: 'ExploitDev Community', engine: 'discourse', language: 'en', utcOffsetMinutes: 0 },
];

export const SIZES = {
  tiny: { threadsPerBoard: 2, minPosts: 2, maxPosts: 9, authorsPerForum: 14 },
  small: { threadsPerBoard: 4, minPosts: 2, maxPosts: 24, authorsPerForum: 30 },
  medium: { threadsPerBoard: 25, minPosts: 2, maxPosts: 60, authorsPerForum: 150 },
  large: { threadsPerBoard: 80, minPosts: 2, maxPosts: 120, authorsPerForum: 600 },
} as const satisfies Record<string, SizeSpec>;

interface BoardTemplate {
  readonly key: string;
  readonly topics: readonly Topic[];
  readonly loginRequired: boolean;
  readonly names: Record<Language, [string, string]>;
}

const BOARD_TEMPLATES: readonly BoardTemplate[] = [
  { key: 'exploits', topics: ['exploit'], loginRequired: false, names: { en: ['Exploits & Vulnerabilities', 'Hacking'], ru: ['Эксплойты и уязвимости', 'Хакинг'], zh: ['漏洞与利用', '黑客技术'] } },
  { key: 'malware', topics: ['malware', 'tutorial'], loginRequired: false, names: { en: ['Malware & Tutorials', 'Hacking'], ru: ['Малварь и статьи', 'Хакинг'], zh: ['恶意软件与教程', '黑客技术'] } },
  { key: 'market', topics: ['carding', 'ddos', 'access'], loginRequired: false, names: { en: ['Marketplace', 'Market'], ru: ['Торговая площадка', 'Маркет'], zh: ['交易市场', '市场'] } },
  { key: 'leaks', topics: ['leak'], loginRequired: false, names: { en: ['Databases & Leaks', 'Market'], ru: ['Базы и сливы', 'Маркет'], zh: ['数据库与泄露', '市场'] } },
  { key: 'vip', topics: ['access', 'exploit', 'leak'], loginRequired: true, names: { en: ['VIP Lounge', 'Private'], ru: ['Приватный раздел', 'Приват'], zh: ['VIP 专区', '私密'] } },
];

const SYLLABLES = ['ka', 'zo', 'rex', 'mir', 'vol', 'dan', 'tor', 'lex', 'qu', 'sin', 'ba', 'kor', 'nyx', 'ix', 'vor', 'el', 'gr', 'um', 'zet', 'pho'];
const PINYIN = ['long', 'hei', 'ying', 'feng', 'lei', 'xue', 'yun', 'tian', 'hu', 'lang', 'mo', 'shen'];
const CYR = ['Хакер', 'Кот', 'Вор', 'Бес', 'Злой', 'Тень', 'Волк', 'Ёж'];
const SIGS: Record<Language, string[]> = {
  en: ['Escrow only. No PM begging.', 'Trust but verify.', 'Quality over quantity.'],
  ru: ['Только через гаранта.', 'Доверяй, но проверяй.', 'Работаю давно.'],
  zh: ['只走担保。', '信任但要验证。', '质量第一。'],
};

function makeHandle(rng: Rng, language: Language): string {
  const roll = rng.next();
  if (language === 'ru' && roll < 0.25) return `${rng.pick(CYR)}${rng.int(1, 999)}`;
  if (language === 'zh' && roll < 0.4) return `${rng.pick(PINYIN)}${rng.pick(PINYIN)}${rng.int(1, 99)}`;
  let h = '';
  const n = rng.int(2, 3);
  for (let i = 0; i < n; i++) h += rng.pick(SYLLABLES);
  h = h[0]!.toUpperCase() + h.slice(1);
  return rng.chance(0.5) ? `${h}${rng.int(1, 99)}` : h;
}

/** An alias of a key actor's base handle: sometimes a near variant, sometimes unrelated. */
function aliasOf(rng: Rng, base: string, language: Language): string {
  const r = rng.next();
  if (r < 0.35) return base;
  if (r < 0.6) return base.toLowerCase().replace(/o/g, '0').replace(/e/g, '3');
  if (r < 0.8) return `${base}_${rng.pick(['x', 'pro', 'official', 'v2'])}`;
  return makeHandle(rng, language);
}

/**
 * A key actor gives out the same Jabber and Telegram on every forum (how analysts link aliases in
 * practice), except that every third one compartmentalises: separate accounts per forum, so
 * only the handle and the writing can link those aliases.
 */
function keyActorContacts(seed: number, index: number, personId: string, baseHandle: string, forumHandle: string, forum: string): PersonContacts {
  const rng = new Rng(hashString(`contacts:${seed}:${personId}`));
  if (index % 3 === 2) return personContacts(new Rng(hashString(`contacts:${seed}:${personId}:${forum}`)), forumHandle);
  return personContacts(rng, baseHandle);
}

function slugify(s: string, id: number): string {
  const base = s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
  return base.length > 0 ? base : `topic-${id}`;
}

export interface GenerateOptions {
  readonly seed: number;
  readonly now: number;
  readonly forums?: readonly ForumSpec[] | undefined;
  readonly size?: SizeSpec | undefined;
  readonly keyActors?: number | undefined;
}

export function generateCommunity(options: GenerateOptions): Community {
  const root = new Rng(options.seed);
  const specs = options.forums ?? DEFAULT_FORUMS;
  const size = options.size ?? SIZES.small;
  const keyActorCount = options.keyActors ?? 3;

  const actorRng = root.fork('actors');
  const keyActors: KeyActor[] = [];
  const keyBases: string[] = [];
  for (let k = 0; k < keyActorCount; k++) {
    const speciality = actorRng.shuffle(['exploit', 'access', 'malware', 'leak', 'ddos'] as Topic[]).slice(0, 2);
    keyActors.push({ personId: `key-${k + 1}`, aliases: [], speciality });
    keyBases.push(makeHandle(actorRng, 'en'));
  }

  const forums: SimForum[] = specs.map((spec, forumIndex) => {
    const rng = root.fork(`forum:${spec.slug}`);
    const used = new Set<string>();
    const authors: SimAuthor[] = [];
    const historyMs = 180 * 86_400_000;
    const addAuthor = (handle: string, personId: string, keyActor: boolean, weight: number, contacts?: PersonContacts): SimAuthor => {
      let h = handle;
      while (used.has(h.toLowerCase())) h = `${handle}${rng.int(2, 99)}`;
      used.add(h.toLowerCase());
      const author: SimAuthor = {
        userId: authors.length + 1,
        handle: h,
        personId,
        keyActor,
        joinedAt: minuteFloor(options.now - historyMs - rng.int(0, 3 * 365) * 86_400_000 - rng.int(0, 1439) * 60_000),
        reputation: Math.round((keyActor ? 200 : 0) + weight * rng.int(1, 12) - (rng.chance(0.08) ? rng.int(5, 40) : 0)),
        signature: rng.chance(0.4) ? rng.pick(SIGS[spec.language]) : undefined,
        weight,
        // Seeded from the person (not the forum's stream), so adding contacts changed no other content.
        contacts: contacts ?? personContacts(new Rng(hashString(`contacts:${options.seed}:${personId}`)), h),
        postCount: 0,
      };
      authors.push(author);
      return author;
    };
    // Key actors are present on most forums: every actor on forum k skips at most one forum.
    keyActors.forEach((actor, k) => {
      if ((forumIndex + k) % 4 === 3) return;
      const handle = aliasOf(actorRng, keyBases[k]!, spec.language);
      const author = addAuthor(handle, actor.personId, true, 40 + actorRng.int(0, 30), keyActorContacts(options.seed, k, actor.personId, keyBases[k]!, handle, spec.slug));
      actor.aliases.push({ forum: spec.slug, handle: author.handle });
    });
    for (let i = authors.length; i < size.authorsPerForum; i++) {
      addAuthor(makeHandle(rng, spec.language), `${spec.slug}-u${i + 1}`, false, rng.pareto(1.3));
    }
    const weights = authors.map((a) => a.weight);
    const keyAuthors = authors.filter((a) => a.keyActor);

    let threadId = spec.engine === 'xenforo' ? 1000 : 1;
    let postId = spec.engine === 'xenforo' ? 50_000 : 1;
    const boards: SimBoard[] = BOARD_TEMPLATES.map((template, b) => {
      const [name, parentName] = template.names[spec.language];
      const board: SimBoard = {
        id: b + 2,
        name,
        slug: template.key,
        parentName,
        topics: template.topics,
        loginRequired: template.loginRequired,
        threads: [],
      };
      for (let t = 0; t < size.threadsPerBoard; t++) {
        const topic = rng.pick(template.topics);
        // Key actors open a share of threads in their speciality (and most private ones).
        const specialists = keyAuthors.filter((a) => keyActors.find((k) => k.personId === a.personId)?.speciality.includes(topic));
        const starter =
          specialists.length > 0 && rng.chance(template.loginRequired ? 0.7 : 0.3)
            ? rng.pick(specialists)
            : authors[rng.weighted(weights)]!;
        const slots = titleSlots(rng);
        const title = threadTitle({ rng, language: spec.language, topic, authorHandle: starter.handle }, slots);
        const id = threadId++;
        // Heavy-tailed thread lengths too: most threads are short, a few run long.
        const length = Math.min(size.maxPosts, size.minPosts + Math.floor((rng.pareto(1.1) - 1) * 3));
        // Recent threads exist so the renderers show "today", "yesterday" and "N hours ago".
        const start = options.now - Math.floor(Math.pow(rng.next(), 2) * historyMs) - 3_600_000;
        const posts: SimPost[] = [];
        let at = start;
        for (let p = 0; p < length; p++) {
          const author = p === 0 ? starter : authors[rng.weighted(weights)]!;
          const ctx = { rng, language: spec.language, topic, authorHandle: author.handle, contacts: author.contacts };
          const quotes: SimPost[] = [];
          if (p > 0 && rng.chance(0.45)) {
            quotes.push(rng.chance(0.5) ? posts[0]! : posts[rng.int(0, posts.length - 1)]!);
            if (posts.length > 2 && rng.chance(0.15)) {
              const second = posts[rng.int(0, posts.length - 1)]!;
              if (second !== quotes[0]) quotes.push(second);
            }
          }
          const text = p === 0 ? openingPost(ctx, slots) : replyText(ctx, slots);
          const postedAt = minuteFloor(Math.min(at, options.now - 60_000));
          const post: SimPost = { id: postId++, number: p + 1, authorId: author.userId, postedAt, text, quotes, replyTo: quotes[0] };
          author.postCount++;
          posts.push(post);
          at += Math.floor(60_000 + rng.pareto(1.2) * 600_000);
        }
        board.threads.push({ id, boardId: board.id, title, slug: slugify(title, id), topic, posts });
      }
      return board;
    });
    return {
      spec,
      onionHost: onionHost(rng),
      boards,
      authors,
      login: { username: 'tm_crawler', password: `pass-${spec.slug}` },
    };
  });
  return { seed: options.seed, now: options.now, forums, keyActors };
}

export const minuteFloor = (ms: number): number => Math.floor(ms / 60_000) * 60_000;

/** The post id the engine exposes in its markup, which the crawler must report back. */
export function externalPostId(engine: Engine, thread: SimThread, post: SimPost): string {
  return engine === 'discourse' ? `${thread.id}/${post.number}` : String(post.id);
}

/** Posts per page as the engine's default settings would paginate them. */
export function postsPerPage(engine: Engine): number {
  return engine === 'xenforo' || engine === 'discourse' ? 20 : 10;
}

export function threadsPerPage(engine: Engine): number {
  return engine === 'discourse' ? 30 : 20;
}
