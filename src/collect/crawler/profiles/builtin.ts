import { EngineProfile, type EngineProfileInput } from './types.js';

/**
 * Built-in profiles for the default themes of five engines. Labels that only exist as text
 * (profile statistics) are matched in English, Russian and Chinese, the languages of the boards
 * we crawl most. Bump `version` whenever a selector changes.
 */
const xenforo: EngineProfileInput = {
  name: 'xenforo',
  version: 'xenforo-2.2/1',
  detect: { selectors: ['html#XF'], substrings: ['Community platform by XenForo'] },
  index: { boardLinks: '.node-title a' },
  board: {
    threadRow: '.structItem--thread',
    threadLink: '.structItem-title a',
    threadHint: { selector: '.structItem-cell--meta dd', optional: true },
    nextPage: 'a.pageNav-jump--next',
    subBoardLinks: '.node-title a',
  },
  thread: {
    title: '.p-title-value',
    breadcrumb: '.p-breadcrumbs [itemprop="name"]',
    threadIdFromUrl: '/threads/[^/]*\\.(\\d+)',
    post: 'article.message--post',
    postId: { attr: 'data-content', regex: '^post-(\\d+)$' },
    author: { selector: '.message-name .username' },
    authorLink: { selector: '.message-name a.username', attr: 'href', optional: true },
    date: { selector: '.message-attribution-main time', attr: 'datetime' },
    body: '.message-body .bbWrapper',
    bodyExclude: ['blockquote.bbCodeBlock--quote', '.bbCodeBlock--code', 'script', 'style'],
    quote: { selector: 'blockquote.bbCodeBlock--quote', target: { attr: 'data-source', regex: 'post:\\s?(\\d+)' } },
    code: { selector: '.bbCodeBlock--code pre', language: { attr: 'data-lang', optional: true } },
    signature: '.message-signature',
    authorPostCount: { selector: '.message-userExtras dl:has(dt:contains("Messages")) dd', optional: true },
    nextPage: 'a.pageNav-jump--next',
  },
  profile: {
    handle: '.memberHeader-name .username',
    joined: { selector: '.memberHeader-blurb dl:has(dt:contains("Joined")) time', attr: 'datetime', optional: true },
    postCount: { selector: '.memberHeader-stats dl:has(dt:contains("Messages")) dd', optional: true },
    reputation: { selector: '.memberHeader-stats dl:has(dt:contains("Reaction score")) dd', optional: true },
  },
  login: { page: 'login/', form: 'form[action$="login/login"]', username: 'login', password: 'password', requiredStatuses: [403] },
};

const mybb: EngineProfileInput = {
  name: 'mybb',
  version: 'mybb-1.8/1',
  detect: { selectors: ['script[src*="jscripts/general.js"]'], substrings: ['Powered By <a href="https://mybb.com"'] },
  index: { boardLinks: 'td.trow1 > strong > a[href*="forumdisplay.php"], td.trow2 > strong > a[href*="forumdisplay.php"]' },
  board: {
    threadRow: 'tr.inline_row',
    threadLink: 'span[id^="tid_"] > a',
    threadHint: { selector: 'a[href^="javascript:MyBB.whoPosted"]', optional: true },
    nextPage: 'a.pagination_next',
  },
  thread: {
    title: '.navigation > span.active',
    breadcrumb: '.navigation > a',
    threadIdFromUrl: '[?&]tid=(\\d+)',
    post: 'div.post[id^="post_"]',
    postId: { attr: 'id', regex: '^post_(\\d+)$' },
    author: { selector: '.author_information .largetext a' },
    authorLink: { selector: '.author_information .largetext a', attr: 'href', optional: true },
    date: { selector: '.post_date', strip: ['.post_edit'] },
    body: '.post_body',
    bodyExclude: ['blockquote.mycode_quote', '.codeblock', 'script', 'style'],
    quote: { selector: 'blockquote.mycode_quote', target: { selector: 'a.quick_jump', attr: 'href', regex: 'pid=(\\d+)' } },
    code: { selector: '.codeblock code' },
    signature: '.signature',
    authorPostCount: { selector: '.author_row:has(.author_label:contains("Posts")) .author_value', optional: true },
    nextPage: 'a.pagination_next',
  },
  profile: {
    handle: '.largetext strong',
    joined: { selector: 'tr:has(strong:contains("Joined:")) > td:nth-child(2)', optional: true },
    postCount: { selector: 'tr:has(strong:contains("Total Posts:")) > td:nth-child(2)', optional: true },
    reputation: { selector: 'tr:has(strong:contains("Reputation:")) > td:nth-child(2) strong', optional: true },
  },
  login: { page: 'member.php?action=login', form: 'form[action$="member.php"]', username: 'username', password: 'password', requiredSelectors: ['input[name="action"][value="do_login"]'] },
};

const phpbb: EngineProfileInput = {
  name: 'phpbb',
  version: 'phpbb-3.2/1',
  detect: { selectors: ['body#phpbb'], substrings: ['https://www.phpbb.com/'] },
  index: { boardLinks: 'a.forumtitle' },
  board: {
    threadRow: 'ul.topics > li.row',
    threadLink: 'a.topictitle',
    threadHint: { selector: 'dd.posts', strip: ['dfn'], optional: true },
    nextPage: 'li.arrow.next a',
    subBoardLinks: 'a.forumtitle',
  },
  thread: {
    title: 'h2.topic-title, h2.forum-title',
    breadcrumb: '#nav-breadcrumbs .crumb a > span',
    threadIdFromUrl: '[?&]t=(\\d+)',
    post: 'div.post[id^="p"]',
    postId: { attr: 'id', regex: '^p(\\d+)$' },
    author: { selector: 'dl.postprofile dt a.username' },
    authorLink: { selector: 'dl.postprofile dt a.username', attr: 'href', optional: true },
    date: { selector: 'p.author', strip: ['a.unread', 'span.responsive-hide'] },
    body: 'div.content',
    bodyExclude: ['blockquote', '.codebox', 'script', 'style'],
    quote: { selector: 'blockquote', target: { selector: 'cite a[data-post-id]', attr: 'data-post-id' } },
    code: { selector: '.codebox code' },
    signature: '.signature',
    authorPostCount: { selector: 'dd.profile-posts a', optional: true },
    nextPage: 'li.arrow.next a',
  },
  profile: {
    handle: 'dl.profile-details dd span',
    joined: { selector: 'dt:contains("Зарегистрирован") + dd, dt:contains("Joined") + dd', optional: true },
    postCount: { selector: 'dt:contains("Всего сообщений") + dd, dt:contains("Total posts") + dd', optional: true },
    reputation: { selector: 'dt:contains("Репутация") + dd, dt:contains("Reputation") + dd', optional: true },
  },
  login: { page: 'ucp.php?mode=login', form: 'form#login', username: 'username', password: 'password', requiredSelectors: ['form#login'] },
};

const vbulletin: EngineProfileInput = {
  name: 'vbulletin',
  version: 'vbulletin-4.2/1',
  detect: { selectors: ['meta[name="generator"][content^="vBulletin"]', 'html#vbulletin_html'], substrings: ['id="vbulletinlink"'] },
  index: { boardLinks: 'h2.forumtitle a' },
  board: {
    threadRow: 'li.threadbit',
    threadLink: 'a.title',
    threadHint: { selector: 'ul.threadstats li:first-child a', optional: true },
    nextPage: 'span.prev_next a[rel="next"]',
    subBoardLinks: 'h2.forumtitle a',
  },
  thread: {
    title: '#pagetitle h1',
    breadcrumb: '#breadcrumb li.navbit a',
    threadIdFromUrl: '[?&]t=(\\d+)',
    post: 'li.postcontainer[id^="post_"]',
    postId: { attr: 'id', regex: '^post_(\\d+)$' },
    author: { selector: '.username_container .username' },
    authorLink: { selector: '.username_container a.username', attr: 'href', optional: true },
    date: { selector: '.posthead .postdate' },
    body: 'blockquote.postcontent',
    bodyExclude: ['.bbcode_container', 'script', 'style'],
    quote: { selector: '.bbcode_quote', target: { selector: '.bbcode_postedby a[href*="p="]', attr: 'href', regex: '[?&]p=(\\d+)' } },
    code: { selector: 'pre.bbcode_code' },
    signature: '.signaturecontainer',
    authorPostCount: { selector: 'dl.userinfo_extra dt:contains("帖子") + dd, dl.userinfo_extra dt:contains("Posts") + dd', optional: true },
    nextPage: 'span.prev_next a[rel="next"]',
  },
  profile: {
    handle: '.member_username .username',
    joined: { selector: 'li:has(span.shade:contains("注册日期")), li:has(span.shade:contains("Join Date"))', strip: ['span.shade'], optional: true },
    postCount: { selector: 'li:has(span.shade:contains("帖子总数")), li:has(span.shade:contains("Total Posts"))', strip: ['span.shade'], optional: true },
    reputation: { selector: 'li:has(span.shade:contains("声望")), li:has(span.shade:contains("Reputation"))', strip: ['span.shade'], optional: true },
  },
  login: { page: 'forum.php', form: 'form#navbar_loginform', username: 'vb_login_username', password: 'vb_login_password', requiredSelectors: ['.standard_error'] },
};

const discourse: EngineProfileInput = {
  name: 'discourse',
  version: 'discourse-3-crawler/1',
  detect: { selectors: ['meta[name="generator"][content^="Discourse"]'], substrings: ['href="https://www.discourse.org">Discourse</a>'] },
  index: { boardLinks: 'td.category h3 a' },
  board: {
    threadRow: 'tr.topic-list-item',
    threadLink: 'a.raw-topic-link',
    threadHint: { selector: 'td.replies span.posts', optional: true },
    nextPage: '.topic-list-nav a[rel="next"]',
  },
  thread: {
    title: '#topic-title h1',
    breadcrumb: '.topic-category .category-name',
    threadIdFromUrl: '/t/[^/?#]+/(\\d+)',
    // The navigation div also carries "crawler-post"; only real posts are itemprop=comment.
    post: 'div.crawler-post[itemprop="comment"]',
    postId: { attr: 'id', regex: '^post_(\\d+)$', template: '{thread}/{1}' },
    author: { selector: '.creator [itemprop="name"]' },
    authorLink: { selector: '.creator a', attr: 'href', optional: true },
    date: { selector: 'time.post-time', attr: 'datetime' },
    body: 'div.post[itemprop="text"]',
    bodyExclude: ['aside.quote', 'pre', 'script', 'style'],
    quote: { selector: 'aside.quote', target: { attr: 'data-post', template: '{attr:data-topic}/{1}' } },
    code: { selector: 'pre code', language: { attr: 'class', regex: 'lang-([a-z0-9_+-]+)', optional: true } },
    nextPage: 'div[role="navigation"] a[rel="next"]',
  },
  profile: {
    handle: '.user-crawler .username',
    joined: { selector: '.stat:has(.label:contains("Joined")) time', attr: 'datetime', optional: true },
    postCount: { selector: '.stat:has(.label:contains("Posts")) .value', optional: true },
    reputation: { selector: '.stat.likes-received .value', optional: true },
  },
  login: { page: 'login', form: 'form#login-form', username: 'login', password: 'password', requiredSelectors: ['.page-not-found'], requiredStatuses: [404] },
};

export const BUILTIN_PROFILES: Readonly<Record<string, EngineProfile>> = Object.fromEntries(
  [xenforo, mybb, phpbb, vbulletin, discourse].map((p) => [p.name, EngineProfile.parse(p)]),
);
