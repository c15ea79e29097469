/**
 * Forum date strings → ISO-8601 UTC. Forums print dates in the board's timezone and language:
 * "Yesterday at 10:12 AM", "2 часа назад", "昨天 10:12", "Вс 13 сен 2026, 01:09",
 * "11-20-2026, 10:12 PM", "2026年9月13日 10:12", or machine-readable ISO in an attribute.
 * Relative forms resolve against the fetch time. Every regex here is linear-time (no nested
 * quantifiers) because the input is forum content.
 */
export interface DateContext {
  /** When the page was fetched (relative dates count back from here). */
  readonly now: Date;
  /** The forum's display timezone: "+03:00", "UTC", or an IANA name like "Europe/Moscow". */
  readonly timezone: string;
  /** How to read ambiguous numeric dates such as 11-10-2026. */
  readonly dateOrder: 'mdy' | 'dmy';
}

const MONTHS: readonly [string, number][] = [
  // English
  ['jan', 1], ['feb', 2], ['mar', 3], ['apr', 4], ['may', 5], ['jun', 6], ['jul', 7], ['aug', 8], ['sep', 9], ['oct', 10], ['nov', 11], ['dec', 12],
  // Russian: stems cover nominative, genitive and abbreviations (январь, января, янв; май, мая)
  ['янв', 1], ['фев', 2], ['мар', 3], ['апр', 4], ['май', 5], ['мая', 5], ['июн', 6], ['июл', 7], ['авг', 8], ['сен', 9], ['окт', 10], ['ноя', 11], ['дек', 12],
  // German/French/Spanish short forms that differ from English, common on foreign boards
  ['mär', 3], ['mai', 5], ['okt', 10], ['dez', 12], ['janv', 1], ['févr', 2], ['avr', 4], ['juil', 7], ['août', 8], ['déc', 12], ['ene', 1], ['dic', 12],
];

function monthOf(word: string): number | undefined {
  if (word.length < 3) return undefined;
  let best: [string, number] | undefined;
  for (const entry of MONTHS) {
    if (word.startsWith(entry[0]) && (best === undefined || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}

const WEEKDAYS: readonly [string, number][] = [
  ['sunday', 0], ['monday', 1], ['tuesday', 2], ['wednesday', 3], ['thursday', 4], ['friday', 5], ['saturday', 6],
  ['воскресенье', 0], ['понедельник', 1], ['вторник', 2], ['среду', 3], ['среда', 3], ['четверг', 4], ['пятницу', 5], ['пятница', 5], ['субботу', 6], ['суббота', 6],
  ['星期日', 0], ['星期天', 0], ['星期一', 1], ['星期二', 2], ['星期三', 3], ['星期四', 4], ['星期五', 5], ['星期六', 6],
  ['周日', 0], ['周一', 1], ['周二', 2], ['周三', 3], ['周四', 4], ['周五', 5], ['周六', 6],
];

function weekdayOf(text: string): number | undefined {
  for (const [name, day] of WEEKDAYS) if (text.includes(name)) return day;
  return undefined;
}

const UNIT_MS: Record<string, number> = { s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, mo: 2_592_000_000, y: 31_536_000_000 };

function unitOf(word: string): string | undefined {
  if (/^(sec|秒|сек)/.test(word)) return 's';
  if (/^(min|分|мин)/.test(word)) return 'min';
  if (/^(hour|hr|小时|час|ч$)/.test(word)) return 'h';
  if (/^(day|天|日|дн|день|сут)/.test(word)) return 'd';
  if (/^(week|wk|周|星期|недел)/.test(word)) return 'w';
  if (/^(month|个月|月|месяц)/.test(word)) return 'mo';
  if (/^(year|yr|年|год|лет)/.test(word)) return 'y';
  return undefined;
}

// Building an Intl formatter costs far more than using one; a crawl uses one or two zones.
const formats = new Map<string, Intl.DateTimeFormat>();

export function offsetMinutes(timezone: string, at: number): number {
  const tz = timezone.trim();
  if (tz === '' || /^(utc|gmt|z)$/i.test(tz)) return 0;
  const fixed = /^(?:utc|gmt)?([+-])(\d{1,2}):?(\d{2})?$/i.exec(tz);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0));
  let format = formats.get(tz);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
    formats.set(tz, format);
  }
  const parts = format.formatToParts(new Date(at));
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** Throws on an unknown IANA zone, so a bad site config fails at load time. */
export function validateTimezone(timezone: string): void {
  offsetMinutes(timezone, Date.now());
}

function toIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** Wall-clock time at the forum → UTC instant. */
function fromWall(ctx: DateContext, y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  // Offset at the target instant (DST): evaluate once, correct once.
  const first = naive - offsetMinutes(ctx.timezone, naive) * 60_000;
  return naive - offsetMinutes(ctx.timezone, first) * 60_000;
}

interface Clock {
  h: number;
  mi: number;
  s: number;
}

function takeClock(s: string): { clock: Clock | undefined; rest: string } {
  const m = /(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s?([ap])\.?m\.?)?/.exec(s);
  if (!m) return { clock: undefined, rest: s };
  let h = Number(m[1]);
  if (m[4] === 'p' && h < 12) h += 12;
  if (m[4] === 'a' && h === 12) h = 0;
  return { clock: { h, mi: Number(m[2]), s: Number(m[3] ?? 0) }, rest: s.slice(0, m.index) + ' ' + s.slice(m.index + m[0].length) };
}

/**
 * Returns the UTC ISO string, or undefined when the text is not a date we can read (the caller
 * keeps the raw string either way).
 */
export function normaliseDate(raw: string, ctx: DateContext): string | undefined {
  if (raw.length > 200) return undefined;
  const s = raw.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().replace(/^(about|around|около|примерно|大约|约) ?/, '');
  if (s === '') return undefined;
  const now = ctx.now.getTime();

  // Machine-readable: ISO 8601 (optionally with offset) or a Unix timestamp.
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d{1,9})?)?\s?(z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (iso) {
    const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(iso[i] ?? 0)) as [number, number, number, number, number, number];
    const zone = iso[7];
    if (zone === undefined) {
      const ms = fromWall(ctx, y, mo, d, h, mi, sec);
      return ms === undefined ? undefined : toIso(ms);
    }
    const off = zone === 'z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    return toIso(Date.UTC(y, mo - 1, d, h, mi, sec) - off * 60_000);
  }
  if (/^\d{10}$/.test(s)) return toIso(Number(s) * 1000);

  // "just now", "a moment ago", "только что", "刚刚"
  if (/^(just now|a moment ago|moments ago|только что|刚刚|剛剛|сейчас)$/.test(s)) return toIso(Math.floor(now / 60_000) * 60_000);

  // "<n> <unit> ago" / "<n> <unit> назад" / "<n><unit>前" (n may be a word: "a", "an", "one", "минуту")
  const ago = /^(?:(\d+|an?|one)\s?)?([a-zа-яё\u4e00-\u9fff]+)\s?(ago|назад|前)$/.exec(s) ?? /^(\d+)\s?(秒|分钟|分鐘|小时|小時|天|周|星期|个月|年)(前)$/.exec(s);
  if (ago) {
    const unit = unitOf(ago[2]!);
    if (unit !== undefined) {
      const n = ago[1] === undefined || /^(an?|one)$/.test(ago[1]) ? 1 : Number(ago[1]);
      return toIso(Math.floor((now - n * UNIT_MS[unit]!) / 60_000) * 60_000);
    }
  }

  const { clock, rest } = takeClock(s);
  const t: Clock = clock ?? { h: 0, mi: 0, s: 0 };
  const local = new Date(now + offsetMinutes(ctx.timezone, now) * 60_000);
  const ly = local.getUTCFullYear();
  const lm = local.getUTCMonth() + 1;
  const ld = local.getUTCDate();

  // Day words: today / yesterday / the day before, in the forum's own calendar.
  const dayWord = /(today|yesterday|сегодня|вчера|позавчера|今天|昨天|前天)/.exec(rest);
  if (dayWord) {
    const back = { today: 0, yesterday: 1, сегодня: 0, вчера: 1, позавчера: 2, 今天: 0, 昨天: 1, 前天: 2 }[dayWord[1] as 'today'] ?? 0;
    const day = new Date(Date.UTC(ly, lm - 1, ld - back));
    const ms = fromWall(ctx, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), t.h, t.mi, t.s);
    return ms === undefined ? undefined : toIso(ms);
  }

  // "Monday at 10:12 AM" / "в понедельник, 10:12" / "星期一 10:12": the last such day this week.
  if (!/\d/.test(rest)) {
    const wd = weekdayOf(rest);
    if (wd !== undefined) {
      const today = new Date(Date.UTC(ly, lm - 1, ld)).getUTCDay();
      const back = ((today - wd + 7) % 7) || 7;
      const day = new Date(Date.UTC(ly, lm - 1, ld - back));
      const ms = fromWall(ctx, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), t.h, t.mi, t.s);
      return ms === undefined ? undefined : toIso(ms);
    }
  }

  // 2026年9月13日 / 2026年09月13日
  const cjk = /(\d{4})\s?年\s?(\d{1,2})\s?月\s?(\d{1,2})\s?日/.exec(rest);
  if (cjk) return finish(ctx, Number(cjk[1]), Number(cjk[2]), Number(cjk[3]), t);

  // Numeric: 2026-09-13, 13.09.2026, 09-13-2026, 09/13/26
  const num = /(\d{1,4})([./-])(\d{1,2})[./-](\d{2,4})/.exec(rest);
  if (num) {
    const a = Number(num[1]);
    const b = Number(num[3]);
    let c = Number(num[4]);
    if (num[1]!.length === 4) return finish(ctx, a, b, c, t);
    if (num[4]!.length === 2) c += 2000;
    if (num[2] === '.' || ctx.dateOrder === 'dmy' || a > 12) return finish(ctx, c, b, a, t);
    return finish(ctx, c, a, b, t);
  }

  // Words: "Sep 13, 2026", "13 сентября 2026", "вс 13 сен 2026", "September 13th 2026"
  let month: number | undefined;
  let year: number | undefined;
  let day: number | undefined;
  for (const m of rest.matchAll(/(\d+)|([a-zа-яёäéû]+)/g)) {
    if (m[1] !== undefined) {
      const v = Number(m[1]);
      if (m[1].length === 4) year = v;
      else if (day === undefined && v >= 1 && v <= 31) day = v;
    } else if (month === undefined) {
      month = monthOf(m[2]!);
    }
  }
  if (month !== undefined && day !== undefined) {
    if (year === undefined) {
      // "Sep 13" without a year: this year, unless that is in the future.
      year = ly;
      const candidate = fromWall(ctx, year, month, day, t.h, t.mi, t.s);
      if (candidate !== undefined && candidate > now + 86_400_000) year--;
    }
    return finish(ctx, year, month, day, t);
  }
  return undefined;
}

function finish(ctx: DateContext, y: number, mo: number, d: number, t: Clock): string | undefined {
  const ms = fromWall(ctx, y, mo, d, t.h, t.mi, t.s);
  return ms === undefined ? undefined : toIso(ms);
}
