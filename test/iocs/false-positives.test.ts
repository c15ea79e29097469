import { test } from 'node:test';
import assert from 'node:assert/strict';
import { found } from './helpers.js';

// One test per classic false-positive trap named in the issue, plus a few forum-specific ones.

test('file names that look like domains are file names, not domains (setup.py, .zip, .mov, config.sh)', () => {
  assert.deepEqual(found('Run setup.py, then source config.sh'), ['filename:config.sh', 'filename:setup.py']);
  assert.deepEqual(found('uploaded demo.mov and backup.zip'), ['filename:backup.zip', 'filename:demo.mov']);
  // ...but a defanged dot or a scheme marks a host, even on a file-extension TLD.
  assert.deepEqual(found('lure on invoice-docs[.]zip'), ['domain:invoice-docs.zip']);
  assert.deepEqual(found('https://update.zip/a'), ['domain:update.zip', 'url:https://update.zip/a']);
});

test('version strings that look like IPs are not IPs', () => {
  assert.deepEqual(found('Updated to version 1.2.3.4 yesterday'), []);
  assert.deepEqual(found('v2.4.1.8 and build 10.0.19041.1'), []);
  assert.deepEqual(found('Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36'), []);
  assert.deepEqual(found('Версия 3.1.0.2, 版本 4.2.0.1'), []);
  assert.deepEqual(found('OID 1.3.6.1.4.1.311.2.1.21'), []);
  assert.deepEqual(found('C2 at 1.2.3.4'), ['ipv4:1.2.3.4'], 'a plain dotted quad is still an IP');
});

test('hashes inside longer hex runs are not hashes', () => {
  const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
  assert.deepEqual(found(`blob ${md5}f end`), []);
  assert.deepEqual(found(`key ${md5}${md5}${md5}ab`), []);
  assert.deepEqual(found(`tx 0x${md5}${md5}`), [], '0x-prefixed 64 hex is a transaction id, not a SHA-256');
  assert.deepEqual(found(`id=${md5}g`), []);
  assert.deepEqual(found(`zeros ${'0'.repeat(32)}`), [], 'low-entropy runs are not hashes');
  assert.deepEqual(found(`md5: ${md5}.`), [`md5:${md5}`]);
});

test('sentence-joined dots are not domains', () => {
  assert.deepEqual(found('It works.Then I restarted the service.Nothing changed'), []);
  assert.deepEqual(found('Всё работает.Пишите в лс'), []);
  assert.deepEqual(found('Check it.It is fine'), []);
  assert.deepEqual(found('i.e. the loader, e.g. the panel, т.е. всё'), []);
  assert.deepEqual(found('BLOCK EVIL-DOMAIN.RU NOW'), ['domain:evil-domain.ru'], 'an all-caps domain is still a domain');
});

test('Markdown and BBCode artefacts do not leak into values', () => {
  assert.deepEqual(found('**IOC:** `evil-updates.com` and __init__.py'), ['domain:evil-updates.com', 'filename:__init__.py']);
  assert.deepEqual(found('see [report](https://blog-intel.net/apt/report.html).'), ['domain:blog-intel.net', 'url:https://blog-intel.net/apt/report.html']);
  assert.deepEqual(found('(mirror: https://files-drop.org/a/b)'), ['domain:files-drop.org', 'url:https://files-drop.org/a/b']);
  assert.deepEqual(found('[quote=dark.name]lol[/quote] [b]77.91.124.55[/b] [url=http://cheap-rdp.store/shop]x[/url]'),
    ['domain:cheap-rdp.store', 'ipv4:77.91.124.55', 'url:http://cheap-rdp.store/shop']);
  assert.deepEqual(found('[img]https://imgs-host.net/i/a8f.png[/img]'), ['domain:imgs-host.net', 'url:https://imgs-host.net/i/a8f.png']);
});

test('code is not indicators: attribute access, calls, C++ scopes', () => {
  assert.deepEqual(found('```python\nos.system(cmd)\nself.name = data.info\nresponse.json()\n```'), []);
  assert.deepEqual(found('use std::vector and A::B::c'), []);
});

test('dates, times, prices and plain mentions are not indicators', () => {
  assert.deepEqual(found('Posted 2024-01-15 12:30:45, edited 15.01.2024'), []);
  assert.deepEqual(found('price 1.500.000 RUB, 3.5GB of logs, python 3.11.4'), []);
  assert.deepEqual(found('@everyone the update is live'), []);
});
