import { compile, selectAll, selectOne } from 'css-select';
import type { AnyNode, Document, Element } from 'domhandler';
import { getInnerHTML } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { UserError } from '../../core/errors.js';
import type { EngineProfile, Field } from './profiles/types.js';

/**
 * Applies a declarative engine profile to a parsed page. Parsing is htmlparser2: a tolerant,
 * streaming HTML tokenizer that recovers from broken markup, never runs scripts or loads
 * resources, and is several times faster than a full HTML5 tree builder — which matters at
 * hundreds of pages a second (the malformed-HTML hostile test holds it to account). Selectors
 * are css-select queries, compiled once per selector string and cached.
 */
export interface Doc {
  readonly root: Document;
}

// css-select's compile() returns a query typed over nodes; with the default (domutils) adapter
// it only ever matches elements.
type Query = ReturnType<typeof compile<AnyNode, Element>>;
const queries = new Map<string, Query>();
function query(selector: string): Query {
  let q = queries.get(selector);
  if (q === undefined) {
    q = compile<AnyNode, Element>(selector);
    queries.set(selector, q);
  }
  return q;
}

export function all(selector: string, context: AnyNode | AnyNode[]): Element[] {
  return selectAll<AnyNode, Element>(query(selector) as never, context);
}

export function one(selector: string, context: AnyNode | AnyNode[]): Element | null {
  return selectOne<AnyNode, Element>(query(selector) as never, context);
}

const attr = (el: Element, name: string): string | undefined => el.attribs[name];

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
  return { root: parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true }) };
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
  return parts.join('').replace(/\u0000/g, '').replace(/\r\n?/g, '\n').replace(/\n\n/g, '\n').replace(/^\n+/, '').trimEnd();
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
export function readField(context: AnyNode, field: Field, vars: FieldVars = {}): string | undefined {
  const spec = typeof field === 'string' ? { selector: field } : field;
  const el = spec.selector === undefined ? (context as Element) : one(spec.selector, context);
  if (el === null) return undefined;
  let value: string | undefined;
  if (spec.attr !== undefined) {
    value = el.attribs === undefined ? undefined : attr(el, spec.attr);
  } else if (spec.strip !== undefined && spec.strip.length > 0) {
    const skip = new Set<AnyNode>();
    for (const s of spec.strip) for (const n of all(s, el)) skip.add(n);
    value = textOf(el, skip).replace(/\n/g, ' ');
  } else {
    value = textOf(el).replace(/\n/g, ' ');
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
      return attr(el, key.slice(5)) ?? '';
    });
  }
  return group === '' ? undefined : group;
}

function required(context: AnyNode, field: Field, name: string, profile: EngineProfile, url: string, vars: FieldVars = {}): string {
  const value = readField(context, field, vars);
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

export function detectEngine(doc: Doc, html: string, profiles: readonly EngineProfile[]): EngineProfile | undefined {
  for (const p of profiles) {
    if (p.detect.selectors.some((s) => one(s, doc.root) !== null) || p.detect.substrings.some((s) => html.includes(s))) return p;
  }
  return undefined;
}

export interface Link {
  readonly url: string;
  readonly text: string;
}

function links(doc: Doc, selector: string, base: string): Link[] {
  const out: Link[] = [];
  for (const el of all(selector, doc.root)) {
    const url = resolveUrl(attr(el, 'href'), base);
    if (url !== undefined) out.push({ url, text: textOf(el).replace(/\n/g, ' ') });
  }
  return out;
}

export function extractIndex(doc: Doc, profile: EngineProfile, url: string): Link[] {
  const boards = links(doc, profile.index.boardLinks, url);
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

export function extractBoard(doc: Doc, profile: EngineProfile, url: string): BoardPage {
  const threads: ListedThread[] = [];
  for (const row of all(profile.board.threadRow, doc.root)) {
    const a = one(profile.board.threadLink, row);
    const href = a === null ? undefined : resolveUrl(attr(a, 'href'), url);
    if (a === null || href === undefined) continue;
    const hint = profile.board.threadHint === undefined ? undefined : readField(row, profile.board.threadHint);
    threads.push({ url: href, text: textOf(a).replace(/\n/g, ' '), hint });
  }
  const subBoards = profile.board.subBoardLinks === undefined ? [] : links(doc, profile.board.subBoardLinks, url);
  const next = one(profile.board.nextPage, doc.root);
  return { threads, subBoards, next: next === null ? undefined : resolveUrl(attr(next, 'href'), url) };
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

export function extractThread(doc: Doc, profile: EngineProfile, url: string): ThreadPage {
  const t = profile.thread;
  const idMatch = compiled(t.threadIdFromUrl).exec(url.slice(0, 2000));
  if (!idMatch?.[1]) throw new ProfileMismatchError(profile.version, 'thread.threadIdFromUrl', t.threadIdFromUrl, url);
  const threadId = idMatch[1];
  const root = doc.root;
  const title = required(root, t.title, 'thread.title', profile, url);
  const crumbs = all(t.breadcrumb, root)
    .map((el) => textOf(el).replace(/\n/g, ' '))
    .filter((s) => s !== '');
  // Engines whose breadcrumb ends with the thread itself (MyBB) would otherwise name the thread as board.
  if (crumbs.length > 0 && crumbs[crumbs.length - 1] === title) crumbs.pop();
  const posts: ExtractedPost[] = [];
  const vars = { thread: threadId };
  const postEls = all(t.post, root);
  if (postEls.length === 0) throw new ProfileMismatchError(profile.version, 'thread.post', t.post, url);
  for (const el of postEls) {
    const postId = required(el, t.postId, 'thread.postId', profile, url, vars);
    const author = required(el, t.author, 'thread.author', profile, url, vars);
    const dateRaw = required(el, t.date, 'thread.date', profile, url, vars);
    const bodyEl = one(t.body, el);
    if (bodyEl === null) throw new ProfileMismatchError(profile.version, 'thread.body', t.body, url);
    const quotes: string[] = [];
    for (const q of all(t.quote.selector, bodyEl)) {
      const target = readField(q, t.quote.target, vars);
      if (target !== undefined && !quotes.includes(target)) quotes.push(target);
    }
    const code: { language?: string; code: string }[] = [];
    for (const c of all(t.code.selector, bodyEl)) {
      const language = t.code.language === undefined ? undefined : readField(c, t.code.language, vars);
      code.push(language === undefined ? { code: codeText(c) } : { language, code: codeText(c) });
    }
    const skip = new Set<AnyNode>();
    for (const s of t.bodyExclude) for (const n of all(s, bodyEl)) skip.add(n);
    const sig = t.signature === undefined ? null : one(t.signature, el);
    posts.push({
      postId,
      author,
      authorUrl: t.authorLink === undefined ? undefined : resolveUrl(readField(el, t.authorLink, vars), url),
      authorPostCount: t.authorPostCount === undefined ? undefined : parseCount(readField(el, t.authorPostCount, vars)),
      dateRaw,
      bodyText: textOf(bodyEl, skip),
      // Stored as found: it is evidence, and consumers must sanitise it before rendering.
      bodyHtml: getInnerHTML(bodyEl, { decodeEntities: false }),
      quotes,
      code,
      signature: sig === null ? undefined : textOf(sig),
    });
  }
  const next = one(t.nextPage, root);
  return {
    threadId,
    title,
    board: crumbs.length >= 1 ? crumbs[crumbs.length - 1] : undefined,
    boardParent: crumbs.length >= 2 ? crumbs[crumbs.length - 2] : undefined,
    posts,
    next: next === null ? undefined : resolveUrl(attr(next, 'href'), url),
  };
}

export interface ProfilePage {
  readonly handle: string;
  readonly joinedRaw: string | undefined;
  readonly postCount: number | undefined;
  readonly reputation: number | undefined;
}

export function extractProfile(doc: Doc, profile: EngineProfile, url: string): ProfilePage {
  const root = doc.root;
  const p = profile.profile;
  return {
    handle: required(root, p.handle, 'profile.handle', profile, url),
    joinedRaw: p.joined === undefined ? undefined : readField(root, p.joined),
    postCount: p.postCount === undefined ? undefined : parseCount(readField(root, p.postCount)),
    reputation: p.reputation === undefined ? undefined : parseCount(readField(root, p.reputation)),
  };
}

export function needsLogin(doc: Doc, status: number, profile: EngineProfile): boolean {
  if (profile.login.requiredStatuses.includes(status)) return true;
  return profile.login.requiredSelectors.some((s) => one(s, doc.root) !== null);
}

/** Whether the page shows the profile's login form with a password field (a failed login). */
export function showsLoginForm(doc: Doc, profile: EngineProfile): boolean {
  const form = one(profile.login.form, doc.root);
  return form !== null && one(`input[name="${profile.login.password}"]`, form) !== null;
}

export interface LoginForm {
  readonly action: string;
  readonly fields: [string, string][];
}

/** The login form's action and every input's current value (hidden CSRF tokens included). */
export function findLoginForm(doc: Doc, profile: EngineProfile, url: string): LoginForm | undefined {
  const form = one(profile.login.form, doc.root);
  if (form === null) return undefined;
  const action = resolveUrl(attr(form, 'action') ?? url, url) ?? url;
  const fields: [string, string][] = [];
  for (const input of all('input', form)) {
    const name = attr(input, 'name');
    const type = (attr(input, 'type') ?? 'text').toLowerCase();
    if (name === undefined || type === 'checkbox' || type === 'submit' || type === 'button' || type === 'image') continue;
    fields.push([name, attr(input, 'value') ?? '']);
  }
  return { action, fields };
}
