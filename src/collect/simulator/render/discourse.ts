import type { SimAuthor, SimBoard, SimThread } from '../model.js';
import { postsPerPage, threadsPerPage } from '../model.js';
import {
  EN_MONTHS, EN_MONTHS_SHORT, authorOf, esc, isoUtc, malformedNoise, pageCount, pad2, paragraphsHtml, quoteExcerpt,
  threadsByActivity, wall, type RenderContext,
} from './common.js';
import type { EngineRenderer, Route } from './types.js';

/**
 * Discourse 3.x "crawler view": the server-rendered HTML Discourse sends to clients without
 * JavaScript. Post ids are post numbers inside a topic, so a post's external id is "topic/number".
 */
const boardUrl = (ctx: RenderContext, b: SimBoard, page: number): string =>
  `${ctx.base}/c/${b.slug}/${b.id}${page > 1 ? `?page=${page - 1}` : ''}`;
const threadUrl = (ctx: RenderContext, t: SimThread, page: number): string =>
  `${ctx.base}/t/${t.slug}/${t.id}${page > 1 ? `?page=${page}` : ''}`;
const memberUrl = (ctx: RenderContext, a: SimAuthor): string => `${ctx.base}/u/${encodeURIComponent(a.handle)}`;

function dTime(ctx: RenderContext, ms: number): string {
  const w = wall(ms, ctx.forum.spec.utcOffsetMinutes);
  const h = w.hour % 12 === 0 ? 12 : w.hour % 12;
  return `<time itemprop='datePublished' datetime='${isoUtc(ms)}' class='post-time'>${EN_MONTHS[w.month - 1]} ${w.day}, ${w.year},  ${h}:${pad2(w.minute)}${w.hour < 12 ? 'am' : 'pm'}</time>`;
}

function layout(ctx: RenderContext, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en" class="desktop-view not-mobile-device text-size-normal anon">
<head><meta charset="utf-8"><title>${esc(title)} - ${esc(ctx.forum.spec.name)}</title>
<meta name="generator" content="Discourse 3.2.1 - https://github.com/discourse/discourse version 1234567890abcdef">
<meta name="csrf-token" content="${ctx.csrf}"><link rel="canonical" href="${ctx.base}/"></head>
<body class="crawler ">
<header><a href="${ctx.base}/"><img src="${ctx.base}/uploads/default/logo.png" alt="${esc(ctx.forum.spec.name)}" id="site-logo"></a></header>
<div id="main-outlet" class="wrap" role="main">
${body}
</div>
<footer class="container wrap"><nav class='crawler-nav'><ul><li itemscope itemtype='http://schema.org/SiteNavigationElement'><span itemprop='name'><a href='${ctx.base}/' itemprop="url">Home </a></span></li>
<li itemscope itemtype='http://schema.org/SiteNavigationElement'><span itemprop='name'><a href='${ctx.base}/categories' itemprop="url">Categories </a></span></li>
${ctx.loggedIn ? '' : `<li><a href='${ctx.base}/login' itemprop="url">Log In</a></li>`}</ul></nav></footer>
<div id="noscript-footer"><p>Powered by <a href="https://www.discourse.org">Discourse</a>, best viewed with JavaScript enabled</p></div>
</body></html>`;
}

function nextLink(ctx: RenderContext, page: number, total: number, href: (n: number) => string, cls: string): string {
  const last = ctx.infinitePagination ? Math.max(total, page + 1) : total;
  const prev = page > 1 ? `<a href="${href(page - 1)}" rel="prev" itemprop="url">← previous page</a>` : '';
  const next = page < last ? `<b><a rel="next" itemprop="url" href="${href(page + 1)}">next page →</a></b>` : '';
  return prev || next ? `<div role='navigation' itemscope itemtype='http://schema.org/SiteNavigationElement' class="${cls}"><span itemprop='name'>${prev} ${next}</span></div>` : '';
}

export const discourse: EngineRenderer = {
  engine: 'discourse',
  noPermissionStatus: 404,
  loginFields: { username: 'login', password: 'password', csrf: 'authenticity_token' },
  threadUrl,
  boardUrl,
  route(path, q): Route | undefined {
    if (path === '/' || path === '/categories') return { kind: 'index' };
    if (path === '/login' || path === '/session') return { kind: 'login' };
    let m = /^\/c\/[a-z0-9-]+\/(\d+)$/.exec(path);
    if (m) return { kind: 'board', boardId: Number(m[1]), page: Number(q.get('page') ?? 0) + 1 };
    m = /^\/t\/[a-z0-9-]+\/(\d+)$/.exec(path);
    if (m) return { kind: 'thread', threadId: Number(m[1]), page: Number(q.get('page') ?? 1) };
    m = /^\/u\/([^/]+)$/.exec(path);
    if (m) return { kind: 'memberHandle', handle: decodeURIComponent(m[1]!) };
    return undefined;
  },
  index(ctx) {
    const rows = [...ctx.forum.boards, ...ctx.extraBoards]
      .map((b) => `<tr><td class="category" style="border-color: #0088CC"><div><h3><a href="${boardUrl(ctx, b, 1)}"><span itemprop="name">${esc(b.name)}</span></a></h3><div class="category-parent" data-parent="${esc(b.parentName)}">${esc(b.parentName)}</div></div></td><td class="topics"><div title="${b.threads.length} topics">${b.threads.length}</div></td></tr>`)
      .join('\n');
    return layout(ctx, 'Categories', `<div class="category-list"><table class="category-list"><thead><tr><th class="category">Category</th><th class="topics">Topics</th></tr></thead><tbody>${rows}</tbody></table></div>`);
  },
  board(ctx, board, page) {
    const per = threadsPerPage('discourse');
    const sorted = threadsByActivity(board.threads);
    const rows = sorted
      .slice((page - 1) * per, page * per)
      .map((t, i) => `<tr class="topic-list-item"><td class="main-link" itemprop='itemListElement' itemscope itemtype='http://schema.org/ListItem'><meta itemprop='position' content='${i + 1}'>
<span class="link-top-line"><a itemprop='url' href='${threadUrl(ctx, t, 1)}' class='title raw-link raw-topic-link'>${esc(t.title)}</a></span></td>
<td class="replies"><span class='posts' title='posts'>${t.posts.length}</span></td><td class="views"><span class='views' title='views'>${t.posts.length * 41}</span></td></tr>`)
      .join('\n');
    const nav = nextLink(ctx, page, pageCount(sorted.length, per), (n) => boardUrl(ctx, board, n), 'topic-list-nav');
    return layout(ctx, board.name, `<h1 class="category-title"><a href="${boardUrl(ctx, board, 1)}">${esc(board.name)}</a></h1>
<div class="topic-list-container" itemscope itemtype='http://schema.org/ItemList'><meta itemprop='itemListOrder' content='http://schema.org/ItemListOrderDescending'>
<table class='topic-list'><thead><tr><th>Topic</th><th></th><th class="replies">Replies</th><th class="views">Views</th></tr></thead><tbody>${rows}</tbody></table></div>${nav}`);
  },
  thread(ctx, thread, page) {
    const per = postsPerPage('discourse');
    const board = ctx.forum.boards.find((b) => b.id === thread.boardId)!;
    const posts = thread.posts
      .slice((page - 1) * per, page * per)
      .map((post, i) => {
        const a = authorOf(ctx.forum, post);
        const quotes = post.quotes
          .map((q) => {
            const qa = authorOf(ctx.forum, q);
            return `<aside class="quote no-group" data-username="${esc(qa.handle)}" data-post="${q.number}" data-topic="${thread.id}"><div class="title"><div class="quote-controls"></div><img loading="lazy" alt="" width="24" height="24" src="${ctx.base}/letter_avatar/${esc(qa.handle)}/48/5.png" class="avatar"> ${esc(qa.handle)}:</div><blockquote><p>${esc(quoteExcerpt(q))}</p></blockquote></aside>`;
          })
          .join('\n');
        const code = post.text.code ? `<pre><code class="lang-${esc(post.text.code.language)}">${esc(post.text.code.code)}</code></pre>` : '';
        return `<div id='post_${post.number}' itemprop='comment' itemscope itemtype='http://schema.org/Comment' class='topic-body crawler-post'>
<div class='crawler-post-meta'><span class="creator" itemprop="author" itemscope itemtype="http://schema.org/Person"><a itemprop="url" href='${memberUrl(ctx, a)}'><span itemprop='name'>${esc(a.handle)}</span></a></span>
<link itemprop="mainEntityOfPage" href="${threadUrl(ctx, thread, 1)}"><span class="crawler-post-infos">${dTime(ctx, post.postedAt)}<meta itemprop='dateModified' content='${isoUtc(post.postedAt)}'><span itemprop='position'>${post.number}</span></span></div>
<div class='post' itemprop='text'>${quotes}${ctx.malformed ? malformedNoise(post.id + i) : ''}${paragraphsHtml(post.text.paragraphs)}${code}</div>
<div itemprop="interactionStatistic" itemscope itemtype="http://schema.org/InteractionCounter"><meta itemprop="interactionType" content="http://schema.org/LikeAction"/><meta itemprop="userInteractionCount" content="0" /><span class='post-likes'></span></div></div>`;
      })
      .join('\n');
    const nav = nextLink(ctx, page, pageCount(thread.posts.length, per), (n) => threadUrl(ctx, thread, n), 'topic-body crawler-post');
    return layout(ctx, thread.title, `<div id="topic-title"><h1><a href="${threadUrl(ctx, thread, 1)}">${esc(thread.title)}</a></h1>
<div class="topic-category" itemscope itemtype="http://schema.org/BreadcrumbList"><span itemprop="itemListElement" itemscope itemtype="http://schema.org/ListItem"><a href="${ctx.base}/categories" class="badge-wrapper bullet" itemprop="item"><span class='category-name' itemprop='name'>${esc(board.parentName)}</span></a><meta itemprop="position" content="1" /></span>
<span itemprop="itemListElement" itemscope itemtype="http://schema.org/ListItem"><a href="${boardUrl(ctx, board, 1)}" class="badge-wrapper bullet" itemprop="item"><span class='category-name' itemprop='name'>${esc(board.name)}</span></a><meta itemprop="position" content="2" /></span></div></div>
<div itemscope itemtype='http://schema.org/DiscussionForumPosting'><meta itemprop='headline' content='${esc(thread.title)}'>${posts}</div>${nav}`);
  },
  member(ctx, a) {
    const j = wall(a.joinedAt, ctx.forum.spec.utcOffsetMinutes);
    return layout(ctx, a.handle, `<div class="user-crawler"><img alt="" src="${ctx.base}/user_avatar/${esc(a.handle)}/45/1.png" class="avatar" title="${esc(a.handle)}"><h2 class="username">${esc(a.handle)}</h2></div>
<section class="user-stats"><ul><li class="stat"><span class="label">Joined</span> <span class="value"><time datetime="${isoUtc(a.joinedAt)}">${EN_MONTHS_SHORT[j.month - 1]} '${String(j.year).slice(2)}</time></span></li>
<li class="stat"><span class="label">Posts</span> <span class="value">${a.postCount}</span></li><li class="stat likes-received"><span class="label">Likes received</span> <span class="value">${a.reputation}</span></li></ul></section>`);
  },
  login(ctx, error) {
    return layout(ctx, 'Log In', `${error ? `<div class="alert alert-error">${esc(error)}</div>` : ''}<form id="login-form" action="${ctx.base}/session" method="post">
<input type="hidden" name="authenticity_token" value="${ctx.csrf}"><label>Username or email <input name="login" type="text" id="login-account-name"></label>
<label>Password <input name="password" type="password" id="login-account-password"></label><button type="submit" class="btn-primary">Log In</button></form>`);
  },
  noPermission(ctx) {
    return layout(ctx, 'Page Not Found', `<div class="page-not-found"><h1 class="title">Oops! That page doesn’t exist or is private.</h1></div>`);
  },
};
