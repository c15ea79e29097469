import type { ForumRecord } from '../../src/core/records.js';
import { runActorsJob } from '../../src/analyse/actors/index.js';
import { runPipeline } from '../../src/analyse/pipeline.js';
import { createIocAnalyser } from '../../src/analyse/plugins/iocs.js';
import type { Store } from '../../src/store/index.js';

/**
 * Demo-like forum data for the dashboard tests, with hostile payloads in post bodies, thread
 * titles, author handles, board and site names and URLs. Every payload that could run sets a
 * `window.__pwned*` flag or opens a dialog, which the browser tests check stay unset.
 */
export const PAYLOADS = {
  script: '<script>window.__pwned_script=1</script>',
  img: '<img src=x onerror="window.__pwned_img=1">',
  svg: '<svg onload="window.__pwned_svg=1"><script>window.__pwned_svg2=1</script></svg>',
  jsUrl: 'javascript:window.__pwned_url=1',
  bbcode: '[url=javascript:window.__pwned_bb=1]free vouchers[/url] [img]javascript:window.__pwned_bbimg=1[/img]',
  css: '</style><style>body{display:none!important}</style><div style="position:fixed;inset:0;background:red">',
  iframe: '<iframe srcdoc="<script>parent.__pwned_iframe=1</script>"></iframe>',
  template: '{{constructor.constructor("window.__pwned_tpl=1")()}}',
  dataUrl: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  alert: '<body onload=alert(1)><a href="javascript:alert(document.cookie)">x</a>',
} as const;

export const HOSTILE_AUTHOR = '<img src=x onerror="window.__pwned_author=1">';
export const HOSTILE_TITLE = `Apache Struts RCE ${PAYLOADS.script}${PAYLOADS.svg}`;
export const CVE = 'CVE-2017-5638';
export const DOMAIN = 'evil-c2.example.net';
export const IP = '203.0.113.77';

const HANDLES = ['ZeroCool', 'acid_burn', 'cereal_killer', 'lord_nikon', 'phantom_phreak', 'the_plague', 'razor', 'blade', 'crash_override', 'joey'];

export function hostileRecords(): ForumRecord[] {
  const records: ForumRecord[] = [
    {
      site: 'darkfox', site_url: 'http://darkfox.example/', site_engine: 'xenforo', site_language: 'en', site_network: 'clear',
      board: 'Exploits', thread_id: 'x1', thread_title: HOSTILE_TITLE, thread_url: PAYLOADS.jsUrl,
      post_id: 'x1-1', author: 'ZeroCool', posted_at: '2024-03-01T10:00:00Z', author_reputation: 120, url: PAYLOADS.jsUrl,
      author_profile_url: 'javascript:window.__pwned_profile=1',
      body_text: `Selling a working exploit for Apache Struts ${CVE}. C2 at ${DOMAIN} and ${IP}. ${PAYLOADS.script} ${PAYLOADS.img} ${PAYLOADS.bbcode} ${PAYLOADS.css}`,
      code_blocks: [{ language: 'html', code: `${PAYLOADS.svg}\n${PAYLOADS.iframe}` }],
    },
    {
      site: 'darkfox', board: 'Exploits', thread_id: 'x1', thread_title: HOSTILE_TITLE,
      post_id: 'x1-2', author: HOSTILE_AUTHOR, posted_at: '2024-03-01T11:30:00Z', quotes: ['x1-1'],
      body_text: `Does ${CVE} work on 2.5? ${PAYLOADS.template} ${PAYLOADS.dataUrl} ${PAYLOADS.alert} mirror: https://${DOMAIN}/drop.zip`,
    },
    {
      site: 'darkfox', board: 'Leaks <b onmouseover=window.__pwned_board=1>', thread_id: 'x2', thread_title: `Bank database dump ${PAYLOADS.img}`,
      post_id: 'x2-1', author: 'ZeroCool', posted_at: '2024-03-05T09:00:00Z',
      body_html: `<p>Fresh <b>SQL injection</b> dump of a bank</p>${PAYLOADS.script}<p>contact ${IP}</p><a href="javascript:window.__pwned_html=1">proof</a>`,
    },
    {
      site: `ghost${PAYLOADS.img}`, site_language: 'en', board: 'Market', thread_id: 'g1', thread_title: 'Fresh combolist',
      post_id: 'g1-1', author: HOSTILE_AUTHOR, posted_at: '2024-03-06T09:00:00Z',
      body_text: `New combolist leak. Panel ${DOMAIN}, exploit ${CVE} ${PAYLOADS.css}`,
    },
  ];
  // A small busy forum so ranking, communities and the graph have something to work on.
  let n = 0;
  for (let t = 0; t < 12; t++) {
    const thread = `t${t}`;
    const posts = 4 + (t % 3);
    for (let p = 0; p < posts; p++) {
      const author = HANDLES[(t * 3 + p * (t % 4 + 1)) % HANDLES.length]!;
      const id = `${thread}-${p}`;
      records.push({
        site: 'darkfox', board: t % 2 === 0 ? 'Exploits' : 'Malware', thread_id: thread, thread_title: `Thread ${t}: ${t % 2 === 0 ? 'remote code execution' : 'stealer logs'} ${t === 3 ? PAYLOADS.alert : ''}`,
        post_id: id, author, posted_at: new Date(Date.UTC(2024, 1, 1 + t, 8 + p)).toISOString(),
        ...(p > 0 ? { quotes: [`${thread}-${p - 1}`] } : {}),
        body_text: `post ${n++} about exploit kits ${t % 3 === 0 ? CVE : ''} ${p % 2 === 0 ? `host 198.51.100.${t}` : ''} ${t === 5 ? PAYLOADS.script : ''}`,
      });
    }
  }
  return records;
}

/** Ingests the records and runs the real indicator extractor and actor ranking over them. */
export async function seedHostileStore(store: Store): Promise<void> {
  await store.ingest(hostileRecords());
  await runPipeline(store, { analysers: [createIocAnalyser()] });
  await runActorsJob(store);
  // Exploit labels as the exploit classifier writes them (its analyser lands separately).
  const posts = await store.db.selectFrom('posts').select(['id', 'body_text']).where('body_text', 'like', '%exploit%').execute();
  const now = new Date().toISOString();
  await store.db.insertInto('exploit_labels').values(posts.map((p, i) => ({
    post_id: p.id, label: i % 3 === 0 ? 'remote' : i % 3 === 1 ? 'webapps' : 'local', confidence: 0.55 + (i % 4) * 0.1,
    evidence: JSON.stringify([{ token: 'exploit', weight: 0.9 }, { token: 'apache', weight: 0.6 }, { token: '<script>', weight: 0.4 }]),
    analyser: 'exploits', analyser_version: 'test', model_version: 'fixture', created_at: now,
  }))).execute();
}
