import type { ForumRecord } from '../../src/core/records.js';

/** A tiny hand-written forum used across store, pipeline and API tests. */
export function sampleRecords(): ForumRecord[] {
  return [
    {
      site: 'darkfox', site_url: 'http://darkfox.example/', site_engine: 'xenforo', site_language: 'en', site_network: 'clear',
      board: 'Exploits', thread_id: 't1', thread_title: 'Apache RCE exploit for sale',
      post_id: '100', author: 'ZeroCool', posted_at: '2024-03-01T10:00:00Z', author_reputation: 120,
      body_text: 'Selling a working remote code execution exploit for Apache Struts CVE-2017-5638. Panel on 45.33.32.156, contact jabber zc@xmpp.example.',
      code_blocks: [{ language: 'python', code: 'import requests\nrequests.get(target)' }],
    },
    {
      site: 'darkfox', board: 'Exploits', thread_id: 't1', thread_title: 'Apache RCE exploit for sale',
      post_id: '101', author: 'acid_burn', posted_at: '2024-03-01T11:30:00Z', quotes: ['100'],
      body_text: 'Is the exploit tested against Struts 2.5? Price?',
    },
    {
      site: 'darkfox', board: 'Leaks', thread_id: 't2', thread_title: 'Database dump of a bank',
      post_id: '102', author: 'ZeroCool', posted_at: '2024-03-05T09:00:00Z',
      body_html: '<p>Fresh <b>SQL injection</b> dump</p><script>alert(1)</script><p>10k rows</p>',
    },
    {
      site: 'xss-ru', site_language: 'ru', board: 'Эксплойты', thread_id: '7', thread_title: 'Продам эксплойт',
      post_id: '7-1', author: 'Хакер', posted_at: '2024-04-01T08:00:00Z',
      body_text: 'Продам рабочий эксплойт для удалённого выполнения кода.',
    },
    {
      site: 't00ls', site_language: 'zh', board: '漏洞', thread_id: '42', thread_title: '最新漏洞利用',
      post_id: '42-1', author: '黑客', posted_at: '2024-05-01T08:00:00Z', reply_to: '42-0',
      body_text: '这是一个远程代码执行漏洞的利用代码，请勿用于非法用途。',
    },
  ];
}
