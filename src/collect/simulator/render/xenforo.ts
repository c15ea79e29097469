import type { SimAuthor, SimBoard, SimThread } from '../model.js';
import { postsPerPage, threadsPerPage } from '../model.js';
import {
  EN_MONTHS_SHORT, authorOf, clock12, daysAgo, esc, isoUtc, malformedNoise, pageCount, pageLinks, paragraphsHtml,
  quoteExcerpt, threadsByActivity, wall, type RenderContext,
} from './common.js';
import type { EngineRenderer, Route } from './types.js';

/** XenForo 2.2 default style ("XF"), reduced to the markup a crawler reads. */
const handleSlug = (a: SimAuthor): string => a.handle.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'member';

function boardUrl(ctx: RenderContext, board: SimBoard, page: number): string {
  return `${ctx.base}/forums/${board.slug}.${board.id}/${page > 1 ? `page-${page}` : ''}`;
}
function threadUrl(ctx: RenderContext, thread: SimThread, page: number): string {
  return `${ctx.base}/threads/${thread.slug}.${thread.id}/${page > 1 ? `page-${page}` : ''}`;
}
function memberUrl(ctx: RenderContext, a: SimAuthor): string {
  return `${ctx.base}/members/${handleSlug(a)}.${a.userId}/`;
}

function xfTime(ctx: RenderContext, ms: number): string {
  const w = wall(ms, ctx.forum.spec.utcOffsetMinutes);
  const dateString = `${EN_MONTHS_SHORT[w.month - 1]} ${w.day}, ${w.year}`;
  const ago = daysAgo(ms, ctx.now, ctx.forum.spec.utcOffsetMinutes);
  const minutes = Math.floor((ctx.now - ms) / 60_000);
  let text: string;
  if (minutes < 1) text = 'A moment ago';
  else if (minutes < 60) text = `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  else if (ago === 0) text = `Today at ${clock12(w)}`;
  else if (ago === 1) text = `Yesterday at ${clock12(w)}`;
  else text = dateString;
  const iso = isoUtc(ms).replace('Z', '+0000');
  return `<time class="u-dt" dir="auto" datetime="${iso}" data-time="${Math.floor(ms / 1000)}" data-date-string="${dateString}" data-time-string="${clock12(w)}" title="${dateString} at ${clock12(w)}">${text}</time>`;
}

function layout(ctx: RenderContext, title: string, crumbs: [string, string][], body: string): string {
  const crumbHtml = crumbs
    .map(([href, name], i) => `<li itemprop="itemListElement" itemscope><a href="${href}" itemprop="item"><span itemprop="name">${esc(name)}</span></a><meta itemprop="position" content="${i + 1}" /></li>`)
    .join('');
  const account = ctx.loggedIn
    ? `<a href="${ctx.base}/account/" class="p-navgroup-link p-navgroup-link--user"><span class="p-navgroup-linkText">${esc(ctx.forum.login.username)}</span></a>`
    : `<a href="${ctx.base}/login/" class="p-navgroup-link p-navgroup-link--logIn" rel="nofollow"><span class="p-navgroup-linkText">Log in</span></a>`;
  return `<!DOCTYPE html>
<html id="XF" lang="en-US" dir="LTR" data-app="public" data-template="forum_view" data-container-key="" data-logged-in="${ctx.loggedIn}" class="has-no-js template-forum_view">
<head><meta charset="utf-8" /><title>${esc(title)} | ${esc(ctx.forum.spec.name)}</title>
<link rel="stylesheet" href="${ctx.base}/css.php?css=public%3Anormalize.css&amp;s=1&amp;l=1" /></head>
<body data-template="forum_view">
<div class="p-pageWrapper" id="top">
<header class="p-header" id="header"><div class="p-header-inner"><div class="p-header-content"><div class="p-header-logo p-header-logo--image"><a href="${ctx.base}/forums/">${esc(ctx.forum.spec.name)}</a></div></div></div></header>
<nav class="p-nav"><div class="p-navgroup p-account">${account}</div></nav>
<div class="p-body"><div class="p-body-inner">
<ul class="p-breadcrumbs " itemscope itemtype="https://schema.org/BreadcrumbList">${crumbHtml}</ul>
<div class="p-body-header"><div class="p-title "><h1 class="p-title-value">${esc(title)}</h1></div></div>
<div class="p-body-main"><div class="p-body-content"><div class="p-body-pageContent">
${body}
</div></div></div></div></div>
<footer class="p-footer" id="footer"><div class="p-footer-copyright"><a href="https://xenforo.com" class="u-concealed" dir="ltr" target="_blank" rel="sponsored noopener">Community platform by XenForo<sup>&reg;</sup> <span class="copyright">&copy; 2010-2024 XenForo Ltd.</span></a></div></footer>
</div></body></html>`;
}

function pageNav(ctx: RenderContext, page: number, total: number, href: (n: number) => string): string {
  const links = pageLinks(page, total, href, ctx.infinitePagination);
  if (links.pages.length <= 1) return '';
  const items = links.pages.map((p) => `<li class="pageNav-page${p.n === page ? ' pageNav-page--current' : ''}"><a href="${p.href}">${p.n}</a></li>`).join('');
  return `<div class="block-outer"><div class="block-outer-main"><nav class="pageNavWrapper pageNavWrapper--mixed"><div class="pageNav">
${links.prev ? `<a href="${links.prev}" class="pageNav-jump pageNav-jump--prev">Prev</a>` : ''}<ul class="pageNav-main">${items}</ul>
${links.next ? `<a href="${links.next}" class="pageNav-jump pageNav-jump--next">Next</a>` : ''}</div></nav></div></div>`;
}

export const xenforo: EngineRenderer = {
  engine: 'xenforo',
  noPermissionStatus: 403,
  loginFields: { username: 'login', password: 'password', csrf: '_xfToken' },
  threadUrl,
  boardUrl,
  route(path: string): Route | undefined {
    if (path === '/' || path === '/forums/' || path === '/index.php') return { kind: 'index' };
    if (path === '/login/' || path === '/login/login') return { kind: 'login' };
    let m = /^\/forums\/[a-z0-9-]*\.(\d+)\/(?:page-(\d+))?$/.exec(path);
    if (m) return { kind: 'board', boardId: Number(m[1]), page: Number(m[2] ?? 1) };
    m = /^\/threads\/[a-z0-9-]*\.(\d+)\/(?:page-(\d+))?$/.exec(path);
    if (m) return { kind: 'thread', threadId: Number(m[1]), page: Number(m[2] ?? 1) };
    m = /^\/members\/[a-z0-9-]*\.(\d+)\/$/.exec(path);
    if (m) return { kind: 'member', userId: Number(m[1]) };
    return undefined;
  },
  index(ctx) {
    const groups = new Map<string, SimBoard[]>();
    for (const b of [...ctx.forum.boards, ...ctx.extraBoards]) groups.set(b.parentName, [...(groups.get(b.parentName) ?? []), b]);
    let i = 0;
    const blocks = [...groups].map(([parent, boards]) => {
      const nodes = boards
        .map((b) => `<div class="node node--id${b.id} node--depth2 node--forum node--read"><div class="node-body"><div class="node-main js-nodeMain"><h3 class="node-title"><a href="${boardUrl(ctx, b, 1)}" data-xf-init="element-tooltip" data-shortcut="node-description">${esc(b.name)}</a></h3></div>
<div class="node-stats"><dl class="pairs pairs--rows"><dt>Threads</dt><dd>${b.threads.length}</dd></dl></div></div></div>`)
        .join('\n');
      return `<div class="block block--category block--category${++i}"><span class="u-anchorTarget" id="${esc(parent.toLowerCase())}.${i}"></span><div class="block-container"><h2 class="block-header"><a href="${ctx.base}/forums/#${i}">${esc(parent)}</a></h2><div class="block-body">${nodes}</div></div></div>`;
    });
    return layout(ctx, 'Forums', [[`${ctx.base}/forums/`, 'Forums']], blocks.join('\n'));
  },
  board(ctx, board, page) {
    const per = threadsPerPage('xenforo');
    const sorted = threadsByActivity(board.threads);
    const slice = sorted.slice((page - 1) * per, page * per);
    const items = slice
      .map((t) => {
        const starter = authorOf(ctx.forum, t.posts[0]!);
        const last = t.posts[t.posts.length - 1]!;
        return `<div class="structItem structItem--thread js-inlineModContainer js-threadListItem-${t.id}" data-author="${esc(starter.handle)}">
<div class="structItem-cell structItem-cell--main" data-xf-init="touch-proxy"><div class="structItem-title"><a href="${threadUrl(ctx, t, 1)}" class="" data-tp-primary="on" data-xf-init="preview-tooltip">${esc(t.title)}</a></div>
<div class="structItem-minor"><ul class="structItem-parts"><li><a href="${memberUrl(ctx, starter)}" class="username " dir="auto" data-user-id="${starter.userId}">${esc(starter.handle)}</a></li><li class="structItem-startDate">${xfTime(ctx, t.posts[0]!.postedAt)}</li></ul></div></div>
<div class="structItem-cell structItem-cell--meta" title="First message reaction score: 0"><dl class="pairs pairs--justified"><dt>Replies</dt><dd>${t.posts.length - 1}</dd></dl></div>
<div class="structItem-cell structItem-cell--latest">${xfTime(ctx, last.postedAt)}</div></div>`;
      })
      .join('\n');
    const nav = pageNav(ctx, page, pageCount(sorted.length, per), (n) => boardUrl(ctx, board, n));
    const body = `${nav}<div class="block-container"><div class="block-body"><div class="structItemContainer"><div class="structItemContainer-group js-threadList">${items}</div></div></div></div>${nav}`;
    return layout(ctx, board.name, [[`${ctx.base}/forums/`, 'Forums'], [`${ctx.base}/forums/#${esc(board.parentName.toLowerCase())}`, board.parentName]], body);
  },
  thread(ctx, thread, page) {
    const per = postsPerPage('xenforo');
    const board = ctx.forum.boards.find((b) => b.id === thread.boardId)!;
    const slice = thread.posts.slice((page - 1) * per, page * per);
    const articles = slice
      .map((post, i) => {
        const a = authorOf(ctx.forum, post);
        const quotes = post.quotes
          .map((q) => {
            const qa = authorOf(ctx.forum, q);
            return `<blockquote data-attributes="member: ${qa.userId}" data-quote="${esc(qa.handle)}" data-source="post: ${q.id}" class="bbCodeBlock bbCodeBlock--expandable bbCodeBlock--quote js-expandWatch">
<div class="bbCodeBlock-title"><a href="${ctx.base}/goto/post?id=${q.id}" class="bbCodeBlock-sourceJump" rel="nofollow" data-xf-click="attribution" data-content-selector="#post-${q.id}">${esc(qa.handle)} said:</a></div>
<div class="bbCodeBlock-content"><div class="bbCodeBlock-expandContent js-expandContent ">${esc(quoteExcerpt(q))}</div></div></blockquote>`;
          })
          .join('\n');
        const code = post.text.code
          ? `<div class="bbCodeBlock bbCodeBlock--code"><div class="bbCodeBlock-title">Code:</div><div class="bbCodeBlock-content" dir="ltr"><pre class="bbCodeCode" dir="ltr" data-xf="2" data-lang="${esc(post.text.code.language)}"><code>${esc(post.text.code.code)}</code></pre></div></div>`
          : '';
        const sig = a.signature ? `<aside class="message-signature"><div class="bbWrapper">${esc(a.signature)}</div></aside>` : '';
        const noise = ctx.malformed ? malformedNoise(post.id + i) : '';
        return `<article class="message message--post js-post js-inlineModContainer" data-author="${esc(a.handle)}" data-content="post-${post.id}" id="js-post-${post.id}">
<span class="u-anchorTarget" id="post-${post.id}"></span><div class="message-inner"><div class="message-cell message-cell--user"><section class="message-user" itemscope itemtype="https://schema.org/Person">
<div class="message-userDetails"><h4 class="message-name"><a href="${memberUrl(ctx, a)}" class="username " dir="auto" data-user-id="${a.userId}" itemprop="name">${esc(a.handle)}</a></h4></div>
<div class="message-userExtras"><dl class="pairs pairs--justified"><dt>Joined</dt><dd>${EN_MONTHS_SHORT[new Date(a.joinedAt).getUTCMonth()]} ${new Date(a.joinedAt).getUTCDate()}, ${new Date(a.joinedAt).getUTCFullYear()}</dd></dl><dl class="pairs pairs--justified"><dt>Messages</dt><dd>${a.postCount}</dd></dl></div></section></div>
<div class="message-cell message-cell--main"><div class="message-main js-quickEditTarget"><header class="message-attribution message-attribution--split"><ul class="message-attribution-main listInline "><li class="u-concealed"><a href="${threadUrl(ctx, thread, page)}#post-${post.id}" rel="nofollow">${xfTime(ctx, post.postedAt)}</a></li></ul>
<ul class="message-attribution-opposite message-attribution-opposite--list "><li><a href="${ctx.base}/posts/${post.id}/" rel="nofollow">#${post.number}</a></li></ul></header>
<div class="message-content js-messageContent"><div class="message-userContent lbContainer js-lbContainer " data-lb-id="post-${post.id}"><article class="message-body js-selectToQuote"><div class="bbWrapper">${quotes}${noise}${paragraphsHtml(post.text.paragraphs, '')}${code}</div></article></div>
${sig}</div></div></div></div></article>`;
      })
      .join('\n');
    const nav = pageNav(ctx, page, pageCount(thread.posts.length, per), (n) => threadUrl(ctx, thread, n));
    const body = `${nav}<div class="block block--messages" data-xf-init="" data-type="post" data-href="${ctx.base}/inline-mod/"><div class="block-container lbContainer"><div class="block-body js-replyNewMessageContainer">${articles}</div></div></div>${nav}`;
    return layout(ctx, thread.title, [[`${ctx.base}/forums/`, 'Forums'], [`${ctx.base}/forums/#${esc(board.parentName.toLowerCase())}`, board.parentName], [boardUrl(ctx, board, 1), board.name]], body);
  },
  member(ctx, a) {
    const body = `<div class="block"><div class="block-container"><div class="block-body"><div class="memberHeader "><div class="memberHeader-main"><div class="memberHeader-content memberHeader-content--info">
<h1 class="memberHeader-name"><span class="username " dir="auto" data-user-id="${a.userId}">${esc(a.handle)}</span></h1>
<div class="memberHeader-blurbContainer"><div class="memberHeader-blurb"><dl class="pairs pairs--inline"><dt>Joined</dt><dd>${xfTime(ctx, a.joinedAt)}</dd></dl></div></div></div></div>
<div class="memberHeader-content"><div class="memberHeader-stats"><div class="pairJustifier"><dl class="pairs pairs--rows pairs--rows--centered fauxBlockLink"><dt>Messages</dt><dd><a href="${ctx.base}/search/member?user_id=${a.userId}" class="fauxBlockLink-linkRow u-concealed">${a.postCount.toLocaleString('en-US')}</a></dd></dl>
<dl class="pairs pairs--rows pairs--rows--centered"><dt>Reaction score</dt><dd>${a.reputation.toLocaleString('en-US')}</dd></dl></div></div></div></div></div></div></div>`;
    return layout(ctx, a.handle, [[`${ctx.base}/members/`, 'Members']], body);
  },
  login(ctx, error) {
    return layout(ctx, 'Log in', [[`${ctx.base}/forums/`, 'Forums']], loginForm(ctx, error));
  },
  noPermission(ctx) {
    return layout(ctx, 'Oops! We ran into some problems.', [[`${ctx.base}/forums/`, 'Forums']], `<div class="blockMessage">You must be logged-in to do that.</div>${loginForm(ctx)}`);
  },
};

function loginForm(ctx: RenderContext, error?: string): string {
    const err = error ? `<div class="blockMessage blockMessage--error blockMessage--iconic">${esc(error)}</div>` : '';
    return `${err}<form action="${ctx.base}/login/login" method="post" class="block" data-xf-init="ajax-submit"><input type="hidden" name="_xfToken" value="${ctx.csrf}" />
<div class="block-container"><div class="block-body"><dl class="formRow"><dt>Your name or email address</dt><dd><input type="text" class="input" name="login" autocomplete="username" /></dd></dl>
<dl class="formRow"><dt>Password</dt><dd><input type="password" class="input" name="password" autocomplete="current-password" /></dd></dl>
<dl class="formRow"><dd><label><input type="checkbox" name="remember" value="1" checked="checked" /> Stay logged in</label></dd></dl></div>
<dl class="formRow formSubmitRow"><dd><button type="submit" class="button--primary button">Log in</button></dd></dl></div><input type="hidden" name="_xfRedirect" value="${ctx.base}/forums/" /></form>`;
}
