import type { SimAuthor, SimBoard, SimThread } from '../model.js';
import { postsPerPage, threadsPerPage } from '../model.js';
import {
  EN_MONTHS_SHORT, authorOf, clock12, daysAgo, esc, malformedNoise, pad2, pageCount, pageLinks, paragraphsHtml,
  quoteExcerpt, relativeShort, threadsByActivity, wall, type RenderContext,
} from './common.js';
import type { EngineRenderer, Route } from './types.js';

/** MyBB 1.8 default theme. Dates use the default m-d-Y format and "Today"/"Yesterday". */
const boardUrl = (ctx: RenderContext, b: SimBoard, page: number): string =>
  `${ctx.base}/forumdisplay.php?fid=${b.id}${page > 1 ? `&amp;page=${page}` : ''}`;
const threadUrl = (ctx: RenderContext, t: SimThread, page: number): string =>
  `${ctx.base}/showthread.php?tid=${t.id}${page > 1 ? `&amp;page=${page}` : ''}`;
const memberUrl = (ctx: RenderContext, a: SimAuthor): string => `${ctx.base}/member.php?action=profile&amp;uid=${a.userId}`;

function mybbDate(ctx: RenderContext, ms: number): string {
  const off = ctx.forum.spec.utcOffsetMinutes;
  const w = wall(ms, off);
  const abs = `${pad2(w.month)}-${pad2(w.day)}-${w.year}`;
  const rel = relativeShort(ms, ctx.now, 'en');
  if (rel !== undefined) return `<span title="${abs}, ${clock12(w)}">${rel}</span>`;
  const ago = daysAgo(ms, ctx.now, off);
  if (ago === 0) return `<span title="${abs}">Today</span>, ${clock12(w)}`;
  if (ago === 1) return `<span title="${abs}">Yesterday</span>, ${clock12(w)}`;
  return `${abs}, ${clock12(w)}`;
}

function layout(ctx: RenderContext, title: string, crumbs: [string, string][], body: string): string {
  const nav = [[`${ctx.base}/index.php`, ctx.forum.spec.name] as [string, string], ...crumbs]
    .map(([href, name], i, all) => (i === all.length - 1 && all.length > 1 ? `<span class="active">${esc(name)}</span>` : `<a href="${href}">${esc(name)}</a>`))
    .join(' &rsaquo; ');
  const welcome = ctx.loggedIn
    ? `<span class="welcome">Welcome back, <strong><a href="${ctx.base}/member.php?action=profile">${esc(ctx.forum.login.username)}</a></strong>.</span>`
    : `<span class="welcome">Hello There, Guest! <a href="${ctx.base}/member.php?action=login" class="login">Login</a></span>`;
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xml:lang="en" lang="en" xmlns="http://www.w3.org/1999/xhtml">
<head><title>${esc(ctx.forum.spec.name)} - ${esc(title)}</title><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<script type="text/javascript" src="${ctx.base}/jscripts/general.js?ver=1827"></script>
<script type="text/javascript">var my_post_key = "${ctx.csrf}";</script></head>
<body><div id="container"><a name="top" id="top"></a>
<div id="header"><div id="logo"><div class="wrapper"><a href="${ctx.base}/index.php"><img src="${ctx.base}/images/logo.png" alt="${esc(ctx.forum.spec.name)}" /></a></div></div>
<div id="panel"><div class="upper"><div class="wrapper">${welcome}</div></div></div></div>
<div id="content"><div class="wrapper"><div class="navigation">${nav}</div><br />
${body}
</div></div>
<div id="footer"><div class="lower"><div class="wrapper"><span id="copyright">Powered By <a href="https://mybb.com" target="_blank" rel="noopener">MyBB</a>, &copy; 2002-2024 <a href="https://mybb.com" target="_blank" rel="noopener">MyBB Group</a>.</span></div></div></div>
</div></body></html>`;
}

function pagination(ctx: RenderContext, page: number, total: number, href: (n: number) => string): string {
  const links = pageLinks(page, total, href, ctx.infinitePagination);
  if (links.pages.length <= 1) return '';
  const pages = links.pages.map((p) => (p.n === page ? `<span class="pagination_current">${p.n}</span>` : `<a href="${p.href}" class="pagination_page">${p.n}</a>`)).join(' ');
  return `<div class="pagination"><span class="pages">Pages (${Math.max(total, page)}):</span> ${links.prev ? `<a href="${links.prev}" class="pagination_previous">&laquo; Previous</a>` : ''} ${pages} ${links.next ? `<a href="${links.next}" class="pagination_next">Next &raquo;</a>` : ''}</div>`;
}

export const mybb: EngineRenderer = {
  engine: 'mybb',
  noPermissionStatus: 200,
  loginFields: { username: 'username', password: 'password', csrf: 'my_post_key' },
  threadUrl,
  boardUrl,
  route(path, q): Route | undefined {
    if (path === '/' || path === '/index.php') return { kind: 'index' };
    if (path === '/forumdisplay.php') {
      const fid = Number(q.get('fid'));
      return fid >= 100 && fid < 900 ? { kind: 'index' } : { kind: 'board', boardId: fid, page: Number(q.get('page') ?? 1) };
    }
    if (path === '/showthread.php') return { kind: 'thread', threadId: Number(q.get('tid')), page: Number(q.get('page') ?? 1) };
    if (path === '/member.php') {
      const action = q.get('action');
      if (action === 'profile' && q.get('uid') !== null) return { kind: 'member', userId: Number(q.get('uid')) };
      if (action === null || action === 'login' || action === 'do_login') return { kind: 'login' };
    }
    return undefined;
  },
  index(ctx) {
    const groups = new Map<string, SimBoard[]>();
    for (const b of [...ctx.forum.boards, ...ctx.extraBoards]) groups.set(b.parentName, [...(groups.get(b.parentName) ?? []), b]);
    let cat = 100;
    const tables = [...groups].map(([parent, boards]) => {
      const rows = boards
        .map((b, i) => `<tr><td class="trow${(i % 2) + 1}" align="center" width="1"><span class="forum_status forum_off" title="No New Posts"></span></td>
<td class="trow${(i % 2) + 1}"><strong><a href="${boardUrl(ctx, b, 1)}">${esc(b.name)}</a></strong><div class="smalltext"></div></td>
<td class="trow${(i % 2) + 1}" align="center" style="white-space: nowrap">${b.threads.length}</td></tr>`)
        .join('\n');
      return `<table border="0" cellspacing="0" cellpadding="5" class="tborder"><thead><tr><td class="thead" colspan="5"><div><strong><a href="${ctx.base}/forumdisplay.php?fid=${cat++}">${esc(parent)}</a></strong></div></td></tr></thead><tbody>${rows}</tbody></table><br />`;
    });
    return layout(ctx, 'Index', [], tables.join('\n'));
  },
  board(ctx, board, page) {
    const per = threadsPerPage('mybb');
    const sorted = threadsByActivity(board.threads);
    const rows = sorted
      .slice((page - 1) * per, page * per)
      .map((t) => {
        const starter = authorOf(ctx.forum, t.posts[0]!);
        return `<tr class="inline_row"><td align="center" class="trow1 forumdisplay_regular" width="2%"><span class="thread_status hotfolder" title="Hot thread">&nbsp;</span></td>
<td class="trow1 forumdisplay_regular"><div><span><span class=" subject_old" id="tid_${t.id}"><a href="${threadUrl(ctx, t, 1)}">${esc(t.title)}</a></span></span>
<div class="author smalltext"><a href="${memberUrl(ctx, starter)}">${esc(starter.handle)}</a></div></div></td>
<td align="center" class="trow1 forumdisplay_regular"><a href="javascript:MyBB.whoPosted(${t.id});">${t.posts.length - 1}</a></td>
<td class="trow1 forumdisplay_regular" style="white-space: nowrap; text-align: right;"><span class="lastpost smalltext">${mybbDate(ctx, t.posts[t.posts.length - 1]!.postedAt)}</span></td></tr>`;
      })
      .join('\n');
    const nav = pagination(ctx, page, pageCount(sorted.length, per), (n) => boardUrl(ctx, board, n));
    const body = `${nav}<table border="0" cellspacing="0" cellpadding="5" class="tborder clear"><tr><td class="thead" colspan="4"><strong>${esc(board.name)}</strong></td></tr>${rows}</table>${nav}`;
    return layout(ctx, board.name, [[`${ctx.base}/forumdisplay.php?fid=100`, board.parentName], [boardUrl(ctx, board, 1), board.name]], body);
  },
  thread(ctx, thread, page) {
    const per = postsPerPage('mybb');
    const board = ctx.forum.boards.find((b) => b.id === thread.boardId)!;
    const posts = thread.posts
      .slice((page - 1) * per, page * per)
      .map((post, i) => {
        const a = authorOf(ctx.forum, post);
        const joined = new Date(a.joinedAt);
        const quotes = post.quotes
          .map((q) => `<blockquote class="mycode_quote"><cite><span> (${mybbDate(ctx, q.postedAt)})</span>${esc(authorOf(ctx.forum, q).handle)} Wrote:  <a href="${ctx.base}/showthread.php?pid=${q.id}#pid${q.id}" class="quick_jump"></a></cite>${esc(quoteExcerpt(q))}</blockquote>`)
          .join('\n');
        const code = post.text.code
          ? `<div class="codeblock"><div class="title">Code:<br />\n</div><div class="body" dir="ltr"><code>${esc(post.text.code.code).replace(/\n/g, '<br />\n')}</code></div></div>`
          : '';
        const sig = a.signature ? `<div class="signature scaleimages">${esc(a.signature)}</div>` : '';
        return `<a name="pid${post.id}" id="pid${post.id}"></a>
<div class="post " style="" id="post_${post.id}"><div class="post_author"><div class="author_information"><strong><span class="largetext"><a href="${memberUrl(ctx, a)}">${esc(a.handle)}</a></span></strong><br /><span class="smalltext">Member</span></div>
<div class="author_statistics"><div class="author_row"><div class="author_label">Posts:</div><div class="author_value">${a.postCount}</div></div><div class="author_row"><div class="author_label">Joined:</div><div class="author_value">${EN_MONTHS_SHORT[joined.getUTCMonth()]} ${joined.getUTCFullYear()}</div></div></div></div>
<div class="post_content"><div class="post_head"><div class="float_right" style="vertical-align: top"><strong><a href="${ctx.base}/showthread.php?tid=${thread.id}&amp;pid=${post.id}#pid${post.id}" title="${esc(thread.title)}">#${post.number}</a></strong></div>
<span class="post_date">${mybbDate(ctx, post.postedAt)} <span class="post_edit" id="edited_by_${post.id}"></span></span></div>
<div class="post_body scaleimages" id="pid_${post.id}">${quotes}${ctx.malformed ? malformedNoise(post.id + i) : ''}${paragraphsHtml(post.text.paragraphs, '')}${code}</div>
${sig}<div class="post_meta" id="post_meta_${post.id}"></div></div></div>`;
      })
      .join('\n');
    const nav = pagination(ctx, page, pageCount(thread.posts.length, per), (n) => threadUrl(ctx, thread, n));
    const body = `${nav}<table border="0" cellspacing="0" cellpadding="5" class="tborder tfixed clear"><tr><td class="thead"><div><strong>${esc(thread.title)}</strong></div></td></tr></table><div id="posts_container"><div id="posts">${posts}</div></div>${nav}`;
    return layout(ctx, thread.title, [[`${ctx.base}/forumdisplay.php?fid=100`, board.parentName], [boardUrl(ctx, board, 1), board.name], [threadUrl(ctx, thread, 1), thread.title]], body);
  },
  member(ctx, a) {
    const joined = wall(a.joinedAt, ctx.forum.spec.utcOffsetMinutes);
    const sign = a.reputation > 0 ? 'reputation_positive' : a.reputation < 0 ? 'reputation_negative' : 'reputation_neutral';
    const body = `<table border="0" cellspacing="0" cellpadding="5" class="tborder"><tr><td class="trow1"><span class="largetext"><strong>${esc(a.handle)}</strong></span><br /><span class="smalltext">(Member)</span></td></tr></table><br />
<table border="0" cellspacing="0" cellpadding="5" class="tborder"><tr><td colspan="2" class="thead"><strong>${esc(a.handle)}'s Forum Info</strong></td></tr>
<tr><td class="trow1" style="width: 30%;"><strong>Joined:</strong></td><td class="trow1">${pad2(joined.month)}-${pad2(joined.day)}-${joined.year}</td></tr>
<tr><td class="trow2"><strong>Total Posts:</strong></td><td class="trow2">${a.postCount} (0.1 posts per day | 1% of total posts)</td></tr>
<tr><td class="trow1"><strong>Reputation:</strong></td><td class="trow1"><strong class="${sign}">${a.reputation}</strong> [<a href="${ctx.base}/reputation.php?uid=${a.userId}">Details</a>]</td></tr></table>`;
    return layout(ctx, `Profile of ${a.handle}`, [[memberUrl(ctx, a), `Profile of ${a.handle}`]], body);
  },
  login(ctx, error) {
    return layout(ctx, 'Login', [[`${ctx.base}/member.php?action=login`, 'Login']], loginForm(ctx, error));
  },
  noPermission(ctx) {
    return layout(ctx, 'Error', [], `<table border="0" cellspacing="0" cellpadding="5" class="tborder"><tr><td class="thead"><span class="smalltext"><strong>You are either not logged in or do not have permission to view this page.</strong></span></td></tr></table>${loginForm(ctx)}`);
  },
};

function loginForm(ctx: RenderContext, error?: string): string {
  const err = error ? `<div class="error"><p><em>Please correct the following errors before continuing:</em></p><ul><li>${esc(error)}</li></ul></div>` : '';
  return `${err}<form action="${ctx.base}/member.php" method="post"><table border="0" cellspacing="0" cellpadding="5" class="tborder">
<tr><td class="trow1"><strong>Username:</strong></td><td class="trow1"><input type="text" class="textbox" name="username" size="25" /></td></tr>
<tr><td class="trow2"><strong>Password:</strong></td><td class="trow2"><input type="password" class="textbox" name="password" size="25" /></td></tr>
<tr><td class="trow1" colspan="2"><label><input type="checkbox" class="checkbox" name="remember" checked="checked" value="yes" /> Remember me</label></td></tr></table>
<div align="center"><input type="submit" class="button" name="submit" value="Login" /></div><input type="hidden" name="action" value="do_login" /><input type="hidden" name="url" value="" /><input type="hidden" name="my_post_key" value="${ctx.csrf}" /></form>`;
}
