import type { SimAuthor, SimBoard, SimThread } from '../model.js';
import { postsPerPage, threadsPerPage } from '../model.js';
import {
  RU_MONTHS_GEN, RU_MONTHS_SHORT, RU_WEEKDAYS, authorOf, daysAgo, esc, malformedNoise, pad2, pageCount, pageLinks,
  quoteExcerpt, relativeShort, ruPlural, threadsByActivity, wall, type RenderContext,
} from './common.js';
import type { EngineRenderer, Route } from './types.js';

/** phpBB 3.2 "prosilver", Russian language pack: relative links (./), text dates, start= offsets. */
const boardUrl = (_ctx: RenderContext, b: SimBoard, page: number): string =>
  `./viewforum.php?f=${b.id}${page > 1 ? `&amp;start=${(page - 1) * threadsPerPage('phpbb')}` : ''}`;
const threadUrl = (_ctx: RenderContext, t: SimThread, page: number): string =>
  `./viewtopic.php?t=${t.id}${page > 1 ? `&amp;start=${(page - 1) * postsPerPage('phpbb')}` : ''}`;
const memberUrl = (a: SimAuthor): string => `./memberlist.php?mode=viewprofile&amp;u=${a.userId}`;

function phpbbDate(ctx: RenderContext, ms: number): string {
  const off = ctx.forum.spec.utcOffsetMinutes;
  const w = wall(ms, off);
  const rel = relativeShort(ms, ctx.now, 'ru');
  if (rel !== undefined) return rel;
  const ago = daysAgo(ms, ctx.now, off);
  const hm = `${pad2(w.hour)}:${pad2(w.minute)}`;
  if (ago === 0) return `Сегодня, ${hm}`;
  if (ago === 1) return `Вчера, ${hm}`;
  return `${RU_WEEKDAYS[w.weekday]} ${w.day} ${RU_MONTHS_SHORT[w.month - 1]} ${w.year}, ${hm}`;
}

function layout(ctx: RenderContext, title: string, crumbs: [string, string, number][], body: string): string {
  const crumbHtml = crumbs.map(([href, name, id]) => `<span class="crumb" data-forum-id="${id}"><a href="${href}" itemprop="url"><span itemprop="title">${esc(name)}</span></a></span>`).join('');
  const account = ctx.loggedIn
    ? `<li id="username_logged_in" class="rightside"><a href="./memberlist.php?mode=viewprofile&amp;u=999" class="username">${esc(ctx.forum.login.username)}</a></li>`
    : `<li class="rightside"><a href="./ucp.php?mode=login" title="Вход" accesskey="x" role="menuitem"><span>Вход</span></a></li>`;
  return `<!DOCTYPE html>
<html dir="ltr" lang="ru">
<head><meta charset="${ctx.forum.spec.charset ?? 'utf-8'}" /><meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>${esc(ctx.forum.spec.name)} - ${esc(title)}</title>
<link href="./styles/prosilver/theme/stylesheet.css?assets_version=12" rel="stylesheet"></head>
<body id="phpbb" class="nojs notouch section-viewforum ltr ">
<div id="wrap" class="wrap"><a id="top" class="top-anchor" accesskey="t"></a>
<div id="page-header"><div class="headerbar" role="banner"><div class="inner"><div id="site-description" class="site-description"><h1>${esc(ctx.forum.spec.name)}</h1></div></div></div>
<div class="navbar" role="navigation"><div class="inner"><ul id="nav-main" class="nav-main linklist" role="menubar">${account}</ul>
<ul id="nav-breadcrumbs" class="nav-breadcrumbs linklist navlinks" role="menubar"><li class="breadcrumbs" itemscope itemtype="http://schema.org/BreadcrumbList"><span class="crumb"><a href="./index.php" accesskey="h" data-navbar-reference="index"><span>Список форумов</span></a></span>${crumbHtml}</li></ul></div></div></div>
<div id="page-body" class="page-body" role="main">
<h2 class="forum-title">${esc(title)}</h2>
${body}
</div>
<div id="page-footer" class="page-footer" role="contentinfo"><div class="copyright">Создано на основе <a href="https://www.phpbb.com/">phpBB</a>&reg; Forum Software &copy; phpBB Limited<br />Русская поддержка <a href="https://www.phpbbguru.net">phpBB</a></div></div>
</div></body></html>`;
}

function pagination(ctx: RenderContext, page: number, total: number, count: string, href: (n: number) => string): string {
  const links = pageLinks(page, total, href, ctx.infinitePagination);
  const items = links.pages.map((p) => (p.n === page ? `<li class="active"><span>${p.n}</span></li>` : `<li><a class="button" href="${p.href}" role="button">${p.n}</a></li>`)).join('');
  const prev = links.prev ? `<li class="arrow previous"><a class="button button-icon-only" href="${links.prev}" rel="prev" role="button"><span class="sr-only">Пред.</span></a></li>` : '';
  const next = links.next ? `<li class="arrow next"><a class="button button-icon-only" href="${links.next}" rel="next" role="button"><span class="sr-only">След.</span></a></li>` : '';
  return `<div class="action-bar bar-top"><div class="pagination">${count}${links.pages.length > 1 ? ` &bull; <ul>${prev}${items}${next}</ul>` : ''}</div></div>`;
}

export const phpbb: EngineRenderer = {
  engine: 'phpbb',
  noPermissionStatus: 200,
  loginFields: { username: 'username', password: 'password', csrf: 'form_token' },
  threadUrl,
  boardUrl,
  route(path, q): Route | undefined {
    if (path === '/' || path === '/index.php') return { kind: 'index' };
    if (path === '/viewforum.php') {
      const f = Number(q.get('f'));
      if (f >= 100 && f < 900) return { kind: 'index' };
      return { kind: 'board', boardId: f, page: Math.floor(Number(q.get('start') ?? 0) / threadsPerPage('phpbb')) + 1 };
    }
    if (path === '/viewtopic.php') return { kind: 'thread', threadId: Number(q.get('t')), page: Math.floor(Number(q.get('start') ?? 0) / postsPerPage('phpbb')) + 1 };
    if (path === '/memberlist.php' && q.get('mode') === 'viewprofile') return { kind: 'member', userId: Number(q.get('u')) };
    if (path === '/ucp.php' && q.get('mode') === 'login') return { kind: 'login' };
    return undefined;
  },
  index(ctx) {
    const groups = new Map<string, SimBoard[]>();
    for (const b of [...ctx.forum.boards, ...ctx.extraBoards]) groups.set(b.parentName, [...(groups.get(b.parentName) ?? []), b]);
    let cat = 100;
    const blocks = [...groups].map(([parent, boards]) => {
      const rows = boards
        .map((b) => `<li class="row"><dl class="row-item forum_read"><dt title="Нет непрочитанных сообщений"><div class="list-inner"><a href="${boardUrl(ctx, b, 1)}" class="forumtitle">${esc(b.name)}</a><br /></div></dt>
<dd class="topics">${b.threads.length} <dfn>Темы</dfn></dd><dd class="posts">${b.threads.reduce((n, t) => n + t.posts.length, 0)} <dfn>Сообщения</dfn></dd></dl></li>`)
        .join('\n');
      return `<div class="forabg"><div class="inner"><ul class="topiclist"><li class="header"><dl class="row-item"><dt><div class="list-inner"><a href="./viewforum.php?f=${cat++}">${esc(parent)}</a></div></dt><dd class="topics">Темы</dd><dd class="posts">Сообщения</dd></dl></li></ul>
<ul class="topiclist forums">${rows}</ul></div></div>`;
    });
    return layout(ctx, 'Список форумов', [], blocks.join('\n'));
  },
  board(ctx, board, page) {
    const per = threadsPerPage('phpbb');
    const sorted = threadsByActivity(board.threads);
    const rows = sorted
      .slice((page - 1) * per, page * per)
      .map((t, i) => {
        const starter = authorOf(ctx.forum, t.posts[0]!);
        const replies = t.posts.length - 1;
        return `<li class="row bg${(i % 2) + 1}"><dl class="row-item topic_read"><dt title="Нет непрочитанных сообщений"><div class="list-inner"><a href="${threadUrl(ctx, t, 1)}" class="topictitle">${esc(t.title)}</a><br />
<div class="topic-poster responsive-hide left-box">автор <a href="${memberUrl(starter)}" class="username">${esc(starter.handle)}</a> &raquo; ${phpbbDate(ctx, t.posts[0]!.postedAt)}</div></div></dt>
<dd class="posts">${replies} <dfn>${ruPlural(replies, 'Ответ', 'Ответа', 'Ответов')}</dfn></dd><dd class="views">${replies * 37 + 11} <dfn>Просмотры</dfn></dd>
<dd class="lastpost"><span><dfn>Последнее сообщение </dfn>${phpbbDate(ctx, t.posts[t.posts.length - 1]!.postedAt)}</span></dd></dl></li>`;
      })
      .join('\n');
    const nav = pagination(ctx, page, pageCount(sorted.length, per), `${sorted.length} тем`, (n) => boardUrl(ctx, board, n));
    const body = `${nav}<div class="forumbg"><div class="inner"><ul class="topiclist"><li class="header"><dl class="row-item"><dt><div class="list-inner">Темы</div></dt></dl></li></ul><ul class="topiclist topics">${rows}</ul></div></div>${nav}`;
    return layout(ctx, board.name, [['./viewforum.php?f=100', board.parentName, 100], [boardUrl(ctx, board, 1), board.name, board.id]], body);
  },
  thread(ctx, thread, page) {
    const per = postsPerPage('phpbb');
    const board = ctx.forum.boards.find((b) => b.id === thread.boardId)!;
    const posts = thread.posts
      .slice((page - 1) * per, page * per)
      .map((post, i) => {
        const a = authorOf(ctx.forum, post);
        const joined = wall(a.joinedAt, ctx.forum.spec.utcOffsetMinutes);
        const quotes = post.quotes
          .map((q) => {
            const qa = authorOf(ctx.forum, q);
            return `<blockquote cite="./viewtopic.php?p=${q.id}#p${q.id}"><div><cite><a href="${memberUrl(qa)}">${esc(qa.handle)}</a> писал(а): <a href="./viewtopic.php?p=${q.id}#p${q.id}" data-post-id="${q.id}" onclick="if(document.getElementById(hash.substr(1)))href=hash">↑</a><span class="responsive-hide">${phpbbDate(ctx, q.postedAt)}</span></cite>${esc(quoteExcerpt(q))}</div></blockquote>`;
          })
          .join('\n');
        const code = post.text.code
          ? `<div class="codebox"><p>Код: <a href="#" onclick="selectCode(this); return false;">Выделить всё</a></p><pre><code>${esc(post.text.code.code)}</code></pre></div>`
          : '';
        const sig = a.signature ? `<div id="sig${post.id}" class="signature">${esc(a.signature)}</div>` : '';
        return `<div id="p${post.id}" class="post has-profile bg${(i % 2) + 1}"><div class="inner">
<dl class="postprofile" id="profile${post.id}"><dt class="has-profile-rank no-avatar"><div class="avatar-container"></div><a href="${memberUrl(a)}" class="username">${esc(a.handle)}</a></dt>
<dd class="profile-rank">Участник</dd><dd class="profile-posts"><strong>Сообщения:</strong> <a href="./search.php?author_id=${a.userId}&amp;sr=posts">${a.postCount}</a></dd>
<dd class="profile-joined"><strong>Зарегистрирован:</strong> ${joined.day} ${RU_MONTHS_SHORT[joined.month - 1]} ${joined.year}</dd></dl>
<div class="postbody"><div id="post_content${post.id}"><h3 ${post.number === 1 ? 'class="first"' : ''}><a href="#p${post.id}">${post.number === 1 ? '' : 'Re: '}${esc(thread.title)}</a></h3>
<p class="author"><a class="unread" href="./viewtopic.php?p=${post.id}#p${post.id}" title="Сообщение"><i class="icon fa-file fa-fw icon-lightgray icon-md" aria-hidden="true"></i><span class="sr-only">Сообщение</span></a><span class="responsive-hide"> <strong><a href="${memberUrl(a)}" class="username">${esc(a.handle)}</a></strong> &raquo; </span>${phpbbDate(ctx, post.postedAt)} </p>
<div class="content">${quotes}${ctx.malformed ? malformedNoise(post.id + i) : ''}${post.text.paragraphs.map((p) => esc(p)).join('<br>\n')}${code}</div>
${sig}</div></div><div class="back2top"><a href="#top" class="top" title="Вернуться к началу">↑</a></div></div></div><hr class="divider" />`;
      })
      .join('\n');
    const nav = pagination(ctx, page, pageCount(thread.posts.length, per), `${thread.posts.length} сообщений`, (n) => threadUrl(ctx, thread, n));
    return layout(ctx, thread.title, [['./viewforum.php?f=100', board.parentName, 100], [boardUrl(ctx, board, 1), board.name, board.id]], `${nav}${posts}${nav}`);
  },
  member(ctx, a) {
    const joined = wall(a.joinedAt, ctx.forum.spec.utcOffsetMinutes);
    const body = `<form method="post" action="./memberlist.php" id="viewprofile"><div class="panel bg1"><div class="inner">
<dl class="left-box details profile-details"><dt>Имя пользователя:</dt><dd><span>${esc(a.handle)}</span></dd><dt>Группы:</dt><dd><select name="g"><option>Зарегистрированные пользователи</option></select></dd></dl></div></div>
<div class="panel bg2"><div class="inner"><div class="column1"><h3>Статистика пользователя</h3><dl class="details">
<dt>Зарегистрирован:</dt><dd>${joined.day} ${RU_MONTHS_GEN[joined.month - 1]} ${joined.year}, ${pad2(joined.hour)}:${pad2(joined.minute)}</dd>
<dt>Всего сообщений:</dt><dd>${a.postCount} | <strong><a href="./search.php?author_id=${a.userId}&amp;sr=posts">Найти все сообщения пользователя</a></strong></dd>
<dt>Репутация:</dt><dd>${a.reputation}</dd></dl></div></div></div></form>`;
    return layout(ctx, `Профиль пользователя ${a.handle}`, [], body);
  },
  login(ctx, error) {
    return layout(ctx, 'Вход', [], loginForm(ctx, error));
  },
  noPermission(ctx) {
    return layout(ctx, 'Вход', [], `<div class="panel"><div class="inner"><p>Для просмотра этого форума вы должны быть зарегистрированы и авторизованы.</p></div></div>${loginForm(ctx)}`);
  },
};

function loginForm(ctx: RenderContext, error?: string): string {
  const err = error ? `<div class="error">${esc(error)}</div>` : '';
  return `<form action="./ucp.php?mode=login" method="post" id="login" data-focus="username"><div class="panel"><div class="inner"><div class="content"><h2 class="login-title">Вход</h2>${err}
<fieldset class="fields1"><dl><dt><label for="username">Имя пользователя:</label></dt><dd><input type="text" tabindex="1" name="username" id="username" size="25" value="" class="inputbox autowidth" /></dd></dl>
<dl><dt><label for="password">Пароль:</label></dt><dd><input type="password" tabindex="2" id="password" name="password" size="25" class="inputbox autowidth" autocomplete="off" /></dd></dl>
<dl><dd><label for="autologin"><input type="checkbox" name="autologin" id="autologin" tabindex="4" /> Запомнить меня</label></dd></dl>
<input type="hidden" name="creation_time" value="1700000000" /><input type="hidden" name="form_token" value="${ctx.csrf}" /><input type="hidden" name="sid" value="0" /><input type="hidden" name="redirect" value="./index.php" />
<dl><dt>&nbsp;</dt><dd><input type="submit" name="login" tabindex="6" value="Вход" class="button1" /></dd></dl></fieldset></div></div></div></form>`;
}
