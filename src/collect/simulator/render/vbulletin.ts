import type { SimAuthor, SimBoard, SimThread } from '../model.js';
import { postsPerPage, threadsPerPage } from '../model.js';
import {
  authorOf, daysAgo, esc, malformedNoise, pad2, pageCount, pageLinks, quoteExcerpt, relativeShort, threadsByActivity, wall,
  type RenderContext,
} from './common.js';
import type { EngineRenderer, Route } from './types.js';

/** vBulletin 4.2 default style, Simplified Chinese language pack. */
const boardUrl = (ctx: RenderContext, b: SimBoard, page: number): string =>
  `${ctx.base}/forumdisplay.php?f=${b.id}${page > 1 ? `&amp;page=${page}` : ''}`;
const threadUrl = (ctx: RenderContext, t: SimThread, page: number): string =>
  `${ctx.base}/showthread.php?t=${t.id}${page > 1 ? `&amp;page=${page}` : ''}`;
const memberUrl = (ctx: RenderContext, a: SimAuthor): string => `${ctx.base}/member.php?u=${a.userId}`;

function vbDate(ctx: RenderContext, ms: number): string {
  const off = ctx.forum.spec.utcOffsetMinutes;
  const w = wall(ms, off);
  const hm = `${pad2(w.hour)}:${pad2(w.minute)}`;
  const rel = relativeShort(ms, ctx.now, 'zh');
  if (rel !== undefined) return `<span class="date">${rel}</span>`;
  const ago = daysAgo(ms, ctx.now, off);
  const day = ago === 0 ? '今天' : ago === 1 ? '昨天' : `${w.year}年${w.month}月${w.day}日`;
  return `<span class="date">${day}&nbsp;<span class="time">${hm}</span></span>`;
}

function layout(ctx: RenderContext, title: string, crumbs: [string, string][], body: string): string {
  const crumbHtml = crumbs.map(([href, name]) => `<li class="navbit"><a href="${href}">${esc(name)}</a></li>`).join('');
  const login = ctx.loggedIn
    ? `<ul class="isuser"><li class="welcomelink">欢迎，<a href="${ctx.base}/member.php?u=999">${esc(ctx.forum.login.username)}</a></li></ul>`
    : `<ul class="nouser"><li><a href="${ctx.base}/register.php" rel="nofollow">注册</a></li></ul>${loginForm(ctx)}`;
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" dir="ltr" lang="zh-CN" id="vbulletin_html">
<head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" /><meta name="generator" content="vBulletin 4.2.5" />
<title>${esc(title)} - ${esc(ctx.forum.spec.name)}</title>
<script type="text/javascript">var SECURITYTOKEN = "${ctx.loggedIn ? ctx.csrf : 'guest'}";</script></head>
<body>
<div class="above_body"><div id="header" class="floatcontainer doc_header"><div><a name="top" href="${ctx.base}/forum.php" class="logo-image"><img src="${ctx.base}/images/misc/vbulletin4_logo.png" alt="${esc(ctx.forum.spec.name)}" /></a></div>
<div id="toplinks" class="toplinks">${login}</div></div>
<div id="breadcrumb" class="breadcrumb"><ul class="floatcontainer"><li class="navbithome"><a href="${ctx.base}/forum.php" accesskey="1"><img src="${ctx.base}/images/misc/navbit-home.png" alt="首页" /></a></li>${crumbHtml}</ul><hr /></div></div>
<div class="body_wrapper"><div id="pagetitle"><h1>${esc(title)}</h1></div>
${body}
</div>
<div id="footer_copyright" class="shade footer_copyright">Powered by <a href="https://www.vbulletin.com" id="vbulletinlink">vBulletin&reg;</a> Version 4.2.5 <br />Copyright &copy; 2024 vBulletin Solutions, Inc. All rights reserved.</div>
</body></html>`;
}

function pagination(ctx: RenderContext, page: number, total: number, href: (n: number) => string): string {
  const links = pageLinks(page, total, href, ctx.infinitePagination);
  if (links.pages.length <= 1) return '';
  const items = links.pages.map((p) => (p.n === page ? `<span class="selected"><a href="javascript://" title="显示结果 ${p.n}">${p.n}</a></span>` : `<span><a href="${p.href}" title="显示结果 ${p.n}">${p.n}</a></span>`)).join('');
  return `<div class="pagination_top"><form action="#" method="get" class="pagination popupmenu nohovermenu"><span><a href="javascript://" class="popupctrl">第 ${page} 页，共 ${Math.max(total, page)} 页</a></span>
${links.prev ? `<span class="prev_next"><a rel="prev" href="${links.prev}" title="上一页">&lt;</a></span>` : ''}${items}${links.next ? `<span class="prev_next"><a rel="next" href="${links.next}" title="下一页">&gt;</a></span>` : ''}</form></div>`;
}

export const vbulletin: EngineRenderer = {
  engine: 'vbulletin',
  noPermissionStatus: 200,
  loginFields: { username: 'vb_login_username', password: 'vb_login_password', csrf: 'securitytoken' },
  threadUrl,
  boardUrl,
  route(path, q): Route | undefined {
    if (path === '/' || path === '/forum.php' || path === '/index.php') return { kind: 'index' };
    if (path === '/forumdisplay.php') {
      const f = Number(q.get('f'));
      return f >= 100 && f < 900 ? { kind: 'index' } : { kind: 'board', boardId: f, page: Number(q.get('page') ?? 1) };
    }
    if (path === '/showthread.php') return { kind: 'thread', threadId: Number(q.get('t')), page: Number(q.get('page') ?? 1) };
    if (path === '/member.php' && q.get('u') !== null) return { kind: 'member', userId: Number(q.get('u')) };
    if (path === '/login.php') return { kind: 'login' };
    return undefined;
  },
  index(ctx) {
    const groups = new Map<string, SimBoard[]>();
    for (const b of [...ctx.forum.boards, ...ctx.extraBoards]) groups.set(b.parentName, [...(groups.get(b.parentName) ?? []), b]);
    let cat = 100;
    const blocks = [...groups].map(([parent, boards]) => {
      const rows = boards
        .map((b) => `<li id="forum${b.id}" class="forumbit_post old L2"><div class="forumrow table"><div class="foruminfo td"><div class="forumdata"><div class="datacontainer"><div class="titleline"><h2 class="forumtitle"><a href="${boardUrl(ctx, b, 1)}">${esc(b.name)}</a></h2></div></div></div></div>
<h4 class="nocss_label">论坛操作：</h4><ul class="forumstats td"><li>主题: ${b.threads.length}</li></ul></div></li>`)
        .join('\n');
      return `<li id="cat${cat}" class="forumbit_nopost L1"><div class="forumhead foruminfo L1 collapse"><h2><span class="forumtitle"><a href="${ctx.base}/forumdisplay.php?f=${cat++}">${esc(parent)}</a></span></h2></div><ol class="childforum">${rows}</ol></li>`;
    });
    return layout(ctx, ctx.forum.spec.name, [], `<ol id="forums" class="floatcontainer">${blocks.join('\n')}</ol>`);
  },
  board(ctx, board, page) {
    const per = threadsPerPage('vbulletin');
    const sorted = threadsByActivity(board.threads);
    const rows = sorted
      .slice((page - 1) * per, page * per)
      .map((t) => {
        const starter = authorOf(ctx.forum, t.posts[0]!);
        return `<li class="threadbit hot" id="thread_${t.id}"><div class="rating0 nonsticky"><div class="threadinfo" title=""><div class="inner"><h3 class="threadtitle"><a class="title" href="${threadUrl(ctx, t, 1)}" id="thread_title_${t.id}">${esc(t.title)}</a></h3>
<div class="threadmeta"><div class="author"><span class="label">发表者 <a href="${memberUrl(ctx, starter)}" class="username understate">${esc(starter.handle)}</a></span></div></div></div></div>
<ul class="threadstats td alt" title=""><li>回复: <a rel="nofollow" href="${ctx.base}/misc.php?do=whoposted&amp;t=${t.id}">${t.posts.length - 1}</a></li><li>查看: ${t.posts.length * 53}</li></ul>
<dl class="threadlastpost td"><dd>${vbDate(ctx, t.posts[t.posts.length - 1]!.postedAt)}</dd></dl></div></li>`;
      })
      .join('\n');
    const nav = pagination(ctx, page, pageCount(sorted.length, per), (n) => boardUrl(ctx, board, n));
    const body = `<div id="above_threadlist" class="above_threadlist">${nav}</div><div id="threadlist" class="threadlist"><ol id="threads" class="threads">${rows}</ol></div><div id="below_threadlist" class="noinlinemod below_threadlist">${nav}</div>`;
    return layout(ctx, board.name, [[`${ctx.base}/forumdisplay.php?f=100`, board.parentName], [boardUrl(ctx, board, 1), board.name]], body);
  },
  thread(ctx, thread, page) {
    const per = postsPerPage('vbulletin');
    const board = ctx.forum.boards.find((b) => b.id === thread.boardId)!;
    const posts = thread.posts
      .slice((page - 1) * per, page * per)
      .map((post, i) => {
        const a = authorOf(ctx.forum, post);
        const joined = wall(a.joinedAt, ctx.forum.spec.utcOffsetMinutes);
        const quotes = post.quotes
          .map((q) => `<div class="bbcode_container"><div class="bbcode_quote"><div class="quote_container"><div class="bbcode_quote_container"></div>
<div class="bbcode_postedby"><img title="引用" src="${ctx.base}/images/misc/quote_icon.png" alt="引用" /> 作者: <strong>${esc(authorOf(ctx.forum, q).handle)}</strong><a href="${ctx.base}/showthread.php?p=${q.id}#post${q.id}" rel="nofollow"><img class="inlineimg" src="${ctx.base}/images/buttons/viewpost-right.png" alt="查看帖子" /></a></div>
<div class="message">${esc(quoteExcerpt(q))}</div></div></div></div>`)
          .join('\n');
        const code = post.text.code
          ? `<div class="bbcode_container"><div class="bbcode_description">代码:</div><pre class="bbcode_code" style="height:120px;">${esc(post.text.code.code)}</pre></div>`
          : '';
        const sig = a.signature ? `<div class="after_content"><blockquote class="signature restore"><div class="signaturecontainer">${esc(a.signature)}</div></blockquote></div>` : '';
        return `<li class="postbitlegacy postbitim postcontainer old" id="post_${post.id}">
<div class="posthead"><span class="postdate old">${vbDate(ctx, post.postedAt)}</span><span class="nodecontrols"><a name="post${post.id}" href="${ctx.base}/showthread.php?t=${thread.id}&amp;p=${post.id}#post${post.id}" class="postcounter">#${post.number}</a><a id="postcount${post.id}" name="${post.number}"></a></span></div>
<div class="postdetails"><div class="userinfo"><div class="username_container"><div class="popupmenu memberaction"><a class="username offline popupctrl" href="${memberUrl(ctx, a)}" title="${esc(a.handle)} 当前离线"><strong>${esc(a.handle)}</strong></a></div></div>
<span class="usertitle">会员</span><hr /><dl class="userinfo_extra"><dt>注册日期</dt> <dd>${joined.year}-${pad2(joined.month)}</dd><dt>帖子</dt> <dd>${a.postCount}</dd></dl></div>
<div class="postbody"><div class="postrow"><h2 class="title icon">${post.number === 1 ? esc(thread.title) : ''}</h2><div class="content"><div id="post_message_${post.id}"><blockquote class="postcontent restore ">${quotes}${ctx.malformed ? malformedNoise(post.id + i) : ''}${post.text.paragraphs.map((p) => esc(p)).join('<br />\n')}${code}</blockquote></div></div></div>${sig}</div></div><hr /></li>`;
      })
      .join('\n');
    const nav = pagination(ctx, page, pageCount(thread.posts.length, per), (n) => threadUrl(ctx, thread, n));
    const body = `<div id="above_postlist" class="above_postlist">${nav}</div><div id="postlist" class="postlist restrain"><ol id="posts" class="posts" start="1">${posts}</ol></div><div id="below_postlist" class="noinlinemod below_postlist">${nav}</div>`;
    return layout(ctx, thread.title, [[`${ctx.base}/forumdisplay.php?f=100`, board.parentName], [boardUrl(ctx, board, 1), board.name]], body);
  },
  member(ctx, a) {
    const joined = wall(a.joinedAt, ctx.forum.spec.utcOffsetMinutes);
    const body = `<div id="userinfo" class="block"><span id="userinfo" class="member_username"><span class="username">${esc(a.handle)}</span></span></div>
<div id="view-stats" class="subsection block"><h4 class="subsectionhead-understate">统计</h4><div class="blockbody userprof_content">
<fieldset class="statistics_group"><legend>帖子总数</legend><ul><li><span class="shade">帖子总数:</span> ${a.postCount}</li></ul></fieldset>
<fieldset class="statistics_group"><legend>基本信息</legend><ul><li><span class="shade">注册日期:</span> ${joined.year}年${joined.month}月${joined.day}日</li><li><span class="shade">声望:</span> ${a.reputation}</li></ul></fieldset></div></div>`;
    return layout(ctx, `查看个人资料: ${a.handle}`, [], body);
  },
  login(ctx, error) {
    return layout(ctx, '登录', [], error ? `<div class="blockrow restore">${esc(error)}</div>` : '');
  },
  noPermission(ctx) {
    return layout(ctx, '提示信息', [], `<div class="standard_error"><div class="blockrow restore">${ctx.loggedIn ? '' : '您没有登录或者您没有权限访问此页面。'}</div></div>`);
  },
};

function loginForm(ctx: RenderContext): string {
  return `<form id="navbar_loginform" action="${ctx.base}/login.php?do=login" method="post"><fieldset id="logindetails" class="logindetails">
<input type="text" class="textbox default-value" name="vb_login_username" id="navbar_username" size="10" accesskey="u" tabindex="101" value="用户名" />
<input type="password" class="textbox" tabindex="102" name="vb_login_password" id="navbar_password" size="10" />
<input type="submit" class="loginbutton" tabindex="104" value="登录" title="请输入您的用户名和密码以登录" accesskey="s" /></fieldset>
<input type="hidden" name="s" value="" /><input type="hidden" name="securitytoken" value="guest" /><input type="hidden" name="do" value="login" /><input type="hidden" name="vb_login_md5password" /></form>`;
}
