import type { Language } from '../content.js';
import type { Community, SimAuthor, SimBoard, SimForum, SimPost, SimThread } from '../model.js';

/** Everything a renderer needs besides the model object it renders. */
export interface RenderContext {
  readonly community: Community;
  readonly forum: SimForum;
  /** Path prefix of this forum on the simulator, e.g. "/breachden". */
  readonly base: string;
  readonly now: number;
  readonly loggedIn: boolean;
  readonly csrf: string;
  /** Hostile mode: emit broken markup (unclosed tags, stray closers, junk) around real content. */
  readonly malformed: boolean;
  /** Hostile mode: listings always offer one more page. */
  readonly infinitePagination: boolean;
  /** Boards listed on the index that are not part of the community: trap boards of the hostile
   * modes and a robots.txt-disallowed staff board. */
  readonly extraBoards: readonly SimBoard[];
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function authorOf(forum: SimForum, post: SimPost): SimAuthor {
  const author = forum.authors[post.authorId - 1];
  if (author === undefined) throw new Error(`simulator: post ${post.id} has no author`);
  return author;
}

export function pageCount(items: number, perPage: number): number {
  return Math.max(1, Math.ceil(items / perPage));
}

/** Threads in listing order: most recent activity first, as every engine sorts by default. */
export function threadsByActivity(threads: readonly SimThread[]): SimThread[] {
  return [...threads].sort((a, b) => lastPostAt(b) - lastPostAt(a) || b.id - a.id);
}

export function lastPostAt(thread: SimThread): number {
  return thread.posts[thread.posts.length - 1]?.postedAt ?? 0;
}

/** Wall-clock parts of a UTC instant shown at a fixed offset. */
export interface WallTime {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: number; // 0 = Sunday
}

export function wall(ms: number, offsetMinutes: number): WallTime {
  const d = new Date(ms + offsetMinutes * 60_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: d.getUTCDay() };
}

export const pad2 = (n: number): string => String(n).padStart(2, '0');

/** 0 = same local day as now, 1 = the local day before, … */
export function daysAgo(ms: number, now: number, offsetMinutes: number): number {
  const dayOf = (t: number): number => Math.floor((t + offsetMinutes * 60_000) / 86_400_000);
  return dayOf(now) - dayOf(ms);
}

export function clock12(w: WallTime): string {
  const h = w.hour % 12 === 0 ? 12 : w.hour % 12;
  return `${h}:${pad2(w.minute)} ${w.hour < 12 ? 'AM' : 'PM'}`;
}

export const EN_MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const RU_MONTHS_SHORT = ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'];
export const RU_MONTHS_GEN = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];
export const RU_WEEKDAYS = ['Вс', 'Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб'];

export function ruPlural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Text shown for "this much time ago" in the forum's language, or undefined past a few hours. */
export function relativeShort(ms: number, now: number, language: Language): string | undefined {
  const minutes = Math.floor((now - ms) / 60_000);
  if (minutes < 1) return language === 'ru' ? 'только что' : language === 'zh' ? '刚刚' : 'Just now';
  if (minutes < 60) {
    if (language === 'ru') return `${minutes} ${ruPlural(minutes, 'минуту', 'минуты', 'минут')} назад`;
    if (language === 'zh') return `${minutes} 分钟前`;
    return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 6) {
    if (language === 'ru') return `${hours} ${ruPlural(hours, 'час', 'часа', 'часов')} назад`;
    if (language === 'zh') return `${hours} 小时前`;
    return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  }
  return undefined;
}

/** Text of a post: paragraphs; the renderers add quotes and code in engine markup. */
export function paragraphsHtml(paragraphs: readonly string[], tag = 'p'): string {
  return paragraphs.map((p) => (tag === '' ? `${esc(p)}<br />` : `<${tag}>${esc(p)}</${tag}>`)).join('\n');
}

export function quoteExcerpt(post: SimPost): string {
  return post.text.paragraphs[0] ?? '';
}

/** Junk a broken forum theme or an injected ad might leave around real content. */
export function malformedNoise(i: number): string {
  const junk = [
    '<div class="ad-slot"><span>',
    '</td></tr></table>',
    '<p><b>unclosed <i>tags',
    '<script>document.write("<div>")</script>',
    '<!-- comment -- with -- dashes -->',
    '\u0000\uFFFD<br/><br>',
    '<img src=x onerror=alert(1)>',
  ];
  return junk[i % junk.length] ?? '';
}

export interface PageLinks {
  readonly prev: string | undefined;
  readonly next: string | undefined;
  readonly pages: { n: number; href: string }[];
}

export function pageLinks(page: number, total: number, href: (n: number) => string, infinite: boolean): PageLinks {
  const last = infinite ? Math.max(total, page + 1) : total;
  const pages: { n: number; href: string }[] = [];
  for (let n = 1; n <= last; n++) if (n === 1 || n === last || Math.abs(n - page) <= 2) pages.push({ n, href: href(n) });
  return { prev: page > 1 ? href(page - 1) : undefined, next: page < last ? href(page + 1) : undefined, pages };
}

export function displayDate(ctx: RenderContext, ms: number): string {
  return ms === 0 ? '' : isoUtc(ms);
}
