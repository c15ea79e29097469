import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { UserError } from '../../core/errors.js';
import type { EngineProfile, Field } from './profiles/types.js';

/**
 * Applies a declarative engine profile to a parsed page. Parsing is htmlparser2 through cheerio:
 * a tolerant, streaming HTML tokenizer that recovers from broken markup, never runs scripts or
 * loads resources, and is several times faster than a full HTML5 tree builder (parse5) — which
 * matters at hundreds of pages a second. The malformed-HTML hostile test holds it to account.
 */
export type Doc = cheerio.CheerioAPI;

export class ProfileMismatchError extends UserError {
  constructor(
    readonly profile: string,
    readonly field: string,
    readonly selector: string,
    readonly url: string,
  ) {
    super(`profile ${profile} no longer matches ${url}: ${field} (selector "${selector}") matched nothing — the site may have changed its theme; fix the selector or supply a custom profile`);
    this.name = 'ProfileMismatchError';
  }
}

export function parseHtml(html: string): Doc {
  // `xml` with xmlMode false selects htmlparser2 in HTML mode (cheerio's documented switch).
  return cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true } });
}

const BLOCK = new Set(['p', 'div', 'li', 'ul', 'ol', 'tr', 'table', 'blockquote', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dd', 'dt', 'dl', 'section', 'article', 'aside', 'header', 'footer', 'hr', 'form', 'fieldset']);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'svg', 'head']);

function collectText(node: AnyNode, out: string[], preserve: boolean, skip?: ReadonlySet<AnyNode>): void {
  if (skip !== undefined && skip.has(node)) return;
  if (node.type === 'text') {
    out.push((node as unknown as { data: string }).data);
    return;
  }
  if (node.type !== 'tag' && node.type !== 'root') return;
  const el = node as Element;
  const name = el.name?.toLowerCase() ?? '';
  if (SKIP.has(name)) return;
  if (name === 'br') {
    out.push('\n');
    return;
  }
  const block = BLOCK.has(name);
  if (block && !preserve) out.push('\n');
  for (const child of el.children ?? []) collectText(child, out, preserve, skip);
  if (block && !preserve) out.push('\n');
}

/** Visible text with line structure: <br> and block elements become line breaks. `skip`: subtrees left out. */
export function textOf(node: AnyNode, skip?: ReadonlySet<AnyNode>): string {
  const parts: string[] = [];
  collectText(node, parts, false, skip);
  return parts
    .join('')
    .replace(/\u0000/g, '')
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f\v\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** Code keeps its whitespace; MyBB-style <br /> line breaks become newlines. */
export function codeText(node: AnyNode): string {
  const parts: string[] = [];
  collectText(node, parts, true);
  return parts.join('').replace(/\u0000/g, '').replace(/\r\n?/g, '\n').replace(/\n\n/g, '\n').replace(/^\n+|\s+$/g, '');
}

export interface FieldVars {
  readonly thread?: string | undefined;
}

const regexCache = new Map<string, RegExp>();
function compiled(source: string): RegExp {
  let re = regexCache.get(source);
  if (re === undefined) {
    re = new RegExp(source, 'u');
    regexCache.set(source, re);
  }
  return re;
}

/** Reads one field relative to `context`; undefined when the element or value is missing. */
export function readField($: Doc, context: AnyNode, field: Field, vars: FieldVars = {}): string | undefined {
  const spec = typeof field === 'string' ? { selector: field } : field;
  const el = spec.selector === undefined ? $(context as Element) : $(context as Element).find(spec.selector).first();
  if (el.length === 0) return undefined;
  let value: string | undefined;
  if (spec.attr !== undefined) {
    value = el.attr(spec.attr);
  } else if (spec.strip !== undefined && spec.strip.length > 0) {
    const skip = new Set<AnyNode>();
    for (const s of spec.strip) for (const n of el.find(s).toArray()) skip.add(n);
    value = textOf(el[0]!, skip).replace(/\n/g, ' ');
  } else {
    value = textOf(el[0]!).replace(/\n/g, ' ');
  }
  if (value === undefined) return undefined;
  value = value.trim();
  let group = value;
  if (spec.regex !== undefined) {
    // Bounded input keeps even a careless custom regex from running away.
    const m = compiled(spec.regex).exec(value.slice(0, 1000));
    if (!m) return undefined;
    group = m[1] ?? m[0];
  }
  if (spec.template !== undefined) {
    return spec.template.replace(/\{(1|thread|attr:[\w-]+)\}/g, (_all, key: string) => {
      if (key === '1') return group;
      if (key === 'thread') return vars.thread ?? '';
      return el.attr(key.slice(5)) ?? '';
    });
  }
  return group === '' ? undefined : group;
}

function required($: Doc, context: AnyNode, field: Field, name: string, profile: EngineProfile, url: string, vars: FieldVars = {}): string {
  const value = readField($, context, field, vars);
  if (value === undefined) throw new ProfileMismatchError(profile.version, name, typeof field === 'string' ? field : (field.selector ?? `[${field.attr ?? 'text'}]`), url);
  return value;
}

export function parseCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /(-?)\s?(\d[\d,.\s]*)/.exec(value);
  if (!m) return undefined;
  const digits = m[2]!.replace(/[^\d]/g, '');
  if (digits === '' || digits.length > 15) return undefined;
  const n = Number(digits);
  return m[1] === '-' ? -n : n;
}

function resolveUrl(href: string | undefined, base: string): string | undefined {
  if (href === undefined || href === '' || /^(javascript|mailto|data):/i.test(href.trim())) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
}

export function detectEngine($: Doc, html: string, profiles: readonly EngineProfile[]): EngineProfile | undefined {
  for (const p of profiles) {
    if (p.detect.selectors.some((s) => $(s).length > 0) || p.detect.substrings.some((s) => html.includes(s))) return p;
  }
  return undefined;
}

export interface Link {
  readonly url: string;
  readonly text: string;
}

function links($: Doc, selector: string, base: string): Link[] {
  const out: Link[] = [];
  $(selector).each((_i, el) => {
    const url = resolveUrl($(el).attr('href'), base);
    if (url !== undefined) out.push({ url, text: textOf(el).replace(/\n/g, ' ') });
  });
  return out;
}

export function extractIndex($: Doc, profile: EngineProfile, url: string): Link[] {
  const boards = links($, profile.index.boardLinks, url);
  if (boards.length === 0) throw new ProfileMismatchError(profile.version, 'index.boardLinks', profile.index.boardLinks, url);
  return boards;
}

export interface ListedThread extends Link {
  readonly hint: string | undefined;
}

export interface BoardPage {
  readonly threads: ListedThread[];
  readonly subBoards: Link[];
  readonly next: string | undefined;
}

export function extractBoard($: Doc, profile: EngineProfile, url: string): BoardPage {
  const threads: ListedThread[] = [];
  $(profile.board.threadRow).each((_i, row) => {
    const a = $(row).find(profile.board.threadLink).first();
    const href = resolveUrl(a.attr('href'), url);
    if (href === undefined) return;
    const hint = profile.board.threadHint === undefined ? undefined : readField($, row, profile.board.threadHint);
    threads.push({ url: href, text: textOf(a[0]!).replace(/\n/g, ' '), hint });
  });
  const subBoards = profile.board.subBoardLinks === undefined ? [] : links($, profile.board.subBoardLinks, url);
  return { threads, subBoards, next: resolveUrl($(profile.board.nextPage).first().attr('href'), url) };
}

export interface ExtractedPost {
  readonly postId: string;
  readonly author: string;
  readonly authorUrl: string | undefined;
  readonly authorPostCount: number | undefined;
  readonly dateRaw: string;
  readonly bodyText: string;
  readonly bodyHtml: string;
  readonly quotes: string[];
  readonly code: { language?: string; code: string }[];
  readonly signature: string | undefined;
}

export interface ThreadPage {
  readonly threadId: string;
  readonly title: string;
  readonly board: string | undefined;
  readonly boardParent: string | undefined;
  readonly posts: ExtractedPost[];
  readonly next: string | undefined;
}

export function extractThread($: Doc, profile: EngineProfile, url: string): ThreadPage {
  const t = profile.thread;
  const idMatch = compiled(t.threadIdFromUrl).exec(url.slice(0, 2000));
  if (!idMatch?.[1]) throw new ProfileMismatchError(profile.version, 'thread.threadIdFromUrl', t.threadIdFromUrl, url);
  const threadId = idMatch[1];
  const root = $.root()[0]!;
  const title = required($, root, t.title, 'thread.title', profile, url);
  const crumbs = $(t.breadcrumb)
    .toArray()
    .map((el) => textOf(el).replace(/\n/g, ' '))
    .filter((s) => s !== '');
  // Engines whose breadcrumb ends with the thread itself (MyBB) would otherwise name the thread as board.
  if (crumbs.length > 0 && crumbs[crumbs.length - 1] === title) crumbs.pop();
  const posts: ExtractedPost[] = [];
  const vars = { thread: threadId };
  const postEls = $(t.post).toArray();
  if (postEls.length === 0) throw new ProfileMismatchError(profile.version, 'thread.post', t.post, url);
  for (const el of postEls) {
    const postId = required($, el, t.postId, 'thread.postId', profile, url, vars);
    const author = required($, el, t.author, 'thread.author', profile, url, vars);
    const dateRaw = required($, el, t.date, 'thread.date', profile, url, vars);
    const bodyEl = $(el).find(t.body).first();
    if (bodyEl.length === 0) throw new ProfileMismatchError(profile.version, 'thread.body', t.body, url);
    const quotes: string[] = [];
    bodyEl.find(t.quote.selector).each((_i, q) => {
      const target = readField($, q, t.quote.target, vars);
      if (target !== undefined && !quotes.includes(target)) quotes.push(target);
    });
    const code: { language?: string; code: string }[] = [];
    bodyEl.find(t.code.selector).each((_i, c) => {
      const language = t.code.language === undefined ? undefined : readField($, c, t.code.language, vars);
      code.push(language === undefined ? { code: codeText(c) } : { language, code: codeText(c) });
    });
    const skip = new Set<AnyNode>();
    for (const s of t.bodyExclude) for (const n of bodyEl.find(s).toArray()) skip.add(n);
    const sig = t.signature === undefined ? undefined : $(el).find(t.signature).first();
    posts.push({
      postId,
      author,
      authorUrl: t.authorLink === undefined ? undefined : resolveUrl(readField($, el, t.authorLink, vars), url),
      authorPostCount: t.authorPostCount === undefined ? undefined : parseCount(readField($, el, t.authorPostCount, vars)),
      dateRaw,
      bodyText: textOf(bodyEl[0]!, skip),
      // Stored as found (minus nothing): it is evidence, and consumers must sanitise before rendering.
      bodyHtml: bodyEl.html() ?? '',
      quotes,
      code,
      signature: sig !== undefined && sig.length > 0 ? textOf(sig[0]!) : undefined,
    });
  }
  return {
    threadId,
    title,
    board: crumbs.length >= 1 ? crumbs[crumbs.length - 1] : undefined,
    boardParent: crumbs.length >= 2 ? crumbs[crumbs.length - 2] : undefined,
    posts,
    next: resolveUrl($(t.nextPage).first().attr('href'), url),
  };
}

export interface ProfilePage {
  readonly handle: string;
  readonly joinedRaw: string | undefined;
  readonly postCount: number | undefined;
  readonly reputation: number | undefined;
}

export function extractProfile($: Doc, profile: EngineProfile, url: string): ProfilePage {
  const root = $.root()[0]!;
  const p = profile.profile;
  return {
    handle: required($, root, p.handle, 'profile.handle', profile, url),
    joinedRaw: p.joined === undefined ? undefined : readField($, root, p.joined),
    postCount: p.postCount === undefined ? undefined : parseCount(readField($, root, p.postCount)),
    reputation: p.reputation === undefined ? undefined : parseCount(readField($, root, p.reputation)),
  };
}

export function needsLogin($: Doc, status: number, profile: EngineProfile): boolean {
  if (profile.login.requiredStatuses.includes(status)) return true;
  return profile.login.requiredSelectors.some((s) => $(s).length > 0);
}

export interface LoginForm {
  readonly action: string;
  readonly fields: [string, string][];
}

/** The login form's action and every input's current value (hidden CSRF tokens included). */
export function findLoginForm($: Doc, profile: EngineProfile, url: string): LoginForm | undefined {
  const form = $(profile.login.form).first();
  if (form.length === 0) return undefined;
  const action = resolveUrl(form.attr('action') ?? url, url) ?? url;
  const fields: [string, string][] = [];
  form.find('input').each((_i, input) => {
    const name = $(input).attr('name');
    const type = ($(input).attr('type') ?? 'text').toLowerCase();
    if (name === undefined || type === 'checkbox' || type === 'submit' || type === 'button' || type === 'image') return;
    fields.push([name, $(input).attr('value') ?? '']);
  });
  return { action, fields };
}
